"""Which XML a file holds, told by its root element before it is parsed.

Several formats share the ``.xml`` extension (a Label Studio config, ClaML,
ICD-10-CM's tabular list); the import picks the reader by the root element,
found after the prolog a publisher may write (an XML declaration, comments, a
document type declaration).
"""

from __future__ import annotations

import re
from functools import cache

#: How much of a file the root element is looked for in.
_LOOKED_AT = 65536


@cache
def _opening(root: str) -> re.Pattern[str]:
    return re.compile(
        r"\A\ufeff?\s*(?:<\?[^>]*\?>\s*)?"
        r"(?:<!--.*?-->\s*|<!DOCTYPE[^>\[]*(?:\[[^\]]*\])?\s*>\s*)*<" + re.escape(root) + r"\b",
        re.S,
    )


def opens_with_root(text: str, root: str) -> bool:
    """Whether the XML's root element is ``root`` (read from its first 64 KB)."""
    return _opening(root).match(text[:_LOOKED_AT]) is not None
