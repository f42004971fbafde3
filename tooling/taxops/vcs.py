"""git access, as a few small verbs returning plain data. Everything else in
taxops works on text and models; only these functions run git."""

from __future__ import annotations

import subprocess
from pathlib import Path


def file_at(root: Path, ref: str, path: Path) -> str | None:
    """The text of ``path`` as committed at ``ref`` (``HEAD``, ``origin/main``), or
    None when git is missing, ``root`` is not in a git work tree, or the file is not
    in that commit."""
    try:
        relative = path.resolve().relative_to(root.resolve())
    except ValueError:
        return None
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "show", f"{ref}:./{relative.as_posix()}"],
            capture_output=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.decode("utf-8", errors="replace")
