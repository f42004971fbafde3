"""The parts of a semantic version a change can require to move."""

from __future__ import annotations

import enum
from collections.abc import Iterable


class Bump(str, enum.Enum):
    """The semver part a change requires to move (semver.org): ``major`` when
    labeled data or consumers need a migration step, ``minor`` for additions,
    ``patch`` for wording, ``none`` for findings that are not changes."""

    NONE = "none"
    PATCH = "patch"
    MINOR = "minor"
    MAJOR = "major"

    @property
    def rank(self) -> int:
        return _BUMP_RANK[self]

    @property
    def category(self) -> str:
        """The reviewer's word for it: breaking, additive, cosmetic."""
        return _CATEGORY[self]


_BUMP_RANK = {Bump.NONE: 0, Bump.PATCH: 1, Bump.MINOR: 2, Bump.MAJOR: 3}
_CATEGORY = {
    Bump.NONE: "note",
    Bump.PATCH: "cosmetic",
    Bump.MINOR: "additive",
    Bump.MAJOR: "breaking",
}
#: Category words a versioning policy may use as keys, for every rule of that category.
CATEGORIES = {category: bump for bump, category in _CATEGORY.items() if bump is not Bump.NONE}


def max_bump(bumps: Iterable[Bump]) -> Bump:
    return max(bumps, key=lambda b: b.rank, default=Bump.NONE)
