"""Sampling draws, gold migration, forecasts, inspection and drift."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from scipy.stats import chi2_contingency
from taxops.diagnostics import TaxopsError
from taxops.engines.annotations import read_annotations
from taxops.engines.inspect import inspect_dataset
from taxops.history import migration_map
from taxops.quality import forecast
from taxops.quality.agreement import alpha
from taxops.quality.gold import GoldItem, carry_gold
from taxops.quality.inspection import drift
from taxops.quality.sampling import by_label, by_rate, rank

ROOT = Path(__file__).resolve().parents[2]


def test_rate_sample_ignores_row_order_and_keeps_ranks() -> None:
    items = [f"item-{i}" for i in range(500)]
    first = by_rate(items, 0.1, seed=7)
    again = by_rate(list(reversed(items)), 0.1, seed=7)
    assert first.items == again.items and len(first.items) == 50
    assert by_rate(items, 0.1, seed=8).items != first.items
    # Ranks do not depend on the other items: a grown lot keeps each item's place.
    assert rank(7, "item-3") == rank(7, "item-3")


def test_label_sample_takes_a_share_of_each_label_and_a_minimum() -> None:
    labeled = {f"i{i}": ("common" if i < 90 else "rare") for i in range(100)}
    sample = by_label(labeled, 0.1, seed=1, minimum=3)
    assert sample.per_label == {"common": (90, 9), "rare": (10, 3)}
    with pytest.raises(TaxopsError):
        by_rate(["a"], 1.5, seed=1)


def test_gold_labels_are_carried_by_the_migration_map() -> None:
    maps = {v: migration_map(ROOT, "support-intents", v, "2.0.0") for v in ("1.0.0", "2.0.0")}
    gold = carry_gold(
        [
            GoldItem("a", "account.two_factor", "1.0.0"),
            GoldItem("b", "product.general_question", "1.0.0"),
            GoldItem("c", "no.such_label", "1.0.0"),
            GoldItem("d", "orders.order_status", "2.0.0"),
        ],
        maps,
    )
    assert gold.labels == {"a": "account.verification_code", "d": "orders.order_status"}
    assert gold.migrated == 1
    reasons = {e["item"]: e["reason"] for e in gold.excluded}
    assert "review" in reasons["b"] and "not a label" in reasons["c"]


def test_working_days_and_staffing() -> None:
    monday = dt.date(2025, 3, 3)
    assert forecast.working_days_between(monday, dt.date(2025, 3, 9)) == 5
    assert forecast.add_working_days(monday, 5) == dt.date(2025, 3, 7)
    assert forecast.add_working_days(monday, 5.2) == dt.date(2025, 3, 10)
    work = forecast.effort(
        [forecast.Stage("label", "label", 1.0, 2), forecast.Stage("review", "review", 0.1)],
        {"label": 0.05},
    )
    assert work.hours_per_item == pytest.approx(0.105)
    staff = forecast.staff_for_date(10_000, work, 6.0, monday, dt.date(2025, 3, 14))
    assert staff["working_days"] == 10 and staff["people"] == 18  # 1,050 h / 60 h


def test_risk_of_missing_grows_as_the_due_date_nears() -> None:
    daily = {
        (dt.date(2025, 3, 3) + dt.timedelta(days=d)).isoformat(): 100 + 30 * (d % 3)
        for d in range(14)
    }
    today = dt.date(2025, 3, 16)
    risks = [
        forecast.progress(3000, 1500, daily, today=today, due=due, seed=1)["forecast"][
            "risk_of_missing"
        ]  # type: ignore[index]
        for due in (dt.date(2025, 3, 24), dt.date(2025, 3, 28), dt.date(2025, 4, 11))
    ]
    assert risks[0] >= risks[1] >= risks[2] and risks[0] > 0.5 and risks[2] == 0


def test_duplicates_exact_near_and_conflicting(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    rows = [
        {"text": "Where is order NW-1?", "label": "orders.status"},
        {"text": "Where is order NW-1?", "label": "orders.status"},
        {"text": "where is ORDER nw-2 ??", "label": "orders.delay"},
        {"text": "Café closed", "label": "x"},
        {"text": "cafe closed", "label": "x"},
        {"text": "", "label": None},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    counts = inspect_dataset(path, "label")
    assert counts.rows == 6 and counts.empty == {"text": 1, "label": 1}
    d = counts.duplicates
    assert (d["exact"]["groups"], d["exact"]["rows"]) == (1, 2)
    assert (d["near"]["groups"], d["near"]["rows"]) == (2, 5)
    assert d["near"]["groups_with_conflicting_labels"] == 1


def test_drift_statistic_equals_scipy_and_flags_a_shift() -> None:
    before = {"a": 120, "b": 80, "c": 50}
    after = {"a": 60, "b": 90, "c": 100, "d": 4}
    result, found = drift(before, after, ("jan", "mar"))
    table = [[before.get(k, 0) for k in "abcd"], [after.get(k, 0) for k in "abcd"]]
    stat, p, dof, _ = chi2_contingency(table, correction=False)
    assert result["statistic"] == pytest.approx(stat, rel=1e-12)
    assert result["p_value"] == pytest.approx(p, rel=1e-9) and result["dof"] == dof
    assert found and found[0].rule == "label-drift"
    same, none = drift(before, before, ("jan", "jan"))
    assert same["p_value"] == pytest.approx(1.0) and not none


def test_label_studio_export_reads_like_its_long_format(tmp_path: Path) -> None:
    tasks = []
    for i in range(30):
        annotations = [
            {"completed_by": {"id": r, "email": f"r{r}@x.example"}, "created_at": "2025-03-03T10:00:00Z",
             "result": [{"type": "choices", "value": {"choices": ["a" if (i + r) % 4 else "b"]}}]}
            for r in range(3)
        ]  # fmt: skip
        annotations.append({"completed_by": 9, "was_cancelled": True, "result": []})
        tasks.append(
            {
                "id": i,
                "data": {"text": str(i)},
                "annotations": annotations,
                "predictions": [{"result": [{"value": {"choices": ["b"]}}]}],
            }
        )
    ls = tmp_path / "export.json"
    ls.write_text(json.dumps(tasks), encoding="utf-8")
    long = tmp_path / "long.csv"
    long.write_text(
        "item,annotator,label\n"
        + "".join(
            f"{i},r{r}@x.example,{'a' if (i + r) % 4 else 'b'}\n"
            for i in range(30)
            for r in range(3)
        ),
        encoding="utf-8",
    )
    from_ls, from_csv = read_annotations(ls), read_annotations(long)
    assert not from_ls.multi_label and from_ls.overall.ratings == 90
    assert float(alpha(from_ls.overall)) == pytest.approx(float(alpha(from_csv.overall)), abs=1e-12)


def test_a_label_studio_project_with_several_controls_is_read_by_the_control_named(
    tmp_path: Path,
) -> None:
    """A real project's annotation holds every control's results (a sentiment
    choice, the topic as a Taxonomy path, NER spans): agreement is on the
    control named, as if exported alone; which one is never guessed."""
    from taxops.engines.annotations import Columns

    tasks = []
    for i in range(30):
        annotations = [
            {"completed_by": r, "created_at": "2025-03-03T10:00:00+01:00", "result": [
                {"from_name": "sentiment", "type": "choices",
                 "value": {"choices": ["pos" if (i * r) % 3 else "neg"]}},
                {"from_name": "topic", "type": "taxonomy",
                 "value": {"taxonomy": [["shipping", "a" if (i + r) % 4 else "b"]]}},
                {"from_name": "entities", "type": "labels", "value": {"labels": ["Brand"]}},
            ]}
            for r in range(3)
        ]  # fmt: skip
        tasks.append({"id": i, "annotations": annotations, "drafts": [{"result": []}]})
    ls = tmp_path / "export.json"
    ls.write_text(json.dumps(tasks), encoding="utf-8")
    long = tmp_path / "long.csv"
    long.write_text(
        "item,annotator,label\n"
        + "".join(f"{i},{r},{'a' if (i + r) % 4 else 'b'}\n" for i in range(30) for r in range(3)),
        encoding="utf-8",
    )
    with pytest.raises(TaxopsError, match="holds the labels of 3 controls"):
        read_annotations(ls)
    topic = read_annotations(ls, Columns(label="topic"))
    assert topic.labels == ["a", "b"] and topic.overall.ratings == 90
    expected = float(alpha(read_annotations(long).overall))
    assert float(alpha(topic.overall)) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("multi", [False, True])
def test_items_rated_by_two_vendors_count_once_overall(tmp_path: Path, multi: bool) -> None:
    rows = []
    for i in range(40):
        for a, vendor in (("a1", "v1"), ("a2", "v1"), ("b1", "v2"), ("b2", "v2")):
            label = "x" if (i + len(a) * (a == "b2")) % 3 else "y"
            if a == "a2" and i % 5 == 0:
                label = "z"
            rows.append(f"{i},{a},{vendor},{label}")
    both = tmp_path / "both.csv"
    both.write_text("item,annotator,vendor,label\n" + "\n".join(rows) + "\n", encoding="utf-8")
    only_v1 = tmp_path / "v1.csv"
    only_v1.write_text(
        "item,annotator,vendor,label\n" + "\n".join(r for r in rows if ",v1," in r) + "\n",
        encoding="utf-8",
    )
    data = read_annotations(both, multi_label=multi)
    assert data.overall.items == 40 and data.overall.ratings == 160
    alone = read_annotations(only_v1, multi_label=multi)
    assert float(alpha(data.by_vendor["v1"])) == pytest.approx(
        float(alpha(alone.overall)), abs=1e-12
    )


def test_a_spreadsheet_safe_cell_reads_back_as_written() -> None:
    from taxops.escaping import csv_cell, csv_cell_value

    for value in ("=SUM(A1)", "-x", "+1", "@who", "plain", "'quoted"):
        assert csv_cell_value(csv_cell(value)) == value


@pytest.mark.parametrize(
    ("delimiter", "encoding"), [(";", "utf-8-sig"), ("\t", "utf-8"), ("|", "utf-8")]
)
def test_an_annotation_export_is_read_in_its_own_dialect(
    tmp_path: Path, delimiter: str, encoding: str
) -> None:
    """A spreadsheet's ';' export (with its byte order mark) reads like the
    comma file it holds the same ratings as: its header is not one column, and
    a label with a comma in a quoted cell stays one label."""
    import csv

    from taxops.engines.events import read_events

    rows = [(f"i{i}", f"a{r}", "x, y" if (i + r) % 3 else "z", f"2025-03-0{1 + i % 5}T10:00:00")
            for i in range(40) for r in range(3)]  # fmt: skip
    paths = {}
    for name, delim, enc in (("comma", ",", "utf-8"), ("other", delimiter, encoding)):
        paths[name] = tmp_path / f"{name}.csv"
        with open(paths[name], "w", newline="", encoding=enc) as f:
            out = csv.writer(f, delimiter=delim, lineterminator="\n")
            out.writerow(["item", "annotator", "label", "created"])
            out.writerows(rows)
    comma, other = read_annotations(paths["comma"]), read_annotations(paths["other"])
    assert other.labels == comma.labels == ["x, y", "z"]
    assert float(alpha(other.overall)) == pytest.approx(float(alpha(comma.overall)), abs=1e-12)
    events = tmp_path / "events.csv"
    with open(events, "w", newline="", encoding=encoding) as f:
        out = csv.writer(f, delimiter=delimiter, lineterminator="\n")
        out.writerow(["task", "vendor", "created", "accepted"])
        out.writerows(
            [(f"t{i}", "v", "2025-03-03T08:00:00", "2025-03-03T20:00:00") for i in range(9)]
        )
    assert read_events(events).groups[("v", None)]["delivered"] == 9


def test_the_same_ratings_in_another_row_order_give_the_same_report(tmp_path: Path) -> None:
    """Intervals are seeded: the same ratings give the same figures, whatever
    order the export lists them in (and however DuckDB groups them), pairs'
    intervals included, with labels enough for the sparse path."""
    import random

    from taxops.engines.annotations import read_annotations
    from taxops.quality.agreement_report import agreement_report

    rng = random.Random(7)
    rows = []
    for item in range(400):
        truth = rng.randrange(300)
        for rater in range(3):
            label = truth if rng.random() < 0.7 else rng.randrange(300)
            rows.append(f"i{item},r{rater},l{label}\n")
    reports = []
    for order in range(2):
        shuffled = rows[:]
        random.Random(order).shuffle(shuffled)
        path = tmp_path / f"ratings{order}.csv"
        path.write_text("item,annotator,label\n" + "".join(shuffled), encoding="utf-8")
        report = agreement_report(read_annotations(path), source="x", replicates=30, seed=1)
        reports.append(report)
    assert reports[0]["pairs"] == reports[1]["pairs"]
    assert reports[0]["overall"] == reports[1]["overall"]
    assert reports[0]["labels"] == reports[1]["labels"]


@pytest.mark.parametrize("multi_label", [False, True], ids=["one label", "label sets"])
def test_thousands_of_labels_never_hold_items_times_labels(
    tmp_path: Path, multi_label: bool
) -> None:
    """About 5,000 labels over 5,000 items: a table of patterns x labels would
    be 200 MB (Google's 5,500 product categories over 100,000 items made 5.6 GB
    and failed). The figures are read from each item's own labels instead: the
    memory follows the ratings."""
    import random
    import tracemalloc

    from taxops.engines.annotations import read_annotations
    from taxops.quality.agreement_report import agreement_report

    rng = random.Random(3)
    lines = ["item,annotator,label\n"]
    for item in range(5_000):
        truth = rng.randrange(12_000)
        for rater in range(2):
            label = truth if rng.random() < 0.8 else rng.randrange(12_000)
            extra = f"|l{rng.randrange(12_000)}" if multi_label and item % 3 == 0 else ""
            lines.append(f"i{item},r{rater},l{label}{extra}\n")
    path = tmp_path / "ratings.csv"
    path.write_text("".join(lines), encoding="utf-8")
    data = read_annotations(path, multi_label=multi_label, separator="|" if multi_label else None)
    tracemalloc.start()
    try:
        report = agreement_report(data, source="x", replicates=20, seed=0)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    labels, patterns = report["summary"]["labels"], data.overall.patterns
    assert labels > 4_000 and patterns > 4_000
    assert 0.3 < report["overall"]["krippendorff_alpha"]["value"] < 0.75
    assert report["pairs"][0]["kappa"]["ci_low"] is not None
    assert peak < labels * patterns * 8 / 4, f"{peak / 2**20:.0f} MB"


def test_past_the_per_label_budget_the_labels_chosen_most_get_intervals(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from taxops.engines.annotations import read_annotations
    from taxops.quality import agreement
    from taxops.quality.agreement_report import agreement_report

    lines = ["item,annotator,label\n"]
    for item in range(60):
        label = "common" if item < 40 else ("middle" if item < 55 else "rare")
        lines += [f"i{item},a,{label}\n", f"i{item},b,{label if item % 4 else 'common'}\n"]
    path = tmp_path / "ratings.csv"
    path.write_text("".join(lines), encoding="utf-8")
    monkeypatch.setattr(agreement, "PER_LABEL_DRAWS", 2 * 50)  # two labels at 50 replicates
    report = agreement_report(read_annotations(path), source="x", replicates=50, seed=0)
    assert report["bootstrap"]["labels_with_intervals"] == 2
    with_interval = {
        label for label, f in report["labels"].items() if f["fleiss_kappa"]["ci_low"] is not None
    }
    assert with_interval == {"common", "middle"}
    assert report["labels"]["rare"]["fleiss_kappa"]["value"] is not None


def test_intervals_of_every_label_at_once_equal_numpy_percentile_per_label() -> None:
    """One sort of the replicates x labels matrix reads every label's interval
    as np.percentile does on that label's finite values, to the last bit."""
    import numpy as np
    from taxops.quality.agreement import _interval, _intervals

    rng = np.random.default_rng(0)
    for trial in range(200):
        samples = rng.normal(size=(int(rng.integers(1, 60)), int(rng.integers(1, 8))))
        samples[rng.random(samples.shape) < 0.2] = np.nan
        samples[rng.random(samples.shape) < 0.05] = np.inf
        if trial % 7 == 0:
            samples[:, 0] = np.nan  # a label with no finite figure: no interval
        low, high = _intervals(samples, 0.95)
        assert list(zip(low, high, strict=True)) == [
            _interval(samples[:, c], 0.95) for c in range(samples.shape[1])
        ]
