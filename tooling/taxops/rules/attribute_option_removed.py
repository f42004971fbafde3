"""An enum attribute lost an option.

## What it detects
A value removed from an `enum` attribute's `options`.

## Why it matters
Items that carry the removed value are invalid in the new version, and nothing
says which option they should get: it breaks **data**. A **major** version.

Breaks: data.

## Example
```yaml
# old
      - {name: pose, type: enum, options: [standing, sitting, lying, unknown]}
# new
      - {name: pose, type: enum, options: [standing, sitting, lying]}
```

## How to fix or migrate
Bump the major version and map the removed value in the migration (or send
those items to review). Keeping the option and describing it as "do not use"
avoids the break.
"""

from __future__ import annotations

from collections.abc import Iterator

from taxops.changes import Change, ChangeKind
from taxops.diagnostics import Diagnostic, Severity
from taxops.rules.base import DATA, Bump, Rule, RuleContext


def check(change: Change, ctx: RuleContext) -> Iterator[Diagnostic]:
    option = change.detail.get("option")
    at, _ = ctx.attribute_paths(change)
    _, was = ctx.attribute_paths(change, option=option)
    yield ctx.report(
        change,
        f"attribute `{change.detail.get('attribute')}` of label `{change.label}` lost the "
        f"option `{option}`; items carrying it are no longer valid",
        "bump the major version and map the value in the migration, or keep the option",
        at=at,
        was=was,
    )


RULE = Rule(
    "attribute-option-removed",
    Severity.WARNING,
    Bump.MAJOR,
    DATA,
    (ChangeKind.ATTRIBUTE_OPTION_REMOVED,),
    check,
)
