"""Addresses of generated pages: where each page lives in the docs folder, and the
relative URL from one page to another, exactly as MkDocs computes them."""

from __future__ import annotations

import hashlib
import posixpath
import re
from functools import lru_cache

#: Ids that are already safe, readable page names on every file system.
_PLAIN_NAME = re.compile(r"[a-z0-9][a-z0-9_.-]{0,99}")


@lru_cache(maxsize=1 << 17)
def label_page_name(label_id: str) -> str:
    """The page name of a label: the id itself when it is a plain lowercase
    name (every slug), else a readable form plus a short hash of the exact id.
    Published codes hold upper case (``A00.0`` and ``a00.0`` may be two labels,
    one file on a case-insensitive disk), slashes, dots-only segments or any
    other character: none may pick a page's path."""
    if _PLAIN_NAME.fullmatch(label_id) and ".." not in label_id:
        return label_id
    readable = re.sub(r"[^a-z0-9_.-]+", "_", label_id.lower()).strip("._")[:60] or "label"
    digest = hashlib.sha256(label_id.encode("utf-8")).hexdigest()[:10]
    return f"{readable}-{digest}"


def label_anchor(label_id: str) -> str:
    """The HTML id of a label's section on a group page: its page name, which
    is unique per label and safe in a URL."""
    return label_page_name(label_id)


@lru_cache(maxsize=1 << 16)
def page_url(src: str, directory_urls: bool) -> str:
    """The URL MkDocs gives the page ``src`` (``a/b.md``): ``a/b/`` with directory
    URLs, else ``a/b.html``; ``index.md`` pages are their folder."""
    stem = src.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        folder = stem.removesuffix("index")
        return folder if directory_urls else folder + "index.html"
    return stem + "/" if directory_urls else stem + ".html"


@lru_cache(maxsize=1 << 17)
def relative_url(target: str, start: str) -> str:
    """``target`` (a site URL) as seen from the page at URL ``start``."""
    base = start if start.endswith("/") or not start else posixpath.dirname(start)
    if not base.endswith("/") and base:
        base += "/"
    rel = _relpath(target, base)
    if rel == ".":
        rel = "./"
    elif target.endswith("/") or not target:
        rel = rel.rstrip("/") + "/"
    return rel


def _relpath(target: str, base: str) -> str:
    """``posixpath.relpath("/" + target, "/" + base)``, without its two
    ``abspath`` calls (most of a label page's link time) when neither path
    has a ``.`` or ``..`` part to resolve."""
    to = [part for part in target.split("/") if part]
    start = [part for part in base.split("/") if part]
    if any(p in (".", "..") for p in (*to, *start)):
        return posixpath.relpath("/" + target, "/" + base)
    common = 0
    for a, b in zip(to, start, strict=False):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(start) - common) + to[common:]) or "."
