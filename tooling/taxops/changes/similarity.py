"""How alike a removed label and an added one are, for suggested replacements:
display name, definition and place in the tree, each 0 to 1, and an overall score.

Only labels at the same depth of the tree are compared: a six-digit industry is
never offered a two-digit sector however alike their names (published
classifications repeat a name at several levels).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from taxops.models.taxonomy import Label, Taxonomy
from taxops.names import normalise_name


@dataclass(frozen=True)
class Scores:
    overall: float
    name: float
    definition: float | None
    path: float


class Places:
    """Depth and ancestor names of every label of one version, computed on
    demand. The tree is read from the id and parent columns: a depth reads no
    label (a comparison asks the depth of every added label, thousands in a
    yearly update of a classification, and the names of a few)."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self._labels = taxonomy.labels
        self._at = taxonomy.index  # first occurrence wins, as everywhere
        self._parents = taxonomy.columns.parents
        self._paths: dict[str, tuple[str, ...]] = {}

    def _ancestors(self, label_id: str) -> list[int]:
        """Positions of the label's ancestors, nearest first; the walk stops at
        an unknown parent or where it would loop."""
        at = self._at.get(label_id)
        parent = self._parents[at] if at is not None else None
        found: list[int] = []
        seen = {label_id}
        while parent is not None and parent not in seen and (i := self._at.get(parent)) is not None:
            seen.add(parent)
            found.append(i)
            parent = self._parents[i]
        return found

    def path(self, label_id: str) -> tuple[str, ...]:
        """The normalised names of the label's ancestors, root first."""
        found = self._paths.get(label_id)
        if found is None:
            ancestors = reversed(self._ancestors(label_id))
            found = tuple(normalise_name(self._labels[i].name) for i in ancestors)
            self._paths[label_id] = found
        return found

    def depth(self, label_id: str) -> int:
        """How many ancestors the label has (``len(path)``, without the names)."""
        found = self._paths.get(label_id)
        return len(found) if found is not None else len(self._ancestors(label_id))


def words(text: str | None) -> str:
    """Texts compare by words: re-wrapping a paragraph is not a change."""
    return " ".join((text or "").split())


def ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def score(a: Label, b: Label, a_path: tuple[str, ...], b_path: tuple[str, ...]) -> Scores:
    """Name, definition and path similarity of ``a`` (removed) and ``b`` (added).
    The overall score weighs the definition most when both have one (names are
    short and repeat), and the place in the tree a fifth."""
    name = ratio(normalise_name(a.name), normalise_name(b.name))
    definition = (
        ratio(words(a.definition), words(b.definition)) if a.definition and b.definition else None
    )
    path = 1.0 if a_path == b_path else ratio(" > ".join(a_path), " > ".join(b_path))
    content = name if definition is None else max(name * 0.4 + definition * 0.6, definition)
    return Scores(
        round(content * 0.8 + path * 0.2, 2), round(name, 2), _round(definition), round(path, 2)
    )


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
