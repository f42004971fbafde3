"""A label disappeared from the file without a tombstone.

## What it detects
A label id that the old version had (active or deprecated) and the new version
does not have at all: not even as a `status: retired` entry.

## Why it matters
Breaks **data**: items labeled with the old version carry this id and the new
version says nothing about where they go, so they cannot be carried over,
directly or through review. And an id that is gone from the file can be reused
by accident for something else, silently changing what old items mean. It needs
a **major** version, and it is an error in every compatibility mode: a
tombstone costs one entry.

Breaks: data.

## Example
```yaml
# old
labels:
  - {id: vehicle, name: Vehicle}
  - {id: vehicle.other, name: Other vehicle, parent: vehicle}
# new: vehicle.other deleted
labels:
  - {id: vehicle, name: Vehicle}
```

## How to fix or migrate
Keep the label as a tombstone and say what replaces it:
```yaml
  - id: vehicle.other
    name: Other vehicle
    parent: vehicle
    status: retired
    replaced_by: [vehicle.unknown]   # or replacement: review / parent
```
and bump the major version. If the deletion was a rename, `undeclared-rename`
names the likely new id.
"""

from __future__ import annotations

from collections.abc import Iterator

from taxops.changes import Change, ChangeKind
from taxops.diagnostics import Diagnostic, Severity
from taxops.models.taxonomy import Status
from taxops.rules.base import DATA, Bump, Rule, RuleContext


def check(change: Change, ctx: RuleContext) -> Iterator[Diagnostic]:
    if change.old is None or change.old.status is Status.RETIRED:
        return  # a tombstone going away is tombstone-removed
    yield ctx.report(
        change,
        f"label `{change.label}` was removed without a tombstone; items labeled with it "
        "have nowhere to go and its id could be reused",
        f"keep `{change.label}` with `status: retired` and `replaced_by:` (or "
        "`replacement: review`), and bump the major version",
    )


RULE = Rule("label-removed", Severity.ERROR, Bump.MAJOR, DATA, (ChangeKind.LABEL_REMOVED,), check)
