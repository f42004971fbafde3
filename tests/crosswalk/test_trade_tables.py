"""A trade classification's correlation table as publishers ship it: codes with
leading zeros, a relationship column (1:1, 1:n, n:1, n:n), and the same table as
a spreadsheet with a title row, group headers merged over the column names, and
codes stored as numbers (their leading zeros lost) beside codes stored as text.
Whatever the form, the declarations are the same, and the map agrees with the
table code by code, forwards and backwards. Also: a conversion table that packs
several previous codes into one cell, and a row naming a code neither version
has (that code is left alone, never given a wrong declaration)."""

from __future__ import annotations

import csv
import shutil
from collections import defaultdict
from pathlib import Path

import pytest
from taxops.cli.main import main
from taxops.crosswalk.compile import Plan, compile_table
from taxops.crosswalk.table import Row, read_table
from taxops.history import load_taxonomy, migration_map
from taxops.models.taxonomy import Taxonomy

DATA = Path(__file__).parent / "data" / "trade"
OLD = load_taxonomy(DATA / "old.yaml")
NEW = load_taxonomy(DATA / "new.yaml")


def _table() -> list[tuple[str, str, str]]:
    with (DATA / "correlation.csv").open(newline="", encoding="utf-8") as fh:
        return [(r["HS 2017"], r["HS 2022"], r["Relationship"]) for r in csv.DictReader(fh)]


def _plan(path: Path) -> Plan:
    table = read_table(path, [lbl.id for lbl in OLD.labels], [lbl.id for lbl in NEW.labels])
    return compile_table(table.rows, OLD, NEW)


def _fates(plan: Plan) -> dict[str, tuple[str, tuple[str, ...], str]]:
    return {c: (f.kind.value, f.targets, f.mode) for c, f in plan.fates.items()}


EXPECTED = {
    "010229": ("retired", ("010220",), "direct"),
    "010239": ("retired", ("010220",), "direct"),
    "440140": ("retired", ("440141", "440149"), "review"),
    "851712": ("retired", ("851713", "851714"), "review"),
    "853950": ("became-group", ("853951", "853952"), "review"),
    "854810": ("retired", ("854911", "854919"), "review"),
    "854890": ("narrowed", ("854931", "854999"), "review"),
}


def test_the_csv_table_gives_one_declaration_per_changed_code(tmp_path: Path) -> None:
    fates = _fates(_plan(DATA / "correlation.csv"))
    assert {c: f for c, f in fates.items() if f[0] != "unchanged"} == EXPECTED


def _spreadsheet(path: Path, numbers: bool) -> None:
    """The table as a publisher's workbook: a title merged across the sheet, the
    edition merged over 'Code' and 'Description', every other code a number."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "Correlation between the 2017 and 2022 editions (source: the publisher)"
    sheet.merge_cells("A1:E1")
    sheet["A2"], sheet["C2"], sheet["E2"] = "HS 2017", "HS 2022", "Relationship"
    sheet.merge_cells("A2:B2")
    sheet.merge_cells("C2:D2")
    sheet.merge_cells("E2:E3")
    sheet["A3"], sheet["B3"], sheet["C3"], sheet["D3"] = (
        "Code",
        "Description",
        "Code",
        "Description",
    )
    names = {**{lbl.id: lbl.name for lbl in OLD.labels}, **{lbl.id: lbl.name for lbl in NEW.labels}}
    for k, (old, new, relationship) in enumerate(_table()):
        cells = [old, names[old], new, names[new], relationship]
        if numbers and k % 2 == 0:
            cells[0] = int(old)
        if numbers and k % 3 == 0:
            cells[2] = int(new)
        sheet.append(cells)
    sheet.append(["Note: the codes are 6-digit subheadings."])
    book.save(path)


def test_a_workbook_with_title_merged_headers_and_number_cells_reads_as_the_csv(
    tmp_path: Path,
) -> None:
    path = tmp_path / "correlation.xlsx"
    _spreadsheet(path, numbers=True)
    table = read_table(path, [lbl.id for lbl in OLD.labels], [lbl.id for lbl in NEW.labels])
    assert table.columns == {
        "old": "HS 2017 Code",
        "new": "HS 2022 Code",
        "relationship": "Relationship",
    }
    assert table.notes[0].startswith("5 codes were read with the leading zeros the table lost")
    assert _fates(compile_table(table.rows, OLD, NEW)) == _fates(_plan(DATA / "correlation.csv"))


def test_a_csv_saved_from_a_spreadsheet_without_leading_zeros_reads_the_same(
    tmp_path: Path,
) -> None:
    lines = (DATA / "correlation.csv").read_text(encoding="utf-8").splitlines()
    stripped = [lines[0]] + [",".join(c.lstrip("0") for c in line.split(",")) for line in lines[1:]]
    path = tmp_path / "saved-by-a-spreadsheet.csv"
    path.write_text("\n".join(stripped) + "\n", encoding="utf-8")
    assert _fates(_plan(path)) == _fates(_plan(DATA / "correlation.csv"))


def test_digits_that_fit_two_codes_once_padded_are_not_guessed(tmp_path: Path) -> None:
    """'101' could be heading 0101 or a code 000101: neither is taken."""
    old = _tax("2017", ["0101", "000101", "0102"])
    new = _tax("2022", ["0101", "000101", "0103"])
    path = tmp_path / "t.csv"
    path.write_text("old,new\n102,103\n101,0101\n", encoding="utf-8")
    table = read_table(path, ["0101", "000101", "0102"], ["0101", "000101", "0103"])
    assert [(r.old, r.new) for r in table.rows] == [("0102", "0103"), ("101", "0101")]
    plan = compile_table(table.rows, old, new)
    assert "line 3: old code '101' is not a label of trade 2017" in plan.notes


def _tax(version: str, ids: list[str]) -> Taxonomy:
    return Taxonomy.model_validate(
        {
            "taxops": "taxonomy/1",
            "id": "trade",
            "title": "Traded goods",
            "versioning": "calver",
            "version": version,
            "kind": "single-label",
            "ids": "code",
            "owners": ["@x"],
            "labels": [{"id": i, "name": f"code {i}"} for i in ids],
        }
    )


def test_a_conversion_table_listing_several_previous_codes_in_one_cell(tmp_path: Path) -> None:
    """Medical conversion tables list each current code with its previous codes
    in one cell ('A15.6, A15.7'): each is its own row, so a split stays a split."""
    old = _tax("2023", ["A15.4", "A15.5", "A15.6", "A15.7"])
    new = _tax("2024", ["A15.4", "A15.61", "A15.62", "A15.70"])
    path = tmp_path / "conversion.csv"
    path.write_text(
        "Current Code Assignment,Effective Date,Previous Code(s) Assignment\n"
        'A15.4,2023-10-01,"A15.4, A15.5"\n'
        "A15.61,2023-10-01,A15.6\n"
        'A15.62,2023-10-01,"A15.6; A15.7"\n'
        "A15.70,2023-10-01,A15.7\n",
        encoding="utf-8",
    )
    table = read_table(path, ["A15.4", "A15.5", "A15.6", "A15.7"], ["A15.4", "A15.61", "A15.62"])
    assert table.columns == {
        "old": "Previous Code(s) Assignment",
        "new": "Current Code Assignment",
    }
    assert table.notes == [
        "2 cells name several codes, read as one row per code "
        "(line 2: 'A15.4, A15.5' as 'A15.4', 'A15.5')"
    ]
    fates = _fates(compile_table(table.rows, old, new))
    assert fates == {
        "A15.4": ("unchanged", ("A15.4",), "keep"),
        "A15.5": ("retired", ("A15.4",), "direct"),
        "A15.6": ("retired", ("A15.61", "A15.62"), "review"),
        "A15.7": ("retired", ("A15.62", "A15.70"), "review"),
    }


def test_a_row_naming_an_unknown_code_leaves_its_old_code_alone() -> None:
    """A row whose new code neither version has (a typo, a lost zero that cannot
    be put back): the old code gets no declaration, least of all a reuse that
    would send its items to an open review."""
    plan = compile_table(
        [Row(2, "010130", "10130x"), Row(3, "851712", "851713"), Row(4, "851712", "85171")],
        OLD,
        NEW,
    )
    assert plan.fates == {}
    assert plan.skipped == ["010130", "851712"]
    assert plan.notes[0] == (
        "code '010130' is left as the file has it: the table's line 2 sends its items to a "
        "code trade 2022 does not have (correct the table, or declare the code yourself)"
    )


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("trade")
    folder = root / "taxonomies" / "trade"
    (folder / "releases").mkdir(parents=True)
    shutil.copy(DATA / "old.yaml", folder / "releases" / "2017.yaml")
    shutil.copy(DATA / "new.yaml", folder / "taxonomy.yaml")
    book = root / "correlation.xlsx"
    _spreadsheet(book, numbers=True)
    assert main(["crosswalk", "import", str(book), "--taxonomy", "trade", "--repo", str(root)]) == 0
    return root


def _expected(pairs: list[tuple[str, str]], still: set[str]) -> dict[str, tuple[str, set[str]]]:
    """Per code, the mode and labels the table implies: itself alone is keep;
    one successor direct; several (the code itself among them or not) review."""
    successors: dict[str, list[str]] = defaultdict(list)
    for a, b in pairs:
        successors[a].append(b)
    out = {}
    for code, targets in successors.items():
        if targets == [code]:
            out[code] = ("keep", {code})
        elif len(targets) == 1 and code not in still | set(targets):
            out[code] = ("direct", set(targets))
        else:
            out[code] = ("review", set(targets))
    return out


def test_the_imported_map_agrees_with_the_table_code_by_code_both_ways(repo: Path) -> None:
    pairs = [(a, b) for a, b, _ in _table()]
    forward = migration_map(repo, "trade", "2017", "2022")
    got = {e.label: (e.mode.value, set(e.targets)) for e in forward if e.label in dict(pairs)}
    assert got == _expected(pairs, {lbl.id for lbl in NEW.labels})
    backward = migration_map(repo, "trade", "2022", "2017")
    back_pairs = [(b, a) for a, b in pairs]
    want = _expected(back_pairs, {lbl.id for lbl in OLD.labels})
    got_back = {e.label: (e.mode.value, set(e.targets)) for e in backward if e.label in want}
    assert got_back == want
    assert {e.label for e in forward if e.mode.value == "review"} == {
        code for code, (kind, _, mode) in EXPECTED.items() if mode == "review"
    }
