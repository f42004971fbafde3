"""Several labels were merged into one.

## What it detects
Labels retired with `replaced_by: [target]` (direct) into the same target, or a
single label retired into a target that already existed.

## Why it matters
Data is carried by machine: every item of a source label becomes the target.
Datasets are rewritten and the target now covers more, so this is a **major**
version. Consumers keep working when the target existed (they just never see
the sources again); when the target is new, they receive a label they do not
know, which breaks **consumers**.

Breaks: consumers, when the target is new.

## Example
```yaml
# old
  - {id: vehicle.car, name: Car, parent: vehicle}
  - {id: vehicle.van, name: Van, parent: vehicle}
# new
  - {id: vehicle.car, name: Car, parent: vehicle}
  - {id: vehicle.van, name: Van, parent: vehicle, status: retired, replaced_by: [vehicle.car]}
```

## How to fix or migrate
Bump the major version. Widen the target's definition (and the guideline) so
labelers know it now covers the merged labels.
"""

from __future__ import annotations

from collections.abc import Iterator

from taxops.changes import Change, ChangeKind
from taxops.diagnostics import Diagnostic, Severity
from taxops.rules.base import CONSUMERS, NOTHING, Bump, Rule, RuleContext


def check(change: Change, ctx: RuleContext) -> Iterator[Diagnostic]:
    sources = ", ".join(f"`{s}`" for s in change.detail.get("sources", ()))
    first_new = change.detail["source_indexes"][0][1]
    first_old = change.detail["source_indexes"][0][0]
    existed = bool(change.detail.get("target_existed"))
    yield ctx.report(
        change,
        f"{sources} merged into {'existing' if existed else 'new'} label `{change.label}`; "
        "items are relabeled by machine"
        + ("" if existed else ", and consumers must learn the new label"),
        "bump the major version; widen the target's definition to cover the merged labels",
        breaks=NOTHING if existed else CONSUMERS,
        at=("labels", first_new, "replaced_by"),
        was=("labels", first_old),
    )


RULE = Rule(
    "labels-merged", Severity.WARNING, Bump.MAJOR, CONSUMERS, (ChangeKind.LABELS_MERGED,), check
)
