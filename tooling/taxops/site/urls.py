"""Addresses of generated pages: where each page lives in the docs folder, and the
relative URL from one page to another, exactly as MkDocs computes them."""

from __future__ import annotations

import posixpath


def page_url(src: str, directory_urls: bool) -> str:
    """The URL MkDocs gives the page ``src`` (``a/b.md``): ``a/b/`` with directory
    URLs, else ``a/b.html``; ``index.md`` pages are their folder."""
    stem = src.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        folder = stem.removesuffix("index")
        return folder if directory_urls else folder + "index.html"
    return stem + "/" if directory_urls else stem + ".html"


def relative_url(target: str, start: str) -> str:
    """``target`` (a site URL) as seen from the page at URL ``start``."""
    base = start if start.endswith("/") or not start else posixpath.dirname(start)
    if not base.endswith("/") and base:
        base += "/"
    rel = (
        posixpath.relpath("/" + target, "/" + base)
        if target
        else posixpath.relpath("/", "/" + base)
    )
    if rel == ".":
        rel = "./"
    elif target.endswith("/") or not target:
        rel = rel.rstrip("/") + "/"
    return rel
