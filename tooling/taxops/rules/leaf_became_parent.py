"""In a leaf-only taxonomy, a label that items carry gained children.

## What it detects
In a hierarchical taxonomy with `leaf_only: true`, an active label that had no
children in the old version and has at least one in the new one (a label added
under it, or moved under it).

## Why it matters
With `leaf_only`, items may carry only labels without children. Every item
labeled with the former leaf is invalid in the new version and nothing says
which child it should get: this breaks **data** and needs a **major** version.

Breaks: data.

## Example
```yaml
# old (leaf_only: true)
  - {id: vehicle.truck, name: Truck, parent: vehicle}
# new: truck gains children but stays active
  - {id: vehicle.truck, name: Truck, parent: vehicle}
  - {id: vehicle.truck.light, name: Light truck, parent: vehicle.truck}
```

## How to fix or migrate
Declare on the former leaf that it became a group in this version: it stays in
the tree, is no longer assignable, and its items go to one child by machine
(`replaced_by: [child]`) or to a human review among its children (the default):

```yaml
  - id: vehicle.truck
    name: Truck
    parent: vehicle
    became_group: [{version: 2.0.0}]
```

Bump the major version (rule `label-became-group` then reports the move). Or
add the new labels as siblings instead of children.
"""

from __future__ import annotations

from collections.abc import Iterator

from taxops.changes import Change, ChangeKind
from taxops.diagnostics import Diagnostic, Severity
from taxops.models.declarations import applying
from taxops.models.taxonomy import Status
from taxops.rules.base import DATA, Bump, Rule, RuleContext


def check(change: Change, ctx: RuleContext) -> Iterator[Diagnostic]:
    new, old = ctx.changes.new, ctx.changes.old
    parent_id = change.new.parent if change.new else None
    if not (new.leaf_only and old.leaf_only) or parent_id is None:
        return
    if parent_id not in ctx.old_at or ctx.old_children.get(parent_id):
        return  # the parent is new, or already had children: items could not carry it
    parent = new.labels[ctx.new_at[parent_id]] if parent_id in ctx.new_at else None
    if parent is None or parent.status is not Status.ACTIVE:
        return  # retired or deprecated with a replacement: its items are reassigned
    if applying(parent.became_group, old.version, new.version):
        return  # declared a group in this version: its items go to its children
    children = ctx.new_children.get(parent_id, [])
    if not children or children[0] != change.label:
        return  # one finding per former leaf, on its first child
    yield ctx.report(
        change,
        f"`{parent_id}` was a leaf that items carry and now has children "
        f"({', '.join(f'`{c}`' for c in children)}); in this leaf-only taxonomy its items "
        "are no longer valid",
        f"declare `became_group: [{{version: {new.version}}}]` on `{parent_id}` (its items go "
        "to review among its children; `replaced_by: [child]` sends them to one by machine), "
        "and bump the major version; or add the new labels beside it",
        at=("labels", ctx.new_at[change.label or ""], "parent"),
        was=("labels", ctx.old_at[parent_id]),
    )


RULE = Rule(
    "leaf-became-parent",
    Severity.WARNING,
    Bump.MAJOR,
    DATA,
    (ChangeKind.LABEL_ADDED, ChangeKind.PARENT_CHANGED),
    check,
)
