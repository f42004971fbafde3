"""Reading correspondence tables as publishers ship them, and compiling them
into declarations: spreadsheets with number cells, transition tables without a
header whose flags say which way conversion is automatic, SSSOM mapping sets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from taxops.crosswalk.compile import Back, Kind, compile_table
from taxops.crosswalk.table import Columns, read_table
from taxops.diagnostics import TaxopsError
from taxops.models.taxonomy import Taxonomy


def _taxonomy(version: str, labels: list[dict[str, Any]], kind: str = "hierarchical") -> Taxonomy:
    return Taxonomy.model_validate(
        {
            "taxops": "taxonomy/1",
            "id": "codes",
            "title": "Codes",
            "version": version,
            "kind": kind,
            "ids": "code",
            "owners": ["@x"],
            "labels": [{"name": f"name of {lbl['id']}", **lbl} for lbl in labels],
        }
    )


ICD_OLD = _taxonomy(
    "2019.0.0",
    [
        {"id": "A00"},
        {"id": "A00.0", "parent": "A00"},
        {"id": "A00.1", "parent": "A00"},
        {"id": "B01"},
    ],
)
ICD_NEW = _taxonomy(
    "2020.0.0",
    [
        {"id": "A00"},
        {"id": "A00.0", "parent": "A00"},
        {"id": "A00.1", "parent": "A00"},
        {"id": "A00.9", "parent": "A00"},
        {"id": "B01"},
        {"id": "B01.1", "parent": "B01"},
        {"id": "B01.2", "parent": "B01"},
    ],
)


def _ids(t: Taxonomy) -> list[str]:
    return [lbl.id for lbl in t.labels]


def test_a_transition_table_without_header_reads_its_flags_by_position(tmp_path: Path) -> None:
    """Old code, its forward flag, new code, its backward flag ('A': automatic)."""
    path = tmp_path / "umsteiger.txt"
    path.write_text(
        "A00.0;A;A00.0;A\nA00.1;A;A00.1;\nA00.1;;A00.9;A\nB01;;B01.1;A\nB01;;B01.2;A\n",
        encoding="utf-8",
    )
    table = read_table(path, _ids(ICD_OLD), _ids(ICD_NEW))
    assert table.columns == {"old": "1", "new": "3", "forward": "2", "backward": "4"}
    plan = compile_table(table.rows, ICD_OLD, ICD_NEW)
    narrowed = plan.fates["A00.1"]
    # Converted to itself automatically and to A00.9 not: items stay by default.
    assert (narrowed.kind, narrowed.targets, narrowed.mode) == (Kind.NARROWED, ("A00.9",), "keep")
    # B01 stays as a group: its items go to review among its new children.
    group = plan.fates["B01"]
    assert (group.kind, group.targets, group.mode) == (
        Kind.BECAME_GROUP,
        ("B01.1", "B01.2"),
        "review",
    )
    # A00.1 of 2020 does not convert back automatically: a backward declaration
    # says so (the map would derive a direct way back).
    assert plan.backward == {"A00.1": Back("A00.1", ("A00.1",), "review")}


def test_a_spreadsheet_keeps_codes_that_excel_stores_as_numbers(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    old = _taxonomy(
        "1.0.0", [{"id": "010121"}, {"id": "010129"}, {"id": "150"}], kind="single-label"
    )
    new = _taxonomy("2.0.0", [{"id": "010120"}, {"id": "150"}], kind="single-label")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Note", "Old code", "New code"])
    for note, a, b in (("merged", 10121, 10120), ("merged", 10129, 10120), ("same", 150, 150)):
        sheet.append([note, a, b])
    for row in sheet.iter_rows(min_row=2, max_row=3, min_col=2, max_col=3):
        for cell in row:
            cell.number_format = "000000"
    path = tmp_path / "table.xlsx"
    book.save(path)
    table = read_table(path, _ids(old), _ids(new))
    assert [(r.old, r.new) for r in table.rows] == [
        ("010121", "010120"),
        ("010129", "010120"),
        ("150", "150"),
    ]
    plan = compile_table(table.rows, old, new)
    assert {c: (f.kind, f.mode) for c, f in plan.fates.items()} == {
        "010121": (Kind.RETIRED, "direct"),
        "010129": (Kind.RETIRED, "direct"),
        "150": (Kind.UNCHANGED, "keep"),
    }


def test_an_sssom_mapping_set_reads_its_predicates_as_flags(tmp_path: Path) -> None:
    old = _taxonomy(
        "1.0.0", [{"id": "a"}, {"id": "b"}, {"id": "c"}, {"id": "d"}], kind="single-label"
    )
    new = _taxonomy(
        "2.0.0", [{"id": "a"}, {"id": "ab"}, {"id": "c1"}, {"id": "c2"}], kind="single-label"
    )
    path = tmp_path / "map.sssom.tsv"
    path.write_text(
        "#curie_map:\n#  old: urn:x:old:\n#  new: urn:x:new:\n"
        "subject_id\tpredicate_id\tobject_id\tmapping_justification\tconfidence\n"
        "old:a\tskos:exactMatch\tnew:a\tsemapv:ManualMappingCuration\t1\n"
        "old:b\tskos:broadMatch\tnew:ab\tsemapv:ManualMappingCuration\t0.9\n"
        "old:c\tskos:narrowMatch\tnew:c1\tsemapv:ManualMappingCuration\t0.9\n"
        "old:c\tskos:narrowMatch\tnew:c2\tsemapv:ManualMappingCuration\t0.9\n"
        "old:c\tskos:closeMatch\tnew:a\tsemapv:LexicalMatching\t0.2\n"
        "old:d\tskos:exactMatch\tsssom:NoTermFound\tsemapv:ManualMappingCuration\t1\n"
        "old:a\tskos:relatedMatch\tnew:ab\tsemapv:ManualMappingCuration\t1\n",
        encoding="utf-8",
    )
    table = read_table(path, _ids(old), _ids(new), Columns(min_confidence=0.5))
    assert len(table.skipped) == 2  # the low confidence, and relatedMatch
    plan = compile_table(table.rows, old, new)
    assert plan.fates["a"].kind is Kind.UNCHANGED
    assert (plan.fates["b"].kind, plan.fates["b"].targets, plan.fates["b"].mode) == (
        Kind.RETIRED,
        ("ab",),
        "direct",
    )
    assert (plan.fates["c"].targets, plan.fates["c"].mode) == (("c1", "c2"), "review")
    assert (plan.fates["d"].targets, plan.fates["d"].mode) == ((), "review")


def test_a_code_whose_old_items_go_elsewhere_is_a_reused_code() -> None:
    old = _taxonomy("1.0.0", [{"id": "150"}, {"id": "160"}], kind="single-label")
    new = _taxonomy("2.0.0", [{"id": "150"}, {"id": "170"}], kind="single-label")
    from taxops.crosswalk.table import Row

    plan = compile_table([Row(2, "150", "170"), Row(3, "160", "150")], old, new)
    assert (plan.fates["150"].kind, plan.fates["150"].targets) == (Kind.REUSED, ("170",))
    assert (plan.fates["160"].kind, plan.fates["160"].targets) == (Kind.RETIRED, ("150",))


def test_unknown_codes_are_notes_and_columns_that_cannot_be_told_apart_a_clear_error(
    tmp_path: Path,
) -> None:
    path = tmp_path / "t.csv"
    path.write_text("x,y\n1,2\n", encoding="utf-8")
    with pytest.raises(TaxopsError, match="cannot tell which columns") as caught:
        read_table(path, _ids(ICD_OLD), _ids(ICD_NEW))
    assert caught.value.hint == "name them with --old-column and --new-column"
    path.write_text("old,new\nA00.0,A00.0\nZ99,A00.0\nA00.1,Q12\n", encoding="utf-8")
    plan = compile_table(read_table(path, _ids(ICD_OLD), _ids(ICD_NEW)).rows, ICD_OLD, ICD_NEW)
    # A code a row sends to an unknown code gets no declaration (the other rows
    # alone would route its items wrongly), and that note comes first.
    assert plan.notes[:3] == [
        "code 'A00.1' is left as the file has it: the table's line 4 sends its items to a "
        "code codes 2020.0.0 does not have (correct the table, or declare the code yourself)",
        "line 3: old code 'Z99' is not a label of codes 2019.0.0",
        "line 4: new code 'Q12' is not a label of codes 2020.0.0",
    ]
    assert "A00.1" not in plan.fates and plan.skipped == ["A00.1"]


def test_a_code_the_team_deprecated_or_retired_is_never_turned_into_a_reuse() -> None:
    from taxops.crosswalk.table import Row

    old = _taxonomy("1.0.0", [{"id": "x"}, {"id": "y"}, {"id": "z"}], kind="single-label")
    new = _taxonomy(
        "2.0.0",
        [
            {"id": "x", "status": "deprecated", "replaced_by": ["z"]},
            {"id": "y", "status": "retired", "replacement": "review"},
            {"id": "z"},
        ],
        kind="single-label",
    )
    plan = compile_table([Row(2, "x", "z"), Row(3, "y", "y"), Row(4, "y", "z")], old, new)
    assert "x" not in plan.fates and "deprecated in codes 2.0.0" in plan.notes[0]
    assert (plan.fates["y"].kind, plan.fates["y"].targets) == (Kind.RETIRED, ("z",))
    assert "maps it to itself" in plan.notes[1]


def test_one_automatic_successor_of_several_reviews_by_default_and_agrees_when_declared_direct(
    tmp_path: Path,
) -> None:
    """A split whose table flags one successor as automatic goes to review (a
    split is a review); the import's note says to declare replaced_by: [that
    one] for a machine relabel, and a version that does so still agrees with
    the table, while one that routes the items to the other successor does not."""
    from taxops.changes import diff
    from taxops.crosswalk.agree import disagreements
    from taxops.migration import build_map

    old = _taxonomy("1.0.0", [{"id": "A10"}, {"id": "B20"}], kind="single-label")
    path = tmp_path / "t.csv"
    path.write_text("old,forward,new\nA10,A,A11\nA10,,A12\nB20,A,B20\n", encoding="utf-8")

    def version(replaced_by: list[str]) -> Taxonomy:
        retired = {"id": "A10", "status": "retired", "replaced_by": replaced_by}
        return _taxonomy(
            "2.0.0", [{"id": "B20"}, {"id": "A11"}, {"id": "A12"}, retired], kind="single-label"
        )

    new = version(["A11", "A12"])
    table = read_table(path, _ids(old), _ids(new))
    plan = compile_table(table.rows, old, new)
    fate = plan.fates["A10"]
    assert (fate.mode, fate.targets, fate.automatic) == ("review", ("A11", "A12"), "A11")
    assert any("declare replaced_by: ['A11']" in note for note in plan.notes)
    for replaced_by, disagree in ((["A11", "A12"], []), (["A11"], []), (["A12"], ["A10"])):
        migration = build_map(diff(old, version(replaced_by)))
        assert [d.code for d in disagreements(plan, migration)] == disagree, replaced_by


def test_a_tombstone_stands_where_its_label_stood_even_first(tmp_path: Path) -> None:
    """Tombstones go right after the label that preceded them in the old version;
    one that had none (the first label) goes first, not at the end of the file."""
    from taxops.crosswalk.write import plan_to_text

    old = _taxonomy("1.0.0", [{"id": "A10"}, {"id": "B20"}, {"id": "C30"}], kind="single-label")
    new = _taxonomy("2.0.0", [{"id": "B20"}, {"id": "C31"}], kind="single-label")
    path = tmp_path / "t.csv"
    path.write_text("old,new\nA10,B20\nB20,B20\nC30,C31\n", encoding="utf-8")
    plan = compile_table(read_table(path, _ids(old), _ids(new)).rows, old, new)
    text = (
        "taxops: taxonomy/1\nid: codes\ntitle: Codes\nversion: 2.0.0\nkind: single-label\n"
        "ids: code\nowners: ['@x']\nlabels:\n"
        "  - {id: B20, name: name of B20}\n  - {id: C31, name: name of C31}\n"
    )
    written, _ = plan_to_text(text, plan, old, new)
    ids = [line.split(",")[0].split("id: ")[1] for line in written.splitlines() if "{id:" in line]
    assert ids == ["A10", "B20", "C30", "C31"]


def test_a_spreadsheet_too_big_to_be_a_table_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A zip bomb (a small .xlsx that unzips to gigabytes) or a sheet declaring
    millions of cells: refused by what the archive says, then by cells read.
    The bounds are lowered here so a small real workbook crosses them."""
    import openpyxl
    from taxops import spreadsheet as table

    path = tmp_path / "t.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for n in range(200):
        sheet.append([f"A{n}", f"B{n}", "x" * 50])
    book.save(path)
    monkeypatch.setattr(table, "MAX_XLSX_UNZIPPED", 1000)
    with pytest.raises(TaxopsError, match="would unzip to"):
        read_table(path, ["A1"], ["B1"])
    monkeypatch.setattr(table, "MAX_XLSX_UNZIPPED", 1 << 30)
    monkeypatch.setattr(table, "MAX_XLSX_CELLS", 100)
    with pytest.raises(TaxopsError, match="more than 100 cells"):
        read_table(path, ["A1"], ["B1"])
