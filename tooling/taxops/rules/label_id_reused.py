"""A label id now means something else.

## What it detects
A label present in both versions whose new version declares `reused:` for a
version after the old one: the publisher gave the code a new meaning, and the
crosswalk sends the items that carried the old meaning elsewhere.

## Why it matters
Items labeled with the old meaning must not keep the id silently: they go where
the declaration says (by machine, or to a human review). A model or pipeline
built for the old version reads the same id with another meaning: that breaks
**consumers**, even though the data is carried over. Always a **major**
version. Reusing an id is reported even when it is declared: it is a finding
of its own, whatever the routing.

Breaks: consumers.

## Example
```yaml
# old
  - {id: p150, name: Tablets}
  - {id: p160, name: E-readers}
# new: p150 now means e-readers and tablets moved to p170
  - id: p150
    name: E-readers
    reused:
      - {version: 2.0.0, replaced_by: [p170], note: "tablets are 170 from 2.0.0"}
  - {id: p160, name: E-readers, status: retired, replaced_by: [p150]}
  - {id: p170, name: Tablets}
```

## How to fix or migrate
Bump the major version, tell consumers the id changed meaning, and check the
declared route with `taxops migration-map`. If the team's policy forbids reuse,
give the new meaning a new id instead.
"""

from __future__ import annotations

from collections.abc import Iterator

from taxops.changes import Change, ChangeKind
from taxops.diagnostics import Diagnostic, Severity
from taxops.rules.base import CONSUMERS, Bump, Rule, RuleContext


def check(change: Change, ctx: RuleContext) -> Iterator[Diagnostic]:
    targets = list(change.detail.get("targets") or [])
    shown = ", ".join(f"`{t}`" for t in targets)
    if not targets:
        route = "a human relabels the items that carried its old meaning"
    elif change.detail.get("mode") == "direct":
        route = f"items that carried its old meaning go to {shown} by machine"
    else:
        route = f"a human relabels the items that carried its old meaning, among {shown}"
    yield ctx.report(
        change,
        f"label id `{change.label}` was reused for another meaning in "
        f"{change.detail.get('version')}; {route}",
        "bump the major version and tell consumers the id changed meaning; a new id for the "
        "new meaning avoids this",
        breaks=CONSUMERS,
        at=("labels", change.new_index, "reused", change.detail.get("index", 0))
        if change.new_index is not None
        else None,
    )


RULE = Rule(
    "label-id-reused", Severity.WARNING, Bump.MAJOR, CONSUMERS, (ChangeKind.LABEL_REUSED,), check
)
