"""An alias was removed from a label.

## What it detects
A string that was in a label's `aliases` and no longer is.

## Why it matters
Labelers searching for the old word stop finding the label, and a tool that
imports annotations by alias names no longer recognises it. Data stored by id
is unaffected. A **minor** version.

Breaks: nothing.

## Example
```yaml
# old
  - {id: vehicle.bus, name: Bus, aliases: [coach, autobus]}
# new
  - {id: vehicle.bus, name: Bus, aliases: [coach]}
```

## How to fix or migrate
Bump the minor version. If an import maps by alias, update its mapping first.
"""

from __future__ import annotations

from collections.abc import Iterator

from taxops.changes import Change, ChangeKind
from taxops.diagnostics import Diagnostic, Severity
from taxops.rules.base import NOTHING, Bump, Rule, RuleContext


def check(change: Change, ctx: RuleContext) -> Iterator[Diagnostic]:
    alias = change.detail.get("alias")
    position = (
        list(change.old.aliases).index(alias) if change.old and alias in change.old.aliases else 0
    )
    yield ctx.report(
        change,
        f'label `{change.label}` lost the alias "{alias}"; searches and imports by that '
        "word no longer find it",
        "bump the minor version",
        was=("labels", change.old_index or 0, "aliases", position),
    )


RULE = Rule("alias-removed", Severity.INFO, Bump.MINOR, NOTHING, (ChangeKind.ALIAS_REMOVED,), check)
