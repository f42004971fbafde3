"""Characters no identifier may hold: controls, invisible characters and
bidirectional controls. Two ids (or codes, or keys) that look the same must be
the same; one of these characters makes them differ unseen, or reorders what a
reviewer reads."""

from __future__ import annotations

import unicodedata

#: Characters that show nothing (or nothing distinct) but are not format
#: characters (category Cf, refused anyway): fillers, joiners, variation selectors.
_INVISIBLE = frozenset(
    (
        *(0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180B, 0x180C, 0x180D, 0x180F, 0x2800),
        *(0x3164, 0xFFA0, *range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)),
    )
)
#: Unicode categories never allowed in an id: controls (Cc), format characters
#: (Cf: zero-width spaces and joiners, bidirectional controls, soft hyphens),
#: line and paragraph separators, surrogates, private use and unassigned code points.
_FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})


def forbidden_character(text: str) -> str | None:
    """The first character of ``text`` that an id must never hold (control,
    invisible or bidirectional), described for a message, or None."""
    if text.isascii() and text.isprintable():
        return None  # the common case, without a per-character lookup
    for char in text:
        code = ord(char)
        if code in _INVISIBLE or unicodedata.category(char) in _FORBIDDEN_CATEGORIES:
            name = unicodedata.name(char, "").lower() or "a control character"
            return f"{name} (U+{code:04X})"
    return None


def visible(text: str) -> str:
    """``text`` with every forbidden character written as an escape
    (``\\u200b``), so a message shows what the file holds."""
    if forbidden_character(text) is None:
        return text
    return "".join(
        f"\\u{ord(c):04x}"
        if forbidden_character(c) is not None and ord(c) <= 0xFFFF
        else f"\\U{ord(c):08x}"
        if forbidden_character(c) is not None
        else c
        for c in text
    )
