"""MeSH, the National Library of Medicine's Medical Subject Headings, as the
NLM publishes its descriptors (``desc2025.xml``, root ``DescriptorRecordSet``).

Each ``DescriptorRecord`` becomes a label:

- its ``DescriptorUI`` the id (``D009369``), its ``DescriptorName`` the name;
- the ``ScopeNote`` of its preferred concept the definition, and the other
  terms of that concept (its entry terms: ``Tumors`` for ``Neoplasms``) the
  aliases; the terms of its other concepts (broader, narrower, related) name
  other things, and are counted;
- its parent the descriptor whose tree number is its first tree number's
  parent (``C04.557`` is under ``C04``). A descriptor in several trees keeps
  the first (the report counts them); one at the top of its tree (``C04``) is
  at the top level. MeSH's 16 categories (``C``, Diseases) are no
  descriptors, and no labels.

Only a record's own elements are read: the descriptors a record refers to
(see-related, entry combinations, pharmacological actions) write their UI and
name too, inside it. The year in the file's name (``desc2025.xml``) is the
calendar version. The file is read as a stream, safely
(:func:`taxops.interchange.publisher_xml.stream`): the full file is hundreds of MB.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from taxops.diagnostics import TaxopsError
from taxops.interchange.imported import (
    Imported,
    ImportedLabel,
    file_stem,
    is_label_id,
    top_level_when_unknown,
)
from taxops.interchange.publisher_meta import version_as_published
from taxops.interchange.publisher_xml import Target, opens_with_root, stream

ROOT = "DescriptorRecordSet"
#: The year in a descriptor file's name: ``desc2025.xml``.
_YEAR = re.compile(r"desc(\d{4})", re.IGNORECASE)

#: The paths (below a record) of what is read, as element names from the record down.
_UI = ("DescriptorRecord", "DescriptorUI")
_NAME = ("DescriptorRecord", "DescriptorName", "String")
_TREE = ("DescriptorRecord", "TreeNumberList", "TreeNumber")
_CONCEPT = ("DescriptorRecord", "ConceptList", "Concept")
_NOTE = (*_CONCEPT, "ScopeNote")
_TERM = (*_CONCEPT, "TermList", "Term", "String")


@dataclass
class _Record:
    ui: str = ""
    name: str = ""
    trees: list[str] = field(default_factory=list)
    note: str | None = None
    terms: list[str] = field(default_factory=list)


class _Reader(Target):
    """The parser's target: each record's own elements (by their path from the
    record, so a descriptor it refers to is never read as its own), kept as a
    few strings; every other element is passed over."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[_Record] = []
        self.other_terms = 0
        self._path: list[str] = []
        self._record: _Record | None = None
        self._preferred = False

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        self.saw(tag)
        if tag == "DescriptorRecord" and self._record is None:
            self._path = []
            self._record = _Record()
        if self._record is None:
            return
        self._path.append(tag)
        path = tuple(self._path)
        if path == _CONCEPT:
            self._preferred = attrib.get("PreferredConceptYN", "").upper() == "Y"
        elif path in (_UI, _NAME, _TREE, _NOTE, _TERM):
            self.collecting = []

    def end(self, tag: str) -> None:
        record = self._record
        if record is None:
            return
        path = tuple(self._path)
        text = " ".join("".join(self.collecting).split()) if self.collecting is not None else ""
        if path == _UI:
            record.ui = text
        elif path == _NAME:
            record.name = text
        elif path == _TREE and text:
            record.trees.append(text)
        elif path == _NOTE and self._preferred:
            record.note = text or None
        elif path == _TERM and text:
            if self._preferred:
                record.terms.append(text)
            else:
                self.other_terms += 1
        if path in (_UI, _NAME, _TREE, _NOTE, _TERM):
            self.collecting = None
        self._path.pop()
        if tag == "DescriptorRecord" and not self._path:
            self.records.append(record)
            self._record = None


def import_mesh(
    text: str, origin: str, progress: Callable[[float], None] | None = None
) -> Imported:
    reader = _Reader()
    stream(
        text,
        reader,
        origin,
        ROOT,
        "MeSH's descriptors",
        "give the NLM's descriptor file (desc2025.xml) as it is published",
        progress,
    )
    if not reader.records:
        raise TaxopsError(f"{origin} has no DescriptorRecord: nothing to import")
    notes: list[str] = []
    by_tree: dict[str, str] = {}
    ids: set[str] = set()
    for record in reader.records:
        ui = record.ui
        if not ui or not is_label_id(ui) or ui in ids:
            problem = (
                "a descriptor without a DescriptorUI"
                if not ui
                else f"the descriptor '{ui}' twice"
                if ui in ids
                else f"the DescriptorUI {ui!r}, which cannot be a label id"
            )
            raise TaxopsError(f"{origin} has {problem}", "give the descriptor file as published")
        ids.add(ui)
        for tree in record.trees:
            by_tree.setdefault(tree, ui)
    labels = []
    several = 0
    for record in reader.records:
        first = record.trees[0] if record.trees else ""
        parent = by_tree.get(first.rpartition(".")[0]) if "." in first else None
        several += len(record.trees) > 1
        aliases = [t for t in dict.fromkeys(record.terms) if t != record.name]
        labels.append(
            ImportedLabel(
                id=record.ui,
                name=record.name or record.ui,
                parent=parent,
                definition=record.note,
                aliases=aliases,
            )
        )
        if not record.name:
            notes.append(f"descriptor '{record.ui}' has no DescriptorName: its name is its UI")
    if several:
        notes.append(
            f"{several:,} descriptor{'s are' if several != 1 else ' is'} in several trees: a "
            "taxonomy keeps one parent, the one the first tree number gives"
        )
    if reader.other_terms:
        notes.append(
            f"terms of concepts other than the preferred one are not aliases (they name broader, "
            f"narrower or related things): {reader.other_terms:,}"
        )
    top_level_when_unknown(labels, notes)
    found = _YEAR.search(file_stem(origin))
    version, versioning = "1.0.0", None
    if found:
        version, versioning = version_as_published(found.group(1), notes)
    return Imported(
        id="mesh",
        title="MeSH",
        kind="hierarchical" if any(label.parent for label in labels) else "single-label",
        labels=labels,
        version=version,
        versioning=versioning,
        ids="code",
        notes=notes,
    )


def looks_like_mesh(text: str) -> bool:
    """Whether the XML's root element is ``DescriptorRecordSet``."""
    return opens_with_root(text, ROOT)
