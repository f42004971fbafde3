"""A taxonomy's versions on disk, for migrations: the frozen releases under
``taxonomies/<id>/releases/<version>.yaml`` and the working ``taxonomy.yaml``.

A command that migrates, maps or weighs one taxonomy reads that taxonomy's
folder and nothing else: each file is checked on its own
(:func:`taxops.file_check.check_file`, releases through the release cache),
never the repository's other guidelines, policies or git history, which
``validate`` and ``check`` are for. A migration between two releases reads
only the releases it walks through (a release file is named after its
version), and the guideline only for its decision rules.

Datasets are labeled against releases, so migration steps go release to release;
the working file counts as one more version when its version is not released yet
(a draft: never the default target).
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from taxops import map_cache
from taxops.cache_entries import folder as cache_folder
from taxops.collector import paused
from taxops.diagnostics import TaxopsError, has_errors
from taxops.repo_layout import RELEASES_FOLDER, leaves_repository
from taxops.suggestions import taxonomy_folder
from taxops.versioning.versions import Version as TaxonomyVersion
from taxops.versioning.versions import parse_version

if TYPE_CHECKING:
    from taxops.file_check import CheckedFile
    from taxops.governed import Governed
    from taxops.migration import DecisionHint, MigrationMap
    from taxops.models.taxonomy import Taxonomy
    from taxops.repository import Repository

WORKING_FILE = "taxonomy.yaml"


@dataclass(frozen=True)
class Version:
    version: TaxonomyVersion
    taxonomy: Taxonomy
    released: bool


@dataclass
class TaxonomyFiles:
    """What a taxonomy's folder holds: release files by the version their name
    says, loaded on demand, and the working file."""

    root: Path
    taxonomy_id: str
    named: dict[TaxonomyVersion, Path] = field(default_factory=dict)
    """Release files by the version in their name."""
    unnamed: list[Path] = field(default_factory=list)
    """Release files whose name is not a version (read to know theirs)."""
    working_path: Path | None = None
    _loaded: dict[Path, Governed[Taxonomy] | None] = field(default_factory=dict)

    @classmethod
    def of(cls, root: Path, taxonomy_id: str) -> TaxonomyFiles:
        folder = taxonomy_folder(root, taxonomy_id)  # an existing folder's name, never a path
        files = cls(root, taxonomy_id)
        working = folder / WORKING_FILE
        files.working_path = working if working.is_file() else None
        releases = folder / RELEASES_FOLDER
        for path in sorted(releases.glob("*.y*ml")) if releases.is_dir() else ():
            try:
                files.named.setdefault(parse_version(path.stem), path)
            except ValueError:
                files.unnamed.append(path)
        return files

    def load(self, path: Path) -> Governed[Taxonomy] | None:
        """One file, checked on its own (a broken one is an error naming it);
        None when it is another taxonomy's."""
        if path not in self._loaded:
            from taxops.file_check import check_file
            from taxops.governed import Governed
            from taxops.models.taxonomy import Taxonomy

            checked = check_file(path, self.root)
            _fail_on_broken([checked])
            assert isinstance(checked.model, Taxonomy) and checked.doc is not None
            governed = Governed(path, checked.display, checked.doc, checked.model)
            self._loaded[path] = governed if checked.model.id == self.taxonomy_id else None
        return self._loaded[path]

    def working(self) -> Governed[Taxonomy] | None:
        return self.load(self.working_path) if self.working_path else None

    def releases(self) -> list[Governed[Taxonomy]]:
        """Every release, oldest first."""
        found = [self.load(p) for p in [*self.named.values(), *self.unnamed]]
        return sorted((g for g in found if g is not None), key=lambda g: g.model.version)

    def walk(
        self, first: TaxonomyVersion, last: TaxonomyVersion
    ) -> list[tuple[TaxonomyVersion, Path]] | None:
        """The release files a migration from ``first`` to ``last`` walks
        through, in its order (newest first when ``last`` is older), by their
        names alone; None when names cannot say (a release not named after a
        version, or an end that only the working file may hold)."""
        if self.unnamed or first not in self.named or last not in self.named:
            return None
        low, high = min(first, last), max(first, last)
        picked = [(v, p) for v, p in sorted(self.named.items()) if low <= v <= high]
        return picked if first <= last else picked[::-1]

    def between(self, first: TaxonomyVersion, last: TaxonomyVersion) -> list[Version] | None:
        """The versions from ``first`` to ``last`` (either order), oldest first,
        loading only the releases named in that range; None when the names
        cannot be trusted for it (see :meth:`walk`, or a release that declares
        another version than its name), so the caller reads everything."""
        walk = self.walk(min(first, last), max(first, last))
        if walk is None:
            return None
        picked = []
        for version, path in walk:
            governed = self.load(path)
            if governed is None or governed.model.version != version:
                return None
            picked.append(Version(version, governed.model, True))
        return picked


def load_repository(root: Path, taxonomy_id: str) -> Repository:
    """The taxonomy's files and its guideline, each checked on its own, as the
    repository index export and the site read them. A broken release or
    working file is an error naming the file: migrating through a version
    taxops cannot read would be a guess."""
    from taxops.file_check import check_file
    from taxops.repository import assemble

    files = TaxonomyFiles.of(root, taxonomy_id)
    paths = [*files.named.values(), *files.unnamed]
    if files.working_path is not None:
        paths.append(files.working_path)
    checked = [check_file(p, root) for p in paths]
    _fail_on_broken(checked)
    guideline = guideline_file(root, taxonomy_id)
    if guideline is not None:
        checked.append(check_file(guideline, root))
    return assemble(checked, root)


def versions(
    root: Path, taxonomy_id: str, files: TaxonomyFiles | Repository | None = None
) -> list[Version]:
    """Every known version of the taxonomy, oldest first."""
    if files is None or not isinstance(files, TaxonomyFiles):
        if files is not None:  # a repository index already loaded
            releases = files.releases.get(taxonomy_id, [])
            working = files.taxonomies.get(taxonomy_id)
            return _known(releases, working, taxonomy_id)
        files = TaxonomyFiles.of(root, taxonomy_id)
    return _known(files.releases(), files.working(), taxonomy_id)


def release_named(
    root: Path, taxonomy_id: str, text: str, files: TaxonomyFiles | None = None
) -> Version | None:
    """The release whose file is named after version ``text``, loaded alone: a
    command about one version need not read the working file and every other
    release (about a second for an 89,000-code classification). None when no
    release file is named so, or it holds another version: the caller then
    reads every version (:func:`versions`)."""
    try:
        wanted = parse_version(text)
    except ValueError:
        return None
    found = (files or TaxonomyFiles.of(root, taxonomy_id)).between(wanted, wanted)
    if not found or str(found[0].version) != text:
        return None
    return found[0]


def _known(
    releases: list[Governed[Taxonomy]], working: Governed[Taxonomy] | None, taxonomy_id: str
) -> list[Version]:
    found = {r.model.version: Version(r.model.version, r.model, True) for r in releases}
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
    root: Path,
    taxonomy_id: str,
    start: str,
    end: str | None = None,
    files: TaxonomyFiles | None = None,
) -> list[Taxonomy]:
    """The versions from ``start`` to ``end`` (default: the newest release),
    inclusive, in the order a migration walks them (newest first when ``end`` is
    older). Both ends must be known versions. Only the releases in between are
    read when their names say which they are."""
    files = files or TaxonomyFiles.of(root, taxonomy_id)
    first, last = _ends(files, start, end)
    quick = files.between(first, last) if last is not None else None
    if quick is not None:
        known = quick
    else:
        known = versions(root, taxonomy_id, files)
        by_version = {v.version for v in known}
        listing = ", ".join(str(v.version) for v in known)
        last = parse_version_argument(end) if end else newest(known)
        for wanted in (first, last):
            if wanted not in by_version:
                raise TaxopsError(
                    f"{taxonomy_id} has no version {wanted}",
                    f"known versions: {listing} (releases are taxonomies/{taxonomy_id}/releases/*.yaml)",
                )
    assert last is not None
    if last < first:
        # Backwards (a new version's data for a system that reads an old one):
        # the same versions, newest first.
        return [v.taxonomy for v in reversed(known) if last <= v.version <= first]
    return [v.taxonomy for v in known if first <= v.version <= last]


def _ends(
    files: TaxonomyFiles, start: str, end: str | None
) -> tuple[TaxonomyVersion, TaxonomyVersion | None]:
    """The versions a migration starts and ends at, as far as the release
    files' names say (no end when there are none and none was given)."""
    first = parse_version_argument(start)
    last = parse_version_argument(end) if end else (max(files.named) if files.named else None)
    return first, last


def migration_map(
    root: Path,
    taxonomy_id: str,
    start: str,
    end: str | None = None,
    files: TaxonomyFiles | None = None,
) -> MigrationMap:
    """The map from ``start`` to ``end`` (default: the newest release), composed
    from one step per consecutive pair of versions, with the guideline's decision
    rules as hints for reviewers when the taxonomy has a guideline. When ``end``
    is older than ``start`` the map goes backwards, each step read from the
    declarations of the newer version (:func:`taxops.migration.backward_map`).

    A map between releases comes from the map cache when this taxops built it
    before from the same bytes (:mod:`taxops.map_cache`): then no release is
    loaded. A map that reads the working file (a version not released yet) is
    built every time: that file changes. ``files``: the taxonomy's files as the
    caller already read them (each is loaded once however many maps read it)."""
    files = files or TaxonomyFiles.of(root, taxonomy_id)
    first, last = _ends(files, start, end)
    walk = files.walk(first, last) if last is not None else None
    key = _map_key(root, taxonomy_id, walk) if walk is not None else None
    if key is not None:
        cached = map_cache.read(key)
        if cached is not None:
            return cached
    quick = files.between(first, last) if last is not None else None
    if quick is None:
        built = _map_through(root, taxonomy_id, chain(root, taxonomy_id, start, end, files))
    else:
        assert last is not None
        versions_ = [v.taxonomy for v in (quick if first <= last else reversed(quick))]
        built = _map_through(root, taxonomy_id, versions_)
        # Kept only when the files read are still the ones hashed (no edit raced the build).
        if key is not None and key == _map_key(root, taxonomy_id, walk):
            map_cache.write(key, built)
    return built


def _map_through(root: Path, taxonomy_id: str, versions_: list[Taxonomy]) -> MigrationMap:
    """The composed map along ``versions_`` (in walking order)."""
    from taxops.changes import diff
    from taxops.migration import backward_map, build_map, compose

    pairs = list(itertools.pairwise(versions_)) or [(versions_[0], versions_[0])]
    if versions_[-1].version < versions_[0].version:
        with paused():  # entries by the hundred thousand, none of them garbage
            return compose([backward_map(diff(b, a)) for a, b in pairs])
    hints = guideline_hints(root, taxonomy_id)
    with paused():
        return compose([build_map(diff(a, b), hints) for a, b in pairs])


def _map_key(
    root: Path, taxonomy_id: str, walk: list[tuple[TaxonomyVersion, Path]] | None
) -> map_cache.MapKey | None:
    """What the map along ``walk`` is made from: each release's bytes (hashed),
    and the guideline's when the map reads its hints (not backwards). None when
    a file cannot be read, or is a link out of the repository (the build says
    what is wrong)."""
    if not walk or cache_folder() is None:  # nothing to read or keep: hash nothing
        return None
    steps = []
    size = 0
    for version, path in walk:
        found = _file_sha256(path, root)
        if found is None:
            return None
        steps.append((str(version), found[0]))
        size += found[1]
    guideline = None
    if len(walk) == 1 or walk[0][0] < walk[-1][0]:  # hints are read: see _map_through
        rules = guideline_file(root, taxonomy_id)
        found = _file_sha256(rules, root) if rules is not None else None
        if rules is not None and found is None:
            return None
        guideline = found[0] if found else None
    return map_cache.MapKey(taxonomy_id, tuple(steps), guideline, size)


def _file_sha256(path: Path, root: Path) -> tuple[str, int] | None:
    """A file's SHA-256 and size; None when it cannot be read, or is a link
    out of the repository."""
    if leaves_repository(path, root):
        return None
    try:
        with path.open("rb") as f:
            digest = hashlib.file_digest(f, "sha256").hexdigest()
            return digest, f.tell()
    except OSError:
        return None


def guideline_hints(root: Path, taxonomy_id: str) -> list[DecisionHint]:
    """The decision rules of the taxonomy's guideline, as hints for reviewers.
    Only its ``decision_rules`` are read and validated: a guideline of 100,000
    labels is not checked to relabel a dataset. None when it has no valid ones."""
    path = guideline_file(root, taxonomy_id)
    if path is None:
        return []
    from taxops.loading import load_yaml
    from taxops.repo_layout import display_path

    doc, _ = load_yaml(path, display_path(path, root))
    rules: Any = doc.data.get("decision_rules") if doc is not None else None
    if not rules or not isinstance(rules, list):
        return []
    from pydantic import TypeAdapter, ValidationError

    from taxops.migration.hints import hints_from_guideline
    from taxops.models.guideline import DecisionRule

    try:
        parsed = TypeAdapter(tuple[DecisionRule, ...]).validate_python(rules)
    except ValidationError:
        return []  # reported by taxops validate; hints are a help, not a must
    return hints_from_guideline(_Rules(parsed))


@dataclass(frozen=True)
class _Rules:
    decision_rules: tuple[Any, ...]


def guideline_file(root: Path, taxonomy_id: str) -> Path | None:
    """The guideline file that declares ``taxonomy: <id>`` (found by reading the
    files' text, not parsing them), or None."""
    folder = root / "guidelines"
    if not folder.is_dir():
        return None
    marker = re.compile(
        rf"^taxonomy[ \t]*:[ \t]*(['\"]?){re.escape(taxonomy_id)}\1[ \t]*(#.*)?$", re.MULTILINE
    )
    for path in sorted(folder.rglob("*.y*ml")):
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if marker.search(text):
            return path
    return None


def load_taxonomy(path: Path) -> Taxonomy:
    """Load and validate one taxonomy file (a release, say), or say which file
    is broken and how."""
    from taxops.file_check import check_file
    from taxops.models.taxonomy import Taxonomy

    checked = check_file(path, None)
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
