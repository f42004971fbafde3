"""Markdown building blocks for the pull-request report: a finding's message,
its place (linked to the file at the pull request's head) and its rule (linked
to the rule's page on the docs site).

Every value from a user's file goes through :mod:`taxops.escaping`: messages
quote ids and names between backticks, so each backtick span becomes a code
span (:func:`~taxops.escaping.markdown_code`) and the text around it inline
Markdown (:func:`~taxops.escaping.markdown_inline`), where HTML, mentions and
Markdown syntax are inert. However a value splits the message, each piece is
escaped for where it lands. Long values are shortened first, so one name of
50,000 characters cannot fill the report.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote

from taxops.diagnostics import Diagnostic, Location, Severity
from taxops.escaping import markdown_code, markdown_inline

ICON = {Severity.ERROR: "❌", Severity.WARNING: "⚠️", Severity.INFO: "ℹ️"}

#: A value longer than this is shortened in the report (the JSON keeps it whole).
LONGEST_VALUE = 300
_CODE_SPAN = re.compile(r"`([^`\n]+)`")


def clip(text: str, limit: int = LONGEST_VALUE) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def message(text: str | None) -> str:
    """A message or hint as one line of inline Markdown, with its backtick spans
    (ids, names, YAML snippets) as code."""
    text = clip(" ".join((text or "").split()), 2 * LONGEST_VALUE)
    out, last = [], 0
    for match in _CODE_SPAN.finditer(text):
        out.append(_inline(text[last : match.start()]))
        out.append(markdown_code(match.group(1)))
        last = match.end()
    out.append(_inline(text[last:]))
    return "".join(out)


def _inline(text: str) -> str:
    """Inline Markdown for the text between two code spans, keeping the spaces
    that separate it from them."""
    if not text.strip():
        return " " if text else ""
    lead = " " if text[0].isspace() else ""
    trail = " " if text[-1].isspace() else ""
    return lead + markdown_inline(text) + trail


def code(value: object) -> str:
    """An id or other value as inline code."""
    return markdown_code(clip(str(value)))


@dataclass(frozen=True)
class Links:
    """Where the report links: ``blob`` is the URL of the repository's files at
    the pull request's head (``.../blob/<branch>``), ``docs`` the docs site that
    has the rules page, ``run`` the CI run that keeps the full artefact. Each is
    optional: without it the report shows plain text."""

    blob: str | None = None
    docs: str | None = None
    run: str | None = None

    def place(self, loc: Location | None) -> str:
        """``path:line``, linked to that line when the file's URL is known."""
        if loc is None:
            return ""
        shown = code(f"{loc.path}:{loc.line}")
        if not self.blob:
            return shown
        return f"[{shown}]({self.blob}/{quote(loc.path)}#L{loc.line})"

    def rule(self, rule_id: str) -> str:
        """The rule id, linked to its section of the rules page when it is a
        compatibility rule and the docs site is known."""
        from taxops.rules.registry import RULES

        shown = code(rule_id)
        if not self.docs or rule_id not in RULES:
            return shown
        return f"[{shown}]({self.docs}/reference/rules/#{quote(rule_id)})"


def links_from(
    env: Mapping[str, str], link_base: str | None = None, docs_url: str | None = None
) -> Links:
    """Links for a report made in CI: ``--link-base`` or, in GitHub Actions, the
    repository's files at the pull request's branch (``GITHUB_HEAD_REF``; the
    commit ``GITHUB_SHA`` outside a pull request); ``--docs-url`` or
    ``TAXOPS_DOCS_URL``; the run's page from ``GITHUB_RUN_ID``."""
    server = _url(env.get("GITHUB_SERVER_URL") or "")
    repo = env.get("GITHUB_REPOSITORY", "")
    blob = _url(link_base) if link_base else None
    ref = env.get("GITHUB_HEAD_REF") or env.get("GITHUB_SHA")
    if blob is None and server and repo and ref:
        blob = f"{server}/{quote(repo)}/blob/{quote(ref, safe='')}"
    run = None
    if server and repo and env.get("GITHUB_RUN_ID"):
        run = f"{server}/{quote(repo)}/actions/runs/{quote(env['GITHUB_RUN_ID'], safe='')}"
    docs = _url(docs_url or env.get("TAXOPS_DOCS_URL") or "")
    return Links(blob, docs or None, run)


def _url(text: str | None) -> str | None:
    """An http(s) URL given by the user, with anything that could end a Markdown
    link (spaces, parentheses, angle brackets, quotes) percent-encoded; None for
    anything else (a ``javascript:`` link is not a link)."""
    if not text or not re.match(r"https?://", text, re.IGNORECASE):
        return None
    return quote(text.rstrip("/"), safe=":/?#[]@!$&*+,;=%~.-_")


def finding_line(d: Diagnostic, links: Links, *, hint: bool = True) -> str:
    """One finding as a list item's text: icon, place, rule, message, hint."""
    out = f"{ICON[d.severity]} {links.place(d.location or d.previous)} **{links.rule(d.rule)}** "
    out += message(d.message)
    if hint and d.hint:
        out += f" — _{message(d.hint)}_"
    return out
