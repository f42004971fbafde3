"""Where things are in a governance repository: its root, and a taxonomy's
frozen releases. Plain paths, no parsing: the start of every command (and the
release and map caches) needs these before it knows whether to load anything."""

from __future__ import annotations

import os
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


def leaves_repository(path: Path, root: Path) -> bool:
    """Whether a file that lies in the repository is, through a symbolic link
    (to the file or to a folder on its way), a file outside it. A file named
    on the command line outside the repository is the user's choice and is
    read; a link a pull request adds is not (CI would read, and echo in its
    findings, whatever the link points at)."""
    real_root = root.resolve()
    if path.resolve().is_relative_to(real_root):
        return False
    written = Path(os.path.abspath(path))
    if written.is_relative_to(os.path.abspath(root)) or written.is_relative_to(real_root):
        return True
    return path.parent.resolve().is_relative_to(real_root)
