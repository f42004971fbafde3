"""A retired label's tombstone was deleted.

## What it detects
A label that was already `status: retired` in the old version and is no longer
in the new file.

## Why it matters
Against the previous version nothing breaks: no valid item carried a retired
label. But the tombstone is what keeps the id from being reused, and it is the
migration path for datasets still labeled with older versions: without it, an
item labeled before the retirement has nowhere to go. Under a `*-transitive`
compatibility mode, the comparison with the older releases reports the
deletion as `label-removed`.

Breaks: nothing against the previous version.

## Example
```yaml
# old
  - {id: animal.cat, name: Cat, parent: animal, status: retired, replacement: parent}
# new: the entry is gone
```

## How to fix or migrate
Put the tombstone back. Tombstones are cheap and permanent; the site and the
labeling tools hide retired labels anyway.
"""

from __future__ import annotations

from collections.abc import Iterator

from taxops.changes import Change, ChangeKind
from taxops.diagnostics import Diagnostic, Severity
from taxops.models.taxonomy import Status
from taxops.rules.base import NOTHING, Bump, Rule, RuleContext


def check(change: Change, ctx: RuleContext) -> Iterator[Diagnostic]:
    if change.old is None or change.old.status is not Status.RETIRED:
        return
    yield ctx.report(
        change,
        f"the tombstone of retired label `{change.label}` was deleted; its id could be "
        "reused and datasets labeled before its retirement lose their migration path",
        f"put `{change.label}` back with `status: retired`",
    )


RULE = Rule(
    "tombstone-removed", Severity.WARNING, Bump.PATCH, NOTHING, (ChangeKind.LABEL_REMOVED,), check
)
