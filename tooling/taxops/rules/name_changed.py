"""A label's display name changed.

## What it detects
A label whose `name` changed while its id stayed. A change of spacing only (a
trailing or doubled space) is cosmetic too, and reported without the alias
advice: nobody searches for the old spelling.

## Why it matters
Datasets store the id, so nothing breaks: this is the right way to rename a
label. Labelers see the new name, so the guideline and the labeling tool
change with it: a **patch** version.

Breaks: nothing.

## Example
```yaml
# old
  - {id: orders.order_status, name: Order status}
# new
  - {id: orders.order_status, name: Where is my order?}
```

## How to fix or migrate
Bump the patch version. Consider keeping the old name as an alias so labelers
searching for it still find the label.
"""

from __future__ import annotations

from collections.abc import Iterator

from taxops.changes import Change, ChangeKind
from taxops.diagnostics import Diagnostic, Severity
from taxops.rules.base import NOTHING, Bump, Rule, RuleContext


def check(change: Change, ctx: RuleContext) -> Iterator[Diagnostic]:
    before, after = change.detail.get("before"), change.detail.get("after")
    if " ".join(str(before).split()) == " ".join(str(after).split()):
        # A trailing or doubled space: nobody searches for the old spelling.
        yield ctx.report(
            change,
            f'only the spacing of the name of `{change.label}` changed ("{before}" to "{after}")',
            "bump the patch version",
        )
        return
    yield ctx.report(
        change,
        f'label `{change.label}` was renamed from "{before}" to "{after}"',
        f'bump the patch version; keep "{before}" in `aliases:` so searches still find it',
    )


RULE = Rule("name-changed", Severity.INFO, Bump.PATCH, NOTHING, (ChangeKind.NAME_CHANGED,), check)
