"""An optional attribute became required.

## What it detects
An attribute whose `required` went from false to true.

## Why it matters
Old items that left the attribute empty are invalid in the new version, and
nothing says what value they should get: it breaks **data**. A **major**
version.

Breaks: data.

## Example
```yaml
# old
      - {name: occluded, type: bool}
# new
      - {name: occluded, type: bool, required: true}
```

## How to fix or migrate
Backfill the value on existing items first (while it is optional), then make
it required in a major version.
"""

from __future__ import annotations

from collections.abc import Iterator

from taxops.changes import Change, ChangeKind
from taxops.diagnostics import Diagnostic, Severity
from taxops.rules.base import DATA, Bump, Rule, RuleContext


def check(change: Change, ctx: RuleContext) -> Iterator[Diagnostic]:
    if not change.detail.get("after"):
        return  # attribute-made-optional
    at, was = ctx.attribute_paths(change)
    yield ctx.report(
        change,
        f"attribute `{change.detail.get('attribute')}` of label `{change.label}` became "
        "required; existing items without a value are no longer valid",
        "backfill existing items first, then bump the major version",
        at=at,
        was=was,
    )


RULE = Rule(
    "attribute-made-required",
    Severity.WARNING,
    Bump.MAJOR,
    DATA,
    (ChangeKind.ATTRIBUTE_REQUIRED_CHANGED,),
    check,
)
