"""A deprecated or retired label now points at a different replacement.

## What it detects
A label that was deprecated or retired in both versions, whose `replaced_by` or
`replacement` changed.

## Why it matters
The previous version's data does not carry a retired label, so nothing breaks
against it. But datasets already migrated followed the old replacement, and
datasets still to migrate will follow the new one: two datasets may end up
disagreeing. A **minor** version, and a reviewer should know.

Breaks: nothing.

## Example
```yaml
# old
  - {id: vehicle.van, name: Van, status: retired, replaced_by: [vehicle.car]}
# new
  - {id: vehicle.van, name: Van, status: retired, replaced_by: [vehicle.truck_light]}
```

## How to fix or migrate
Bump the minor version. Check which datasets were already migrated with the old
replacement (the migration reports record it) and decide whether to migrate
them again.
"""

from __future__ import annotations

from collections.abc import Iterator

from taxops.changes import Change, ChangeKind
from taxops.diagnostics import Diagnostic, Severity
from taxops.rules.base import NOTHING, Bump, Rule, RuleContext


def _describe(targets: list[str], mode: str | None) -> str:
    names = ", ".join(f"`{t}`" for t in targets) or "nothing"
    return f"{names} ({mode})" if mode else names


def check(change: Change, ctx: RuleContext) -> Iterator[Diagnostic]:
    old = change.old
    before_mode = old.replacement_mode.value if old and old.replacement_mode else None
    before = _describe(list(change.detail.get("replacement_before") or []), before_mode)
    after = _describe(list(change.detail.get("targets") or []), change.detail.get("mode"))
    yield ctx.report(
        change,
        f"{change.detail.get('status')} label `{change.label}` is now replaced by {after} "
        f"instead of {before}",
        "bump the minor version; datasets already migrated followed the old replacement",
    )


RULE = Rule(
    "replacement-changed",
    Severity.WARNING,
    Bump.MINOR,
    NOTHING,
    (ChangeKind.REPLACEMENT_CHANGED,),
    check,
)
