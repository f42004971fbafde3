"""Labels were reordered.

## What it detects
The labels both versions share appear in a different order.

## Why it matters
Order is what labelers see in the tool's menus and the site, so it is content;
data and consumers are unaffected (they use ids). A **patch** version.

Breaks: nothing.

## Example
```yaml
# old
  - {id: vehicle.bus, name: Bus}
  - {id: vehicle.car, name: Car}
# new
  - {id: vehicle.car, name: Car}
  - {id: vehicle.bus, name: Bus}
```

## How to fix or migrate
Bump the patch version.
"""

from __future__ import annotations

from collections.abc import Iterator

from taxops.changes import Change, ChangeKind
from taxops.diagnostics import Diagnostic, Severity
from taxops.rules.base import NOTHING, Bump, Rule, RuleContext


def check(change: Change, ctx: RuleContext) -> Iterator[Diagnostic]:
    moved = change.detail.get("labels_out_of_place", 0)
    yield ctx.report(
        change,
        f"labels were reordered ({moved} out of place); labelers see a new menu order",
        "bump the patch version",
    )


RULE = Rule(
    "labels-reordered", Severity.INFO, Bump.PATCH, NOTHING, (ChangeKind.LABELS_REORDERED,), check
)
