"""A label's id changed: the old id retired into one new label.

## What it detects
A label retired with `replaced_by: [new_id]` (a direct, machine relabel) where
`new_id` did not exist in the old version: the same concept under a new id.

## Why it matters
Data can be carried over by machine, but every dataset must be rewritten, so
this is a **major** version. It breaks **consumers**: a model or pipeline that
knows the old id receives items under an id it has never seen. If only the
wording needed to change, change `name:` and keep the id.

Breaks: consumers.

## Example
```yaml
# old
  - {id: vehicle.other, name: Other vehicle, parent: vehicle}
# new
  - {id: vehicle.other, name: Other vehicle, parent: vehicle,
     status: retired, replaced_by: [vehicle.unknown]}
  - {id: vehicle.unknown, name: Unknown vehicle, parent: vehicle}
```

## How to fix or migrate
Bump the major version and tell consumers the new id. If the concept did not
change, prefer renaming (`name:`) and keeping the id.
"""

from __future__ import annotations

from collections.abc import Iterator

from taxops.changes import Change, ChangeKind
from taxops.diagnostics import Diagnostic, Severity
from taxops.rules.base import CONSUMERS, Bump, Rule, RuleContext


def check(change: Change, ctx: RuleContext) -> Iterator[Diagnostic]:
    target = (change.detail.get("targets") or ["?"])[0]
    yield ctx.report(
        change,
        f"label `{change.label}` was retired into the new label `{target}` (an id change); "
        "items are relabeled by machine, consumers must learn the new id",
        "bump the major version; if only the wording changed, change `name:` and keep the id",
    )


RULE = Rule(
    "label-id-changed",
    Severity.WARNING,
    Bump.MAJOR,
    CONSUMERS,
    (ChangeKind.LABEL_ID_CHANGED,),
    check,
)
