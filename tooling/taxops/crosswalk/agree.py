"""Whether a version's declarations agree with a correspondence table: per old
code, the migration map's outcome (keep, direct or review, and the labels)
against the outcome the table implies (:meth:`Fate.outcome`)."""

from __future__ import annotations

from dataclasses import dataclass

from taxops.crosswalk.compile import Plan
from taxops.migration.model import MigrationMap


@dataclass(frozen=True)
class Disagreement:
    code: str
    table: str
    """What the table says, in words."""
    declared: str
    """What the version's declarations say, in words."""


def disagreements(plan: Plan, migration: MigrationMap) -> list[Disagreement]:
    """Every code of the table whose items the map routes otherwise, in the old
    version's order. Codes the import derived (not in the table) are left out."""
    found = []
    order = {label: i for i, label in enumerate(migration.labels)}
    for code, fate in sorted(plan.fates.items(), key=lambda kv: order.get(kv[0], -1)):
        if fate.derived or code not in migration:
            continue
        want_mode, want = fate.outcome()
        entry = migration[code]
        have = frozenset(entry.targets)
        if (entry.mode.value, have) not in fate.agreeing():
            also = f" (or -> {fate.automatic}, automatic)" if fate.automatic else ""
            found.append(
                Disagreement(
                    code,
                    _words(want_mode, want) + also,
                    _words(entry.mode.value, have, entry.action.value),
                )
            )
    return found


def _words(mode: str, targets: frozenset[str], action: str | None = None) -> str:
    shown = ", ".join(sorted(targets)) or "(any label)"
    why = f" ({action})" if action else ""
    if mode == "keep":
        return f"keep{why}"
    if mode == "direct":
        return f"-> {shown}{why}"
    return f"review among {shown}{why}"
