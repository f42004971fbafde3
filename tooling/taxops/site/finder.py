"""The label finder's index for a large taxonomy: small enough for a phone.

Material's search index holds the text of every page it indexes; for 100,000
labels with their guidance that is tens of megabytes, loaded whole before the
first result. The finder indexes what a labeler types to find a label (its
name, its aliases, its id) and splits the index by the first letters of each
word: a *manifest* says how many labels each piece holds, and a search loads
only the piece of its rarest word (a few kilobytes to a few hundred).

A piece is named by a word prefix (two letters; a prefix shared by more than
:data:`PIECE_LIMIT` labels is split by its next letter, and so on, while the
words are long enough). Words are normalised the way the page's script
normalises what is typed (NFKC, lower case, separators as spaces), so both
ends agree on the piece. A word more than :data:`LOAD_LIMIT` labels share
(``category`` in "Category 1" ... "Category 99999") gets no piece at all: the
manifest counts its labels and the script asks for another word, so no search
loads more than a few hundred kilobytes. Each entry is ``[name, id, link, status, alias...]``, the link
relative to the index folder, then the label's aliases.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from taxops.site.context import TaxonomySite
from taxops.site.label_pages import FINDER_FOLDER
from taxops.site.urls import page_url, relative_url

#: The most labels a piece holds before it is split by a longer prefix.
PIECE_LIMIT = 1500
#: A piece of more labels than this is not written (its word alone finds too
#: many labels to list; the finder asks for another word of the name or id).
LOAD_LIMIT = 3000
_SEPARATORS = re.compile(r"[\s_\-./:]+")


def words(text: str) -> list[str]:
    """The words of a name or id as the finder compares them (the page's script
    does the same: NFKC, lower case, split at spaces and ``_-./:``)."""
    return [w for w in _SEPARATORS.split(unicodedata.normalize("NFKC", text).lower()) if w]


def piece_name(prefix: str) -> str:
    """A piece's file name: its prefix's UTF-8 bytes in hex (any script, any
    file system)."""
    return prefix.encode("utf-8").hex() + ".json"


def finder_files(site: TaxonomySite) -> dict[str, str]:
    """The index folder's files (site path -> content): the manifest and the pieces."""
    folder = f"{site.id}/{FINDER_FOLDER}/"
    entries: list[list[str]] = []
    postings: dict[str, set[int]] = defaultdict(set)
    for label in site.taxonomy.labels:
        src, anchor = site.label_target(label.id)
        url = page_url(src, site.directory_urls) + (f"#{anchor}" if anchor else "")
        k = len(entries)
        entries.append(
            [label.name, label.id, relative_url(url, folder), label.status.value, *label.aliases]
        )
        for text in (label.name, label.id, *label.aliases):
            for word in words(text):
                postings[word].add(k)
    pieces = _pieces(postings)
    files = {
        folder + piece_name(prefix): json.dumps(
            [entries[k] for k in sorted(members)], ensure_ascii=False, separators=(",", ":")
        )
        for prefix, members in pieces.items()
        if len(members) <= LOAD_LIMIT
    }
    manifest = {
        "schema": "taxops/label-finder/1",
        "labels": len(entries),
        "load_limit": LOAD_LIMIT,
        "pieces": {prefix: len(members) for prefix, members in sorted(pieces.items())},
    }
    files[folder + "manifest.json"] = json.dumps(
        manifest, ensure_ascii=False, separators=(",", ":")
    )
    return files


def _pieces(postings: dict[str, set[int]]) -> dict[str, set[int]]:
    """Prefix -> the labels with a word starting with it. A prefix over the
    limit is split by one more letter; words that end at the prefix stay in
    ``prefix`` + ``$`` (the script reads it for a query word equal to it)."""
    out: dict[str, set[int]] = {}

    def place(prefix: str, group: Iterable[tuple[str, set[int]]]) -> None:
        group = list(group)
        members = set().union(*(m for _, m in group)) if group else set()
        longer = [(w, m) for w, m in group if len(w) > len(prefix)]
        if len(members) <= PIECE_LIMIT or not longer:
            out[prefix] = members
            return
        exact = [m for w, m in group if len(w) == len(prefix)]
        if exact:
            out[prefix + "$"] = set().union(*exact)
        by_next: dict[str, list[tuple[str, set[int]]]] = defaultdict(list)
        for w, m in longer:
            by_next[w[: len(prefix) + 1]].append((w, m))
        for nxt, sub in by_next.items():
            place(nxt, sub)

    by_start: dict[str, list[tuple[str, set[int]]]] = defaultdict(list)
    for word, members in postings.items():
        by_start[word[:2]].append((word, members))
    for start, group in by_start.items():
        place(start, group)
    return out
