"""Pure formatters: diagnostics in, text out. No printing, no exit codes.

Each output context has one module, and each escapes the values it lays out
for its context through :mod:`taxops.escaping`: text (the terminal), JSON,
GitHub workflow commands, JUnit XML and the Markdown pull-request report.
Bounded outputs (text, GitHub, Markdown) group and cap findings before
formatting them (:mod:`taxops.formatting.selection`); JSON and JUnit are the
full artefacts.
"""

from collections.abc import Callable

from taxops.formatting.github import format_github
from taxops.formatting.json_format import JSON_SCHEMA_VERSION, format_json
from taxops.formatting.junit import format_junit
from taxops.formatting.report import format_markdown
from taxops.formatting.text import format_text

FORMATTERS: dict[str, Callable[..., str]] = {
    "text": format_text,
    "json": format_json,
    "github": format_github,
    "junit": format_junit,
}

__all__ = [
    "FORMATTERS",
    "JSON_SCHEMA_VERSION",
    "format_github",
    "format_json",
    "format_junit",
    "format_markdown",
    "format_text",
]
