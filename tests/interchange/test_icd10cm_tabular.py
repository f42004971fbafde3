"""ICD-10-CM's tabular list (``icd10cm_tabular_*.xml``, as NCHS and CMS
publish it) imports with its chapters, sections and codes as the tree, codes
with their dots, and every 7th character made into the code a record carries,
named as the edition's order file names it; a hostile file is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from taxops.cli.main import main
from taxops.diagnostics import TaxopsError
from taxops.interchange.code_list import import_code_list
from taxops.interchange.formats import guess_import_format
from taxops.interchange.icd10cm_tabular import import_icd10cm_tabular
from test_imports import assert_valid

# The elements and their order as the 2026 list writes them (shortened): an
# introduction, a chapter's section index, notes of every kind, a section of
# one category, and 7th characters on a category, overridden below it.
TABULAR = """\
<?xml version="1.0" encoding="utf-8"?>
<ICD10CM.tabular>
  <version>2026</version>
  <introduction>
    <introSection type="title"><title>ICD-10-CM TABULAR LIST of DISEASES and INJURIES</title>
    </introSection>
    <introSection type="instruction"><title>Excludes1</title>
      <instruction><note>A type 1 Excludes note is a pure excludes.</note></instruction>
    </introSection>
  </introduction>
  <chapter>
    <name>1</name>
    <desc>Certain infectious and parasitic diseases (A00-B99)</desc>
    <includes><note>diseases generally recognized as communicable or transmissible</note></includes>
    <sectionIndex>
      <sectionRef first="A00" last="A09" id="A00-A09">
         Intestinal infectious diseases
      </sectionRef>
      <sectionRef first="B10" last="B10" id="B10">Other human herpesviruses</sectionRef>
    </sectionIndex>
    <section id="A00-A09">
      <desc>Intestinal infectious diseases (A00-A09)</desc>
      <diag>
        <name>A00</name>
        <desc>Cholera</desc>
        <diag>
          <name>A00.0</name>
          <desc>Cholera due to Vibrio cholerae 01,
            biovar cholerae</desc>
          <inclusionTerm><note>Classical cholera</note></inclusionTerm>
        </diag>
        <diag>
          <name>A00.9</name>
          <desc>Cholera, unspecified &amp; &lt;other&gt;</desc>
        </diag>
      </diag>
    </section>
    <section id="B10">
      <desc>Other human herpesviruses (B10)</desc>
      <diag>
        <name>B10</name>
        <desc>Other human herpesviruses</desc>
        <excludes2><note>cytomegalovirus (B25.9)</note></excludes2>
      </diag>
    </section>
  </chapter>
  <chapter>
    <name>19</name>
    <desc>Injury, poisoning and certain other consequences of external causes (S00-T88)</desc>
    <section id="S00-S09">
      <desc>Injuries to the head (S00-S09)</desc>
      <diag>
        <name>S02</name>
        <desc>Fracture of skull and facial bones</desc>
        <sevenChrNote><note>The appropriate 7th character is to be added to each code from
          category S02</note></sevenChrNote>
        <sevenChrDef>
          <extension char="A">initial encounter for closed fracture</extension>
          <extension char="B">initial encounter for open fracture</extension>
        </sevenChrDef>
        <diag>
          <name>S02.0</name>
          <desc>Fracture of vault of skull</desc>
        </diag>
        <diag>
          <name>S02.10</name>
          <desc>Unspecified fracture of base of skull</desc>
          <diag>
            <name>S02.101</name>
            <desc>Fracture of base of skull, right side</desc>
          </diag>
        </diag>
        <diag>
          <name>S02.6</name>
          <desc>Fracture of mandible</desc>
          <sevenChrDef>
            <extension char="S">sequela</extension>
          </sevenChrDef>
        </diag>
      </diag>
      <diag>
        <name>S09</name>
        <desc>Other and unspecified injuries of head</desc>
      </diag>
    </section>
  </chapter>
</ICD10CM.tabular>
"""

# The same codes as the edition's order file lists them (sequence, code without
# its dot, 1 valid on a record / 0 heading, short title, full title).
ORDER = [
    ("A00", 0, "Cholera"),
    ("A000", 1, "Cholera due to Vibrio cholerae 01, biovar cholerae"),
    ("A009", 1, "Cholera, unspecified & <other>"),
    ("B10", 1, "Other human herpesviruses"),
    ("S02", 0, "Fracture of skull and facial bones"),
    ("S020", 0, "Fracture of vault of skull"),
    ("S020XXA", 1, "Fracture of vault of skull, initial encounter for closed fracture"),
    ("S020XXB", 1, "Fracture of vault of skull, initial encounter for open fracture"),
    ("S0210", 0, "Unspecified fracture of base of skull"),
    ("S02101", 0, "Fracture of base of skull, right side"),
    ("S02101A", 1, "Fracture of base of skull, right side, initial encounter for closed fracture"),
    ("S02101B", 1, "Fracture of base of skull, right side, initial encounter for open fracture"),
    ("S026", 0, "Fracture of mandible"),
    ("S026XXS", 1, "Fracture of mandible, sequela"),
    ("S09", 1, "Other and unspecified injuries of head"),
]


def test_the_tabular_list_imports_as_published() -> None:
    imported = import_icd10cm_tabular(TABULAR, "icd10cm_tabular_2026.xml")
    assert_valid(imported)
    assert (imported.id, imported.title, imported.version, imported.versioning) == (
        "icd-10-cm",
        "ICD-10-CM",
        "2026",
        "calver",
    )
    assert (imported.ids, imported.leaf_only, imported.kind) == ("code", True, "hierarchical")
    assert [(label.id, label.parent) for label in imported.labels] == [
        ("1", None),
        ("A00-A09", "1"),
        ("A00", "A00-A09"),
        ("A00.0", "A00"),
        ("A00.9", "A00"),
        ("B10-B10", "1"),  # the section of one category: the category has 'B10'
        ("B10", "B10-B10"),
        ("19", None),
        ("S00-S09", "19"),
        ("S02", "S00-S09"),
        ("S02.0", "S02"),
        ("S02.0XXA", "S02.0"),  # padded with X to six characters, then the 7th
        ("S02.0XXB", "S02.0"),
        ("S02.10", "S02"),
        ("S02.101", "S02.10"),
        ("S02.101A", "S02.101"),  # six characters already: no X
        ("S02.101B", "S02.101"),
        ("S02.6", "S02"),
        ("S02.6XXS", "S02.6"),  # its own 7th characters, not its category's
        ("S09", "S00-S09"),  # outside the category: none
    ]
    names = {label.id: label.name for label in imported.labels}
    assert names["A00.0"] == "Cholera due to Vibrio cholerae 01, biovar cholerae"
    assert names["A00.9"] == "Cholera, unspecified & <other>"  # text, as the file means it
    assert names["S02.0XXA"] == "Fracture of vault of skull, initial encounter for closed fracture"
    assert imported.notes[0].startswith("5 codes are a code and its 7th character")
    assert imported.notes[1].startswith("1 section of one category gets an id")
    assert imported.notes[-1] == (
        "instructional notes not carried over (a guideline's to state): includes (1), "
        "inclusion terms (1), excludes2 (1), 7th character notes (1)"
    )


def test_its_codes_are_the_order_files_without_their_dots() -> None:
    """What the edition's two files say must agree: the same codes valid on a
    record (the order file's flag 1 is a leaf here), under the same codes,
    with the same full titles."""
    order = "".join(
        f"{n:05d} {code:<7} {flag} {title[:60]:<60} {title}\n"
        for n, (code, flag, title) in enumerate(ORDER, start=1)
    )
    from_order = import_code_list(order, "icd10cm_order_2026.txt")
    tabular = import_icd10cm_tabular(TABULAR, "icd10cm_tabular_2026.xml")
    codes = [label for label in tabular.labels if label.id[:1].isalpha() and "-" not in label.id]
    has_children = {label.parent for label in tabular.labels}

    def undotted(code: str | None) -> str | None:
        return None if code is None else code.replace(".", "")

    assert [(undotted(label.id), label.name) for label in codes] == [
        (code, title) for code, _, title in ORDER
    ]
    assert [int(label.id not in has_children) for label in codes] == [flag for _, flag, _ in ORDER]
    parents = {label.id: label.parent for label in from_order.labels}
    assert {
        undotted(label.id): undotted(label.parent)
        for label in codes
        if label.parent in {c.id for c in codes}
    } == {code: parent for code, parent in parents.items() if parent is not None}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # Entities expanding a billion times are refused before any is expanded.
        (
            '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
            "<ICD10CM.tabular><chapter><name>1</name><desc>&lol2;</desc></chapter>"
            "</ICD10CM.tabular>",
            "is not ICD-10-CM's tabular list",
        ),
        # An external entity is never read.
        (
            '<?xml version="1.0"?><!DOCTYPE t [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            "<ICD10CM.tabular><chapter><name>1</name><desc>&x;</desc></chapter>"
            "</ICD10CM.tabular>",
            "is not ICD-10-CM's tabular list",
        ),
        ("<ICD10CM.tabular><chapter><name>1</name>", "is not ICD-10-CM's tabular list"),
        ("<ClaML><Class code='A'/></ClaML>", "its root element is 'ClaML'"),
        ("<ICD10CM.tabular><chapter><name>1</name></chapter></ICD10CM.tabular>", "has no code"),
        (
            "<ICD10CM.tabular><chapter><name>1</name><section id='A00-A09'><diag><desc>x</desc>"
            "</diag></section></chapter></ICD10CM.tabular>",
            "has a diag without a code",
        ),
        (
            "<ICD10CM.tabular><chapter><name>1</name><section id='A00-A09'>"
            "<diag><name>A00</name></diag><diag><name>A00</name></diag>"
            "</section></chapter></ICD10CM.tabular>",
            "has the code 'A00' twice",
        ),
        (
            "<ICD10CM.tabular><chapter><name>1</name><section id='A00-A09'>"
            "<diag><name>A 00</name></diag></section></chapter></ICD10CM.tabular>",
            "the code 'A 00', which cannot be an id",
        ),
    ],
)
def test_a_hostile_or_broken_file_is_refused(text: str, message: str) -> None:
    with pytest.raises(TaxopsError, match=message):
        import_icd10cm_tabular(text, "f.xml")


def test_a_7th_character_is_one_character() -> None:
    """An extension that is empty, or longer than one character, makes no
    code: the report names it."""
    text = TABULAR.replace(
        '<extension char="S">sequela</extension>',
        '<extension char="S">sequela</extension><extension char="">none</extension>'
        '<extension char="AB">two</extension>',
    )
    imported = import_icd10cm_tabular(text, "icd10cm_tabular_2026.xml")
    assert_valid(imported)
    assert [label.id for label in imported.labels if label.parent == "S02.6"] == ["S02.6XXS"]
    assert "the 7th character 'AB' of 'S02.6' gives no new code: left out" in imported.notes


def test_an_xml_file_is_told_apart_by_its_root() -> None:
    assert guess_import_format("icd10cm_tabular_2026.xml", TABULAR) == "icd10cm-tabular"
    with_doctype = TABULAR.replace(
        "<ICD10CM.tabular>", "<!DOCTYPE ICD10CM.tabular>\n<ICD10CM.tabular>", 1
    )
    assert guess_import_format("t.xml", with_doctype) == "icd10cm-tabular"
    assert guess_import_format("t.xml", "<ClaML><Class code='A'/></ClaML>") == "claml"
    assert guess_import_format("t.xml", "<!-- <ICD10CM.tabular> -->\n<View/>") == "label-studio"


def test_a_team_starts_from_one_edition_and_takes_in_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Journey 7 with the tabular list: init from the 2026 list, then the 2027
    list into it (a code added, a code deleted), as the publisher ships them."""
    source = tmp_path / "icd10cm_tabular_2026.xml"
    source.write_text(TABULAR, encoding="utf-8")
    repo = tmp_path / "repo"
    assert main(["init", str(repo), "--from", str(source)]) == 0
    taxonomy = repo / "taxonomies" / "icd-10-cm" / "taxonomy.yaml"
    text = taxonomy.read_text(encoding="utf-8")
    assert "version: '2026'\n" in text and "leaf_only: true\n" in text
    assert "- id: S02.0XXA\n  name: Fracture of vault of skull, initial encounter" in text
    monkeypatch.chdir(repo)
    assert main(["check"]) == 0, capsys.readouterr().out
    following = tmp_path / "icd10cm_tabular_2027.xml"
    following.write_text(
        TABULAR.replace("<version>2026</version>", "<version>2027</version>")
        .replace(
            '<extension char="S">sequela</extension>',
            '<extension char="S">sequela</extension>\n<extension char="D">subsequent '
            "encounter</extension>",
        )
        .replace("<diag>\n          <name>A00.9</name>", "<diag>\n          <name>A00.8</name>"),
        encoding="utf-8",
    )
    capsys.readouterr()
    assert main(["import", str(following), "--into", "icd-10-cm"]) == 0
    said = capsys.readouterr()
    assert "version 2027" in said.err + said.out
    text = taxonomy.read_text(encoding="utf-8")
    assert "- id: S02.6XXD\n  name: Fracture of mandible, subsequent encounter\n" in text
    assert "- id: A00.8\n" in text
