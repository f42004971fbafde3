"""CODEOWNERS from the owners the governed files declare: a taxonomy's owners own
its folder and its guideline, each policy file's owners own that file. The
lines live in a marked block of the repository's CODEOWNERS file, so the rules a
team wrote by hand stay; the block comes last, so it wins for governed files
(in CODEOWNERS the last matching pattern decides).

``taxops codeowners --write`` writes the block; ``taxops check`` fails when the
committed block differs from what the files say (drift)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from taxops.diagnostics import Diagnostic, Location, Severity
from taxops.escaping import has_unsafe_characters
from taxops.models.common import OWNER_PATTERN
from taxops.repository import Repository

BEGIN = "# BEGIN taxops: generated from the owners in taxonomies/ and policies/"
END = "# END taxops (taxops codeowners --write)"
#: Where GitHub looks for the file, in its order of precedence.
LOCATIONS = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")


@dataclass(frozen=True)
class Entry:
    pattern: str
    owners: tuple[str, ...]


def entries(repo: Repository) -> list[Entry]:
    """One line per governed path that names owners, in a stable order."""
    root = repo.root
    found: list[Entry] = []

    def rel(path: Path) -> str:
        return path.resolve().relative_to(root.resolve()).as_posix() if root else path.as_posix()

    def add(pattern: str, owners: Iterable[str]) -> None:
        # Only what CODEOWNERS reads as one owner, on a path with no line break:
        # an owner '@team\n* @evil' (an error 'taxops validate' reports) or a
        # file named so must never add a line giving @evil every file.
        usable = tuple(o for o in owners if re.fullmatch(OWNER_PATTERN, o))
        if usable and not has_unsafe_characters(pattern):
            found.append(Entry(pattern, usable))

    for taxonomy_id, tax in sorted(repo.taxonomies.items()):
        add(f"/{rel(tax.path.parent)}/", tax.model.owners)
        guideline = repo.guideline_for(taxonomy_id)
        if guideline is not None:
            add(f"/{rel(guideline.path)}", tax.model.owners)
    for governed in sorted(repo.policies.all(), key=lambda g: g.display):
        add(f"/{rel(governed.path)}", getattr(governed.model, "owners", ()))
    return found


def _path(pattern: str) -> str:
    """A path as CODEOWNERS reads it: spaces and '#' escaped."""
    return re.sub(r"([ #\\])", r"\\\1", pattern)


def block(found: Sequence[Entry]) -> str:
    """The generated block, markers included."""
    width = max((len(_path(e.pattern)) for e in found), default=0)
    lines = [BEGIN, "# Do not edit by hand: change 'owners:' in the files, then run it again."]
    lines += [f"{_path(e.pattern):<{width}}  {' '.join(e.owners)}" for e in found]
    return "\n".join([*lines, END]) + "\n"


def find(root: Path) -> Path | None:
    """The repository's CODEOWNERS file, where GitHub would read it."""
    return next((root / p for p in LOCATIONS if (root / p).is_file()), None)


def merged(current: str | None, generated: str) -> str:
    """``current`` with its taxops block replaced by ``generated`` (appended
    when it has none)."""
    if not current:
        return generated
    start, end = current.find(BEGIN), current.find(END)
    if start >= 0 and end > start:
        tail = current[end + len(END) :].removeprefix("\n")
        return current[:start] + generated + tail
    return current.rstrip("\n") + "\n\n" + generated


def drift(root: Path, repo: Repository) -> list[Diagnostic]:
    """An error when the committed CODEOWNERS block differs from the owners the
    files declare. No CODEOWNERS file: nothing to compare (nothing to drift)."""
    path = find(root)
    if path is None:
        return []
    current = path.read_text(encoding="utf-8", errors="replace")
    expected = merged(current, block(entries(repo)))
    if expected == current:
        return []
    display = path.relative_to(root).as_posix()
    start = current.find(BEGIN)
    line = current.count("\n", 0, start) + 1 if start >= 0 else current.count("\n") + 1
    what = (
        "differs from the owners the governed files declare"
        if start >= 0
        else ("has no taxops block: the owners the governed files declare are not in it")
    )
    return [
        Diagnostic(
            "codeowners-drift",
            Severity.ERROR,
            f"{display} {what}",
            Location(display, line),
            "run 'taxops codeowners --write' and commit the result",
        )
    ]


def invalid_owners(repo: Repository) -> Iterable[Diagnostic]:
    """Taxonomy owners CODEOWNERS cannot take (policy files' owners are checked by
    their models)."""
    for tax in repo.taxonomies.values():
        for i, owner in enumerate(tax.model.owners):
            if not re.fullmatch(OWNER_PATTERN, owner):
                yield Diagnostic(
                    "invalid-owner",
                    Severity.ERROR,
                    f"owner '{owner}' of taxonomy '{tax.model.id}' is not one CODEOWNERS "
                    "understands",
                    tax.doc.locate(("owners", i)),
                    "write @user, @org/team or an email address",
                )
