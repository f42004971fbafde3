"""A label was retired: no longer valid, kept as a tombstone.

## What it detects
A label whose status became `retired` with one replacement decided by a human
(`replacement: review`), a fallback to its parent (`replacement: parent`), or
no replacement at all. (Retirements into other labels are reported as
`label-split`, `labels-merged` or `label-id-changed`.)

## Why it matters
Items labeled with the retired label are no longer valid: every dataset needs a
migration step, so this is a **major** version. With `replacement: review` or
`parent`, the data can still be carried over (through a review queue or to the
parent) and consumers only stop seeing the label. With no replacement declared,
nothing says where those items go: that breaks **data**.

Breaks: data, when no replacement is declared.

## Example
```yaml
# old
  - {id: animal.cat, name: Cat, parent: animal}
# new
  - id: animal.cat
    name: Cat
    parent: animal
    status: retired
    replacement: parent
    note: Too rare to train on; kept under animal.
```

## How to fix or migrate
Bump the major version and declare the replacement: `replaced_by:` for a
machine relabel, `replacement: review` for a human decision, `replacement:
parent` to fall back to the parent. `taxops migration-map` then plans the move.
"""

from __future__ import annotations

from collections.abc import Iterator

from taxops.changes import Change, ChangeKind
from taxops.diagnostics import Diagnostic, Severity
from taxops.rules.base import DATA, NOTHING, Bump, Rule, RuleContext

_HOW = {
    "review": "items go to human review",
    "parent": "items fall back to the parent label",
    "direct": "items are relabeled by machine",
}


def check(change: Change, ctx: RuleContext) -> Iterator[Diagnostic]:
    mode = change.detail.get("mode")
    if mode is None:
        yield ctx.report(
            change,
            f"label `{change.label}` was retired without a replacement; items labeled with "
            "it cannot be carried to the new version",
            "add `replaced_by: [...]`, `replacement: review` or `replacement: parent`, and "
            "bump the major version",
            breaks=DATA,
        )
        return
    targets = change.detail.get("targets") or []
    among = f" (among {', '.join(f'`{t}`' for t in targets)})" if targets else ""
    yield ctx.report(
        change,
        f"label `{change.label}` was retired: {_HOW.get(mode, mode)}{among}",
        "bump the major version; datasets need a migration (taxops migration-map)",
        breaks=NOTHING,
    )


RULE = Rule("label-retired", Severity.WARNING, Bump.MAJOR, DATA, (ChangeKind.LABEL_RETIRED,), check)
