"""A taxonomy that exists at the base ref is gone.

## What it detects
With `--against REF`: a taxonomy present at the ref (matched by id, path or
rename) that the working tree no longer has.

## Why it matters
Every dataset labeled with it, every guideline and policy citing it, loses its
definition: it breaks **data** and **consumers**. Taxonomies are retired, not
deleted: keep the file with every label retired.

Breaks: data and consumers.

## Example
```text
taxonomies/support-intents/taxonomy.yaml   (deleted on this branch)
```

## How to fix or migrate
Restore the file. To stop using the taxonomy, retire its labels in a major
version and keep the file and its releases.
"""

from __future__ import annotations

from taxops.diagnostics import Diagnostic, Location, Severity
from taxops.rules.base import BOTH, Bump, Rule


def diagnose(taxonomy: str, path: str, base: str) -> Diagnostic:
    return Diagnostic(
        RULE.id,
        RULE.severity,
        f"taxonomy `{taxonomy}` ({path} at {base}) was deleted",
        None,
        "restore it; to stop using a taxonomy, retire its labels and keep the file",
        Location(path),
        {
            "taxonomy": taxonomy,
            "path": path,
            "base": base,
            "breaks": ["consumers", "data"],
            "allowed": False,
        },
    )


RULE = Rule("taxonomy-removed", Severity.ERROR, Bump.MAJOR, BOTH)
