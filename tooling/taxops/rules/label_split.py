"""A label was split into several.

## What it detects
A label retired with two or more labels in `replaced_by`.

## Why it matters
Each item of the split label must be assigned one of the new labels. In an
exclusive taxonomy that is a human decision (`replacement: review`): a review
queue, labeling cost and time. Data can still be carried over, through that
review; consumers break (**consumers**) when the targets are new labels they
have never seen. Always a **major** version.

Breaks: consumers, when a target is new.

## Example
```yaml
# old
  - {id: vehicle.truck, name: Truck, parent: vehicle}
# new
  - {id: vehicle.truck, name: Truck, parent: vehicle, status: retired,
     replaced_by: [vehicle.truck_light, vehicle.truck_heavy], replacement: review}
  - {id: vehicle.truck_light, name: Light truck, parent: vehicle}
  - {id: vehicle.truck_heavy, name: Heavy truck, parent: vehicle}
```

## How to fix or migrate
Bump the major version; add a decision rule between the new labels to the
guideline; estimate the review with `taxops impact`.
"""

from __future__ import annotations

from collections.abc import Iterator

from taxops.changes import Change, ChangeKind
from taxops.diagnostics import Diagnostic, Severity
from taxops.rules.base import CONSUMERS, NOTHING, Bump, Rule, RuleContext


def check(change: Change, ctx: RuleContext) -> Iterator[Diagnostic]:
    targets = list(change.detail.get("targets") or [])
    new = [t for t in targets if not ctx.existed(t)]
    how = (
        "a human assigns each item"
        if change.detail.get("mode") == "review"
        else ("every item gets all of them")
    )
    yield ctx.report(
        change,
        f"label `{change.label}` was split into {', '.join(f'`{t}`' for t in targets)}: {how}",
        "bump the major version; add a decision rule between them to the guideline and "
        "estimate the review with taxops impact",
        breaks=CONSUMERS if new else NOTHING,
    )


RULE = Rule(
    "label-split", Severity.WARNING, Bump.MAJOR, CONSUMERS, (ChangeKind.LABEL_SPLIT,), check
)
