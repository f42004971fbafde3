"""MeSH's descriptors (``desc2025.xml``, as the NLM publishes them) import
with their UIs as ids, the tree from their tree numbers, the preferred
concept's scope note and entry terms; the descriptors a record refers to are
never read as its own; a hostile file is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from editions import released_import
from taxops.cli.main import main
from taxops.diagnostics import TaxopsError
from taxops.interchange.formats import guess_import_format
from taxops.interchange.mesh import import_mesh
from test_imports import assert_valid

# The shape of desc2025.xml (shortened): a DTD named, a record that refers to
# another descriptor (with its UI and name) before its own tree numbers, a
# preferred concept and another concept, a descriptor in two trees.
DESC = """\
<?xml version="1.0"?>
<!DOCTYPE DescriptorRecordSet SYSTEM "https://www.nlm.nih.gov/databases/dtd/nlmdescriptorrecordset_20250101.dtd">
<DescriptorRecordSet LanguageCode="eng">
  <DescriptorRecord DescriptorClass="1">
    <DescriptorUI>D009369</DescriptorUI>
    <DescriptorName><String>Neoplasms</String></DescriptorName>
    <Annotation>general; prefer specifics</Annotation>
    <SeeRelatedList>
      <SeeRelatedDescriptor>
        <DescriptorReferredTo>
          <DescriptorUI>D000912</DescriptorUI>
          <DescriptorName><String>Antibodies, Neoplasm</String></DescriptorName>
        </DescriptorReferredTo>
      </SeeRelatedDescriptor>
    </SeeRelatedList>
    <TreeNumberList><TreeNumber>C04</TreeNumber></TreeNumberList>
    <ConceptList>
      <Concept PreferredConceptYN="Y">
        <ConceptUI>M0014585</ConceptUI>
        <ConceptName><String>Neoplasms</String></ConceptName>
        <ScopeNote>New abnormal growth of tissue.
        </ScopeNote>
        <TermList>
          <Term ConceptPreferredTermYN="Y" RecordPreferredTermYN="Y"><String>Neoplasms</String></Term>
          <Term ConceptPreferredTermYN="N" RecordPreferredTermYN="N"><String>Tumors</String></Term>
          <Term ConceptPreferredTermYN="N" RecordPreferredTermYN="N"><String>Neoplasia</String></Term>
        </TermList>
      </Concept>
      <Concept PreferredConceptYN="N">
        <ConceptName><String>Cancer</String></ConceptName>
        <TermList><Term><String>Cancer</String></Term><Term><String>Malignancy</String></Term></TermList>
      </Concept>
    </ConceptList>
  </DescriptorRecord>
  <DescriptorRecord DescriptorClass="1">
    <DescriptorUI>D009370</DescriptorUI>
    <DescriptorName><String>Neoplasms by Histologic Type</String></DescriptorName>
    <TreeNumberList><TreeNumber>C04.557</TreeNumber></TreeNumberList>
  </DescriptorRecord>
  <DescriptorRecord DescriptorClass="1">
    <DescriptorUI>D018197</DescriptorUI>
    <DescriptorName><String>Hamartoma</String></DescriptorName>
    <TreeNumberList><TreeNumber>C04.557.470</TreeNumber><TreeNumber>C16.300.470</TreeNumber></TreeNumberList>
  </DescriptorRecord>
  <DescriptorRecord DescriptorClass="1">
    <DescriptorUI>D001829</DescriptorUI>
    <DescriptorName><String>Body Regions</String></DescriptorName>
    <TreeNumberList><TreeNumber>A01</TreeNumber></TreeNumberList>
  </DescriptorRecord>
</DescriptorRecordSet>
"""


def test_the_descriptors_import_as_published() -> None:
    imported = import_mesh(DESC, "desc2025.xml")
    assert_valid(imported)
    assert (imported.id, imported.title, imported.version, imported.versioning, imported.ids) == (
        "mesh",
        "MeSH",
        "2025",
        "calver",
        "code",
    )
    assert [
        (label.id, label.name, label.parent, label.definition, label.aliases)
        for label in imported.labels
    ] == [
        ("D009369", "Neoplasms", None, "New abnormal growth of tissue.", ["Tumors", "Neoplasia"]),
        ("D009370", "Neoplasms by Histologic Type", "D009369", None, []),
        ("D018197", "Hamartoma", "D009370", None, []),  # its first tree
        ("D001829", "Body Regions", None, None, []),
    ]
    assert imported.notes == [
        "1 descriptor is in several trees: a taxonomy keeps one parent, the one the first tree "
        "number gives",
        "terms of concepts other than the preferred one are not aliases (they name broader, "
        "narrower or related things): 2",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            "<DescriptorRecordSet><DescriptorRecord><DescriptorUI>D1</DescriptorUI>"
            "<DescriptorName><String>&x;</String></DescriptorName></DescriptorRecord>"
            "</DescriptorRecordSet>",
            "is not MeSH's descriptors",
        ),
        ("<DescriptorRecordSet><DescriptorRecord>", "is not MeSH's descriptors"),
        ("<ClaML/>", "its root element is 'ClaML'"),
        ("<DescriptorRecordSet/>", "has no DescriptorRecord"),
        (
            "<DescriptorRecordSet><DescriptorRecord><DescriptorName><String>x</String>"
            "</DescriptorName></DescriptorRecord></DescriptorRecordSet>",
            "a descriptor without a DescriptorUI",
        ),
        (
            "<DescriptorRecordSet>"
            + "<DescriptorRecord><DescriptorUI>D1</DescriptorUI></DescriptorRecord>" * 2
            + "</DescriptorRecordSet>",
            "the descriptor 'D1' twice",
        ),
    ],
)
def test_a_hostile_or_broken_file_is_refused(text: str, message: str) -> None:
    with pytest.raises(TaxopsError, match=message):
        import_mesh(text, "desc2025.xml")


def test_the_descriptor_file_is_told_apart_by_its_root() -> None:
    assert guess_import_format("desc2025.xml", DESC) == "mesh"


def test_a_team_takes_in_next_years_descriptors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Journey 7 with MeSH: 2024's descriptors imported and released, 2025's
    imported into them (a descriptor renamed, one deleted, one added)."""
    repo = tmp_path / "repo"
    run = ["--repo", str(repo)]
    last = tmp_path / "desc2024.xml"
    last.write_text(DESC, encoding="utf-8")
    working = released_import(repo, last, "mesh")
    assert (repo / "taxonomies" / "mesh" / "releases" / "2024.yaml").is_file()
    this = tmp_path / "desc2025.xml"
    this.write_text(
        DESC.replace("Neoplasms by Histologic Type", "Neoplasms, by Histologic Type").replace(
            "<DescriptorUI>D001829</DescriptorUI>", "<DescriptorUI>D001830</DescriptorUI>"
        ),
        encoding="utf-8",
    )
    capsys.readouterr()
    assert main(["import", str(this), "--into", "mesh", *run]) == 0
    said = capsys.readouterr()
    assert "version 2025" in said.err + said.out
    text = working.read_text(encoding="utf-8")
    assert "- id: D001830\n" in text and "name: Neoplasms, by Histologic Type\n" in text
    assert "- id: D001829\n" in text  # kept as a tombstone, for crosswalk import to route
