"""RDF that taxops writes (the SKOS export): triples collected here, then
written as Turtle or JSON-LD by the two small writers below.

rdflib's graph and serialisers do the same job far slower: for a
150,000-code taxonomy its Turtle took over a minute and its JSON-LD 59 s and
3.3 GB. Most of that is the graph's indexes and working out prefixed names for
every term. An export only writes triples once, in a known shape, so it needs
neither. rdflib still reads every SKOS file taxops imports, and the tests
parse what these writers produce with it and compare the graphs.

Terms: an IRI is a :class:`IRI` (a ``str``), a literal a :class:`Lit`. A triple
added twice is one triple, as in a graph. Subjects, predicates and objects are
written sorted, so two exports of one version are identical and a diff
between versions shows only what changed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = RDF + "type"


class IRI(str):
    """An IRI, written ``<...>`` (or ``prefix:name`` for a vocabulary term)."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class Lit:
    """A literal: its lexical form, with a language or a datatype (neither: a
    plain string)."""

    text: str
    lang: str | None = None
    datatype: str | None = None

    @classmethod
    def of(cls, value: str | int | bool, lang: str | None = None) -> Lit:
        """A string (with ``lang``, if given), an ``xsd:integer`` or an
        ``xsd:boolean``, as rdflib's ``Literal(value)`` types them."""
        if isinstance(value, bool):
            return cls("true" if value else "false", None, XSD + "boolean")
        if isinstance(value, int):
            return cls(str(value), None, XSD + "integer")
        return cls(value, lang)


Term = IRI | Lit


class Triples:
    """Triples by subject, then predicate; each object once."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        #: Prefix -> namespace, for the vocabulary terms (``skos:prefLabel``).
        self.prefixes = prefixes
        self._by_subject: dict[str, dict[str, dict[Term, None]]] = {}

    def add(self, subject: str, predicate: str, obj: Term) -> None:
        self._by_subject.setdefault(subject, {}).setdefault(predicate, {})[obj] = None

    def __len__(self) -> int:
        return sum(len(o) for p in self._by_subject.values() for o in p.values())

    def __iter__(self) -> Iterator[tuple[str, str, Term]]:
        """Every triple, as (subject, predicate, object)."""
        for subject, predicates in self._by_subject.items():
            for predicate, objects in predicates.items():
                for obj in objects:
                    yield subject, predicate, obj

    def turtle(self) -> str:
        """Turtle 1.1: the prefixes, then one block per subject."""
        names = _Names(self.prefixes)
        out = [f"@prefix {p}: <{_iri_body(ns)}> ." for p, ns in sorted(self.prefixes.items())]
        out.append("")
        # A verb's place and text, worked out once per predicate (a few dozen),
        # not once per subject.
        verbs_of: dict[str, tuple[tuple[bool, str], str]] = {}
        for subject in sorted(self._by_subject):
            predicates = self._by_subject[subject]
            verbs = []
            for predicate in predicates:
                if predicate not in verbs_of:
                    name = names.of(predicate)
                    verb = "a" if predicate == RDF_TYPE else name
                    verbs_of[predicate] = ((predicate != RDF_TYPE, name), verb)
            for predicate in sorted(predicates, key=lambda p: verbs_of[p][0]):
                objects = _sorted_terms(predicates[predicate])
                written = ",\n        ".join(_turtle_term(o, names) for o in objects)
                verbs.append(f"{verbs_of[predicate][1]} {written}")
            out.append(f"{names.of(subject)} " + " ;\n    ".join(verbs) + " .\n")
        return "\n".join(out)

    def json_ld(self) -> str:
        """JSON-LD in expanded form (full IRIs, no context): a list of node
        objects, one per subject, as rdflib writes it without a context. Each
        node is written as it is made (the text ``json.dumps`` gives the whole
        list), so the nodes of 150,000 concepts never exist at once."""
        if not self._by_subject:
            return "[]"
        return "[\n  " + ",\n  ".join(self._json_nodes()) + "\n]"

    def _json_nodes(self) -> Iterator[str]:
        """Each node's text, indented as an item of the list: the layout
        ``json.dumps(..., indent=2)`` gives, written here with the C string
        encoder (the indenting encoder is pure Python: 3 s of a 150,000-concept
        export's 6, and half a gigabyte of small strings)."""
        for subject in sorted(self._by_subject):
            predicates = self._by_subject[subject]
            parts = ['{\n    "@id": ', _quoted(subject)]
            for predicate in sorted(predicates):
                objects = _sorted_terms(predicates[predicate])
                if predicate == RDF_TYPE and all(isinstance(o, IRI) for o in objects):
                    key, items = '"@type"', [_quoted(str(o)) for o in objects]
                else:
                    key, items = _quoted(predicate), [_json_term(o) for o in objects]
                parts += [",\n    ", key, ": [\n      ", ",\n      ".join(items), "\n    ]"]
            parts.append("\n  }")
            yield "".join(parts)


#: A JSON string for a text, non-ASCII kept (as ``ensure_ascii=False`` writes it).
_quoted = json.encoder.encode_basestring


def _sorted_terms(objects: dict[Term, None]) -> list[Term]:
    """A predicate's objects in writing order (most have one: nothing to sort)."""
    return list(objects) if len(objects) == 1 else sorted(objects, key=_order)


def _order(term: Term) -> tuple[int, str, str]:
    if isinstance(term, IRI):
        return (0, str(term), "")
    return (1, term.text, term.lang or term.datatype or "")


#: A prefixed name's local part that every Turtle reader takes as it is.
_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")


class _Names:
    """How an IRI is written: ``prefix:name`` when it is a vocabulary term
    with a plain local name, else ``<...>``."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        self._prefixes = sorted(prefixes.items(), key=lambda item: -len(item[1]))
        self._known: dict[str, str] = {}

    def of(self, iri: str) -> str:
        found = self._known.get(iri)
        if found is None:
            found = f"<{_iri_body(iri)}>"
            for prefix, namespace in self._prefixes:
                local = iri[len(namespace) :]
                if iri.startswith(namespace) and _LOCAL.match(local):
                    found = f"{prefix}:{local}"
                    break
            self._known[iri] = found
        return found


#: What an IRIREF cannot hold raw: written as a \\u escape, which means the
#: same character (Turtle 1.1, UCHAR).
_IRI_UNSAFE = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def _iri_body(iri: str) -> str:
    return _IRI_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04X}", iri)


_STRING_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_STRING_UNSAFE = re.compile(r'[\\"\x00-\x1f\x7f]')


def _string(text: str) -> str:
    """A Turtle string literal on one line (STRING_LITERAL_QUOTE)."""

    def escape(match: re.Match[str]) -> str:
        char = match.group()
        return _STRING_ESCAPES.get(char) or f"\\u{ord(char):04X}"

    return f'"{_STRING_UNSAFE.sub(escape, text)}"'


#: A language tag as Turtle reads it (LANGTAG).
_LANGTAG = re.compile(r"[a-zA-Z]+(-[a-zA-Z0-9]+)*\Z")
_INTEGER = re.compile(r"[+-]?[0-9]+\Z")


def _turtle_term(term: Term, names: _Names) -> str:
    if isinstance(term, IRI):
        return names.of(term)
    if term.lang is not None:
        if not _LANGTAG.match(term.lang):
            raise ValueError(f"not a language tag: {term.lang!r}")
        return f"{_string(term.text)}@{term.lang}"
    if term.datatype == XSD + "integer" and _INTEGER.match(term.text):
        return term.text
    if term.datatype == XSD + "boolean" and term.text in ("true", "false"):
        return term.text
    if term.datatype is not None:
        return f"{_string(term.text)}^^{names.of(term.datatype)}"
    return _string(term.text)


def _json_term(term: Term) -> str:
    """One object of a node, as an item of its predicate's list."""
    if isinstance(term, IRI):
        return '{\n        "@id": ' + _quoted(term) + "\n      }"
    out = '{\n        "@value": ' + _quoted(term.text)
    if term.lang is not None:
        out += ',\n        "@language": ' + _quoted(term.lang)
    elif term.datatype is not None:
        out += ',\n        "@type": ' + _quoted(term.datatype)
    return out + "\n      }"
