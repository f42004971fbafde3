"""A deprecated or retired label was brought back.

## What it detects
A label whose status went back: `deprecated` or `retired` to `active`, or
`retired` to `deprecated`.

## Why it matters
Data is unaffected: old items stay valid. A label that was deprecated was still
known to consumers, so making it active again breaks nothing. A label that was
retired was not: in an exclusive taxonomy, consumers built for the previous
version may now receive it again, which breaks **consumers**. A **minor** version.

Breaks: consumers, when a retired label of an exclusive set returns.

## Example
```yaml
# old
  - {id: vehicle.van, name: Van, status: deprecated, replaced_by: [vehicle.car]}
# new
  - {id: vehicle.van, name: Van}
```

## How to fix or migrate
Bump the minor version; tell labelers it is back (the briefing lists it) and,
for a retired label, tell consumers too.
"""

from __future__ import annotations

from collections.abc import Iterator

from taxops.changes import Change, ChangeKind
from taxops.diagnostics import Diagnostic, Severity
from taxops.rules.base import CONSUMERS, NOTHING, Bump, Rule, RuleContext


def check(change: Change, ctx: RuleContext) -> Iterator[Diagnostic]:
    before = change.detail.get("status_before")
    after = change.detail.get("status")
    returns = before == "retired" and after == "active" and ctx.exclusive
    yield ctx.report(
        change,
        f"label `{change.label}` went from {before} back to {after}"
        + ("; consumers built for the previous version no longer expect it" if returns else ""),
        "bump the minor version and tell labelers" + (" and consumers" if returns else ""),
        breaks=CONSUMERS if returns else NOTHING,
    )


RULE = Rule(
    "label-reactivated",
    Severity.INFO,
    Bump.MINOR,
    CONSUMERS,
    (ChangeKind.LABEL_REACTIVATED,),
    check,
)
