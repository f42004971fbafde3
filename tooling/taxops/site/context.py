"""What every page of one taxonomy's site is assembled from: the taxonomy, its
guideline and releases, where each page lives, and a :class:`Here` that turns
guideline prose and references into safe HTML with links relative to the page
being assembled."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from markupsafe import Markup

from taxops.checks.guideline_coverage import assignable, parents_in_use
from taxops.media import Anchor, External, RepoFile, judge, locate
from taxops.models.guideline import DecisionRule, Guideline, LabelGuidance
from taxops.models.taxonomy import Label, Status, Taxonomy
from taxops.prose import render, render_inline
from taxops.site.label_groups import LabelGroup, is_large, label_groups
from taxops.site.timeline import Release
from taxops.site.urls import label_anchor, label_page_name, page_url, relative_url

#: The most decision rules one page of a large taxonomy's decision guide holds.
RULES_PER_PAGE = 200

#: Where copies of repository media go in the built site.
MEDIA_FOLDER = "_media"


@dataclass(frozen=True)
class Link:
    """A link as templates show it: text, where it goes, and an optional note."""

    text: str
    href: str
    note: str = ""


@dataclass
class TaxonomySite:
    """One taxonomy's published material."""

    taxonomy: Taxonomy
    guideline: Guideline | None
    #: Released snapshots, oldest first: models, or releases read when compared
    #: (:class:`taxops.site.timeline.Release`, what the site build passes).
    releases: list[Taxonomy] | list[Release]
    #: The repository, for media files (None: media are not published).
    root: Path | None
    #: The guideline file's folder relative to the root: media paths start there.
    guideline_folder: PurePosixPath = field(default_factory=lambda: PurePosixPath("guidelines"))
    directory_urls: bool = True
    #: Repository files the pages link to: repository path -> path in the site.
    media: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.taxonomy.id

    @property
    def title(self) -> str:
        if self.guideline and self.guideline.title:
            return self.guideline.title
        return self.taxonomy.title

    @cached_property
    def labels(self) -> Mapping[str, Label]:
        return self.taxonomy.by_id()

    @cached_property
    def guidance(self) -> Mapping[str, LabelGuidance]:
        return self.guideline.by_label() if self.guideline else {}

    @cached_property
    def _parents(self) -> set[str]:
        return parents_in_use(self.taxonomy)

    def assignable(self, label: Label) -> bool:
        return assignable(self.taxonomy, label, self._parents)

    def is_group(self, label: Label) -> bool:
        return label.id in self._parents

    @cached_property
    def released(self) -> bool:
        """Whether the working version is one of the releases."""
        return any(r.version == self.taxonomy.version for r in self.releases)

    # --- where pages live ------------------------------------------------------

    def src(self, name: str) -> str:
        """The docs path of one of the taxonomy's pages (``quiz`` -> ``<id>/quiz.md``)."""
        return f"{self.id}/{name}.md"

    def label_src(self, label_id: str) -> str:
        return f"{self.id}/labels/{label_page_name(label_id)}.md"

    # --- a large taxonomy's labels live on group pages (taxops.site.label_groups) ---

    @cached_property
    def large(self) -> bool:
        """Whether labels are shown by group, many to a page."""
        return is_large(self.taxonomy)

    @cached_property
    def groups(self) -> list[LabelGroup]:
        return label_groups(self.taxonomy) if self.large else []

    @cached_property
    def _group_of(self) -> dict[str, str]:
        return {label.id: group.key for group in self.groups for label in group.labels}

    def group_src(self, key: str) -> str:
        return f"{self.id}/labels/{key}.md"

    @cached_property
    def rule_pages(self) -> list[tuple[DecisionRule, ...]]:
        """The decision guide's pages: one, or for a large taxonomy pages of
        at most :data:`RULES_PER_PAGE` rules (a rule per sibling group of a
        100,000-label taxonomy made a 20 MB page)."""
        rules = tuple(self.guideline.decision_rules) if self.guideline else ()
        if not self.large or len(rules) <= RULES_PER_PAGE:
            return [rules]
        return [rules[i : i + RULES_PER_PAGE] for i in range(0, len(rules), RULES_PER_PAGE)]

    @cached_property
    def _rule_page(self) -> dict[str, int]:
        return {rule.id: n for n, page in enumerate(self.rule_pages) for rule in page}

    def rule_src(self, rule_id: str | None = None, page: int | None = None) -> str:
        """The decision guide page holding a rule (or the ``page``-th, from 0)."""
        n = page if page is not None else self._rule_page.get(rule_id or "", 0)
        return self.src("decision-guide" if n == 0 else f"decision-guide/{n + 1}")

    def label_target(self, label_id: str) -> tuple[str, str]:
        """Where a label is read: its own page, or its group page and anchor."""
        key = self._group_of.get(label_id) if self.large else None
        if key is None:
            return self.label_src(label_id), ""
        return self.group_src(key), label_anchor(label_id)

    def briefing_src(self, old: str, new: str) -> str:
        return f"{self.id}/changes/{old}-to-{new}.md"

    def definition(self, label: Label) -> str | None:
        """The definition labelers read: the guideline's, else the taxonomy's."""
        entry = self.guidance.get(label.id)
        return (entry.definition if entry else None) or label.definition

    def here(self, src: str) -> Here:
        return Here(self, src)


@dataclass
class Here:
    """Links and prose as seen from the page at ``src``."""

    site: TaxonomySite
    src: str

    @cached_property
    def url(self) -> str:
        return page_url(self.src, self.site.directory_urls)

    def href(self, target_src: str, anchor: str = "") -> str:
        """Relative URL of another generated page (``.md`` source path)."""
        url = relative_url(page_url(target_src, self.site.directory_urls), self.url)
        return f"{url}#{anchor}" if anchor else url

    def path(self, site_path: str) -> str:
        """Relative URL of a file or folder of the built site (not a page)."""
        return relative_url(site_path, self.url)

    def label_link(self, label_id: str, note: str = "") -> Link:
        label = self.site.labels.get(label_id)
        text = label.name if label else label_id
        return Link(text, self.href(*self.site.label_target(label_id)), note)

    def label_href(self, label_id: str) -> str | None:
        """For prose: a label id that names a label of this taxonomy links to its page."""
        if label_id in self.site.labels:
            return self.href(*self.site.label_target(label_id))
        return None

    def prose(self, text: str | None) -> Markup:
        """Guideline Markdown as safe HTML (a block)."""
        if not text:
            return Markup("")
        return Markup(render(text, self._resolve, self.label_href))

    def inline(self, text: str | None) -> Markup:
        """Guideline Markdown as safe HTML, for one line."""
        if not text:
            return Markup("")
        return Markup(render_inline(text, self._resolve, self.label_href))

    def media_url(self, target: str) -> str | None:
        """The URL of a media file named in the guideline, or None when it is
        refused or missing (the checks report those)."""
        return self._resolve(target, True)

    def _resolve(self, target: str, image: bool) -> str | None:
        verdict = judge(target, image=image, base=self.site.guideline_folder)
        if isinstance(verdict, External | Anchor):
            return verdict.url
        if isinstance(verdict, RepoFile) and self.site.root is not None:
            if locate(self.site.root, verdict) is None:
                return None
            dest = self.site.media.setdefault(verdict.path, f"{MEDIA_FOLDER}/{verdict.path}")
            # A file name may hold '#', '?', '%' or spaces: the URL encodes them.
            return quote(relative_url(dest, self.url), safe="/")
        return None


def status_note(label: Label) -> str:
    """A label's lifecycle in the labelers' words."""
    if label.status is Status.DEPRECATED:
        return "deprecated: still on old items, not for new work"
    if label.status is Status.RETIRED:
        return "retired: no longer used"
    return ""
