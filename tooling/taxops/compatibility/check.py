"""``taxops check``, read top to bottom: validate every governed file; check the
release snapshots (named after their version, unchanged since the base); for
each taxonomy find what to compare it with (its last release, or its file at a
git ref; every release too in a transitive mode) and compare; apply waivers.
The result is plain data: the CLI formats it and picks the exit code."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path

from taxops import gitrepo
from taxops.checks.deadlines import Deadlines
from taxops.codeowners import drift as codeowners_drift
from taxops.codeowners import invalid_owners
from taxops.compatibility.baselines import RefTaxonomy, match, taxonomies_at_ahead
from taxops.compatibility.comparable import comparable
from taxops.compatibility.compare import Comparison, Version, compare
from taxops.compatibility.integrity import verify
from taxops.compatibility.releases import latest, snapshot_findings, unchanged_since
from taxops.compatibility.waivers import WaiverBook
from taxops.diagnostics import Diagnostic, Severity
from taxops.file_check import CheckedFile
from taxops.loading import DEFAULT_MAX_BYTES
from taxops.models.taxonomy import Taxonomy
from taxops.models.waivers import Waivers
from taxops.repository import Governed, assemble
from taxops.rules import baseline_unreadable, taxonomy_added, taxonomy_removed
from taxops.rules.terms import is_transitive
from taxops.suggestions import taxonomy_folders, unknown_name
from taxops.validate import check_paths, governed_files


@dataclass
class CheckReport:
    """Everything one ``taxops check`` found."""

    base: str
    """What the working tree was compared with, in words."""
    files: int
    validation: list[Diagnostic] = field(default_factory=list)
    comparisons: list[Comparison] = field(default_factory=list)
    process: list[Diagnostic] = field(default_factory=list)
    """Findings about releases, added or removed taxonomies, baselines, waivers."""

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return [
            *self.validation,
            *(d for c in self.comparisons for d in c.diagnostics),
            *self.process,
        ]

    @property
    def blocking(self) -> list[Diagnostic]:
        """Findings a compatibility mode or semver forbids (exit code 3)."""
        return [
            d
            for d in self.diagnostics
            if d.severity is Severity.ERROR and d.data.get("allowed") is False
        ]


def run_check(
    root: Path,
    *,
    against: str | None = None,
    merge_base: bool = False,
    only: tuple[str, ...] = (),
    today: datetime.date | None = None,
    deadlines: Deadlines | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    after_load: Callable[[list[CheckedFile]], None] | None = None,
) -> CheckReport:
    """Check the repository at ``root`` against its last releases, or against
    the git ref ``against`` (its merge base with HEAD when ``merge_base``)."""
    files = governed_files(root)
    commit = None
    if against is not None:
        commit = gitrepo.merge_base(root, against) if merge_base else gitrepo.resolve(root, against)
    shown = (f"merge-base({against})" if merge_base else against) or ""
    with ExitStack() as stack:
        # The taxonomies at the ref are loaded beside the working files' checks.
        at_ref = (
            stack.enter_context(taxonomies_at_ahead(root, commit, shown))
            if commit is not None
            else None
        )
        # Guidelines are compared with the base too, so a definition changed in the
        # pull request without a changelog entry is caught in CI, not only locally.
        # A release read from the cache builds its labels when read: the
        # comparison reads those that changed (see _versions).
        checked = check_paths(
            files,
            root,
            max_bytes,
            baseline=commit or "HEAD",
            today=today,
            deadlines=deadlines,
            lazy_releases=True,
        )
        if after_load is not None:
            after_load(checked)
        repo = assemble(checked, root)
        report = CheckReport("the last release of each taxonomy", len(checked))
        report.validation = [d for c in checked for d in c.diagnostics]
        report.process += snapshot_findings(repo.releases)
        report.process += [*invalid_owners(repo), *codeowners_drift(root, repo)]
        # The integrity record needs no git base; git, when there is one, adds what
        # the record cannot know (a release deleted together with its line).
        recorded = verify(root)
        report.process += recorded
        seen = {d.data.get("path") for d in recorded}

        known = set(repo.taxonomies) | set(taxonomy_folders(root))
        for name in only:
            if name not in known:  # a typo must not compare nothing and pass
                raise unknown_name("taxonomy", name, known)
        wanted = {i: t for i, t in repo.taxonomies.items() if not only or i in only}
        in_git = gitrepo.work_tree(root) is not None and gitrepo.has_commits(root)
        if at_ref is not None and commit is not None:
            report.base = f"{shown} ({gitrepo.short(root, commit)})"
            report.process += _unseen(unchanged_since(root, commit, shown), seen)
            report.comparisons, found = _against_ref(
                at_ref(), shown, wanted, repo.releases, root, commit
            )
            report.process += found
        else:
            if in_git:
                report.process += _unseen(unchanged_since(root, "HEAD", "HEAD"), seen)
            report.comparisons, found = _against_releases(wanted, repo.releases)
            report.process += found

        waivers = next((c for c in checked if isinstance(c.model, Waivers)), None)
        book = WaiverBook(
            waivers.model if waivers and isinstance(waivers.model, Waivers) else None,
            waivers.doc if waivers else None,
            today or datetime.date.today(),
        )
        for comparison in report.comparisons:
            comparison.findings = book.apply(comparison.findings)
            comparison.versioning = book.apply(comparison.versioning)
        report.process = book.apply(report.process) + book.findings(wanted)
        return report


def _unseen(found: list[Diagnostic], seen: set[object]) -> list[Diagnostic]:
    """Findings about releases the integrity record did not already report."""
    return [d for d in found if d.data.get("path") not in seen]


def _against_releases(
    wanted: dict[str, Governed[Taxonomy]], releases: dict[str, list[Governed[Taxonomy]]]
) -> tuple[list[Comparison], list[Diagnostic]]:
    comparisons: list[Comparison] = []
    found: list[Diagnostic] = []
    for taxonomy_id, current in sorted(wanted.items()):
        new = Version(current.model, current.doc, current.display)
        snapshots = releases.get(taxonomy_id, [])
        last = latest(snapshots)
        if last is None:
            found.append(
                taxonomy_added.diagnose(
                    taxonomy_id,
                    str(current.model.version),
                    current.doc.locate(("id",)),
                    "releases/",
                )
            )
            continue
        history = [Version(s.model, s.doc, s.display) for s in snapshots if s is not last]
        primary = compare(
            *_versions(Version(last.model, last.doc, last.display), new), history=history
        )
        comparisons += [primary, *_transitive(primary, new, snapshots, skip=last)]
    return comparisons, found


def _against_ref(
    at_ref: list[RefTaxonomy],
    shown: str,
    wanted: dict[str, Governed[Taxonomy]],
    releases: dict[str, list[Governed[Taxonomy]]],
    root: Path,
    commit: str,
) -> tuple[list[Comparison], list[Diagnostic]]:
    paired, gone = match(wanted, at_ref, gitrepo.renames_since(root, commit, "taxonomies"))
    comparisons: list[Comparison] = []
    found: list[Diagnostic] = []
    for taxonomy_id, current in sorted(wanted.items()):
        new = Version(current.model, current.doc, current.display)
        before = paired.get(taxonomy_id)
        if before is None:
            found.append(
                taxonomy_added.diagnose(
                    taxonomy_id, str(current.model.version), current.doc.locate(("id",)), shown
                )
            )
            continue
        if before.version is None:
            reason = before.problem.message if before.problem else "it does not validate"
            where = before.problem.location if before.problem else None
            found.append(
                baseline_unreadable.diagnose(taxonomy_id, f"{shown}:{before.path}", reason, where)
            )
            continue
        snapshots = releases.get(taxonomy_id, [])
        history = [Version(s.model, s.doc, s.display) for s in snapshots]
        primary = compare(*_versions(before.version, new), history=history)
        comparisons += [primary, *_transitive(primary, new, snapshots, skip=None)]
    for ref in gone:
        if (root / ref.path).exists():
            continue  # still there but invalid now: validation reports why
        found.append(taxonomy_removed.diagnose(ref.id or ref.path, ref.path, shown))
    return comparisons, found


def _transitive(
    primary: Comparison,
    new: Version,
    snapshots: list[Governed[Taxonomy]],
    skip: Governed[Taxonomy] | None,
) -> list[Comparison]:
    """In a transitive mode, compare with every earlier release too, keeping only
    what the primary comparison did not already block: findings that break a
    protected direction against that release."""
    if not is_transitive(primary.mode):
        return []
    seen = {d.data.get("fingerprint") for d in primary.findings}
    extra = []
    for snap in snapshots:
        if snap is skip or snap.model.version >= new.taxonomy.version:
            continue
        if snap.doc.text == (primary.old.doc.text if primary.old.doc else None):
            continue
        other = compare(
            *_versions(Version(snap.model, snap.doc, snap.display), new), check_versions=False
        )
        other.findings = [
            replace(d, message=f"against release {snap.model.version}: {d.message}")
            for d in other.findings
            if d.data.get("allowed") is False and d.data.get("fingerprint") not in seen
        ]
        if other.findings:
            extra.append(other)
    return extra


def _versions(old: Version, new: Version) -> tuple[Version, Version]:
    """The two versions made cheap to compare: the comparison reads only the
    labels that changed (:mod:`taxops.compatibility.comparable`)."""
    a, b = comparable(old.taxonomy, old.doc, new.taxonomy, new.doc)
    return replace(old, taxonomy=a), replace(new, taxonomy=b)
