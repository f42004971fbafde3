"""An ontology in the OBO format (the Gene Ontology, ChEBI, HPO...) imports
with its ids as published, is_a as the tree, EXACT synonyms as aliases, and
its obsolete terms and alt_ids as tombstones that say what replaces them, so a
dataset annotated with last release's ids migrates to this one's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from editions import released_import
from taxops.cli.main import main
from taxops.diagnostics import TaxopsError
from taxops.interchange.formats import guess_import_format
from taxops.interchange.obo import import_obo
from test_imports import assert_valid

# The shape of go-basic.obo (shortened): a header with a dc title, terms with
# comments, qualifiers and escapes, several is_a, a part_of relationship, an
# alt_id, obsolete terms with replaced_by and with consider, a Typedef.
GO = r"""format-version: 1.2
data-version: releases/2025-03-16
ontology: go
property_value: http://purl.org/dc/elements/1.1/title "Gene Ontology" xsd:string
remark: cvs version: $Revision: 38972 $

[Term]
id: GO:0008150
name: biological_process
namespace: biological_process
alt_id: GO:0000004
def: "A biological process is the execution of a genetically-encoded biological module or program." [GOC:pdt]
synonym: "biological process" EXACT []
synonym: "physiological process" EXACT []

[Term]
id: GO:0048308
name: organelle inheritance
def: "The partitioning of organelles between daughter cells at cell division." [GOC:jid]
is_a: GO:0008150 ! biological_process

[Term]
id: GO:0000001
name: mitochondrion inheritance  ! a comment, not the name
def: "The distribution of \"mitochondria\" into daughter cells\nafter mitosis." [GOC:mcc, PMID:10873824]
synonym: "mitochondrial inheritance" EXACT []
synonym: "mito inheritance" RELATED [GOC:xyz]
is_a: GO:0048308 {source="GOC:mcc"} ! organelle inheritance
is_a: GO:0008150 ! biological_process
relationship: part_of GO:0008150 ! biological_process

[Term]
id: GO:0000005
name: obsolete ribosomal chaperone activity
is_obsolete: true
consider: GO:0048308
consider: GO:0000001

[Term]
id: GO:0000006
name: obsolete high affinity \! zinc transporter
is_obsolete: true
replaced_by: GO:0000001

[Term]
id: GO:0000007
name: obsolete low affinity zinc transporter
is_obsolete: true

[Typedef]
id: part_of
name: part of
"""


def rows(text: str) -> list[tuple[object, ...]]:
    imported = import_obo(text, "go-basic.obo")
    assert_valid(imported)
    return [
        (label.id, label.name, label.parent, label.status, label.replaced_by, label.replacement)
        for label in imported.labels
    ]


def test_an_ontology_imports_as_published() -> None:
    imported = import_obo(GO, "go-basic.obo")
    assert_valid(imported)
    assert (imported.id, imported.title, imported.version, imported.versioning, imported.ids) == (
        "go",
        "Gene Ontology",
        "2025-03-16",
        "calver",
        "code",
    )
    assert rows(GO) == [
        ("GO:0008150", "biological_process", None, "active", [], None),
        ("GO:0048308", "organelle inheritance", "GO:0008150", "active", [], None),
        ("GO:0000001", "mitochondrion inheritance", "GO:0048308", "active", [], None),
        # consider: a person chooses among the terms it names
        (
            "GO:0000005",
            "obsolete ribosomal chaperone activity",
            None,
            "retired",
            ["GO:0048308", "GO:0000001"],
            "review",
        ),
        # replaced_by: a machine relabels
        (
            "GO:0000006",
            "obsolete high affinity ! zinc transporter",
            None,
            "retired",
            ["GO:0000001"],
            None,
        ),
        ("GO:0000007", "obsolete low affinity zinc transporter", None, "retired", [], "review"),
        # the alt_id of a merged term: its data goes to the term that holds it
        (
            "GO:0000004",
            "biological_process (merged into GO:0008150)",
            None,
            "retired",
            ["GO:0008150"],
            None,
        ),
    ]
    by_id = {label.id: label for label in imported.labels}
    assert by_id["GO:0000001"].definition == (
        'The distribution of "mitochondria" into daughter cells after mitosis.'
    )
    assert by_id["GO:0000001"].aliases == ["mitochondrial inheritance"]  # EXACT only
    assert by_id["GO:0008150"].aliases == ["biological process", "physiological process"]
    assert imported.notes == [
        "1 term has several is_a parents: a taxonomy keeps one, the first",
        "1 alt_id (the id of a term merged into another) is a retired label replaced by the "
        "term that holds it",
        "stanzas not carried over (a taxonomy holds terms): [Typedef] (1)",
        "relationships not followed (the tree is is_a): part_of (1)",
        "synonyms that are not EXACT are not aliases (they name other things): RELATED (1)",
        "retired label 'GO:0000007' does not say what replaces it: 'replacement: review' "
        "(a human relabels its items)",
    ]


def test_a_term_under_an_obsolete_one_goes_under_its_next_parent() -> None:
    text = GO.replace(
        "[Typedef]",
        "[Term]\nid: GO:0000008\nname: zinc uptake\nis_a: GO:0000007\nis_a: GO:0048308\n\n"
        "[Term]\nid: GO:0000009\nname: zinc efflux\nis_a: GO:0000007\n\n[Typedef]",
    )
    found = {row[0]: row[2] for row in rows(text)}
    assert (found["GO:0000008"], found["GO:0000009"]) == ("GO:0048308", None)


def test_a_term_defined_only_logically_goes_under_its_genus() -> None:
    """The Cell Ontology and Uberon define some terms by intersection_of alone:
    the term with no relation before it is a superclass."""
    text = GO.replace(
        "[Typedef]",
        "[Term]\nid: GO:0000010\nname: mitochondrial zinc uptake\n"
        "intersection_of: GO:0000001 ! mitochondrion inheritance\n"
        "intersection_of: part_of GO:0048308\n\n[Typedef]",
    )
    imported = import_obo(text, "go-basic.obo")
    assert_valid(imported)
    assert {label.id: label.parent for label in imported.labels}["GO:0000010"] == "GO:0000001"
    assert (
        "1 term with no is_a goes under the genus of its logical definition (intersection_of)"
        in imported.notes
    )


def test_a_synonym_that_reads_as_a_siblings_name_is_left_out() -> None:
    """A labeler could not tell two siblings apart by it; the check would
    refuse the taxonomy."""
    text = GO.replace(
        'synonym: "mito inheritance" RELATED [GOC:xyz]',
        'synonym: "Organelle  inheritance" EXACT []',
    ).replace("is_a: GO:0048308 {source", "is_a: GO:0008150 {source")
    imported = import_obo(text, "go-basic.obo")
    assert_valid(imported)
    assert {label.id: label.aliases for label in imported.labels}["GO:0000001"] == [
        "mitochondrial inheritance"
    ]
    assert (
        "1 alias reads as the name or alias of a sibling, which a labeler could not tell apart: "
        "left out ('Organelle inheritance' of 'GO:0000001')"
    ) in imported.notes


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"graphs": []}', "is not an OBO ontology"),
        ("format-version: 1.2\n", "has no \\[Term\\]"),
        ("[Term]\nname: nameless\n", r":1: a term without an id"),
        ("[Term]\nid: X:1\n\n[Term]\nid: X:1\n", r":4: the id 'X:1' twice"),
        ("[Term]\nid: X 1\n", r"the id 'X 1', which cannot be a label id"),
        ("plain text with no structure at all\n", "not an OBO line"),
    ],
)
def test_a_broken_file_is_refused_with_its_line(text: str, message: str) -> None:
    with pytest.raises(TaxopsError, match=message):
        import_obo(text, "x.obo")


def test_an_obo_file_is_known_by_its_extension() -> None:
    assert guess_import_format("go-basic.obo") == "obo"


def test_a_team_follows_the_ontologys_releases_and_migrates_its_annotations(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Journey 7 with an ontology: the March release imported and released;
    April's makes 'organelle inheritance' obsolete, replaced by
    'mitochondrion inheritance'; an annotation set that carries the old term
    and a merged term's alt_id migrates with no one deciding."""
    repo = tmp_path / "repo"
    run = ["--repo", str(repo)]
    march = tmp_path / "go-basic.obo"
    march.write_text(GO, encoding="utf-8")
    released_import(repo, march, "go")
    april = tmp_path / "go-basic-april.obo"
    april.write_text(
        GO.replace("releases/2025-03-16", "releases/2025-04-20")
        .replace(
            "name: organelle inheritance\n",
            "name: obsolete organelle inheritance\nis_obsolete: true\nreplaced_by: GO:0000001\n",
        )
        .replace(
            "is_a: GO:0008150 ! biological_process\n\n[Term]\nid: GO:0000001",
            "\n[Term]\nid: GO:0000001",
        )
        .replace('is_a: GO:0048308 {source="GOC:mcc"} ! organelle inheritance\n', "")
        .replace("consider: GO:0048308\n", ""),
        encoding="utf-8",
    )
    assert main(["import", str(april), "--into", "go", *run]) == 0
    main(["fix", *run])
    capsys.readouterr()
    assert main(["check", *run]) == 0, capsys.readouterr().out
    assert main(["release", *run]) == 0
    data = tmp_path / "annotations.csv"
    data.write_text(
        "gene,term\nCOX1,GO:0048308\nATP6,GO:0000004\nND1,GO:0000001\n", encoding="utf-8"
    )
    capsys.readouterr()
    migrated, report = tmp_path / "migrated.csv", tmp_path / "report.json"
    argv = ["migrate", str(data), "--taxonomy", "go", "--from", "2025-03-16"]
    argv += ["--label-column", "term", "-o", str(migrated), "--report", str(report), *run]
    assert main(argv) == 0, capsys.readouterr()
    assert migrated.read_text(encoding="utf-8").splitlines() == [
        "gene,term",
        "COX1,GO:0000001",
        "ATP6,GO:0008150",
        "ND1,GO:0000001",
    ]
    assert json.loads(report.read_text(encoding="utf-8"))["rows"]["review"] == 0


@pytest.mark.parametrize("reader", ["obo", "icd10cm-tabular", "mesh"])
def test_a_damaged_file_is_a_clear_error_never_a_crash(reader: str) -> None:
    """Characters changed, dropped and repeated (escapes, quotes, brackets,
    colons, NUL) in the publishers' files: each reads, or is refused with
    taxops' own message, and what reads can be written."""
    import contextlib
    import random
    import string

    from taxops.interchange.icd10cm_tabular import import_icd10cm_tabular
    from taxops.interchange.mesh import import_mesh
    from test_icd10cm_tabular import TABULAR
    from test_mesh_import import DESC

    source, read = {
        "obo": (GO, import_obo),
        "icd10cm-tabular": (TABULAR, import_icd10cm_tabular),
        "mesh": (DESC, import_mesh),
    }[reader]
    rng = random.Random(7)
    alphabet = string.printable + '\\"!{}[]:<>&\u00e9\u200b\x00'
    for _ in range(400):
        chars = list(source)
        for _ in range(rng.randint(1, 12)):
            at = rng.randrange(len(chars))
            roll = rng.random()
            if roll < 0.4:
                chars[at] = rng.choice(alphabet)
            elif roll < 0.7:
                del chars[at]
            else:
                chars.insert(at, rng.choice(alphabet) * rng.randint(1, 4))
        with contextlib.suppress(TaxopsError):
            read("".join(chars), "damaged").to_yaml()


@pytest.mark.parametrize("reader", ["obo", "icd10cm-tabular", "mesh", "claml"])
def test_a_large_file_tells_how_much_of_it_is_read(
    reader: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The publishers' large files take seconds to read (MeSH's 300 MB, half a
    minute): each reader reports the share read, rising to 100%, and reads the
    same as without a listener."""
    from taxops.interchange import obo, publisher_xml
    from taxops.interchange.formats import ImportRequest, run_import
    from test_claml_import import ICD_10_GM
    from test_icd10cm_tabular import TABULAR
    from test_mesh_import import DESC

    monkeypatch.setattr(publisher_xml, "_PIECE", 97)  # many pieces, none on a boundary
    source = {"obo": GO, "icd10cm-tabular": TABULAR, "mesh": DESC, "claml": ICD_10_GM}[reader]
    if reader == "obo":
        source = source.replace("[Typedef]", "".join(
            f"[Term]\nid: GO:99{i:05d}\nname: term {i}\nis_a: GO:0008150\n\n" for i in range(120)
        ) + "[Typedef]")  # fmt: skip
        monkeypatch.setattr(obo, "_REPORT_EVERY", 40)
    heard: list[float] = []
    request = ImportRequest(reader, lang="de")
    read = run_import(source, "file", request, heard.append)
    assert len(heard) > 3 and heard == sorted(heard) and heard[-1] == 100.0
    assert read.document() == run_import(source, "file", request).document()
