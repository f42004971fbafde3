"""From a correspondence table to the declarations of the new version: what
each old code's items become, read the way the migration map reads it.

For an old code with successors T in the table:

* T is the code itself: unchanged;
* T holds the code and others: **narrowed** (its items go to review among them,
  or stay when the table converts the code to itself automatically and nothing
  else);
* the code is still in the new version but T does not hold it: its children
  (a leaf subdivided) make it a **group**; any other labels make it a **reused**
  id;
* the code is gone: a **tombstone** with ``replaced_by: T``, direct for one
  successor the table does not mark as manual, review otherwise (a merge is
  direct, a split review).

A removed code the table does not name, whose sub-codes it does name (tables
often list only the finest level), is retired into the codes at its own level
that its sub-codes went to. Backward flags become ``backward:`` declarations
only where they say something else than the map derives.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from taxops.crosswalk.table import Row
from taxops.models.taxonomy import Label, Status, Taxonomy, TaxonomyKind


class Kind(str, enum.Enum):
    UNCHANGED = "unchanged"
    NARROWED = "narrowed"
    BECAME_GROUP = "became-group"
    REUSED = "reused"
    RETIRED = "retired"


@dataclass(frozen=True)
class Fate:
    """What the table says of one old code."""

    code: str
    kind: Kind
    targets: tuple[str, ...]
    """Successors (for a narrowed code: the others that took part of it)."""
    mode: str
    """direct, review, or keep (a narrowed code whose items stay)."""
    derived: bool = False
    """Not in the table: derived from the rows of its sub-codes."""
    note: str | None = None
    automatic: str | None = None
    """The one successor the table converts to automatically, when it lists
    several (mode review): a version may route the items to it directly
    instead, as the import's note says, and still agree with the table."""

    def outcome(self) -> tuple[str, frozenset[str]]:
        """The mode and targets the migration map must give the code (keep,
        direct or review), to compare a version's declarations with the table."""
        if self.kind is Kind.UNCHANGED or (self.kind is Kind.NARROWED and self.mode == "keep"):
            return "keep", frozenset({self.code})
        if self.kind is Kind.NARROWED:
            return "review", frozenset({self.code, *self.targets})
        if not self.targets:
            return "review", frozenset()
        return self.mode, frozenset(self.targets)

    def agreeing(self) -> list[tuple[str, frozenset[str]]]:
        """Every outcome that agrees with the table: :meth:`outcome`, and the
        direct conversion the table flags as automatic, if it flags one."""
        found = [self.outcome()]
        if self.automatic is not None:
            found.append(("direct", frozenset({self.automatic})))
        return found


@dataclass(frozen=True)
class Back:
    """Where a new code's items go back to, when the table's flags say other
    than the map would derive."""

    code: str
    targets: tuple[str, ...]
    mode: str


@dataclass
class Plan:
    """The declarations a table gives a version, and what could not be read."""

    fates: dict[str, Fate] = field(default_factory=dict)
    backward: dict[str, Back] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    """Rows or codes the import could not use as they are, each with why."""
    skipped: list[str] = field(default_factory=list)
    """Old codes given no declaration: a row of theirs names an unknown code."""

    def count(self, kind: Kind) -> int:
        return sum(1 for f in self.fates.values() if f.kind is kind)


def compile_table(rows: Iterable[Row], old: Taxonomy, new: Taxonomy) -> Plan:
    """The plan for ``new`` from the table's rows (see the module docstring)."""
    plan = Plan()
    old_ids, new_ids = old.by_id(), new.by_id()
    successors: dict[str, dict[str, bool | None]] = {}
    sources: dict[str, dict[str, bool | None]] = {}
    notes: dict[str, str] = {}
    unreadable: dict[str, list[int]] = {}
    for row in rows:
        if row.old is None:
            continue  # a new code from nothing: no old items to route
        if row.old not in old_ids:
            plan.notes.append(
                f"line {row.line}: old code '{row.old}' is not a label of {old.id} {old.version}"
            )
            continue
        targets = successors.setdefault(row.old, {})
        if row.note:
            notes.setdefault(row.old, row.note)
        if row.new is None:
            continue
        if row.new not in new_ids:
            plan.notes.append(
                f"line {row.line}: new code '{row.new}' is not a label of {new.id} {new.version}"
            )
            # Where this row sends the code's items is unknown: declaring what
            # the other rows say would route them wrongly by machine.
            unreadable.setdefault(row.old, []).append(row.line)
            continue
        if targets.get(row.new) is None:
            targets[row.new] = row.forward
        sources.setdefault(row.new, {})
        if sources[row.new].get(row.old) is None:
            sources[row.new][row.old] = row.backward
    exclusive = new.kind is not TaxonomyKind.MULTI_LABEL
    left: list[str] = []  # first among the notes: these codes got no declaration
    for code, lines in unreadable.items():
        del successors[code]
        plan.skipped.append(code)
        left.append(
            f"code '{code}' is left as the file has it: the table's line"
            f"{'s' if len(lines) > 1 else ''} {', '.join(map(str, lines))} send"
            f"{'' if len(lines) > 1 else 's'} its items to a code {new.id} {new.version} does "
            "not have (correct the table, or declare the code yourself)"
        )
    plan.notes[:0] = left
    for code, targets in successors.items():
        after = new_ids.get(code)
        if after is not None and after.status is Status.DEPRECATED and list(targets) != [code]:
            plan.notes.append(
                f"code '{code}' is deprecated in {new.id} {new.version} (its items stay valid), "
                f"but the table sends them to {', '.join(targets) or 'no code'}: retire it to "
                "follow the table"
            )
            continue
        if after is not None and after.status is Status.RETIRED and code in targets:
            plan.notes.append(
                f"code '{code}' is retired in {new.id} {new.version}, but the table maps it to itself"
            )
            targets = {t: f for t, f in targets.items() if t != code}
        fate = _fate(code, targets, old_ids[code], new_ids, new, exclusive, plan)
        plan.fates[code] = fate if code not in notes else _with_note(fate, notes[code])
    _derive_groups(plan, old, new)
    _backward(plan, sources, old_ids)
    return plan


def _with_note(fate: Fate, note: str) -> Fate:
    return replace(fate, note=note)


def _fate(
    code: str,
    targets: dict[str, bool | None],
    label: Label,
    new_ids: Mapping[str, Label],
    new: Taxonomy,
    exclusive: bool,
    plan: Plan,
) -> Fate:
    listed = tuple(targets)
    automatic = [t for t, flag in targets.items() if flag]
    manual = any(flag is False for flag in targets.values())
    after = new_ids.get(code)
    if after is not None and after.status is not Status.RETIRED:
        if listed == (code,):
            return Fate(code, Kind.UNCHANGED, listed, "keep")
        if code in targets:
            others = tuple(t for t in listed if t != code)
            keep = automatic == [code]
            return Fate(code, Kind.NARROWED, others, "keep" if keep else "review")
        children = _descendants(code, new)
        kind = Kind.BECAME_GROUP if listed and set(listed) <= children else Kind.REUSED
        mode = _mode(code, listed, automatic, manual, exclusive, plan)
        return Fate(code, kind, listed, mode, automatic=_sole(automatic, listed, mode))
    mode = _mode(code, listed, automatic, manual, exclusive, plan)
    return Fate(code, Kind.RETIRED, listed, mode, automatic=_sole(automatic, listed, mode))


def _sole(automatic: list[str], listed: tuple[str, ...], mode: str) -> str | None:
    """The one automatic successor of a code the table sends to review among several."""
    return automatic[0] if mode == "review" and len(automatic) == 1 and len(listed) > 1 else None


def _mode(
    code: str,
    listed: tuple[str, ...],
    automatic: list[str],
    manual: bool,
    exclusive: bool,
    plan: Plan,
) -> str:
    if len(listed) == 1:
        return "review" if manual and not automatic else "direct"
    if not exclusive and listed and len(automatic) == len(listed):
        return "direct"  # multi-label: the item gets every successor
    if len(automatic) == 1 and listed:
        plan.notes.append(
            f"code '{code}': the table converts it to '{automatic[0]}' automatically, but it "
            f"has {len(listed)} successors: its items go to review among them (to relabel by "
            f"machine, declare replaced_by: ['{automatic[0]}'])"
        )
    return "review"


def _descendants(code: str, taxonomy: Taxonomy) -> set[str]:
    children = taxonomy.children()
    found: set[str] = set()
    todo = [code]
    while todo:
        for child in children.get(todo.pop(), []):
            if child.id not in found:
                found.add(child.id)
                todo.append(child.id)
    return found


def _derive_groups(plan: Plan, old: Taxonomy, new: Taxonomy) -> None:
    """Removed codes the table does not name, from their sub-codes' rows. A
    code the new version keeps as a tombstone (``taxops fix`` and ``taxops
    import --into`` write one for a code an edition dropped) is removed too."""
    new_ids = new.by_id()
    old_depth = _depths(old)
    new_depth = _depths(new)
    columns = old.columns  # not the labels: a cached release builds each one read
    for code, status in zip(columns.ids, columns.statuses, strict=True):
        after = new_ids.get(code)
        if (
            code in plan.fates
            or (after is not None and after.status is not Status.RETIRED)
            or code in plan.skipped
            or status is Status.RETIRED
        ):
            continue
        below = [plan.fates[d] for d in sorted(_descendants(code, old)) if d in plan.fates]
        if not below:
            plan.notes.append(
                f"old code '{code}' is not in {new.id} {new.version} and the table does not say "
                "where its items go"
            )
            continue
        level = old_depth[code]
        reached: dict[str, None] = {}
        for fate in below:
            kept = (fate.code,) if fate.kind in (Kind.UNCHANGED, Kind.NARROWED) else ()
            for target in (*kept, *fate.targets):
                ancestor = _ancestor_at(target, level, new_ids, new_depth)
                if ancestor is not None:
                    reached[ancestor] = None
        targets = tuple(reached)
        plan.fates[code] = Fate(
            code,
            Kind.RETIRED,
            targets,
            "direct" if len(targets) == 1 else "review",
            derived=True,
            note="derived by taxops crosswalk import from the rows of its sub-codes",
        )


def _depths(taxonomy: Taxonomy) -> dict[str, int]:
    # The id and parent columns: a release read from the cache builds no label.
    columns = taxonomy.columns
    parent_of: dict[str, str | None] = {}
    for code, parent in zip(columns.ids, columns.parents, strict=True):
        parent_of.setdefault(code, parent)  # the first label of an id, as by_id() has it
    depth: dict[str, int] = {}
    for code in parent_of:
        chain = []
        node: str | None = code
        while node is not None and node in parent_of and node not in depth and node not in chain:
            chain.append(node)
            node = parent_of[node]
        base = depth.get(node, -1) if node is not None else -1
        for i, item in enumerate(reversed(chain)):
            depth[item] = base + 1 + i
    return depth


def _ancestor_at(
    code: str, level: int, ids: Mapping[str, Label], depth: dict[str, int]
) -> str | None:
    node: str | None = code
    while node is not None and node in ids and depth[node] > level:
        node = ids[node].parent
    return node if node is not None and node in ids and depth[node] == level else None


def _backward(
    plan: Plan, sources: dict[str, dict[str, bool | None]], old_ids: Mapping[str, Label]
) -> None:
    """``backward`` declarations where the table's flags differ from what the
    backward map derives from the forward declarations."""
    derived: dict[str, dict[str, None]] = {}
    for fate in plan.fates.values():
        _, targets = fate.outcome()
        for target in (*sorted(targets), *(fate.targets if fate.kind is Kind.NARROWED else ())):
            derived.setdefault(target, {})[fate.code] = None
    for code, flags in sources.items():
        if all(flag is None for flag in flags.values()):
            continue
        automatic = tuple(o for o, flag in flags.items() if flag)
        wanted = (
            ("direct", automatic) if len(automatic) == 1 else ("review", automatic or tuple(flags))
        )
        origin = set(derived.get(code, {}))
        if not origin and code in old_ids and code not in plan.fates:
            origin = {code}  # unchanged, not in the table's rows
        if code in old_ids and code not in plan.fates:
            origin.add(code)
        have = ("direct", set(origin)) if len(origin) == 1 else ("review", set(origin))
        if (wanted[0], set(wanted[1])) != have:
            plan.backward[code] = Back(code, wanted[1], wanted[0])
