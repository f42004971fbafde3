"""git access for compatibility checks, as a few small verbs returning plain
data (paths, bytes, commit ids). Nothing else in the compatibility code imports
git; tests make real repositories in temporary folders.

Built on GitPython, which drives the ``git`` command. GitPython is imported
only when a git feature is used (``validate`` and ``migrate`` run where git is
not installed), and refs are resolved by ``git rev-parse`` itself, so every
revision syntax git knows (``@{-1}``, ``HEAD@{yesterday}``, ``main~2``) means
what it means in git. A shallow CI clone must have fetched the ref it compares
against (``fetch-depth: 0``, or ``git fetch origin main``); the messages say so.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from taxops.diagnostics import TaxopsError

if TYPE_CHECKING:
    import git

FETCH_HINT = (
    "fetch it first (in CI: actions/checkout with fetch-depth: 0, or git fetch origin main)"
)
SHALLOW_HINT = (
    "this is a shallow clone, which lacks older commits: fetch the history "
    "(in CI: actions/checkout with fetch-depth: 0; locally: git fetch --unshallow)"
)


class GitError(TaxopsError):
    """A git ref or repository taxops cannot use."""


def _git() -> ModuleType:
    """GitPython, imported on first use; a clear error when git is missing."""
    if shutil.which("git") is None:
        raise GitError(
            "git is not installed (no 'git' command on PATH), and this needs it",
            "install git, or compare with the last release (leave out --against)",
        )
    try:
        import git
    except ImportError as exc:  # GitPython found no usable git executable
        raise GitError(
            f"git cannot be used: {str(exc).splitlines()[0]}",
            "install git, or compare with the last release (leave out --against)",
        ) from None
    return git


def _repo(root: Path) -> git.Repo:
    gp = _git()
    try:
        return gp.Repo(root, search_parent_directories=True)  # type: ignore[no-any-return]
    except (gp.InvalidGitRepositoryError, gp.NoSuchPathError) as exc:
        raise GitError(
            f"{root} is not inside a git repository",
            "run in a clone of the repository, or compare with the last release (no --against)",
        ) from exc


def work_tree(root: Path) -> Path | None:
    """The top folder of the git work tree holding ``root``, or None outside git
    (or without git installed)."""
    try:
        tree = _repo(root).working_tree_dir
    except GitError:
        return None
    return Path(tree) if tree else None


def has_commits(root: Path) -> bool:
    """Whether the repository has a HEAD commit yet."""
    try:
        return _rev_parse(_repo(root), "HEAD") is not None
    except GitError:
        return False


def is_shallow(root: Path) -> bool:
    """Whether the clone holding ``root`` is shallow (history cut off)."""
    try:
        repo = _repo(root)
    except GitError:
        return False
    try:
        out = repo.git.rev_parse("--is-shallow-repository")
    except _git().GitCommandError:
        return False
    return str(out).strip() == "true"


def _rev_parse(repo: git.Repo, ref: str) -> str | None:
    """The commit ``ref`` names, by ``git rev-parse`` (every syntax git knows),
    or None when git cannot resolve it to a commit."""
    gp = _git()
    if not ref or "\n" in ref or "\x00" in ref:
        return None
    try:
        out = repo.git.rev_parse("--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    except gp.GitCommandError:
        return None
    sha = str(out).strip()
    return sha or None


def resolve(root: Path, ref: str) -> str:
    """The commit id a ref (branch, tag, commit, ``origin/main``, ``HEAD~1``,
    ``@{-1}``, ``HEAD@{yesterday}``) names."""
    repo = _repo(root)
    sha = _rev_parse(repo, ref)
    if sha is None:
        raise GitError(
            f"unknown git ref '{ref}': git cannot resolve it to a commit",
            SHALLOW_HINT if is_shallow(root) else FETCH_HINT,
        )
    return sha


def merge_base(root: Path, ref: str, other: str = "HEAD") -> str:
    """The commit where ``other`` forked from ``ref`` (what a pull request is
    compared with)."""
    gp = _git()
    repo = _repo(root)
    base, head = resolve(root, ref), resolve(root, other)
    try:
        out = str(repo.git.merge_base(base, head)).strip()
    except gp.GitCommandError:
        out = ""
    if not out:
        hint = SHALLOW_HINT if is_shallow(root) else None
        raise GitError(f"'{ref}' and '{other}' have no common ancestor", hint)
    return out.splitlines()[0]


def short(root: Path, commit: str) -> str:
    return str(_repo(root).git.rev_parse("--short", commit))


def files_at(root: Path, commit: str, folder: str) -> list[str]:
    """Paths (relative to the repository root, '/'-separated) of every file under
    ``folder`` at ``commit``."""
    repo = _repo(root)
    prefix = _prefix(repo, root)
    try:
        tree = _commit(root, repo, commit).tree / (prefix + folder).strip("/")
    except KeyError:
        return []
    blobs = [item for item in tree.traverse() if getattr(item, "type", None) == "blob"]
    return sorted(str(getattr(item, "path", ""))[len(prefix) :] for item in blobs)


def read_at(root: Path, commit: str, path: str) -> bytes | None:
    """The bytes of ``path`` at ``commit``, or None when it is not there."""
    repo = _repo(root)
    try:
        blob = _commit(root, repo, commit).tree / (_prefix(repo, root) + path)
    except KeyError:
        return None
    return bytes(blob.data_stream.read())


def _commit(root: Path, repo: git.Repo, commit: str) -> git.Commit:
    """The commit object, or a clear error when its objects are not in this clone
    (a shallow clone knows the ids of commits it never fetched)."""
    try:
        return repo.commit(commit)
    except (ValueError, _git().BadName) as exc:
        raise GitError(
            f"commit {commit[:12]} is not in this clone",
            SHALLOW_HINT if is_shallow(root) else FETCH_HINT,
        ) from exc


def renames_since(root: Path, commit: str, folder: str) -> dict[str, str]:
    """Files under ``folder`` renamed between ``commit`` and the work tree
    (committed, staged or not), as git's rename detection sees them: old -> new."""
    repo = _repo(root)
    prefix = _prefix(repo, root)
    try:
        out = repo.git.diff("--name-status", "-M", commit, "--", str(root / folder))
    except _git().GitCommandError as exc:
        raise GitError(
            f"git cannot compare the work tree with commit {commit[:12]}",
            SHALLOW_HINT if is_shallow(root) else FETCH_HINT,
        ) from exc
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
    except (GitError, ValueError):
        return None
    return None if data is None else data.decode("utf-8", errors="replace")
