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
from taxops.quality import agreement
from taxops.quality.agreement import (
    alpha,
    coincidences,
    confused_pairs,
    fleiss_kappa,
    gwet_ac1,
    pair_items,
    pair_kappa,
    per_label,
    pooled,
    substituted_pairs,
)

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


@pytest.fixture(autouse=True, params=["dense", "entries"])
def storage(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every comparison runs twice: the counts kept as a dense matrix too (a few
    labels), and read from their entries alone (the path thousands of labels
    take, where patterns x labels would not fit in memory)."""
    if request.param == "entries":
        monkeypatch.setattr(agreement, "DENSE_CELLS", 0)


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
        assert float(pair_kappa(table)) == pytest.approx(expected, abs=TOL)
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


def _multi_ratings(seed: int, items: int, raters: int, prevalence: list[float]) -> Any:
    """items x raters x labels yes/no choices and which ratings exist: each label
    true of an item with its prevalence, chosen with 85 % accuracy, and one
    annotator in three swapping label 0 for label 1 on a third of the items."""
    rng = np.random.default_rng(seed)
    q = len(prevalence)
    truth = rng.random((items, q)) < np.asarray(prevalence)
    chose = np.where(rng.random((items, raters, q)) < 0.85, truth[:, None, :], ~truth[:, None, :])
    swap = (rng.random((items, raters)) < 0.33) & (np.arange(raters) % 3 == 2)[None, :]
    had = chose[:, :, 0].copy()
    chose[:, :, 0] = np.where(swap, False, chose[:, :, 0])
    chose[:, :, 1] = np.where(swap & had, True, chose[:, :, 1])
    rated = rng.random((items, raters)) > 0.3
    return chose, rated


MULTI = {
    "balanced": _multi_ratings(7, 200, 4, [0.35, 0.35, 0.35]),
    "skewed-with-rare-labels": _multi_ratings(8, 400, 6, [0.5, 0.3, 0.1, 0.04, 0.02]),
}


@pytest.fixture(params=sorted(MULTI))
def multi(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Any, Any, Any]:
    chose, rated = MULTI[request.param]
    items, raters, q = chose.shape
    path = tmp_path / "multi.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for i in range(items):
            for r in range(raters):
                if rated[i, r]:
                    labels = [f"tag-{c}" for c in range(q) if chose[i, r, c]]
                    f.write(json.dumps({"item": i, "annotator": f"r{r}", "label": labels}) + "\n")
    reduced = read_annotations(path)
    assert reduced.multi_label and reduced.labels == [f"tag-{c}" for c in range(q)]
    return chose, rated, reduced


def _binary(chose: Any, rated: Any, c: int) -> np.ndarray[Any, Any]:
    """raters x items yes/no for label c (NaN: not rated)."""
    return np.where(rated, chose[:, :, c], NaN).astype(float).T


def _reference_per_label(chose: Any, rated: Any, c: int) -> dict[str, float]:
    binary = _binary(chose, rated, c)
    out = {"krippendorff_alpha": krippendorff.alpha(binary, level_of_measurement="nominal")}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cac = CAC(_frame(binary.T), digits=30)
        out["gwet_ac1"] = cac.gwet()["est"]["coefficient_value"]
        out["fleiss_kappa"] = cac.fleiss()["est"]["coefficient_value"]
    return out


def test_multi_label_each_label_and_their_macro_average(multi: tuple[Any, Any, Any]) -> None:
    """Per label against krippendorff and irrCAC on each label's yes/no matrix;
    the overall figure is their mean over the labels."""
    chose, rated, reduced = multi
    figures = per_label(reduced.overall)
    reference = [_reference_per_label(chose, rated, c) for c in range(chose.shape[2])]
    for metric, function in (
        ("krippendorff_alpha", alpha),
        ("fleiss_kappa", fleiss_kappa),
        ("gwet_ac1", gwet_ac1),
    ):
        expected = [r[metric] for r in reference]
        assert figures[metric] == pytest.approx(expected, abs=TOL)
        assert float(function(reduced.overall)) == pytest.approx(np.mean(expected), abs=TOL)


def test_multi_label_pooled_figure_is_every_decision_in_one_table(
    multi: tuple[Any, Any, Any],
) -> None:
    chose, rated, reduced = multi
    stacked = np.concatenate([_binary(chose, rated, c) for c in range(chose.shape[2])], axis=1)
    expected = krippendorff.alpha(stacked, level_of_measurement="nominal")
    assert float(pooled(reduced.overall)["krippendorff_alpha"]) == pytest.approx(expected, abs=TOL)


def test_multi_label_cohen_kappa_of_a_pair_averages_its_labels(
    multi: tuple[Any, Any, Any],
) -> None:
    """Each pair: scikit-learn's and statsmodels' kappa of each label's yes/no
    decisions on the items both rated, averaged over the labels where defined."""
    chose, rated, reduced = multi
    assert len(reduced.pairs) == chose.shape[1] * (chose.shape[1] - 1) // 2
    for (a, b), shared in reduced.pairs.items():
        i, j = int(a[1:]), int(b[1:])
        both = rated[:, i] & rated[:, j]
        assert pair_items(shared) == int(both.sum())
        kappas = []
        for c in range(chose.shape[2]):
            x, y = chose[both, i, c], chose[both, j, c]
            if len(set(x) | set(y)) < 2:
                continue  # nobody chose it (or always): no kappa
            kappa = cohen_kappa_score(x, y)
            square = np.array([[np.sum(x & y), np.sum(x & ~y)], [np.sum(~x & y), np.sum(~x & ~y)]])
            assert cohens_kappa(square).kappa == pytest.approx(kappa, abs=TOL)
            kappas.append(kappa)
        assert float(pair_kappa(shared)) == pytest.approx(np.mean(kappas), abs=TOL)


def test_multi_label_substitutions_and_labels_used_together(
    multi: tuple[Any, Any, Any],
) -> None:
    """Counted directly from the ratings: for each item and pair of annotators
    who rated it (weight 1 / (m - 1)), the labels one chose where the other chose
    another; and within each rating, the labels chosen together."""
    chose, rated, reduced = multi
    items, raters, q = chose.shape
    substituted, either, together = np.zeros((q, q)), np.zeros((q, q)), np.zeros((q, q))
    for i in range(items):
        who = [r for r in range(raters) if rated[i, r]]
        for r in who:
            together += np.outer(chose[i, r], chose[i, r])
        for x, r in enumerate(who):
            for s in who[x + 1 :]:
                w = 1 / (len(who) - 1)
                a, b = chose[i, r], chose[i, s]
                substituted += w * (np.outer(a & ~b, b & ~a) + np.outer(b & ~a, a & ~b))
                union = a | b
                either += w * np.outer(union, union)
    sets = reduced.label_sets
    assert sets.substituted + sets.substituted.T == pytest.approx(substituted, abs=TOL)
    assert sets.either == pytest.approx(either, abs=TOL)
    assert sets.together == pytest.approx(together, abs=TOL)
    top = substituted_pairs(sets, top=1)[0]
    assert top["labels"] == ["tag-0", "tag-1"]  # the swapping annotator's pair
    assert top["pairs"] == pytest.approx(substituted[0, 1], abs=1e-6)
    assert top["share_of_their_pairs"] == pytest.approx(
        substituted[0, 1] / (either[0, 0] + either[1, 1] - either[0, 1]), abs=1e-6
    )


def test_one_label_per_rating_read_as_multi_label_substitutes_as_it_confuses(
    tmp_path: Path,
) -> None:
    """With exactly one label per rating, the substitutions are the coincidence
    matrix off its diagonal: the multi-label view generalises the single one."""
    data = DATASETS["missing-values"]
    single = read_annotations(_write_csv(data, tmp_path / "single.csv"))
    multi = read_annotations(tmp_path / "single.csv", multi_label=True)
    o = coincidences(single.overall)
    off = o - np.diag(np.diag(o))
    s = multi.label_sets.substituted
    assert s + s.T == pytest.approx(off, abs=TOL)
    assert [p["labels"] for p in substituted_pairs(multi.label_sets)] == [
        p["labels"] for p in confused_pairs(single.overall)
    ]
