"""The versions a working taxonomy is compared with: its releases on disk, or
its file at a git ref, matched by taxonomy id first, then by path, then by git's
rename detection (a taxonomy folder renamed on the branch still finds its past)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from taxops import forked, gitrepo, release_cache
from taxops.compatibility.compare import Version
from taxops.diagnostics import Diagnostic, Location, Severity
from taxops.documents import KINDS, MARKER
from taxops.loading import DEFAULT_MAX_BYTES, parse_yaml
from taxops.models.taxonomy import TAXONOMY_FORMAT, Taxonomy
from taxops.repo_layout import is_release
from taxops.repository import Governed
from taxops.validate import validate_document


@dataclass(frozen=True)
class RefTaxonomy:
    """A taxonomy file as it is at a git ref: its version when it loads and
    validates, else the first problem."""

    path: str
    id: str | None
    version: Version | None
    problem: Diagnostic | None = None


@contextmanager
def taxonomies_at_ahead(
    root: Path, commit: str, shown: str
) -> Iterator[Callable[[], list[RefTaxonomy]]]:
    """Every working taxonomy file (not release snapshots) at ``commit``, its
    positions shown as ``REF:path:line:col``, loaded while the block runs:
    the files are read from git now, and, when they are large enough to be worth
    it and a worker can be forked (:mod:`taxops.forked`), parsed, validated
    and checked by the worker while the command checks the working files. The
    block's value gives the list (waiting for the worker if need be).

    The worker hands each version over as ``diff``'s worker does: an entry in
    a private folder removed at the end (:mod:`taxops.release_cache`), read
    with its labels built when read. Whatever the worker leaves undone (a
    failure, a file that is not a valid taxonomy) is loaded here: the list is
    the same with a worker or without. A file written exactly as a release
    taxops has read is read from the release cache instead (no worker)."""
    blobs = _blobs(root, commit)  # read from git before any fork: the worker never runs git
    # A file at the ref written exactly as a release taxops has read (main's
    # file right after a release) is that release: read from the release cache.
    known = [_from_entry(blob, shown, None) for blob in blobs]
    todo = [blob for blob, ref in zip(blobs, known, strict=True) if ref is None]

    def with_known(found: Iterator[RefTaxonomy | None]) -> list[RefTaxonomy]:
        return _loaded(ref if ref is not None else next(found) for ref in known)

    if sum(len(b.raw) for b in todo) < AHEAD_MIN_BYTES or forked.unavailable() is not None:
        yield lambda: with_known(_ref_taxonomy(blob, shown) for blob in todo)
        return
    try:
        private = forked.private_folder()
    except OSError:  # no temporary folder to hand the versions over in
        yield lambda: with_known(_ref_taxonomy(blob, shown) for blob in todo)
        return
    try:

        def work() -> None:
            for blob in todo:
                _ref_taxonomy(blob, shown, hand_to=private)

        with forked.beside(work) as worker:
            handed = private if worker is not None else None

            def loaded() -> list[RefTaxonomy]:
                if worker is not None:
                    worker.wait()  # whatever became of it, this process loads what is missing
                return with_known(_ref_taxonomy(blob, shown, handed=handed) for blob in todo)

            yield loaded
    finally:
        shutil.rmtree(private, ignore_errors=True)


def _loaded(found: Iterable[RefTaxonomy | None]) -> list[RefTaxonomy]:
    return [ref for ref in found if ref is not None]


#: Below this many bytes of taxonomies at the ref, loading them takes less
#: than forking a worker would save.
AHEAD_MIN_BYTES = 1_000_000


@dataclass(frozen=True)
class _Blob:
    """A file at the ref: its path, its bytes, and their cache key (hashed
    once, whoever looks the file up)."""

    path: str
    raw: bytes
    key: str


def _blobs(root: Path, commit: str) -> list[_Blob]:
    """The working taxonomy files at ``commit`` (YAML files under
    taxonomies/, release snapshots aside)."""
    out = []
    for path in gitrepo.files_at(root, commit, "taxonomies"):
        if Path(path).suffix not in (".yaml", ".yml") or is_release(Path(path)):
            continue
        raw = gitrepo.read_at(root, commit, path)
        if raw is not None:
            out.append(_Blob(path, raw, release_cache.source_key(raw)))
    return out


def _from_entry(blob: _Blob, shown: str, base: Path | None) -> RefTaxonomy | None:
    """The file at the ref from the entry kept for its bytes in ``base`` (a
    worker's hand-over; None: the user's release cache), its labels built
    when read; None when there is none (or it cannot be trusted)."""
    display = f"{shown}:{blob.path}"
    entry = release_cache.read(
        blob.key, blob.raw, display, Taxonomy, DEFAULT_MAX_BYTES, lazy=True, base=base
    )
    if entry is None or not isinstance(entry.model, Taxonomy):
        return None
    return RefTaxonomy(blob.path, entry.model.id, Version(entry.model, entry.doc, display))


def _ref_taxonomy(
    blob: _Blob,
    shown: str,
    *,
    hand_to: Path | None = None,
    handed: Path | None = None,
) -> RefTaxonomy | None:
    """One file at the ref: its version when it loads and validates, else its
    first problem; None when it is not a taxonomy. ``hand_to``: a folder to
    write a valid taxonomy's entry to (a worker); ``handed``: a folder to read
    it from first (the entry a worker wrote for these bytes)."""
    path, display = blob.path, f"{shown}:{blob.path}"
    if handed is not None:
        found = _from_entry(blob, shown, handed)
        if found is not None:
            return found
    doc, problems = parse_yaml(blob.raw, display)
    if doc is None:
        return RefTaxonomy(path, None, None, problems[0] if problems else None)
    if doc.data.get(MARKER) != TAXONOMY_FORMAT:
        return None
    model, problems = validate_document(doc, KINDS[TAXONOMY_FORMAT])
    taxonomy_id = doc.data.get("id") if isinstance(doc.data.get("id"), str) else None
    if not isinstance(model, Taxonomy):
        first = next((p for p in problems if p.severity is Severity.ERROR), None)
        return RefTaxonomy(path, taxonomy_id, None, first)
    if hand_to is not None:
        release_cache.write(blob.key, model, problems, doc, base=hand_to, handover=True)
    return RefTaxonomy(path, model.id, Version(model, doc, display))


def match(
    working: dict[str, Governed[Taxonomy]],
    at_ref: list[RefTaxonomy],
    renames: dict[str, str],
) -> tuple[dict[str, RefTaxonomy], list[RefTaxonomy]]:
    """Pair each working taxonomy (by id) with its file at the ref, and list the
    ref's taxonomies that no working one took (deleted on the branch)."""
    paired: dict[str, RefTaxonomy] = {}
    taken: set[str] = set()
    by_id = {r.id: r for r in at_ref if r.id}
    by_path = {r.path: r for r in at_ref}
    renamed_to = {new: old for old, new in renames.items()}
    for taxonomy_id, current in working.items():
        path = _relative(current)
        found = by_id.get(taxonomy_id) or by_path.get(path) or by_path.get(renamed_to.get(path, ""))
        if found is not None and found.path not in taken:
            paired[taxonomy_id] = found
            taken.add(found.path)
    gone = [r for r in at_ref if r.path not in taken and r.id not in working]
    return paired, gone


def _relative(current: Governed[Taxonomy]) -> str:
    return current.display.replace("\\", "/")


def unreadable_location(ref: RefTaxonomy) -> Location | None:
    return ref.problem.location if ref.problem else None
