"""An enum attribute gained an option.

## What it detects
A value added to an `enum` attribute's `options`.

## Why it matters
Old values stay valid, so data is fine. A consumer built for the old options
has a closed list and may now receive a value it does not know: that breaks
**consumers**. A **minor** version.

Breaks: consumers.

## Example
```yaml
# old
      - {name: light_state, type: enum, options: [red, amber, green]}
# new
      - {name: light_state, type: enum, options: [red, amber, green, flashing_amber]}
```

## How to fix or migrate
Bump the minor version and tell consumers before the release.
"""

from __future__ import annotations

from collections.abc import Iterator

from taxops.changes import Change, ChangeKind
from taxops.diagnostics import Diagnostic, Severity
from taxops.rules.base import CONSUMERS, Bump, Rule, RuleContext


def check(change: Change, ctx: RuleContext) -> Iterator[Diagnostic]:
    option = change.detail.get("option")
    at, _ = ctx.attribute_paths(change, option=option)
    yield ctx.report(
        change,
        f"attribute `{change.detail.get('attribute')}` of label `{change.label}` gained the "
        f"option `{option}`; consumers built for the old options do not know it",
        "bump the minor version and tell consumers",
        at=at,
    )


RULE = Rule(
    "attribute-option-added",
    Severity.INFO,
    Bump.MINOR,
    CONSUMERS,
    (ChangeKind.ATTRIBUTE_OPTION_ADDED,),
    check,
)
