"""An attribute's type changed.

## What it detects
An attribute whose `type` changed (bool, enum, text, integer, number).

## Why it matters
Old values may not fit the new type (a `text` value is not an `integer`), so
old items cannot be carried over as they are: it breaks **data**. Consumers
parse values by type, so it breaks **consumers** too. A **major** version.

Breaks: data and consumers.

## Example
```yaml
# old
      - {name: occluded, type: bool}
# new
      - {name: occluded, type: enum, options: [none, partly, mostly]}
```

## How to fix or migrate
Add a new attribute with the new type beside the old one, backfill it, then
remove the old one in a major version. Or bump the major version and convert
the values in the migration.
"""

from __future__ import annotations

from collections.abc import Iterator

from taxops.changes import Change, ChangeKind
from taxops.diagnostics import Diagnostic, Severity
from taxops.rules.base import BOTH, Bump, Rule, RuleContext


def check(change: Change, ctx: RuleContext) -> Iterator[Diagnostic]:
    at, was = ctx.attribute_paths(change)
    d = change.detail
    yield ctx.report(
        change,
        f"attribute `{d.get('attribute')}` of label `{change.label}` changed type from "
        f"{d.get('before')} to {d.get('after')}; old values may not fit",
        "add a new attribute beside the old one and backfill, or bump the major version "
        "and convert the values",
        at=at,
        was=was,
    )


RULE = Rule(
    "attribute-retyped", Severity.WARNING, Bump.MAJOR, BOTH, (ChangeKind.ATTRIBUTE_RETYPED,), check
)
