"""Names as people read them: when two names would be taken for each other.

Below every layer that compares names (the sibling-name check, rename
detection), so none of them imports another to reach it.

- :func:`normalise_name`: case, Unicode compatibility forms and separators do not
  make two names different (``Iced-Tea`` and ``iced tea``).
- :func:`sibling_key`: the same, plus look-alike characters: ``Cаr`` with a
  Cyrillic ``а``, ``Car`` with an invisible zero-width space, ``Ｃar`` and ``Car``
  all get one key. It is the confusable *skeleton* of Unicode Technical Standard
  #39 (drop default-ignorable characters, map every character to its prototype),
  taken after case folding. The table comes from Unicode's ``confusables.txt``
  (see ``generate_confusables.py`` beside this file for the version and how to
  refresh it).

Speed: a name made only of ASCII characters (most names) costs one
``str.translate`` with a small table, as before; only names with other
characters go through normalisation and the full table, loaded on first use.
"""

from __future__ import annotations

import json
import unicodedata
from functools import cache
from pathlib import Path

_SEPARATORS = {ord("_"): " ", ord("-"): " "}
_TABLE = Path(__file__).with_name("confusables.json")


def normalise_name(text: str) -> str:
    """Names compare equal when a labeler would confuse them: Unicode-normalised
    (NFKC), case-folded, with runs of spaces and separators collapsed."""
    folded = text.lower() if text.isascii() else unicodedata.normalize("NFKC", text).casefold()
    return " ".join(folded.translate(_SEPARATORS).split())


@cache
def _confusables() -> dict[int, str]:
    data = json.loads(_TABLE.read_text(encoding="utf-8"))
    return {ord(char): target for char, target in data["map"].items()}


@cache
def _ascii_table() -> dict[int, str]:
    """Prototype then separator for each ASCII character: one translate does both."""
    table = _confusables()
    out = {}
    for code in range(128):
        mapped = table.get(code, chr(code)).translate(_SEPARATORS)
        if mapped != chr(code):
            out[code] = mapped
    return out


#: Built at import (a few milliseconds): every name's key starts with a lookup in it.
_ASCII_TABLE = _ascii_table()


def sibling_key(text: str) -> str:
    """The key under which two names are indistinguishable to a labeler: case,
    compatibility forms, separators, invisible characters and look-alike letters
    from other scripts (``Cаr``/``Car``, ``l``/``1``) all fold away."""
    if text.isascii():
        return " ".join(text.lower().translate(_ASCII_TABLE).split())
    return full_sibling_key(text)


def full_sibling_key(text: str) -> str:
    """:func:`sibling_key` without the ASCII shortcut (the definition; a test
    checks the shortcut gives the same)."""
    folded = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", text).casefold())
    mapped = unicodedata.normalize("NFD", folded.translate(_confusables()))
    return " ".join(mapped.translate(_SEPARATORS).split())
