"""What a name or an id may not hold, found in one pass over many values.

Names (label names, aliases, titles, options, owners...) and ids are shown on
one line and compared by eye. So they may not hold:

- *control characters* (a newline, ESC, NUL...): they break lines and drive
  terminals;
- *invisible and direction-changing characters* (Unicode format characters:
  zero-width spaces and joiners, the byte-order mark, bidi embeddings, overrides
  and isolates, tag characters; other default-ignorable characters such as the
  Hangul fillers and variation selectors; line and paragraph separators; lone
  surrogates and noncharacters): ``admin\\u202etxt.exe`` reads ``adminexe.txt``,
  and ``Car\\u200b`` looks exactly like ``Car`` ("Trojan Source", CVE-2021-42574).

Ids refuse these characters without exception, in their shape check
(:mod:`taxops.models.characters`, one character at a time: ids are short and
their check also refuses private-use and unassigned code points). Names are
scanned here, in bulk, and scripts that need a joiner keep it: a zero-width
(non-)joiner between two letters or marks of a non-Latin script (Persian,
Indic scripts), a zero-width joiner between two pictographs (emoji sequences),
and a variation selector 15/16 after a symbol or digit, or a Mongolian variation
selector after a Mongolian letter.

Also found here, for names: text that is only white space, and HTML markup
(``<img ...>``, ``</title>``, ``&lt;``): taxops shows names literally, but a name
with markup was either pasted from a page or written to attack a tool that does
not escape.

The values are joined into one string and searched once per pattern, so a
200,000-label taxonomy costs a few regex passes, not a million calls; the
positions of the rare hits are worked out afterwards.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

#: Unicode format characters (category Cf) as of Unicode 15, in the Basic
#: Multilingual Plane and beyond it (a test checks the lists against the
#: interpreter's database); the two halves are separate regexes because a
#: character class mixing both is several times slower to search.
_FORMAT_BMP = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
)
_FORMAT_ASTRAL = (
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f"
)
#: Default-ignorable characters that are not format characters (DerivedCoreProperties),
#: line and paragraph separators, surrogates and noncharacters.
_OTHER_BMP = (
    "\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180d\u180f\u2028\u2029\u2065\u3164"
    "\ufe00-\ufe0f\uffa0\ufff0-\ufff8\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
)
_OTHER_ASTRAL = "\U000e0000\U000e0002-\U000e001f\U000e0080-\U000e0fff"
#: NUL is left out: it separates the joined values (and is looked for apart).
_ASCII_REFUSED = re.compile("[\x01-\x1f\x7f]")
_BMP_REFUSED = re.compile(f"[\x01-\x1f\x7f-\x9f{_FORMAT_BMP}{_OTHER_BMP}]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_ASTRAL_REFUSED = re.compile(f"[{_FORMAT_ASTRAL}{_OTHER_ASTRAL}]")
#: Allowed in names in some contexts (see :func:`_allowed_in_context`).
_JOINERS = {"\u200c", "\u200d"}
_EMOJI_VARIATION = {"\ufe0e", "\ufe0f"}
_MONGOLIAN_VARIATION = {"\u180b", "\u180c", "\u180d", "\u180f"}

#: An HTML tag, comment, declaration or character reference. An address in angle
#: brackets (``Jane <jane@example.org>``) is not markup.
_MARKUP = re.compile(
    r"<(?![^\s<>@\x00]+@[^\s<>\x00]+>)(?![A-Za-z][A-Za-z0-9+.-]*://[^\s<>\x00]*>)"
    r"/?[A-Za-z][^<>\x00]*>"
    r"|<!|<\?|&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);"
)
_SEPARATOR = "\x00"
_PRINTABLE_ASCII = bytes(range(0x20, 0x7F))


@dataclass(frozen=True)
class Problem:
    """What is wrong with one value: ``kind`` is ``refused-character`` (with the
    character and its position), ``blank`` or ``markup`` (with the markup found)."""

    index: int
    kind: str
    text: str = ""
    position: int = 0


def describe(char: str) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE``."""
    name = unicodedata.name(char, "")
    if not name:
        name = "(a control character)" if unicodedata.category(char) == "Cc" else "(unnamed)"
    return f"U+{ord(char):04X} {name}"


def scan(values: Sequence[str]) -> Iterator[Problem]:
    """Problems of each name, by its index in ``values``."""
    if not values:
        return
    joined = _SEPARATOR.join(values)
    starts: list[int] | None = None

    def locate(position: int) -> tuple[int, int]:
        nonlocal starts
        if starts is None:
            starts = [0, *itertools.accumulate(len(v) + 1 for v in values)]
        index = bisect.bisect_right(starts, position) - 1
        return index, position - starts[index]

    reported: set[int] = set()
    for position, char in _refused(joined, len(values)):
        index, offset = locate(position)
        value = values[index]
        if index in reported or offset == len(value):  # reported, or a separator
            continue
        if _allowed_in_context(value, offset):
            continue
        reported.add(index)
        yield Problem(index, "refused-character", char, offset)
    if "<" in joined or "&" in joined:
        for m in _MARKUP.finditer(joined):
            index, offset = locate(m.start())
            if index not in reported:
                reported.add(index)
                yield Problem(index, "markup", m.group(), offset)
    if _has_blank(joined):
        for index, value in enumerate(values):
            if index not in reported and is_blank(value):
                yield Problem(index, "blank")


def _refused(joined: str, count: int) -> Iterator[tuple[int, str]]:
    """Positions and characters of every refused character in the joined values."""
    ascii = joined.isascii()
    # Printable ASCII deleted in C: what is left is the separators, unless a
    # value holds a control character (the search below then finds where).
    if ascii and len(joined.encode("ascii").translate(None, _PRINTABLE_ASCII)) == count - 1:
        return iter(())
    patterns = [_ASCII_REFUSED] if ascii else [_BMP_REFUSED]
    if not ascii and _ASTRAL.search(joined):
        patterns.append(_ASTRAL_REFUSED)
    found = [(m.start(), m.group()) for p in patterns for m in p.finditer(joined)]
    if joined.count(_SEPARATOR) != count - 1:  # a NUL inside a value
        found += [(m.start(), m.group()) for m in re.finditer(_SEPARATOR, joined)]
    return iter(sorted(found))


#: A value with nothing but white space: between two separators of the padded join.
_BLANK = re.compile(f"{_SEPARATOR}[^\\S{_SEPARATOR}]*{_SEPARATOR}")


def _has_blank(joined: str) -> bool:
    return _BLANK.search(f"{_SEPARATOR}{joined}{_SEPARATOR}") is not None


def is_blank(text: str) -> bool:
    """Empty, or only white space."""
    return not text.strip()


def _allowed_in_context(text: str, i: int) -> bool:
    char = text[i]
    before = text[i - 1] if i else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    if char in _JOINERS:
        if _script_letter(before) and _script_letter(after):
            return True
        return char == "\u200d" and _pictograph(before) and _pictograph(after)
    if char in _EMOJI_VARIATION:
        return bool(before) and (_pictograph(before) or before.isdigit() or before in "#*")
    if char in _MONGOLIAN_VARIATION:
        return "\u1800" <= before <= "\u18af"
    return False


def _script_letter(char: str) -> bool:
    """A letter or mark of a script other than Latin (where joiners shape words)."""
    return bool(char) and not char.isascii() and unicodedata.category(char)[0] in "LM"


def _pictograph(char: str) -> bool:
    return bool(char) and unicodedata.category(char) in ("So", "Sk") and ord(char) > 0x2000
