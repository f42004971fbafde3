"""Single sampling plans by AQL: the sample size code letter for a lot size and
inspection level (Table I), and the sample size with acceptance and rejection
numbers for a code letter and AQL under normal, tightened and reduced
inspection (Tables II-A, II-B, II-C), arrows followed.

The tables are MIL-STD-105E's, stored as printed in
:mod:`taxops.quality.sampling_tables` (ANSI/ASQ Z1.4 carries the same; ISO
2859-1 the same Tables I, II-A and II-B). They are data, not a formula: the
printed tables keep to a diagonal pattern almost everywhere, but not everywhere
(Table II-B has no plan for code letter A at AQL 10; Table II-C's rows A to C
share one sample size and their own acceptance numbers), so a generated table
is wrong somewhere.

Arrows: "use the first sampling plan below (above) the arrow", that plan's
sample size with its acceptance and rejection numbers. A few arrows point past
the table's edge (code letter A at AQL 10 points up; row R at AQL 0.015 has no
plan below it): there the first plan the other way is used, as the AQL
Inspector's Rule manual and the AQLSchemes package read the tables, and the
plan's ``note`` says so. When the sample size equals or exceeds the lot size,
every item is inspected (the note under each table).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from functools import cache

from taxops.diagnostics import TaxopsError
from taxops.quality import sampling_tables


class Inspection(str, enum.Enum):
    """Severity of inspection, moved by the switching rules."""

    NORMAL = "normal"
    TIGHTENED = "tightened"
    REDUCED = "reduced"


LEVELS = ("S-1", "S-2", "S-3", "S-4", "I", "II", "III")
LETTERS = "ABCDEFGHJKLMNPQR"
UP, DOWN = "up", "down"

#: A printed cell: (Ac, Re), an arrow, or None (no entry).
Cell = tuple[int, int] | str | None

_TABLE_NAMES = {Inspection.NORMAL: "II-A", Inspection.TIGHTENED: "II-B", Inspection.REDUCED: "II-C"}
_TABLE_TEXT = {
    Inspection.NORMAL: sampling_tables.TABLE_II_A,
    Inspection.TIGHTENED: sampling_tables.TABLE_II_B,
    Inspection.REDUCED: sampling_tables.TABLE_II_C,
}


@dataclass(frozen=True)
class MasterTable:
    """One of Tables II-A/B/C: rows (code letter, sample size, cells by AQL column)."""

    name: str
    aqls: tuple[str, ...]
    rows: tuple[tuple[str, int, tuple[Cell, ...]], ...]

    def row(self, letter: str) -> int:
        for i, (name, _, _) in enumerate(self.rows):
            if name == letter:
                return i
        raise KeyError(letter)


def _cell(token: str) -> Cell:
    if token == "v":
        return DOWN
    if token == "^":
        return UP
    if token == ".":
        return None
    accept, reject = token.split("/")
    return int(accept), int(reject)


@cache
def master_table(inspection: Inspection) -> MasterTable:
    """The printed table for an inspection, parsed from :mod:`sampling_tables`."""
    header, *lines = _TABLE_TEXT[inspection].strip("\n").splitlines()
    aqls = tuple(header.split()[1:])
    rows = []
    for line in lines:
        letter, n, *cells = line.split()
        assert len(cells) == len(aqls), f"Table {_TABLE_NAMES[inspection]} row {letter}"
        rows.append((letter, int(n), tuple(_cell(c) for c in cells)))
    return MasterTable(_TABLE_NAMES[inspection], aqls, tuple(rows))


@cache
def _table_i() -> tuple[tuple[int | None, tuple[str, ...]], ...]:
    header, *lines = sampling_tables.TABLE_I.strip("\n").splitlines()
    assert tuple(header.split()[1:]) == LEVELS
    out = []
    for line in lines:
        upper, *letters = line.split()
        out.append((None if upper == "None" else int(upper), tuple(letters)))
    return tuple(out)


#: The AQL columns of Tables II (percent nonconforming up to 10, nonconformities
#: per hundred items above).
AQLS = master_table(Inspection.NORMAL).aqls


@dataclass(frozen=True)
class Plan:
    """A single sampling plan: inspect ``sample_size`` items; accept the lot with
    at most ``accept`` nonconforming, reject it with ``reject`` or more (under
    reduced inspection a count in between accepts the lot and reinstates normal
    inspection)."""

    lot_size: int
    level: str
    aql: str
    inspection: Inspection
    code_letter: str
    #: The row the plan was read from, after following arrows.
    plan_letter: str
    sample_size: int
    accept: int
    reject: int
    table: str
    note: str = ""

    @property
    def source(self) -> str:
        """Where the plan is printed, in words."""
        return f"MIL-STD-105E Table {self.table}"

    def as_dict(self) -> dict[str, object]:
        return {
            "lot_size": self.lot_size,
            "inspection_level": self.level,
            "aql": self.aql,
            "inspection": self.inspection.value,
            "code_letter": self.code_letter,
            "plan_letter": self.plan_letter,
            "sample_size": self.sample_size,
            "accept": self.accept,
            "reject": self.reject,
            "table": self.source,
            "note": self.note,
        }


def code_letter(lot_size: int, level: str) -> str:
    """Table I: the sample size code letter."""
    if level not in LEVELS:
        raise TaxopsError(f"unknown inspection level '{level}'", f"use one of {', '.join(LEVELS)}")
    if lot_size < 2:
        raise TaxopsError(f"a lot of {lot_size} items cannot be sampled: it needs at least 2")
    column = LEVELS.index(level)
    for upper, letters in _table_i():
        if upper is None or lot_size <= upper:
            return letters[column]
    raise AssertionError("unreachable: the last range is open")


def aql_column(aql: str | float) -> int:
    """The column of an AQL written as in the tables (``0.65``, ``1.0``, ``10``)."""
    try:
        value = float(aql)
    except ValueError:
        value = -1.0
    for i, column in enumerate(AQLS):
        if abs(float(column) - value) < 1e-9:
            return i
    raise TaxopsError(
        f"AQL {aql} is not a column of the sampling tables",
        f"use one of {', '.join(AQLS)}",
    )


@dataclass(frozen=True)
class TablePlan:
    """A master table's plan for a code letter and AQL, arrows followed."""

    letter: str
    sample_size: int
    accept: int
    reject: int
    note: str = ""


def letter_plan(letter: str, aql: str | float, inspection: Inspection) -> TablePlan:
    """Tables II-A/B/C: the plan for a code letter and AQL, arrows followed (an
    arrow pointing past the table's edge is followed the other way)."""
    table = master_table(inspection)
    column = aql_column(aql)
    start = table.row(letter)
    cell = table.rows[start][2][column]
    if isinstance(cell, tuple):
        return TablePlan(letter, table.rows[start][1], *cell)
    assert cell in (UP, DOWN), f"Table {table.name} has no entry for {letter}"
    step = 1 if cell == DOWN else -1
    row = _first_plan(table, start, column, step)
    note = ""
    if row is None:
        row = _first_plan(table, start, column, -step)
        note = (
            f"Table {table.name}'s arrow at code letter {letter} points {cell} past the "
            "table's edge; the first plan the other way is used"
        )
    assert row is not None, f"Table {table.name} column {AQLS[column]} has no plan"
    name, n, cells = table.rows[row]
    found = cells[column]
    assert isinstance(found, tuple)
    return TablePlan(name, n, found[0], found[1], note)


def _first_plan(table: MasterTable, start: int, column: int, step: int) -> int | None:
    row = start + step
    while 0 <= row < len(table.rows):
        if isinstance(table.rows[row][2][column], tuple):
            return row
        row += step
    return None


def single_plan(
    lot_size: int, level: str, aql: str | float, inspection: Inspection = Inspection.NORMAL
) -> Plan:
    """The single sampling plan for a lot (Tables I and II-A/B/C)."""
    letter = code_letter(lot_size, level)
    found = letter_plan(letter, aql, inspection)
    size, note = found.sample_size, found.note
    if size >= lot_size:
        note = (note + "; " if note else "") + "the sample covers the lot: inspect every item"
        size = lot_size
    return Plan(
        lot_size,
        level,
        AQLS[aql_column(aql)],
        inspection,
        letter,
        found.letter,
        size,
        found.accept,
        found.reject,
        master_table(inspection).name,
        note,
    )


def tighter_accept(plan: Plan) -> int | None:
    """For the switching score (ISO 2859-1:1999, 9.3.3.2): the acceptance number
    of the plan's own sample one AQL step tighter, i.e. Table II-A's cell left
    of the plan in the row it was read from. None under tightened or reduced
    inspection, at the first column, or where that cell is an arrow."""
    column = AQLS.index(plan.aql)
    if plan.inspection is not Inspection.NORMAL or column == 0:
        return None
    table = master_table(Inspection.NORMAL)
    cell = table.rows[table.row(plan.plan_letter)][2][column - 1]
    return cell[0] if isinstance(cell, tuple) else None


def table_cell(inspection: Inspection, letter: str, aql: str | float) -> str:
    """A cell of a master table as printed: ``Ac/Re``, ``up``, ``down`` or ``""``
    (no entry)."""
    table = master_table(inspection)
    cell = table.rows[table.row(letter)][2][aql_column(aql)]
    if isinstance(cell, tuple):
        return f"{cell[0]}/{cell[1]}"
    return cell or ""
