"""The versions a working taxonomy is compared with: its releases on disk, or
its file at a git ref, matched by taxonomy id first, then by path, then by git's
rename detection (a taxonomy folder renamed on the branch still finds its past)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from taxops import gitrepo
from taxops.compatibility.compare import Version
from taxops.diagnostics import Diagnostic, Location, Severity
from taxops.documents import KINDS, MARKER
from taxops.loading import parse_yaml
from taxops.models.taxonomy import TAXONOMY_FORMAT, Taxonomy
from taxops.repo_layout import is_release
from taxops.repository import Governed
from taxops.validate import validate_document


@dataclass(frozen=True)
class RefTaxonomy:
    """A taxonomy file as it is at a git ref: its version when it loads and
    validates, else the first problem."""

    path: str
    id: str | None
    version: Version | None
    problem: Diagnostic | None = None


def taxonomies_at(root: Path, commit: str, shown: str) -> list[RefTaxonomy]:
    """Every working taxonomy file (not release snapshots) at ``commit``;
    positions are shown as ``REF:path:line:col``."""
    out = []
    for path in gitrepo.files_at(root, commit, "taxonomies"):
        if Path(path).suffix not in (".yaml", ".yml") or is_release(Path(path)):
            continue
        raw = gitrepo.read_at(root, commit, path)
        if raw is None:
            continue
        doc, problems = parse_yaml(raw, f"{shown}:{path}")
        if doc is None:
            out.append(RefTaxonomy(path, None, None, problems[0] if problems else None))
            continue
        if doc.data.get(MARKER) != TAXONOMY_FORMAT:
            continue
        model, problems = validate_document(doc, KINDS[TAXONOMY_FORMAT])
        taxonomy_id = doc.data.get("id") if isinstance(doc.data.get("id"), str) else None
        if not isinstance(model, Taxonomy):
            first = next((p for p in problems if p.severity is Severity.ERROR), None)
            out.append(RefTaxonomy(path, taxonomy_id, None, first))
            continue
        out.append(RefTaxonomy(path, model.id, Version(model, doc, f"{shown}:{path}")))
    return out


def match(
    working: dict[str, Governed[Taxonomy]],
    at_ref: list[RefTaxonomy],
    renames: dict[str, str],
) -> tuple[dict[str, RefTaxonomy], list[RefTaxonomy]]:
    """Pair each working taxonomy (by id) with its file at the ref, and list the
    ref's taxonomies that no working one took (deleted on the branch)."""
    paired: dict[str, RefTaxonomy] = {}
    taken: set[str] = set()
    by_id = {r.id: r for r in at_ref if r.id}
    by_path = {r.path: r for r in at_ref}
    renamed_to = {new: old for old, new in renames.items()}
    for taxonomy_id, current in working.items():
        path = _relative(current)
        found = by_id.get(taxonomy_id) or by_path.get(path) or by_path.get(renamed_to.get(path, ""))
        if found is not None and found.path not in taken:
            paired[taxonomy_id] = found
            taken.add(found.path)
    gone = [r for r in at_ref if r.path not in taken and r.id not in working]
    return paired, gone


def _relative(current: Governed[Taxonomy]) -> str:
    return current.display.replace("\\", "/")


def unreadable_location(ref: RefTaxonomy) -> Location | None:
    return ref.problem.location if ref.problem else None
