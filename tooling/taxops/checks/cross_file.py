"""Checks that need several files at once, run after every file was checked on
its own: each guideline against its taxonomy, its media against the repository's
files, and (when a previous version is at hand) against its previous version; the
policies against each other, the taxonomies and the guidelines."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath

from taxops.checks.deadlines import Deadlines
from taxops.checks.guideline_coverage import check_against_taxonomy
from taxops.checks.guideline_history import check_against_previous
from taxops.checks.guideline_media import check_media
from taxops.checks.policies import check_policies
from taxops.diagnostics import Diagnostic, Severity
from taxops.loading import parse_yaml
from taxops.loading.yaml_source import line_feeds
from taxops.models.guideline import Guideline
from taxops.models.taxonomy import Taxonomy
from taxops.repository import Governed, Repository

#: The committed text of a file (e.g. at git HEAD), or None when there is none.
PreviousText = Callable[[Path], str | None]


def check_repository(
    repo: Repository, previous: PreviousText | None = None, deadlines: Deadlines | None = None
) -> list[Diagnostic]:
    """Every cross-file finding, located in the file to fix. ``deadlines`` says
    what day it is for contracts, certifications and retention (default: today)."""
    out: list[Diagnostic] = [_shadowed(left, used) for left, used in repo.shadowed]
    out += check_policies(repo, deadlines or Deadlines())
    claimed: dict[str, Governed[Guideline]] = {}
    for g in repo.guidelines:
        out += _one_guideline_per_taxonomy(g, claimed)
        tax = repo.taxonomies.get(g.model.taxonomy)
        if tax is None:
            out.append(_unknown_taxonomy(g, repo))
        else:
            out += check_against_taxonomy(g.model, g.doc, tax.model)
        out += check_media(g.model, g.doc, _folder(g, repo.root), repo.root)
        if previous is not None:
            out += _against_previous(g, previous(g.path), tax.model if tax else None)
    return out


def _one_guideline_per_taxonomy(
    g: Governed[Guideline], claimed: dict[str, Governed[Guideline]]
) -> Iterator[Diagnostic]:
    first = claimed.setdefault(g.model.taxonomy, g)
    if first is not g:
        yield Diagnostic(
            "duplicate-guideline",
            Severity.ERROR,
            f"taxonomy '{g.model.taxonomy}' already has a guideline, {first.display}",
            g.doc.locate(("taxonomy",)),
            "keep one guideline per taxonomy: merge the two files",
        )


def _shadowed(left: Governed[Taxonomy], used: Governed[Taxonomy]) -> Diagnostic:
    return Diagnostic(
        "duplicate-taxonomy-id",
        Severity.ERROR,
        f"taxonomy id '{left.model.id}' is declared by two files, {left.display} and "
        f"{used.display}; taxops uses {used.display} and ignores this one",
        left.doc.locate(("id",)),
        f"give this taxonomy its own id, or delete the copy; a taxonomy lives in "
        f"taxonomies/{left.model.id}/taxonomy.yaml",
    )


def _unknown_taxonomy(g: Governed[Guideline], repo: Repository) -> Diagnostic:
    known = ", ".join(sorted(repo.taxonomies)) or "none"
    return Diagnostic(
        "unknown-taxonomy",
        Severity.ERROR,
        f"this guideline is for taxonomy '{g.model.taxonomy}', which is not in taxonomies/",
        g.doc.locate(("taxonomy",)),
        f"known taxonomies: {known}",
    )


def _folder(g: Governed[Guideline], root: Path | None) -> PurePosixPath:
    if root is not None:
        try:
            return PurePosixPath(g.path.resolve().parent.relative_to(root.resolve()).as_posix())
        except ValueError:
            pass
    return PurePosixPath(".")


def _against_previous(
    g: Governed[Guideline], text: str | None, tax: Taxonomy | None
) -> list[Diagnostic]:
    if text is None or line_feeds(text) == g.doc.text:  # read as the working file is
        return []  # a new file, or unchanged since the previous version
    doc, problems = parse_yaml(text, g.display)
    if doc is None or problems:
        return []
    try:
        previous = Guideline.model_validate(doc.data)
    except ValueError:
        return []  # the previous version was broken: nothing to compare against
    return list(check_against_previous(g.model, g.doc, previous, tax))
