"""A guideline naming many labels its taxonomy no longer has (written for an
older version, or after a big removal) is checked in time linear in its
findings: the taxonomy's ids are prepared for suggestions once per check, not
once per finding (1,500 such labels against a 150,000-label taxonomy took 14 s
of folding the ids again and again)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from taxops.checks import common
from taxops.validate import check_paths, governed_files

BASE = Path(__file__).parent / "base"
_MADE = common.IdSuggestions.__init__


def _check(repo: Path, unknown: int, monkeypatch: pytest.MonkeyPatch) -> tuple[int, int]:
    """The unknown-label findings and the suggestion indexes made, for a
    guideline with ``unknown`` entries for labels the taxonomy does not have."""
    shutil.copytree(BASE, repo)
    guideline = repo / "guidelines" / "shop-intents.yaml"
    gone = "".join(
        f"  - label: gone.label_{n}\n    definition: A label the taxonomy no longer has.\n"
        for n in range(unknown)
    )
    text = guideline.read_text(encoding="utf-8").replace("\nlabels:\n", "\nlabels:\n" + gone, 1)
    guideline.write_text(text, encoding="utf-8")
    made = []

    def counting(self: common.IdSuggestions, ids: object) -> None:
        made.append(ids)
        _MADE(self, ids)  # type: ignore[arg-type]

    monkeypatch.setattr(common.IdSuggestions, "__init__", counting)
    checked = check_paths(governed_files(repo), repo)
    found = [d for c in checked for d in c.diagnostics if d.rule == "unknown-label"]
    assert all(d.hint for d in found)
    return len(found), len(made)


def test_many_unknown_labels_prepare_the_ids_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TAXOPS_NO_CACHE", "1")  # both runs check every release
    few = _check(tmp_path / "few", 4, monkeypatch)
    many = _check(tmp_path / "many", 400, monkeypatch)
    assert (few[0], many[0]) == (4, 400)
    assert many[1] == few[1]
