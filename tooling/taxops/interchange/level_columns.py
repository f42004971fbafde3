"""A table with a pair of columns per level, one row per leaf: how UNSPSC
(``Segment, Segment Title, Family, Family Title, Class, Class Title,
Commodity, Commodity Title``) and GS1's GPC (``Segment Code, Segment
Description, ... Brick Code, Brick Description``) are published.

Each row is a path from the top level down; every code on it becomes a label
once, under the code to its left. This is the only shape in which padded codes
(``10101500``) say their tree, so it is read before anything else.

A level is known by its headers: the same words (``Family``) with a code or
no role word (``Family``, ``Family Code``), and with a name (``Family Title``,
``Family Name``, or ``Family Description`` when there is no title). A
``Family Definition`` column (or a description beside a title) gives the
definition.
"""

from __future__ import annotations

from dataclasses import dataclass

from taxops.diagnostics import TaxopsError
from taxops.interchange.imported import ImportedLabel, is_label_id, slug, unique
from taxops.interchange.table_header import CODE_WORDS, NAME_WORDS, plain_words

_CODE = CODE_WORDS | {"key"}  # a level's key column is its code here
_NAME = NAME_WORDS
_DESCRIPTION = frozenset({"description", "desc", "text"})
_DEFINITION = frozenset({"definition", "definitions", "scope"})
_ROLE = _CODE | _NAME | _DESCRIPTION | _DEFINITION


@dataclass
class Level:
    """The columns of one level: its code, its name and, maybe, its definition."""

    name: str
    code: int
    title: int
    definition: int | None = None


def levels(header: list[str]) -> list[Level]:
    """The levels the header names, left to right; fewer than two: not this shape."""
    groups: dict[tuple[str, ...], dict[str, list[int]]] = {}
    for i, h in enumerate(header):
        words = plain_words(h)
        key = tuple(w for w in words if w not in _ROLE)
        if not key or not words:
            continue
        roles = set(words) & _ROLE
        kind = (
            "code"
            if roles & _CODE or not roles
            else "name"
            if roles & _NAME
            else "description"
            if roles & _DESCRIPTION
            else "definition"
        )
        groups.setdefault(key, {}).setdefault(kind, []).append(i)
    out = []
    for key, cols in groups.items():
        names = cols.get("name") or cols.get("description")
        if not cols.get("code") or not names:
            continue
        described = cols.get("description") if cols.get("name") else None
        definitions = cols.get("definition") or described
        definition = definitions[0] if definitions else None
        out.append(Level(" ".join(key), cols["code"][0], names[0], definition))
    out.sort(key=lambda level: level.code)
    return out if len(out) >= 2 else []


def labels_from_levels(
    rows: list[list[str]], found: list[Level], origin: str
) -> tuple[list[ImportedLabel], list[str]]:
    """Every code on every row, once, under the code to its left (the
    report says where a code sits under two parents: the first is kept)."""
    notes: list[str] = []
    labels: dict[str, ImportedLabel] = {}
    ids: dict[str, str] = {}  # the code as written -> its id
    taken: set[str] = set()
    for line, row in enumerate(rows[1:], start=2):
        parent: str | None = None
        for level in found:
            code = row[level.code].strip() if level.code < len(row) else ""
            name = row[level.title].strip() if level.title < len(row) else ""
            if not code:
                continue
            label_id = ids.get(code)
            if label_id is None and not name:
                # As a table of one code a row skips a row without a name; the
                # codes right of it on the row have no parent to go under.
                notes.append(
                    f"{origin}:{line}: the {level.name} {code!r} has no name: skipped, with "
                    "the codes right of it on this row"
                )
                break
            if label_id is None:
                label_id = unique(code if is_label_id(code) else slug(code), taken)
                ids[code] = label_id
                if label_id != code:
                    notes.append(
                        f"{origin}:{line}: {code!r} cannot be an id as it is: its id is '{label_id}'"
                    )
                definition = (
                    row[level.definition].strip()
                    if level.definition is not None and level.definition < len(row)
                    else ""
                )
                labels[label_id] = ImportedLabel(
                    id=label_id, name=name, parent=parent, definition=definition or None
                )
            elif labels[label_id].parent != parent:
                notes.append(
                    f"{origin}:{line}: {level.name} {code!r} is under {parent!r} here and "
                    f"under {labels[label_id].parent!r} above: the first is kept"
                )
            parent = label_id
    if not labels:
        raise TaxopsError(f"{origin} has no codes under its level columns")
    shown = ", ".join(level.name for level in found)
    notes.insert(0, f"read as a pair of columns (code, name) per level: {shown}")
    used = {i for level in found for i in (level.code, level.title, level.definition)}
    extra = [h for i, h in enumerate(rows[0]) if i not in used and h.strip()]
    if extra:
        notes.insert(1, f"columns not carried over: {', '.join(h.strip() for h in extra)}")
    return list(labels.values()), notes
