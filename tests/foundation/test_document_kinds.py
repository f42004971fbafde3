"""The registry of governed file kinds names each kind's model and checks
instead of importing them (a command reading one taxonomy loads no policy
model, and finding a file's kind loads none): the names must resolve, and each
kind's marker must be the one its model accepts."""

from __future__ import annotations

import typing

import pytest
from fresh_process import modules_after
from taxops.documents import KINDS, TAXONOMY
from taxops.models.taxonomy import TAXONOMY_FORMAT


@pytest.mark.parametrize("kind", KINDS.values(), ids=KINDS.keys())
def test_each_kind_resolves_and_its_model_takes_its_marker(kind) -> None:  # type: ignore[no-untyped-def]
    assert callable(kind.check)
    marker = kind.model.model_fields["taxops"].annotation
    assert typing.get_args(marker) == (kind.format,)


def test_the_taxonomy_marker_is_the_models() -> None:
    assert TAXONOMY == TAXONOMY_FORMAT


def test_the_registry_and_the_policies_load_no_model() -> None:
    loaded = modules_after("import taxops.documents, taxops.policies")
    loaded = {m for m in loaded if m.startswith(("taxops.models.", "pydantic"))}
    assert loaded <= {"taxops.models.dataset_formats"}
