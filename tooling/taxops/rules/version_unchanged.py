"""The content changed but the version did not.

## What it detects
Two versions with the same `version:` whose content differs (any change the
change set reports, down to a note or the order of labels; comments and
formatting are not content).

## Why it matters
A version names one exact label set. Two different files both called `2.0.0`
make every dataset labeled "with 2.0.0" ambiguous, and a released snapshot
must never change. Checks run as for any bump; if the changes require a major
bump, the finding blocks the merge (exit code 3).

## Example
```yaml
# old
version: 2.0.0
# new: a label was added, version untouched
version: 2.0.0
```

## How to fix or migrate
Bump `version:` by at least what the changes require (the finding names it);
with calendar versions, set a later one.
"""

from __future__ import annotations

from taxops.diagnostics import Diagnostic, Location, Severity
from taxops.rules.base import NOTHING, Bump, Rule


def diagnose(
    taxonomy: str,
    version: str,
    required: Bump,
    minimum: str | None,
    count: int,
    location: Location | None,
    previous: Location | None,
) -> Diagnostic:
    """``minimum`` is None for calendar versions: any later one will do."""
    changed = f"{count} change{'s' if count != 1 else ''} but the version is still {version}; "
    if minimum is None:
        message = changed + "a changed taxonomy needs a later version"
        hint = f"set `version:` to a calendar version after {version}"
    else:
        they = "they require" if count != 1 else "it requires"
        message = changed + f"{they} a {required.value} bump"
        hint = f"set `version: {minimum}` (or higher)"
    return Diagnostic(
        RULE.id,
        RULE.severity,
        message,
        location,
        hint,
        previous,
        {
            "taxonomy": taxonomy,
            "old_version": version,
            "new_version": version,
            "required": required.value,
            "declared": "none",
            "minimum": minimum,
            "allowed": required is not Bump.MAJOR,
        },
    )


RULE = Rule("version-unchanged", Severity.ERROR, Bump.NONE, NOTHING)
