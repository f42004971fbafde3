"""The last gate before a generated page reaches MkDocs: an HTML allowlist
(``nh3``, the Rust ``ammonia`` sanitiser, which parses HTML the way browsers do).

Guideline prose is already rendered with raw HTML escaped, and templates escape
every value, so this pass should find nothing to remove. It is here so that no
future template or renderer mistake can put a script, an event handler, a style
or a ``javascript:`` URL on a page: whatever gets past one layer stops here.

A page that grows with the labels (the flashcards of 100,000 labels are 76 MB
of HTML) is not handed to the sanitiser whole: its tree would take ten times
the page's size. Its template marks each repeated item (a card, a group of the
cheat sheet, a decision rule) between :data:`PIECE_START` and
:data:`PIECE_END`; the items are sanitised in batches of about
:data:`BATCH_CHARACTERS`, the rest of the page (with a placeholder where each
batch was) on its own, and the results put together. The markers are HTML
comments, which the sanitiser drops, so a page sanitised whole is the same
page; a test holds the two equal for every page that has markers. A marker can
only come from a template: in a value, autoescaping writes its ``<`` as
``&lt;``.
"""

from __future__ import annotations

import re
import secrets
from functools import cache

import nh3

_TAGS = {
    "a", "abbr", "article", "aside", "b", "blockquote", "br", "button", "caption", "code",
    "col", "colgroup", "dd", "del", "details", "div", "dl", "dt", "em", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "i", "img",
    "input", "ins", "kbd", "label", "li", "mark", "nav", "ol", "output", "p", "pre", "progress", "q", "s",
    "section", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "time", "tr", "ul",
}  # fmt: skip
_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir", "hidden", "role", "tabindex"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "loading"},
    "button": {"type", "disabled", "value"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
    "progress": {"value", "max"},
    "output": {"for"},
    "details": {"open"},
    "input": {"type", "autocomplete", "spellcheck", "placeholder"},
}
#: The site's own scripts read state from data-* attributes and ARIA labels.
_GENERIC_PREFIXES = {"data-", "aria-"}
_SCHEMES = {"http", "https", "mailto"}


#: Where a template's repeated item starts and ends (see the module's text).
PIECE_START = "<!--tx-piece-->"
PIECE_END = "<!--/tx-piece-->"
_PIECE = re.compile(re.escape(PIECE_START) + "(.*?)" + re.escape(PIECE_END), re.DOTALL)
#: About how much of a page's items the sanitiser gets at a time.
BATCH_CHARACTERS = 1 << 20


def sanitise(html: str) -> str:
    """``html`` with everything outside the allowlist removed; a page with
    marked items, item batch by item batch."""
    if PIECE_START in html:
        return _in_pieces(html)
    return _clean(html)


def _in_pieces(html: str) -> str:
    """The same result as :func:`_clean` of the whole page, for a page whose
    marked items are whole elements in the flow of the page (a card, a section;
    not a table's row, which a parser reads differently alone): the templates'
    items are, and a test holds each such page equal to the page sanitised
    whole. Consecutive items with only white space between them are sanitised
    together, up to :data:`BATCH_CHARACTERS`. Every character of the result
    comes out of the sanitiser, whatever the markers: a batch is balanced HTML
    on its own, so it cannot close or open the page's elements; and a page
    whose placeholders do not come back one by one, in order, is sanitised
    whole."""
    nonce = secrets.token_hex(8)  # no page holds it: the placeholders are unambiguous
    shell: list[str] = []
    batches: list[str] = []
    batch: list[str] = []
    size = end = 0
    for match in _PIECE.finditer(html):
        between = html[end : match.start()]
        if batch and (between.strip() or size >= BATCH_CHARACTERS):
            shell.append(f"tx{nonce}p{len(batches)}x")
            batches.append(_clean("".join(batch)))
            batch, size = [], 0
        (batch if batch else shell).append(between)
        batch.append(match.group(1))
        size += len(batch[-1])
        end = match.end()
    if batch:
        shell.append(f"tx{nonce}p{len(batches)}x")
        batches.append(_clean("".join(batch)))
    shell.append(html[end:])
    parts = re.split(f"tx{nonce}p([0-9]+)x", _clean("".join(shell)))
    if parts[1::2] != [str(i) for i in range(len(batches))]:
        return _clean(html)
    out = [parts[0]]
    for batch_html, after in zip(batches, parts[2::2], strict=True):
        out += [batch_html, after]
    return "".join(out)


def _clean(html: str) -> str:
    return _cleaner().clean(html)


@cache
def _cleaner() -> nh3.Cleaner:
    """The allowlist, made once: ``nh3.clean`` made it again for every page
    (a sixth of the sanitiser's time on a label's page)."""
    return nh3.Cleaner(
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        generic_attribute_prefixes=_GENERIC_PREFIXES,
        url_schemes=_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
