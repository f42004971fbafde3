"""Names a user typed that match nothing: one error that says what exists and
the closest match. A typo in CI (``taxops check support-intent``) must fail
loudly, never compare nothing and pass."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from taxops.checks.common import did_you_mean
from taxops.diagnostics import TaxopsError


def unknown_name(
    kind: str, value: str, known: Iterable[str], where: str = "", plural: str = "taxonomies"
) -> TaxopsError:
    """The error for a ``kind`` named ``value`` that is not among ``known``
    (``plural`` names what ``known`` lists)."""
    names = sorted(set(known))
    # The closest name, or the same one in another case: names compare exactly.
    listed = ", ".join(f"'{n}'" for n in names[:20]) + (" ..." if len(names) > 20 else "")
    hint = " ".join(
        part for part in (did_you_mean(value, names), f"known {plural}: {listed or 'none'}") if part
    )
    return TaxopsError(f"no {kind} '{value}'{where}", hint)


def taxonomy_folders(root: Path) -> list[str]:
    """The taxonomy ids a repository has a folder for (``taxonomies/<id>/``)."""
    folder = root / "taxonomies"
    return sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []


def taxonomy_folder(root: Path, taxonomy_id: str) -> Path:
    """``taxonomies/<id>/`` of an existing taxonomy; the id is looked up among the
    folders, so it can never name a path outside them (``..``, ``/etc``)."""
    known = taxonomy_folders(root)
    if taxonomy_id not in known:
        raise unknown_name("taxonomy", taxonomy_id, known, f" in {root / 'taxonomies'}")
    return root / "taxonomies" / taxonomy_id
