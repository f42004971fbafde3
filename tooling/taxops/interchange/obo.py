"""An ontology in the OBO flat file format, as the OBO Foundry's ontologies are
published (the Gene Ontology, ChEBI, the Human Phenotype Ontology, the Cell
Ontology, MONDO, Uberon: ``go-basic.obo``, ``hp.obo``...).

Each ``[Term]`` stanza becomes a label:

- its ``id`` exactly as published (``GO:0008150``), its ``name`` the name, its
  ``def`` (the quoted text, without its references) the definition;
- its first ``is_a`` the parent (a term under several is the report's to
  count: a taxonomy keeps one parent), or for a term defined only logically
  the genus of its ``intersection_of``; other relations (``part_of``...) are
  counted, not followed;
- its ``EXACT`` synonyms the aliases (the broader, narrower and related ones
  are not other names for it, and are counted);
- an obsolete term (``is_obsolete: true``) a retired label, replaced by its
  ``replaced_by`` term (a machine relabels), or else by the terms it says to
  ``consider`` (a person chooses among them), or else left for review;
- an ``alt_id`` (the id of a term merged into this one) a retired label
  replaced by this term, so data that carries the old id migrates to it.

The header's ``data-version`` (``releases/2025-03-16``) becomes the calendar
version, its ``ontology`` the taxonomy's id. ``[Typedef]`` and ``[Instance]``
stanzas are counted.

The format is read line by line as its specification says: a tag, a colon,
the value; an unescaped ``!`` starts a comment and ``{...}`` at the end of a
line holds qualifiers, neither part of the value; ``\\`` escapes a character.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from taxops.diagnostics import TaxopsError
from taxops.escaping import short
from taxops.interchange.imported import (
    Imported,
    ImportedLabel,
    file_stem,
    is_label_id,
    taxonomy_slug,
    top_level_when_unknown,
)
from taxops.interchange.publisher_meta import version_as_published

#: The fewest lines read between two reports of progress.
_REPORT_EVERY = 50_000
#: What a backslash before a character stands for (any other: the character).
_ESCAPES = {"n": "\n", "t": "\t", "W": " "}
#: One escape: a backslash and the character it escapes.
_ESCAPE = re.compile(r"\\(.)", re.S)
#: A date in a header's data-version (``releases/2025-03-16``, ``hp/2024-04-26/hp.obo``).
_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")
#: The tags of a term that say something a taxonomy keeps.
_KEPT = frozenset(
    {
        "id",
        "name",
        "def",
        "is_a",
        "intersection_of",
        "synonym",
        "is_obsolete",
        "replaced_by",
        "consider",
        "alt_id",
    }
)


@dataclass
class _Term:
    id: str
    line: int
    name: str = ""
    definition: str | None = None
    parents: list[str] = field(default_factory=list)
    #: The genus of a logical definition (``intersection_of: CL:0000000``,
    #: the term with no relation before it): a superclass, for a term that
    #: states no ``is_a`` (the Cell Ontology and Uberon define some so).
    genus: list[str] = field(default_factory=list)
    exact: list[str] = field(default_factory=list)
    obsolete: bool = False
    replaced_by: list[str] = field(default_factory=list)
    consider: list[str] = field(default_factory=list)
    alt_ids: list[str] = field(default_factory=list)


@dataclass
class _Read:
    header: dict[str, str] = field(default_factory=dict)
    terms: list[_Term] = field(default_factory=list)
    stanzas: Counter[str] = field(default_factory=Counter)
    relations: Counter[str] = field(default_factory=Counter)
    synonyms: Counter[str] = field(default_factory=Counter)


#: A value up to its first unescaped ``!`` (a comment), its escapes kept.
_BEFORE_COMMENT = re.compile(r"[^!\\]*(?:\\.?[^!\\]*)*", re.S)


def _resolved(text: str) -> str:
    """``text`` with each escape (``\\!``, ``\\"``, ``\\n``) resolved."""
    if "\\" not in text:
        return text
    return _ESCAPE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(1)), text)


def _value(raw: str) -> str:
    """A tag's value: its comment and trailing qualifiers (``{...}``) left out."""
    if "\\" not in raw and "!" not in raw and "}" not in raw:
        return raw.strip()  # nearly every line: nothing to leave out
    found = _BEFORE_COMMENT.match(raw)
    value = _resolved(found.group() if found else raw).strip()
    if value.endswith("}") and "{" in value:
        value = value[: value.rindex("{")].rstrip()
    return value


def _spaced(text: str) -> str:
    """``text`` with its runs of white space made single spaces."""
    if "  " in text or "\t" in text or "\n" in text or "\r" in text:
        return " ".join(text.split())
    return text.strip()


#: A quoted string at the start of a value, its escapes kept.
_QUOTED = re.compile(r'\s*"([^"\\]*(?:\\.[^"\\]*)*)"', re.S)


def _quoted(raw: str) -> tuple[str, str] | None:
    """The quoted string a value starts with (``"text" EXACT []``), escapes
    resolved, and what follows it; None when it does not start with one."""
    found = _QUOTED.match(raw)
    if found is None:
        return None
    return _resolved(found.group(1)), raw[found.end() :]


def _read(text: str, origin: str, progress: Callable[[float], None] | None) -> _Read:
    read = _Read()
    lines = text.count("\n") + 1
    every = max(lines // 100, _REPORT_EVERY)  # a report a percent, or less often
    term: _Term | None = None
    stanza: str | None = None  # None: the header
    for number, line in enumerate(text.splitlines(), start=1):
        if progress is not None and number % every == 0:
            progress(100.0 * number / lines)
        line = line.strip()
        if not line or line.startswith("!"):
            continue
        if line.startswith("[") and line.endswith("]"):
            stanza = line[1:-1].strip()
            read.stanzas[stanza] += 1
            term = None
            if stanza == "Term":
                term = _Term("", number)
                read.terms.append(term)
            continue
        tag, colon, raw = line.partition(":")
        if not colon:
            raise TaxopsError(
                f"{origin}:{number}: not an OBO line (a tag, a colon, its value): {short(line, 80)!r}",
                "give the ontology's .obo file as it is published",
            )
        tag = tag.strip()
        if stanza is None:
            if tag == "property_value":
                relation, _, rest = raw.strip().partition(" ")
                found = _quoted(rest) if relation.endswith("/title") else None
                if found is not None and found[0].strip():
                    read.header.setdefault("title", _spaced(found[0]))
            else:
                read.header.setdefault(tag, _value(raw))
            continue
        if term is None:
            continue
        if tag not in _KEPT:
            if tag == "relationship":
                read.relations[_value(raw).split(" ", 1)[0]] += 1
            continue
        if tag == "id":
            term.id = _value(raw)
        elif tag == "name":
            term.name = _spaced(_value(raw))
        elif tag == "def":
            found = _quoted(raw)
            if found is not None:
                term.definition = _spaced(found[0]) or None
        elif tag == "is_a":
            parent = _value(raw).split(" ", 1)[0]
            if parent:
                term.parents.append(parent)
        elif tag == "intersection_of":
            parts = _value(raw).split()
            if len(parts) == 1:
                term.genus.append(parts[0])
        elif tag == "synonym":
            found = _quoted(raw)
            if found is not None:
                scope = (found[1].split() or ["RELATED"])[0]
                read.synonyms[scope] += 1
                if scope == "EXACT" and found[0].strip():
                    term.exact.append(_spaced(found[0]))
        elif tag == "is_obsolete":
            term.obsolete = _value(raw).lower() == "true"
        elif tag == "replaced_by":
            term.replaced_by.append(_value(raw))
        elif tag == "consider":
            term.consider.append(_value(raw))
        elif tag == "alt_id":
            term.alt_ids.append(_value(raw))
    if progress is not None:
        progress(100.0)
    return read


def import_obo(text: str, origin: str, progress: Callable[[float], None] | None = None) -> Imported:
    text = text.removeprefix("\ufeff")
    read = _read(text, origin, progress)
    if "format-version" not in read.header and not read.terms:
        raise TaxopsError(
            f"{origin} is not an OBO ontology (no format-version header and no [Term])",
            "give the ontology's .obo file as it is published, or choose the format with --from",
        )
    if not read.terms:
        raise TaxopsError(f"{origin} has no [Term]: nothing to import")
    notes: list[str] = []
    labels: list[ImportedLabel] = []
    ids: set[str] = set()
    terms = []
    for term in read.terms:
        if not term.id or not is_label_id(term.id) or term.id in ids:
            problem = (
                "a term without an id"
                if not term.id
                else f"the id '{term.id}' twice"
                if term.id in ids
                else f"the id {term.id!r}, which cannot be a label id"
            )
            raise TaxopsError(f"{origin}:{term.line}: {problem}", "give the ontology as published")
        ids.add(term.id)
        terms.append(term)
    several = by_genus = 0
    unknown_targets: list[str] = []
    obsolete = {term.id for term in terms if term.obsolete}
    under_obsolete: list[str] = []
    for term in terms:
        if len(term.parents) > 1:
            several += 1
        # An obsolete term holds no term in use: its children go under their
        # next parent, or to the top level.
        above = term.parents or term.genus
        by_genus += not term.parents and bool(term.genus) and not term.obsolete
        live = [p for p in above if p not in obsolete]
        if len(live) < len(above) and not term.obsolete:
            under_obsolete.append(term.id)
        label = ImportedLabel(
            id=term.id,
            name=term.name or term.id,
            parent=live[0] if live else None,
            definition=term.definition,
            aliases=list(dict.fromkeys(term.exact)),
        )
        if not term.name:
            notes.append(f"term '{term.id}' has no name: its name is its id")
        if term.obsolete:
            label.status, label.parent = "retired", None
            named = [t for t in (term.replaced_by or term.consider) if t]
            unknown_targets += [t for t in named if t not in ids]
            label.replaced_by = list(dict.fromkeys(t for t in named if t in ids))
            if label.replaced_by and not term.replaced_by:
                label.replacement = "review"  # 'consider': a person chooses
        labels.append(label)
    merged = _merged(terms, ids, notes)
    labels += merged
    if several:
        notes.append(
            f"{several:,} term{'s have' if several != 1 else ' has'} several is_a parents: a "
            "taxonomy keeps one, the first"
        )
    if by_genus:
        one = by_genus == 1
        notes.append(
            f"{by_genus:,} term{'' if one else 's'} with no is_a {'goes' if one else 'go'} under "
            f"the genus of {'its' if one else 'their'} logical definition (intersection_of)"
        )
    if under_obsolete:
        shown = ", ".join(under_obsolete[:5])
        notes.append(
            f"{len(under_obsolete):,} term(s) in use are under an obsolete term, which holds no "
            f"term in use: each goes under its next parent, or to the top level ({shown})"
        )
    if unknown_targets:
        notes.append(
            f"{len(unknown_targets):,} replaced_by or consider term(s) of obsolete terms are not "
            f"in the file, and are left out: {', '.join(sorted(set(unknown_targets))[:5])}"
        )
    if merged:
        n = len(merged)
        notes.append(
            f"{n:,} alt_id{'s' if n != 1 else ''} (the id of a term merged into another) "
            f"{'are retired labels' if n != 1 else 'is a retired label'} replaced by the term "
            "that holds it"
        )
    top_level_when_unknown(labels, notes)
    _count_left_out(read, notes)
    ontology = read.header.get("ontology", "")
    title = _title(read.header) or ontology.upper() or file_stem(origin)
    version, versioning = "1.0.0", None
    written = read.header.get("data-version", "")
    if written:
        found = _DATE.search(written)
        version, versioning = version_as_published(found.group(1) if found else written, notes)
    return Imported(
        id=taxonomy_slug(ontology or file_stem(origin)),
        title=title,
        kind="hierarchical" if any(label.parent for label in labels) else "single-label",
        labels=labels,
        version=version,
        versioning=versioning,
        ids="code",
        notes=notes,
    )


def _merged(terms: list[_Term], ids: set[str], notes: list[str]) -> list[ImportedLabel]:
    """A retired label for each ``alt_id`` that is not a term of its own."""
    out = []
    seen: set[str] = set()
    for term in terms:
        for alt in term.alt_ids:
            if not alt or alt in ids or alt in seen or not is_label_id(alt):
                continue
            seen.add(alt)
            out.append(
                ImportedLabel(
                    id=alt,
                    name=f"{term.name or term.id} (merged into {term.id})",
                    status="retired",
                    replaced_by=[term.id],
                )
            )
    return out


def _count_left_out(read: _Read, notes: list[str]) -> None:
    others = {k: n for k, n in read.stanzas.items() if k != "Term"}
    if others:
        shown = ", ".join(f"[{k}] ({n:,})" for k, n in sorted(others.items()))
        notes.append(f"stanzas not carried over (a taxonomy holds terms): {shown}")
    if read.relations:
        shown = ", ".join(f"{k} ({n:,})" for k, n in read.relations.most_common(5))
        notes.append(f"relationships not followed (the tree is is_a): {shown}")
    unused = {k: n for k, n in read.synonyms.items() if k != "EXACT"}
    if unused:
        shown = ", ".join(f"{k} ({n:,})" for k, n in sorted(unused.items()))
        notes.append(
            f"synonyms that are not EXACT are not aliases (they name other things): {shown}"
        )


def _title(header: dict[str, str]) -> str | None:
    """The ontology's title, where its header says it (a Dublin Core title
    property, read as the header's ``title``)."""
    return header.get("title") or None
