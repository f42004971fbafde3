"""Migration maps between releases, kept in the cache: relabeling a dataset
from one release to another reads the map instead of loading both releases,
comparing them and composing the steps.

A map between releases is a function of immutable inputs: the bytes of every
release the migration walks through (named by the version in their file name,
in walking order), the guideline whose decision rules become reviewers' hints
(its bytes), the taxonomy's id, and the taxops code that built it. An entry is
keyed by all of them (:class:`MapKey`, plus the code fingerprint of
:mod:`taxops.cache_entries`), so a release edited behind the cache's back, a
release added between the two, an edited guideline or another taxops is a
miss: the map is built again and its entry replaced. A working
``taxonomy.yaml`` is never part of a cached map (it changes; see
:func:`taxops.history.migration_map`).

An entry is plain JSON read back strictly: every field is checked for its type
and every action and mode must be one taxops knows, so a damaged or forged
entry is a miss, never a map. Compact on purpose (one list per entry, fields at
their defaults left out): at 100,000 labels it is read in a fraction of the
time the releases take: a label kept as it is is written as its id alone.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from taxops.cache_entries import code_fingerprint, folder, read_body, sha256, write_entry
from taxops.collector import paused
from taxops.migration.model import Action, Entry, MigrationMap, Mode, Step, SuggestedLabel

#: The layout of an entry; bumped when it changes, so old entries are misses.
FORMAT = "taxops-map-cache/1"


@dataclass(frozen=True)
class MapKey:
    """What a map between releases is made from."""

    taxonomy: str
    #: Each release the migration walks through, in order: the version its file
    #: is named after, and the SHA-256 of the file's bytes.
    steps: tuple[tuple[str, str], ...]
    #: The SHA-256 of the guideline whose decision rules are the map's hints;
    #: None when the map reads none (a backward map, or no guideline).
    guideline: str | None
    #: The bytes of the releases together: bounds what an entry may weigh.
    release_bytes: int

    def identity(self) -> dict[str, object]:
        """The entry's header fields (lists, as JSON reads them back)."""
        return {
            "format": FORMAT,
            "taxonomy": self.taxonomy,
            "steps": [list(s) for s in self.steps],
            "guideline": self.guideline,
        }


def _entry_path(base: Path, key: MapKey) -> Path:
    """``maps/<walk>.<everything>.json``: one entry per walk through the
    releases' versions; edited files or another taxops replace it (same
    first part), so the folder holds one map per migration a user ran."""
    walk = sha256(json.dumps([key.taxonomy, [v for v, _ in key.steps]]).encode())[:32]
    full = sha256(json.dumps([key.identity(), code_fingerprint()]).encode())[:16]
    return base / "maps" / f"{walk}.{full}.json"


def read(key: MapKey) -> MigrationMap | None:
    """The map cached for ``key``, or None (a miss: no entry, or one that is
    damaged, stale or not a map)."""
    base = folder()
    if base is None:
        return None
    path = _entry_path(base, key)
    body = read_body(path, key.identity(), 8 * key.release_bytes + 2**20)
    if body is None:
        return None
    try:
        with paused():  # 100,000 entries: nothing for the collector to find
            return map_from_plain(json.loads(body))
    except (ValueError, KeyError, TypeError, IndexError):
        return None


def write(key: MapKey, migration: MigrationMap) -> None:
    """Keep the map built for ``key`` (silently not, when the cache is off or
    cannot be written)."""
    base = folder()
    if base is None:
        return
    path = _entry_path(base, key)
    body = json.dumps(map_to_plain(migration), ensure_ascii=False, separators=(",", ":"))
    write_entry(path, key.identity(), body.encode(), stale_prefix=path.name.split(".")[0] + ".")


# --- the map as compact plain data ---------------------------------------------


def map_to_plain(migration: MigrationMap) -> dict[str, Any]:
    """The map as JSON-ready data: each entry a list of its fields in order,
    the trailing ones at their default left out."""
    return {
        "taxonomy": migration.taxonomy,
        "from": migration.from_version,
        "to": migration.to_version,
        "kind": migration.kind,
        "id_case": migration.id_case,
        "valid_labels": list(migration.valid_labels),
        "deprecated_labels": list(migration.deprecated_labels),
        "entries": [_entry_to_plain(e) for e in migration.entries],
    }


def map_from_plain(data: dict[str, Any]) -> MigrationMap:
    """Read back :func:`map_to_plain`'s data, checking every value; TypeError,
    ValueError or KeyError when it is not such data."""
    if type(data) is not dict:
        raise TypeError("not a map")
    entries = data["entries"]
    if type(entries) is not list:
        raise TypeError("no entries")
    return MigrationMap(
        taxonomy=_text(data["taxonomy"]),
        from_version=_text(data["from"]),
        to_version=_text(data["to"]),
        kind=_text(data["kind"]),
        entries=tuple(_entry_from_plain(e) for e in entries),
        valid_labels=_texts(data["valid_labels"]),
        deprecated_labels=_texts(data["deprecated_labels"]),
        id_case=_text(data["id_case"]),
    )


def _entry_to_plain(entry: Entry) -> str | list[Any]:
    """A label kept as it is (most of them) is its id alone; any other entry
    the list of its fields."""
    if entry == Entry.kept(entry.label):
        return entry.label
    values = [_CODECS[f.name][0](getattr(entry, f.name)) for f in _FIELDS]
    while len(values) > _REQUIRED and values[-1] == _DEFAULTS[len(values) - 1]:
        values.pop()
    return values


def _entry_from_plain(values: Any) -> Entry:
    if type(values) is str:
        return Entry.kept(values)
    if type(values) is not list or not _REQUIRED <= len(values) <= len(_FIELDS):
        raise TypeError("not an entry")
    if len(values) == _REQUIRED:  # most entries: a label kept or relabeled, nothing more
        label, action, mode, targets = values
        return Entry(_text(label), _ACTIONS[action], _MODES[mode], _texts(targets))
    return Entry(*(_CODECS[f.name][1](v) for f, v in zip(_FIELDS, values, strict=False)))


# Each field of an entry: how it is written, and how it is read back (checked).


def _text(value: Any) -> str:
    if type(value) is not str:
        raise TypeError("not a text")
    return value


def _optional_text(value: Any) -> str | None:
    return None if value is None else _text(value)


def _texts(value: Any) -> tuple[str, ...]:
    if type(value) is not list:
        raise TypeError("not a list of texts")
    for item in value:
        if type(item) is not str:
            raise TypeError("not a text")
    return tuple(value)


def _flag(value: Any) -> bool:
    if type(value) is not bool:
        raise TypeError("not a flag")
    return value


def _pair(value: Any) -> tuple[str, str] | None:
    """A display name (before, after)."""
    if value is None:
        return None
    if type(value) is not list or len(value) != 2:
        raise TypeError("not a pair")
    return (_text(value[0]), _text(value[1]))


def _parents(value: Any) -> tuple[str | None, str | None] | None:
    """A parent (before, after); a top-level label has none."""
    if value is None:
        return None
    if type(value) is not list or len(value) != 2:
        raise TypeError("not a pair")
    return (_optional_text(value[0]), _optional_text(value[1]))


def _score(value: Any) -> float:
    if type(value) not in (int, float):
        raise TypeError("not a score")
    return float(value)


def _steps_to_plain(steps: tuple[Step, ...]) -> list[Any]:
    return [[s.from_version, s.to_version, s.label, s.action.value, list(s.targets)] for s in steps]


def _rows(value: Any, width: int) -> list[list[Any]]:
    """A list of lists of ``width`` items each."""
    if type(value) is not list or not all(type(r) is list and len(r) == width for r in value):
        raise TypeError(f"not a list of {width}-item lists")
    return value


def _steps_from_plain(value: Any) -> tuple[Step, ...]:
    return tuple(
        Step(_text(start), _text(end), _text(label), _ACTIONS[action], _texts(targets))
        for start, end, label, action, targets in _rows(value, 5)
    )


def _suggestions_to_plain(found: tuple[SuggestedLabel, ...]) -> list[Any]:
    return [[s.label, s.score, s.name, s.definition, s.path] for s in found]


def _suggestions_from_plain(value: Any) -> tuple[SuggestedLabel, ...]:
    return tuple(
        SuggestedLabel(
            _text(label),
            _score(score),
            _score(name),
            None if definition is None else _score(definition),
            _score(path),
        )
        for label, score, name, definition, path in _rows(value, 5)
    )


def _same(value: Any) -> Any:
    return value


def _listed(value: tuple[Any, ...] | None) -> list[Any] | None:
    return None if value is None else list(value)


def _enum_value(value: Action | Mode) -> str:
    return str(value.value)


_ACTIONS: dict[Any, Action] = {a.value: a for a in Action}
_MODES: dict[Any, Mode] = {m.value: m for m in Mode}

#: Field name -> (to plain data, from plain data). Every field of
#: :class:`~taxops.migration.model.Entry` has one (a test holds it).
_CODECS: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {
    "label": (_same, _text),
    "action": (_enum_value, lambda v: _ACTIONS[v]),
    "mode": (_enum_value, lambda v: _MODES[v]),
    "targets": (list, _texts),
    "hints": (list, _texts),
    "deprecated": (_same, _flag),
    "renamed": (_listed, _pair),
    "moved": (_listed, _parents),
    "note": (_same, _optional_text),
    "via": (_steps_to_plain, _steps_from_plain),
    "narrowed_to": (list, _texts),
    "suggestions": (_suggestions_to_plain, _suggestions_from_plain),
}
_FIELDS = fields(Entry)
#: label, action, mode, targets: always written.
_REQUIRED = 4
#: Each field's default, as plain data (None for the required ones).
_DEFAULTS = [
    None if f.default is f.default_factory else _CODECS[f.name][0](f.default) for f in _FIELDS
]
