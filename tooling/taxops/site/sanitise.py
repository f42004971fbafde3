"""The last gate before a generated page reaches MkDocs: an HTML allowlist
(``nh3``, the Rust ``ammonia`` sanitiser, which parses HTML the way browsers do).

Guideline prose is already rendered with raw HTML escaped, and templates escape
every value, so this pass should find nothing to remove. It is here so that no
future template or renderer mistake can put a script, an event handler, a style
or a ``javascript:`` URL on a page: whatever gets past one layer stops here.
"""

from __future__ import annotations

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


def sanitise(html: str) -> str:
    """``html`` with everything outside the allowlist removed."""
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        generic_attribute_prefixes=_GENERIC_PREFIXES,
        url_schemes=_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
