"""A taxonomy with no baseline to compare against.

## What it detects
A taxonomy that has no release yet and, with `--against REF`, did not exist at
that ref (matched by `id`, then by path, then by git's rename detection).

## Why it matters
Nothing can break for a taxonomy that had no previous version; the check only
validates it. Reviewers should still know a new label set is being introduced.

## Example
```text
taxonomies/weather-conditions/taxonomy.yaml   (new on this branch)
```

## How to fix or migrate
Nothing to fix. After merge, `taxops release weather-conditions` freezes its
first version.
"""

from __future__ import annotations

from taxops.diagnostics import Diagnostic, Location, Severity
from taxops.rules.base import NOTHING, Bump, Rule


def diagnose(taxonomy: str, version: str, location: Location | None, base: str) -> Diagnostic:
    return Diagnostic(
        RULE.id,
        RULE.severity,
        f"new taxonomy `{taxonomy}` {version}: no earlier version at {base} to compare with",
        location,
        f"after merge, `taxops release {taxonomy}` freezes its first version",
        None,
        {"taxonomy": taxonomy, "new_version": version, "base": base},
    )


RULE = Rule("taxonomy-added", Severity.INFO, Bump.NONE, NOTHING)
