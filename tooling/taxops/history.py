"""A taxonomy's versions on disk: the frozen releases under
``taxonomies/<id>/releases/<version>.yaml`` and the working ``taxonomy.yaml``.

Datasets are labeled against releases, so migration steps go release to release;
the working file counts as one more version when its version is not released yet.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

from taxops.changes import diff
from taxops.diagnostics import TaxopsError, has_errors
from taxops.documents import KINDS
from taxops.loading import load_yaml
from taxops.migration import DecisionHint, MigrationMap, build_map, compose
from taxops.migration.hints import hints_from_guideline
from taxops.models.common import SemVer
from taxops.models.taxonomy import TAXONOMY_FORMAT, Taxonomy
from taxops.validate import validate_document


@dataclass(frozen=True)
class Version:
    version: SemVer
    path: Path
    released: bool


def versions(root: Path, taxonomy_id: str) -> list[Version]:
    """Every known version of the taxonomy, oldest first."""
    folder = root / "taxonomies" / taxonomy_id
    if not folder.is_dir():
        known = sorted(p.name for p in (root / "taxonomies").iterdir() if p.is_dir())
        raise TaxopsError(
            f"no taxonomy '{taxonomy_id}' in {root / 'taxonomies'}",
            f"known taxonomies: {', '.join(known) or 'none'}",
        )
    found: dict[SemVer, Version] = {}
    for path in sorted((folder / "releases").glob("*.y*ml")):
        try:
            found[SemVer(path.stem)] = Version(SemVer(path.stem), path, True)
        except ValueError:
            continue
    working = folder / "taxonomy.yaml"
    if working.is_file():
        current = load_taxonomy(working)
        found.setdefault(current.version, Version(current.version, working, False))
    return [found[v] for v in sorted(found)]


def newest(known: list[Version]) -> SemVer:
    """The version datasets migrate to by default: the newest release (a working
    file whose version is not released yet is a draft), else the working file."""
    released = [v.version for v in known if v.released]
    return released[-1] if released else known[-1].version


def load_taxonomy(path: Path) -> Taxonomy:
    """Load and validate one taxonomy file, or say which file is broken."""
    doc, problems = load_yaml(path)
    model = None
    if doc is not None:
        model, problems = validate_document(doc, KINDS[TAXONOMY_FORMAT])
    if model is None or has_errors(problems):
        first = next((p for p in problems), None)
        detail = f": {first.location}: {first.message}" if first else ""
        raise TaxopsError(
            f"{path} is not a valid taxonomy{detail}", f"run 'taxops validate {path}' for details"
        )
    assert isinstance(model, Taxonomy)
    return model


def chain(root: Path, taxonomy_id: str, start: str, end: str | None = None) -> list[Taxonomy]:
    """The versions from ``start`` to ``end`` (default: the newest release), inclusive,
    loaded in order. Both ends must be known versions."""
    known = versions(root, taxonomy_id)
    by_version = {v.version: v for v in known}
    listing = ", ".join(str(v.version) for v in known)
    first = _parse(start)
    last = _parse(end) if end else newest(known)
    for wanted in (first, last):
        if wanted not in by_version:
            raise TaxopsError(
                f"{taxonomy_id} has no version {wanted}",
                f"known versions: {listing} (releases are taxonomies/{taxonomy_id}/releases/*.yaml)",
            )
    if last < first:
        raise TaxopsError(f"cannot migrate backwards, from {first} to {last}")
    return [load_taxonomy(v.path) for v in known if first <= v.version <= last]


def _parse(text: str) -> SemVer:
    try:
        return SemVer(text)
    except ValueError as exc:
        raise TaxopsError(str(exc)) from None


def migration_map(root: Path, taxonomy_id: str, start: str, end: str | None = None) -> MigrationMap:
    """The map from ``start`` to ``end`` (default: the newest release), composed
    from one step per consecutive pair of versions, with the guideline's decision
    rules as hints for reviewers when the taxonomy has a guideline."""
    versions_ = chain(root, taxonomy_id, start, end)
    hints = guideline_hints(root, taxonomy_id)
    if len(versions_) == 1:
        only = versions_[0]
        return compose([build_map(diff(only, only), hints)])
    steps = [build_map(diff(a, b), hints) for a, b in itertools.pairwise(versions_)]
    return compose(steps)


def guideline_hints(root: Path, taxonomy_id: str) -> list[DecisionHint]:
    """Decision rules of the taxonomy's guideline, if it has a valid one."""
    kind = KINDS.get("guideline/1")
    folder = root / "guidelines"
    if kind is None or not folder.is_dir():
        return []
    for path in sorted(folder.rglob("*.y*ml")):
        doc, _ = load_yaml(path)
        if doc is None or doc.data.get("taxonomy") != taxonomy_id:
            continue
        model, _problems = validate_document(doc, kind)
        if model is not None:
            return hints_from_guideline(model)
    return []
