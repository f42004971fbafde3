"""A classification in ClaML, the XML the WHO and national institutes publish
ICD-10 and its national editions in (ICD-10-GM, ICD-O, OPS, ICF).

Each ``Class`` becomes a label: its ``code`` the id exactly as published, its
``preferred`` rubric the name (in the language ``--lang`` asks for, as SKOS
names are chosen), a ``definition`` rubric the definition, its ``SuperClass``
the parent (or the class that lists it as a ``SubClass``). Chapters, blocks
and categories keep the file's order. What a taxonomy does not hold is
counted in the report: inclusion and exclusion notes and the other rubrics,
and the modifiers (the extra characters some categories take, whose codes are
not classes of the file).

The file is read as a stream, safely (:func:`taxops.interchange.publisher_xml.stream`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from taxops.diagnostics import TaxopsError
from taxops.interchange.imported import (
    Imported,
    ImportedLabel,
    file_stem,
    is_label_id,
    slug,
    taxonomy_slug,
    top_level_when_unknown,
    unique,
)
from taxops.interchange.publisher_meta import language_rank, version_as_published
from taxops.interchange.publisher_xml import Target, opens_with_root, stream

_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_NAMES = ("preferred", "preferredLong")


@dataclass
class _Class:
    code: str
    kind: str
    supers: list[str] = field(default_factory=list)
    #: (rubric kind, language rank, order, text) of the labels kept.
    texts: list[tuple[str, int, int, str]] = field(default_factory=list)


class _Reader(Target):
    """The parser's target: each element as it opens and closes, its text as
    it comes; a class is kept as a few strings, never as a tree."""

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.rank = language_rank(lang)
        self.classes: list[_Class] = []
        self.subclasses: dict[str, str] = {}  # code -> the class listing it
        self.title: str | None = None
        self.title_text: list[str] = []
        self.version: str | None = None
        self.rubrics: Counter[str] = Counter()
        self.modifiers = 0
        self._class: _Class | None = None
        self._rubric: str | None = None
        self._label: list[str] | None = None
        self._label_lang: str | None = None
        self._in_title = False
        self._order = 0

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        self.saw(tag)
        if tag == "Class":
            self._class = _Class(attrib.get("code", "").strip(), attrib.get("kind", ""))
        elif tag == "ModifierClass":
            self.modifiers += 1
        elif self._class is not None:
            if tag == "SuperClass" and attrib.get("code"):
                self._class.supers.append(attrib["code"].strip())
            elif tag == "SubClass" and attrib.get("code"):
                self.subclasses.setdefault(attrib["code"].strip(), self._class.code)
            elif tag == "Rubric":
                self._rubric = attrib.get("kind", "")
            elif tag == "Label" and self._rubric is not None and self._label is None:
                self._label, self._label_lang = [], attrib.get(_LANG)
        elif tag == "Title":
            self.title, self.version, self._in_title = (
                attrib.get("name"),
                attrib.get("version"),
                True,
            )

    def end(self, tag: str) -> None:
        if tag == "Class" and self._class is not None:
            self.classes.append(self._class)
            self._class = None
        elif tag == "Rubric":
            self._rubric = None
        elif tag == "Label" and self._label is not None and self._class is not None:
            kind = self._rubric or ""
            text = " ".join("".join(self._label).split())
            if kind in _NAMES or kind == "definition":
                rank = self.rank(self._label_lang)
                self._class.texts.append((kind, rank, self._order, text))
                self._order += 1
            else:
                self.rubrics[kind] += 1
            self._label = None
        elif tag == "Title":
            self._in_title = False

    def data(self, text: str) -> None:
        if self._label is not None:
            self._label.append(text)
        elif self._in_title:
            self.title_text.append(text)


def import_claml(
    text: str, origin: str, lang: str = "en", progress: Callable[[float], None] | None = None
) -> Imported:
    reader = _Reader(lang)
    stream(
        text,
        reader,
        origin,
        "ClaML",
        "a ClaML classification",
        "give the publisher's ClaML file (XML, root element ClaML) as it is published",
        progress,
    )
    if not reader.classes:
        raise TaxopsError(f"{origin} has no Class: nothing to import")
    return _imported(reader, origin)


def _imported(reader: _Reader, origin: str) -> Imported:
    notes: list[str] = []
    ids: dict[str, str] = {}
    taken: set[str] = set()
    pairs: list[tuple[_Class, ImportedLabel]] = []
    for found in reader.classes:
        code = found.code
        if not code or code in ids:
            problem = "a class without a code" if not code else f"the code '{code}' twice"
            notes.append(f"{origin} has {problem}: only its first class is imported")
            continue
        label_id = unique(code if is_label_id(code) else slug(code), taken)
        if label_id != code:
            notes.append(f"the code {code!r} cannot be an id as it is: its id is '{label_id}'")
        ids[code] = label_id
        name = _best(found, _NAMES)
        if name is None:
            notes.append(f"class '{code}' has no preferred label in the file: its name is its code")
        label = ImportedLabel(
            id=label_id, name=name or code, definition=_best(found, ("definition",))
        )
        pairs.append((found, label))
    for found, label in pairs:
        parent = found.supers[0] if found.supers else reader.subclasses.get(found.code)
        label.parent = ids.get(parent, parent) if parent else None
        if len(found.supers) > 1:
            notes.append(
                f"class '{found.code}' has {len(found.supers)} superclasses: the first, "
                f"'{found.supers[0]}', is its parent"
            )
    labels = [label for _, label in pairs]
    top_level_when_unknown(labels, notes)
    if reader.rubrics:
        shown = ", ".join(f"{kind} ({n:,})" for kind, n in reader.rubrics.most_common())
        notes.append(f"rubrics not carried over (a taxonomy holds names and definitions): {shown}")
    if reader.modifiers:
        notes.append(
            f"modifier classes not carried over: {reader.modifiers:,} (the codes they extend "
            "categories with are not classes of the file)"
        )
    name = reader.title or " ".join("".join(reader.title_text).split())
    version, versioning = "1.0.0", None
    if reader.version:
        version, versioning = version_as_published(reader.version, notes)
    stem = file_stem(origin)
    return Imported(
        id=taxonomy_slug(name or stem),
        title=name or stem,
        kind="hierarchical" if any(label.parent for label in labels) else "single-label",
        labels=labels,
        version=version,
        versioning=versioning,
        ids="code",
        notes=notes,
    )


def _best(found: _Class, kinds: tuple[str, ...]) -> str | None:
    """The text of the first kind the class has, in the best language."""
    for kind in kinds:
        texts = [t for t in found.texts if t[0] == kind and t[3]]
        if texts:
            return min(texts, key=lambda t: (t[1], t[2]))[3]
    return None


def looks_like_claml(text: str) -> bool:
    """Whether the XML's root element is ``ClaML``."""
    return opens_with_root(text, "ClaML")
