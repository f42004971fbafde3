"""A label was deprecated: still valid on existing data, not for new work.

## What it detects
A label whose status went from `active` to `deprecated`.

## Why it matters
Nothing breaks: old items stay valid, and consumers still receive only labels
they know. Labelers must stop using it, so the guideline and the labeling tool
change: a **minor** version. Say what to use instead, so the later retirement
is a machine relabel rather than a review.

Breaks: nothing.

## Example
```yaml
# old
  - {id: vehicle.van, name: Van, parent: vehicle}
# new
  - id: vehicle.van
    name: Van
    parent: vehicle
    status: deprecated
    replaced_by: [vehicle.car]
```

## How to fix or migrate
Bump the minor version. Add `replaced_by:` (and `replacement:` if a human must
decide) so the retirement in a later major version is already planned.
"""

from __future__ import annotations

from collections.abc import Iterator

from taxops.changes import Change, ChangeKind
from taxops.diagnostics import Diagnostic, Severity
from taxops.rules.base import NOTHING, Bump, Rule, RuleContext


def check(change: Change, ctx: RuleContext) -> Iterator[Diagnostic]:
    targets = change.detail.get("targets") or []
    if targets:
        instead = ", ".join(f"`{t}`" for t in targets)
        yield ctx.report(
            change,
            f"label `{change.label}` was deprecated in favour of {instead}",
            "bump the minor version; labelers use the replacement for new work",
        )
    else:
        yield ctx.report(
            change,
            f"label `{change.label}` was deprecated without saying what replaces it",
            "add `replaced_by:` (or `replacement: review`) so its retirement is planned",
        )


RULE = Rule(
    "label-deprecated", Severity.INFO, Bump.MINOR, NOTHING, (ChangeKind.LABEL_DEPRECATED,), check
)
