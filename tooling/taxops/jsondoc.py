"""How taxops lays out a JSON document that may hold thousands of rows
(findings, map entries): indented where people read it (the summary, the
comparisons), one compact row per line in the long lists.

Python's JSON encoder runs in C only without ``indent``; with it, a 200,000-label
diff's 7,600 findings took a second to write. A row per line keeps the file
readable, greppable and diffable row by row, and is written by the C encoder.
The values are exactly those of ``json.dumps(document, indent=2)``: only the
whitespace between them differs.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from typing import Any


def readable_json(
    document: Mapping[str, Any], rows: Collection[str] = (), *, ensure_ascii: bool = False
) -> str:
    """``document`` as indented JSON, except the lists (and mappings) under
    the top-level keys ``rows``, written one item (one entry) per line. No
    trailing newline."""
    dumps = json.JSONEncoder(ensure_ascii=ensure_ascii, default=str, separators=(", ", ": ")).encode
    fields = []
    for key, value in document.items():
        if key in rows and isinstance(value, list) and value:
            text = "[\n" + ",\n".join("    " + dumps(item) for item in value) + "\n  ]"
        elif key in rows and isinstance(value, dict) and value:
            entries = (f"    {dumps(k)}: {dumps(v)}" for k, v in value.items())
            text = "{\n" + ",\n".join(entries) + "\n  }"
        else:
            text = json.dumps(value, indent=2, ensure_ascii=ensure_ascii, default=str)
            text = text.replace("\n", "\n  ")
        fields.append(f"  {dumps(key)}: {text}")
    if not fields:
        return "{}"
    return "{\n" + ",\n".join(fields) + "\n}"
