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
    if not document:
        return "{}"
    # The pieces of the whole text, joined once: 50,000 findings are 40 MB of
    # JSON, and each concatenation of a long list's text would copy all of it.
    pieces = ["{\n"]
    for n, (key, value) in enumerate(document.items()):
        pieces.append((",\n  " if n else "  ") + dumps(key) + ": ")
        if key in rows and isinstance(value, list) and value:
            pieces += ["[\n    ", ",\n    ".join(map(dumps, value)), "\n  ]"]
        elif key in rows and isinstance(value, dict) and value:
            pieces += ["{\n    ", ",\n    ".join(_entries(value, dumps)), "\n  }"]
        else:
            text = json.dumps(value, indent=2, ensure_ascii=ensure_ascii, default=str)
            pieces.append(text.replace("\n", "\n  "))
    pieces.append("\n}")
    return "".join(pieces)


def _entries(value: Mapping[Any, Any], dumps: Any) -> list[str]:
    """Each ``"key": value`` of a mapping, as the encoder writes it. The keys
    (text, as a report's labels are) are encoded in one call and cut apart
    where one ends and the next starts: a quote inside a key is escaped, so
    ``", "`` only ever stands between two keys. A whole number is its own
    JSON. 90,000 labels' counts: one encoder call instead of 180,000."""
    keys = list(value)
    if not all(type(k) is str for k in keys):
        return [f"{dumps(k)}: {dumps(v)}" for k, v in value.items()]
    names = dumps(keys)[2:-2].split('", "')
    texts = [str(v) if type(v) is int else dumps(v) for v in value.values()]
    return [f'"{n}": {t}' for n, t in zip(names, texts, strict=True)]
