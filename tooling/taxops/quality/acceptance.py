"""ISO 2859-1 single sampling plans (the same tables as MIL-STD-105E, public
domain): the sample size code letter for a lot size and inspection level
(Table I), and the sample size with acceptance and rejection numbers for a code
letter and AQL under normal, tightened and reduced inspection (Tables II-A,
II-B, II-C), arrows included.

The master tables are diagonal: one row down (a larger sample) is worth one
AQL column to the right, so each cell is a step along a fixed sequence of
plans, counted from the cell where the acceptance number is 0. The sequences
and where each table stops are below; ``tests/quality/data/iso2859_tables.csv``
holds values transcribed from the printed tables to check them.

Arrows: "use the first sampling plan below (above) the arrow", that plan's
sample size with its acceptance and rejection numbers. Where an arrow points
past the edge of the table (row A's up arrow at AQL 10, row R's down arrows at
the smallest AQLs of the normal table) there is no plan that way; taxops follows
the arrow the other way and says so in the plan's ``note``. When the sample size
equals or exceeds the lot size, every item is inspected (the standard's rule).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from taxops.diagnostics import TaxopsError


class Inspection(str, enum.Enum):
    """Severity of inspection, moved by the switching rules."""

    NORMAL = "normal"
    TIGHTENED = "tightened"
    REDUCED = "reduced"


LEVELS = ("S-1", "S-2", "S-3", "S-4", "I", "II", "III")

#: Table I: upper lot size of each range, and the code letter per level.
_TABLE_I: tuple[tuple[int | None, str], ...] = (
    (8, "AAAAAAB"),
    (15, "AAAAABC"),
    (25, "AABBBCD"),
    (50, "ABBCCDE"),
    (90, "BBCCCEF"),
    (150, "BBCDDFG"),
    (280, "BCDEEGH"),
    (500, "BCDEFHJ"),
    (1200, "CCEFGJK"),
    (3200, "CDEGHKL"),
    (10000, "CDFGJLM"),
    (35000, "CDFHKMN"),
    (150000, "DEGJLNP"),
    (500000, "DEGJMPQ"),
    (None, "DEHKNQR"),
)

#: The AQL columns of Tables II (percent nonconforming up to 10, nonconformities
#: per hundred items above).
AQLS = (
    "0.010", "0.015", "0.025", "0.040", "0.065", "0.10", "0.15", "0.25", "0.40", "0.65",
    "1.0", "1.5", "2.5", "4.0", "6.5", "10", "15", "25", "40", "65",
    "100", "150", "250", "400", "650", "1000",
)  # fmt: skip

LETTERS = "ABCDEFGHJKLMNPQR"
_NORMAL_SIZES = (2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800, 1250, 2000)
#: Table II-C: the reduced sample size of each code letter.
_REDUCED_SIZES = (2, 2, 2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800)
#: Table II-B's extra row, reached only by the arrows leaving row R.
_TIGHTENED_S = ("S", 3150, (1, 2))

UP, DOWN = "up", "down"
Cell = tuple[int, int] | str

#: The plans along each table's diagonal, from the cell whose acceptance number is 0.
_NORMAL_STEPS: tuple[Cell, ...] = (
    (0, 1), UP, DOWN, (1, 2), (2, 3), (3, 4), (5, 6), (7, 8), (10, 11), (14, 15),
    (21, 22), (30, 31), (44, 45),
)  # fmt: skip
_TIGHTENED_STEPS: tuple[Cell, ...] = (
    (0, 1), DOWN, DOWN, (1, 2), (2, 3), (3, 4), (5, 6), (8, 9), (12, 13), (18, 19),
    (27, 28), (41, 42),
)  # fmt: skip
_REDUCED_STEPS: tuple[Cell, ...] = (
    (0, 1), UP, DOWN, (0, 2), (1, 3), (1, 4), (2, 5), (3, 6), (5, 8), (7, 10),
    (10, 13), (14, 17), (21, 24),
)  # fmt: skip


@dataclass(frozen=True)
class _Table:
    name: str
    steps: tuple[Cell, ...]
    #: Column of AQL 0.010 plus row index at which the acceptance number is 0.
    offset: int
    #: Last step present for rows A-E (small samples) and for rows F on.
    last_small: int
    last_large: int


_TABLES = {
    Inspection.NORMAL: _Table("II-A", _NORMAL_STEPS, 14, 12, 10),
    Inspection.TIGHTENED: _Table("II-B", _TIGHTENED_STEPS, 15, 11, 9),
    Inspection.REDUCED: _Table("II-C", _REDUCED_STEPS, 14, 12, 10),
}


@dataclass(frozen=True)
class Plan:
    """A single sampling plan: inspect ``sample_size`` items; accept the lot with
    at most ``accept`` nonconforming, reject it with ``reject`` or more (under
    reduced inspection a count in between accepts the lot and restores normal
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
            "table": f"ISO 2859-1 Table {self.table}",
            "note": self.note,
        }


def code_letter(lot_size: int, level: str) -> str:
    """Table I: the sample size code letter."""
    if level not in LEVELS:
        raise TaxopsError(f"unknown inspection level '{level}'", f"use one of {', '.join(LEVELS)}")
    if lot_size < 2:
        raise TaxopsError(f"a lot of {lot_size} items cannot be sampled: it needs at least 2")
    column = LEVELS.index(level)
    for upper, letters in _TABLE_I:
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
        f"AQL {aql} is not a column of the ISO 2859-1 tables",
        f"use one of {', '.join(AQLS)}",
    )


def _rows(inspection: Inspection) -> list[tuple[str, int, int]]:
    """(letter, sample size, effective row on the diagonal) per row."""
    if inspection is Inspection.REDUCED:
        # Rows with equal sample sizes sit on the same step of the diagonal.
        effective = [_NORMAL_SIZES.index(n) for n in _REDUCED_SIZES]
        return list(zip(LETTERS, _REDUCED_SIZES, effective, strict=True))
    return [
        (letter, n, i) for i, (letter, n) in enumerate(zip(LETTERS, _NORMAL_SIZES, strict=True))
    ]


def _cell(table: _Table, effective: int, column: int) -> Cell:
    step = effective + column - table.offset
    # Tables stop earlier for samples above 13 items (rows F on, in normal terms).
    last = table.last_small if effective <= LETTERS.index("E") else table.last_large
    if step < 0:
        return DOWN
    if step > last:
        return UP
    return table.steps[step]


def single_plan(
    lot_size: int, level: str, aql: str | float, inspection: Inspection = Inspection.NORMAL
) -> Plan:
    """The single sampling plan for a lot (Tables I and II-A/B/C)."""
    letter = code_letter(lot_size, level)
    column = aql_column(aql)
    table = _TABLES[inspection]
    rows = _rows(inspection)
    start = LETTERS.index(letter)
    note = ""
    found = _follow(table, rows, start, column, inspection)
    if found is None:
        direction = _cell(table, rows[start][2], column)
        found = _follow(table, rows, start, column, inspection, reverse=True)
        note = f"the table's arrow points {direction} past its edge; the first plan the other way is used"
    assert found is not None
    plan_letter, size, (accept, reject) = found
    if size >= lot_size:
        note = (note + "; " if note else "") + "the sample covers the lot: inspect every item"
        size = lot_size
    return Plan(
        lot_size,
        level,
        AQLS[column],
        inspection,
        letter,
        plan_letter,
        size,
        accept,
        reject,
        table.name,
        note,
    )


def _follow(
    table: _Table,
    rows: list[tuple[str, int, int]],
    start: int,
    column: int,
    inspection: Inspection,
    reverse: bool = False,
) -> tuple[str, int, tuple[int, int]] | None:
    """Walk from a cell along its arrow to the first plan."""
    first = _cell(table, rows[start][2], column)
    if isinstance(first, tuple):
        return rows[start][0], rows[start][1], first
    down = (first == DOWN) != reverse
    row = start
    while True:
        row += 1 if down else -1
        if row < 0:
            return None
        if row >= len(rows):
            if inspection is Inspection.TIGHTENED and down:
                letter, size, plan = _TIGHTENED_S
                return letter, size, plan
            return None
        cell = _cell(table, rows[row][2], column)
        if isinstance(cell, tuple):
            return rows[row][0], rows[row][1], cell


def tighter_accept(plan: Plan) -> int | None:
    """The acceptance number one AQL step tighter at the same code letter, for the
    switching score; None at the first column."""
    column = AQLS.index(plan.aql)
    if column == 0:
        return None
    tighter = single_plan(plan.lot_size, plan.level, AQLS[column - 1], Inspection.NORMAL)
    return tighter.accept


def table_cell(inspection: Inspection, letter: str, aql: str | float) -> str:
    """A cell of a master table as printed: ``Ac/Re``, ``up`` or ``down``."""
    rows = _rows(inspection)
    row = LETTERS.index(letter)
    cell = _cell(_TABLES[inspection], rows[row][2], aql_column(aql))
    return cell if isinstance(cell, str) else f"{cell[0]}/{cell[1]}"
