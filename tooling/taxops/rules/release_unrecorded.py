"""A release file is not in the integrity record.

## What it detects
A file under `taxonomies/<id>/releases/` that `releases/SHA256SUMS` (the
integrity record `taxops release` keeps) has no line for: a release copied in
by hand, or released before taxops kept the record.

## Why it matters
Without its recorded hash, an edit to the release would go unnoticed where
there is no git history to compare with.

## Example
```text
taxonomies/driving-objects/releases/1.0.0.yaml   (not in releases/SHA256SUMS)
```

## How to fix or migrate
Check the release is as it was released, then run `taxops release`: it records
every release that has no line yet (and never changes a line once written).
Commit `SHA256SUMS`.
"""

from __future__ import annotations

from taxops.diagnostics import Diagnostic, Location, Severity
from taxops.rules.base import NOTHING, Bump, Rule


def diagnose(paths: list[str], record: str, location: Location) -> Diagnostic:
    shown = ", ".join(paths[:5]) + (f" and {len(paths) - 5} more" if len(paths) > 5 else "")
    return Diagnostic(
        RULE.id,
        RULE.severity,
        f"{'release' if len(paths) == 1 else f'{len(paths)} releases'} not in the integrity "
        f"record {record}: {shown}",
        location,
        "check they are as released, then run taxops release to record them; commit "
        f"{record.rsplit('/', 1)[-1]}",
        None,
        {"paths": paths, "record": record},
    )


RULE = Rule("release-unrecorded", Severity.WARNING, Bump.NONE, NOTHING)
