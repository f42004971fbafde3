"""The validation pipeline, read top to bottom: find the governed files, load each
one safely, validate it against its model, run its in-file checks, then check the
files together (references across files), and collect every diagnostic (nothing
fails fast)."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from pathlib import Path

from taxops.checks.cross_file import check_repository
from taxops.checks.deadlines import Deadlines
from taxops.compatibility.waivers import waive_validation
from taxops.diagnostics import Diagnostic
from taxops.file_check import (
    CheckedFile,
    as_history,
    check_file,
    validate_document,
)
from taxops.gitrepo import file_at
from taxops.loading import DEFAULT_MAX_BYTES
from taxops.loading.ahead import ReadAhead
from taxops.models.waivers import Waivers
from taxops.repo_layout import display_path, expand, find_root, governed_files, is_release
from taxops.repository import assemble

__all__ = [
    "CheckedFile",
    "as_history",
    "check_across_files",
    "check_file",
    "check_paths",
    "display_path",
    "expand",
    "find_root",
    "governed_files",
    "validate_document",
]


def check_paths(
    paths: Iterable[Path],
    root: Path | None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    baseline: str = "HEAD",
    today: datetime.date | None = None,
    deadlines: Deadlines | None = None,
    *,
    compact_models: bool = False,
    lazy_releases: bool = False,
    each: Callable[[CheckedFile], None] | None = None,
    ahead: ReadAhead | None = None,
) -> list[CheckedFile]:
    """Check each file on its own, then the files together (the repository step).
    ``baseline`` is the git ref whose guidelines the history checks compare with:
    HEAD locally (what is about to be committed), the pull request's base in CI.
    ``today`` decides which waivers still apply; ``deadlines`` (default: today,
    the default window) which contracts, certifications and datasets are ending.
    ``compact_models`` and ``lazy_releases`` (``lazy_release`` there): see
    :func:`taxops.file_check.check_file`. ``each`` is
    called with each file once it is checked, before the next one is read (the
    site build keeps a release small there: :mod:`taxops.site.releases`).

    The files are read and parsed ahead on a worker thread
    (:class:`~taxops.loading.ahead.ReadAhead`); a caller that started reading
    them before loading this module passes its ``ahead`` (reading ``paths``)."""
    paths = list(paths)
    if ahead is not None and ahead.paths != paths:
        raise ValueError("check_paths: 'ahead' reads other files than 'paths'")
    checked = []
    with ahead or ReadAhead(paths, root, max_bytes) as reading:
        for path, source in reading.sources():
            checked.append(
                check_file(
                    path,
                    root,
                    max_bytes,
                    compact_models=compact_models,
                    lazy_release=lazy_releases,
                    source=source,
                )
            )
            if each is not None:
                each(checked[-1])
    check_across_files(checked, root, max_bytes, baseline, today, deadlines)
    return checked


def check_across_files(
    checked: list[CheckedFile],
    root: Path | None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    baseline: str = "HEAD",
    today: datetime.date | None = None,
    deadlines: Deadlines | None = None,
) -> None:
    """The repository step: with every governed file loaded, run the checks that
    span files (a guideline against its taxonomy, and against its version at the
    git ref ``baseline``), then apply the waivers scoped to files. Files not named
    are loaded quietly; findings go to the named files."""
    named = {c.path.resolve() for c in checked}
    others = []
    if root is not None:  # release snapshots take part in no cross-file check
        wanted = [p for p in governed_files(root) if p.resolve() not in named and not is_release(p)]
        with ReadAhead(wanted, root, max_bytes) as reading:
            others = [check_file(p, root, max_bytes, source=s) for p, s in reading.sources()]
    repository = assemble(checked + others, root)
    at_head = (lambda path: file_at(root, baseline, path)) if root is not None else None
    by_display = {c.display: c for c in checked}
    deadlines = deadlines or Deadlines(today or datetime.date.today())
    _hand_out(by_display, check_repository(repository, at_head, deadlines))
    waivers = next((f for f in checked + others if isinstance(f.model, Waivers)), None)
    if waivers is not None and isinstance(waivers.model, Waivers) and waivers.doc is not None:
        day = deadlines.today
        _hand_out(by_display, waive_validation(checked, waivers.model, waivers.doc, day))


def _hand_out(by_display: dict[str, CheckedFile], found: list[Diagnostic]) -> None:
    """Give each finding to the checked file it is located in (others are dropped:
    a file not named is loaded only for what the named ones refer to)."""
    for diagnostic in found:
        target = by_display.get(diagnostic.location.path) if diagnostic.location else None
        if target is not None:
            target.diagnostics.append(diagnostic)
