"""An old label has no fate in the migration map.

## What it detects
A label of the old version for which the new version declares nothing a
dataset could follow: it was removed without a tombstone, or retired without
`replaced_by:` or `replacement:`. The migration map (`taxops migration-map`)
has an entry for every old label; this is the entry that says "unmapped".

## Why it matters
Every item carrying that label in an existing dataset would be stranded:
`taxops migrate` could only send it to review with no candidates, and nobody
decided that. It breaks **data**; a **major** version. It is reported only
when no other finding already reports the label as breaking data (e.g.
`label-removed`), so the map and the rules can never disagree silently.

## Example
```yaml
# old
  - {id: vehicle.other, name: Other vehicle, parent: vehicle}
# new: the label is gone
```

## How to fix or migrate
Keep the label as a tombstone and say where its items go:
`status: retired` with `replaced_by: [vehicle.unknown]` (a machine relabels),
`replacement: review` (a human decides) or `replacement: parent`.
"""

from __future__ import annotations

from dataclasses import replace

from taxops.changes import ChangeSet
from taxops.diagnostics import Diagnostic, Severity
from taxops.migration import RULE_UNMAPPED, map_findings
from taxops.positions import Positions
from taxops.rules.base import DATA, Bump, Rule


def diagnose(
    changes: ChangeSet,
    old_doc: Positions | None,
    new_doc: Positions | None,
    already: list[Diagnostic],
) -> list[Diagnostic]:
    """Unmapped old labels that no finding in ``already`` reports as breaking
    data (e.g. ``label-removed``, ``label-retired``): one finding per problem."""
    named = {str(d.data["label"]) for d in already if _breaks_data(d) and d.data.get("label")}
    return [
        replace(
            d,
            data={
                **d.data,
                "taxonomy": changes.new.id,
                "bump": RULE.bump.value,
                "category": RULE.bump.category,
                "breaks": sorted(x.value for x in RULE.breaks),
                "old_version": str(changes.old.version),
                "new_version": str(changes.new.version),
            },
        )
        for d in map_findings(changes, old_doc, new_doc, reported=named)
    ]


def _breaks_data(d: Diagnostic) -> bool:
    breaks = d.data.get("breaks")
    return isinstance(breaks, list | tuple | set | frozenset) and "data" in breaks


RULE = Rule(RULE_UNMAPPED, Severity.ERROR, Bump.MAJOR, DATA)
