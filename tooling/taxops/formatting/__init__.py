"""Pure formatters: diagnostics in, text out. No printing, no exit codes."""

from taxops.formatting.github import format_github
from taxops.formatting.json_format import JSON_SCHEMA_VERSION, format_json
from taxops.formatting.junit import format_junit
from taxops.formatting.markdown import format_markdown
from taxops.formatting.text import format_text

FORMATTERS = {
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
