"""A taxonomy's versions on disk, for migrations: the frozen releases under
``taxonomies/<id>/releases/<version>.yaml`` and the working ``taxonomy.yaml``,
read through the same repository index validate, check and the site use
(:func:`taxops.repository.assemble`).

Datasets are labeled against releases, so migration steps go release to release;
the working file counts as one more version when its version is not released yet
(a draft: never the default target).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from taxops.changes import diff
from taxops.diagnostics import TaxopsError, has_errors
from taxops.migration import DecisionHint, MigrationMap, backward_map, build_map, compose
from taxops.migration.hints import hints_from_guideline
from taxops.models.taxonomy import Taxonomy
from taxops.repository import Repository, assemble
from taxops.suggestions import taxonomy_folder
from taxops.validate import CheckedFile, check_paths, expand
from taxops.versioning.versions import Version as TaxonomyVersion
from taxops.versioning.versions import parse_version


@dataclass(frozen=True)
class Version:
    version: TaxonomyVersion
    taxonomy: Taxonomy
    released: bool


def load_repository(root: Path, taxonomy_id: str) -> Repository:
    """The taxonomy's files and the guidelines, checked and indexed. A broken
    release or working file is an error naming the file: migrating through a
    version taxops cannot read would be a guess."""
    folder = taxonomy_folder(root, taxonomy_id)
    guidelines = [root / "guidelines"] if (root / "guidelines").is_dir() else []
    checked = check_paths(expand([folder, *guidelines], root), root)
    _fail_on_broken(c for c in checked if folder in c.path.parents)
    return assemble(checked, root)


def versions(root: Path, taxonomy_id: str, repo: Repository | None = None) -> list[Version]:
    """Every known version of the taxonomy, oldest first."""
    repo = repo or load_repository(root, taxonomy_id)
    found = {
        r.model.version: Version(r.model.version, r.model, True)
        for r in repo.releases.get(taxonomy_id, [])
    }
    working = repo.taxonomies.get(taxonomy_id)
    if working is not None:
        found.setdefault(
            working.model.version, Version(working.model.version, working.model, False)
        )
    if not found:
        raise TaxopsError(f"taxonomy '{taxonomy_id}' has no taxonomy.yaml and no releases")
    return [found[v] for v in sorted(found)]


def newest(known: list[Version]) -> TaxonomyVersion:
    """The version datasets migrate to by default: the newest release (a working
    file whose version is not released yet is a draft), else the working file."""
    released = [v.version for v in known if v.released]
    return released[-1] if released else known[-1].version


def chain(
    root: Path, taxonomy_id: str, start: str, end: str | None = None, repo: Repository | None = None
) -> list[Taxonomy]:
    """The versions from ``start`` to ``end`` (default: the newest release),
    inclusive, in the order a migration walks them (newest first when ``end`` is
    older). Both ends must be known versions."""
    known = versions(root, taxonomy_id, repo)
    by_version = {v.version: v for v in known}
    listing = ", ".join(str(v.version) for v in known)
    first = parse_version_argument(start)
    last = parse_version_argument(end) if end else newest(known)
    for wanted in (first, last):
        if wanted not in by_version:
            raise TaxopsError(
                f"{taxonomy_id} has no version {wanted}",
                f"known versions: {listing} (releases are taxonomies/{taxonomy_id}/releases/*.yaml)",
            )
    if last < first:
        # Backwards (a new version's data for a system that reads an old one):
        # the same versions, newest first.
        return [v.taxonomy for v in reversed(known) if last <= v.version <= first]
    return [v.taxonomy for v in known if first <= v.version <= last]


def migration_map(root: Path, taxonomy_id: str, start: str, end: str | None = None) -> MigrationMap:
    """The map from ``start`` to ``end`` (default: the newest release), composed
    from one step per consecutive pair of versions, with the guideline's decision
    rules as hints for reviewers when the taxonomy has a guideline. When ``end``
    is older than ``start`` the map goes backwards, each step read from the
    declarations of the newer version (:func:`taxops.migration.backward_map`)."""
    repo = load_repository(root, taxonomy_id)
    versions_ = chain(root, taxonomy_id, start, end, repo)
    guideline = repo.guideline_for(taxonomy_id)
    hints = hints_from_guideline(guideline.model) if guideline else []
    if len(versions_) == 1:
        return compose([build_map(diff(versions_[0], versions_[0]), hints)])
    if versions_[-1].version < versions_[0].version:
        return compose([backward_map(diff(b, a)) for a, b in itertools.pairwise(versions_)])
    return compose([build_map(diff(a, b), hints) for a, b in itertools.pairwise(versions_)])


def guideline_hints(root: Path, taxonomy_id: str) -> list[DecisionHint]:
    """Decision rules of the taxonomy's guideline, if it has a valid one."""
    guideline = load_repository(root, taxonomy_id).guideline_for(taxonomy_id)
    return hints_from_guideline(guideline.model) if guideline else []


def load_taxonomy(path: Path) -> Taxonomy:
    """Load and validate one taxonomy file (a release, say), or say which file
    is broken and how."""
    [checked] = check_paths([path], None)
    _fail_on_broken([checked])
    assert isinstance(checked.model, Taxonomy)
    return checked.model


def _fail_on_broken(files: Iterable[CheckedFile]) -> None:
    for checked in files:
        if checked.model is None or has_errors(checked.diagnostics):
            first = next((d for d in checked.diagnostics), None)
            detail = f": {first.location}: {first.message}" if first else ""
            raise TaxopsError(
                f"{checked.display} is not a valid taxonomy{detail}",
                f"run 'taxops validate {checked.display}' for details",
            )


def parse_version_argument(text: str) -> TaxonomyVersion:
    """A version given on the command line, or an error saying what is wrong."""
    try:
        return parse_version(text)
    except ValueError as exc:
        raise TaxopsError(str(exc)) from None
