"""Where each label of a table of rows gets its parent: the parent column
(read through the export's own keys when it names rows by them), a level
column, or the codes themselves (:mod:`~taxops.interchange.code_hierarchy`),
whichever the table has, or ``taxops import --parents-from`` asks for. The
report says which, and where two of them disagree."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from taxops.diagnostics import TaxopsError
from taxops.interchange.code_hierarchy import (
    is_section,
    padded_to_one_width,
    parents_from_codes,
    parents_from_levels,
    parents_from_padding,
)
from taxops.interchange.imported import ImportedLabel, is_slug

#: Where a row's parent comes from (``taxops import --parents-from``).
PARENT_SOURCES = ("column", "level", "codes", "none")


@dataclass(frozen=True)
class Rows:
    """The table the labels were read from: its header, the rows that made a
    label (one a label, in order), which column holds what, and each of those
    rows' code (as written) and level (as written, maybe empty)."""

    header: list[str]
    rows: list[list[str]]
    columns: dict[str, int]
    ids: list[str]
    levels: list[str]


def assign_parents(
    table: Rows,
    labels: list[ImportedLabel],
    notes: list[str],
    origin: str,
    parents_from: str | None,
    code_levels: Sequence[int] | None = None,
) -> None:
    """Each label's parent, as the table says it (``labels`` hold the parent
    column's values when there is one). ``code_levels``: the digits each level
    of padded codes takes (``--code-levels``), which says the parents are in
    the codes."""
    col, levels, raw_ids = table.columns, table.levels, table.ids
    if code_levels:
        found = parents_from_padding(raw_ids, code_levels)
        note_code_parents(found, raw_ids, notes, code_levels)
        for label, raw in zip(labels, raw_ids, strict=True):
            label.parent = found.get(raw)
        return
    source = _parent_source(col, levels, raw_ids, origin, parents_from)
    if source == "column":
        _parents_through_keys(table, labels, notes)
    by_code = parents_from_codes(raw_ids) if source in ("codes", "level") else {}
    by_level: list[int | None] = []
    if source == "level":
        by_level = parents_from_levels([int(v) for v in levels])
        if parents_from is None and _codes_explain(by_code, raw_ids, levels):
            source = "codes"  # the codes hold in any row order; levels need the tree's order
    if source == "level":
        for label, parent in zip(labels, by_level, strict=True):
            label.parent = None if parent is None else labels[parent].id
        notes.append(
            "parents are read from the levels: each row's parent is the row above it one level up"
        )
    elif source == "codes":
        for label, raw in zip(labels, raw_ids, strict=True):
            label.parent = by_code.get(raw)
        note_code_parents(by_code, raw_ids, notes)
        if by_level:
            differ = sum(
                by_code.get(raw) != (None if p is None else raw_ids[p])
                for raw, p in zip(raw_ids, by_level, strict=True)
            )
            if differ:
                notes.append(
                    f"rows whose level puts them under another row than their code does: "
                    f"{differ:,} (the table is not in the tree's order); the codes are taken "
                    "(--parents-from level takes the rows' order)"
                )
    elif source == "none":
        for label in labels:
            label.parent = None


def note_code_parents(
    found: dict[str, str],
    codes: Sequence[str],
    notes: list[str],
    widths: Sequence[int] | None = None,
) -> None:
    """The report's line on parents read from the codes (``found``, by their
    prefixes and ranges, or by their padding when ``widths`` is given), or on
    why codes padded to one width got none."""
    if widths:
        shown = ", ".join(str(w) for w in widths)
        notes.append(
            f"parents are read from the codes' padding (levels of {shown} digits): "
            f"{len(found):,} of {len(codes):,} codes are under another"
        )
    elif found:
        sectioned = sum(
            is_section(parent) and not is_section(code) for code, parent in found.items()
        )
        notes.append(
            f"parents are read from the codes: {len(found) - sectioned:,} of {len(codes):,} codes "
            "are inside a shorter code or a range (as '111' is in '11' and '311' in '31-33')"
            + (
                f", and {sectioned:,} under the lettered section listed above them (as ISIC's "
                "'01' is in 'A')"
                if sectioned
                else ""
            )
        )
    elif padded_to_one_width(codes):
        notes.append(
            "the codes are padded to one width, so which zeros mark a level is not known: "
            "the labels are imported without parents (--code-levels says the digits of each "
            "level, 2,2,2,2 for UNSPSC; or give a parent or level column)"
        )


def _parents_through_keys(table: Rows, labels: list[ImportedLabel], notes: list[str]) -> None:
    """A database's export names a row's parent by a key of its own (``Key,
    Parent key, Code, Title``): when most parents are no codes of the table,
    the column whose values name every row once and hold those parents is the
    key, and each parent is read through it as the code of its row."""
    parents = {label.parent for label in labels if label.parent}
    known = set(table.ids)
    unknown = parents - known
    if not parents or len(unknown) * 2 < len(parents):
        return  # the parent column names codes (a few strays go to the top level)
    for i, name in enumerate(table.header):
        if i in table.columns.values():
            continue
        values = [row[i].strip() if i < len(row) else "" for row in table.rows]
        if "" in values or len(set(values)) != len(values) or not unknown <= set(values):
            continue
        by_key = dict(zip(values, (label.id for label in labels), strict=True))
        for label in labels:
            if label.parent is not None:
                label.parent = by_key.get(label.parent, label.parent)
        notes.append(
            f"the parent column names rows by their {name.strip()!r}, not by their code: "
            "parents are read through it"
        )
        return


def _codes_explain(by_code: dict[str, str], ids: list[str], levels: list[str]) -> bool:
    """Whether the codes give every row below the top level a parent one
    level up: then they say what the levels say, in whatever order the rows are."""
    level_of = dict(zip(ids, (int(v) for v in levels), strict=True))
    top = min(level_of.values(), default=0)
    return bool(by_code) and all(
        (code in by_code and level_of[by_code[code]] == level - 1)
        if level > top
        else code not in by_code
        for code, level in level_of.items()
    )


#: A level as tables write it: a whole number (ASCII digits; no ``²``, and not
#: so long that reading it as a number is refused).
_LEVEL = re.compile(r"[0-9]{1,9}")


def _parent_source(
    col: dict[str, int], levels: list[str], ids: list[str], origin: str, asked: str | None
) -> str:
    """Where the parents come from: what was asked, else the parent column,
    else the level column (when every row has a whole number), else the codes
    (when they are codes, not names made into ids)."""
    by_level = "level" in col and all(_LEVEL.fullmatch(v) for v in levels)
    if asked == "column" and "parent" not in col:
        raise TaxopsError(
            f"{origin} has no parent column", "leave out --parents-from, or name one 'parent'"
        )
    if asked == "level" and not by_level:
        problem = (
            "has no level column" if "level" not in col else "has a level that is not a number"
        )
        raise TaxopsError(
            f"{origin} {problem}",
            "give every row a level (1, 2, 3...), or leave out --parents-from",
        )
    if asked is not None:
        return asked
    if "parent" in col:
        return "column"
    if by_level:
        return "level"
    return "codes" if not all(is_slug(i) for i in ids) else "column"
