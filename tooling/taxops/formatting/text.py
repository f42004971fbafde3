"""Human text: ``file:line:col: severity [rule-id] message``, then the hint."""

from __future__ import annotations

from collections.abc import Sequence

from taxops.diagnostics import Diagnostic, Severity


def format_text(diagnostics: Sequence[Diagnostic], *, files: int | None = None) -> str:
    lines = []
    for d in sorted(diagnostics, key=lambda d: d.sort_key):
        where = f"{d.location}: " if d.location else ""
        lines.append(f"{where}{d.severity.value} [{d.rule}] {d.message}")
        if d.previous and d.previous != d.location:
            lines.append(f"    was: {d.previous}")
        if d.related:
            lines.append(f"    see: {d.related}")
        if d.hint:
            lines.append(f"    hint: {d.hint}")
    lines.append(summary_line(diagnostics, files))
    return "\n".join(lines) + "\n"


def summary_line(diagnostics: Sequence[Diagnostic], files: int | None = None) -> str:
    counts = {s: sum(1 for d in diagnostics if d.severity is s) for s in Severity}
    checked = f"{files} file{'s' if files != 1 else ''} checked: " if files is not None else ""
    if not diagnostics:
        return f"{checked}no problems found"
    parts = [f"{n} {s.value}{'s' if n != 1 else ''}" for s, n in counts.items() if n]
    return checked + ", ".join(parts)
