"""Fixtures for the foundation tests: small governance repositories made on disk."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]

VALID_TAXONOMY = """\
taxops: taxonomy/1
id: pets
title: Pet photos
version: 1.0.0
kind: hierarchical
owners: ["@pets-team"]
labels:
  - id: animal
    name: Animal
  - id: animal.dog
    name: Dog
    parent: animal
    definition: A domestic dog of any breed.
"""

BROKEN_TAXONOMY = VALID_TAXONOMY.replace("parent: animal\n", "parent: animals\n")

MakeRepo = Callable[..., Path]


@pytest.fixture
def make_repo(tmp_path: Path) -> MakeRepo:
    """``make_repo(pets=TEXT, ...)``: a governance repository with one taxonomy
    per keyword (``taxonomies/<id>/taxonomy.yaml``). Default: one valid taxonomy."""

    def make(**taxonomies: str) -> Path:
        repo = tmp_path / "repo"
        (repo / "taxonomies").mkdir(parents=True, exist_ok=True)
        for taxonomy_id, text in (taxonomies or {"pets": VALID_TAXONOMY}).items():
            folder = repo / "taxonomies" / taxonomy_id.replace("_", "-")
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "taxonomy.yaml").write_text(text, encoding="utf-8")
        return repo

    return make
