"""The items that carried a reused id's old meaning go where the declaration says.

## What it detects
A label present in both versions whose new version declares `reused:` for a
version after the old one: the publisher gave the code a new meaning, and the
crosswalk sends the items that carried the old meaning elsewhere.

## Why it matters
Those items must not keep the id silently: they go where the declaration says
(by machine to one label, or to a human review). This finding says where; the
reuse itself is reported by `retired-id-reused`, an error unless the taxonomy
accepts declared reuse (`ids: {..., reuse: declared}`), because a model built
for the old version reads the same id with another meaning. Data is carried
over; routing items is a migration step: a **major** version.

Breaks: nothing by itself (the reuse is reported by `retired-id-reused`).

## Example
```yaml
# old
  - {id: p150, name: Tablets}
  - {id: p160, name: E-readers}
# new: p150 now means e-readers and tablets moved to p170
  - id: p150
    name: E-readers
    reused:
      - {version: 2.0.0, replaced_by: [p170], note: Tablets are p170 from 2.0.0.}
  - {id: p160, name: E-readers, status: retired, replaced_by: [p150]}
  - {id: p170, name: Tablets}
```

## How to fix or migrate
Bump the major version and check the route with `taxops migration-map`. If the
team's policy forbids reuse, give the new meaning a new id instead.
"""

from __future__ import annotations

from collections.abc import Iterator

from taxops.changes import Change, ChangeKind
from taxops.diagnostics import Diagnostic, Severity
from taxops.rules.base import NOTHING, Bump, Rule, RuleContext


def check(change: Change, ctx: RuleContext) -> Iterator[Diagnostic]:
    targets = list(change.detail.get("targets") or [])
    shown = ", ".join(f"`{t}`" for t in targets)
    if not targets:
        route = "a human relabels them"
    elif change.detail.get("mode") == "direct":
        route = f"they go to {shown} by machine"
    else:
        route = f"a human relabels them, among {shown}"
    yield ctx.report(
        change,
        f"label id `{change.label}` took another meaning in {change.detail.get('version')}; "
        f"items that carried its old meaning are not kept: {route}",
        "bump the major version and tell consumers the id changed meaning",
        breaks=NOTHING,
        at=("labels", change.new_index, "reused", change.detail.get("index", 0))
        if change.new_index is not None
        else None,
    )


RULE = Rule(
    "reused-id-routed", Severity.INFO, Bump.MAJOR, NOTHING, (ChangeKind.LABEL_REUSED,), check
)
