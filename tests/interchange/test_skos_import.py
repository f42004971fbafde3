"""Importing SKOS as publishers write it (not only taxops' own export): every
serialisation a scheme ships in, labels in many languages, a hierarchy written
downwards, concepts typed only at the top, relative IRIs, and RDF/XML with
entities. rdflib, an independent reader, writes each serialisation of one
graph, so the import is held to the graph, not to one file's layout."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, SKOS
from taxops.diagnostics import TaxopsError
from taxops.interchange.imported import validate_imported
from taxops.interchange.skos_import import import_skos

#: A thesaurus shaped like the ones public bodies publish: the scheme names its
#: top concepts, children say ``inScheme`` only sometimes, the hierarchy is
#: written with ``narrower`` in one branch and ``broader`` in the other, labels
#: come in several languages (English only as a regional variant for one
#: concept), codes are ``skos:notation`` for some concepts and the IRI for the rest.
THESAURUS = """
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix t: <http://vocab.example.org/thesaurus/> .

<http://vocab.example.org/thesaurus> a skos:ConceptScheme ;
    skos:prefLabel "Thésaurus"@fr, "Thesaurus"@en ;
    dct:creator "Vocabulary office" ;
    owl:versionInfo "2024.1" ;
    skos:hasTopConcept t:domain1 , t:domain2 .

t:domain1 a skos:Concept ; skos:notation "1" ;
    skos:prefLabel "Éducation"@fr, "Education"@en, "Bildung"@de ;
    skos:altLabel "Schooling"@en, "Enseignement"@fr ;
    skos:definition "Teaching and learning."@en ;
    skos:topConceptOf <http://vocab.example.org/thesaurus> ;
    skos:narrower t:c105 , t:c110 .
t:c105 a skos:Concept ; skos:notation "1.05" ;
    skos:prefLabel "Enseignement supérieur"@fr, "Higher education"@en-GB .
t:c110 a skos:Concept ; skos:notation "1.10" ; skos:prefLabel "Adult education" ;
    skos:narrower t:c111 .
t:c111 a skos:Concept ; skos:prefLabel "Formation continue"@fr .

t:domain2 a skos:Concept ; skos:notation "2" ; skos:prefLabel "Culture"@en ;
    skos:inScheme <http://vocab.example.org/thesaurus> .
t:c205 a skos:Concept ; skos:notation "2.05" ; skos:prefLabel "Heritage"@en ;
    skos:broader t:domain2 .
t:c206 a skos:Concept ; skos:prefLabel "Intangible heritage"@en ;
    skos:broader t:c205 ; owl:deprecated true ; dct:isReplacedBy t:c205 .

t:other a skos:ConceptScheme .
t:stray a skos:Concept ; skos:prefLabel "In another scheme"@en ; skos:inScheme t:other .
"""

#: What the import makes of it: (id, name, parent, aliases, status, replaced by).
EXPECTED = sorted(
    [
        ("1", "Education", None, ["Schooling"], "active", []),
        ("1.05", "Higher education", "1", [], "active", []),
        ("1.10", "Adult education", "1", [], "active", []),
        ("c111", "Formation continue", "1.10", [], "active", []),
        ("2", "Culture", None, [], "active", []),
        ("2.05", "Heritage", "2", [], "active", []),
        ("c206", "Intangible heritage", "2.05", [], "deprecated", ["2.05"]),
    ]
)

SERIALISATIONS = {"turtle": "ttl", "nt": "nt", "xml": "rdf", "json-ld": "jsonld"}


def rows(text: str, origin: str) -> list[tuple[Any, ...]]:
    imported = import_skos(text, origin)
    return [
        (label.id, label.name, label.parent, label.aliases, label.status, label.replaced_by)
        for label in sorted(imported.labels, key=lambda label: label.id)
    ]


@pytest.mark.parametrize("fmt", sorted(SERIALISATIONS))
def test_a_published_thesaurus_imports_the_same_from_every_serialisation(fmt: str) -> None:
    written = Graph().parse(data=THESAURUS, format="turtle").serialize(format=fmt)
    origin = f"thesaurus.{SERIALISATIONS[fmt]}"
    assert rows(written, origin) == EXPECTED
    imported = import_skos(written, origin)
    assert (imported.title, imported.version, imported.owners) == (
        "Thesaurus",
        "2024.1",
        ["Vocabulary office"],
    )
    assert (imported.kind, imported.versioning) == ("hierarchical", "calver")
    assert any("2 concept schemes found" in note for note in imported.notes)
    assert not [
        d for d in validate_imported(imported.to_yaml(), "t.yaml") if d.severity.value == "error"
    ]


LANGUAGES = [
    # (labels as (text, language tag), the name chosen for --lang en)
    ([("Voiture", "fr"), ("Auto", None), ("Car", "en")], "Car"),
    ([("Voiture", "fr"), ("Car", "EN")], "Car"),  # tags compare without case
    ([("Voiture", "fr"), ("Motorcar", "en-GB"), ("Auto", None)], "Motorcar"),
    ([("Voiture", "fr"), ("Auto", None)], "Auto"),
    ([("Voiture", "fr"), ("Wagen", "de")], "Voiture"),  # none usable: the first written
    ([("Carro", "pt"), ("Car", "en"), ("Automobile", "en")], "Car"),  # the first written
]


@pytest.mark.parametrize(("labels", "chosen"), LANGUAGES)
def test_the_name_is_the_label_in_the_import_language(
    labels: list[tuple[str, str | None]], chosen: str
) -> None:
    written = "\n".join(
        f'<urn:x:car> <{SKOS.prefLabel}> "{text}"{"@" + tag if tag else ""} .'
        for text, tag in labels
    )
    body = f"<urn:x:car> a <{SKOS.Concept}> .\n{written}\n"
    assert rows(body, "car.nt")[0][1] == chosen
    # The order of the triples does not matter for a label with a better language.
    best = [t for t, tag in labels if tag and tag.lower() == "en"]
    if best:
        assert rows("\n".join(reversed(body.splitlines())), "car.nt")[0][1] in best


VERSIONS = [
    # (owl:versionInfo, the version imported, its versioning, whether a note says so)
    ("2.1.0", "2.1.0", None, False),
    ("2024", "2024", "calver", False),
    ("2024-05-01", "2024-05-01", "calver", False),
    ("v3.0.1", "3.0.1", None, True),
    ("Edition 7 (draft)", "1.0.0", None, True),
]


@pytest.mark.parametrize(("written", "version", "versioning", "noted"), VERSIONS)
def test_the_scheme_version_becomes_a_taxonomy_version(
    written: str, version: str, versioning: str | None, noted: bool
) -> None:
    text = (
        f'<urn:s> a <{SKOS.ConceptScheme}> ; <{OWL.versionInfo}> "{written}" .\n'
        f"<urn:s:a> a <{SKOS.Concept}> ; <{SKOS.inScheme}> <urn:s> .\n"
    )
    imported = import_skos(text, "s.nt")
    assert (imported.version, imported.versioning) == (version, versioning)
    assert any(written in note for note in imported.notes) == noted
    assert not [
        d for d in validate_imported(imported.to_yaml(), "s.yaml") if d.severity.value == "error"
    ]


def test_relative_iris_are_read_against_the_file() -> None:
    text = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<#A00> a skos:Concept ; skos:prefLabel "Cholera" .
<#A00.0> a skos:Concept ; skos:prefLabel "Cholera due to Vibrio cholerae" ; skos:broader <#A00> .
"""
    assert [(r[0], r[2]) for r in rows(text, "codes.ttl")] == [("A00", None), ("A00.0", "A00")]


def test_a_syntax_error_names_its_line() -> None:
    text = '<urn:a> a <http://www.w3.org/2004/02/skos/core#Concept> .\n\n<urn:b> <urn:p> "open .\n'
    with pytest.raises(TaxopsError) as caught:
        import_skos(text, "broken.ttl")
    assert "line 3" in str(caught.value) and "broken.ttl" in str(caught.value)


@pytest.mark.parametrize(
    ("name", "said", "not_said"),
    [
        ("broken.ttl", "is not valid Turtle: ", "JSON-LD"),  # its format's error alone
        ("broken.rdf", "is not valid RDF/XML: ", "Turtle"),
        ("broken.skos", "Turtle: ", None),  # a name that says nothing: every format's
    ],
)
def test_a_broken_file_is_told_in_the_format_its_name_says(
    name: str, said: str, not_said: str | None
) -> None:
    with pytest.raises(TaxopsError) as caught:
        import_skos('<urn:a> <urn:p> "open .\n', name)
    message = str(caught.value)
    assert said in message
    if not_said is None:
        assert "JSON-LD: " in message and "RDF/XML: " in message
    else:
        assert not_said not in message


#: RDF/XML as OWL tools write it: namespaces as entities, used in attributes.
OWL_STYLE = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
    <!ENTITY skos "http://www.w3.org/2004/02/skos/core#" >
    <!ENTITY v 'http://vocab.example.org/v#' >
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:skos="&skos;">
  <rdf:Description rdf:about="&v;red">
    <rdf:type rdf:resource="&skos;Concept"/>
    <skos:prefLabel xml:lang="en">Red</skos:prefLabel>
    <skos:broader rdf:resource="&v;colour"/>
  </rdf:Description>
  <rdf:Description rdf:about="&v;colour">
    <rdf:type rdf:resource="&skos;Concept"/>
    <skos:prefLabel xml:lang="en">Colour &amp; shade</skos:prefLabel>
  </rdf:Description>
</rdf:RDF>
"""


def test_rdf_xml_with_namespace_entities_imports() -> None:
    assert [(r[0], r[1], r[2]) for r in rows(OWL_STYLE, "v.owl")] == [
        ("colour", "Colour & shade", None),
        ("red", "Red", "colour"),
    ]


def _declaring(entities: str, body: str) -> str:
    return OWL_STYLE.replace("<!ENTITY skos", entities + "\n    <!ENTITY skos", 1).replace(
        '<skos:prefLabel xml:lang="en">Red', f'<skos:prefLabel xml:lang="en">{body}', 1
    )


HOSTILE_ENTITIES = [
    # (declarations, what the label's text uses, what the refusal says)
    ('<!ENTITY a "xx"><!ENTITY b "&a;&a;&a;">', "&b;", "refers to another entity"),
    ('<!ENTITY big "' + "x" * 50_000 + '">', "&big;" * 2_000, "would expand to 100,000,"),
    ('<!ENTITY % p "x">', "Red", "a parameter or external entity"),
    ('<!ENTITY f SYSTEM "file:///etc/hostname">', "&f;", "a parameter or external entity"),
    ('<!ENTITY u PUBLIC "-//x//y" "http://169.254.169.254/">', "&u;", "external entity"),
]


@pytest.mark.parametrize(("entities", "body", "said"), HOSTILE_ENTITIES)
def test_rdf_xml_entities_that_would_blow_up_or_read_outside_are_refused(
    entities: str, body: str, said: str
) -> None:
    with pytest.raises(TaxopsError) as caught:
        import_skos(_declaring(entities, body), "v.rdf")
    assert "declares XML entities taxops does not expand" in str(caught.value)
    assert said in str(caught.value)


def test_entities_that_expand_within_bounds_are_read() -> None:
    text = _declaring('<!ENTITY red "Red, as in roses">', "&red;")
    assert rows(text, "v.rdf")[1][1] == "Red, as in roses"


# -- random schemes: the import against the scheme it was made from ------------------

V = Namespace("http://vocab.example.org/random/")
SCHEME = URIRef("http://vocab.example.org/random")


def random_scheme(rng: random.Random) -> tuple[Graph, list[tuple[Any, ...]]]:
    """A scheme of 1 to 40 concepts in a random tree, written the ways
    publishers write them, and the rows the import must give."""
    graph = Graph()
    graph.add((SCHEME, RDF.type, SKOS.ConceptScheme))
    graph.add((SCHEME, SKOS.prefLabel, Literal("Random", lang="en")))
    n = rng.randint(1, 40)
    codes = [f"{rng.choice('ABCXYZ')}{i:02d}" for i in range(n)]
    parents: list[int | None] = [None if i == 0 or rng.random() < 0.2 else rng.randrange(i)
                                 for i in range(n)]  # fmt: skip
    expected = []
    for i, code in enumerate(codes):
        node = V[f"c{i}"]
        parent = parents[i]
        if rng.random() < 0.8:  # typed (an untyped concept is found through the tree)
            graph.add((node, RDF.type, SKOS.Concept))
        if parent is None:
            graph.add((node, SKOS.topConceptOf, SCHEME) if rng.random() < 0.5
                      else (SCHEME, SKOS.hasTopConcept, node))  # fmt: skip
            graph.add((node, RDF.type, SKOS.Concept))
        elif rng.random() < 0.5:
            graph.add((node, SKOS.broader, V[f"c{parent}"]))
        else:
            graph.add((V[f"c{parent}"], SKOS.narrower, node))
        if rng.random() < 0.3:
            graph.add((node, SKOS.inScheme, SCHEME))
        uses_notation = rng.random() < 0.7
        label_id = code if uses_notation else f"c{i}"
        if uses_notation:
            graph.add((node, SKOS.notation, Literal(code)))
        name = f"Concept {i} ‘{rng.choice(['é', 'ß', '中', 'a'])}’"
        graph.add((node, SKOS.prefLabel, Literal(name, lang=rng.choice(["en", "en-US", None]))))
        graph.add((node, SKOS.prefLabel, Literal(f"Concept {i} fr", lang="fr")))
        aliases = sorted({f"alt {i}.{k}" for k in range(rng.randint(0, 2))})
        for alias in aliases:
            graph.add((node, SKOS.altLabel, Literal(alias, lang="en")))
        graph.add((node, SKOS.altLabel, Literal(f"alt {i} fr", lang="fr")))
        retired = rng.random() < 0.1
        if retired:
            graph.add((node, OWL.deprecated, Literal(True)))
        if retired and parent is not None:
            graph.add((node, DCTERMS.isReplacedBy, V[f"c{parent}"]))
        expected.append(
            (
                label_id,
                name,
                parent,
                aliases,
                "deprecated" if retired else "active",
                [parent] if retired and parent is not None else [],
            )
        )
    ids = [row[0] for row in expected]
    out = [
        (
            row[0],
            row[1],
            None if row[2] is None else ids[row[2]],
            row[3],
            row[4],
            [ids[p] for p in row[5]],
        )
        for row in expected
    ]
    return graph, sorted(out, key=lambda row: row[0])


@pytest.mark.parametrize("seed", range(40))
def test_random_schemes_import_as_they_were_made(seed: int) -> None:
    rng = random.Random(seed)
    graph, expected = random_scheme(rng)
    fmt = rng.choice(sorted(SERIALISATIONS))
    assert rows(graph.serialize(format=fmt), f"random.{SERIALISATIONS[fmt]}") == expected


@pytest.mark.parametrize(
    "key", ["@context", "\\u0040context", "@import"], ids=["plain", "escaped", "import"]
)
def test_a_json_ld_context_given_by_address_is_never_fetched(key: str) -> None:
    text = "{" + f'"{key}": "http://169.254.169.254/latest/meta-data/", "@id": "urn:a"' + "}"
    with pytest.raises(TaxopsError) as caught:
        import_skos(text, "remote.jsonld")
    assert "refers to a JSON-LD context by address" in str(caught.value)


@pytest.mark.parametrize(
    ("lang", "names"),
    [
        ("en", ["Culture", "Education", "Formation continue", "Higher education"]),
        ("fr", ["Culture", "Enseignement supérieur", "Formation continue", "Éducation"]),
        ("de", ["Bildung", "Culture", "Enseignement supérieur", "Formation continue"]),
    ],
)
def test_the_cli_takes_names_in_the_language_asked(
    tmp_path: Path, lang: str, names: list[str]
) -> None:
    """A team labeling in French imports a multilingual thesaurus's French
    names (``--lang fr``); a concept without one keeps the best it has."""
    import yaml
    from taxops.cli.main import main

    source = tmp_path / "thesaurus.ttl"
    source.write_text(THESAURUS, encoding="utf-8")
    out = tmp_path / "t.yaml"
    assert main(["import", str(source), "--lang", lang, "-o", str(out)]) == 0
    labels = yaml.safe_load(out.read_text(encoding="utf-8"))["labels"]
    shown = {label["id"]: label["name"] for label in labels}
    assert sorted(shown[i] for i in ("1", "1.05", "c111", "2")) == sorted(names)


def test_the_cli_refuses_what_is_not_a_language_tag(capsys: pytest.CaptureFixture[str]) -> None:
    from taxops.cli.main import main

    with pytest.raises(SystemExit):
        main(["import", "x.ttl", "--lang", "fr\x1b[2J"])
    err = capsys.readouterr().err
    assert "is not a language tag" in err and "\x1b" not in err


#: Concepts without IRIs: anonymous ones (the parser draws their labels at
#: random, anew at each read) and one named in the file (``_:x``).
BLANK = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
[] a skos:Concept ; skos:prefLabel "Alpha" .
_:x a skos:Concept ; skos:prefLabel "Beta" ;
    skos:broader _:y , [ a skos:Concept ; skos:prefLabel "Delta" ] .
_:y a skos:Concept ; skos:prefLabel "Gamma" .
[] a skos:Concept .
[] a skos:Concept .
"""


@pytest.mark.parametrize("fmt", ["turtle", "xml", "json-ld"])
def test_concepts_without_iris_get_the_same_ids_at_every_import(fmt: str) -> None:
    """An id is forever: a concept without an IRI takes it from its name (a
    blank node's label is not an identifier), and the order of such concepts
    is the file's, so importing a file twice gives the same taxonomy."""
    written = Graph().parse(data=BLANK, format="turtle").serialize(format=fmt)
    origin = f"blank.{SERIALISATIONS[fmt]}"
    first, second = rows(written, origin), rows(written, origin)
    assert first == second
    by_id = {row[0]: row for row in first}
    assert {"alpha", "beta", "gamma", "delta"} <= by_id.keys()
    assert by_id["beta"][2] in ("gamma", "delta")  # of two broader concepts: one, the same
    assert sorted(i for i in by_id if i.startswith("concept")) == ["concept", "concept_2"]
    notes = import_skos(written, origin).notes
    assert (
        "a concept with no IRI and no name has no usable skos:notation: its id is 'concept'"
        in notes
    )
    assert not [n for n in notes if "None" in n]
