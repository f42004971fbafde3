"""Where things are in a governance repository: its root, and a taxonomy's
frozen releases. Plain paths, no parsing: the start of every command (and the
release and map caches) needs these before it knows whether to load anything."""

from __future__ import annotations

from pathlib import Path

#: The folder that holds a taxonomy's frozen snapshots: taxonomies/<id>/releases/.
RELEASES_FOLDER = "releases"


def is_release(path: Path) -> bool:
    """Whether ``path`` is a frozen release snapshot rather than a working file."""
    return path.parent.name == RELEASES_FOLDER


def find_root(start: Path) -> Path | None:
    """The governance repository containing ``start``: the nearest folder with a
    ``taxonomies/`` directory."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / "taxonomies").is_dir():
            return folder
    return None
