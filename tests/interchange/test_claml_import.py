"""A classification in ClaML (the WHO's XML for ICD-10 and its national
editions) imports with its codes as published, its names in the language
asked for, its tree from SuperClass (or SubClass), and a report of what a
taxonomy does not hold; a hostile file is refused with a clear message."""

from __future__ import annotations

from pathlib import Path

import pytest
from taxops.cli.main import main
from taxops.diagnostics import TaxopsError
from taxops.interchange.claml import import_claml
from taxops.interchange.formats import guess_import_format
from test_imports import assert_valid

ICD_10_GM = """\
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE ClaML SYSTEM "ClaML.dtd">
<ClaML version="2.0.0">
  <Meta name="lang" value="de"/>
  <Title name="ICD-10-GM" version="2025" date="2024-09-13">ICD-10-GM Version 2025</Title>
  <ModifierClass modifier="S04F20_4" code="0">
    <Rubric kind="preferred"><Label xml:lang="de">Ohne</Label></Rubric>
  </ModifierClass>
  <Class code="01" kind="chapter">
    <SubClass code="A00-A09"/>
    <Rubric kind="preferred">
      <Label xml:lang="de">Bestimmte infektiöse und parasitäre Krankheiten</Label>
      <Label xml:lang="en-GB">Certain infectious and parasitic diseases</Label>
    </Rubric>
  </Class>
  <Class code="A00-A09" kind="block">
    <SubClass code="A00"/>
    <Rubric kind="preferred"><Label xml:lang="de">Infektiöse Darmkrankheiten</Label></Rubric>
  </Class>
  <Class code="A00" kind="category">
    <SuperClass code="A00-A09"/>
    <Rubric kind="preferred"><Label xml:lang="de">Cholera</Label></Rubric>
    <Rubric kind="definition"><Label xml:lang="de">Akute <Term>Darminfektion</Term>.</Label></Rubric>
    <Rubric kind="exclusion"><Label xml:lang="de">Typhus (<Reference>A01</Reference>)</Label></Rubric>
  </Class>
  <Class code="A00.0" kind="category">
    <SuperClass code="A00"/>
    <Rubric kind="preferred"><Label xml:lang="de">Cholera durch <Term>Vibrio cholerae</Term> O:1,
      Biovar cholerae</Label></Rubric>
    <Rubric kind="inclusion"><Label xml:lang="de">Klassische Cholera</Label></Rubric>
  </Class>
  <Class code="Z99" kind="category">
    <SuperClass code="XXII"/>
    <Rubric kind="preferred"><Label xml:lang="de">Abhängigkeit</Label></Rubric>
  </Class>
</ClaML>
"""


def test_a_national_edition_imports_as_published() -> None:
    imported = import_claml(ICD_10_GM, "icd10gm2025.xml", "de")
    assert_valid(imported)
    assert (imported.id, imported.title, imported.version, imported.versioning) == (
        "icd-10-gm",
        "ICD-10-GM",
        "2025",
        "calver",
    )
    assert [(label.id, label.name, label.parent) for label in imported.labels] == [
        ("01", "Bestimmte infektiöse und parasitäre Krankheiten", None),
        ("A00-A09", "Infektiöse Darmkrankheiten", "01"),  # from the chapter's SubClass
        ("A00", "Cholera", "A00-A09"),
        ("A00.0", "Cholera durch Vibrio cholerae O:1, Biovar cholerae", "A00"),
        ("Z99", "Abhängigkeit", None),  # its superclass is not in the file
    ]
    assert imported.labels[2].definition == "Akute Darminfektion."
    assert imported.ids == "code"
    assert imported.notes == [
        "parents that are not codes of the file: 'XXII' (1 label); their labels are imported "
        "at the top level",
        "rubrics not carried over (a taxonomy holds names and definitions): exclusion (1), "
        "inclusion (1)",
        "modifier classes not carried over: 1 (the codes they extend categories with are not "
        "classes of the file)",
    ]


def test_names_come_in_the_language_asked_for_else_the_files() -> None:
    english = import_claml(ICD_10_GM, "icd.xml", "en")
    assert english.labels[0].name == "Certain infectious and parasitic diseases"  # en-GB
    assert english.labels[2].name == "Cholera"  # only German: taken all the same


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # The billion laughs: entities are refused, never expanded.
        (
            '<?xml version="1.0"?><!DOCTYPE ClaML [<!ENTITY a "aaaaaaaaaa">'
            '<!ENTITY b "&a;&a;&a;&a;&a;">]><ClaML><Class code="A">&b;</Class></ClaML>',
            "is not a ClaML classification",
        ),
        # An external entity is never read.
        (
            '<?xml version="1.0"?><!DOCTYPE ClaML [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            '<ClaML><Class code="A"><Rubric kind="preferred"><Label>&x;</Label></Rubric>'
            "</Class></ClaML>",
            "is not a ClaML classification",
        ),
        ("<ClaML><Class code='A'>", "is not a ClaML classification"),
        ("<View><Choices name='x'/></View>", "its root element is 'View'"),
        ("<ClaML></ClaML>", "has no Class"),
    ],
)
def test_a_hostile_or_broken_file_is_refused(text: str, message: str) -> None:
    with pytest.raises(TaxopsError, match=message):
        import_claml(text, "f.xml")


def test_an_xml_file_is_told_apart_by_its_root() -> None:
    assert guess_import_format("icd10gm2025syst_claml.xml", ICD_10_GM) == "claml"
    config = '<View><Text name="text" value="$text"/><Choices name="label"/></View>'
    assert guess_import_format("label_config.xml", config) == "label-studio"
    assert guess_import_format("x.xml", "<!-- <ClaML> -->\n<View/>") == "label-studio"


def test_the_cli_imports_claml_from_its_extension(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "icd10gm2025syst_claml_20240913.xml"
    source.write_text(ICD_10_GM, encoding="utf-8")
    out = tmp_path / "icd.yaml"
    assert main(["import", str(source), "--lang", "de", "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "versioning: calver\n" in text and "version: '2025'\n" in text
    assert "- id: '01'\n  name: Bestimmte infektiöse und parasitäre Krankheiten\n" in text
    assert "rubrics not carried over" in capsys.readouterr().err
