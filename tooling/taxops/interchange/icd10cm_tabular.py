"""ICD-10-CM's tabular list as NCHS and CMS publish it (``icd10cm_tabular_*.xml``,
root element ``ICD10CM.tabular``): the one file of the edition with its chapters,
sections, categories and their codes as a tree.

Each ``chapter``, ``section`` and ``diag`` becomes a label, in the file's order:

- a chapter's id is its number as published (``1``), a section's its ``id``
  (``A00-A09``; a section of one category, ``B10``, gets ``B10-B10``, since
  the category has the code), a code's its ``name`` exactly as written, dots
  included (``A00.0``);
- the name is the ``desc``; the parent is the element the label is written in.

**Seventh characters.** The list writes ``S02.0`` once, with a ``sevenChrDef``
on ``S02`` listing its 7th characters (``A`` initial encounter for closed
fracture, ...); a record carries ``S02.0XXA``. A definition holds for every code
under it, unless a code under it has its own. Each code with no code under it
gets a label per 7th character, under it: the code padded with the placeholder
``X`` to six characters, then the character (``S02.0XXA``), named
``"<desc>, <7th character's text>"``, as the edition's order file names them.
Without them a third of the codes valid on a record (injuries, pregnancy)
would be missing.

Only a code with no code under it is valid on a record, so the taxonomy is
``leaf_only``. The instructional notes (inclusion terms, excludes1 and
excludes2, code first, code also, ...) are counted in the report: a taxonomy
holds names and definitions, and those notes are a guideline's to state.

The file is read as a stream, safely (:func:`taxops.interchange.publisher_xml.stream`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from taxops.diagnostics import TaxopsError
from taxops.interchange.imported import Imported, ImportedLabel, is_label_id
from taxops.interchange.publisher_meta import version_as_published
from taxops.interchange.publisher_xml import Target, opens_with_root, stream

ROOT = "ICD10CM.tabular"
#: The elements that become labels.
_NODES = ("chapter", "section", "diag")
#: The notes a taxonomy does not hold, as the report names them.
_NOTES = {
    "inclusionTerm": "inclusion terms",
    "includes": "includes",
    "excludes1": "excludes1",
    "excludes2": "excludes2",
    "codeFirst": "code first",
    "codeAlso": "code also",
    "useAdditionalCode": "use additional code",
    "notes": "other notes",
    "sevenChrNote": "7th character notes",
}
#: The length of a code before its 7th character (dot left out).
_SIX = 6


@dataclass
class _Node:
    kind: str
    parent: int | None
    code: str = ""
    desc: list[str] = field(default_factory=list)
    #: Its own 7th characters: (character, text), as listed.
    seventh: list[tuple[str, str]] | None = None
    has_codes: bool = False


class _Reader(Target):
    """The parser's target: the labels' elements as they open and close, the
    text of their ``name`` and ``desc``, the 7th characters; everything else
    is counted."""

    def __init__(self) -> None:
        super().__init__()
        #: The text of the list's ``<version>`` (the first, if written twice).
        self.version: list[str] | None = None
        self.nodes: list[_Node] = []
        self.notes: Counter[str] = Counter()
        self._open: list[int] = []  # the labels' elements open now, innermost last
        self._path: list[str] = []  # every element open now
        self._extension: str | None = None

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        self.saw(tag)
        parent_tag = self._path[-1] if self._path else None
        self._path.append(tag)
        if tag in _NODES:
            parent = self._open[-1] if self._open else None
            node = _Node(tag, parent)
            if tag == "section":
                node.code = attrib.get("id", "").strip()
            if tag == "diag" and parent is not None:
                self.nodes[parent].has_codes = True
            self.nodes.append(node)
            self._open.append(len(self.nodes) - 1)
        elif not self._open:
            if tag == "version" and parent_tag == ROOT and self.version is None:
                self.version = []
                self.collecting = self.version
        elif parent_tag in _NODES and tag in ("name", "desc"):
            node = self.nodes[self._open[-1]]
            self.collecting = node.desc if tag == "desc" else []
        elif tag == "extension" and parent_tag == "sevenChrDef":
            self._extension = attrib.get("char", "").strip()
            self.collecting = []
        elif tag == "note" and parent_tag in _NOTES:
            self.notes[parent_tag] += 1

    def end(self, tag: str) -> None:
        self._path.pop()
        text = self.collecting
        if tag in _NODES:
            self._open.pop()
        elif tag == "name" and text is not None and self._open:
            node = self.nodes[self._open[-1]]
            node.code = node.code or "".join(text).strip()
        elif tag == "extension" and text is not None and self._open:
            node = self.nodes[self._open[-1]]
            if node.seventh is None:
                node.seventh = []
            node.seventh.append((self._extension or "", " ".join("".join(text).split())))
            self._extension = None
        if tag in ("name", "desc", "extension", "version"):
            self.collecting = None


def import_icd10cm_tabular(
    text: str, origin: str, progress: Callable[[float], None] | None = None
) -> Imported:
    reader = _Reader()
    stream(
        text,
        reader,
        origin,
        ROOT,
        "ICD-10-CM's tabular list",
        "give the tabular list (icd10cm_tabular_*.xml) as it is published",
        progress,
    )
    if not any(node.kind == "diag" for node in reader.nodes):
        raise TaxopsError(f"{origin} has no code (diag): nothing to import")
    return _imported(reader, origin)


def _imported(reader: _Reader, origin: str) -> Imported:
    notes: list[str] = []
    nodes = reader.nodes
    ids: list[str | None] = [None] * len(nodes)
    taken: set[str] = set()
    labels: list[ImportedLabel] = []
    seventh: list[list[tuple[str, str]] | None] = [None] * len(nodes)
    single_sections: list[str] = []
    expanded = 0
    too_long: list[str] = []
    for i, node in enumerate(nodes):
        code = node.code
        if node.kind == "section" and code and "-" not in code:
            single_sections.append(code)
            code = f"{code}-{code}"
        name = " ".join("".join(node.desc).split())
        if not code or not is_label_id(code) or code in taken:
            problem = (
                f"a {node.kind} without a code"
                if not code
                else f"the code '{code}' twice"
                if code in taken
                else f"the code {code!r}, which cannot be an id"
            )
            raise TaxopsError(
                f"{origin} has {problem}",
                "give the tabular list as it is published",
            )
        taken.add(code)
        ids[i] = code
        parent = ids[node.parent] if node.parent is not None else None
        labels.append(ImportedLabel(id=code, name=name or code, parent=parent))
        if not name:
            notes.append(f"'{code}' has no desc in the file: its name is its code")
        # The 7th characters in force here: the code's own, else its parent's.
        seventh[i] = node.seventh or (seventh[node.parent] if node.parent is not None else None)
        if node.kind != "diag" or node.has_codes or not seventh[i]:
            continue
        base = code.replace(".", "")
        if len(base) > _SIX:
            too_long.append(code)
            continue
        for char, meaning in seventh[i] or ():
            full = base.ljust(_SIX, "X") + char
            full_id = f"{full[:3]}.{full[3:]}"
            if len(char) != 1 or full_id in taken or not is_label_id(full_id):
                notes.append(f"the 7th character {char!r} of '{code}' gives no new code: left out")
                continue
            taken.add(full_id)
            labels.append(
                ImportedLabel(
                    id=full_id, name=f"{name}, {meaning}" if meaning else name, parent=code
                )
            )
            expanded += 1
    if expanded:
        notes.append(
            f"{expanded:,} codes are a code and its 7th character ('S02.0' and 'A' make "
            "'S02.0XXA'), each under its code and named as the order file names it"
        )
    if too_long:
        notes.append(
            f"{len(too_long):,} codes already have 7 characters, so their 7th character "
            f"list is not applied: {', '.join(too_long[:5])}"
        )
    if single_sections:
        first, n = single_sections[0], len(single_sections)
        notes.append(
            f"{n:,} section{'s' if n != 1 else ''} of one category get{'' if n != 1 else 's'} "
            f"an id from the category twice, '{first}-{first}' (the category has the code "
            f"'{first}')"
        )
    notes.append(
        "codes keep their dots, as the tabular list writes them (the order and code files "
        "write 'A00.0' as 'A000': import one of those for data that stores codes without dots)"
    )
    notes.append(
        "'leaf_only: true': only a code with no code under it is valid on a record "
        "(chapters, sections and categories are headings)"
    )
    if reader.notes:
        shown = ", ".join(f"{_NOTES[kind]} ({n:,})" for kind, n in reader.notes.most_common())
        notes.append(f"instructional notes not carried over (a guideline's to state): {shown}")
    version, versioning = "1.0.0", None
    written = " ".join("".join(reader.version or ()).split())
    if written:
        version, versioning = version_as_published(written, notes)
    return Imported(
        id="icd-10-cm",
        title="ICD-10-CM",
        kind="hierarchical",
        labels=labels,
        version=version,
        versioning=versioning,
        leaf_only=True,
        ids="code",
        notes=notes,
    )


def looks_like_icd10cm_tabular(text: str) -> bool:
    """Whether the XML's root element is ``ICD10CM.tabular``."""
    return opens_with_root(text, ROOT)
