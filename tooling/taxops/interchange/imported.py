"""The draft taxonomy an import produces, and how it becomes a governed file.

An import never guesses silently: everything the source had that a taxonomy
cannot hold (hotkeys, colours, tool settings), and every value that had to be
changed to fit (an id made from a name), is written to ``notes``, the report the
CLI prints. The result is validated exactly as ``taxops validate`` would
validate the file, before anything is written.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from taxops.diagnostics import Diagnostic
from taxops.models.ids import IdPreset, id_rule
from taxops.models.taxonomy import TAXONOMY_FORMAT
from taxops.yaml_out import generated_yaml

#: The comment that points editors at the schema, as ``taxops init`` lays it out:
#: schemas live in the repository's ``schemas/`` folder.
SCHEMA_COMMENT = "# yaml-language-server: $schema=../../schemas/taxonomy.schema.json"


@dataclass
class ImportedLabel:
    id: str
    name: str
    parent: str | None = None
    definition: str | None = None
    aliases: list[str] = field(default_factory=list)
    status: str = "active"
    replaced_by: list[str] = field(default_factory=list)
    replacement: str | None = None
    note: str | None = None
    since: str | None = None
    attributes: list[dict[str, Any]] = field(default_factory=list)

    def document(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "name": self.name}
        if self.parent is not None:
            out["parent"] = self.parent
        if self.definition:
            out["definition"] = self.definition
        if self.aliases:
            out["aliases"] = list(self.aliases)
        if self.status != "active":
            out["status"] = self.status
        if self.replaced_by:
            out["replaced_by"] = list(self.replaced_by)
        if self.replacement:
            out["replacement"] = self.replacement
        if self.note:
            out["note"] = self.note
        if self.since:
            out["since"] = self.since
        if self.attributes:
            out["attributes"] = self.attributes
        return out


@dataclass
class Imported:
    id: str
    title: str
    kind: str
    labels: list[ImportedLabel]
    version: str = "1.0.0"
    leaf_only: bool = False
    owners: list[str] = field(default_factory=lambda: ["@your-team"])
    description: str | None = None
    compatibility: str | None = None
    #: The taxonomy's id shape (``ids:``), when its ids are not the default slugs.
    ids: str | dict[str, Any] | None = None
    #: ``calver`` for calendar versions (``2021.09.21``); default semantic versions.
    versioning: str | dict[str, Any] | None = None
    #: What could not be carried over, or was changed to fit, in the user's words.
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._distinct_sibling_names()
        if self.ids is None and not all(is_slug(label.id) for label in self.labels):
            self.ids = "code"
            self.notes.append(
                "ids are kept exactly as the source wrote them, so the taxonomy declares "
                "'ids: code' (published codes, not lowercase slugs)"
            )
        unsaid = [
            label
            for label in self.labels
            if label.status in ("retired", "deprecated")
            and not label.replaced_by
            and not label.replacement
        ]
        for label in unsaid:
            label.replacement = "review"
        if len(unsaid) == 1:
            self.notes.append(
                f"{unsaid[0].status} label '{unsaid[0].id}' does not say what replaces it: "
                "'replacement: review' (a human relabels its items)"
            )
        elif unsaid:
            shown = ", ".join(f"'{label.id}'" for label in unsaid[:5])
            more = f" and {len(unsaid) - 5:,} more" if len(unsaid) > 5 else ""
            self.notes.append(
                f"{len(unsaid):,} retired or deprecated labels do not say what replaces them "
                f"({shown}{more}): 'replacement: review' (a human relabels their items)"
            )

    def _distinct_sibling_names(self) -> None:
        """Labelers pick by name, so siblings never share one (a source that
        repeats a name gets ``Car (2)``, and the report says so), and no alias
        reads as a sibling's name or alias (a thesaurus's synonyms often do:
        such an alias is left out, and the report counts them). Names compare as
        the check compares them (:func:`taxops.names.sibling_key`)."""
        from taxops.names import sibling_key, sibling_keys

        seen: set[tuple[str | None, str]] = set()
        for label, key in zip(
            self.labels, sibling_keys([lb.name for lb in self.labels]), strict=True
        ):
            name, n = label.name, 2
            while (label.parent, key) in seen:
                name, n = f"{label.name} ({n})", n + 1
                key = sibling_key(name)
            if name != label.name:
                self.notes.append(f"two labels are named '{label.name}': '{label.id}' is '{name}'")
                label.name = name
            seen.add((label.parent, key))
        # Aliases, as the check reads them: among the labels still in use.
        live = [label for label in self.labels if label.status != "retired"]
        keys = sibling_keys([lb.name for lb in live])
        taken = set(zip((lb.parent for lb in live), keys, strict=True))
        dropped: list[tuple[str, str]] = []
        for label in live:
            if not label.aliases:
                continue
            own = sibling_key(label.name)
            kept = []
            for alias, key in zip(label.aliases, sibling_keys(label.aliases), strict=True):
                if key != own and (label.parent, key) in taken:
                    dropped.append((label.id, alias))
                    continue
                taken.add((label.parent, key))
                kept.append(alias)
            label.aliases = kept
        if dropped:
            shown = ", ".join(f"'{alias}' of '{label_id}'" for label_id, alias in dropped[:3])
            more = f" and {len(dropped) - 3:,} more" if len(dropped) > 3 else ""
            self.notes.append(
                f"{len(dropped):,} alias{'es read' if len(dropped) != 1 else ' reads'} as the name or "
                f"alias of a sibling, which a labeler could not tell apart: left out ({shown}{more})"
            )

    def document(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "taxops": TAXONOMY_FORMAT,
            "id": self.id,
            "title": self.title,
            "version": self.version,
            "kind": self.kind,
        }
        if self.ids:
            out["ids"] = self.ids
        if self.versioning:
            out["versioning"] = self.versioning
        if self.kind == "hierarchical":
            out["leaf_only"] = self.leaf_only
        out["owners"] = list(self.owners)
        if self.description:
            out["description"] = self.description
        if self.compatibility:
            out["compatibility"] = self.compatibility
        out["labels"] = [label.document() for label in self.labels]
        return out

    def to_yaml(self) -> str:
        return f"{SCHEMA_COMMENT}\n{generated_yaml(self.document(), width=88)}"


def validate_imported(text: str, display: str) -> list[Diagnostic]:
    """The findings ``taxops validate`` would report on ``text``, the file
    :meth:`Imported.to_yaml` writes (made once by the caller, who writes it)."""
    from taxops.documents import KINDS
    from taxops.loading.yaml_source import parse_yaml
    from taxops.validate import validate_document

    doc, problems = parse_yaml(text, display)
    if doc is None:
        return problems
    _, found = validate_document(doc, KINDS[TAXONOMY_FORMAT])
    return [*problems, *found]


_NOT_ID = re.compile(r"[^a-z0-9]+")
_SLUG = id_rule(IdPreset.SLUG)
_CODE = id_rule(IdPreset.CODE)


def is_label_id(text: str) -> bool:
    """Whether ``text`` can be kept as a label id exactly as the source wrote it
    (a published code such as ``150`` or ``A00.0`` included: ids are never
    rewritten; only text no id may hold, such as spaces, gets a new id)."""
    return _CODE.problem(text) is None


def is_slug(text: str) -> bool:
    return _SLUG.problem(text) is None


def slug(text: str) -> str:
    """A label id segment from a name: ASCII lowercase, words joined by ``_``,
    starting with a letter (``"Trucks & Vans"`` -> ``trucks_vans``)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = _NOT_ID.sub("_", ascii_text.lower()).strip("_")
    if not words:
        return "label"
    return words if words[0].isalpha() else f"l_{words}"


def file_stem(origin: str) -> str:
    """A file's name without its folder and extension (``data/my-labels.csv``
    -> ``my-labels``): what an imported taxonomy is named after."""
    return origin.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]


def title_of(stem: str, fallback: str = "Imported labels") -> str:
    """A title from a file's stem: ``my-labels`` -> ``My labels``."""
    return stem.replace("-", " ").replace("_", " ").strip().capitalize() or fallback


def taxonomy_slug(text: str) -> str:
    """A taxonomy id (kebab-case) from a title or file name."""
    return slug(text).replace("_", "-")


def unique(candidate: str, taken: set[str]) -> str:
    """``candidate``, or ``candidate_2``, ``_3``... when it is taken; recorded as taken."""
    chosen, n = candidate, 2
    while chosen in taken:
        chosen, n = f"{candidate}_{n}", n + 1
    taken.add(chosen)
    return chosen


def humanise(label_id: str) -> str:
    """A display name from an id when the source has none: ``vehicle.truck_heavy``
    reads ``Truck heavy``."""
    last = label_id.rsplit(".", 1)[-1].replace("_", " ").replace("-", " ").strip()
    return (last[:1].upper() + last[1:]) if last else label_id


def top_level_when_unknown(labels: list[ImportedLabel], notes: list[str]) -> None:
    """A parent the file does not list (a publisher's ``TOTAL`` row, a code
    of another table or edition), or the label itself, cannot be a label's
    parent: those labels go to the top level, and the report names them."""
    ids = {label.id for label in labels}
    unknown: dict[str, int] = {}
    own: list[str] = []
    for label in labels:
        if label.parent is not None and label.parent not in ids:
            unknown[label.parent] = unknown.get(label.parent, 0) + 1
            label.parent = None
        elif label.parent is not None and label.parent == label.id:
            own.append(label.id)  # a publisher's slip: no tree holds it
            label.parent = None
    if own:
        shown = ", ".join(f"'{i}'" for i in own[:5]) + (
            f" and {len(own) - 5:,} more" if len(own) > 5 else ""
        )
        notes.append(f"labels that name themselves as parent: {shown}; imported at the top level")
    if unknown:
        shown = ", ".join(
            f"'{p}' ({n:,} label{'s' if n != 1 else ''})" for p, n in list(unknown.items())[:5]
        )
        more = f" and {len(unknown) - 5:,} more" if len(unknown) > 5 else ""
        notes.append(
            f"parents that are not codes of the file: {shown}{more}; their labels are "
            "imported at the top level"
        )
