"""What can become of one item's label, and how two such fates chain.

This is the algebra the map is built on: resolving a chain of tombstones inside
one version and composing maps across versions both follow a label through
``then``, so "a direct step followed by a review step is review" and "a split
whose parts are all merged back is direct again" hold in exactly one place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from taxops.migration.model import ACTION_MODE, EITHER_MODE, Action, Mode

T = TypeVar("T")


@dataclass(frozen=True)
class Outcome:
    """``direct``: the item ends up with ``targets``. ``review``: a human picks
    among ``targets``; an empty tuple means an *open* review (any label)."""

    mode: Mode
    targets: tuple[str, ...]

    @property
    def open(self) -> bool:
        return self.mode is Mode.REVIEW and not self.targets


OPEN = Outcome(Mode.REVIEW, ())


def direct(*targets: str) -> Outcome:
    return Outcome(Mode.DIRECT, targets)


def review(*candidates: str) -> Outcome:
    return Outcome(Mode.REVIEW, candidates)


def then(first: Outcome, step: Callable[[str], Outcome]) -> Outcome:
    """Follow ``first`` with ``step`` applied to each label it can lead to.

    * direct into T: the item gets ``step(t)`` for every t; if any of those needs a
      human, the whole item does (candidates are everything it could become).
    * review among C: the human's choice c then becomes ``step(c)``. If several
      choices all lead to the same labels by machine, the choice no longer matters
      and the result is direct again; otherwise the candidates are all the labels
      the choices lead to. A review with one candidate stays a review: the human
      was not asked to choose but to confirm (a tombstone's ``replacement:
      review`` with one label, a table's "not automatic"), which no later step
      answers.
    * An open review (no candidates) stays open: listing some candidates when the
      answer may be anything would mislead the reviewer.
    """
    if first.open:
        return OPEN
    results = [step(t) for t in first.targets]
    if any(r.open for r in results):
        return OPEN
    union = _unique(t for r in results for t in r.targets)
    if all(r.mode is not Mode.REVIEW for r in results):
        if first.mode is not Mode.REVIEW:
            return Outcome(Mode.DIRECT, union)
        if len(first.targets) >= 2 and len({frozenset(r.targets) for r in results}) == 1:
            return Outcome(Mode.DIRECT, union)
    return Outcome(Mode.REVIEW, union)


def fan_out(mode: Mode, parts: Iterable[Outcome]) -> Outcome:
    """One label replaced by several, each already resolved: ``direct`` gives the
    item all of them, ``review`` lets a human choose one."""
    resolved = list(parts)
    if not resolved:
        return OPEN
    seed = Outcome(mode, tuple(str(i) for i in range(len(resolved))))
    return then(seed, lambda i: resolved[int(i)])


def name_action(label: str, actions: list[Action], outcome: Outcome) -> tuple[Action, Mode]:
    """The action and mode an entry reports, from the actions of the steps it went
    through and where it ended up. A single step keeps its own name unless
    resolving tombstones changed its mode; several steps are named by the result.
    Items that stay on a narrowed label are ``narrowed``, mode ``keep``."""
    if outcome.mode is not Mode.REVIEW and outcome.targets == (label,):
        return (Action.NARROWED if Action.NARROWED in actions else Action.KEEP), Mode.KEEP
    moving = _unique(a for a in actions if a is not Action.KEEP)
    if outcome.mode is not Mode.REVIEW:
        if (
            len(moving) == 1
            and (ACTION_MODE[moving[0]] is not Mode.REVIEW or moving[0] in EITHER_MODE)
        ) or moving == (Action.SPLIT,):
            return moving[0], Mode.DIRECT
        return Action.REPLACE, Mode.DIRECT
    if Action.UNMAPPED in moving and not outcome.targets:
        return Action.UNMAPPED, Mode.REVIEW
    if len(moving) == 1 and (ACTION_MODE[moving[0]] is Mode.REVIEW or moving[0] in EITHER_MODE):
        return moving[0], Mode.REVIEW
    return (Action.SPLIT if len(outcome.targets) >= 2 else Action.REVIEW), Mode.REVIEW


def _unique(items: Iterable[T]) -> tuple[T, ...]:
    return tuple(dict.fromkeys(items))
