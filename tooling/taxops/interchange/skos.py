"""SKOS: the taxonomy as a concept scheme (Turtle or JSON-LD, written by
:mod:`taxops.interchange.rdf_out`),
the migration map between two versions as SKOS mapping relations, and the
import of a SKOS concept scheme (read by rdflib).

Each label is a ``skos:Concept`` in the scheme: ``prefLabel`` (the name),
``altLabel`` (aliases), ``definition``, ``broader`` (the parent), ``notation``
(the label id, exactly as datasets store it). Deprecated and retired labels are
``owl:deprecated true`` with ``dcterms:isReplacedBy`` their replacements;
``taxops:status``, ``taxops:replacement`` and ``taxops:position`` keep what SKOS
has no word for, so an export imports back unchanged. The scheme carries the
taxonomy id (``dcterms:identifier``) and version (``owl:versionInfo``).

Mapping relations (``taxops export ID --to skos --mapping-from V``): a label kept
under a new id is ``exactMatch``; merged into another or falling back to its
parent, ``broadMatch`` (the new concept is wider); split for review,
``narrowMatch`` to each candidate.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote, unquote

from taxops.collector import paused
from taxops.diagnostics import TaxopsError
from taxops.escaping import short, terminal
from taxops.interchange.imported import (
    Imported,
    ImportedLabel,
    humanise,
    is_label_id,
    slug,
    unique,
)
from taxops.interchange.rdf_out import IRI, RDF, RDF_TYPE, XSD, Lit, Triples
from taxops.interchange.source import ExportSource
from taxops.migration.model import Action, MigrationMap
from taxops.models.taxonomy import Status
from taxops.textfiles import json_or_none

TAXOPS_NS = "https://taxops.dev/ns/skos#"
SERIALISATIONS = {"turtle": "turtle", "json-ld": "json-ld"}


def default_base(taxonomy_id: str) -> str:
    return f"urn:taxops:{taxonomy_id}:"


#: What no IRI holds (RFC 3987): spaces, controls and ``<>"{}|^`\``.
_NOT_IN_IRI = re.compile(r'[\x00-\x20\x7f<>"{}|^`\\]')


def _base(base: str | None, taxonomy_id: str) -> str:
    """The concepts' base IRI (``--base``), refused when no IRI can start so:
    every consumer would reject the file."""
    if base is None:
        return default_base(taxonomy_id)
    bad = _NOT_IN_IRI.search(base)
    if bad is not None or not base:
        raise TaxopsError(
            f"--base '{terminal(base)}' is not an IRI"
            + (f": it holds {terminal(repr(bad.group()))}" if bad else ""),
            "percent-encode the characters (a space is %20), e.g. https://example.org/vocab/",
        )
    return base


SKOS_NS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS_NS = "http://purl.org/dc/terms/"
OWL_NS = "http://www.w3.org/2002/07/owl#"
PREFIXES = {
    "skos": SKOS_NS,
    "dcterms": DCTERMS_NS,
    "owl": OWL_NS,
    "taxops": TAXOPS_NS,
    "xsd": XSD,
    "rdf": RDF,
}


def concept(base: str, label_id: str) -> IRI:
    return IRI(base + quote(label_id, safe=""))


def scheme_uri(base: str) -> IRI:
    return IRI(base.rstrip(":/#") or base)


def export_skos(
    source: ExportSource, serialisation: str = "turtle", base: str | None = None, lang: str = "en"
) -> str:
    """The taxonomy as a SKOS concept scheme. A million triples and their
    terms live until the text is written: collection passes over them would
    free nothing, so the collector waits."""
    with paused():
        return _export_skos(source, serialisation, base, lang)


def _export_skos(source: ExportSource, serialisation: str, base: str | None, lang: str) -> str:
    base = _base(base, source.id)
    graph = Triples(PREFIXES)
    tax = source.taxonomy

    def add(
        subject: str, predicate: str, obj: IRI | str | int | bool, lang: str | None = None
    ) -> None:
        """One triple; a value that is not an IRI is a literal (``lang``: a text's)."""
        graph.add(subject, predicate, obj if isinstance(obj, IRI) else Lit.of(obj, lang))

    scheme = scheme_uri(base)
    add(scheme, RDF_TYPE, IRI(SKOS_NS + "ConceptScheme"))
    add(scheme, SKOS_NS + "prefLabel", tax.title, lang)
    add(scheme, DCTERMS_NS + "identifier", tax.id)
    add(scheme, OWL_NS + "versionInfo", str(tax.version))
    add(scheme, TAXOPS_NS + "kind", tax.kind.value)
    add(scheme, TAXOPS_NS + "leafOnly", tax.leaf_only)
    add(scheme, TAXOPS_NS + "compatibility", tax.compatibility.value)
    # How ids and versions are written, so an import declares the same shapes.
    # (Only those two fields: dumping the whole taxonomy twice took 3.9 s at 150,000 labels.)
    shapes = tax.model_dump(mode="json", include={"ids", "versioning"})
    ids, versioning = shapes["ids"], shapes["versioning"]
    if ids != "slug":
        add(scheme, TAXOPS_NS + "ids", json.dumps(ids))
    if versioning != "semver":
        add(scheme, TAXOPS_NS + "versioning", json.dumps(versioning))
    if tax.description:
        add(scheme, DCTERMS_NS + "description", tax.description, lang)
    for owner in tax.owners:
        add(scheme, DCTERMS_NS + "creator", owner)
    active = Status.ACTIVE
    for position, label in enumerate(tax.labels):
        node = concept(base, label.id)
        add(node, RDF_TYPE, IRI(SKOS_NS + "Concept"))
        add(node, SKOS_NS + "inScheme", scheme)
        add(node, SKOS_NS + "notation", label.id)
        add(node, SKOS_NS + "prefLabel", label.name, lang)
        add(node, TAXOPS_NS + "position", position)
        for alias in label.aliases:
            add(node, SKOS_NS + "altLabel", alias, lang)
        definition = source.definition(label)
        if definition:
            add(node, SKOS_NS + "definition", definition, lang)
        if label.parent:
            add(node, SKOS_NS + "broader", concept(base, label.parent))
            add(concept(base, label.parent), SKOS_NS + "narrower", node)
        else:
            add(node, SKOS_NS + "topConceptOf", scheme)
            add(scheme, SKOS_NS + "hasTopConcept", node)
        if label.status is not active:
            add(node, OWL_NS + "deprecated", True)
            add(node, TAXOPS_NS + "status", label.status.value)
            for target in label.replaced_by:
                add(node, DCTERMS_NS + "isReplacedBy", concept(base, target))
            if len(label.replaced_by) > 1:  # RDF is unordered; the first is the default
                add(node, TAXOPS_NS + "replacedByOrder", json.dumps(label.replaced_by))
            if label.replacement is not None:
                add(node, TAXOPS_NS + "replacement", label.replacement.value)
        if label.note:
            add(node, SKOS_NS + "historyNote", label.note, lang)
        if label.since is not None:
            add(node, TAXOPS_NS + "since", str(label.since))
        if label.attributes:
            # SKOS has no word for annotation attributes; kept as JSON so they come back.
            attributes = [
                a.model_dump(mode="json", exclude_defaults=True) for a in label.attributes
            ]
            add(node, TAXOPS_NS + "attributes", json.dumps(attributes))
    return _serialise(graph, serialisation)


def export_skos_mapping(
    migration: MigrationMap, serialisation: str = "turtle", base: str | None = None
) -> str:
    """The migration map as SKOS mapping relations from the old version's
    concepts to the new version's (same URIs: a label id is one concept)."""
    base = _base(base, migration.taxonomy)
    graph = Triples(PREFIXES)
    mapping = scheme_uri(base + "mapping")
    graph.add(mapping, RDF_TYPE, IRI(TAXOPS_NS + "MigrationMap"))
    graph.add(mapping, TAXOPS_NS + "fromVersion", Lit.of(migration.from_version))
    graph.add(mapping, TAXOPS_NS + "toVersion", Lit.of(migration.to_version))
    graph.add(mapping, OWL_NS + "versionInfo", Lit.of(migration.to_version))
    relation = {
        Action.RENAME: "exactMatch",
        Action.MERGE: "broadMatch",
        Action.REPLACE: "broadMatch",
        Action.PARENT: "broadMatch",
        Action.SPLIT: "narrowMatch",
        Action.REVIEW: "narrowMatch",
    }
    for entry in migration:
        predicate = relation.get(entry.action)
        if predicate is None:
            continue
        if entry.action is Action.REPLACE and len(entry.targets) == 1:
            predicate = (
                "exactMatch"
                if entry.via and all(s.action is Action.RENAME for s in entry.via)
                else predicate
            )
        old = concept(base, entry.label)
        for target in entry.targets:
            graph.add(old, SKOS_NS + predicate, concept(base, target))
        graph.add(old, TAXOPS_NS + "action", Lit.of(entry.action.value))
    return _serialise(graph, serialisation)


def _serialise(graph: Triples, serialisation: str) -> str:
    if serialisation not in SERIALISATIONS:
        raise TaxopsError(f"unknown SKOS serialisation '{serialisation}'", "use turtle or json-ld")
    text = graph.turtle() if serialisation == "turtle" else graph.json_ld()
    return text if text.endswith("\n") else text + "\n"


# -- import -----------------------------------------------------------------------


def import_skos(text: str, origin: str, lang: str = "en") -> Imported:
    """A draft taxonomy from a SKOS concept scheme (Turtle, JSON-LD or RDF/XML)."""
    from rdflib import RDF, Graph, Namespace
    from rdflib.namespace import DCTERMS, OWL, SKOS

    taxops = Namespace(TAXOPS_NS)
    graph = Graph()
    errors = []
    for fmt in _formats_for(origin):
        if fmt == "json-ld":
            _refuse_remote_contexts(json_or_none(text), origin)
        try:
            graph.parse(data=text, format=fmt)
            break
        except Exception as exc:  # rdflib raises many kinds for a wrong syntax
            errors.append(f"{fmt}: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}")
    else:
        raise TaxopsError(
            f"{origin} is not SKOS in Turtle, JSON-LD or RDF/XML ({'; '.join(errors)})"
        )
    notes: list[str] = []
    schemes = sorted(graph.subjects(RDF.type, SKOS.ConceptScheme), key=str)
    scheme = schemes[0] if schemes else None
    if len(schemes) > 1:
        notes.append(f"{len(schemes)} concept schemes found; imported {scheme} only")
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    if scheme is not None:
        in_scheme = set(graph.subjects(SKOS.inScheme, scheme)) | set(
            graph.objects(scheme, SKOS.hasTopConcept)
        )
        concepts = (concepts & in_scheme) or in_scheme or concepts
    if not concepts:
        raise TaxopsError(f"{origin} has no skos:Concept to import")

    def text_of(node: Any, predicate: Any) -> str | None:
        values = list(graph.objects(node, predicate))
        preferred = [v for v in values if getattr(v, "language", None) in (lang, None)]
        chosen = (preferred or values)[:1]
        return str(chosen[0]) if chosen else None

    taken: set[str] = set()
    ids: dict[Any, str] = {}
    for node in sorted(concepts, key=str):
        notation = text_of(node, SKOS.notation)
        local = unquote(str(node).rsplit("/", 1)[-1].rsplit("#", 1)[-1].rsplit(":", 1)[-1])
        wanted = notation if notation and is_label_id(notation) else None
        if wanted is None:
            wanted = local if is_label_id(local) else slug(text_of(node, SKOS.prefLabel) or local)
            notes.append(f"{node} has no usable skos:notation: its id is '{wanted}'")
        ids[node] = unique(wanted, taken)

    def position(node: Any) -> tuple[int, str]:
        value = next(iter(graph.objects(node, taxops.position)), None)
        try:
            return (int(str(value)), ids[node]) if value is not None else (1 << 30, ids[node])
        except ValueError:
            return (1 << 30, ids[node])

    labels = []
    for node in sorted(concepts, key=position):
        parents = [p for p in graph.objects(node, SKOS.broader) if p in ids]
        if len(parents) > 1:
            notes.append(
                f"'{ids[node]}' has {len(parents)} broader concepts; a taxonomy keeps one: "
                f"'{ids[sorted(parents, key=str)[0]]}'"
            )
        deprecated = str(next(iter(graph.objects(node, OWL.deprecated)), "false")).lower() == "true"
        status = text_of(node, taxops.status) or ("deprecated" if deprecated else "active")
        replaced = sorted(ids[t] for t in graph.objects(node, DCTERMS.isReplacedBy) if t in ids)
        order = _json_list(text_of(node, taxops.replacedByOrder))
        if order and sorted(order) == replaced:
            replaced = order
        name = text_of(node, SKOS.prefLabel)
        if not name:
            notes.append(f"'{ids[node]}' has no skos:prefLabel: its name is made from its id")
        labels.append(
            ImportedLabel(
                id=ids[node],
                name=name or humanise(ids[node]),
                parent=ids[sorted(parents, key=str)[0]] if parents else None,
                definition=text_of(node, SKOS.definition),
                aliases=sorted(
                    str(a)
                    for a in graph.objects(node, SKOS.altLabel)
                    if getattr(a, "language", None) in (lang, None)
                ),
                status=status,
                replaced_by=replaced,
                replacement=text_of(node, taxops.replacement),
                note=text_of(node, SKOS.historyNote),
                since=text_of(node, taxops.since),
                attributes=_attributes(text_of(node, taxops.attributes), ids[node], notes),
            )
        )
    title = (text_of(scheme, SKOS.prefLabel) if scheme is not None else None) or "Imported taxonomy"
    kind = (text_of(scheme, taxops.kind) if scheme is not None else None) or (
        "hierarchical" if any(label.parent for label in labels) else "single-label"
    )
    leaf_only = (text_of(scheme, taxops.leafOnly) if scheme is not None else None) == "true"
    identifier = text_of(scheme, DCTERMS.identifier) if scheme is not None else None
    owners = sorted(str(o) for o in graph.objects(scheme, DCTERMS.creator)) if scheme else []
    return Imported(
        id=identifier or slug(title).replace("_", "-"),
        title=title,
        kind=kind,
        labels=labels,
        version=(text_of(scheme, OWL.versionInfo) if scheme is not None else None) or "1.0.0",
        leaf_only=leaf_only,
        owners=owners or ["@your-team"],
        description=text_of(scheme, DCTERMS.description) if scheme is not None else None,
        compatibility=text_of(scheme, taxops.compatibility) if scheme is not None else None,
        ids=_json_value(text_of(scheme, taxops.ids)) if scheme is not None else None,
        versioning=_json_value(text_of(scheme, taxops.versioning)) if scheme is not None else None,
        notes=notes,
    )


def _attributes(text: str | None, label_id: str, notes: list[str]) -> list[dict[str, Any]]:
    if not text:
        return []
    value = json_or_none(text)
    if not isinstance(value, list) or not all(isinstance(a, dict) for a in value):
        notes.append(f"the attributes of '{label_id}' are not a JSON list: not carried over")
        return []
    return value


def _json_value(text: str | None) -> Any:
    return json_or_none(text)


def _json_list(text: str | None) -> list[str]:
    value = json_or_none(text)
    return [str(v) for v in value] if isinstance(value, list) else []


def _refuse_remote_contexts(document: Any, origin: str) -> None:
    """A JSON-LD ``@context`` (or ``@import``) given by address makes rdflib fetch
    it: an import would read a local file or call any host, the cloud's metadata
    service included. Only contexts written inside the file are read."""
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


def _formats_for(origin: str) -> list[str]:
    lower = origin.lower()
    if lower.endswith((".jsonld", ".json")):
        return ["json-ld", "turtle", "xml"]
    if lower.endswith((".rdf", ".xml", ".owl")):
        return ["xml", "turtle", "json-ld"]
    return ["turtle", "json-ld", "xml"]
