"""Models loaded for a command that holds many versions (the site build) are
compacted (:mod:`taxops.models.compact`): instances share their field-name sets
and strings, and read exactly as before. Commands that read one or two
versions do not pay for it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from taxops.file_check import check_file
from taxops.models.taxonomy import Label, Taxonomy

ROOT = Path(__file__).resolve().parents[2]
WORKING = ROOT / "taxonomies" / "support-intents" / "taxonomy.yaml"


def _loaded(path: Path, compact: bool = True) -> Taxonomy:
    model = check_file(path, ROOT, compact_models=compact).model
    assert isinstance(model, Taxonomy)
    return model


def test_labels_share_field_sets_and_read_as_validated() -> None:
    model = _loaded(WORKING)
    plain = Taxonomy.model_validate(model.model_dump(exclude_unset=True))
    assert model == plain  # same values
    assert model.model_dump(exclude_unset=True) == plain.model_dump(exclude_unset=True)
    by_set: dict[frozenset[str], set[int]] = {}
    for label in model.labels:
        by_set.setdefault(frozenset(label.model_fields_set), set()).add(id(label.model_fields_set))
    assert len(model.labels) > len(by_set)  # several labels set the same fields...
    assert all(len(ids) == 1 for ids in by_set.values())  # ...and hold one set for them


def test_a_copy_with_changes_leaves_the_shared_set_alone() -> None:
    model = _loaded(WORKING)
    fields = model.labels[0].model_fields_set
    first, second = [label for label in model.labels if label.model_fields_set == fields][:2]
    assert first.model_fields_set is second.model_fields_set
    before = set(second.model_fields_set)
    changed = first.model_copy(update={"note": "changed"})
    assert "note" in changed.model_fields_set
    assert second.model_fields_set == before
    assert first.model_fields_set == before


def test_versions_share_unchanged_strings() -> None:
    releases = sorted((WORKING.parent / "releases").glob("*.yaml"))
    older, newer = _loaded(releases[0]), _loaded(WORKING)
    old = {label.id: label for label in older.labels}
    same: list[tuple[Label, Label]] = [
        (old[label.id], label)
        for label in newer.labels
        if label.id in old and old[label.id].name == label.name
    ]
    assert same
    for a, b in same:
        assert a.id is b.id and a.name is b.name


def test_only_when_asked() -> None:
    model = _loaded(WORKING, compact=False)
    sets = {id(label.model_fields_set) for label in model.labels}
    assert len(sets) == len(model.labels)  # Pydantic's own: one set per instance


def test_the_site_build_compacts(monkeypatch: pytest.MonkeyPatch) -> None:
    """The site build holds every version at once: it asks for compact models."""
    import taxops.site.build as build
    from taxops.validate import check_paths

    asked: list[bool] = []

    def spy(*args: Any, **kwargs: Any) -> Any:
        asked.append(kwargs.get("compact_models", False))
        return check_paths(*args, **kwargs)

    monkeypatch.setattr(build, "check_paths", spy)
    assert build.build_site(ROOT).pages
    assert asked == [True]
