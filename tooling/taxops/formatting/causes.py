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


@dataclass
class Cause:
    finding: Diagnostic
    same_line: list[Diagnostic] = field(default_factory=list)
    fallout: list[Diagnostic] = field(default_factory=list)

    def all(self) -> Iterable[Diagnostic]:
        yield self.finding
        yield from self.same_line
        yield from self.fallout

    @property
    def severity(self) -> Severity:
        return max((d.severity for d in self.all()), key=lambda s: s.rank)

    @property
    def blocking(self) -> bool:
        return any(d.data.get("allowed") is False for d in self.all())

    @property
    def taxonomy(self) -> str | None:
        value = self.finding.data.get("taxonomy")
        return str(value) if value is not None else None

    @property
    def category(self) -> str:
        return str(self.finding.data.get("category", "note"))


def is_change(d: Diagnostic) -> bool:
    """Whether a finding is about a change between two versions."""
    return "change" in d.data or "category" in d.data


def root_causes(diagnostics: Iterable[Diagnostic]) -> list[Cause]:
    """The findings as causes, blocking first, then by severity, then in file order."""
    found = list(diagnostics)
    changes = [d for d in found if is_change(d)]
    others = [d for d in found if not is_change(d)]
    by_label: dict[tuple[str, str], Diagnostic] = {}
    for d in sorted(changes, key=lambda d: -d.severity.rank):
        label = d.data.get("label")
        if label is not None:
            by_label.setdefault((str(d.data.get("taxonomy")), str(label)), d)

    causes: dict[tuple[str, int], Cause] = {}
    of: dict[int, Cause] = {}

    def add(d: Diagnostic) -> None:
        loc = place(d)
        key = (loc.path, loc.line) if loc else ("", -len(causes))
        cause = causes.get(key)
        if cause is None:
            causes[key] = of[id(d)] = Cause(d)
        else:
            cause.same_line.append(d)
            of[id(d)] = cause

    for d in sorted(changes, key=_priority):
        add(d)
    for d in sorted(others, key=_priority):
        label = d.data.get("label")
        root = by_label.get((str(d.data.get("taxonomy")), str(label))) if label else None
        loc, root_loc = place(d), place(root) if root else None
        if root is not None and (loc is None or root_loc is None or loc.path != root_loc.path):
            of[id(root)].fallout.append(d)
        else:
            add(d)
    return sorted(
        causes.values(),
        key=lambda c: (not c.blocking, -c.severity.rank, _priority(c.finding)),
    )


def _priority(d: Diagnostic) -> tuple[int, str, int, int, str]:
    """The most severe first at one place, then file order."""
    path, line, column, rule = d.sort_key
    return (-d.severity.rank, path, line, column, rule)
