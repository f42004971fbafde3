"""The site build, read top to bottom: load and validate the repository, redact
guideline examples by the privacy policy, assemble the page models of every
taxonomy, render them. MkDocs (through :mod:`taxops.site.plugin`) then adds
theme, navigation and search, and writes.

Nothing personal is published: an item of a class with redaction rules reaches
the page models only redacted, and findings that would publish personal data
(:data:`taxops.checks.guideline_privacy.PRIVACY_RULES`) stop the build, strict or
not (:attr:`SiteBuild.blocking`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from taxops.checks.guideline_privacy import PRIVACY_RULES
from taxops.collector import paused
from taxops.diagnostics import Diagnostic
from taxops.forked import Ahead
from taxops.redaction.guidelines import redacted_guideline
from taxops.repository import Repository, assemble
from taxops.site.briefing import briefing_pages
from taxops.site.context import TaxonomySite
from taxops.site.dashboard import build_dashboard
from taxops.site.finder import finder_files
from taxops.site.label_pages import LABEL_TEMPLATE, label_pages
from taxops.site.overview_pages import (
    all_taxonomies_page,
    changelog_page,
    decision_guide_pages,
    edge_case_page,
    home_page,
)
from taxops.site.pages import PACKED_FROM, PackedToc, Page
from taxops.site.policy_pages import policy_pages
from taxops.site.releases import HeldReleases
from taxops.site.render import render_page
from taxops.site.site_home import site_home_page
from taxops.site.timeline import Timeline
from taxops.site.training import cheat_sheet_page, flashcards_page, quiz_page
from taxops.validate import CheckedFile, check_paths, governed_files

#: Where the dashboard's result files live, relative to the repository.
DASHBOARD_FOLDER = "reports"


@dataclass
class NavSection:
    title: str
    pages: list[Page]


@dataclass
class SiteBuild:
    pages: list[Page]
    #: Repository files the pages show: repository path -> path in the site.
    media: dict[str, str]
    #: Findings of the validation the build ran (the same as ``taxops validate``).
    diagnostics: list[Diagnostic]
    nav: list[NavSection] = field(default_factory=list)
    #: The site's home page, used when the docs folder has no index.md.
    home: Page | None = None
    #: Files generated for the pages (the dashboard's charts): site path -> content.
    generated: dict[str, str] = field(default_factory=dict)

    @property
    def blocking(self) -> list[Diagnostic]:
        """Findings that would put personal data on a page: the build must stop."""
        return [d for d in self.diagnostics if d.rule in PRIVACY_RULES]


def build_site(
    root: Path,
    *,
    directory_urls: bool = True,
    site_name: str = "Labeling guidelines",
    dashboard: str = DASHBOARD_FOLDER,
) -> SiteBuild:
    """Every generated page of the repository at ``root``, rendered; with result
    files under ``root/dashboard``, the dashboard section too."""
    # Millions of small, long-lived objects (models, views, HTML pieces): the
    # cyclic collector would rescan them all, again and again, for nothing.
    with paused():
        return _build_site(root, directory_urls, site_name, dashboard)


def _build_site(root: Path, directory_urls: bool, site_name: str, dashboard: str) -> SiteBuild:
    checked, held = _checked(root)
    diagnostics = [d for c in checked for d in c.diagnostics]
    repo = assemble(checked, root)
    if any(d.rule in PRIVACY_RULES for d in diagnostics):
        return SiteBuild([], {}, diagnostics)  # nothing is rendered that could leak
    sites = [taxonomy_site(repo, tid, directory_urls, held) for tid in sorted(repo.taxonomies)]
    nav = [NavSection(site.title, []) for site in sites]
    pages = [all_taxonomies_page(sites)] if sites else []
    for site, section in zip(sites, nav, strict=True):
        plan = repo.policies.quality_plan(site.id)
        own = _rendered_pages(site, plan.model.certification.pass_mark if plan else None)
        section.pages = [p for p in own if p.nav]
        pages += own
    board = build_dashboard(root, dashboard, directory_urls)
    if board.pages:
        nav.append(NavSection("Dashboard", board.pages))
        pages += board.pages
    policy = policy_pages(
        repo.policies,
        directory_urls,
        lambda t: next((s.src("index") for s in sites if s.id == t), None),
    )
    if policy:
        pages += policy
        nav.append(NavSection("Working with us", [p for p in policy if p.nav] + policy[1:]))
    home = site_home_page(sites, site_name)
    for page in [*pages, home]:
        if page.view is not None:
            _render(page)
    media = {path: dest for site in sites for path, dest in site.media.items()}
    generated = dict(board.files)
    for site in sites:
        if site.large:  # its labels are found with the label finder's index
            generated.update(finder_files(site))
    return SiteBuild(
        pages, media, diagnostics + board.diagnostics, nav, home=home, generated=generated
    )


def _rendered_pages(site: TaxonomySite, pass_mark: float | None) -> list[Page]:
    """One taxonomy's pages, each rendered as it comes: no 100,000 label views
    are held at once. A site with a page per label has every other label page
    rendered by a worker (:class:`taxops.forked.Ahead`), which makes the same
    pages from the same models on another core: this process keeps those
    pages' views until the worker's HTML comes, and renders any page it did
    not hand over itself, so the pages are the ones rendered here."""
    shared = not site.large and len(site.taxonomy.labels) >= RENDER_APART_FROM
    jobs = None if shared else 1  # not shared: as in one process
    with Ahead(lambda: _their_half(site, pass_mark), jobs) as ahead:
        own: list[Page] = []
        waiting: list[Page] = []
        for page, theirs in _shared(taxonomy_pages(site, pass_mark)):
            if site.large and own:
                # Pages that grow with the labels (guide, edge cases, cards, sheet,
                # changelog, briefings) would fill Material's index with megabytes:
                # its labels are found with the label finder, these pages by the nav.
                page.searchable = False
            if ahead.worker is not None and theirs:
                waiting.append(page)
            else:
                _render(page)
            own.append(page)
        handed = ahead.result() if waiting else {}
    for page in waiting:
        _render(page, handed.get(page.src))
    return own


#: From how many labels a worker renders every other label page.
RENDER_APART_FROM = 500


def _shared(pages: Iterable[Page]) -> Iterator[tuple[Page, bool]]:
    """Each page, and whether the worker renders it: every other label page."""
    labels_seen = 0
    for page in pages:
        label = page.template == LABEL_TEMPLATE
        yield page, label and labels_seen % 2 == 1
        labels_seen += label


def _their_half(site: TaxonomySite, pass_mark: float | None) -> dict[str, str]:
    """What the worker hands over: the HTML of the label pages it renders."""
    shared = _shared(taxonomy_pages(site, pass_mark))
    return {page.src: render_page(page) for page, theirs in shared if theirs}


def _render(page: Page, html: str | None = None) -> None:
    """``page`` rendered (``html``: as the worker rendered it)."""
    page.html = render_page(page) if html is None else html
    page.view = None  # rendered: a 100,000-label site does not keep both
    if len(page.toc) >= PACKED_FROM:
        page.toc = PackedToc(page.toc)


def _checked(root: Path) -> tuple[list[CheckedFile], HeldReleases]:
    """Every governed file checked, as ``taxops validate`` checks them, holding
    no release's labels: each release is held small once it is checked
    (:mod:`taxops.site.releases`), before the next file is read."""
    held = HeldReleases()
    checked = check_paths(governed_files(root), root, compact_models=True, each=held.hold)
    return checked, held


def taxonomy_site(
    repo: Repository,
    taxonomy_id: str,
    directory_urls: bool = True,
    held: HeldReleases | None = None,
) -> TaxonomySite:
    tax = repo.taxonomies[taxonomy_id]
    governed = repo.guideline_for(taxonomy_id)
    guideline = governed.model if governed else None
    privacy = repo.policies.privacy_policy
    if guideline is not None and privacy is not None:
        guideline = redacted_guideline(guideline, privacy.model)
    folder = PurePosixPath("guidelines")
    if governed is not None and repo.root is not None:
        folder = PurePosixPath(
            governed.path.resolve().parent.relative_to(repo.root.resolve()).as_posix()
        )
    return TaxonomySite(
        taxonomy=tax.model,
        guideline=guideline,
        releases=[
            (held or HeldReleases()).release(r, tax) for r in repo.releases.get(taxonomy_id, [])
        ],
        root=repo.root,
        guideline_folder=folder,
        directory_urls=directory_urls,
    )


def taxonomy_pages(site: TaxonomySite, pass_mark: float | None = None) -> Iterator[Page]:
    """One taxonomy's pages, in navigation order, each made when the one
    before has been taken (rendered, its view let go). ``pass_mark``: the
    quality plan's, which the quiz scores against."""
    timeline = Timeline.of(site.releases, site.taxonomy)
    yield home_page(site, timeline)
    yield from briefing_pages(site, timeline)
    yield from decision_guide_pages(site)
    yield edge_case_page(site)
    yield quiz_page(site, pass_mark)
    yield flashcards_page(site)
    yield cheat_sheet_page(site)
    yield changelog_page(site, timeline)
    yield from label_pages(site, timeline)
