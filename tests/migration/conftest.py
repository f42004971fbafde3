"""Small taxonomies built in code, for the migration tests."""

from __future__ import annotations

from typing import Any

import pytest
from taxops.models.taxonomy import Taxonomy


def make_taxonomy(
    version: str, labels: list[dict[str, Any]], kind: str = "single-label"
) -> Taxonomy:
    """A taxonomy from label dicts: ``{"id": "a"}`` gets ``name`` from its id."""
    return Taxonomy.model_validate(
        {
            "taxops": "taxonomy/1",
            "id": "demo",
            "title": "Demo",
            "version": version,
            "kind": kind,
            "owners": ["@demo"],
            "labels": [{"name": lbl["id"].upper(), **lbl} for lbl in labels],
        }
    )


@pytest.fixture
def taxonomy():  # type: ignore[no-untyped-def]
    return make_taxonomy
