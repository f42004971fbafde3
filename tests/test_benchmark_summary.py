"""The README's performance figures are the benchmark scripts' own: the section
is what ``benchmarks/readme_summary.py`` makes of the committed results."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _summary() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "readme_summary", ROOT / "benchmarks" / "readme_summary.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_readme_quotes_the_committed_results() -> None:
    summary = _summary()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert summary.replaced(readme, summary.section()) == readme, (
        "README.md's performance section differs from the results: "
        "run python benchmarks/readme_summary.py --write"
    )


def test_the_section_shows_each_aim_with_its_baseline_and_load(tmp_path: Path) -> None:
    summary = _summary()
    cells = [
        {
            "case": "c",
            "variant": "plain",
            "seconds": 2.0,
            "peak_mb": 100,
            "cpu_seconds": 1.0,
            "load": 0.5,
            "baseline": True,
        },
        {
            "case": "c",
            "variant": "taxops",
            "seconds": 3.0,
            "peak_mb": 120,
            "cpu_seconds": 2.5,
            "load": 1.5,
            "baseline": False,
        },
    ]
    aims = [
        {"what": "taxops / plain", "value": 1.5, "limit": 1.3, "unit": "x", "met": False},
        {"what": "peak", "value": 120, "limit": 1000, "unit": "MB", "met": True},
    ]
    data = {"machine": {"date": "2026-12-05 06:00 UTC"}, "cells": cells, "aims": aims}
    (tmp_path / "relabel.json").write_text(json.dumps(data), encoding="utf-8")
    text = summary.section(tmp_path)
    assert "| taxops / plain | 1.50x | <= 1.3x | **not met** |" in text
    assert "| peak | 120 MB | <= 1,000 MB | met |" in text
    assert "2026-12-05 06:00 UTC (0.5-1.5)" in text
    assert (
        "- `relabel`, c: **plain** 2.00 s (1.00 s CPU), 100 MB; taxops 1.50x wall, 2.50x CPU"
        in text
    )
    assert "`load_taxonomy`" in text.rsplit("Not measured", 1)[1]


def test_a_readme_without_the_markers_is_refused() -> None:
    with pytest.raises(SystemExit):
        _summary().replaced("# no section\n", "body")
