"""The version to compare against could not be read or is not valid.

## What it detects
The baseline (the last release, a `TAXONOMY@VERSION`, or the file at
`--against REF`) does not parse or does not validate, so the two versions
cannot be compared.

## Why it matters
Without a valid baseline, no compatibility finding can be trusted: the check
reports why and fails rather than passing silently.

## Example
```text
taxonomies/driving-objects/releases/2.0.0.yaml:14:3: invalid YAML
```

## How to fix or migrate
Fix the baseline if it is a file in this branch (never edit a release: restore
it); for a git ref, compare against another ref.
"""

from __future__ import annotations

from taxops.diagnostics import Diagnostic, Location, Severity
from taxops.rules.base import NOTHING, Bump, Rule


def diagnose(taxonomy: str, source: str, reason: str, location: Location | None) -> Diagnostic:
    return Diagnostic(
        RULE.id,
        RULE.severity,
        f"cannot compare `{taxonomy}` with {source}: {reason}",
        location,
        "fix or restore the baseline, or compare against another version",
        None,
        {"taxonomy": taxonomy, "source": source},
    )


RULE = Rule("baseline-unreadable", Severity.ERROR, Bump.NONE, NOTHING)
