"""Chaining release-to-release maps into one: 1.0.0 -> 3.0.0 through every
release in between.

Each old label is followed through every step with :func:`then`, the same rule
that resolves tombstone chains inside one version, so composing the step maps
gives what migrating step by step gives (the property tests check it).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from taxops.diagnostics import TaxopsError
from taxops.migration.model import Entry, MigrationMap, Mode, Step
from taxops.migration.outcome import OPEN, Outcome, name_action, then


def compose(maps: Sequence[MigrationMap]) -> MigrationMap:
    """One map equivalent to applying ``maps`` in order. Each map must start at
    the version the previous one ends at."""
    if not maps:
        raise TaxopsError("no migration steps to compose")
    for before, after in itertools.pairwise(maps):
        if before.to_version != after.from_version or before.taxonomy != after.taxonomy:
            raise TaxopsError(
                f"cannot chain {before.taxonomy} {before.from_version} -> {before.to_version} "
                f"with {after.taxonomy} {after.from_version} -> {after.to_version}"
            )
    last = maps[-1]
    deprecated = set(last.deprecated_labels)
    entries = [_follow(first, maps, deprecated) for first in maps[0].entries]
    return MigrationMap(
        taxonomy=maps[0].taxonomy,
        from_version=maps[0].from_version,
        to_version=last.to_version,
        kind=last.kind,
        entries=tuple(entries),
        valid_labels=last.valid_labels,
        deprecated_labels=last.deprecated_labels,
        id_case=maps[0].id_case,
    )


def _outcome(entry: Entry) -> Outcome:
    return Outcome(Mode.DIRECT if entry.mode is Mode.KEEP else entry.mode, entry.targets)


def _follow(first: Entry, maps: Sequence[MigrationMap], deprecated: set[str]) -> Entry:
    steps: list[Step] = []
    touched: list[Entry] = []

    def record(m: MigrationMap, entry: Entry) -> None:
        touched.append(entry)
        if entry.mode is not Mode.KEEP:
            steps.append(
                Step(m.from_version, m.to_version, entry.label, entry.action, entry.targets)
            )

    record(maps[0], first)
    outcome = _outcome(first)
    for m in maps[1:]:

        def step(label: str, m: MigrationMap = m) -> Outcome:
            if label not in m:
                return OPEN
            record(m, m[label])
            return _outcome(m[label])

        outcome = then(outcome, step)
    action, mode = name_action(first.label, [e.action for e in touched], outcome)
    kept = mode is Mode.KEEP
    return Entry(
        label=first.label,
        action=action,
        mode=mode,
        targets=outcome.targets,
        hints=tuple(dict.fromkeys(h for e in touched for h in e.hints))
        if mode is Mode.REVIEW
        else (),
        deprecated=mode is not Mode.REVIEW and any(t in deprecated for t in outcome.targets),
        renamed=_span([e.renamed for e in touched]) if kept else None,
        moved=_span([e.moved for e in touched]) if kept else None,
        note=next((e.note for e in reversed(touched) if e.note), None),
        via=tuple(steps),
    )


def _span(pairs: list[Any]) -> Any:
    """(first before, last after) across steps; None if it came back to the start."""
    present = [p for p in pairs if p is not None]
    if not present:
        return None
    span = (present[0][0], present[-1][1])
    return None if span[0] == span[1] else span
