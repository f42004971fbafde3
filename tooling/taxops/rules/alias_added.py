"""An alias was added to a label.

## What it detects
A string in a label's `aliases` that was not there before.

## Why it matters
Aliases are other names labelers search for and older tools import by. Adding
one breaks nothing, but it changes what labelers and tools match: a **minor**
version, as the repository's release rules say for additions.

Breaks: nothing.

## Example
```yaml
# old
  - {id: vehicle.bus, name: Bus}
# new
  - {id: vehicle.bus, name: Bus, aliases: [coach]}
```

## How to fix or migrate
Bump the minor version. Check the alias does not read the same as a sibling's
name (`duplicate-sibling-name` catches exact clashes).
"""

from __future__ import annotations

from collections.abc import Iterator

from taxops.changes import Change, ChangeKind
from taxops.diagnostics import Diagnostic, Severity
from taxops.rules.base import NOTHING, Bump, Rule, RuleContext


def check(change: Change, ctx: RuleContext) -> Iterator[Diagnostic]:
    alias = change.detail.get("alias")
    position = (
        list(change.new.aliases).index(alias) if change.new and alias in change.new.aliases else 0
    )
    yield ctx.report(
        change,
        f'label `{change.label}` gained the alias "{alias}"',
        "bump the minor version",
        at=("labels", change.new_index or 0, "aliases", position),
    )


RULE = Rule("alias-added", Severity.INFO, Bump.MINOR, NOTHING, (ChangeKind.ALIAS_ADDED,), check)
