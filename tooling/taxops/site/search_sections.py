"""The search index's sections of a generated page, read the way Material's
search plugin reads a page, but at a fraction of its cost.

Material's plugin cuts every page's HTML into sections (one per heading with an
id) with Python's ``html.parser``: at 5,000 label pages that parse was a third
of a site build. A generated page's HTML is ours: it left the sanitiser
(:mod:`taxops.site.sanitise`, the html5ever serialiser), so it is well formed,
has no comments, scripts or raw text, escapes ``<`` in text and quotes every
attribute value. One regular expression splits such HTML into tags and text
exactly, and the walk below applies Material's rules (headings with an id start
sections, kept tags, skipped elements, collapsed white space, permalinks left
out of titles, ``data-search-exclude``), quirks included, so the index entries
are the ones Material would have written. A test holds the two equal on every
generated page and on random sanitised HTML. HTML that did not leave the
sanitiser (a hand-written page) is never read here.
"""

from __future__ import annotations

import re
from html import escape, unescape

#: A tag (closing mark, name, attributes; values may hold '>', never '"') or a text run.
_TOKEN = re.compile(r'<(/?)([a-zA-Z][^\s/>]*)([^>"]*(?:"[^"]*"[^>"]*)*)>|([^<]+)')
_ATTRIBUTE = re.compile(r'([^\s=/>]+)(?:="([^"]*)")?')
#: Elements without content: never opened, so never part of the context.
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
#: Tags Material keeps in a section's text (as bare tags, without attributes).
_KEPT = frozenset(["p", "code", "pre", "li", "ol", "ul", "sub", "sup"])
_HEADINGS = frozenset(f"h{n}" for n in range(1, 7))
#: Always left out, with everything inside.
_ALWAYS_SKIPPED = frozenset({"object", "script", "style"})
_CLOSED = float("inf")
#: Whether a tag's attributes may hold one the rules read (an id aside, read on
#: headings only): most tags' are never parsed. An entity could spell any name.
_MAY_MATTER = re.compile(r"data-search-exclude|linenodiv|headerlink|&").search
_NONE: dict[str, str] = {}


class Section:
    """A heading and the text up to the next one; ``title`` and ``text`` are
    lists of escaped HTML pieces (what Material's index entry joins)."""

    __slots__ = ("depth", "excluded", "id", "tag", "text", "title")

    def __init__(self, tag: str, depth: float, *, excluded: bool = False) -> None:
        self.tag = tag
        self.depth = depth
        self.excluded = excluded
        self.id: str | None = None
        self.title: list[str] = []
        self.text: list[str] = []


def sections(source: str) -> list[Section]:
    """The sections of sanitised HTML, in page order (excluded ones included,
    marked ``excluded``), as Material's search plugin divides a page.

    Material compares elements by tag name alone, so "inside the heading" means
    "inside any element of the heading's tag", and a skipped element's tag
    skips every open element of that tag until one of them closes: kept here."""
    context: list[tuple[str, dict[str, str]]] = []
    open_tags: dict[str, int] = dict.fromkeys(_ALWAYS_SKIPPED, 0)
    skip = set(_ALWAYS_SKIPPED)
    skipped = 0  # open elements whose tag is skipped
    found: list[Section] = []
    section = Section("hx", 0)  # the preface, listed once something is in it

    def start(new: Section) -> Section:
        found.append(new)
        return new

    for closing, tag, raw, text in _TOKEN.findall(source):
        if text:
            if skipped:
                continue
            if "&" in text:
                text = unescape(text)
            blank = text.isspace()
            in_pre = open_tags.get("pre")
            if not in_pre:
                text = " " if blank else text.replace("\n", " ")
            if not found:
                section = start(section)
            if open_tags.get(section.tag):
                if not any(t == "a" and a.get("class") == "headerlink" for t, a in context):
                    section.title.append(_escape(text))
            elif blank:
                out = section.text
                if not out or not out[-1].isspace() or in_pre:
                    out.append(text)
            else:
                section.text.append(_escape(text))
        elif closing:
            if not context or context[-1][0] != tag:
                continue
            depth = len(context)
            if section.depth > depth:  # leaving a heading nested in an element
                for earlier in reversed(found):
                    if earlier.depth <= depth:
                        section.depth = _CLOSED
                        section = earlier
                        break
            context.pop()
            open_tags[tag] -= 1
            if tag in skip:
                skipped -= 1
                if tag not in _ALWAYS_SKIPPED:
                    skip.discard(tag)
                    skipped = sum(open_tags[t] for t in skip)
                continue
            if tag in _KEPT and not skipped:
                target = section.title if open_tags.get(section.tag) else section.text
                # Material looks from the first opening tag of that name up to
                # the first piece that is not white space: never copy the rest
                # (a section of thousands of list items made this quadratic).
                index = target.index(f"<{tag}>")
                if _blank_after(target, index):
                    del target[index:]  # an empty element leaves nothing
                else:
                    target.append(f"</{tag}>")
        elif tag not in _VOID:
            attrs = _attributes(raw) if raw and (tag in _HEADINGS or _MAY_MATTER(raw)) else _NONE
            context.append((tag, attrs))
            open_tags[tag] = open_tags.get(tag, 0) + 1
            if tag in skip:
                skipped += 1
            excluded = "data-search-exclude" in attrs
            if tag in _HEADINGS and "id" in attrs:
                if tag != "h1" and not found:
                    start(Section("hx", len(context)))
                heading = Section(tag, len(context), excluded=excluded)
                if found:  # the first section is the page itself: no anchor
                    heading.id = attrs["id"]
                section = start(heading)
            elif not found:
                section = start(section)
            if excluded or attrs.get("class") == "linenodiv":
                if tag not in skip:
                    skip.add(tag)
                    skipped = sum(open_tags[t] for t in skip)
                continue
            if tag in _KEPT and not skipped:
                target = section.title if open_tags.get(section.tag) else section.text
                target.append(f"<{tag}>")
    return found


def _blank_after(pieces: list[str], index: int) -> bool:
    """Whether every piece after ``index`` is white space (stops at the first
    that is not)."""
    return all(pieces[k].isspace() for k in range(index + 1, len(pieces)))


def _attributes(raw: str) -> dict[str, str]:
    return {k: unescape(v) for k, v in _ATTRIBUTE.findall(raw)}


def _escape(text: str) -> str:
    """``html.escape(text, quote=False)``, without the work when there is
    nothing to escape (most text)."""
    if "&" in text or "<" in text or ">" in text:
        return escape(text, quote=False)
    return text
