"""SKOS import: a concept scheme as published (Turtle, N-Triples, RDF/XML,
JSON-LD) becomes a draft taxonomy.

The triples are read by pyoxigraph's parsers, which stream them: only the
statements an import uses (types, scheme membership, hierarchy, labels,
notations, definitions, deprecation and what taxops' own export adds) are
kept, each literal only in the languages the import can use. rdflib's graph
did the same job by holding every triple with its indexes: 39 s and 1.3 GB
for the 89,000 concepts of a classification in Turtle, 35 s and 1.7 GB in
JSON-LD, where this reads both in a few seconds and a few hundred megabytes.

What is read, for each concept of the scheme:

* the **id** is its ``skos:notation`` when that is a usable label id, else the
  IRI's last segment, else a slug of its name (each such choice is a note);
* the **name** is its ``skos:prefLabel`` in the import's language: the exact
  tag first (``en``), then a regional variant (``en-GB``), then a label with
  no language, then any other, the first written of the best kind, so two
  runs over one file agree; ``altLabel`` gives aliases in the first three;
* the **parent** comes from ``skos:broader`` or, as many publishers write the
  hierarchy only downwards, from another concept's ``skos:narrower``;
* the **scheme's concepts** are those it names (``inScheme``,
  ``topConceptOf``, ``hasTopConcept``) and every concept below them, as a
  scheme that types only its top concepts still holds the whole tree.

Hostile files: a JSON-LD context given by address is refused before anything
is read (fetching it would call any host); RDF/XML may declare entities (OWL
tools write ``<!ENTITY skos "...">``), which taxops expands itself
(:func:`_expand_entities`), but none that refers to another, none read from
outside, and never so many that expanding them would grow the file past
:data:`ENTITY_GROWTH` (the billion-laughs file).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from pyoxigraph import Literal, NamedNode, RdfFormat, parse

from taxops.collector import paused
from taxops.diagnostics import TaxopsError
from taxops.escaping import short, terminal
from taxops.interchange.imported import Imported, ImportedLabel, humanise, is_label_id, slug, unique
from taxops.interchange.publisher_meta import (
    NO_LANGUAGE,
    OTHER,
    language_rank,
    version_as_published,
)
from taxops.interchange.rdf_out import RDF_TYPE
from taxops.interchange.skos import DCTERMS_NS, OWL_NS, SKOS_NS, TAXOPS_NS
from taxops.textfiles import json_or_none

_CONCEPT = SKOS_NS + "Concept"
_SCHEME = SKOS_NS + "ConceptScheme"

#: Statements whose object is a resource (an IRI or a blank node).
_LINKS = frozenset(
    {
        RDF_TYPE,
        SKOS_NS + "inScheme",
        SKOS_NS + "topConceptOf",
        SKOS_NS + "hasTopConcept",
        SKOS_NS + "broader",
        SKOS_NS + "narrower",
        DCTERMS_NS + "isReplacedBy",
    }
)
#: Statements whose object is read as text (a literal; a creator may be an IRI).
_TEXTS = frozenset(
    {
        SKOS_NS + "notation",
        SKOS_NS + "prefLabel",
        SKOS_NS + "altLabel",
        SKOS_NS + "definition",
        SKOS_NS + "historyNote",
        OWL_NS + "deprecated",
        OWL_NS + "versionInfo",
        DCTERMS_NS + "identifier",
        DCTERMS_NS + "creator",
        DCTERMS_NS + "description",
        *(
            TAXOPS_NS + name
            for name in (
                "position",
                "status",
                "replacedByOrder",
                "replacement",
                "since",
                "attributes",
                "kind",
                "leafOnly",
                "compatibility",
                "ids",
                "versioning",
            )
        ),
    }
)
_ALT = SKOS_NS + "altLabel"
_CREATOR = DCTERMS_NS + "creator"

#: How language tags rank for the import's language: exact, regional, none, other.

#: The most that declared entities may add to an RDF/XML file when expanded, as
#: a multiple of the file's own size (on top of a fixed 64 MiB). OWL tools'
#: namespace entities add far less than the file; a billion-laughs file asks
#: for gigabytes from a few hundred bytes.
ENTITY_GROWTH = 4
_ENTITY_ALLOWANCE = 64 << 20


def import_skos(text: str, origin: str, lang: str = "en") -> Imported:
    """A draft taxonomy from a SKOS concept scheme. The statements kept are
    many small objects that live until the draft is built: the collector
    waits, as it does while loading."""
    with paused():
        statements = _read(text, origin, lang)
        return _draft(statements, origin)


# -- reading the triples ----------------------------------------------------------


class _Statements:
    """What the import keeps of a file's triples.

    ``links[predicate]`` lists (subject, object) pairs in file order;
    ``texts[subject][predicate]`` lists (rank, order, text), ranked by
    language (:func:`_ranker`). A literal in another language is kept only as
    the first fallback of its statement, and never for aliases."""

    def __init__(self, lang: str) -> None:
        self.links: dict[str, list[tuple[str, str]]] = {p: [] for p in _LINKS}
        self.texts: dict[str, dict[str, list[tuple[int, int, str]]]] = {}
        self._rank = language_rank(lang)

    def add_all(self, triples: Iterable[Any]) -> None:
        links, texts, rank = self.links, self.texts, self._rank
        order = 0
        for triple in triples:
            predicate = triple.predicate.value
            if predicate in _LINKS:
                obj = triple.object
                if type(obj) is not Literal:
                    links[predicate].append((_resource(triple.subject), _resource(obj)))
                continue
            if predicate not in _TEXTS:
                continue
            obj = triple.object
            if type(obj) is Literal:
                value, kind = obj.value, rank(obj.language)
            elif predicate == _CREATOR:
                value, kind = _resource(obj), NO_LANGUAGE
            else:
                continue
            by_predicate = texts.setdefault(_resource(triple.subject), {})
            found = by_predicate.get(predicate)
            if found is None:
                if kind == OTHER and predicate == _ALT:
                    continue
                by_predicate[predicate] = [(kind, order, value)]
            elif kind != OTHER:
                found.append((kind, order, value))
            order += 1

    def text(self, node: str | None, predicate: str) -> str | None:
        """The value to use: the best-ranked language, the first written."""
        return _best(self.texts.get(node, {}), predicate) if node is not None else None

    def all_texts(self, node: str, predicate: str) -> list[str]:
        """Every value in the import's language (or none): aliases, creators."""
        found = self.texts.get(node, {}).get(predicate, ())
        return [value for kind, _, value in found if kind != OTHER]

    def pairs(self, predicate: str) -> list[tuple[str, str]]:
        return self.links[predicate]

    def subjects(self, predicate: str, obj: str) -> list[str]:
        return [s for s, o in self.links[predicate] if o == obj]


def _best(found: dict[str, list[tuple[int, int, str]]], predicate: str) -> str | None:
    """Of one node's texts for ``predicate``, the best-ranked, first written."""
    values = found.get(predicate)
    return min(values)[2] if values else None


def _resource(term: Any) -> str:
    """An IRI as it is; a blank node as ``_:name`` (never an IRI)."""
    return term.value if type(term) is NamedNode else f"_:{term.value}"


def _read(text: str, origin: str, lang: str) -> _Statements:
    """The file's statements, trying its formats in the order its name suggests."""
    formats = {
        "turtle": RdfFormat.TURTLE,
        "n-triples": RdfFormat.N_TRIPLES,
        "json-ld": RdfFormat.JSON_LD,
        "rdf/xml": RdfFormat.RDF_XML,
    }
    data = text.encode()
    base = _base_iri(origin)
    errors = []
    for name in _formats_for(origin):
        if name == "json-ld" and any(key in text for key in _CONTEXT_KEYS):
            _refuse_remote_contexts(json_or_none(text), origin)
        given = data
        if name == "rdf/xml" and "<!ENTITY" in text:
            given = _expand_entities(text, origin).encode()
        statements = _Statements(lang)
        try:
            statements.add_all(parse(given, format=formats[name], base_iri=base, lenient=True))
        except (SyntaxError, ValueError) as exc:  # a parser's error names line and column
            errors.append(f"{_SHOWN[name]}: {_first_line(exc)}")
            continue
        return statements
    if _named_format(origin):  # what its own format says is wrong; the rest is noise
        raise TaxopsError(
            f"{origin} is not valid {errors[0]}",
            "fix the file there, or check that it is the scheme you meant",
        )
    raise TaxopsError(
        f"{origin} is not SKOS in Turtle, N-Triples, JSON-LD or RDF/XML ({'; '.join(errors)})",
        "name the file after its format (.ttl, .nt, .jsonld, .rdf)",
    )


_SHOWN = {"turtle": "Turtle", "n-triples": "N-Triples", "json-ld": "JSON-LD", "rdf/xml": "RDF/XML"}


def _first_line(exc: Exception) -> str:
    """A parser's message on one line, its position kept, the file's text escaped."""
    message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return short(message, 200)


def _base_iri(origin: str) -> str:
    """Relative IRIs in a file are read against the file's own address, as RDF
    says (``<#A00>`` in ``codes.ttl`` is ``file:///.../codes.ttl#A00``)."""
    try:
        return Path(origin).absolute().as_uri()
    except ValueError:
        return "file:///"


#: File name endings that say which serialisation a file is.
_SUFFIXES = (".jsonld", ".json", ".rdf", ".xml", ".owl", ".nt", ".ttl")


def _named_format(origin: str) -> bool:
    return origin.lower().endswith(_SUFFIXES)


def _formats_for(origin: str) -> list[str]:
    lower = origin.lower()
    if lower.endswith((".jsonld", ".json")):
        return ["json-ld", "turtle", "rdf/xml"]
    if lower.endswith((".rdf", ".xml", ".owl")):
        return ["rdf/xml", "turtle", "json-ld"]
    if lower.endswith(".nt"):
        return ["n-triples", "turtle", "json-ld", "rdf/xml"]
    return ["turtle", "json-ld", "rdf/xml"]


#: How a JSON-LD file can name a context (a key may be written with escapes).
#: Oxigraph never fetches one either: this check is there to say so clearly.
_CONTEXT_KEYS = ('"@context"', '"@import"', "\\u0040")


def _refuse_remote_contexts(document: Any, origin: str) -> None:
    """A JSON-LD ``@context`` (or ``@import``) given by address would have to be
    fetched: an import would read a local file or call any host, the cloud's
    metadata service included. Only contexts written inside the file are read."""
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack += node
        elif isinstance(node, dict):
            for key, value in node.items():
                if key in ("@context", "@import") and _names_a_resource(value):
                    raise TaxopsError(
                        f"{origin} refers to a JSON-LD context by address ({short(value, 80)}); "
                        "taxops never fetches one",
                        "put the context in the file itself (as the SKOS export does)",
                    )
                stack.append(value)


def _names_a_resource(value: Any) -> bool:
    return isinstance(value, str) or (
        isinstance(value, list) and any(isinstance(v, str) for v in value)
    )


#: One entity declaration: ``<!ENTITY name "value">`` (or ``'value'``); a
#: parameter entity (``%``) or an external one (``SYSTEM``/``PUBLIC``) has no
#: quoted value right after its name.
_ENTITY = re.compile(r"""<!ENTITY\s+([^\s%"'<>]+)\s+(?:"([^"]*)"|'([^']*)')\s*>""")
#: An entity reference inside a value (``&name;``; ``&#38;`` is a character).
_REFERENCE = re.compile(r"&([^\s;&#]+);")
#: A document type declaration left with nothing in it.
_EMPTY_DOCTYPE = re.compile(r"<!DOCTYPE[^\[>]*\[\s*\]\s*>")


def _expand_entities(text: str, origin: str) -> str:
    """``text`` with its declared entities expanded here, by taxops: the
    declarations are taken out and each ``&name;`` replaced by its value, so
    the parser sees no DTD at all (Oxigraph's would expand without bound, and
    refuses values in single quotes, which OWL tools write). Refused before
    anything grows: an entity that refers to another one, a parameter or
    external entity, or references that would add more than
    :data:`ENTITY_GROWTH` times the file."""
    declared = text.count("<!ENTITY")
    if not declared:
        return text
    found = list(_ENTITY.finditer(text))
    values = {m.group(1): m.group(2) if m.group(2) is not None else m.group(3) for m in found}
    refuse = None
    if len(found) != declared:
        refuse = "a parameter or external entity, which taxops does not read"
    nested = next(
        (name for name, value in values.items() if set(_REFERENCE.findall(value)) & values.keys()),
        None,
    )
    if refuse is None and nested is not None:
        refuse = f"entity '{terminal(nested)}' refers to another entity"
    body = text[found[-1].end() :] if found else text
    if refuse is None:
        growth = sum(len(value) * body.count(f"&{name};") for name, value in values.items())
        if growth > ENTITY_GROWTH * len(text) + _ENTITY_ALLOWANCE:
            refuse = f"its entities would expand to {growth:,} characters"
    if refuse is not None:
        raise TaxopsError(
            f"{origin} declares XML entities taxops does not expand: {refuse}",
            "write the values out in the file, or export the scheme as Turtle or N-Triples",
        )
    head = _ENTITY.sub("", text[: found[-1].end()])
    head = _EMPTY_DOCTYPE.sub("", head)
    names = "|".join(re.escape(name) for name in values)
    return head + re.sub(f"&({names});", lambda m: values[m.group(1)], body)


# -- the draft taxonomy -----------------------------------------------------------


def _draft(statements: _Statements, origin: str) -> Imported:
    notes: list[str] = []
    text = statements.text
    key = _stable_order(statements)
    schemes = sorted({s for s, o in statements.pairs(RDF_TYPE) if o == _SCHEME}, key=key)
    scheme = schemes[0] if schemes else None
    if len(schemes) > 1:
        notes.append(f"{len(schemes)} concept schemes found; imported {scheme} only")
    concepts = _concepts(statements, scheme)
    if not concepts:
        raise TaxopsError(f"{origin} has no skos:Concept to import")

    taken: set[str] = set()
    ids: dict[str, str] = {}
    for node in sorted(concepts, key=key):
        notation = text(node, SKOS_NS + "notation")
        name = text(node, SKOS_NS + "prefLabel")
        blank = node.startswith("_:")
        # A blank node's label is the file's own (an anonymous one a random
        # one, new at each read): never an id, which must not change.
        local = (
            "" if blank else unquote(node.rsplit("/", 1)[-1].rsplit("#", 1)[-1].rsplit(":", 1)[-1])
        )
        wanted = notation if notation and is_label_id(notation) else None
        if wanted is None:
            wanted = local if local and is_label_id(local) else slug(name or local or "concept")
            if not blank:
                shown = node
            elif name:
                shown = f"the concept '{name}' (no IRI)"
            else:
                shown = "a concept with no IRI and no name"
            notes.append(f"{shown} has no usable skos:notation: its id is '{wanted}'")
        ids[node] = unique(wanted, taken)

    parents = _parents(statements, ids)
    replaced_by: dict[str, list[str]] = {}
    for node, target in statements.pairs(DCTERMS_NS + "isReplacedBy"):
        if node in ids and target in ids:
            replaced_by.setdefault(node, []).append(ids[target])

    def position(node: str) -> tuple[int, str]:
        value = text(node, TAXOPS_NS + "position")
        try:
            return (int(value), ids[node]) if value is not None else (1 << 30, ids[node])
        except ValueError:
            return (1 << 30, ids[node])

    labels = []
    for node in sorted(concepts, key=position):
        found = statements.texts.get(node, {})  # this concept's texts, looked up once
        above = parents.get(node, [])
        parent = ids[min(above, key=key)] if above else None
        if len(above) > 1:
            notes.append(
                f"'{ids[node]}' has {len(above)} broader concepts; a taxonomy keeps one: '{parent}'"
            )
        deprecated = (_best(found, OWL_NS + "deprecated") or "false").lower() in ("true", "1")
        status = _best(found, TAXOPS_NS + "status") or ("deprecated" if deprecated else "active")
        replaced = sorted(set(replaced_by.get(node, [])))
        order = _json_list(_best(found, TAXOPS_NS + "replacedByOrder"))
        if order and sorted(order) == replaced:
            replaced = order
        name = _best(found, SKOS_NS + "prefLabel")
        if not name:
            notes.append(f"'{ids[node]}' has no skos:prefLabel: its name is made from its id")
        labels.append(
            ImportedLabel(
                id=ids[node],
                name=name or humanise(ids[node]),
                parent=parent,
                definition=_best(found, SKOS_NS + "definition"),
                aliases=sorted(set(statements.all_texts(node, _ALT))),
                status=status,
                replaced_by=replaced,
                replacement=_best(found, TAXOPS_NS + "replacement"),
                note=_best(found, SKOS_NS + "historyNote"),
                since=_best(found, TAXOPS_NS + "since"),
                attributes=_attributes(_best(found, TAXOPS_NS + "attributes"), ids[node], notes),
            )
        )
    title = text(scheme, SKOS_NS + "prefLabel") or "Imported taxonomy"
    kind = text(scheme, TAXOPS_NS + "kind") or (
        "hierarchical" if any(label.parent for label in labels) else "single-label"
    )
    owners = sorted(set(statements.all_texts(scheme, _CREATOR))) if scheme else []
    versioning = json_or_none(text(scheme, TAXOPS_NS + "versioning") or "")
    version = text(scheme, OWL_NS + "versionInfo")
    if version is not None and versioning is None:
        version, versioning = version_as_published(version, notes)
    return Imported(
        id=text(scheme, DCTERMS_NS + "identifier") or slug(title).replace("_", "-"),
        title=title,
        kind=kind,
        labels=labels,
        version=version or "1.0.0",
        leaf_only=text(scheme, TAXOPS_NS + "leafOnly") == "true",
        owners=owners or ["@your-team"],
        description=text(scheme, DCTERMS_NS + "description"),
        compatibility=text(scheme, TAXOPS_NS + "compatibility"),
        ids=json_or_none(text(scheme, TAXOPS_NS + "ids") or ""),
        versioning=versioning,
        notes=notes,
    )


def _stable_order(statements: _Statements) -> Callable[[str], tuple[int, int, str]]:
    """A sort key that is the same at every read of a file: IRIs by their
    text, then blank nodes in the order the file first says something of
    them (an anonymous blank node's label is drawn at random by the parser)."""
    seen = dict.fromkeys([*statements.texts, *(s for s, _ in statements.pairs(RDF_TYPE))])
    place = {node: i for i, node in enumerate(seen)}

    def key(node: str) -> tuple[int, int, str]:
        if node.startswith("_:"):
            return (1, place.get(node, len(place)), "")
        return (0, 0, node)

    return key


def _concepts(statements: _Statements, scheme: str | None) -> set[str]:
    """The concepts to import: those of ``scheme`` (named by it, or below one
    it names, typed ``skos:Concept`` or not typed at all: a collection or
    another kind of resource is not a label), else every ``skos:Concept``."""
    types: dict[str, set[str]] = {}
    for node, kind in statements.pairs(RDF_TYPE):
        types.setdefault(node, set()).add(kind)
    typed = {node for node, kinds in types.items() if _CONCEPT in kinds}
    if scheme is None:
        return typed
    named = {
        *statements.subjects(SKOS_NS + "inScheme", scheme),
        *statements.subjects(SKOS_NS + "topConceptOf", scheme),
        *(o for s, o in statements.pairs(SKOS_NS + "hasTopConcept") if s == scheme),
    }
    children: dict[str, list[str]] = {}
    for child, parent in statements.pairs(SKOS_NS + "broader"):
        children.setdefault(parent, []).append(child)
    for parent, child in statements.pairs(SKOS_NS + "narrower"):
        children.setdefault(parent, []).append(child)
    described = statements.texts.keys()
    members = set(named)
    stack = list(named)
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in members and (child in typed or child in described):
                members.add(child)
                stack.append(child)
    kept = {node for node in members if node in typed or node not in types}
    return kept or typed


def _parents(statements: _Statements, ids: dict[str, str]) -> dict[str, list[str]]:
    """Each concept's broader concepts among those imported: its own
    ``skos:broader`` and every concept that lists it as ``skos:narrower``."""
    out: dict[str, dict[str, None]] = {}
    for child, parent in statements.pairs(SKOS_NS + "broader"):
        if child in ids and parent in ids and parent != child:
            out.setdefault(child, {})[parent] = None
    for parent, child in statements.pairs(SKOS_NS + "narrower"):
        if child in ids and parent in ids and parent != child:
            out.setdefault(child, {})[parent] = None
    return {child: list(found) for child, found in out.items()}


def _attributes(text: str | None, label_id: str, notes: list[str]) -> list[dict[str, Any]]:
    if not text:
        return []
    value = json_or_none(text)
    if not isinstance(value, list) or not all(isinstance(a, dict) for a in value):
        notes.append(f"the attributes of '{label_id}' are not a JSON list: not carried over")
        return []
    return value


def _json_list(text: str | None) -> list[str]:
    value = json_or_none(text or "")
    return [str(v) for v in value] if isinstance(value, list) else []
