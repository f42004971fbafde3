"""Checking the two versions a comparison needs, side by side.

The versions are independent until they are compared, so where a worker can
be forked (:mod:`taxops.forked`), it checks the first version while this
process checks the second. The worker hands its version over as a release
cache entry (:mod:`taxops.release_cache`: the model, the findings, the line
index, and each label's digest): in the user's cache when the version is a
release and the cache is on (the entry it would write anyway), else in a
private folder removed at the end (never the user's cache folder when
``TAXOPS_NO_CACHE`` is set). This process reads the entry with its labels
built when read, and gives its own version's labels their digests while the
worker writes: the comparison then builds only the labels that changed.

The result is what checking the two files one after the other gives: the
same models, and the same findings at the same places (the entry keeps them
as the worker found them). When the worker fails, or leaves no entry (a file
that does not build a taxonomy), this process checks the file itself.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from taxops import forked
from taxops.cache_entries import folder as cache_folder
from taxops.compatibility.comparable import comparable
from taxops.file_check import CheckedFile, check_file, read_early
from taxops.loading.item_source import items_of
from taxops.models.taxonomy import Taxonomy
from taxops.repo_layout import is_release


def check_pair(
    first: Path, second: Path, root: Path | None, *, lazy: bool = True, jobs: int | None = None
) -> tuple[CheckedFile, CheckedFile]:
    """Both files checked (:func:`~taxops.file_check.check_file`), the first
    in a worker where one can be forked and ``jobs`` (the user's ``--jobs``)
    allows it.

    With ``lazy``, a version read from a cache entry has its labels built
    when read, and the other version's labels get their digests: comparing
    them reads only the labels that changed. A comparison that meets a
    damaged entry (:class:`~taxops.models.lazy_labels.Damaged`) checks the
    pair again without ``lazy``."""
    both_cached = is_release(first) and is_release(second) and cache_folder() is not None
    pair = None
    # Two releases with the cache on are read from it: a worker would only
    # read what this process then reads again.
    if not both_cached and forked.unavailable(jobs) is None:
        pair = _side_by_side(first, second, root, lazy)
    if pair is None:
        pair = (
            check_file(first, root, lazy_release=lazy),
            check_file(second, root, lazy_release=lazy),
        )
    return _comparable(*pair) if lazy else pair


def _side_by_side(
    first: Path, second: Path, root: Path | None, lazy: bool
) -> tuple[CheckedFile, CheckedFile] | None:
    """The first file checked by a worker, the second here, at the same time;
    None when no worker could be started (the caller loads both)."""
    # A release goes to the user's cache when it is on, as a check of it would.
    to_cache = is_release(first) and cache_folder() is not None
    try:
        private = None if to_cache else forked.private_folder()
    except OSError:  # no temporary folder to hand the version over in
        return None
    try:

        def work() -> object:  # a release already cached is only read, lazily
            return check_file(first, root, lazy_release=True, write_entry_to=private)

        with forked.beside(work) as worker:
            if worker is None:
                return None
            here = check_file(second, root, lazy_release=lazy)
            early = None
            if worker.busy() and here.doc is not None:  # while waiting:
                if lazy:
                    items_of(here.doc, "labels")  # what the comparison by items reads
                if here.doc.locates_by_items():
                    here.doc.item_index("labels")  # where findings are placed
            if worker.busy() and lazy and private is not None:
                # The old file's bytes, to find the hand-over by (a release the
                # worker puts in the user's cache is read from there instead).
                early = read_early(first, root)
            worker.wait()  # whatever became of it, the file is read now (the worker ends meanwhile)
            handed = check_file(
                first, root, lazy_release=lazy, read_entry_from=private, read_early=early
            )
        return handed, here
    finally:
        if private is not None:
            shutil.rmtree(private, ignore_errors=True)


def _comparable(a: CheckedFile, b: CheckedFile) -> tuple[CheckedFile, CheckedFile]:
    """The two versions made cheap to compare
    (:func:`~taxops.compatibility.comparable.comparable`)."""
    if isinstance(a.model, Taxonomy) and isinstance(b.model, Taxonomy):
        a.model, b.model = comparable(a.model, a.doc, b.model, b.doc)
    return a, b
