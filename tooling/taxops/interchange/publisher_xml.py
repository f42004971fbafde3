"""Publishers' XML files (ClaML, ICD-10-CM's tabular list): which one a file
is, told by its root element before it is parsed, and the one safe way to read
one.

Several formats share the ``.xml`` extension (a Label Studio config, ClaML,
ICD-10-CM's tabular list); the import picks the reader by the root element,
found after the prolog a publisher may write (an XML declaration, comments, a
document type declaration).

A file is read as a stream by the standard library's expat parser through
defusedxml, into a target that keeps only what the import uses (never a tree
of 100,000 elements): a document type is allowed (ClaML files name
``ClaML.dtd``) but never fetched, and entity declarations are refused (the
billion-laughs file, an external entity).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from taxops.diagnostics import TaxopsError
from taxops.escaping import short

#: How much of a file the root element is looked for in.
_LOOKED_AT = 65536
#: How much text the parser is fed at a time (characters), between reports of progress.
_PIECE = 4 << 20


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


class Target:
    """What every publisher's reader does alike as the parser's target: it
    notes the root element's name (the first it sees) and collects the text
    of the element it reads (``collecting`` a list, else None). A reader
    calls :meth:`saw` from its ``start``."""

    def __init__(self) -> None:
        self.root: str | None = None
        self.collecting: list[str] | None = None

    def saw(self, tag: str) -> None:
        if self.root is None:
            self.root = tag

    def data(self, text: str) -> None:
        if self.collecting is not None:
            self.collecting.append(text)

    def close(self) -> None:
        return None


def stream(
    text: str,
    target: Target,
    origin: str,
    root: str,
    what: str,
    hint: str,
    progress: Callable[[float], None] | None = None,
) -> None:
    """Feed ``text`` to the parser ``target`` (expat's target interface:
    ``start``, ``end``, ``data``, ``close``), a piece at a time, telling ``progress`` the percentage read
    after each (a publisher's file can be hundreds of MB). A file that is not
    well-formed XML, declares entities, or whose root element is not ``root``
    is a :class:`TaxopsError`: ``{origin} is not {what}``, with ``hint``."""
    import xml.etree.ElementTree as ET

    import defusedxml.ElementTree as SafeET
    from defusedxml import DefusedXmlException

    parser = SafeET.DefusedXMLParser(target=target, forbid_dtd=False)
    body = text.removeprefix("\ufeff")
    try:
        for start in range(0, len(body), _PIECE):
            parser.feed(body[start : start + _PIECE])
            if progress is not None:
                progress(100.0 * min(start + _PIECE, len(body)) / len(body))
        parser.close()
    except (ET.ParseError, DefusedXmlException) as exc:
        raise TaxopsError(f"{origin} is not {what}: {short(str(exc), 200)}", hint) from None
    if target.root != root:
        raise TaxopsError(
            f"{origin} is not {what} (its root element is {target.root!r})",
            f"{hint}, or choose the format with --from",
        )
