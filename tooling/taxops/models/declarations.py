"""What a label says happened to its meaning in a given version, as published
crosswalks describe it: part of its meaning moved to other labels (narrowed), it
turned into a group (no longer assignable), its id was reused for another meaning,
and where its items go when a dataset is migrated back to the previous version.

Each declaration names the ``version`` it happened in and stays in the file from
then on, as a tombstone does: comparing two versions applies the declarations made
after the old one and up to the new one (:func:`applying`), so a declaration acts
once, in the step it belongs to, and composes across releases like every other
step of a migration map.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import TypeVar

from pydantic import Field

from taxops.models.common import Strict
from taxops.versioning.versions import Version


class NarrowedItems(str, enum.Enum):
    """What happens to items that carried a narrowed label before it narrowed."""

    REVIEW = "review"
    """A human decides, among the label itself and ``moved_to``."""
    KEEP = "keep"
    """Items keep the label by default (the publisher says most stay); some may
    now be wrong, which the compatibility rule reports as breaking data."""


class RedirectMode(str, enum.Enum):
    """How items move to ``replaced_by`` (the words of a tombstone's ``replacement``)."""

    DIRECT = "direct"
    """A machine relabels: every item gets the label in ``replaced_by``."""
    REVIEW = "review"
    """A human decides, among ``replaced_by`` when given."""


class Narrowing(Strict):
    """The label stays valid, but in ``version`` part of its meaning moved to
    other labels (an official crosswalk maps the old code to itself *and* to new
    codes): items labeled with it before may now belong elsewhere."""

    version: Version
    """The version in which part of the label's meaning moved."""
    moved_to: tuple[str, ...] = Field(min_length=1)
    """The labels that took part of its meaning."""
    items: NarrowedItems = NarrowedItems.REVIEW
    """review (default): items labeled with it before ``version`` go to a human,
    who picks among the label itself and ``moved_to``; keep: they stay."""
    note: str | None = None
    """Why, in the publisher's words (e.g. the crosswalk's remark)."""


class Redirect(Strict):
    """Where items go at one version boundary: a leaf that became a group, an id
    reused for another meaning, or the way back to the previous version."""

    version: Version
    """The version in which it happened."""
    replaced_by: tuple[str, ...] = ()
    """The label(s) the items go to. For ``became_group``: default, its children."""
    replacement: RedirectMode | None = None
    """direct (a machine relabels) or review (a human decides). Default: direct
    for one label in ``replaced_by``, review otherwise."""
    note: str | None = None
    """Why, in the publisher's words."""

    @property
    def mode(self) -> RedirectMode:
        """The effective mode (explicit, or derived from ``replaced_by``)."""
        if self.replacement is not None:
            return self.replacement
        return RedirectMode.DIRECT if len(self.replaced_by) == 1 else RedirectMode.REVIEW


D = TypeVar("D", Narrowing, Redirect)


def applying(declarations: Iterable[D], old: Version, new: Version) -> list[D]:
    """The declarations that happened after version ``old`` and up to ``new``:
    the ones a comparison of those two versions acts on."""
    return [d for d in declarations if old < d.version <= new]


def since(declarations: Iterable[D], version: Version) -> list[D]:
    """The declarations made up to ``version`` (the state of the label there)."""
    return [d for d in declarations if d.version <= version]
