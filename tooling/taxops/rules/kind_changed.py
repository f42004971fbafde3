"""The taxonomy's kind changed (single-label, multi-label, hierarchical).

## What it detects
A different `kind:` at the top of the file.

## Why it matters
The kind is the shape of every annotation. Which direction breaks depends on
the move:

| from → to | data | consumers |
|---|---|---|
| multi-label → single-label or hierarchical | **breaks**: items with several labels cannot keep them all | fine |
| single-label or hierarchical → multi-label | fine | **breaks**: consumers expect exactly one label per item |
| single-label ↔ hierarchical | fine | **breaks**: consumers read labels as a flat set, or as a tree |

Always a **major** version.

Breaks: data and/or consumers, by direction of the move.

## Example
```yaml
# old
kind: single-label
# new
kind: multi-label
```

## How to fix or migrate
Bump the major version. Going to an exclusive kind, decide how items with
several labels are reduced to one (a review, or a precedence order), and
retrain consumers in either direction.
"""

from __future__ import annotations

from collections.abc import Iterator

from taxops.changes import Change, ChangeKind
from taxops.diagnostics import Diagnostic, Severity
from taxops.rules.base import BOTH, CONSUMERS, DATA, Bump, Rule, RuleContext


def check(change: Change, ctx: RuleContext) -> Iterator[Diagnostic]:
    before, after = change.detail.get("before"), change.detail.get("after")
    if before == "multi-label":
        breaks, why = DATA, "items that carry several labels cannot keep them all"
    elif after == "multi-label":
        breaks, why = CONSUMERS, "consumers expect exactly one label per item"
    else:
        breaks, why = CONSUMERS, "consumers read the labels as a different structure"
    yield ctx.report(
        change,
        f"the taxonomy changed from {before} to {after}: {why}",
        "bump the major version, plan how items and consumers move, and retrain consumers",
        breaks=breaks,
    )


RULE = Rule("kind-changed", Severity.WARNING, Bump.MAJOR, BOTH, (ChangeKind.KIND_CHANGED,), check)
