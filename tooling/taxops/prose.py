"""Guideline prose: the one Markdown dialect guideline authors write in.

CommonMark (markdown-it-py) with tables and strikethrough, and **raw HTML
switched off**: a ``<b>`` or a ``<script>`` typed into a definition is shown as
the text the author typed, never interpreted. We escape at the parser rather
than strip afterwards because the author then sees exactly what they wrote, and
nothing silently disappears; the site still passes every page through an HTML
allowlist (:mod:`taxops.site.sanitise`) in case a template ever slips.

Links and images are judged by :mod:`taxops.media` (one policy for checks and
site); a refused target is rendered as plain text. Label ids written in backticks
or as bare dotted ids (``billing.refund``) become links to the label's page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

#: Returns the URL to emit for a link or image target, or None to refuse it.
LinkResolver = Callable[[str, bool], str | None]
#: Returns the URL of a label's page, or None when the text is not a label id.
LabelLinker = Callable[[str], str | None]

_BARE_ID = re.compile(r"(?<![\w./-])([a-z][a-z0-9_]*(?:\.[a-z0-9][a-z0-9_]*)+)(?![\w/-]|\.\w)")
_HTML_HINT = re.compile(r"<[A-Za-z!/?]")
#: One line with none of Markdown's inline or block syntax: a plain paragraph.
#: (An underscore inside a word, as in label ids, never starts emphasis.)
_MARKUP = re.compile(
    r"[\\`*\[\]<>&#!|~=\n\r\t]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])"
    r"|^\s*(?:[-+]|\d{1,9}[.)](?:\s|$))|^\s"
)


@cache
def _parser(html: bool = False) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": html}).enable(["table", "strikethrough"])
    # Every target reaches our policy (taxops.media), which is stricter than
    # markdown-it's default list; refused ones are reported, not silently dropped.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


@dataclass(frozen=True)
class LinkTarget:
    target: str
    image: bool


def link_targets(text: str) -> list[LinkTarget]:
    """Every link and image target written in ``text``."""
    if "](" not in text and "]:" not in text and "<" not in text:
        return []  # no link syntax at all: skip the parse
    out = []
    for token in _inline_tokens(_parser().parse(text)):
        if token.type == "link_open":
            out.append(LinkTarget(str(token.attrs.get("href", "")), image=False))
        elif token.type == "image":
            out.append(LinkTarget(str(token.attrs.get("src", "")), image=True))
    return out


def has_raw_html(text: str) -> bool:
    """Whether ``text`` holds raw HTML (outside code), which is shown as text."""
    if not _HTML_HINT.search(text):
        return False
    tokens = _parser(html=True).parse(text)
    return any(t.type == "html_block" for t in tokens) or any(
        t.type == "html_inline" for t in _inline_tokens(tokens)
    )


def render(text: str, resolve: LinkResolver, label_url: LabelLinker) -> str:
    """``text`` as safe HTML: raw HTML escaped, targets resolved (refused ones
    become text), label ids linked."""
    if _is_plain(text):
        # Most guideline sentences use no Markdown at all: skip the parser (a
        # 5,000-label site renders some 50,000 of them). Same output, tested.
        return f"<p>{''.join(_plain_html(text.strip(), label_url))}</p>\n"
    simple = _simple_html(text, label_url)
    if simple is not None:
        return f"<p>{simple}</p>\n"
    md = _parser()
    tokens = md.parse(text)
    for block in tokens:
        if block.type == "inline" and block.children:
            block.children = list(_rewrite(block.children, resolve, label_url))
    return str(md.renderer.render(tokens, md.options, {}))


def render_inline(text: str, resolve: LinkResolver, label_url: LabelLinker) -> str:
    """Like :func:`render`, without the enclosing paragraph, for one-liners."""
    html = render(text, resolve, label_url).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html


def _is_plain(text: str) -> bool:
    return bool(text) and _MARKUP.search(text) is None


#: The two inline spans guideline sentences use most, in the forms whose
#: CommonMark meaning is plain: a code span (one backtick each side, no space
#: at either end) and strong emphasis (``**`` after a space or the start, before
#: a space, punctuation or the end, around text with no ``*`` or backtick).
_SPAN = re.compile(
    r"(?<!`)`([^`\s](?:[^`\n]*[^`\s])?)`(?!`)"
    r"|(?:(?<=\s)|^)\*\*([^*`\s](?:[^*`\n]*?[^*`\s])?)\*\*(?=[\s.,;:!?)]|$)"
)


def _simple_html(text: str, label_url: LabelLinker) -> str | None:
    """The HTML of one line of plain text with code spans and strong emphasis
    (label ids linked as the parser's path links them), or None when the line
    holds anything else: the parser then renders it (a property test checks
    both give the same HTML)."""
    if text[:1].isspace():
        return None  # indentation means something in Markdown
    text = text.rstrip()
    spans = list(_SPAN.finditer(text)) if ("`" in text or "**" in text) else []
    if not spans:
        return None
    rest = _SPAN.sub("'", text)  # a span reads as punctuation beside its neighbours
    if not _is_plain(rest) or any(
        m.group(2) is not None and not _is_plain(m.group(2)) for m in spans
    ):
        return None
    out: list[str] = []
    last = 0
    for m in spans:
        out += _plain_html(text[last : m.start()], label_url)
        code, strong = m.group(1), m.group(2)
        if code is not None:
            href = label_url(code)
            shown = f"<code>{escapeHtml(code)}</code>"
            out.append(
                f'<a href="{escapeHtml(href)}" class="tx-label-ref">{shown}</a>' if href else shown
            )
        else:
            out += ["<strong>", *_plain_html(strong, label_url), "</strong>"]
        last = m.end()
    out += _plain_html(text[last:], label_url)
    return "".join(out)


def _plain_html(text: str, label_url: LabelLinker) -> Iterator[str]:
    """A plain paragraph's HTML, escaped as markdown-it escapes, label ids linked."""
    last = 0
    for match in _BARE_ID.finditer(text) if "." in text else ():
        href = label_url(match.group(1))
        if href is None:
            continue
        yield escapeHtml(text[last : match.start()])
        yield f'<a href="{escapeHtml(href)}" class="tx-label-ref"><code>{match.group(1)}</code></a>'
        last = match.end()
    yield escapeHtml(text[last:])


def _inline_tokens(tokens: list[Token]) -> Iterator[Token]:
    for token in tokens:
        if token.type == "inline" and token.children:
            yield from token.children


def _rewrite(
    children: list[Token], resolve: LinkResolver, label_url: LabelLinker
) -> Iterator[Token]:
    # CommonMark links never nest, so one flag per state is enough.
    in_link = False
    skip_close = False  # the link was refused: drop its closing tag, keep its text
    for token in children:
        if token.type == "link_open":
            url = resolve(str(token.attrs.get("href", "")), False)
            if url is None:
                skip_close = True
                continue
            token.attrs["href"] = url
            in_link = True
            yield token
        elif token.type == "link_close":
            if skip_close:
                skip_close = False
                continue
            in_link = False
            yield token
        elif token.type == "image":
            url = resolve(str(token.attrs.get("src", "")), True)
            if url is None:
                yield _text(token.content)  # the alt text stands in
                continue
            token.attrs["src"] = url
            yield token
        elif token.type == "code_inline" and not in_link and (href := label_url(token.content)):
            yield from _linked(href, [token])
        elif token.type == "text" and not in_link and "." in token.content:
            yield from _link_bare_ids(token.content, label_url)
        else:
            yield token


def _link_bare_ids(text: str, label_url: LabelLinker) -> Iterator[Token]:
    last = 0
    for match in _BARE_ID.finditer(text):
        href = label_url(match.group(1))
        if href is None:
            continue
        if match.start() > last:
            yield _text(text[last : match.start()])
        code = Token("code_inline", "code", 0, content=match.group(1), markup="`")
        yield from _linked(href, [code])
        last = match.end()
    if last < len(text):
        yield _text(text[last:])


def _linked(href: str, inner: list[Token]) -> Iterator[Token]:
    yield Token("link_open", "a", 1, attrs={"href": href, "class": "tx-label-ref"})
    yield from inner
    yield Token("link_close", "a", -1)


def _text(content: str) -> Token:
    return Token("text", "", 0, content=content)
