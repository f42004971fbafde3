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
import re
import unicodedata
from collections.abc import Sequence
from functools import cache
from pathlib import Path

_SEPARATORS = {ord("_"): " ", ord("-"): " "}
_TABLE = Path(__file__).with_name("confusables.json")


def normalise_name(text: str) -> str:
    """Names compare equal when a labeler would confuse them: Unicode-normalised
    (NFKC), case-folded, with runs of spaces and separators collapsed."""
    folded = text.lower() if text.isascii() else unicodedata.normalize("NFKC", text).casefold()
    # Two replaces, not a translate table: a quarter of the time, and every
    # label's name is normalised by the sibling-name check of every load.
    return " ".join(folded.replace("_", " ").replace("-", " ").split())


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


#: A run of white space as ``str.split()`` sees it, and the spaces around a
#: separator between two names.
_SPACES = re.compile(r"\s+")
_AROUND = re.compile(" ?\x00 ?")


def sibling_keys(texts: Sequence[str]) -> list[str]:
    """``[sibling_key(t) for t in texts]``, computed on all the names joined
    into one string: a few passes in C for 600,000 names instead of 600,000
    calls. Each step works character by character (NUL, the separator, is never
    mapped, combined or folded), so a joined key splits into each name's own
    (a test checks it against :func:`sibling_key`)."""
    if not texts:
        return []
    joined = "\x00".join(texts)
    if joined.count("\x00") != len(texts) - 1:  # a NUL inside a name
        return [sibling_key(t) for t in texts]
    if joined.isascii():
        # Bytes from here: one table lowers and maps, and every scan is memchr.
        mapped = _ascii_keys(joined.encode("ascii"))
        del joined  # at 600,000 names each copy is 10 MB
        if _single_spaced(mapped):
            return mapped.decode("ascii").split("\x00")
        return _split(mapped.decode("ascii"))
    ascii_keys = [sibling_key(t) if t.isascii() else None for t in texts]
    others = [t for t, k in zip(texts, ascii_keys, strict=True) if k is None]
    folded = iter(_full_keys(others))
    return [k if k is not None else next(folded) for k in ascii_keys]


def _ascii_keys(text: bytes) -> bytes:
    """``text.lower().translate(_ASCII_TABLE)`` for ASCII text, as bytes and at
    C speed: ``str.translate`` looks every character up in a dict (about 0.2 s
    for the names of a 100,000-code classification); a byte table that lowers
    and maps in one pass does not. The few prototypes longer than one
    character (``m`` -> ``rn``) follow as replacements, which is the same as
    long as no prototype writes a character that is replaced after it (checked
    when the plan is made; otherwise the dict is used)."""
    plan = _ascii_plan()
    if plan is None:
        return text.decode("ascii").lower().translate(_ASCII_TABLE).encode("ascii")
    table, longer = plan
    mapped = text.translate(table)
    for source, target in longer:
        mapped = mapped.replace(source, target)
    return mapped


@cache
def _ascii_plan() -> tuple[bytes, tuple[tuple[bytes, bytes], ...]] | None:
    written = "".join(_ASCII_TABLE.values())
    longer = tuple((chr(c), t) for c, t in _ASCII_TABLE.items() if len(t) != 1)
    if not written.isascii() or any(source in written for source, _ in longer):
        return None

    def single(code: int) -> int:  # lowered, then mapped unless its prototype is longer
        low = chr(code).lower()
        target = _ASCII_TABLE.get(ord(low), low)
        return ord(target if len(target) == 1 else low)

    table = bytes(single(code) if code < 128 else code for code in range(256))
    return table, tuple((a.encode("ascii"), b.encode("ascii")) for a, b in longer)


#: The bytes a single-spaced key may hold: printable ASCII and the separator.
_PRINTABLE = bytes(range(0x20, 0x7F)) + b"\x00"
#: The separator read as a space: one search then finds a double space, a
#: space beside a separator, and two separators (an empty name) at once.
_SEPARATOR_AS_SPACE = bytes.maketrans(b"\x00", b" ")


def _single_spaced(mapped: bytes) -> bool:
    """Whether ASCII names (joined, mapped) hold no white space but single
    spaces between words, and no name is empty: then there is nothing to
    collapse (the common case, found by a few scans at C speed)."""
    spaced = mapped.translate(_SEPARATOR_AS_SPACE)
    return (
        b"  " not in spaced
        and not spaced.startswith(b" ")
        and not spaced.endswith(b" ")
        and not mapped.translate(None, _PRINTABLE)  # nothing else: no tab, no control
    )


def _full_keys(texts: list[str]) -> list[str]:
    joined = "\x00".join(texts)
    folded = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", joined).casefold())
    mapped = unicodedata.normalize("NFD", folded.translate(_confusables()))
    return _split(mapped.translate(_SEPARATORS))


def _split(mapped: str) -> list[str]:
    collapsed = _AROUND.sub("\x00", _SPACES.sub(" ", mapped)).strip(" ")
    return collapsed.split("\x00")
