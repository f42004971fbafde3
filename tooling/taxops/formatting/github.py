"""GitHub Actions workflow commands: each diagnostic becomes an annotation on the
pull request's diff, at the YAML line."""

from __future__ import annotations

from collections.abc import Sequence

from taxops.diagnostics import Diagnostic, Severity

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(diagnostics: Sequence[Diagnostic], *, files: int | None = None) -> str:
    lines = []
    for d in sorted(diagnostics, key=lambda d: d.sort_key):
        props = [f"title={_escape_property(f'taxops [{d.rule}]')}"]
        loc = d.location or d.previous
        if loc:
            props = [
                f"file={_escape_property(loc.path)}",
                f"line={loc.line}",
                f"col={loc.column}",
                *props,
            ]
        message = d.message + (f"\n{d.hint}" if d.hint else "")
        if d.related:
            message += f"\nsee: {d.related}"
        lines.append(f"::{_LEVEL[d.severity]} {','.join(props)}::{_escape_data(message)}")
    return "\n".join(lines) + ("\n" if lines else "")
