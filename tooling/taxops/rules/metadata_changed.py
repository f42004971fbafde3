"""The taxonomy's title, description, owners, modes or policies changed.

## What it detects
A change to `title`, `description`, `owners`, `compatibility`, `ids` or
`versioning` (by meaning: `ids: code` and `ids: {preset: code}` are the same).

## Why it matters
None of these touch labeled data or consumers. Owners decide who approves
future changes, the compatibility mode and the versioning policy decide what
future versions may do, and the id shape and its case rule decide how dataset
values are matched to labels, so reviewers should see them; a **patch**
version.

Breaks: nothing.

## Example
```yaml
# old
owners: ["@driving-data"]
# new
owners: ["@driving-data", "@perception-leads"]
```

## How to fix or migrate
Bump the patch version. Update CODEOWNERS when owners change.
"""

from __future__ import annotations

from collections.abc import Iterator

from taxops.changes import Change, ChangeKind
from taxops.diagnostics import Diagnostic, Severity
from taxops.rules.base import NOTHING, Bump, Rule, RuleContext


def _short(value: object) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_short(v)}" for k, v in value.items())
    text = " ".join(str(value).split()) if value is not None else "unset"
    return text if len(text) <= 60 else text[:57] + "..."


def check(change: Change, ctx: RuleContext) -> Iterator[Diagnostic]:
    field = change.detail.get("field")
    yield ctx.report(
        change,
        f'`{field}` changed from "{_short(change.detail.get("before"))}" to '
        f'"{_short(change.detail.get("after"))}"',
        "bump the patch version" + ("; update CODEOWNERS to match" if field == "owners" else ""),
    )


RULE = Rule(
    "metadata-changed", Severity.INFO, Bump.PATCH, NOTHING, (ChangeKind.METADATA_CHANGED,), check
)
