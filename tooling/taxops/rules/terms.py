"""The words of compatibility, shared by the rules and the engine: semver bumps,
the two directions of compatibility, and what each mode protects.

A taxonomy's ``compatibility`` field names the directions a new version must not
break (data: old items can be carried over; consumers: old models and pipelines
still work) and whether that holds against the last release only or against
every release (``*-transitive``). ``none`` protects nothing: only semver is
enforced. The new version's mode applies, so relaxing it is itself a visible,
reviewed change (rule ``compatibility-relaxed``).
"""

from __future__ import annotations

import enum

from taxops.models.taxonomy import Compatibility
from taxops.versioning.bumps import Bump, max_bump

__all__ = ["Bump", "Direction", "is_relaxation", "is_transitive", "max_bump", "protected"]


class Direction(str, enum.Enum):
    """The two directions of compatibility between an old and a new version."""

    DATA = "data"
    """Every item labeled with the old version can be carried to the new one,
    directly or through a declared review (the ``backward`` modes protect it)."""
    CONSUMERS = "consumers"
    """A model or pipeline built for the old label set still works on data
    labeled with the new one (the ``forward`` modes protect it)."""


NOTHING: frozenset[Direction] = frozenset()
DATA = frozenset({Direction.DATA})
CONSUMERS = frozenset({Direction.CONSUMERS})
BOTH = DATA | CONSUMERS

_PROTECTS: dict[Compatibility, frozenset[Direction]] = {
    Compatibility.BACKWARD: DATA,
    Compatibility.BACKWARD_TRANSITIVE: DATA,
    Compatibility.FORWARD: CONSUMERS,
    Compatibility.FORWARD_TRANSITIVE: CONSUMERS,
    Compatibility.FULL: BOTH,
    Compatibility.FULL_TRANSITIVE: BOTH,
    Compatibility.NONE: NOTHING,
}


def protected(mode: Compatibility) -> frozenset[Direction]:
    """The directions a change must not break under ``mode``."""
    return _PROTECTS[mode]


def is_transitive(mode: Compatibility) -> bool:
    """Whether ``mode`` checks against every released version, not only the last."""
    return mode.value.endswith("-transitive")


def is_relaxation(before: Compatibility, after: Compatibility) -> bool:
    """Whether ``after`` stops protecting something ``before`` protected: a
    direction, or the transitive reach."""
    dropped = protected(before) - protected(after)
    if dropped:
        return True
    return (
        protected(before) == protected(after) and is_transitive(before) and not is_transitive(after)
    )
