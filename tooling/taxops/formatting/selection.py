"""Which findings a bounded output shows: plain data in, plain data out.

A change that removes 500 labels yields 500 findings of one rule; a reader
needs the count, the first few and a way to see the rest, not 1,500 lines.
Grouping and capping happen here, before any formatting, so the cost of an
output is that of what it shows (a 200,000-label diff pays for one pass over
its findings, never for formatting them all).
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from taxops.diagnostics import Diagnostic, Location, Severity

#: Findings of one rule a text output shows by default (``--max-findings``).
DEFAULT_PER_RULE = 5


@dataclass
class RuleGroup:
    """The findings of one rule: how many, of which severities, and the first
    ``shown`` in file order."""

    rule: str
    total: int
    by_severity: dict[Severity, int]
    shown: list[Diagnostic]

    @property
    def severity(self) -> Severity:
        return max(self.by_severity, key=lambda s: s.rank)

    @property
    def left_out(self) -> int:
        return self.total - len(self.shown)


def by_rule(diagnostics: Iterable[Diagnostic], per_rule: int | None) -> list[RuleGroup]:
    """Findings grouped by rule, each group capped at ``per_rule`` (None: all).
    Errors come first, then warnings, then notes; groups of one severity in
    the order of their first finding in the files."""
    groups: dict[str, list[Diagnostic]] = defaultdict(list)
    for d in diagnostics:
        groups[d.rule].append(d)
    out = []
    for rule, found in groups.items():
        counts: dict[Severity, int] = {}
        for d in found:
            counts[d.severity] = counts.get(d.severity, 0) + 1
        if per_rule is None or len(found) <= per_rule:
            shown = sorted(found, key=_key)
        else:
            shown = heapq.nsmallest(per_rule, found, key=_key)
        out.append(RuleGroup(rule, len(found), counts, shown))
    out.sort(key=lambda g: (-g.severity.rank, _key(g.shown[0]) if g.shown else ("", 0, 0, "")))
    return out


def _key(d: Diagnostic) -> tuple[str, int, int, str]:
    return d.sort_key


@dataclass
class Bundle:
    """Findings of one rule at one line, shown as one: 490 labels removed under
    one parent are one annotation on the parent's line, not 490."""

    first: Diagnostic
    others: list[Diagnostic] = field(default_factory=list)

    @property
    def count(self) -> int:
        return 1 + len(self.others)


def bundles(diagnostics: Iterable[Diagnostic]) -> list[Bundle]:
    """Findings merged by (rule, file, line), in file order."""
    at: dict[tuple[str, str, int, str], Bundle] = {}
    for d in sorted(diagnostics, key=lambda d: d.sort_key):
        loc = d.location or d.previous
        key = (d.rule, loc.path if loc else "", loc.line if loc else 0, d.severity.value)
        if key in at:
            at[key].others.append(d)
        else:
            at[key] = Bundle(d)
    return list(at.values())


def spread(found: Sequence[Bundle], limit: int) -> list[Bundle]:
    """At most ``limit`` bundles, as varied as possible: those that block a merge
    first, then one of each rule before a second of any, each rule's in file
    order. Ten annotations then show ten different problems, not ten of one."""
    rank: dict[str, int] = defaultdict(int)
    keyed = []
    for position, b in enumerate(found):
        blocking = b.first.data.get("allowed") is False
        keyed.append((not blocking, rank[b.first.rule], position, b))
        rank[b.first.rule] += 1
    return [b for *_, b in heapq.nsmallest(limit, keyed, key=lambda k: k[:3])]


def place(d: Diagnostic) -> Location | None:
    """Where a finding is shown: the new file, or the old one when it has none."""
    return d.location or d.previous
