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
    moved = list(change.detail.get("moved", ()))
    count = change.detail.get("labels_out_of_place", len(moved))
    named = ", ".join(f"'{label}'" for label in moved[:5]) + (", ..." if len(moved) > 5 else "")
    which = f": {named}" if moved else ""
    yield ctx.report(
        change,
        f"{count} label{'s' if count != 1 else ''} moved in the menu order{which}; "
        "labelers see a new order",
        "bump the patch version",
        # Annotate the first moved label, in both files, rather than 'labels:'.
        at=("labels", change.new_index) if change.new_index is not None else None,
        was=("labels", change.old_index) if change.old_index is not None else None,
    )


RULE = Rule(
    "labels-reordered", Severity.INFO, Bump.PATCH, NOTHING, (ChangeKind.LABELS_REORDERED,), check
)
