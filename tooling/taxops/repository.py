"""All governed files of a repository, loaded together and indexed for what spans
files: a guideline and its taxonomy, a taxonomy and its releases, the policies
and what they name. Built from the
per-file results of :mod:`taxops.validate`; read by the cross-file checks and by
the site."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from pydantic import BaseModel

from taxops.governed import Governed
from taxops.loading import YamlDocument
from taxops.models.guideline import Guideline
from taxops.models.taxonomy import Taxonomy
from taxops.policies import Policies
from taxops.repo_layout import is_release

__all__ = ["Governed", "LoadedFile", "Repository", "assemble", "is_release"]


class LoadedFile(Protocol):
    """What the repository needs of a checked file (validate.CheckedFile fits)."""

    path: Path
    display: str
    doc: YamlDocument | None
    model: BaseModel | None


@dataclass
class Repository:
    root: Path | None
    #: The working version of each taxonomy (taxonomies/<id>/taxonomy.yaml), by id.
    taxonomies: dict[str, Governed[Taxonomy]] = field(default_factory=dict)
    #: Released snapshots of each taxonomy, oldest first, by taxonomy id.
    releases: dict[str, list[Governed[Taxonomy]]] = field(default_factory=dict)
    #: Guideline files, in path order.
    guidelines: list[Governed[Guideline]] = field(default_factory=list)
    #: Working files that declare a taxonomy id another file already holds:
    #: (the file left out, the file used). Reported as an error.
    shadowed: list[tuple[Governed[Taxonomy], Governed[Taxonomy]]] = field(default_factory=list)
    #: Vendors, SLAs, quality plans, the privacy policy, datasets, specs, workflows.
    policies: Policies = field(default_factory=Policies)

    def guideline_for(self, taxonomy_id: str) -> Governed[Guideline] | None:
        return next((g for g in self.guidelines if g.model.taxonomy == taxonomy_id), None)


def _add_working(repo: Repository, tax: Governed[Taxonomy]) -> None:
    """One working file per taxonomy id. When two declare the same id, the one in
    the folder named after the id is the taxonomy (a copy elsewhere must never
    silently take its place), else the first by path; the other is recorded."""
    taxonomy_id = tax.model.id
    held = repo.taxonomies.get(taxonomy_id)
    if held is None:
        repo.taxonomies[taxonomy_id] = tax
    elif tax.path.parent.name == taxonomy_id and held.path.parent.name != taxonomy_id:
        repo.taxonomies[taxonomy_id] = tax
        repo.shadowed.append((held, tax))
    else:
        repo.shadowed.append((tax, held))


def assemble(files: Iterable[LoadedFile], root: Path | None) -> Repository:
    """Index the valid files by what they are; invalid ones were reported already."""
    repo = Repository(root)
    for f in sorted(files, key=lambda f: f.display):
        if f.doc is None or f.model is None:
            continue
        if isinstance(f.model, Taxonomy):
            governed_tax = Governed(f.path, f.display, f.doc, f.model)
            if is_release(f.path):
                repo.releases.setdefault(f.model.id, []).append(governed_tax)
            else:
                _add_working(repo, governed_tax)
        elif isinstance(f.model, Guideline):
            repo.guidelines.append(Governed(f.path, f.display, f.doc, f.model))
        else:
            repo.policies.add(Governed(f.path, f.display, f.doc, f.model))
    for snapshots in repo.releases.values():
        snapshots.sort(key=lambda s: s.model.version)
    return repo
