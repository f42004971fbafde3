"""A comparison's cost grows with its changes, never with changes times labels.

Structural, not timed: while two versions are compared, count what used to be
rebuilt per finding (the label index and id table, a pass over a file to
index its items, a YAML composition, a migration-map entry, a batch of places
to locate, a search of a file's text) and check that
removing 20 times more labels does not make any of those counts grow, except
the map entries, one per removed label."""

from __future__ import annotations

import functools
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from taxops.compatibility.compare import Version, compare
from taxops.loading import yaml_source
from taxops.migration import build
from taxops.models.taxonomy import LabelColumns, Taxonomy
from taxops.validate import check_file

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from generate import taxonomy_yaml

LABELS = 3000


def _versions(tmp_path: Path, removed: int) -> tuple[Path, Path]:
    """Version 1 and a version 2 that removes ``removed`` leaves without a
    tombstone (each a label-removed and an unmapped-label finding, located
    at its nearest surviving ancestor) and renames as many others."""
    old = tmp_path / f"old-{removed}.yaml"
    new = tmp_path / f"new-{removed}.yaml"
    text = taxonomy_yaml(LABELS)
    old.write_text(text, encoding="utf-8")
    head, _, body = text.partition("labels:\n")
    items = body.split("  - id: g")[1:]
    leaves = range(LABELS // 10 + 1, LABELS, 2)
    gone = set(list(leaves)[:removed])
    kept = []
    for i, item in enumerate(items):
        if i in gone:
            continue
        block = "  - id: g" + item
        if i + 1 in gone:
            block = block.replace(f"name: Category {i}\n", f"name: Category {i} renamed\n", 1)
        kept.append(block)
    new.write_text(
        head.replace("version: 1.0.0", "version: 2.0.0") + "labels:\n" + "".join(kept),
        encoding="utf-8",
    )
    return old, new


def _count(monkeypatch: pytest.MonkeyPatch, counts: Counter[str]) -> None:
    def spy(name: str, target: Any, attr: str) -> None:
        original: Callable[..., Any] = getattr(target, attr)

        @functools.wraps(original)
        def counted(*args: Any, **kwargs: Any) -> Any:
            counts[name] += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(target, attr, counted)

    spy("column reads (index builds)", LabelColumns, "of")
    spy("YAML compositions", yaml_source, "_compose")
    spy("passes to index a file's items", yaml_source, "_item_offsets")
    spy("map entries built", build, "_fate")
    spy("batches of places located", yaml_source.YamlDocument, "locate_all")
    spy("searches for a top-level key", yaml_source, "_top_key")
    spy("passes counting a file's lines", yaml_source, "_lines_of")
    spy("ends of a top-level entry found", yaml_source, "_end_of_top_entry")

    table = Taxonomy.__dict__["_by_id"]

    def by_id(self: Taxonomy) -> Any:
        counts["id tables built"] += 1
        return table.func(self)

    prop = functools.cached_property(by_id)
    prop.__set_name__(Taxonomy, "_by_id")
    monkeypatch.setattr(Taxonomy, "_by_id", prop)


def _compare(tmp_path: Path, removed: int, monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    old_path, new_path = _versions(tmp_path, removed)
    counts: Counter[str] = Counter()
    with monkeypatch.context() as m:
        m.setattr(yaml_source, "PARTIAL_LOCATE_BYTES", 1)  # locate as a large file does
        old, new = check_file(old_path), check_file(new_path)
        assert isinstance(old.model, Taxonomy) and isinstance(new.model, Taxonomy)
        _count(m, counts)
        comparison = compare(Version(old.model, old.doc, "old"), Version(new.model, new.doc, "new"))
    rules = Counter(d.rule for d in comparison.diagnostics)
    assert rules["label-removed"] == removed
    assert rules["name-changed"] == removed
    assert all(d.location is not None for d in comparison.diagnostics)
    return counts


def test_removing_more_labels_rebuilds_nothing_more(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    few = _compare(tmp_path, 20, monkeypatch)
    many = _compare(tmp_path, 400, monkeypatch)
    entries = "map entries built"
    assert {k: v for k, v in few.items() if k != entries} == {
        k: v for k, v in many.items() if k != entries
    }
    assert many["YAML compositions"] == 0  # every finding located from the line index
    # The rules' findings are located in one batch per file, whatever their number.
    assert many["batches of places located"] == few["batches of places located"]
    assert many["passes to index a file's items"] <= 2  # one per file
    assert many["column reads (index builds)"] <= 2  # one per version
    assert many["id tables built"] <= 2
    # The map is built only for the labels a change is about, not for all 3,000.
    assert few[entries] < 3 * 20 and many[entries] < 3 * 400
