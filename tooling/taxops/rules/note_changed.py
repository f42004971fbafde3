"""A label's note changed.

## What it detects
A label whose `note` (why it was deprecated or retired) reads differently.

## Why it matters
Notes are explanations for reviewers and labelers; nothing breaks. Content
changed, so the version moves: a **patch**.

Breaks: nothing.

## Example
```yaml
# old
  - {id: animal.cat, name: Cat, status: retired, replacement: parent, note: Rare.}
# new
  - {id: animal.cat, name: Cat, status: retired, replacement: parent,
     note: Too rare to train on; kept under animal.}
```

## How to fix or migrate
Bump the patch version.
"""

from __future__ import annotations

from collections.abc import Iterator

from taxops.changes import Change, ChangeKind
from taxops.diagnostics import Diagnostic, Severity
from taxops.rules.base import NOTHING, Bump, Rule, RuleContext


def check(change: Change, ctx: RuleContext) -> Iterator[Diagnostic]:
    yield ctx.report(
        change, f"the note of label `{change.label}` changed", "bump the patch version"
    )


RULE = Rule("note-changed", Severity.INFO, Bump.PATCH, NOTHING, (ChangeKind.NOTE_CHANGED,), check)
