"""The compatibility mode was relaxed.

## What it detects
A `compatibility:` change that protects less than before: a direction dropped
(`full` to `backward`, `backward` to `none`) or the transitive reach dropped
(`backward-transitive` to `backward`).

## Why it matters
The new version's mode is the one `taxops check` applies, so relaxing it in the
same change that breaks something lets the break through. That can be the right
call, but it should be a visible decision, not a side effect.

Breaks: nothing by itself.

## Example
```yaml
# old
compatibility: full
# new
compatibility: none
```

## How to fix or migrate
If intended, say why in the pull request and have the owners approve it. To
accept one finding rather than relax the whole taxonomy, use a waiver.
"""

from __future__ import annotations

from collections.abc import Iterator

from taxops.changes import Change, ChangeKind
from taxops.diagnostics import Diagnostic, Severity
from taxops.models.taxonomy import Compatibility
from taxops.rules.base import NOTHING, Bump, Rule, RuleContext
from taxops.rules.terms import is_relaxation


def check(change: Change, ctx: RuleContext) -> Iterator[Diagnostic]:
    if change.detail.get("field") != "compatibility":
        return
    before = Compatibility(change.detail["before"])
    after = Compatibility(change.detail["after"])
    if not is_relaxation(before, after):
        return
    yield ctx.report(
        change,
        f"the compatibility mode was relaxed from `{before.value}` to `{after.value}`: changes "
        "it no longer protects against pass this check",
        "if intended, have the owners approve it; to accept a single finding, add a waiver instead",
    )


RULE = Rule(
    "compatibility-relaxed",
    Severity.WARNING,
    Bump.NONE,
    NOTHING,
    (ChangeKind.METADATA_CHANGED,),
    check,
)
