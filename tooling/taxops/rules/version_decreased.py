"""The version went down.

## What it detects
A new `version` lower than the old one (by semver precedence: `2.0.0-rc.1` is
lower than `2.0.0`).

## Why it matters
Versions only move forward: a lower number would name an older label set, and
tools that pick "the latest release" would pick the wrong one. Usually a merge
that took the old `version:` line from the other side.

## Example
```yaml
# old
version: 2.0.0
# new
version: 1.2.0
```

## How to fix or migrate
Set `version:` above the old one, by at least the bump the changes require.
"""

from __future__ import annotations

from taxops.diagnostics import Diagnostic, Location, Severity
from taxops.rules.base import NOTHING, Bump, Rule


def diagnose(
    taxonomy: str,
    old: str,
    new: str,
    minimum: str | None,
    location: Location | None,
    previous: Location | None,
) -> Diagnostic:
    """``minimum`` is None for calendar versions: any later one will do."""
    return Diagnostic(
        RULE.id,
        RULE.severity,
        f"version went down from {old} to {new}",
        location,
        f"set `version: {minimum}` (or higher)"
        if minimum is not None
        else f"set `version:` to a calendar version after {old}",
        previous,
        {"taxonomy": taxonomy, "old_version": old, "new_version": new, "minimum": minimum},
    )


RULE = Rule("version-decreased", Severity.ERROR, Bump.NONE, NOTHING)
