"""Where things are in a governance repository: its root, and a taxonomy's
frozen releases. Plain paths, no parsing: the start of every command (and the
release and map caches) needs these before it knows whether to load anything."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from taxops.documents import governed_folders

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


def display_path(path: Path, root: Path | None) -> str:
    """Paths are shown relative to the repository root (as CI annotations need)."""
    try:
        if root is not None:
            return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        pass
    return str(path)


def governed_files(root: Path) -> list[Path]:
    """Every YAML file under the governed folders, in a stable order."""
    found: list[Path] = []
    for folder in governed_folders():
        base = root / folder
        if base.is_dir():
            found += [
                p
                for p in base.rglob("*")
                if p.suffix in (".yaml", ".yml")
                and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(root).parts)
            ]
    return sorted(found)


def expand(paths: Iterable[Path], root: Path | None) -> list[Path]:
    """Files named on the command line; folders expand to the YAML files inside."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(q for q in p.rglob("*") if q.suffix in (".yaml", ".yml") and q.is_file())
        else:
            out.append(p)
    return out
