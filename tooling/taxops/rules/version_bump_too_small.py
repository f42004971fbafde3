"""The version moved, but by less than the changes require.

## What it detects
The new `version` is greater than the old one, but the changes need a bigger
bump: a major change (retirement, split, merge, move, removed option...) under
a minor or patch bump, or a minor change under a patch bump. The required bump
is the largest that any finding requires (each rule's bump is in the
catalogue, unless the taxonomy's versioning policy table, `versioning: {bumps:
...}`, sets its own). In `0.y.z` versions, where everything may change, a minor
bump counts as major and a patch bump as minor. Calendar versions
(`versioning: calver`) have no bumps: they only have to increase.

## Why it matters
Datasets, consumers and the migration tooling trust the version: a `2.1.0`
promises that `2.0.0` data is still valid. Checks run whatever bump was
declared; this finding says the declared one is too small. A breaking change
under a non-major bump blocks the merge (exit code 3).

## Example
```yaml
# old
version: 1.1.0
# new: a label was retired
version: 1.2.0
```

## How to fix or migrate
Set `version:` to at least the version the finding names (e.g. `2.0.0`).
"""

from __future__ import annotations

from taxops.diagnostics import Diagnostic, Location, Severity
from taxops.rules.base import NOTHING, Bump, Rule


def diagnose(
    taxonomy: str,
    old: str,
    new: str,
    required: Bump,
    declared: Bump,
    minimum: str,
    location: Location | None,
    previous: Location | None,
) -> Diagnostic:
    return Diagnostic(
        RULE.id,
        RULE.severity,
        f"version {old} to {new} is a {declared.value} bump, but the changes require a "
        f"{required.value} bump",
        location,
        f"set `version: {minimum}` (or higher)",
        previous,
        {
            "taxonomy": taxonomy,
            "old_version": old,
            "new_version": new,
            "required": required.value,
            "declared": declared.value,
            "minimum": minimum,
            "allowed": required is not Bump.MAJOR,
        },
    )


RULE = Rule("version-bump-too-small", Severity.ERROR, Bump.NONE, NOTHING)
