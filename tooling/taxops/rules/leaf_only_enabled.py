"""`leaf_only` was switched on: items may no longer carry inner labels.

## What it detects
`leaf_only` going from false (or absent) to true.

## Why it matters
Items labeled with a label that has children (a group such as `vehicle`) are
invalid in the new version, and nothing says which child they should get: it
breaks **data**. A **major** version.

Breaks: data.

## Example
```yaml
# old
kind: hierarchical
# new
kind: hierarchical
leaf_only: true
```

## How to fix or migrate
Bump the major version and send items that carry inner labels to review (or
add an "other" child under each group and relabel to it by machine).
"""

from __future__ import annotations

from collections.abc import Iterator

from taxops.changes import Change, ChangeKind
from taxops.diagnostics import Diagnostic, Severity
from taxops.rules.base import DATA, Bump, Rule, RuleContext


def check(change: Change, ctx: RuleContext) -> Iterator[Diagnostic]:
    if not change.detail.get("after"):
        return  # leaf-only-disabled
    yield ctx.report(
        change,
        "`leaf_only` was switched on: items that carry a label with children are no longer valid",
        "bump the major version and send those items to review (or relabel them to an "
        "'other' child)",
    )


RULE = Rule(
    "leaf-only-enabled", Severity.WARNING, Bump.MAJOR, DATA, (ChangeKind.LEAF_ONLY_CHANGED,), check
)
