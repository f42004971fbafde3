"""An attribute was removed from a label.

## What it detects
A label that no longer declares an attribute it had.

## Why it matters
Old items can be carried over by dropping the value, so data moves (with a
loss). Consumers that read the attribute (a model head, a filter, a report)
stop receiving it: that breaks **consumers** and needs a **major** version.

Breaks: consumers.

## Example
```yaml
# old
  - id: vehicle.car
    name: Car
    attributes:
      - {name: door_open, type: bool}
# new
  - {id: vehicle.car, name: Car}
```

## How to fix or migrate
Bump the major version and tell consumers. Archive the values first if anyone
may need them.
"""

from __future__ import annotations

from collections.abc import Iterator

from taxops.changes import Change, ChangeKind
from taxops.diagnostics import Diagnostic, Severity
from taxops.rules.base import CONSUMERS, Bump, Rule, RuleContext


def check(change: Change, ctx: RuleContext) -> Iterator[Diagnostic]:
    _, was = ctx.attribute_paths(change)
    yield ctx.report(
        change,
        f"label `{change.label}` lost the attribute `{change.detail.get('attribute')}`; "
        "consumers reading it stop receiving values",
        "bump the major version and tell consumers",
        was=was,
    )


RULE = Rule(
    "attribute-removed",
    Severity.WARNING,
    Bump.MAJOR,
    CONSUMERS,
    (ChangeKind.ATTRIBUTE_REMOVED,),
    check,
)
