"""A label's `since` version changed.

## What it detects
A label whose `since` (the taxonomy version that introduced it) was set,
removed or changed.

## Why it matters
`since` is a record of history, so nothing breaks; but history that changes is
suspicious: a label's `since` should be written once, when it is added. A
**patch** version.

Breaks: nothing.

## Example
```yaml
# old
  - {id: vehicle.bollard, name: Bollard}
# new
  - {id: vehicle.bollard, name: Bollard, since: 1.1.0}
```

## How to fix or migrate
Bump the patch version. Set `since` to the version that really introduced the
label (the releases/ snapshots show which).
"""

from __future__ import annotations

from collections.abc import Iterator

from taxops.changes import Change, ChangeKind
from taxops.diagnostics import Diagnostic, Severity
from taxops.rules.base import NOTHING, Bump, Rule, RuleContext


def check(change: Change, ctx: RuleContext) -> Iterator[Diagnostic]:
    before, after = change.detail.get("before"), change.detail.get("after")
    yield ctx.report(
        change,
        f"label `{change.label}`: `since` changed from {before or 'unset'} to {after or 'unset'}",
        "bump the patch version; `since` records the version that introduced the label",
    )


RULE = Rule("since-changed", Severity.INFO, Bump.PATCH, NOTHING, (ChangeKind.SINCE_CHANGED,), check)
