"""A label's definition changed (beyond re-wrapping).

## What it detects
A label whose `definition` reads differently, comparing words (re-wrapping a
paragraph or changing spaces is not a change).

## Why it matters
The definition is what labelers apply: changing it moves the boundary between
labels, so items labeled under the old definition may not match the new one.
The id is the same and consumers keep working, so nothing breaks formally, but
labelers need a briefing: a **minor** version. If the meaning changed so much
that old items would be wrong, the label is a new concept: retire it and add a
new one instead.

Breaks: nothing.

## Example
```yaml
# old
  - {id: orders.delivery_delay, name: Delivery delay,
     definition: The parcel is late.}
# new
  - {id: orders.delivery_delay, name: Delivery delay,
     definition: The parcel has not arrived by the promised date.}
```

## How to fix or migrate
Bump the minor version; update the guideline's examples and near misses; the
labelers' briefing lists the change.
"""

from __future__ import annotations

from collections.abc import Iterator

from taxops.changes import Change, ChangeKind
from taxops.diagnostics import Diagnostic, Severity
from taxops.rules.base import NOTHING, Bump, Rule, RuleContext


def check(change: Change, ctx: RuleContext) -> Iterator[Diagnostic]:
    verb = (
        "was given a definition"
        if not change.detail.get("before")
        else ("lost its definition" if not change.detail.get("after") else "has a new definition")
    )
    yield ctx.report(
        change,
        f"label `{change.label}` {verb}; labelers apply the new wording from this version on",
        "bump the minor version and brief labelers; if old items would now be wrong, "
        "retire the label and add a new one instead",
    )


RULE = Rule(
    "definition-changed",
    Severity.INFO,
    Bump.MINOR,
    NOTHING,
    (ChangeKind.DEFINITION_CHANGED,),
    check,
)
