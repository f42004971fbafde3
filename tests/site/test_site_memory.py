"""What keeps a 100,000-label site build's memory bounded, checked on a small
one (structurally, not timed): the build never holds more than two releases'
labels at once, yet publishes the same briefings and label histories as a
build holding them all; a page that grows with the labels is sanitised in
batches of items, with the very result of sanitising it whole; and a marked
item cannot change what the sanitiser lets through."""

from __future__ import annotations

import sys
import weakref
from pathlib import Path

import pytest
from site_pages import ROOT
from taxops.collector import paused
from taxops.file_check import check_file
from taxops.models.taxonomy import Taxonomy
from taxops.repository import assemble
from taxops.site import releases, sanitise
from taxops.site.build import build_site, taxonomy_pages, taxonomy_site
from taxops.site.context import TaxonomySite
from taxops.site.render import render_page

sys.path.insert(0, str(ROOT / "benchmarks"))
from site_build import generate, taxonomy_yaml

LABELS = 300


@pytest.fixture(scope="module", params=["unreleased", "released"])
def repo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Releases 1.0.0, 1.1.0, 1.2.0 and 2.0.0, and a working file that is
    either an unreleased 2.1.0 (four steps, three catch-up briefings) or the
    snapshot of 2.0.0, as ``taxops release`` leaves it."""
    root = tmp_path_factory.mktemp("memory") / "repo"
    root.mkdir()
    generate(root, LABELS)
    folder = root / "taxonomies" / "generated"
    (folder / "releases" / "1.2.0.yaml").write_text(taxonomy_yaml(LABELS, "1.2.0", edit=5))
    if request.param == "unreleased":
        working = taxonomy_yaml(LABELS, "2.1.0", edit=3, retire_every=37)
        (folder / "taxonomy.yaml").write_text(working)
    return root


@pytest.fixture(autouse=True)
def hold_small_releases(monkeypatch: pytest.MonkeyPatch) -> None:
    """These repositories are small; the build holds releases small from
    :data:`releases.HOLD_FROM` labels, lowered here so they are."""
    monkeypatch.setattr(releases, "HOLD_FROM", 1)


def _released(repo: Path) -> bool:
    return "version: 2.0.0" in (repo / "taxonomies/generated/taxonomy.yaml").read_text()


def test_the_build_holds_at_most_two_releases(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    live: set[int] = set()
    most = [0]
    reads = [0]
    thaw = releases.thaw

    def tracked(held: bytes) -> Taxonomy:
        model = thaw(held)
        reads[0] += 1
        live.add(id(model))
        most[0] = max(most[0], len(live))
        weakref.finalize(model, live.discard, id(model))
        return model

    monkeypatch.setattr(releases, "thaw", tracked)
    site = build_site(repo)
    assert most[0] == 2  # compared two at a time, and never more
    briefings = [p.src for p in site.pages if "/changes/" in p.src and "index" not in p.src]
    if _released(repo):
        # The newest release is the working file's snapshot: its model is the
        # working taxonomy's, never rebuilt; the others are read once each.
        assert reads[0] == 3
        assert len(briefings) == 3 + 2
    else:
        # Each release is read once; the newest version is the working one.
        assert reads[0] == 4
        assert len(briefings) == 4 + 3


def test_releases_under_the_size_are_kept_whole(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from taxops.site.build import _checked

    monkeypatch.setattr(releases, "HOLD_FROM", LABELS + 1)
    checked, held = _checked(repo)
    kept = [c for c in checked if "/releases/" in c.path.as_posix()]
    assert len(kept) == 4 and not held.frozen
    assert all(isinstance(c.model, Taxonomy) and len(c.model.labels) >= LABELS for c in kept)


def test_holding_releases_small_publishes_the_same_pages(repo: Path) -> None:
    """The briefings and label histories from releases read again from their
    JSON equal those from the release models held whole, as the build did."""
    with paused():
        whole = [
            check_file(p, repo, compact_models=True).model
            for p in sorted((repo / "taxonomies" / "generated" / "releases").glob("*.yaml"))
        ]
        built = build_site(repo)
        by_src = {p.src: p.html for p in built.pages}
        working = check_file(repo / "taxonomies" / "generated" / "taxonomy.yaml", repo).model
        guideline = check_file(repo / "guidelines" / "generated.yaml", repo).model
    assert isinstance(working, Taxonomy)
    site = TaxonomySite(
        taxonomy=working,
        guideline=guideline,  # type: ignore[arg-type]
        releases=[m for m in whole if isinstance(m, Taxonomy)],
        root=repo,
    )
    compared = 0
    for page in taxonomy_pages(site):
        if "/changes/" in page.src or "/labels/" in page.src:
            assert render_page(page) == by_src[page.src], page.src
            compared += 1
    assert compared > LABELS  # every label page and every briefing
    # Held until MkDocs takes them: the big bodies compressed, a label's as it is.
    stored = {p.src: p.stored for p in built.pages}
    assert isinstance(stored["generated/flashcards.md"], bytes)
    assert all(isinstance(stored[s], str) for s in stored if "/labels/" in s)


def test_a_release_is_held_as_its_header_once_checked(repo: Path) -> None:
    from taxops.site.build import _checked

    checked, held = _checked(repo)
    kept = [c for c in checked if "/releases/" in c.path.as_posix()]
    assert len(kept) == 4 and len(held.frozen) == 4
    for one in kept:
        assert isinstance(one.model, Taxonomy) and one.model.labels == ()
        assert one.doc is not None and one.doc.text == ""
    site = taxonomy_site(assemble(checked, repo), "generated", held=held)
    assert [str(r.version) for r in site.releases] == ["1.0.0", "1.1.0", "1.2.0", "2.0.0"]


def test_big_pages_are_sanitised_in_batches_with_the_whole_page_result(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every page whose template marks its items: the nh3 inputs stay near the
    batch size, and the page equals the page sanitised whole."""
    from taxops.site import render

    rendered: dict[str, str] = {}
    inputs: list[int] = []
    clean = sanitise._clean
    whole = sanitise.sanitise

    def recording(html: str) -> str:
        inputs.append(len(html))
        return clean(html)

    def capture(html: str) -> str:
        if sanitise.PIECE_START in html:
            rendered[str(len(rendered))] = html
        return whole(html)

    monkeypatch.setattr(sanitise, "BATCH_CHARACTERS", 2_000)
    monkeypatch.setattr(render, "sanitise", capture)
    build_site(repo)
    titles = " ".join(h[:400] for h in rendered.values())
    for page in ("Flashcards", "cheat sheet", "Decision guide", "Edge-case log", "What changed"):
        assert page in titles, page
    monkeypatch.setattr(sanitise, "_clean", recording)
    for html in rendered.values():
        inputs.clear()
        in_pieces = sanitise.sanitise(html)
        biggest = max(inputs)
        assert in_pieces == clean(html)
        if len(html) > 50_000:
            assert len(inputs) > 10 and biggest < len(html) / 4, (len(html), biggest)


@pytest.mark.parametrize(
    "html",
    [
        # An item that opens more than it closes stays within itself.
        '<div class="tx-cards"><!--tx-piece--><details><summary>a</summary><div>'
        "<script>alert(1)</script><!--/tx-piece-->\n<!--tx-piece--><p onclick=x>b</p>"
        "<!--/tx-piece--></div>",
        # One that closes more than it opens cannot close the page's elements.
        '<section class="tx-sheet"><!--tx-piece--></section></div><img src=x onerror=alert(1)>'
        '<a href="javascript:alert(1)">x</a><!--/tx-piece--></section>',
        # A marker nested in an item, a marker left open.
        "<div><!--tx-piece--><p><!--tx-piece--><b>x</b><!--/tx-piece--></p><!--/tx-piece-->"
        "<!--tx-piece--><style>p{}</style></div>",
        # Items a table would move (rows are not in the flow of the page).
        "<div><table><tbody><!--tx-piece--><tr><td><script>x</script></td></tr><!--/tx-piece-->"
        "<!--tx-piece--><tr><td onclick=x>b</td></tr><!--/tx-piece--></tbody></table></div>",
    ],
)
def test_marked_items_let_nothing_through_the_sanitiser(html: str) -> None:
    out = sanitise.sanitise(html)
    for banned in ("<script", "onclick", "onerror", "javascript:", "<style", "tx-piece"):
        assert banned not in out, (banned, out)
    assert out.count("<div") == out.count("</div>")
