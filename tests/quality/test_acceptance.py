"""Single sampling by AQL against values transcribed from MIL-STD-105E by
independent sources (``data/*.csv``, each citing its source, tests as data), and
the switching rules against the standards' text."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from taxops.diagnostics import TaxopsError
from taxops.quality.acceptance import (
    AQLS,
    LETTERS,
    LEVELS,
    Inspection,
    code_letter,
    letter_plan,
    master_table,
    single_plan,
    table_cell,
    tighter_accept,
)
from taxops.quality.switching import LotResult, State, replay

DATA = Path(__file__).parent / "data"
TABLES = {"II-A": Inspection.NORMAL, "II-B": Inspection.TIGHTENED, "II-C": Inspection.REDUCED}


def _rows(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


CODE_LETTERS = _rows("iso2859_code_letters.csv")
CELLS = _rows("iso2859_cells.csv")
PLANS = _rows("mil_std_105e_plans.csv")
ROWS = _rows("mil_std_105e_rows.csv")
EXAMPLES = _rows("mil_std_105e_examples.csv")


@pytest.mark.parametrize("row", CODE_LETTERS, ids=lambda r: f"{r['low']}-{r['high']}")
def test_code_letters_at_both_ends_of_each_lot_range(row: dict[str, str]) -> None:
    ends = [int(row["low"])] + ([int(row["high"])] if row["high"] != "over" else [10**7])
    for lot in ends:
        assert [code_letter(lot, level) for level in LEVELS] == [row[lv] for lv in LEVELS]


def test_every_plan_of_the_three_tables_with_arrows_followed() -> None:
    """All 3 x 16 x 26 cells against the AQLSchemes transcription."""
    assert len(PLANS) == 3 * len(LETTERS) * len(AQLS)
    wrong = []
    for row in PLANS:
        got = letter_plan(row["letter"], row["aql"], TABLES[row["table"]])
        want = (int(row["sample_size"]), int(row["ac"]), int(row["re"]))
        if (got.sample_size, got.accept, got.reject) != want:
            wrong.append((row["table"], row["letter"], row["aql"], got, want))
    assert not wrong


@pytest.mark.parametrize("row", CELLS, ids=lambda r: f"{r['table']}-{r['letter']}-{r['aql']}")
def test_printed_cell(row: dict[str, str]) -> None:
    assert table_cell(TABLES[row["table"]], row["letter"], row["aql"]) == row["cell"]


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r["letter"])
def test_each_normal_row_has_the_printed_plans_in_order(row: dict[str, str]) -> None:
    cells = [table_cell(Inspection.NORMAL, row["letter"], aql) for aql in AQLS]
    assert [c for c in cells if "/" in c] == row["plans"].split()


@pytest.mark.parametrize("row", EXAMPLES, ids=lambda r: f"{r['table']}-{r['letter']}-{r['aql']}")
def test_worked_examples_of_the_arrows(row: dict[str, str]) -> None:
    got = letter_plan(row["letter"], row["aql"], TABLES[row["table"]])
    assert (got.letter, got.sample_size, got.accept, got.reject) == (
        row["plan_letter"],
        int(row["sample_size"]),
        int(row["ac"]),
        int(row["re"]),
    )


def test_plans_of_normal_and_tightened_inspection_reject_at_one_above_accept() -> None:
    for inspection in (Inspection.NORMAL, Inspection.TIGHTENED):
        for _, _, cells in master_table(inspection).rows:
            assert all(c[1] == c[0] + 1 for c in cells if isinstance(c, tuple))


def test_reduced_plans_accept_as_the_normal_plan_of_their_sample_size() -> None:
    """How Table II-C is built (and why its rows A-C differ from its diagonal):
    a reduced plan's Ac is the Ac of the normal plan with the same sample size at
    the same AQL, and its Re leaves a gap above Ac below AQL 100."""
    normal = {n: cells for _, n, cells in master_table(Inspection.NORMAL).rows}
    gaps = 0
    for letter, n, cells in master_table(Inspection.REDUCED).rows:
        for column, cell in enumerate(cells):
            if not isinstance(cell, tuple):
                continue
            same_size = normal[n][column]
            if isinstance(same_size, tuple):
                assert cell[0] == same_size[0], (letter, AQLS[column])
            gaps += cell[1] > cell[0] + 1
    assert gaps > 100


def test_tightened_row_s_is_reached_only_at_aql_0_025() -> None:
    assert table_cell(Inspection.TIGHTENED, "S", "0.025") == "1/2"
    assert table_cell(Inspection.TIGHTENED, "S", "0.010") == ""
    # R at 0.015 points down, where row S has no plan: Q's plan above is used.
    plan = letter_plan("R", "0.015", Inspection.TIGHTENED)
    assert (plan.letter, plan.sample_size, plan.accept) == ("Q", 1250, 0)
    assert "past the table's edge" in plan.note


@pytest.mark.parametrize(
    ("lot", "level", "aql", "inspection", "expected"),
    [
        # lot 1,300 at level II is K (125): the textbook example at AQL 1.0.
        (1300, "II", "1.0", Inspection.NORMAL, ("K", "K", 125, 3, 4)),
        (1300, "II", "1.0", Inspection.TIGHTENED, ("K", "K", 125, 2, 3)),
        (1300, "II", "1.0", Inspection.REDUCED, ("K", "K", 50, 1, 4)),
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
        # the README's lot: 63 items at level II is E; at 2.5 its arrow leads to F.
        (63, "II", "2.5", Inspection.NORMAL, ("E", "F", 20, 1, 2)),
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
    plan = single_plan(20, "II", "0.10")  # C at 0.10 points down to K's 125 items
    assert plan.plan_letter == "K" and plan.sample_size == 20 and "every item" in plan.note


def test_an_arrow_past_the_edge_is_followed_the_other_way_and_said() -> None:
    plan = single_plan(5, "II", "10")  # A at 10 points up, out of the table
    assert (plan.plan_letter, plan.accept, plan.reject) == ("C", 1, 2)
    assert "points up past the table's edge" in plan.note


def test_tighter_accept_reads_the_row_the_plan_came_from() -> None:
    # F at 100 points up to E's 21/22 (13 items); one step tighter on E's row is
    # 14/15, not F's own 21/22 at 65.
    plan = single_plan(100, "II", "100")
    assert (plan.plan_letter, plan.accept) == ("E", 21)
    assert tighter_accept(plan) == 14
    assert tighter_accept(single_plan(1300, "II", "1.0")) == 2
    assert tighter_accept(single_plan(1300, "II", "1.0", Inspection.TIGHTENED)) is None


@pytest.mark.parametrize(
    ("lot", "level", "aql", "hint"),
    [(1, "II", "1.0", "at least 2"), (100, "IV", "1.0", "S-1"), (100, "II", "3.0", "0.010")],
)
def test_bad_arguments_are_explained(lot: int, level: str, aql: str, hint: str) -> None:
    with pytest.raises(TaxopsError) as err:
        single_plan(lot, level, aql)
    assert hint in err.value.message + (err.value.hint or "")


# The switching rules (MIL-STD-105E 4.7, ANSI/ASQ Z1.4 8.3-8.4, ISO 2859-1:1999 9.3-9.4).


def _lot(ok: bool, inspection: Inspection = Inspection.NORMAL) -> LotResult:
    return LotResult(inspection, accept=1, reject=2, nonconforming=0 if ok else 3)


def test_two_of_five_rejected_switches_to_tightened_and_five_accepted_back() -> None:
    state = replay([_lot(True), _lot(False), _lot(True), _lot(False)])
    assert state.inspection is Inspection.TIGHTENED
    state = replay([_lot(True, Inspection.TIGHTENED)] * 4, state)
    assert state.inspection is Inspection.TIGHTENED
    state = replay([_lot(True, Inspection.TIGHTENED)], state)
    assert state.inspection is Inspection.NORMAL and state.score == 0


def test_two_rejections_at_the_ends_of_five_lots_switch_but_six_apart_do_not() -> None:
    assert replay([_lot(False), *[_lot(True)] * 3, _lot(False)]).inspection is (
        Inspection.TIGHTENED
    )
    lots = [_lot(False), *[_lot(True)] * 4, _lot(False)]
    assert replay(lots).inspection is Inspection.NORMAL


def test_switching_score_reaches_reduced_after_fifteen_clean_lots() -> None:
    state = replay([_lot(True)] * 14)
    assert state.inspection is Inspection.NORMAL and state.score == 28
    state = replay([_lot(True)] * 15)
    assert state.inspection is Inspection.REDUCED
    assert "authority" in state.reasons[0]


def test_score_adds_three_only_when_a_tighter_aql_would_accept() -> None:
    ok = LotResult(Inspection.NORMAL, 3, 4, nonconforming=1, tighter_accept=2)
    borderline = LotResult(Inspection.NORMAL, 3, 4, nonconforming=3, tighter_accept=2)
    assert replay([ok] * 3).score == 9
    assert replay([ok, ok, borderline]).score == 0
    assert replay([ok] * 10).inspection is Inspection.REDUCED  # ten lots, as 105E's rule


def test_a_rejected_lot_resets_the_score() -> None:
    assert replay([*[_lot(True)] * 5, _lot(False), _lot(True)]).score == 2


def test_reduced_goes_back_to_normal_above_the_acceptance_number() -> None:
    """105E 4.9.4 and 4.7.4 b: if the acceptance number has been exceeded but the
    rejection number not reached, accept the lot but reinstate normal inspection."""
    reduced = State(Inspection.REDUCED)
    gap = LotResult(Inspection.REDUCED, accept=1, reject=4, nonconforming=2)
    assert gap.accepted
    state = replay([gap], reduced)
    assert (
        state.inspection is Inspection.NORMAL
        and "above its acceptance number" in (state.reasons[0])
    )
    at_ac = LotResult(Inspection.REDUCED, accept=1, reject=4, nonconforming=1)
    assert replay([at_ac] * 20, reduced).inspection is Inspection.REDUCED
    rejected = LotResult(Inspection.REDUCED, accept=1, reject=4, nonconforming=4)
    assert not rejected.accepted
    assert replay([rejected], reduced).inspection is Inspection.NORMAL


def test_five_rejections_on_tightened_discontinue_even_with_acceptances_between() -> None:
    """Z1.4 8.4 / ISO 9.4: the cumulative number of lots not accepted on
    tightened inspection reaches 5 (not necessarily in a row)."""
    t = Inspection.TIGHTENED
    lots = [_lot(ok, t) for ok in (False, True, False, True, True, False, True, False, False)]
    state = replay(lots, State(t))
    assert state.discontinued and state.rejected_on_tightened == 5
    assert replay(lots[:-1], State(t)).discontinued is False


def test_leaving_tightened_forgets_its_rejections() -> None:
    t = Inspection.TIGHTENED
    state = replay([_lot(False, t)] * 4 + [_lot(True, t)] * 5, State(t))
    assert state.inspection is Inspection.NORMAL and state.rejected_on_tightened == 0
    state = replay([_lot(False), _lot(False)], state)
    assert state.inspection is Inspection.TIGHTENED and not state.discontinued
