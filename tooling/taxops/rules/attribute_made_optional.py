"""A required attribute became optional.

## What it detects
An attribute whose `required` went from true to false.

## Why it matters
Old items stay valid. Consumers that relied on the attribute always being set
may now receive items without it: that breaks **consumers**. A **minor**
version.

Breaks: consumers.

## Example
```yaml
# old
      - {name: occluded, type: bool, required: true}
# new
      - {name: occluded, type: bool}
```

## How to fix or migrate
Bump the minor version; tell consumers to handle a missing value.
"""

from __future__ import annotations

from collections.abc import Iterator

from taxops.changes import Change, ChangeKind
from taxops.diagnostics import Diagnostic, Severity
from taxops.rules.base import CONSUMERS, Bump, Rule, RuleContext


def check(change: Change, ctx: RuleContext) -> Iterator[Diagnostic]:
    if change.detail.get("after"):
        return  # attribute-made-required
    at, was = ctx.attribute_paths(change)
    yield ctx.report(
        change,
        f"attribute `{change.detail.get('attribute')}` of label `{change.label}` became "
        "optional; consumers may receive items without it",
        "bump the minor version; consumers must handle a missing value",
        at=at,
        was=was,
    )


RULE = Rule(
    "attribute-made-optional",
    Severity.INFO,
    Bump.MINOR,
    CONSUMERS,
    (ChangeKind.ATTRIBUTE_REQUIRED_CHANGED,),
    check,
)
