"""Reading what an export needs from a governance repository: the taxonomy at
the asked version, its guideline and every known version (for stable numbers)."""

from __future__ import annotations

from pathlib import Path

from taxops.diagnostics import TaxopsError
from taxops.interchange.source import ExportSource


def load_source(root: Path, taxonomy_id: str, version: str | None = None) -> ExportSource:
    """The taxonomy at ``version`` (default: the newest release, else the working
    file), with its guideline and history."""
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
