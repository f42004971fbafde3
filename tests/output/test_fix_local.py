"""A large taxonomy is fixed where the fix touches it: each run of labels an
edit needs, and the ``version:`` entry, are round tripped alone. The result
must be exactly what round tripping the whole file gives, on every taxonomy
file of the repository and the fix tests' shapes, for tombstones (with and
without accepted suggestions), review replacements and version bumps; and a
large file must never be round tripped whole (that took 6 minutes and 1.6 GB
on a 150,000-code taxonomy)."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from taxops.changes import diff
from taxops.fixes import yaml_edit
from taxops.fixes.plan import FixPlan, plan_labels
from taxops.loading import parse_yaml
from taxops.loading.yaml_source import _end_of_top_entry, _item_offsets
from taxops.models.taxonomy import Taxonomy

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "benchmarks"))
from generate import taxonomy_yaml


def _taxonomies() -> list[tuple[str, str]]:
    files = sorted((REPO / "taxonomies").rglob("*.yaml")) + sorted((REPO / "tests").rglob("*.yaml"))
    texts = [
        (str(p.relative_to(REPO)), p.read_text(encoding="utf-8", errors="replace")) for p in files
    ]
    texts = [(n, t) for n, t in texts if "taxops: taxonomy/1" in t]
    return [*texts, ("generated", taxonomy_yaml(80))]


def _model(text: str) -> Taxonomy | None:
    doc, _ = parse_yaml(text, "t.yaml")
    try:
        return None if doc is None else Taxonomy.model_validate(doc.data)
    except ValueError:
        return None


def _removed(text: str, gone: set[int]) -> str:
    """``text`` without the labels ``gone`` (their lines cut out, as a user
    deleting them would)."""
    starts = _item_offsets(text, "labels")
    assert starts is not None
    bounds = [*starts, _end_of_top_entry(text, starts[-1])]
    kept = (text[bounds[i] : bounds[i + 1]] for i in range(len(starts)) if i not in gone)
    return text[: bounds[0]] + "".join(kept) + text[bounds[-1] :]


def test_local_edits_equal_the_whole_round_trip() -> None:
    rng = random.Random(20261205)
    compared = declined = 0
    for name, text in _taxonomies():
        old = _model(text)
        if old is None or len(old.labels) < 3 or _item_offsets(text, "labels") is None:
            continue
        for trial in range(2):
            gone = set(
                rng.sample(range(len(old.labels)), rng.randrange(1, len(old.labels) // 3 + 2))
            )
            edited = _removed(text, gone)
            new = _model(edited)
            if new is None:
                continue
            plan = plan_labels(diff(old, new), accept=0.5 if trial else None)
            plan.version = rng.choice([None, "9.9.9", "2024"])
            if not plan:
                continue
            local = yaml_edit._apply_locally(edited, plan)
            if local is None:
                declined += 1
                continue
            assert local == yaml_edit._apply_whole(edited, plan), (name, trial)
            compared += 1
    assert compared > 300
    assert declined < compared // 10  # labels holding an alias to another label's anchor


def test_a_large_file_is_never_round_tripped_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    text = taxonomy_yaml(300)
    monkeypatch.setattr(yaml_edit, "LOCAL_EDIT_CHARS", len(text) // 2)  # large
    old = _model(text)
    assert old is not None
    edited = _removed(text, set(range(5, 300, 13)) | {0, 299})
    new = _model(edited)
    assert new is not None
    plan = plan_labels(diff(old, new))
    plan.version = "2.0.0"
    assert len(plan.tombstones) > 20
    whole = yaml_edit._apply_whole(edited, plan)

    def refuse(text: str, plan: FixPlan) -> str:
        raise AssertionError("the whole file was round tripped")

    monkeypatch.setattr(yaml_edit, "_apply_whole", refuse)
    assert yaml_edit.apply(edited, plan) == whole
