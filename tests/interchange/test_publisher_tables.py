"""A publisher's table imports as it is published: its columns known by their
headers' words, its tree read from a parent column, its levels or its codes,
and ICD-10-CM's plain-text code and order files read as they come."""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import pytest
from crosswalk.published import DATA
from taxops.cli.main import main
from taxops.diagnostics import TaxopsError
from taxops.interchange.code_hierarchy import (
    parents_from_codes,
    parents_from_levels,
    parents_from_padding,
)
from taxops.interchange.code_list import import_code_list
from taxops.interchange.csv_labels import import_csv
from taxops.interchange.formats import guess_import_format
from test_imports import assert_valid

NAICS_2017 = DATA / "naics" / "naics_2017.csv"


def naics_rows() -> list[dict[str, str]]:
    with open(NAICS_2017, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def table(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *rows])
    return out.getvalue()


def parents(text: str, **kwargs: str) -> dict[str, str | None]:
    imported = import_csv(text, "table.csv", **kwargs)  # type: ignore[arg-type]
    assert_valid(imported)
    return {label.id: label.parent for label in imported.labels}


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        # NAICS: a code is in the longest code that begins it; a sector range
        # spans its subsectors.
        (
            ["11", "111", "1111", "11111", "111110"],
            {"111": "11", "1111": "111", "11111": "1111", "111110": "11111"},
        ),
        (["31-33", "311", "3111", "332", "44-45"], {"311": "31-33", "3111": "311", "332": "31-33"}),
        # ICD-10 as the WHO writes it (dots), and as the CMS files write it
        # (no dots): the same tree.
        (["A00", "A00.0", "A00.1", "A01"], {"A00.0": "A00", "A00.1": "A00"}),
        (
            ["A00", "A000", "A001", "A01", "A010", "A0100"],
            {"A000": "A00", "A001": "A00", "A010": "A01", "A0100": "A010"},
        ),
        # Chapters and blocks: ranges nest, and a code beats a range of its width.
        (
            ["A00-B99", "A00-A09", "A00", "A000", "A15-A19", "A15", "C00-D49"],
            {
                "A00-A09": "A00-B99",
                "A00": "A00-A09",
                "A000": "A00",
                "A15-A19": "A00-B99",
                "A15": "A15-A19",
            },
        ),
        # Padded to one width: no code begins another, so no parents.
        (["10000000", "10100000", "10101500", "10101501"], {}),
        # A CPV check digit is not a range; a range written twice is not its own parent.
        (["03000000-1", "03100000-2"], {}),
        (["A00-A09", "A00-A09", "A00"], {"A00": "A00-A09"}),
        # ISIC and NACE: each lettered section is followed by its divisions,
        # which no code begins.
        (
            ["A", "01", "011", "0111", "02", "B", "05", "05.1"],
            {"01": "A", "011": "01", "0111": "011", "02": "A", "05": "B", "05.1": "05"},
        ),
        # Sorted by code, or the sections listed together: the order says nothing.
        (["01", "011", "02", "A", "B"], {"011": "01"}),
        (["A", "B", "01", "02"], {}),
    ],
)
def test_codes_say_their_parents(codes: list[str], expected: dict[str, str]) -> None:
    assert parents_from_codes(codes) == expected


def test_the_un_isic_structure_file_gets_its_sections() -> None:
    """ISIC Rev. 4 as the UN publishes it: a code and a description per row,
    each section's letter above its divisions."""
    imported = import_csv(
        '"Code","Description"\n"A","Agriculture, forestry and fishing"\n'
        '"01","Crop and animal production"\n"011","Growing of non-perennial crops"\n'
        '"B","Mining and quarrying"\n"05","Mining of coal and lignite"\n',
        "ISIC_Rev_4_english_structure.txt",
    )
    assert_valid(imported)
    assert [(label.id, label.parent) for label in imported.labels] == [
        ("A", None),
        ("01", "A"),
        ("011", "01"),
        ("B", None),
        ("05", "B"),
    ]
    assert guess_import_format("ISIC_Rev_4_english_structure.txt", '"Code","Description"\n') == (
        "csv"
    )
    assert (
        "parents are read from the codes: 1 of 5 codes are inside a shorter code or a range "
        "(as '111' is in '11' and '311' in '31-33'), and 2 under the lettered section listed "
        "above them (as ISIC's '01' is in 'A')"
    ) in imported.notes


def test_the_codes_give_naics_its_published_tree() -> None:
    """Every NAICS 2017 code's parent, read from the codes alone, is the one
    the Census Bureau's table gives, in any row order."""
    rows = naics_rows()
    shuffled = [r["code"] for r in rows]
    random.Random(7).shuffle(shuffled)
    found = parents_from_codes(shuffled)
    assert {r["code"]: found.get(r["code"]) for r in rows} == {
        r["code"]: r["parent"] or None for r in rows
    }


def test_levels_give_each_row_the_row_above_one_level_up() -> None:
    assert parents_from_levels([1, 2, 3, 3, 2, 1, 2, 4, 3]) == [None, 0, 1, 1, 0, None, 5, 6, 6]


def test_a_census_table_imports_as_published() -> None:
    """The Census Bureau's own columns (``Seq. No.``, ``2017 NAICS US Code``,
    ``2017 NAICS US Title``) with no parent column: ids, names and the tree."""
    rows = naics_rows()
    text = table(
        ["Seq. No.", "2017 NAICS US   Code", "2017 NAICS US Title"],
        [[str(n), r["code"], r["title"]] for n, r in enumerate(rows, start=1)],
    )
    imported = import_csv(text, "2-6 digit_2017_Codes.csv")
    assert_valid(imported)
    assert [(label.id, label.name, label.parent) for label in imported.labels] == [
        (r["code"], r["title"], r["parent"] or None) for r in rows
    ]
    assert "columns not carried over: Seq. No." in imported.notes
    assert any(n.startswith("parents are read from the codes") for n in imported.notes)


@pytest.mark.parametrize(
    ("header", "roles"),
    [
        (["Code", "ParentCode", "Title"], ("Code", "Title", "ParentCode")),
        (["parent_id", "label_id", "Display Name"], ("label_id", "Display Name", "parent_id")),
        (["Class Code", "Class Title", "Broader"], ("Class Code", "Class Title", "Broader")),
        (["id", "code", "name"], ("id", "name", None)),  # an exact name wins over a word
    ],
)
def test_columns_are_known_by_their_words(
    header: list[str], roles: tuple[str, str, str | None]
) -> None:
    id_col, name_col, parent_col = roles
    rows = [{id_col: "X1", name_col: "First"}, {id_col: "X2", name_col: "Second"}]
    if parent_col:
        rows[1][parent_col] = "X1"
    text = table(header, [[r.get(h, "" if h != "code" else "c") for h in header] for r in rows])
    found = import_csv(text, "table.csv")
    assert [(label.id, label.name) for label in found.labels] == [("X1", "First"), ("X2", "Second")]
    assert found.labels[1].parent == ("X1" if parent_col else None)


def test_a_code_list_with_one_description_takes_it_as_names() -> None:
    imported = import_csv("Code,Description\nA00,Cholera\nA000,Cholera due to ...\n", "t.csv")
    assert [(label.name, label.parent) for label in imported.labels] == [
        ("Cholera", None),
        ("Cholera due to ...", "A00"),
    ]
    assert "names are read from column 'Description'" in imported.notes


def test_two_columns_for_one_field_are_named_in_the_report() -> None:
    imported = import_csv("Old code,New code,Title\nA,B,First\n", "t.csv")
    assert imported.labels[0].id == "A"
    assert any("not from 'New code'" in n for n in imported.notes)


def test_levels_in_the_trees_order_make_the_tree() -> None:
    """ISIC-like: section letters hold two-digit divisions that no code
    begins, so only the levels say the tree."""
    text = "code,level,title\nA,1,Agriculture\n01,2,Crop\n011,3,Cereals\n02,2,Forestry\nB,1,Mining\n05,2,Coal\n"
    assert parents(text) == {"A": None, "01": "A", "011": "01", "02": "A", "B": None, "05": "B"}


def test_codes_win_over_levels_out_of_the_trees_order() -> None:
    """A sorted sheet: the sector range sorts after its subsectors' rows
    would need it. The codes say the same tree as the levels, in any order;
    the rows' order would hang 311 under 23."""
    text = (
        "code,level,title\n23,2,Construction\n236,3,Buildings\n311,3,Food\n31-33,2,Manufacturing\n"
    )
    assert parents(text) == {"23": None, "236": "23", "311": "31-33", "31-33": None}
    imported = import_csv(text, "t.csv")
    assert any(n.startswith("rows whose level puts them under another row") for n in imported.notes)
    assert parents(text, parents_from="level")["311"] == "23"


@pytest.mark.parametrize(
    ("asked", "expected"),
    [
        ("column", {"11": None, "111": None, "1111": "111"}),
        ("codes", {"11": None, "111": "11", "1111": "111"}),
        ("none", {"11": None, "111": None, "1111": None}),
    ],
)
def test_parents_from_chooses(asked: str, expected: dict[str, str | None]) -> None:
    text = "code,parent,title\n11,,Farming\n111,,Crops\n1111,111,Grain\n"
    assert parents(text, parents_from=asked) == expected


def test_names_made_into_ids_never_get_parents_from_their_spelling() -> None:
    """``car`` begins ``car_seat``, but slugs are names, not codes."""
    assert parents("id,name\ncar,Car\ncar_seat,Car seat\n") == {"car": None, "car_seat": None}


def test_padded_codes_are_imported_flat_and_the_report_says_why() -> None:
    imported = import_csv("code,title\n10000000,Live animals\n10100000,Livestock\n", "u.csv")
    assert all(label.parent is None for label in imported.labels)
    assert any("padded to one width" in n for n in imported.notes)


def test_asking_for_what_the_table_lacks_is_refused() -> None:
    with pytest.raises(TaxopsError, match="no level column"):
        import_csv("code,title\n1,A\n", "t.csv", parents_from="level")
    for level in ("one", "\u00b2", "9" * 5000):  # a word, a superscript two, too many digits
        with pytest.raises(TaxopsError, match="has a level that is not a number"):
            import_csv(f"code,level,title\n1,{level},A\n", "t.csv", parents_from="level")
    # Without asking, such a level column is not used: the codes say the tree.
    assert parents("code,level,title\n1,1,A\n11,\u00b2,B\n") == {"1": None, "11": "1"}
    with pytest.raises(TaxopsError, match="no id column"):
        import_csv("path\nA > B\n", "t.csv", parents_from="codes")


ORDER_FILE = (
    "00001 A00     0 Cholera                                                      Cholera\n"
    "00002 A000    1 Cholera due to Vibrio cholerae 01, biovar cholerae           "
    "Cholera due to Vibrio cholerae 01, biovar cholerae\n"
    "00003 A01     0 Typhoid and paratyphoid fevers                               "
    "Typhoid and paratyphoid fevers\n"
    "00004 A010    0 Typhoid fever                                                Typhoid fever\n"
    "00005 A0100   1 Typhoid fever, unspecified                                   "
    "Typhoid fever, unspecified\n"
    "00006 Z3A00   1 Weeks of gestation of pregnancy not specified                "
    "Weeks of gestation of pregnancy not specified (full title, longer than the short one)\n"
)


def test_an_order_file_imports_with_its_headings_as_the_tree() -> None:
    imported = import_code_list(ORDER_FILE, "icd10cm_order_2025.txt")
    assert_valid(imported)
    assert [(label.id, label.parent) for label in imported.labels] == [
        ("A00", None),
        ("A000", "A00"),
        ("A01", None),
        ("A010", "A01"),
        ("A0100", "A010"),
        ("Z3A00", None),
    ]
    assert imported.labels[-1].name.endswith("(full title, longer than the short one)")
    assert imported.ids == "code"
    # Its headings are exactly the codes with codes under them: leaf_only.
    assert imported.leaf_only
    assert any(
        n.startswith("'leaf_only: true': the file marks its 3 headings") for n in imported.notes
    )
    # A heading with no code under it: the flags are not the tree's leaves.
    lonely = ORDER_FILE + "00007 Z99     0 " + "Lonely heading".ljust(60) + " Lonely heading\n"
    assert not import_code_list(lonely, "icd10cm_order_2025.txt").leaf_only


def test_a_code_file_imports_code_and_title() -> None:
    text = "A000    Cholera due to Vibrio cholerae 01, biovar cholerae\r\nA001\tCholera, eltor\r\n"
    imported = import_code_list(text, "icd10cm_codes_2025.txt")
    assert [(label.id, label.name) for label in imported.labels] == [
        ("A000", "Cholera due to Vibrio cholerae 01, biovar cholerae"),
        ("A001", "Cholera, eltor"),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("A000    Cholera\nA000    Again\n", r"codes\.txt:2: the code 'A000' appears twice"),
        ("A000    Cholera\nnot-a-title\n", r"codes\.txt:2: not a line of codes"),
        ("\n\n", "is empty"),
    ],
)
def test_a_broken_code_list_names_its_line(text: str, message: str) -> None:
    with pytest.raises(TaxopsError, match=message):
        import_code_list(text, "codes.txt")


def test_a_txt_is_told_apart_by_its_lines() -> None:
    google = (
        Path(__file__).parent / "fixtures" / "taxonomy-with-ids.en-US.2021-09-21.txt"
    ).read_text(encoding="utf-8")
    assert guess_import_format("t.txt", google) == "google"
    assert guess_import_format("t.txt", ORDER_FILE) == "codes"
    assert guess_import_format("t.txt", "A000    Cholera\n") == "codes"
    # Google's file without ids is Google's (its importer says which file to take).
    without_ids = "# Google_Product_Taxonomy_Version: 2021-09-21\nAnimals & Pet Supplies\n"
    assert (
        guess_import_format("t.txt", without_ids + "Animals & Pet Supplies > Live Animals\n")
        == "google"
    )


def test_the_cli_imports_an_order_file_and_refuses_parents_from_on_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "icd10cm_order_2025.txt"
    source.write_text(ORDER_FILE, encoding="utf-8")
    out = tmp_path / "icd.yaml"
    assert (
        main(["import", str(source), "--id", "icd-10-cm", "--version", "2025", "-o", str(out)]) == 0
    )
    assert "version: '2025'\nkind: hierarchical\nids: code\nversioning: calver\n" in out.read_text(
        encoding="utf-8"
    )
    assert "- id: A0100\n  name: Typhoid fever, unspecified\n  parent: A010\n" in out.read_text(
        encoding="utf-8"
    )
    assert main(["import", str(source), "--parents-from", "codes", "-o", "-"]) == 2
    assert "--parents-from is for a CSV" in capsys.readouterr().err
    assert main(["import", str(source), "--version", "FY25", "-o", "-"]) == 2
    assert "--version FY25: 'FY25' is not a version" in capsys.readouterr().err


UNSPSC = (
    "Segment,Segment Title,Family,Family Title,Class,Class Title,Commodity,Commodity Title,"
    "Commodity Definition,Version\n"
    "10000000,Live Plant and Animal Material,,,,,,,,26.0801\n"
    "10000000,Live Plant and Animal Material,10100000,Live animals,10101500,Livestock,"
    "10101501,Cats,,26.0801\n"
    "10000000,Live Plant and Animal Material,10100000,Live animals,10101500,Livestock,"
    "10101502,Dogs,Domestic dogs,26.0801\n"
    "10000000,Live Plant and Animal Material,10110000,Domestic pet products,,,"
    "10111302,Pet grooming products,,26.0801\n"
)


def test_a_table_with_a_pair_of_columns_per_level_gives_padded_codes_their_tree() -> None:
    """UNSPSC as published: the padded codes say nothing, the columns say all;
    a row may stop at any level, or skip one."""
    imported = import_csv(UNSPSC, "unspsc.csv")
    assert_valid(imported)
    assert [(label.id, label.name, label.parent) for label in imported.labels] == [
        ("10000000", "Live Plant and Animal Material", None),
        ("10100000", "Live animals", "10000000"),
        ("10101500", "Livestock", "10100000"),
        ("10101501", "Cats", "10101500"),
        ("10101502", "Dogs", "10101500"),
        ("10110000", "Domestic pet products", "10000000"),
        ("10111302", "Pet grooming products", "10110000"),
    ]
    assert imported.labels[4].definition == "Domestic dogs"
    assert imported.notes[:2] == [
        "read as a pair of columns (code, name) per level: segment, family, class, commodity",
        "columns not carried over: Version",
    ]


def test_gpc_levels_are_named_by_their_descriptions() -> None:
    text = (
        "Segment Code,Segment Description,Family Code,Family Description,Brick Code,"
        "Brick Description\n50000000,Food,50100000,Fruits,10000025,Fruit - Frozen\n"
    )
    assert parents(text) == {"50000000": None, "50100000": "50000000", "10000025": "50100000"}


def test_a_level_table_without_codes_is_refused() -> None:
    with pytest.raises(TaxopsError, match="has no codes under its level columns"):
        import_csv("Segment,Segment Title,Family,Family Title\n,,,\n", "t.csv")


def test_a_code_without_a_name_is_skipped_with_the_codes_right_of_it() -> None:
    """As a row without a name is in a table of one code a row; a code named
    on another row keeps that name."""
    text = (
        "Segment,Segment Title,Family,Family Title,Class,Class Title\n"
        "10,Animals,1010,,101015,Livestock\n"
        "10,,1011,Pets,101113,Treats\n"
    )
    imported = import_csv(text, "t.csv")
    assert parents(text) == {"10": None, "1011": "10", "101113": "1011"}
    assert (
        "t.csv:2: the family '1010' has no name: skipped, with the codes right of it on this row"
    ) in imported.notes


def test_a_code_under_two_parents_keeps_the_first_and_says_so() -> None:
    text = "Group,Group Name,Item,Item Name\nA,First,X,Thing\nB,Second,X,Thing\n"
    imported = import_csv(text, "t.csv")
    assert parents(text)["X"] == "A"
    assert any(
        "t.csv:3: item 'X' is under 'B' here and under 'A' above" in n for n in imported.notes
    )
    with pytest.raises(TaxopsError, match="a pair of columns per level"):
        import_csv(text, "t.csv", parents_from="codes")


def test_the_harmonized_systems_table_imports_with_its_total_row_left_out() -> None:
    """HS as commonly redistributed: ``hscode`` (one word) is the id, the
    description the name, and ``TOTAL``, a parent the table does not list,
    leaves its rows at the top level, named in the report."""
    text = (
        "section,hscode,description,parent,level\n"
        'I,01,"Animals; live",TOTAL,2\n'
        'I,0101,"Horses, asses, mules and hinnies; live",01,4\n'
        "I,02,Meat,TOTAL,2\n"
        "II,08,Edible fruit and nuts,TOTAL,2\n"
        "II,0801,Coconuts,08,4\n"
    )
    imported = import_csv(text, "harmonized-system.csv")
    # '08' is no octal number to YAML 1.1, but a number to YAML 1.2: quoted.
    assert "- id: '08'\n" in imported.to_yaml()
    assert parents(text) == {"01": None, "0101": "01", "02": None, "08": None, "0801": "08"}
    assert imported.labels[1].name == "Horses, asses, mules and hinnies; live"
    assert (
        "parents that are not codes of the file: 'TOTAL' (3 labels); their labels are "
        "imported at the top level"
    ) in imported.notes


@pytest.mark.parametrize("header", ["CategoryCode,CategoryName", "categorycode,classtitle"])
def test_a_field_word_ending_a_header_word_names_the_column(header: str) -> None:
    imported = import_csv(f"{header}\nK1,Kitchen\nK11,Knives\n", "t.csv")
    assert [(label.id, label.name, label.parent) for label in imported.labels] == [
        ("K1", "Kitchen", None),
        ("K11", "Knives", "K1"),
    ]


@pytest.mark.parametrize(
    "header",
    [
        "CODE,CODE_TEXT",
        "Code,Code Title",
        "Code,Code Description",
        "CodeText,Code",
        "code,CodeText",
    ],
)
def test_a_header_ending_in_a_word_for_text_is_the_name_not_the_id(header: str) -> None:
    """``CODE_TEXT`` starts like a code column and holds the code's text."""
    first = header.split(",")[0]
    rows = "K1,Kitchen\nK11,Knives\n" if first.lower() == "code" else "Kitchen,K1\nKnives,K11\n"
    imported = import_csv(f"{header}\n{rows}", "t.csv")
    assert [(label.id, label.name) for label in imported.labels] == [
        ("K1", "Kitchen"),
        ("K11", "Knives"),
    ]


def test_words_run_into_digits_in_a_header_are_read_apart() -> None:
    """The UN's CPC structure file heads its columns ``CPC21code`` and
    ``CPC21descr``; a level table may write ``Level1Code``."""
    imported = import_csv('"CPC21code","CPC21descr"\n"01","Cereals"\n"011","Wheat"\n', "cpc.txt")
    assert [(label.id, label.name, label.parent) for label in imported.labels] == [
        ("01", "Cereals", None),
        ("011", "Wheat", "01"),
    ]
    imported = import_csv(
        "Level1Code,Level1Title,Level2Code,Level2Title\nA,Animals,A1,Dogs\n", "levels.csv"
    )
    assert [(label.id, label.name, label.parent) for label in imported.labels] == [
        ("A", "Animals", None),
        ("A1", "Dogs", "A"),
    ]


# LOINC's MultiAxialHierarchy.csv: a LOINC term sits under each part it is
# classed by, so its code has a row per parent.
LOINC_HIERARCHY = """\
"PATH_TO_ROOT","SEQUENCE","IMMEDIATE_PARENT","CODE","CODE_TEXT"
"","1","","LP29693-6","Laboratory"
"LP29693-6","1","LP29693-6","LP7819-8","Microbiology"
"LP29693-6.LP7819-8","1","LP7819-8","11475-1","Microorganism [Identifier] in Specimen by Culture"
"LP29693-6","2","LP29693-6","LP31755-9","Chemistry"
"LP29693-6.LP31755-9","1","LP31755-9","11475-1","Microorganism [Identifier] in Specimen by Culture"
"LP29693-6.LP31755-9","2","LP31755-9","2345-7","Glucose [Mass/volume] in Serum or Plasma"
"LP29693-6.LP7819-8","2","LP7819-8","2345-7","Glucose [Mass/volume] in Serum or Plasma"
"""


def test_a_code_listed_under_several_parents_is_one_label_under_its_first() -> None:
    imported = import_csv(LOINC_HIERARCHY, "MultiAxialHierarchy.csv")
    assert_valid(imported)
    assert [(label.id, label.parent) for label in imported.labels] == [
        ("LP29693-6", None),
        ("LP7819-8", "LP29693-6"),
        ("11475-1", "LP7819-8"),
        ("LP31755-9", "LP29693-6"),
        ("2345-7", "LP31755-9"),
    ]
    assert "columns not carried over: PATH_TO_ROOT, SEQUENCE" in imported.notes
    assert (
        "2 codes are listed again in later rows: '11475-1' (line 6), '2345-7' (line 8); a label "
        "has one parent, its first row's (those rows are left out)"
    ) in imported.notes


def test_a_spreadsheet_imports_as_its_csv_would(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The Census Bureau's XLSX as published: a title row above the column
    names, codes stored as numbers (one padded by its cell format), the table
    on a named sheet when asked."""
    import openpyxl

    path = tmp_path / "2-6 digit_2017_Codes.xlsx"
    book = openpyxl.Workbook()
    cover = book.active
    assert cover is not None
    cover.title = "About"
    cover.append(["This workbook lists codes"])
    sheet = book.create_sheet("Codes")
    sheet.append(["2017 NAICS Codes and Titles"])
    sheet.append(["Seq. No.", "2017 NAICS US   Code", "2017 NAICS US Title"])
    sheet.append([1, 11, "Agriculture, Forestry, Fishing and Hunting"])
    sheet.append([2, 111, "Crop Production"])
    sheet.append([3, 1111.0, "Oilseed and Grain Farming"])
    sheet.append([4, 7, "Padded"])
    sheet.cell(row=6, column=2).number_format = "000"
    book.save(path)
    out = tmp_path / "naics.yaml"
    assert main(["import", str(path), "--sheet", "Codes", "--id", "naics", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "title rows above the column names left out: 2017 NAICS Codes and Titles" in err
    text = out.read_text(encoding="utf-8")
    assert "- id: '1111'\n  name: Oilseed and Grain Farming\n  parent: '111'\n" in text
    assert "- id: '007'\n  name: Padded\n" in text
    assert main(["import", str(path), "--sheet", "Nope", "-o", "-"]) == 2
    assert "has no sheet 'Nope'" in capsys.readouterr().err
    table_csv = tmp_path / "codes.csv"
    table_csv.write_text("code,title\n11,Farming\n", encoding="utf-8")
    assert main(["import", str(table_csv), "--sheet", "Codes", "-o", "-"]) == 2
    assert "--sheet is for a spreadsheet" in capsys.readouterr().err


def test_reading_a_sheet_reports_its_progress(tmp_path: Path) -> None:
    import openpyxl
    from taxops import spreadsheet

    path = tmp_path / "t.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for n in range(12_000):
        sheet.append([f"C{n}", f"Code {n}"])
    book.save(path)
    heard: list[float] = []
    rows = spreadsheet.read_xlsx(path, progress=heard.append)
    assert len(rows) == 12_000
    assert heard == sorted(heard) and heard[0] == 0 and heard[-1] == 100 and len(heard) >= 3


def test_a_cell_too_long_to_be_a_code_is_no_ones_parent() -> None:
    """Each code is compared at each of its lengths: a 100,000-character
    cell would take seconds each. No id is that long, so it is left out."""
    long = "1" * 100_000
    assert parents_from_codes([long, long + "1", "1", "11"]) == {"11": "1"}


CPV = (
    "CODE,BG,DE,EN,FR\n"
    "03000000-1,Земеделски продукти,Landwirtschaftliche Erzeugnisse,Agricultural products,"
    "Produits agricoles\n"
)


@pytest.mark.parametrize(
    ("lang", "name", "said"),
    [
        ("en", "Agricultural products", "the language asked for"),
        ("de-AT", "Landwirtschaftliche Erzeugnisse", "the language asked for"),
        ("it", "Земеделски продукти", "no column is in it"),
    ],
)
def test_a_column_per_language_gives_the_names_in_the_one_asked_for(
    lang: str, name: str, said: str
) -> None:
    """CPV as the EU publishes it: a code, then one column per language."""
    imported = import_csv(CPV, "cpv_2008.csv", lang=lang)
    assert_valid(imported)
    assert [(label.id, label.name) for label in imported.labels] == [("03000000-1", name)]
    assert any(said in note and "--lang chooses" in note for note in imported.notes)


def test_name_columns_in_several_languages_take_the_one_asked_for() -> None:
    text = "Code,Title (en),Title (fr)\nA,Apple,Pomme\n"
    assert import_csv(text, "t.csv", lang="fr").labels[0].name == "Pomme"
    assert import_csv(text, "t.csv").labels[0].name == "Apple"


def test_a_parent_named_by_a_key_of_the_export_is_read_through_it() -> None:
    """A database's export: rows point at their parent by a key of their own,
    and the codes are another column."""
    text = (
        "Key,Parent key,Code,English Title\n"
        "100,,10000000,Live Plant and Animal Material\n"
        "101,100,10100000,Live animals\n"
        "102,101,10101500,Livestock\n"
        "103,102,10101501,Cats\n"
    )
    assert parents(text) == {
        "10000000": None,
        "10100000": "10000000",
        "10101500": "10100000",
        "10101501": "10101500",
    }
    notes = import_csv(text, "t.csv").notes
    assert (
        "the parent column names rows by their 'Key', not by their code: parents are read through it"
        in notes
    )


def test_a_code_that_is_its_own_parent_goes_to_the_top_level() -> None:
    """A publisher's slip (journey 7): reported, never blocking the import."""
    text = "code,parent,title\n11,11,Farming\n111,11,Crops\n"
    assert parents(text) == {"11": None, "111": "11"}
    notes = import_csv(text, "t.csv").notes
    assert "labels that name themselves as parent: '11'; imported at the top level" in notes


@pytest.mark.parametrize(
    ("name", "raw", "expected", "said"),
    [
        # Excel on Windows saves a CSV in Windows-1252.
        (
            "codes.csv",
            "code,title\n11,Caf\u00e9 \u2013 bars\n".encode("cp1252"),
            "Caf\u00e9 \u2013 bars",
            "Windows-1252",
        ),
        # Excel's "Unicode Text": UTF-16 with its byte-order mark, tab-separated.
        (
            "codes.txt",
            "\ufeffCode\tTitle\n11\tCaf\u00e9 \u2013 bars\n".encode("utf-16-le"),
            "Caf\u00e9 \u2013 bars",
            "UTF-16",
        ),
        (
            "go.obo",
            "\ufeff[Term]\nid: GO:1\nname: Caf\u00e9 \u2013 bars\n".encode("utf-16-be"),
            "Caf\u00e9 \u2013 bars",
            "UTF-16",
        ),
        (
            "codes.csv",
            "\ufeffcode,title\n11,Caf\u00e9 \u2013 bars\n".encode("utf-32-le"),
            "Caf\u00e9 \u2013 bars",
            "UTF-32",
        ),
        # An XML file in the encoding it declares.
        (
            "icd.xml",
            '<?xml version="1.0" encoding="ISO-8859-1"?><ClaML><Class code="A"><Rubric '
            'kind="preferred"><Label>Abh\u00e4ngigkeit</Label></Rubric></Class></ClaML>'.encode(
                "latin-1"
            ),
            "Abh\u00e4ngigkeit",
            "ISO-8859-1",
        ),
    ],
)
def test_a_file_that_is_not_utf8_is_read_in_its_encoding_and_said(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    raw: bytes,
    expected: str,
    said: str,
) -> None:
    source = tmp_path / name
    source.write_bytes(raw)
    assert main(["import", str(source), "--id", "t", "-o", str(tmp_path / "t.yaml")]) == 0
    assert f"name: {expected}\n" in (tmp_path / "t.yaml").read_text(encoding="utf-8")
    assert f"the file is not UTF-8: it was read as {said}" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("raw", "said"),
    [
        (b"code,title\n11,\x81\x8d\x8f\n", "is neither UTF-8 nor Windows-1252 text"),
        # UTF-16 without its byte-order mark decodes as UTF-8 full of NULs.
        ("code,title\n11,Farming\n".encode("utf-16-le"), "holds NUL bytes"),
        # A UTF-16 mark, then a lone half of a surrogate pair.
        (b"\xff\xfec\x00,\x00\x00\xd8", "byte-order mark but is not UTF-16 text"),
    ],
)
def test_bytes_in_no_text_encoding_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], raw: bytes, said: str
) -> None:
    source = tmp_path / "codes.csv"
    source.write_bytes(raw)
    assert main(["import", str(source), "-o", "-"]) == 2
    assert said in capsys.readouterr().err


def test_loincs_table_imports_with_its_number_as_the_id_and_its_deprecated_codes_to_review() -> (
    None
):
    """LOINC's core table: ``LOINC_NUM`` (a number word, taken when no column
    says code), the long common name before the short one, deprecated codes
    that name no replacement sent to review; the check digit makes no tree."""
    text = (
        '"LOINC_NUM","COMPONENT","LONG_COMMON_NAME","SHORTNAME","STATUS"\n'
        '"10000-8","R wave duration.lead AVR","R wave duration in lead AVR","R wave dur L-AVR",'
        '"ACTIVE"\n'
        '"1000-9","DBG Ab","DBG Ab [Presence] in Serum","DBG Ab Ser Ql","DEPRECATED"\n'
    )
    imported = import_csv(text, "LoincTableCore.csv")
    assert_valid(imported)
    assert [
        (label.id, label.name, label.parent, label.status, label.replacement)
        for label in imported.labels
    ] == [
        ("10000-8", "R wave duration in lead AVR", None, "active", None),
        ("1000-9", "DBG Ab [Presence] in Serum", None, "deprecated", "review"),
    ]


def test_a_code_column_wins_over_a_number_column() -> None:
    text = "Seq. No.,2017 NAICS US Code,2017 NAICS US Title\n1,11,Farming\n2,111,Crops\n"
    assert parents(text) == {"11": None, "111": "11"}


def test_a_header_of_group_names_over_field_names_is_read_as_one() -> None:
    """A sheet's merged group cells over Code and Title columns."""
    text = (
        "Segment,,Family,,Commodity,\n"
        "Code,Title,Code,Title,Code,Title\n"
        "10000000,Live Plant,10100000,Live animals,10101501,Cats\n"
    )
    assert parents(text) == {"10000000": None, "10100000": "10000000", "10101501": "10100000"}
    # A first row of data that reads like field names is data: no cell is left empty over it.
    assert [label.id for label in import_csv("id,name\ncode,Title\n", "t.csv").labels] == ["code"]


@pytest.mark.parametrize(
    ("codes", "widths", "expected"),
    [
        # UNSPSC: two digits a level; family 1011 is no child of family 1010.
        (
            ["10000000", "10100000", "10101500", "10101501", "10110000", "10111302"],
            (2, 2, 2, 2),
            {
                "10100000": "10000000",
                "10101500": "10100000",
                "10101501": "10101500",
                "10110000": "10000000",
                "10111302": "10110000",  # its class 10111300 is not listed: the family
            },
        ),
        # CPV: a division of two digits, then one a level; the check digit is no digit of it.
        (
            ["03000000-1", "03100000-2", "03110000-5", "03111000-2", "03200000-3"],
            (2, 1, 1, 1, 1, 1, 1),
            {
                "03100000-2": "03000000-1",
                "03110000-5": "03100000-2",
                "03111000-2": "03110000-5",
                "03200000-3": "03000000-1",
            },
        ),
        # Codes of another width, or not digits, have no parent and are no one's.
        (["10000000", "101000", "1010000X"], (2, 2, 2, 2), {}),
    ],
)
def test_padded_codes_say_their_parents_given_each_levels_digits(
    codes: list[str], widths: tuple[int, ...], expected: dict[str, str]
) -> None:
    assert parents_from_padding(codes, widths) == expected


def test_code_levels_give_a_codes_only_unspsc_its_tree(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "unspsc-codes.csv"
    source.write_text(
        "Code,Title\n10000000,Live Plant\n10100000,Live animals\n10101500,Livestock\n",
        encoding="utf-8",
    )
    out = tmp_path / "u.yaml"
    assert main(["import", str(source), "--code-levels", "2,2,2,2", "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "- id: '10101500'\n  name: Livestock\n  parent: '10100000'\n" in text
    assert "levels of 2, 2, 2, 2 digits" in capsys.readouterr().err
    for bad in ("2,x", "2", "2,0", "9,9,9,9"):
        with pytest.raises(SystemExit):
            main(["import", str(source), "--code-levels", bad, "-o", "-"])
        assert "--code-levels" in capsys.readouterr().err
    assert main(["import", str(source), "--code-levels", "2,2", "--parents-from", "codes"]) == 2
    assert "without --parents-from" in capsys.readouterr().err
