"""A released snapshot's `version:` disagrees with its file name.

## What it detects
A file `releases/<version>.yaml` whose `version:` field says something else, or
whose taxonomy `id` is not the id of the taxonomy folder it sits in.

## Why it matters
`TAXONOMY@VERSION`, the transitive checks and the migration tooling find a
release by its file name; a mismatch makes them compare or migrate against the
wrong label set.

## Example
```text
taxonomies/driving-objects/releases/1.1.0.yaml:   version: 1.0.0
```

## How to fix or migrate
Releases are written by `taxops release`, which names the file after the
version. Rename the file to its version, or restore the original.
"""

from __future__ import annotations

from taxops.diagnostics import Diagnostic, Location, Severity
from taxops.rules.base import NOTHING, Bump, Rule


def diagnose(
    path: str, what: str, found: str, expected: str, location: Location | None
) -> Diagnostic:
    return Diagnostic(
        RULE.id,
        RULE.severity,
        f"released snapshot {path} has {what} {found}, but its place says {expected}",
        location or Location(path),
        "releases are written by `taxops release`; rename the file or restore the original",
        None,
        {"path": path, "field": what, "found": found, "expected": expected},
    )


RULE = Rule("release-version-mismatch", Severity.ERROR, Bump.NONE, NOTHING)
