"""What a compatibility rule is, and the context it reads.

A rule claims one or more kinds of change (:class:`~taxops.changes.ChangeKind`),
receives each such :class:`~taxops.changes.Change` with the whole change set for
context, and yields :class:`~taxops.diagnostics.Diagnostic` findings through
:meth:`RuleContext.report`, which places them on both files: the new line, and
``previous``, the old one. Places are asked for as findings are made and
resolved together by :meth:`RuleContext.placed` (one batch per file, so
locating costs what the findings need, never a pass over a file for each). A
rule never decides whether its finding blocks a
merge: that is the taxonomy's compatibility mode, applied by
:mod:`taxops.compatibility.compare` from the directions the finding breaks.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from taxops import forked
from taxops.changes import Change, ChangeKind, ChangeSet
from taxops.diagnostics import Diagnostic, Location, Severity
from taxops.models.taxonomy import Label, Taxonomy, TaxonomyKind
from taxops.positions import NodePath, Positions
from taxops.rules.terms import (
    BOTH,
    CONSUMERS,
    DATA,
    NOTHING,
    Bump,
    Direction,
    max_bump,
)

__all__ = [
    "BOTH",
    "CONSUMERS",
    "DATA",
    "NOTHING",
    "Bump",
    "Direction",
    "Rule",
    "RuleCheck",
    "RuleContext",
    "fingerprint",
    "max_bump",
]

RuleCheck = Callable[[Change, "RuleContext"], Iterable[Diagnostic]]


@dataclass(frozen=True)
class Rule:
    """One entry of the rule catalogue."""

    id: str
    """Stable kebab-case id: what teams grep for and waive."""
    severity: Severity
    """Severity when the taxonomy's compatibility mode does not forbid the
    finding (a forbidden one is always an error)."""
    bump: Bump
    """The semver part this change requires the version to move, at least."""
    breaks: frozenset[Direction]
    """The compatibility directions a finding of this rule can break; a finding
    may break fewer (adding a label breaks consumers only in an exclusive set)."""
    kinds: tuple[ChangeKind, ...] = ()
    """The kinds of change the rule reads; empty for process rules (semver,
    releases, waivers), which the check pipeline reports itself."""
    check: RuleCheck | None = None
    aliases: tuple[str, ...] = ()
    """Former ids of this rule, still accepted in waivers."""
    doc: str = ""
    """The rule's documentation: its module docstring."""

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0].strip() if self.doc.strip() else self.id


#: Where a taxonomy-level change sits in the file.
_TAXONOMY_FIELD: dict[ChangeKind, str] = {
    ChangeKind.KIND_CHANGED: "kind",
    ChangeKind.LEAF_ONLY_CHANGED: "leaf_only",
    ChangeKind.LABELS_REORDERED: "labels",
    ChangeKind.TAXONOMY_ID_CHANGED: "id",
}

#: Change details that tell two findings of one rule on one label apart.
_DISTINGUISHING = ("attribute", "option", "alias", "field")


@dataclass
class RuleContext:
    """What a rule sees: the change set and both parsed files (for positions).
    ``rule`` is bound by the engine before each rule runs."""

    changes: ChangeSet
    old_doc: Positions | None
    new_doc: Positions | None
    rule: Rule | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    jobs: int | None = None
    """The user's ``--jobs``: whether the two files' findings may be placed
    by two processes (:func:`taxops.forked.unavailable`)."""
    _unplaced: dict[int, tuple[Diagnostic, _Request | None, _Request | None]] = field(
        default_factory=dict, repr=False
    )
    """Findings reported and not yet placed, by identity, with the place each
    asks for in the new and the old file."""

    @property
    def old_at(self) -> dict[str, int]:
        """Position of each label id in the old file (the model's own index)."""
        return self.changes.old.index

    @property
    def new_at(self) -> dict[str, int]:
        """Position of each label id in the new file (the model's own index)."""
        return self.changes.new.index

    @cached_property
    def old_children(self) -> dict[str, list[str]]:
        return _children(self.changes.old)

    @cached_property
    def new_children(self) -> dict[str, list[str]]:
        return _children(self.changes.new)

    @cached_property
    def stood_before(self) -> list[int | None]:
        """For each label of the old file, the new file's index of the first label
        after it that the new version still has (else the last one before it):
        where a removed label stood. One pass each way, for any number of removals."""
        old, new_at = self.changes.old.columns.ids, self.new_at  # ids: no label is read
        out: list[int | None] = [None] * len(old)
        following: int | None = None
        for k in range(len(old) - 1, -1, -1):
            out[k] = following
            following = new_at.get(old[k], following)
        preceding: int | None = None
        for k, label_id in enumerate(old):
            if out[k] is None:
                out[k] = preceding
            preceding = new_at.get(label_id, preceding)
        return out

    @property
    def exclusive(self) -> bool:
        """Whether an item of the new version carries exactly one label."""
        return self.changes.new.kind.exclusive

    @property
    def kind_name(self) -> str:
        return _KIND_WORDS[self.changes.new.kind]

    def existed(self, label_id: str) -> bool:
        return label_id in self.old_at

    def report(
        self,
        change: Change,
        message: str,
        hint: str | None = None,
        *,
        breaks: frozenset[Direction] | None = None,
        at: tuple[str | int, ...] | None = None,
        was: tuple[str | int, ...] | None = None,
    ) -> Diagnostic:
        """A finding of the bound rule about ``change``, to be located in both
        files by :meth:`placed` (which the comparison calls once its rules ran).

        ``at``/``was`` override the paths in the new and old file; by default a
        label change points at the changed field of the label, a removed label at
        its nearest surviving ancestor in the new file and at itself in the old.
        """
        rule = self.rule
        assert rule is not None, "the engine binds a rule before calling it"
        broken = rule.breaks if breaks is None else breaks
        assert broken <= rule.breaks, f"{rule.id} breaks more than its registry entry says"
        new = self.changes.new
        data: dict[str, object] = {
            "taxonomy": new.id,
            "label": change.label,
            "change": change.kind.value,
            "bump": rule.bump.value,
            "category": rule.bump.category,
            "breaks": sorted(d.value for d in broken),
            "old_version": str(self.changes.old.version),
            "new_version": str(new.version),
            "fingerprint": fingerprint(rule.id, new.id, change),
        }
        if change.detail:
            data["detail"] = _jsonable(change.detail)
        found = Diagnostic(rule.id, rule.severity, message, None, hint, None, data)
        self._unplaced[id(found)] = (
            found,
            self._new_place(change, at),
            self._old_place(change, was),
        )
        return found

    def placed(self, findings: list[Diagnostic]) -> list[Diagnostic]:
        """``findings`` with the places :meth:`report` asked for, each file's
        places resolved in one batch (:meth:`Positions.locate_all`). Findings
        this context did not report are kept as they are."""
        asked = [self._unplaced.pop(id(d), None) for d in findings]
        new_asked = [a[1] for a in asked if a is not None]
        old_asked = [a[2] for a in asked if a is not None]
        if sum(a is not None for a in old_asked) < PLACE_OLD_APART_FROM:
            new, old = _resolve(self.new_doc, new_asked), _resolve(self.old_doc, old_asked)
        else:  # each file placed by a process of its own (an unchanged result)
            found_new, found_old = forked.alongside(
                lambda: list(_resolve(self.new_doc, new_asked)),
                lambda: list(_resolve(self.old_doc, old_asked)),
                self.jobs,
            )
            new, old = iter(found_new), iter(found_old)
        out = []
        for d, a in zip(findings, asked, strict=True):
            if a is not None:
                d = Diagnostic(
                    d.rule, d.severity, d.message, next(new), d.hint, next(old), d.data, d.related
                )
            out.append(d)
        return out

    # --- where a finding belongs ---------------------------------------------------

    def _new_place(self, change: Change, at: NodePath | None) -> _Request | None:
        doc = self.new_doc
        if doc is None:
            return None
        if at is not None:
            return at, "key"
        if change.label is None:
            return _taxonomy_path(change, doc), "key"
        if change.new_index is not None:
            return ("labels", change.new_index, *change.field_path), "key"
        source = change.detail.get("source_indexes")
        if source:
            return ("labels", source[0][1], "replaced_by"), "key"
        # Removed: the nearest ancestor that survived, else the place where the
        # label stood (the label now in its place): a line a reviewer can act on,
        # never the `labels:` key for every removed top-level label.
        ancestor = self.surviving_ancestor(change.old)
        if ancestor is not None:
            return ("labels", self.new_at[ancestor]), "value"
        if change.old_index is not None:
            near = self.stood_before[change.old_index]
            if near is not None:
                return ("labels", near), "value"
        return ("labels",), "key"

    def _old_place(self, change: Change, was: NodePath | None) -> _Request | None:
        if self.old_doc is None:
            return None
        if was is not None:
            return was, "key"
        if change.label is None:
            return _taxonomy_path(change, self.old_doc), "key"
        if change.old_index is not None:
            return ("labels", change.old_index, *change.field_path), "key"
        source = change.detail.get("source_indexes")
        if source:
            return ("labels", source[0][0]), "value"
        return None  # added in this version: nothing to point at in the old file

    def attribute_paths(
        self, change: Change, option: str | None = None
    ) -> tuple[tuple[str | int, ...] | None, tuple[str | int, ...] | None]:
        """Paths of the attribute (or one of its options) a change is about, in
        the new and the old file; None where the attribute is absent."""
        name = change.detail.get("attribute")

        def path(label: Label | None, index: int | None) -> tuple[str | int, ...] | None:
            if label is None or index is None:
                return None
            for k, attr in enumerate(label.attributes):
                if attr.name == name:
                    if option is not None and option in attr.options:
                        return (
                            "labels",
                            index,
                            "attributes",
                            k,
                            "options",
                            list(attr.options).index(option),
                        )
                    return ("labels", index, "attributes", k)
            return None

        return path(change.new, change.new_index), path(change.old, change.old_index)

    def surviving_ancestor(self, label: Label | None) -> str | None:
        """The closest ancestor of ``label`` (as it was) that the new version still has."""
        seen: set[str] = set()
        parent = label.parent if label else None
        parents = self.changes.old.columns.parents  # no label is read whole
        while parent is not None and parent not in seen:
            if parent in self.new_at:
                return parent
            seen.add(parent)
            i = self.old_at.get(parent)
            parent = parents[i] if i is not None else None
        return None


_KIND_WORDS = {
    TaxonomyKind.SINGLE_LABEL: "single-label",
    TaxonomyKind.MULTI_LABEL: "multi-label",
    TaxonomyKind.HIERARCHICAL: "hierarchical",
}


#: From how many findings placed in the old file a forked worker places them
#: while this process places the new file's (:meth:`RuleContext.placed`). A
#: large file's findings cost about 20 microseconds each to place, a worker
#: about 10 milliseconds to start: from a few thousand findings it saves a
#: tenth of a second and more (a 200,000-label diff places 13,200).
PLACE_OLD_APART_FROM = 2_000

#: A place asked for in one file: the node's path and whether its key or value.
_Request = tuple[NodePath, str]


def _resolve(doc: Positions | None, asked: list[_Request | None]) -> Iterator[Location | None]:
    """The location of each request, None where none was asked; one batch."""
    wanted = [a for a in asked if a is not None]
    found = iter(doc.locate_all(wanted) if doc is not None and wanted else ())
    return (None if a is None else next(found) for a in asked)


def _taxonomy_path(change: Change, doc: Positions) -> tuple[str, ...]:
    """The top-level key a taxonomy-level change is about; when the file does
    not have it (``leaf_only`` left at its default), the ``kind:`` line."""
    name = _TAXONOMY_FIELD.get(change.kind) or str(change.detail.get("field", ""))
    if not name:
        return ()
    return (name,) if isinstance(doc.data, dict) and name in doc.data else ("kind",)


def _children(taxonomy: Taxonomy) -> dict[str, list[str]]:
    """Each parent's children's ids, from the columns (no label is read whole)."""
    out: dict[str, list[str]] = {}
    columns = taxonomy.columns
    for label_id, parent in zip(columns.ids, columns.parents, strict=True):
        if parent is not None:
            out.setdefault(parent, []).append(label_id)
    return out


def fingerprint(rule_id: str, taxonomy_id: str, change: Change) -> str:
    """A stable id of one finding that survives edits elsewhere in the file (no
    line numbers in it): rule, taxonomy, label and the detail that tells two
    findings on one label apart (attribute, option, alias, field)."""
    parts = [rule_id, taxonomy_id, change.label or ""]
    parts += [f"{k}={change.detail[k]}" for k in _DISTINGUISHING if k in change.detail]
    if change.kind is ChangeKind.LABELS_MERGED:
        parts.append("sources=" + ",".join(change.detail.get("sources", ())))
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:12]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(getattr(value, "value", value))
