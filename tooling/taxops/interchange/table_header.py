"""The words of a table's column headers, as publishers write them
(``2017 NAICS US Code``, ``ParentCode``, ``segment_title``): how the CSV
importers tell what a column holds without asking anyone to rename it."""

from __future__ import annotations

import re

#: Words that head a column of codes (``2017 NAICS US Code``, ``Class Code``).
CODE_WORDS = frozenset({"id", "code", "codes", "identifier", "notation"})
#: Words that head a column of names (``Class Title``, ``English Name``).
NAME_WORDS = frozenset({"name", "title", "label", "preflabel", "heading", "term"})


def header_words(header: str) -> set[str]:
    """A header's words, lowercase: ``2017 NAICS US Code`` -> {2017, naics,
    us, code}; ``ParentCode`` and ``parent_code`` also give ``parentcode``,
    and the whole header is one more (``replaced_by``)."""
    joined = re.sub(r"[^a-z0-9]+", "", header.lower())
    return {*plain_words(header), joined, header.strip().lower()}


def plain_words(header: str) -> list[str]:
    """A header's words in order, lowercase, camelCase split and letters parted
    from digits (the UN's ``CPC21code``: cpc, 21, code), no joined forms."""
    spaced = re.sub(
        r"(?<=[a-z])(?=[A-Z])|(?<=[A-Za-z])(?=[0-9])|(?<=[0-9])(?=[A-Za-z])", " ", header
    )
    return re.findall(r"[a-z0-9]+", spaced.lower())
