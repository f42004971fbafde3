"""Released versions: frozen snapshots under ``taxonomies/<id>/releases/``.

A release is immutable: it is what datasets labeled with that version were
labeled against, and the baseline later versions are compared with and
migrated from, so any past version can be compared in a shallow CI clone
without old commits. ``freeze`` writes one; ``snapshot_findings`` and
``unchanged_since`` report snapshots that disagree with their name or with git.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from taxops import gitrepo
from taxops.diagnostics import Diagnostic, TaxopsError
from taxops.models.taxonomy import Taxonomy
from taxops.repo_layout import RELEASES_FOLDER, is_release
from taxops.repository import Governed
from taxops.rules import release_modified, release_version_mismatch
from taxops.versioning.versions import Version
from taxops.writing import write_atomic

#: The editor comment that points at the JSON Schema by a relative path.
_SCHEMA_COMMENT = re.compile(
    r"^(#\s*yaml-language-server:\s*\$schema=)(?!\w+://|/)(\S+)", re.MULTILINE
)


def release_path(taxonomy_file: Path, version: Version) -> Path:
    """Where ``version`` of the taxonomy in ``taxonomy_file`` is frozen."""
    return taxonomy_file.parent / RELEASES_FOLDER / f"{version}.yaml"


def snapshot_text(text: str) -> str:
    """The release's text: the working file byte for byte, except that the
    editor's relative ``$schema=`` path gains one ``../`` (the snapshot sits one
    folder deeper). Comments and formatting stay as written."""
    return _SCHEMA_COMMENT.sub(lambda m: f"{m.group(1)}../{m.group(2)}", text, count=1)


@dataclass(frozen=True)
class Frozen:
    path: Path
    written: bool
    """False when an identical release already existed."""


def freeze(taxonomy_file: Path, taxonomy: Taxonomy) -> Frozen:
    """Write the release snapshot of the working file, atomically. An existing
    identical release is left alone; a different one is never overwritten."""
    text = snapshot_text(taxonomy_file.read_text(encoding="utf-8"))
    target = release_path(taxonomy_file, taxonomy.version)
    if target.exists():
        if target.read_text(encoding="utf-8") == text:
            return Frozen(target, written=False)
        raise TaxopsError(
            f"{target} already exists with different content: version {taxonomy.version} "
            "was released before, and releases never change",
            f"bump 'version:' in {taxonomy_file.name} and release that version",
        )
    write_atomic(target, text)
    return Frozen(target, written=True)


def latest(releases: Iterable[Governed[Taxonomy]]) -> Governed[Taxonomy] | None:
    """The release with the highest version."""
    return max(releases, key=lambda r: r.model.version, default=None)


def snapshot_findings(releases: dict[str, list[Governed[Taxonomy]]]) -> list[Diagnostic]:
    """Snapshots whose ``version:`` disagrees with their file name, or whose
    ``id:`` with the folder they sit in."""
    out = []
    for snapshots in releases.values():
        for snap in snapshots:
            named = snap.path.stem
            if str(snap.model.version) != named:
                out.append(
                    release_version_mismatch.diagnose(
                        snap.display,
                        "version",
                        str(snap.model.version),
                        named,
                        snap.doc.locate(("version",)),
                    )
                )
            folder = snap.path.parent.parent.name
            if snap.model.id != folder:
                out.append(
                    release_version_mismatch.diagnose(
                        snap.display, "id", snap.model.id, folder, snap.doc.locate(("id",))
                    )
                )
    return out


def unchanged_since(root: Path, commit: str, shown_as: str) -> list[Diagnostic]:
    """Release snapshots that differ from ``commit``, or that ``commit`` has and
    the work tree has nowhere (a snapshot moved with its taxonomy folder is fine)."""
    before = {
        path: gitrepo.read_at(root, commit, path)
        for path in gitrepo.files_at(root, commit, "taxonomies")
        if is_release(Path(path))
    }
    now = {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in (root / "taxonomies").glob(f"*/{RELEASES_FOLDER}/*")
        if p.is_file()
    }
    contents = set(now.values())
    out = []
    for path, data in sorted(before.items()):
        if path in now:
            if now[path] != data:
                out.append(release_modified.diagnose(path, shown_as, deleted=False))
        elif data not in contents:
            out.append(release_modified.diagnose(path, shown_as, deleted=True))
    return out
