"""An attribute's description changed.

## What it detects
An attribute whose `description` reads differently (comparing words).

## Why it matters
The description tells labelers how to fill the attribute; nothing breaks. A
**patch** version.

Breaks: nothing.

## Example
```yaml
# old
      - {name: occluded, type: bool, description: Partly hidden.}
# new
      - {name: occluded, type: bool, description: More than a quarter is hidden.}
```

## How to fix or migrate
Bump the patch version. If the description changes what labelers select,
treat it like a definition change and brief them.
"""

from __future__ import annotations

from collections.abc import Iterator

from taxops.changes import Change, ChangeKind
from taxops.diagnostics import Diagnostic, Severity
from taxops.rules.base import NOTHING, Bump, Rule, RuleContext


def check(change: Change, ctx: RuleContext) -> Iterator[Diagnostic]:
    at, was = ctx.attribute_paths(change)
    yield ctx.report(
        change,
        f"the description of attribute `{change.detail.get('attribute')}` of label "
        f"`{change.label}` changed",
        "bump the patch version",
        at=at,
        was=was,
    )


RULE = Rule(
    "attribute-description-changed",
    Severity.INFO,
    Bump.PATCH,
    NOTHING,
    (ChangeKind.ATTRIBUTE_DESCRIPTION_CHANGED,),
    check,
)
