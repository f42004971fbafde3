"""The site's home page when the team wrote none (no ``index.md`` in the docs
folder, or no docs folder at all): what the site is for, how a labeler starts,
and a card per taxonomy. A team's ``mkdocs.yml`` can be four lines long and the
site still opens on something a labeler understands."""

from __future__ import annotations

from dataclasses import dataclass

from taxops.site.context import TaxonomySite
from taxops.site.overview_pages import TaxonomyCard, taxonomy_cards
from taxops.site.pages import Page, TocEntry

HOME_SRC = "index.md"


@dataclass(frozen=True)
class SiteHomeView:
    title: str
    cards: tuple[TaxonomyCard, ...]


def site_home_page(sites: list[TaxonomySite], site_name: str) -> Page:
    view = SiteHomeView(site_name, taxonomy_cards(sites, HOME_SRC))
    toc = [TocEntry("taxonomies", "Taxonomies"), TocEntry("for-labelers", "For labelers")]
    return Page(HOME_SRC, site_name, "site_home.html.j2", view, toc, nav=True, nav_title="Home")
