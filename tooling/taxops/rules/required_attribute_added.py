"""A required attribute was added to a label.

## What it detects
A label that gained an attribute with `required: true`.

## Why it matters
Every item labeled with the old version lacks a value the new version
requires, and nothing says what the value is: old items are not valid in the
new version until someone fills it in. That breaks **data** and needs a
**major** version.

Breaks: data.

## Example
```yaml
# old
  - {id: vehicle.car, name: Car}
# new
  - id: vehicle.car
    name: Car
    attributes:
      - {name: door_open, type: bool, required: true}
```

## How to fix or migrate
Add the attribute as optional first (a minor version), backfill existing
items, then make it required in a major version. Or bump the major version and
plan a relabeling pass.
"""

from __future__ import annotations

from collections.abc import Iterator

from taxops.changes import Change, ChangeKind
from taxops.diagnostics import Diagnostic, Severity
from taxops.rules.base import DATA, Bump, Rule, RuleContext


def check(change: Change, ctx: RuleContext) -> Iterator[Diagnostic]:
    if not change.detail.get("required"):
        return  # attribute-added
    at, _ = ctx.attribute_paths(change)
    yield ctx.report(
        change,
        f"label `{change.label}` gained the required attribute "
        f"`{change.detail.get('attribute')}`; existing items have no value for it",
        "add it as optional first and backfill, or bump the major version and plan a "
        "relabeling pass",
        at=at,
    )


RULE = Rule(
    "required-attribute-added",
    Severity.WARNING,
    Bump.MAJOR,
    DATA,
    (ChangeKind.ATTRIBUTE_ADDED,),
    check,
)
