"""An id used in an earlier release comes back with another meaning.

## What it detects
A label of the new version whose id an earlier release used with another
meaning (another name or definition), and that left use since: dropped from a
release (its tombstone deleted), or retired. Every release is read, not only
the last, so an id dropped in one release and re-added in the next is caught.
An id the new version declares as deliberately reused for another meaning (a
publisher's crosswalk) is reported too.

## Why it matters
A label id is what datasets store. Items labeled with the old meaning still
carry the id: after the reuse they silently read as the new meaning, and a
model trained on the old data learns the wrong thing. It breaks **data** and
**consumers**, and needs a **major** version. A declared reuse routes the old
items, but a team may still forbid reuse: `ids: {reuse: forbidden}` (the
default) keeps it an error that blocks; `ids: {reuse: declared}` accepts a
declared reuse and reports it as a warning.

Breaks: data and consumers (an undeclared reuse, or a declared one the policy
forbids).

## Example
```yaml
# 1.0.0
  - {id: vehicle.tram, name: Tram}
# 2.0.0: retired, then its tombstone deleted in 2.1.0
  - {id: vehicle.tram, name: Tram, status: retired, replaced_by: [vehicle.rail]}
# 3.0.0
  - {id: vehicle.tram, name: Tractor}
```

## How to fix or migrate
Give the new meaning a new id (`vehicle.tractor`), and keep the old id's
tombstone from now on. If the publisher reuses the code on purpose, declare
where the items with the old meaning go, and allow declared reuse in `ids:`.
"""

from __future__ import annotations

import hashlib

from taxops.changes.reuse import Reuse
from taxops.diagnostics import Diagnostic, Location, Severity
from taxops.models.ids import IdReuse
from taxops.rules.base import BOTH, Bump, Rule


def diagnose(
    reuse: Reuse,
    taxonomy: str,
    before: str,
    left: str | None,
    policy: IdReuse,
    location: Location | None,
    previous: Location | None,
) -> Diagnostic:
    """``before``: the version with the old meaning; ``left``: the first one
    without the id in use since (None for a declared reuse in use throughout)."""
    label = reuse.label
    old = reuse.before.label
    if left is None:
        meaning = f'it meant "{old.name}" in {before} and now means "{label.name}"'
    elif left == before:
        meaning = f'it meant "{old.name}" until retired in {before}, and now "{label.name}"'
    else:
        meaning = (
            f'it meant "{old.name}" in {before}, left use in {left}, and now means "{label.name}"'
        )
    allowed = reuse.declared and policy is IdReuse.DECLARED
    if not reuse.declared:
        message = f"label id `{label.id}` comes back with another meaning: {meaning}"
        hint = (
            f"give the new meaning a new id and keep `{label.id}` retired: items labeled "
            "with the old meaning still carry it"
        )
    elif allowed:
        message = f"label id `{label.id}` is reused, as declared, for another meaning: {meaning}"
        hint = "bump the major version and tell consumers the id changed meaning"
    else:
        message = (
            f"label id `{label.id}` is reused for another meaning, which this taxonomy's "
            f"policy forbids (ids: reuse: forbidden): {meaning}"
        )
        hint = (
            "give the new meaning a new id, or allow declared reuse with "
            "'ids: {..., reuse: declared}'"
        )
    return Diagnostic(
        RULE.id,
        Severity.WARNING if allowed else RULE.severity,
        message,
        location,
        hint,
        previous,
        {
            "taxonomy": taxonomy,
            "label": label.id,
            "bump": RULE.bump.value,
            "category": RULE.bump.category,
            "breaks": [] if allowed else sorted(d.value for d in BOTH),
            "old_version": before,
            "declared": reuse.declared,
            "fingerprint": hashlib.sha256(f"{RULE.id}|{taxonomy}|{label.id}".encode()).hexdigest()[
                :12
            ],
        },
    )


RULE = Rule("retired-id-reused", Severity.ERROR, Bump.MAJOR, BOTH)
