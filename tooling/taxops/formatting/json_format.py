"""Machine-readable output. The schema (version 1) is documented in
``site/docs/reference/check-json.md`` (published as
the site's JSON output page); fields are only ever added.

.. code-block:: json

    {"schema": "taxops/diagnostics/1",
     "summary": {"files": 3, "error": 1, "warning": 0, "info": 0},
     "diagnostics": [{"rule": "unknown-parent", "severity": "error",
                      "message": "...", "hint": "...",
                      "location": {"path": "taxonomies/x/taxonomy.yaml", "line": 12, "column": 13},
                      "previous": null, "related": null, "data": {}}]}
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from taxops.diagnostics import Diagnostic, Location, Severity
from taxops.escaping import json_text
from taxops.jsondoc import readable_json

JSON_SCHEMA_VERSION = "taxops/diagnostics/1"


def _loc(loc: Location | None) -> dict[str, Any] | None:
    return None if loc is None else {"path": loc.path, "line": loc.line, "column": loc.column}


def diagnostic_to_dict(d: Diagnostic) -> dict[str, Any]:
    return {
        "rule": d.rule,
        "severity": d.severity.value,
        "message": d.message,
        "hint": d.hint,
        "location": _loc(d.location),
        "previous": _loc(d.previous),
        "related": _loc(d.related),
        "data": d.data,
    }


def format_json(
    diagnostics: Sequence[Diagnostic], *, files: int | None = None, **extra: Any
) -> str:
    summary: dict[str, Any] = {"files": files}
    summary.update({s.value: sum(1 for d in diagnostics if d.severity is s) for s in Severity})
    body = {
        "schema": JSON_SCHEMA_VERSION,
        "summary": summary,
        **extra,
        "diagnostics": [
            diagnostic_to_dict(d) for d in sorted(diagnostics, key=lambda d: d.sort_key)
        ],
    }
    # Names stay readable (no \u00e9 for é), but what a terminal would obey or
    # hide (C1 controls, bidi and invisible characters) is escaped.
    return json_text(readable_json(body, rows=("diagnostics",))) + "\n"
