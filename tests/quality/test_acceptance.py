"""ISO 2859-1 single sampling against values transcribed from the printed tables
(``data/iso2859_*.csv``, tests as data), and the switching rules."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from taxops.diagnostics import TaxopsError
from taxops.quality.acceptance import (
    LEVELS,
    Inspection,
    code_letter,
    single_plan,
    table_cell,
)
from taxops.quality.switching import LotResult, State, replay

DATA = Path(__file__).parent / "data"
TABLES = {"II-A": Inspection.NORMAL, "II-B": Inspection.TIGHTENED, "II-C": Inspection.REDUCED}


def _rows(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


CODE_LETTERS = _rows("iso2859_code_letters.csv")
CELLS = _rows("iso2859_cells.csv")


@pytest.mark.parametrize("row", CODE_LETTERS, ids=lambda r: f"{r['low']}-{r['high']}")
def test_code_letters_at_both_ends_of_each_lot_range(row: dict[str, str]) -> None:
    ends = [int(row["low"])] + ([int(row["high"])] if row["high"] != "over" else [10**7])
    for lot in ends:
        assert [code_letter(lot, level) for level in LEVELS] == [row[lv] for lv in LEVELS]


@pytest.mark.parametrize("row", CELLS, ids=lambda r: f"{r['table']}-{r['letter']}-{r['aql']}")
def test_master_table_cell(row: dict[str, str]) -> None:
    assert table_cell(TABLES[row["table"]], row["letter"], row["aql"]) == row["cell"]


@pytest.mark.parametrize(
    ("lot", "level", "aql", "inspection", "expected"),
    [
        # lot 1,300 at level II is K (125): the textbook example at AQL 1.0.
        (1300, "II", "1.0", Inspection.NORMAL, ("K", "K", 125, 3, 4)),
        (1300, "II", "1.0", Inspection.TIGHTENED, ("K", "K", 125, 2, 3)),
        (1300, "II", "4.0", Inspection.NORMAL, ("K", "K", 125, 10, 11)),
        # H at 0.65 is a down arrow: J's plan, 80 items, Ac 1.
        (500, "II", "0.65", Inspection.NORMAL, ("H", "J", 80, 1, 2)),
        # G at 0.65 is an up arrow: F's plan, 20 items, Ac 0.
        (200, "II", "0.65", Inspection.NORMAL, ("G", "F", 20, 0, 1)),
        # K at 15 tightened is an up arrow to J (80 items, 18/19).
        (2000, "II", "15", Inspection.TIGHTENED, ("K", "J", 80, 18, 19)),
        (10, "S-1", "1000", Inspection.NORMAL, ("A", "A", 2, 30, 31)),
        (60000, "III", "0.10", Inspection.NORMAL, ("P", "P", 800, 2, 3)),
        (60000, "I", "0.010", Inspection.NORMAL, ("L", "Q", 1250, 0, 1)),
    ],
)
def test_plans_for_lots(
    lot: int, level: str, aql: str, inspection: Inspection, expected: tuple[object, ...]
) -> None:
    plan = single_plan(lot, level, aql, inspection)
    assert (plan.code_letter, plan.plan_letter, plan.sample_size, plan.accept, plan.reject) == (
        expected
    )


def test_a_sample_as_large_as_the_lot_inspects_every_item() -> None:
    plan = single_plan(20, "II", "0.10")  # C at 0.10 points down to J's 80 items
    assert plan.sample_size == 20 and "every item" in plan.note


def test_reduced_plans_leave_a_gap_between_accept_and_reject() -> None:
    for aql in ("0.65", "1.0", "2.5", "4.0", "6.5", "10"):
        plan = single_plan(5000, "II", aql, Inspection.REDUCED)
        normal = single_plan(5000, "II", aql, Inspection.NORMAL)
        assert plan.sample_size <= normal.sample_size
        assert plan.reject >= plan.accept + 1


@pytest.mark.parametrize(
    ("lot", "level", "aql", "hint"),
    [(1, "II", "1.0", "at least 2"), (100, "IV", "1.0", "S-1"), (100, "II", "3.0", "0.010")],
)
def test_bad_arguments_are_explained(lot: int, level: str, aql: str, hint: str) -> None:
    with pytest.raises(TaxopsError) as err:
        single_plan(lot, level, aql)
    assert hint in err.value.message + (err.value.hint or "")


def _lot(ok: bool, inspection: Inspection = Inspection.NORMAL) -> LotResult:
    return LotResult(inspection, accept=1, reject=2, nonconforming=0 if ok else 3)


def test_two_of_five_rejected_switches_to_tightened_and_five_accepted_back() -> None:
    state = replay([_lot(True), _lot(False), _lot(True), _lot(False)])
    assert state.inspection is Inspection.TIGHTENED
    state = replay([_lot(True, Inspection.TIGHTENED)] * 5, state)
    assert state.inspection is Inspection.NORMAL


def test_two_rejections_six_lots_apart_keep_normal_inspection() -> None:
    lots = [_lot(False), *[_lot(True)] * 5, _lot(False)]
    assert replay(lots).inspection is Inspection.NORMAL


def test_switching_score_reaches_reduced_after_fifteen_clean_lots() -> None:
    state = replay([_lot(True)] * 14)
    assert state.inspection is Inspection.NORMAL and state.score == 28
    assert replay([_lot(True)] * 15).inspection is Inspection.REDUCED


def test_score_adds_three_only_when_a_tighter_aql_would_accept() -> None:
    ok = LotResult(Inspection.NORMAL, 3, 4, nonconforming=1, tighter_accept=2)
    borderline = LotResult(Inspection.NORMAL, 3, 4, nonconforming=3, tighter_accept=2)
    assert replay([ok] * 3).score == 9
    assert replay([ok, ok, borderline]).score == 0


def test_reduced_goes_back_to_normal_above_the_acceptance_number() -> None:
    reduced = State(Inspection.REDUCED)
    gap = LotResult(Inspection.REDUCED, accept=1, reject=4, nonconforming=2)
    assert gap.accepted
    assert replay([gap], reduced).inspection is Inspection.NORMAL


def test_five_rejections_on_tightened_discontinue() -> None:
    state = replay([_lot(False, Inspection.TIGHTENED)] * 5, State(Inspection.TIGHTENED))
    assert state.discontinued
