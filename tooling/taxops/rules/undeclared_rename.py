"""A removed label looks like an added one: probably an undeclared rename.

## What it detects
A label id that disappeared while a new id appeared with the same display
name, or a similar name and definition. taxops never assumes a rename: it
suggests one for a reviewer to confirm.

## Why it matters
Changing a label's id silently strands every item labeled with the old id
(`label-removed` reports that). If the intent was a rename, the old id must
stay as a tombstone pointing at the new one, so a machine can relabel.

Breaks: nothing by itself (the removal is reported separately).

## Example
```yaml
# old
  - {id: vehicle.other, name: Other vehicle}
# new
  - {id: vehicle.misc, name: Other vehicle}
```

## How to fix or migrate
If it is a rename of the display name only, keep the old id and change `name:`.
If the id must change, keep the old label as
`{status: retired, replaced_by: [new.id]}` (a `label-id-changed`).
"""

from __future__ import annotations

from taxops.changes import ChangeSet, Suggestion
from taxops.diagnostics import Diagnostic, Location, Severity
from taxops.rules.base import NOTHING, Bump, Rule


def diagnose(
    suggestion: Suggestion, changes: ChangeSet, location: Location | None, previous: Location | None
) -> Diagnostic:
    """The finding for one suggested rename."""
    return Diagnostic(
        RULE.id,
        RULE.severity,
        f"label `{suggestion.removed}` was removed and `{suggestion.added}` added "
        f"({suggestion.reason}: {_parts(suggestion)}); if this is a rename, declare it",
        location,
        f"keep `{suggestion.removed}` with `status: retired` and `replaced_by: "
        f"[{suggestion.added}]`, or keep the old id and change only `name:`",
        previous,
        {
            "taxonomy": changes.new.id,
            "label": suggestion.removed,
            "added": suggestion.added,
            "similarity": suggestion.similarity,
            "similarity_parts": {
                "name": suggestion.name,
                "definition": suggestion.definition,
                "path": suggestion.path,
            },
            "bump": RULE.bump.value,
            "category": RULE.bump.category,
            "breaks": [],
        },
    )


def _parts(s: Suggestion) -> str:
    definition = f"definition {s.definition:.0%}, " if s.definition is not None else ""
    return (
        f"score {s.similarity:.0%}; name {s.name:.0%}, {definition}place in the tree {s.path:.0%}"
    )


RULE = Rule("undeclared-rename", Severity.WARNING, Bump.NONE, NOTHING)
