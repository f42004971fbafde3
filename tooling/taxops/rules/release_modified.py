"""A released snapshot was edited or deleted.

## What it detects
A file under `taxonomies/<id>/releases/` whose content no longer has the hash
`taxops release` recorded for it in `releases/SHA256SUMS`, or that the record
lists and the folder no longer has; checked on every `taxops check`, with or
without a git base. With a git base, also a release whose bytes differ from
what git has for it at the base ref (`--against REF`, or `HEAD` when checking
against the last release), or that the base ref has and the working tree no
longer has anywhere (moving a taxonomy folder with its releases is fine).

## Why it matters
A release is what datasets labeled with that version were labeled against,
and it is the baseline every later version is compared with and migrated
from. Editing it rewrites history: old data stops matching its taxonomy and
compatibility checks compare against something that was never released.

## Example
```text
taxonomies/driving-objects/releases/1.1.0.yaml   (edited on this branch)
```

## How to fix or migrate
Restore the file (`git checkout <base> -- <file>`, or from wherever the
release was published) and make the change in `taxonomy.yaml` under a new
version instead. Never edit `SHA256SUMS` by hand.
"""

from __future__ import annotations

from taxops.diagnostics import Diagnostic, Location, Severity
from taxops.rules.base import NOTHING, Bump, Rule


def diagnose(path: str, base: str, deleted: bool) -> Diagnostic:
    message = (
        f"released snapshot {path} was deleted (it exists at {base})"
        if deleted
        else f"released snapshot {path} differs from its content at {base}; releases never change"
    )
    return Diagnostic(
        RULE.id,
        RULE.severity,
        message,
        Location(path),
        f"restore it (git checkout {base} -- {path}) and change taxonomy.yaml under a new "
        "version instead",
        None,
        {"path": path, "base": base, "deleted": deleted},
    )


def diagnose_recorded(path: str, record: str, deleted: bool) -> Diagnostic:
    """The release at ``path`` disagrees with the integrity record ``record``."""
    message = (
        f"released snapshot {path} was deleted (the integrity record {record} lists it)"
        if deleted
        else f"released snapshot {path} was edited: its content no longer has the hash "
        f"recorded in {record}; releases never change"
    )
    return Diagnostic(
        RULE.id,
        RULE.severity,
        message,
        Location(path),
        "restore the released file (git checkout <the commit that released it> -- "
        f"{path}) and make the change in taxonomy.yaml under a new version",
        None,
        {"path": path, "base": record, "deleted": deleted},
    )


RULE = Rule("release-modified", Severity.ERROR, Bump.NONE, NOTHING)
