"""An optional attribute was added to a label.

## What it detects
A label that gained an attribute with `required: false` (the default).

## Why it matters
Old items simply do not have the attribute, which an optional attribute
allows; consumers that do not know it ignore it. Nothing breaks; labelers have
one more thing to annotate: a **minor** version.

Breaks: nothing.

## Example
```yaml
# old
  - {id: vehicle.car, name: Car}
# new
  - id: vehicle.car
    name: Car
    attributes:
      - {name: door_open, type: bool}
```

## How to fix or migrate
Bump the minor version and describe the attribute in the guideline.
"""

from __future__ import annotations

from collections.abc import Iterator

from taxops.changes import Change, ChangeKind
from taxops.diagnostics import Diagnostic, Severity
from taxops.rules.base import NOTHING, Bump, Rule, RuleContext


def check(change: Change, ctx: RuleContext) -> Iterator[Diagnostic]:
    if change.detail.get("required"):
        return  # required-attribute-added
    at, _ = ctx.attribute_paths(change)
    yield ctx.report(
        change,
        f"label `{change.label}` gained the optional attribute `{change.detail.get('attribute')}`",
        "bump the minor version and describe it in the guideline",
        at=at,
    )


RULE = Rule(
    "attribute-added", Severity.INFO, Bump.MINOR, NOTHING, (ChangeKind.ATTRIBUTE_ADDED,), check
)
