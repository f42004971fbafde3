"""Where a node of a governed file is: what every layer that reports a finding
needs from a parsed file, and nothing more.

Below the rules, the change set and the migration map, so they can place a
finding without importing how files are read (:mod:`taxops.loading`, whose
:class:`~taxops.loading.YamlDocument` is the one implementation)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from taxops.diagnostics import Location

#: A path to a node: keys and list indexes (``("labels", 3, "parent")``).
NodePath = tuple[str | int, ...]


class Positions(Protocol):
    """A parsed file that can say where its nodes are."""

    path: str
    """The file as the user sees it."""
    text: str
    """Its text (to quote what is written at a place)."""
    data: Any
    """Its top-level fields (large lists may hold ``None`` per item)."""

    def locate(self, path: NodePath, *, at: str = "value") -> Location:
        """Where the node at ``path`` is, or its nearest existing ancestor."""
        ...

    def locate_all(self, requests: Iterable[tuple[NodePath, str]]) -> list[Location]:
        """Where each ``(path, at)`` is, as :meth:`locate` says, resolved
        together: what a caller with many findings asks, once."""
        ...
