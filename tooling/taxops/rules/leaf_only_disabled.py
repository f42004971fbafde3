"""`leaf_only` was switched off: items may now carry inner labels.

## What it detects
`leaf_only` going from true to false.

## Why it matters
Old items stay valid. Consumers built for leaf labels only may now receive a
group label (`vehicle` instead of `vehicle.car`): that breaks **consumers**. A
**minor** version.

Breaks: consumers.

## Example
```yaml
# old
kind: hierarchical
leaf_only: true
# new
kind: hierarchical
```

## How to fix or migrate
Bump the minor version and tell consumers that group labels may appear.
"""

from __future__ import annotations

from collections.abc import Iterator

from taxops.changes import Change, ChangeKind
from taxops.diagnostics import Diagnostic, Severity
from taxops.rules.base import CONSUMERS, Bump, Rule, RuleContext


def check(change: Change, ctx: RuleContext) -> Iterator[Diagnostic]:
    if change.detail.get("after"):
        return  # leaf-only-enabled
    yield ctx.report(
        change,
        "`leaf_only` was switched off: items may now carry group labels that consumers "
        "built for leaves do not expect",
        "bump the minor version and tell consumers",
    )


RULE = Rule(
    "leaf-only-disabled",
    Severity.INFO,
    Bump.MINOR,
    CONSUMERS,
    (ChangeKind.LEAF_ONLY_CHANGED,),
    check,
)
