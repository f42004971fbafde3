"""SKOS: the taxonomy as a concept scheme (Turtle or JSON-LD, written by
:mod:`taxops.interchange.rdf_out`),
and the migration map between two versions as SKOS mapping relations. The
import of a concept scheme is :mod:`taxops.interchange.skos_import`.

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
from urllib.parse import quote

from taxops.collector import paused
from taxops.diagnostics import TaxopsError
from taxops.escaping import terminal
from taxops.interchange.rdf_out import IRI, RDF, RDF_TYPE, XSD, Lit, Triples
from taxops.interchange.source import ExportSource
from taxops.migration.model import Action, MigrationMap
from taxops.models.taxonomy import Status

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
