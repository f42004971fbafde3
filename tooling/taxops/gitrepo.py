"""git access for compatibility checks, as a few small verbs returning plain
data (paths, bytes, commit ids). Nothing else in the compatibility code imports
git; tests make real repositories in temporary folders.

Built on GitPython, which drives the ``git`` command: a shallow CI clone must
have fetched the ref it compares against (``fetch-depth: 0``, or ``git fetch
origin main``).
"""

from __future__ import annotations

from pathlib import Path

import git

from taxops.diagnostics import TaxopsError


class GitError(TaxopsError):
    """A git ref or repository taxops cannot use."""


def _repo(root: Path) -> git.Repo:
    try:
        return git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError) as exc:
        raise GitError(
            f"{root} is not inside a git repository",
            "run in a clone of the repository, or compare with the last release (no --against)",
        ) from exc


def work_tree(root: Path) -> Path | None:
    """The top folder of the git work tree holding ``root``, or None outside git."""
    try:
        tree = git.Repo(root, search_parent_directories=True).working_tree_dir
    except (git.InvalidGitRepositoryError, git.NoSuchPathError, git.GitCommandNotFound):
        return None
    return Path(tree) if tree else None


def has_commits(root: Path) -> bool:
    """Whether the repository has a HEAD commit yet."""
    try:
        _repo(root).head.commit  # noqa: B018 - raises on an unborn branch
    except (ValueError, GitError):
        return False
    return True


def resolve(root: Path, ref: str) -> str:
    """The commit id a ref (branch, tag, commit, ``origin/main``) names."""
    try:
        return str(_repo(root).commit(ref).hexsha)
    except (git.BadName, ValueError, git.GitCommandError) as exc:
        raise GitError(
            f"unknown git ref '{ref}'",
            "fetch it first (in CI: actions/checkout with fetch-depth: 0, or git fetch origin main)",
        ) from exc


def merge_base(root: Path, ref: str, other: str = "HEAD") -> str:
    """The commit where ``other`` forked from ``ref`` (what a pull request is
    compared with)."""
    repo = _repo(root)
    bases = repo.merge_base(resolve(root, ref), resolve(root, other))
    if not bases:
        raise GitError(f"'{ref}' and '{other}' have no common ancestor")
    return str(bases[0].hexsha)


def short(root: Path, commit: str) -> str:
    return str(_repo(root).git.rev_parse("--short", commit))


def files_at(root: Path, commit: str, folder: str) -> list[str]:
    """Paths (relative to the repository root, '/'-separated) of every file under
    ``folder`` at ``commit``."""
    repo = _repo(root)
    prefix = _prefix(repo, root)
    try:
        tree = repo.commit(commit).tree / (prefix + folder).strip("/")
    except KeyError:
        return []
    blobs = [item for item in tree.traverse() if getattr(item, "type", None) == "blob"]
    return sorted(str(getattr(item, "path", ""))[len(prefix) :] for item in blobs)


def read_at(root: Path, commit: str, path: str) -> bytes | None:
    """The bytes of ``path`` at ``commit``, or None when it is not there."""
    repo = _repo(root)
    try:
        blob = repo.commit(commit).tree / (_prefix(repo, root) + path)
    except KeyError:
        return None
    return bytes(blob.data_stream.read())


def renames_since(root: Path, commit: str, folder: str) -> dict[str, str]:
    """Files under ``folder`` renamed between ``commit`` and the work tree
    (committed, staged or not), as git's rename detection sees them: old -> new."""
    repo = _repo(root)
    prefix = _prefix(repo, root)
    out = repo.git.diff("--name-status", "-M", commit, "--", str(root / folder))
    renames: dict[str, str] = {}
    for line in out.splitlines():
        parts = line.split("\t")
        if parts[0].startswith("R") and len(parts) == 3:
            renames[parts[1][len(prefix) :]] = parts[2][len(prefix) :]
    return renames


def _prefix(repo: git.Repo, root: Path) -> str:
    """Where the governance repository sits inside the git work tree ('' at its top)."""
    top = Path(repo.working_tree_dir or root).resolve()
    relative = root.resolve().relative_to(top).as_posix()
    return "" if relative == "." else relative + "/"


def file_at(root: Path, ref: str, path: Path) -> str | None:
    """The text of ``path`` as committed at ``ref`` (``HEAD``, ``origin/main``), or
    None when ``root`` is not in a git work tree, the ref is unknown, or the file
    is not in that commit. For checks that compare with the committed version
    and simply have nothing to compare with outside git."""
    try:
        relative = path.resolve().relative_to(root.resolve()).as_posix()
        data = read_at(root, resolve(root, ref), relative)
    except (GitError, ValueError, git.GitCommandNotFound):
        return None
    return None if data is None else data.decode("utf-8", errors="replace")
