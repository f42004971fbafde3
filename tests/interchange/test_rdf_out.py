"""The SKOS export's own Turtle and JSON-LD writers (taxops.interchange.rdf_out):
whatever the triples hold, rdflib reads back exactly the graph they make."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from taxops.interchange.rdf_out import IRI, RDF_TYPE, XSD, Lit, Triples
from taxops.interchange.skos import PREFIXES, SKOS_NS, TAXOPS_NS, concept

HOSTILE = [
    "",
    "plain",
    'a "quoted" word',
    "back\\slash",
    "trailing backslash\\",
    "line\nbreak",
    "carriage\rreturn",
    "tab\there",
    "nul\x00and\x01controls\x1f\x7f",
    "é日本語🙂",
    "bidi \u202eevil\u202c",
    "zero\u200bwidth",
    '"""triple quotes"""',
    "'single' '''quotes'''",
    "@en",
    "^^xsd:string",
    "> .\n<urn:x> <urn:y> <urn:z> .",
    "#comment",
    "\\u0041 not an escape",
]


def _oracle(triples: Triples) -> Graph:
    """The graph the triples make, built with rdflib's own terms."""
    graph = Graph()
    for s, p, o in triples:
        if isinstance(o, IRI):
            obj: URIRef | Literal = URIRef(o)
        elif o.lang is not None:
            obj = Literal(o.text, lang=o.lang)
        else:
            obj = Literal(o.text, datatype=URIRef(o.datatype) if o.datatype else None)
        graph.add((URIRef(s), URIRef(p), obj))
    return graph


def _read_back(triples: Triples) -> tuple[Graph, Graph]:
    turtle = Graph().parse(data=triples.turtle(), format="turtle")
    json_ld = Graph().parse(data=triples.json_ld(), format="json-ld")
    return turtle, json_ld


def _triples(texts: list[str], base: str = "urn:taxops:t:") -> Triples:
    triples = Triples(PREFIXES)
    for i, text in enumerate(texts):
        node = concept(base, text or f"empty{i}")
        triples.add(node, RDF_TYPE, IRI(SKOS_NS + "Concept"))
        triples.add(node, SKOS_NS + "prefLabel", Lit.of(text, "en"))
        triples.add(node, SKOS_NS + "notation", Lit.of(text))
        triples.add(node, TAXOPS_NS + "position", Lit.of(i))
        triples.add(node, TAXOPS_NS + "leafOnly", Lit.of(i % 2 == 0))
        triples.add(node, TAXOPS_NS + "note", Lit(text, None, XSD + "token"))
        triples.add(node, SKOS_NS + "broader", concept(base, "parent"))
    return triples


@pytest.mark.parametrize("base", ["urn:taxops:t:", "https://example.org/vocab/"])
def test_hostile_values_read_back_exactly(base: str) -> None:
    triples = _triples(HOSTILE, base)
    expected = _oracle(triples)
    for graph in _read_back(triples):
        assert len(graph) == len(triples)
        assert isomorphic(graph, expected)


def test_a_triple_added_twice_is_one_triple() -> None:
    triples = Triples(PREFIXES)
    for _ in range(2):
        triples.add("urn:x", SKOS_NS + "altLabel", Lit.of("a", "en"))
        triples.add("urn:x", SKOS_NS + "broader", IRI("urn:y"))
    assert len(triples) == 2 and len(_read_back(triples)[0]) == 2


def test_true_and_one_are_two_literals() -> None:
    triples = Triples(PREFIXES)
    triples.add("urn:x", TAXOPS_NS + "v", Lit.of(True))
    triples.add("urn:x", TAXOPS_NS + "v", Lit.of(1))
    for graph in _read_back(triples):
        assert set(graph.objects()) == {Literal(True), Literal(1)}


def test_the_text_does_not_depend_on_the_order_triples_were_added() -> None:
    texts = ["b", "a", "c"]
    forward, backward = _triples(texts), _triples([])
    for s, p, o in reversed(list(forward)):
        backward.add(s, p, o)
    assert forward.turtle() == backward.turtle() and forward.json_ld() == backward.json_ld()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=40), min_size=1, max_size=5, unique=True))
def test_any_text_reads_back_exactly(texts: list[str]) -> None:
    """Any Unicode text (surrogates aside, which no file can hold) as a
    label's name, id and note."""
    texts = [t for t in texts if not any(0xD800 <= ord(c) <= 0xDFFF for c in t)] or ["x"]
    triples = _triples(texts)
    expected = _oracle(triples)
    for graph in _read_back(triples):
        assert isomorphic(graph, expected)


@pytest.mark.parametrize("base", ["https://example.org/a b/", "urn:x>", 'urn:"x"', "urn:x\n", ""])
def test_a_base_no_iri_can_start_with_is_refused(
    base: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """rdflib's writer raised a bare exception (a traceback) on such a base;
    every consumer would reject the file anyway."""
    from sources import ROOT
    from taxops.cli.main import main

    code = main(["export", "support-intents", "--to", "skos", "--base", base, "--repo", str(ROOT)])
    err = capsys.readouterr().err
    assert code == 2 and "is not an IRI" in err and "Traceback" not in err


def test_json_ld_written_node_by_node_is_the_text_of_the_whole_list() -> None:
    """Nodes are written one at a time; the text is what ``json.dumps`` of the
    whole list gives (every line break is layout: none is inside a string)."""
    import json

    for texts in ([], ["one"], HOSTILE):
        triples = _triples(texts)
        written = triples.json_ld()
        assert written == json.dumps(json.loads(written), indent=2, ensure_ascii=False)
