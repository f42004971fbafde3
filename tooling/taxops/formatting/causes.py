"""Root causes and their fallout, for the pull-request report.

Three edits to a taxonomy used to give thirteen "must fix" items: the edits
themselves, a validation error on the same line as one of them, and every
place in the guidelines that still named a removed or retired label. A
reviewer fixes causes. So findings are grouped here:

* a **cause** is a change between the two versions (a compatibility finding),
  or any finding that follows from none;
* findings on the **same line** as a cause are reported with it, once (a
  retired label's ``label-retired`` and ``missing-replacement``; 490 labels
  removed under one parent);
* findings elsewhere about a **label a change touched** (a guideline naming a
  removed label) are its **fallout**, listed under it.

Pure and linear in the number of findings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from taxops.diagnostics import Diagnostic, Severity
from taxops.formatting.selection import place

#: Severity ranks, looked up by member (faster than the enum property in loops
#: over hundreds of thousands of findings).
RANK = {Severity.ERROR: 2, Severity.WARNING: 1, Severity.INFO: 0}


@dataclass(slots=True)
class Cause:
    finding: Diagnostic
    same_line: list[Diagnostic] = field(default_factory=list)
    fallout: list[Diagnostic] = field(default_factory=list)
    rank: int = 0
    """The highest severity rank of the cause and what it brings (set once grouped)."""
    blocking: bool = False
    """Whether any of them is forbidden by a compatibility mode."""

    def all(self) -> Iterable[Diagnostic]:
        yield self.finding
        yield from self.same_line
        yield from self.fallout

    @property
    def severity(self) -> Severity:
        return next(s for s, r in RANK.items() if r == self.rank)

    @property
    def taxonomy(self) -> str | None:
        value = self.finding.data.get("taxonomy")
        return str(value) if value is not None else None

    @property
    def category(self) -> str:
        return str(self.finding.data.get("category", "note"))

    def order(self) -> tuple[bool, int, str, int, int, str]:
        """Blocking first, then the most severe, then file order."""
        return (not self.blocking, -self.rank, *self.finding.sort_key)


def is_change(d: Diagnostic) -> bool:
    """Whether a finding is about a change between two versions."""
    return "change" in d.data or "category" in d.data


def root_causes(diagnostics: Iterable[Diagnostic]) -> list[Cause]:
    """The findings as causes, in no particular order (see :meth:`Cause.order`):
    one pass to index the changed labels, one to group."""
    found = list(diagnostics)
    by_label: dict[tuple[str, str], Diagnostic] = {}
    for d in found:
        label = d.data.get("label")
        if label is not None and is_change(d):
            about = (str(d.data.get("taxonomy")), str(label))
            if about not in by_label or _before(d, by_label[about]):
                by_label[about] = d

    causes: dict[tuple[str, int], Cause] = {}
    of: dict[int, Cause] = {}  # the cause of each change a fallout can point at
    fallout: list[tuple[Diagnostic, Diagnostic]] = []
    for d in found:
        data = d.data
        label = data.get("label")
        change = "change" in data or "category" in data
        if label is not None and not change:
            root = by_label.get((str(data.get("taxonomy")), str(label)))
            if root is not None and _elsewhere(d, root):
                fallout.append((d, root))
                continue
        loc = d.location or d.previous
        key = (loc.path, loc.line) if loc else ("", -len(causes) - 1)
        cause = causes.get(key)
        if cause is None:
            cause = causes[key] = Cause(d)
        elif _before(d, cause.finding):  # the most telling finding leads
            cause.same_line.append(cause.finding)
            cause.finding = d
        else:
            cause.same_line.append(d)
        if change and label is not None:
            of[id(d)] = cause
    for d, root in fallout:
        of[id(root)].fallout.append(d)
    for cause in causes.values():
        cause.rank = RANK[cause.finding.severity]
        cause.blocking = cause.finding.data.get("allowed") is False
        if cause.same_line or cause.fallout:
            cause.rank = max(RANK[d.severity] for d in cause.all())
            cause.blocking = any(d.data.get("allowed") is False for d in cause.all())
            cause.same_line.sort(key=lambda d: d.sort_key)
            cause.fallout.sort(key=lambda d: d.sort_key)
    return list(causes.values())


def _before(a: Diagnostic, b: Diagnostic) -> bool:
    """Whether ``a`` leads ``b`` at one place: a change before a plain finding,
    then the more severe, then file order."""
    return (not is_change(a), -RANK[a.severity], a.sort_key) < (
        not is_change(b),
        -RANK[b.severity],
        b.sort_key,
    )


def _elsewhere(d: Diagnostic, root: Diagnostic) -> bool:
    loc, root_loc = place(d), place(root)
    return loc is None or root_loc is None or loc.path != root_loc.path
