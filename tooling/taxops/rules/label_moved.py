"""A label moved to another parent.

## What it detects
A label whose `parent` changed (including becoming a root or leaving one).

## Why it matters
The id is unchanged, so data is carried over as it is. But in a hierarchy a
label's meaning includes its ancestors: a consumer that rolls counts up the
tree, trains with a hierarchical loss or filters by group now gets different
answers for the same items. That breaks **consumers** and needs a **major**
version.

Breaks: consumers.

## Example
```yaml
# old
  - {id: static_obstacle.traffic_cone, name: Traffic cone, parent: static_obstacle}
# new
  - {id: static_obstacle.traffic_cone, name: Traffic cone, parent: traffic_control}
```

## How to fix or migrate
Bump the major version and tell consumers that group totals change. The id
stays: never rename an id to match its new group.
"""

from __future__ import annotations

from collections.abc import Iterator

from taxops.changes import Change, ChangeKind
from taxops.diagnostics import Diagnostic, Severity
from taxops.rules.base import CONSUMERS, Bump, Rule, RuleContext


def _name(parent: object) -> str:
    return f"`{parent}`" if parent else "the top level"


def check(change: Change, ctx: RuleContext) -> Iterator[Diagnostic]:
    yield ctx.report(
        change,
        f"label `{change.label}` moved from {_name(change.detail.get('before'))} to "
        f"{_name(change.detail.get('after'))}; consumers that group by ancestors see "
        "different totals",
        "bump the major version and tell consumers; keep the id",
    )


RULE = Rule(
    "label-moved", Severity.WARNING, Bump.MAJOR, CONSUMERS, (ChangeKind.PARENT_CHANGED,), check
)
