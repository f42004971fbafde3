"""Agreement figures against independent reference implementations, to 1e-9:
the ``krippendorff`` package, statsmodels, scikit-learn and irrCAC (test extras,
never imported by taxops). Data go through the real reading path: files on
disk, read and reduced by DuckDB."""

from __future__ import annotations

import csv
import json
import warnings
from pathlib import Path
from typing import Any

import krippendorff
import numpy as np
import pandas as pd
import pytest
from irrCAC.raw import CAC
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters, cohens_kappa
from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss_kappa
from taxops.engines.annotations import read_annotations
from taxops.quality.agreement import alpha, cohen_kappa, fleiss_kappa, gwet_ac1, per_label

TOL = 1e-9
NaN = float("nan")


def _ratings(
    seed: int, items: int, raters: int, labels: int, agree: float, missing: float, skew: float = 0
) -> np.ndarray[Any, Any]:
    """items x raters label codes (NaN: not rated). ``agree``: chance a rater
    copies the first rater; ``skew``: chance a first rating is label 0."""
    rng = np.random.default_rng(seed)
    first = np.where(rng.random(items) < skew, 0, rng.integers(0, labels, items))
    data = rng.integers(0, labels, size=(items, raters)).astype(float)
    data[:, 0] = first
    copy = rng.random((items, raters)) < agree
    data[copy] = np.repeat(first[:, None], raters, 1)[copy]
    data[rng.random((items, raters)) < missing] = NaN
    return data


DATASETS = {
    "complete": _ratings(1, 300, 3, 4, 0.6, 0.0),
    "missing-values": _ratings(2, 400, 5, 5, 0.5, 0.3),
    "skewed": _ratings(3, 500, 3, 3, 0.7, 0.1, skew=0.92),
    "two-raters": _ratings(4, 250, 2, 6, 0.55, 0.0),
    "many-labels-sparse": _ratings(5, 600, 8, 12, 0.45, 0.6),
}


def _write_csv(data: np.ndarray[Any, Any], path: Path) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["item", "annotator", "label", "vendor"])
        for i, row in enumerate(data):
            for j, v in enumerate(row):
                if not np.isnan(v):
                    out.writerow([f"item-{i}", f"rater-{j}", f"label-{int(v)}", f"v{j % 2}"])
    return path


def _labels(data: np.ndarray[Any, Any]) -> list[str]:
    return sorted({f"label-{int(v)}" for v in data.flat if not np.isnan(v)})


def _frame(data: np.ndarray[Any, Any]) -> pd.DataFrame:
    rows = data[~np.all(np.isnan(data), axis=1)]
    return pd.DataFrame(rows)


@pytest.fixture(params=sorted(DATASETS))
def dataset(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[np.ndarray[Any, Any], Any]:
    data = DATASETS[request.param]
    return data, read_annotations(_write_csv(data, tmp_path / "ratings.csv"))


def test_krippendorff_alpha(dataset: tuple[np.ndarray[Any, Any], Any]) -> None:
    data, reduced = dataset
    expected = krippendorff.alpha(reliability_data=data.T, level_of_measurement="nominal")
    assert float(alpha(reduced.overall)) == pytest.approx(expected, abs=TOL)


def test_fleiss_kappa_and_gwet_ac1(dataset: tuple[np.ndarray[Any, Any], Any]) -> None:
    data, reduced = dataset
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cac = CAC(_frame(data), digits=30)
        gwet = cac.gwet()["est"]["coefficient_value"]
        fleiss = cac.fleiss()["est"]["coefficient_value"]
    assert float(gwet_ac1(reduced.overall)) == pytest.approx(gwet, abs=TOL)
    assert float(fleiss_kappa(reduced.overall)) == pytest.approx(fleiss, abs=TOL)
    if not np.isnan(data).any():  # statsmodels needs every item rated by every rater
        table, _ = aggregate_raters(data.astype(int))
        assert float(fleiss_kappa(reduced.overall)) == pytest.approx(
            sm_fleiss_kappa(table), abs=TOL
        )


def test_cohen_kappa_of_every_pair(dataset: tuple[np.ndarray[Any, Any], Any]) -> None:
    data, reduced = dataset
    labels = _labels(data)
    for (a, b), table in reduced.pairs.items():
        i, j = int(a.split("-")[1]), int(b.split("-")[1])
        both = ~np.isnan(data[:, i]) & ~np.isnan(data[:, j])
        x, y = data[both, i], data[both, j]
        if len(set(x) | set(y)) < 2:
            continue
        expected = cohen_kappa_score(x, y)
        assert float(cohen_kappa(table)) == pytest.approx(expected, abs=TOL)
        codes = {f"label-{int(v)}": k for k, v in enumerate(sorted(set(x) | set(y)))}
        square = np.zeros((len(codes), len(codes)))
        for u, v in zip(x, y, strict=True):
            square[codes[f"label-{int(u)}"], codes[f"label-{int(v)}"]] += 1
        assert cohens_kappa(square).kappa == pytest.approx(expected, abs=TOL)
    assert reduced.labels == labels


def test_each_label_as_a_yes_no_decision(dataset: tuple[np.ndarray[Any, Any], Any]) -> None:
    data, reduced = dataset
    figures = per_label(reduced.overall)
    for c, label in enumerate(reduced.labels):
        code = int(label.split("-")[1])
        binary = np.where(np.isnan(data), NaN, (data == code).astype(float))
        expected = krippendorff.alpha(reliability_data=binary.T, level_of_measurement="nominal")
        assert figures["krippendorff_alpha"][c] == pytest.approx(expected, abs=TOL)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cac = CAC(_frame(binary), digits=30)
            gwet = cac.gwet()["est"]["coefficient_value"]
            fleiss = cac.fleiss()["est"]["coefficient_value"]
        assert figures["gwet_ac1"][c] == pytest.approx(gwet, abs=TOL)
        assert figures["fleiss_kappa"][c] == pytest.approx(fleiss, abs=TOL)


def test_multi_label_per_label_and_pooled(tmp_path: Path) -> None:
    """Three labels chosen independently per rating; per label and pooled over
    (item, label) units against krippendorff on the yes/no matrices."""
    rng = np.random.default_rng(7)
    items, raters, q = 200, 4, 3
    truth = rng.random((items, q)) < 0.35
    chose = np.where(rng.random((items, raters, q)) < 0.8, truth[:, None, :], ~truth[:, None, :])
    rated = rng.random((items, raters)) > 0.25
    path = tmp_path / "multi.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for i in range(items):
            for r in range(raters):
                if rated[i, r]:
                    labels = [f"tag-{c}" for c in range(q) if chose[i, r, c]]
                    f.write(json.dumps({"item": i, "annotator": f"r{r}", "label": labels}) + "\n")
    reduced = read_annotations(path)
    assert reduced.multi_label
    figures = per_label(reduced.overall)
    stacked = []
    for c in range(q):
        binary = np.where(rated, chose[:, :, c], NaN).astype(float)
        stacked.append(binary)
        expected = krippendorff.alpha(reliability_data=binary.T, level_of_measurement="nominal")
        assert figures["krippendorff_alpha"][c] == pytest.approx(expected, abs=TOL)
    pooled = np.concatenate(stacked, axis=0)
    expected = krippendorff.alpha(reliability_data=pooled.T, level_of_measurement="nominal")
    assert float(alpha(reduced.overall)) == pytest.approx(expected, abs=TOL)
