"""A label became a group: it stays in the tree, but items no longer carry it.

## What it detects
A label present in both versions whose new version declares `became_group:`
for a version after the old one (typically a leaf that gained children in a
taxonomy with `leaf_only: true`, or a code the publisher subdivided).

## Why it matters
Items labeled with it must move to one of its children: by machine when the
declaration names one child (`replaced_by: [child]`), through a human review
among its children otherwise. Data is carried over; consumers break
(**consumers**) when the children are new labels they have never seen. Always a
**major** version.

Breaks: consumers, when a child that takes the items is new.

## Example
```yaml
# old (leaf_only: true)
  - {id: vehicle.truck, name: Truck, parent: vehicle}
# new
  - id: vehicle.truck
    name: Truck
    parent: vehicle
    became_group: [{version: 2.0.0, replacement: review}]  # among its children
  - {id: vehicle.truck.light, name: Light truck, parent: vehicle.truck}
  - {id: vehicle.truck.heavy, name: Heavy truck, parent: vehicle.truck}
```

## How to fix or migrate
Bump the major version; add a decision rule between the children to the
guideline; estimate the review with `taxops impact`.
"""

from __future__ import annotations

from collections.abc import Iterator

from taxops.changes import Change, ChangeKind
from taxops.diagnostics import Diagnostic, Severity
from taxops.rules.base import CONSUMERS, NOTHING, Bump, Rule, RuleContext


def check(change: Change, ctx: RuleContext) -> Iterator[Diagnostic]:
    targets = list(change.detail.get("targets") or [])
    shown = ", ".join(f"`{t}`" for t in targets)
    how = (
        f"its items go to {shown} by machine"
        if change.detail.get("mode") == "direct"
        else f"a human assigns each of its items one of {shown}"
    )
    yield ctx.report(
        change,
        f"label `{change.label}` became a group in {change.detail.get('version')}: items no "
        f"longer carry it; {how}",
        "bump the major version; add a decision rule between its children to the guideline",
        breaks=CONSUMERS if any(not ctx.existed(t) for t in targets) else NOTHING,
        at=("labels", change.new_index, "became_group", change.detail.get("index", 0))
        if change.new_index is not None
        else None,
    )


RULE = Rule(
    "label-became-group",
    Severity.WARNING,
    Bump.MAJOR,
    CONSUMERS,
    (ChangeKind.LABEL_BECAME_GROUP,),
    check,
)
