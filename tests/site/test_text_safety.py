"""The layers that keep guideline text safe, one by one: the link policy, the
Markdown renderer with raw HTML off, and the HTML allowlist every page passes."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from taxops.media import Anchor, External, Refused, RepoFile, judge, locate
from taxops.prose import has_raw_html, link_targets, render
from taxops.site.sanitise import sanitise

BASE = PurePosixPath("guidelines")


@pytest.mark.parametrize(
    ("target", "image", "expected"),
    [
        ("media/truck.png", True, RepoFile("guidelines/media/truck.png")),
        ("../taxonomies/x/diagram.pdf", False, RepoFile("taxonomies/x/diagram.pdf")),
        ("https://example.org/policy", False, External("https://example.org/policy")),
        ("mailto:qa@example.org", False, External("mailto:qa@example.org")),
        ("#definition", False, Anchor("#definition")),
    ],
)
def test_allowed_targets(target: str, image: bool, expected: object) -> None:
    assert judge(target, image=image, base=BASE) == expected


@pytest.mark.parametrize(
    ("target", "image", "reason"),
    [
        ("../../etc/passwd.txt", True, "outside the repository"),
        ("%2e%2e/%2e%2e/etc/passwd.txt", True, "outside the repository"),
        ("/etc/passwd", True, "absolute path"),
        ("C:/Windows/win.ini", False, "absolute path"),
        ("..\\..\\secret.png", True, "'/'"),
        ("file:///etc/passwd", False, "'file:' links are not allowed"),
        ("javascript:alert(1)", False, "'javascript:' links are not allowed"),
        ("JaVaScRiPt:alert(1)", False, "'javascript:' links are not allowed"),
        ("data:text/html;base64,PHNjcmlwdD4=", False, "'data:' links are not allowed"),
        ("https://tracker.example/pixel.gif", True, "not a 'https:' address"),
        ("//cdn.example/x.png", True, "'//'"),
        ("media/page.html", False, "only images, videos"),
        ("media/drawing.svg", True, "only images, videos"),
        ("../.git/config", False, "hidden"),
        ("", True, "empty"),
    ],
)
def test_refused_targets(target: str, image: bool, reason: str) -> None:
    verdict = judge(target, image=image, base=BASE)
    assert isinstance(verdict, Refused) and reason in verdict.reason


def test_a_symlink_out_of_the_repository_is_not_published(tmp_path: Path) -> None:
    outside = tmp_path / "outside.png"
    outside.write_bytes(b"\x89PNG")
    repo = tmp_path / "repo"
    (repo / "guidelines" / "media").mkdir(parents=True)
    (repo / "guidelines" / "media" / "inside.png").write_bytes(b"\x89PNG")
    (repo / "guidelines" / "media" / "link.png").symlink_to(outside)
    assert locate(repo, RepoFile("guidelines/media/inside.png")) is not None
    assert locate(repo, RepoFile("guidelines/media/link.png")) is None
    assert locate(repo, RepoFile("guidelines/media/missing.png")) is None


def _render(text: str) -> str:
    return render(
        text,
        lambda target, image: None if "javascript" in target else f"X/{target}",
        lambda t: None,
    )


def test_raw_html_is_shown_as_text() -> None:
    html = _render('Hi <script>alert(1)</script> <img src=x onerror="alert(2)"> **bold**')
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<strong>bold</strong>" in html


def test_refused_links_keep_their_text_and_lose_their_target() -> None:
    html = _render("[click](javascript:alert(1)) and [ok](media/a.png)")
    assert html == '<p>click and <a href="X/media/a.png">ok</a></p>\n'


def test_label_ids_become_links_but_not_inside_code_that_names_nothing() -> None:
    def label_url(text: str) -> str | None:
        return "../billing.refund/" if text == "billing.refund" else None

    html = render(
        "Use `billing.refund` or billing.refund, not e.g. `other.thing`.", lambda t, i: t, label_url
    )
    assert html.count('href="../billing.refund/"') == 2
    assert "<code>other.thing</code>" in html and "e.g." in html


def test_html_detection_ignores_code_and_comparisons() -> None:
    assert has_raw_html("a <b>bold</b> claim")
    assert not has_raw_html("use `<b>` for bold, and 3 < 4")
    assert [t.target for t in link_targets("[a](x.png) ![b](y.png)")] == ["x.png", "y.png"]


def test_the_page_allowlist_removes_what_a_template_might_let_through() -> None:
    dirty = (
        '<h2 id="x">Title</h2><script>alert(1)</script><style>*{}</style>'
        '<a href="javascript:alert(1)" onclick="alert(2)">a</a><iframe src="https://e.org"></iframe>'
        '<button type="button" data-label="a.b" onmouseover="x()">b</button>'
    )
    clean = sanitise(dirty)
    for forbidden in ("<script", "<style", "javascript:", "onclick", "onmouseover", "<iframe"):
        assert forbidden not in clean
    assert '<h2 id="x">Title</h2>' in clean
    assert '<button type="button" data-label="a.b">b</button>' in clean


def test_page_urls_match_mkdocs() -> None:
    from mkdocs.utils import get_relative_url
    from taxops.site.urls import page_url, relative_url

    pages = [
        "index.md",
        "a/index.md",
        "a/labels/x.y.md",
        "a/changes/1.0.0-to-2.0.0.md",
        "a/quiz.md",
    ]
    for directory_urls in (True, False):
        urls = [page_url(p, directory_urls) for p in pages]
        for start in urls:
            for target in urls:
                if start and target:  # MkDocs writes the site root as "." without a slash
                    assert relative_url(target, start) == get_relative_url(target, start), (
                        target,
                        start,
                    )
    assert page_url("a/labels/x.y.md", True) == "a/labels/x.y/"
    assert page_url("a/index.md", False) == "a/index.html"


_URL_PART = st.sampled_from(["a", "b", "x.y", "é b", "%20"])
_PAGE_URL = st.builds(
    lambda parts, end: "/".join(parts) + end,
    st.lists(_URL_PART, min_size=1, max_size=5),
    st.sampled_from(["/", ".html", "/index.html"]),
)


@settings(max_examples=300, deadline=None)
@given(_PAGE_URL, _PAGE_URL)
def test_relative_urls_match_mkdocs_for_any_page_urls(target: str, start: str) -> None:
    from mkdocs.utils import get_relative_url
    from taxops.site.urls import relative_url

    assert relative_url(target, start) == get_relative_url(target, start)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "b.c", "", ".", ".."]), max_size=5).map("/".join),
    st.lists(st.sampled_from(["a", "b.c", "", ".", ".."]), max_size=5).map("/".join),
)
def test_relative_paths_are_posix_relpaths(target: str, base: str) -> None:
    # The fast path (no '.' or '..' part) and the fallback both give relpath's answer.
    import posixpath

    from taxops.site.urls import _relpath

    assert _relpath(target, base) == posixpath.relpath("/" + target, "/" + base)
