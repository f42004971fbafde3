"""Reading what an export needs from a governance repository: the taxonomy at
the asked version, its guideline and, for stable numbers, every known version."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from taxops.diagnostics import TaxopsError
from taxops.interchange.source import ExportSource

if TYPE_CHECKING:
    from taxops.history import TaxonomyFiles
    from taxops.models.guideline import Guideline
    from taxops.models.taxonomy import Taxonomy


def load_source(
    root: Path, taxonomy_id: str, version: str | None = None, *, history: bool = False
) -> ExportSource:
    """The taxonomy at ``version`` (default: the newest release, else the working
    file), with its guideline; with ``history``, every known version too (COCO
    numbers categories by first appearance).

    Without ``history`` only that version's file and the guideline are read: an
    export of an 89,000-code release need not validate the working draft (a
    second, and a draft that does not validate yet must not stop it). Where the
    file names cannot be trusted to say which file holds the version (a release
    named otherwise), every version is read, as with ``history``."""
    from taxops.history import TaxonomyFiles

    files = TaxonomyFiles.of(root, taxonomy_id)
    if not history:
        alone = _alone(files, version)
        if alone is not None:
            return ExportSource(taxonomy=alone, guideline=_guideline(root, taxonomy_id))
    return _with_history(root, taxonomy_id, version)


def _alone(files: TaxonomyFiles, version: str | None) -> Taxonomy | None:
    """The version read from its own file, or None when that needs every file."""
    from taxops.versioning.versions import parse_version

    if files.unnamed:
        return None
    if version is None:
        if files.named:
            found = files.between(max(files.named), max(files.named))
            return found[0].taxonomy if found else None
        working = files.working()
        return working.model if working is not None else None
    try:
        wanted = parse_version(version)
    except ValueError:
        return None
    if wanted in files.named:
        found = files.between(wanted, wanted)
        return found[0].taxonomy if found and str(found[0].version) == version else None
    working = files.working()
    if working is not None and str(working.model.version) == version:
        return working.model
    return None


def _guideline(root: Path, taxonomy_id: str) -> Guideline | None:
    """The taxonomy's guideline, checked on its own (its wording for labelers)."""
    from taxops.file_check import check_file
    from taxops.history import guideline_file
    from taxops.models.guideline import Guideline

    path = guideline_file(root, taxonomy_id)
    if path is None:
        return None
    model = check_file(path, root).model
    return model if isinstance(model, Guideline) and model.taxonomy == taxonomy_id else None


def _with_history(root: Path, taxonomy_id: str, version: str | None) -> ExportSource:
    from taxops.history import load_repository, newest, versions

    repo = load_repository(root, taxonomy_id)
    known = versions(root, taxonomy_id, repo)
    if version is None:
        wanted = newest(known)
        chosen = next(v for v in known if v.version == wanted)
    else:
        found = [v for v in known if str(v.version) == version]
        if not found:
            listing = ", ".join(str(v.version) for v in known)
            raise TaxopsError(
                f"{taxonomy_id} has no version {version}", f"known versions: {listing}"
            )
        chosen = found[0]
    governed = repo.guideline_for(taxonomy_id)
    return ExportSource(
        taxonomy=chosen.taxonomy,
        guideline=governed.model if governed else None,
        history=tuple(v.taxonomy for v in known),
    )
