"""Human text: the summary first, then ``file:line:col: severity [rule-id] message``
with the old place and the hint, grouped by rule and capped per rule.

Each line is laid out here and passes through
:func:`taxops.escaping.terminal_lines`, so a value from a user's file (a path, a
message quoting a name, a hint) can neither start a line of its own (which CI
would read as a workflow command) nor send an escape sequence to the terminal.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from taxops.diagnostics import Diagnostic, Severity
from taxops.escaping import terminal_lines
from taxops.formatting.selection import DEFAULT_PER_RULE, RuleGroup, by_rule
from taxops.formatting.summary import changes_summary

if TYPE_CHECKING:
    from taxops.compatibility.compare import Comparison


def format_text(
    diagnostics: Sequence[Diagnostic],
    *,
    files: int | None = None,
    comparisons: Sequence[Comparison] = (),
    per_rule: int | None = DEFAULT_PER_RULE,
) -> str:
    """The summary (files, each compared taxonomy, the bump), then the findings
    of each rule, at most ``per_rule`` of each (None: all), with a line saying
    how many were left out and how to see them."""
    lines = [summary_line(diagnostics, files), *comparison_lines(comparisons)]
    groups = by_rule(diagnostics, per_rule)
    if any(g.left_out for g in groups):
        counts = ", ".join(f"{g.rule} {g.total:,}" for g in groups)
        lines.append(f"findings by rule: {counts}")
    if groups:
        lines.append("")
    left_out = 0
    for group in groups:
        for d in group.shown:
            lines += finding_lines(d)
        if group.left_out:
            left_out += group.left_out
            lines.append(f"    ... and {_more(group)} not shown")
    if left_out:
        lines += [
            "",
            f"{left_out:,} finding{'s' if left_out != 1 else ''} not shown: "
            f"--max-findings 0 shows all, --format json lists them for tools",
        ]
    return terminal_lines(lines)


def finding_lines(d: Diagnostic) -> list[str]:
    """One finding: its place and message, the old place, the hint."""
    where = f"{d.location}: " if d.location else ""
    out = [f"{where}{d.severity.value} [{d.rule}] {d.message}"]
    if d.previous and d.previous != d.location:
        out.append(f"    was: {d.previous}")
    if d.related:
        out.append(f"    see: {d.related}")
    if d.hint:
        out.append(f"    hint: {d.hint}")
    return out


def _more(group: RuleGroup) -> str:
    """``495 more [label-removed] errors`` (or findings, when severities mix)."""
    kinds = {s for s, n in group.by_severity.items() if n}
    noun = next(iter(kinds)).value if len(kinds) == 1 else "finding"
    plural = "s" if group.left_out != 1 else ""
    return f"{group.left_out:,} more [{group.rule}] {noun}{plural}"


def comparison_lines(comparisons: Sequence[Comparison]) -> list[str]:
    """Each compared taxonomy's versions and bumps, then the change summary."""
    primary = [c for c in comparisons if c.primary]
    if not comparisons:
        return []
    lines = [
        f"{c.taxonomy} {c.old.taxonomy.version} -> {c.new.taxonomy.version} "
        f"({c.old.source}): {c.versions_in_words}"
        for c in primary
    ]
    return [*lines, changes_summary(comparisons)]


def summary_line(diagnostics: Sequence[Diagnostic], files: int | None = None) -> str:
    """``3 files checked: 1 error, 2 warnings``."""
    counts = {s: 0 for s in Severity}
    for d in diagnostics:
        counts[d.severity] += 1
    checked = f"{files} file{'s' if files != 1 else ''} checked: " if files is not None else ""
    if not diagnostics:
        return f"{checked}no problems found"
    parts = [f"{n:,} {s.value}{'s' if n != 1 else ''}" for s, n in counts.items() if n]
    return checked + ", ".join(parts)
