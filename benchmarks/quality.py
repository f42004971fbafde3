"""Quality and operations benchmark (not a test): taxops' agreement and ops
figures against a pandas groupby baseline and a polars baseline doing the same
work, in the same run, on the same files.

    python benchmarks/quality.py                       # 10M ratings, 1M tasks
    python benchmarks/quality.py --ratings 1000000 --tasks 100000 --repeat 1

The work, for every variant:

- agreement over the annotation export (item, annotator, vendor, label, time:
  one row per rating, three ratings per item): Krippendorff's alpha, Fleiss'
  kappa and Gwet's AC1 overall and per vendor, each label's yes/no alpha, and
  Cohen's kappa for every pair of annotators (their contingency tables);
- operations over the task event log (task, vendor, created, started,
  submitted, accepted, rework, cost): per vendor and per vendor and week,
  delivered, p50 and p95 turnaround, rework rate, cost per item, median handle
  time.

taxops runs it through ``read_annotations`` and ``read_events`` (DuckDB,
512 MB memory limit, spilling beyond) and the pure figures, without bootstrap
intervals (``taxops-bootstrap`` adds 200 resamples). Each measurement runs in
its own process; peak memory is that process's max RSS (``os.wait4``); time is
the median of ``--repeat`` runs. pandas and polars are needed only here:
``pip install pandas polars pyarrow``. Files are written under benchmarks/out/
(git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent / "out"
LABELS = 50
ANNOTATORS_PER_VENDOR = 100


def generate_ratings(rows: int) -> Path:
    import duckdb

    path = OUT / f"ratings-{rows}.parquet"
    if path.exists():
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    items = rows // 3
    # Three ratings per item by three different annotators of the item's vendor;
    # 80 % copy the item's true label (skewed towards the first labels).
    duckdb.sql(
        f"""COPY (
        WITH items AS (SELECT i, i % 3 AS v, (hash(i) % 1000) AS h FROM range({items}) t(i)),
        truth AS (SELECT *, CASE WHEN h < 400 THEN h % 5 ELSE h % {LABELS} END AS t FROM items)
        SELECT 'item-' || i AS item,
               'ann-' || (v * {ANNOTATORS_PER_VENDOR} + (i + r * 37) % {ANNOTATORS_PER_VENDOR}) AS annotator,
               'vendor-' || v AS vendor,
               'label-' || CASE WHEN hash(i * 3 + r) % 10 < 8 THEN t ELSE hash(i * 7 + r) % {LABELS} END AS label,
               TIMESTAMP '2025-01-01' + to_seconds((i % 7776000)::BIGINT) AS time
        FROM truth, range(3) r(r)) TO '{path}.tmp' (FORMAT parquet)"""
    )
    os.replace(f"{path}.tmp", path)
    return path


def generate_tasks(rows: int) -> Path:
    import duckdb

    path = OUT / f"tasks-{rows}.parquet"
    if path.exists():
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    duckdb.sql(
        f"""COPY (
        WITH t AS (SELECT i, TIMESTAMP '2025-01-01' + to_seconds((i * 7 % 7776000)::BIGINT) AS created FROM range({rows}) t(i))
        SELECT 'task-' || i AS task, 'vendor-' || (i % 3) AS vendor, created,
               created + to_seconds((hash(i) % 36000)::BIGINT) AS started,
               created + to_seconds((hash(i) % 36000 + 30 + hash(i * 5) % 300)::BIGINT) AS submitted,
               created + to_seconds((3600 + hash(i * 11) % (86400 * (2 + i % 3)))::BIGINT) AS accepted,
               hash(i * 13) % 100 < 5 AS rework, 0.05 + (i % 3) * 0.01 AS cost
        FROM t) TO '{path}.tmp' (FORMAT parquet)"""
    )
    os.replace(f"{path}.tmp", path)
    return path


# --- workers: each runs in its own process -------------------------------------


def work_taxops(ratings: Path, tasks: Path, bootstrap: int = 0) -> dict[str, Any]:
    from taxops.engines.annotations import read_annotations
    from taxops.engines.events import read_events
    from taxops.quality.agreement import cohen_kappa, estimate_units, per_label
    from taxops.quality.agreement_report import METRICS

    data = read_annotations(ratings)
    overall = estimate_units(data.overall, METRICS, bootstrap, 0)
    vendors = {v: estimate_units(u, METRICS, bootstrap, 0) for v, u in data.by_vendor.items()}
    labels = per_label(data.overall)["krippendorff_alpha"]
    kappas = {pair: float(cohen_kappa(t)) for pair, t in data.pairs.items()}
    events = read_events(tasks, percentiles=(50, 95))
    return {
        "alpha": overall["krippendorff_alpha"].value,
        "fleiss": overall["fleiss_kappa"].value,
        "ac1": overall["gwet_ac1"].value,
        "vendor_alpha": {v: e["krippendorff_alpha"].value for v, e in vendors.items()},
        "label_alpha_mean": float(labels.mean()),
        "pairs": len(kappas),
        "kappa_mean": sum(kappas.values()) / len(kappas),
        "ops_groups": len(events.groups),
        "p95_all": events.groups[(None, None)]["turnaround_percentiles"]["p95"],
    }


def work_taxops_bootstrap(ratings: Path, tasks: Path) -> dict[str, Any]:
    return work_taxops(ratings, tasks, bootstrap=200)


def _alpha_fleiss_ac1(nuc: Any, q: int) -> tuple[float, float, float]:
    """From a frame with columns item, label, n (ratings) and m (item's ratings)."""
    valid = nuc[nuc["m"] >= 2]
    n_c = valid.groupby("label")["n"].sum()
    n = n_c.sum()
    same = (valid["n"] * (valid["n"] - 1) / (valid["m"] - 1)).sum()
    alpha = 1 - (n - 1) * (n - same) / (n * n - (n_c * n_c).sum())
    items_valid = valid["item"].nunique()
    pa = (valid["n"] * (valid["n"] - 1) / (valid["m"] * (valid["m"] - 1))).sum() / items_valid
    pi = (nuc["n"] / nuc["m"]).groupby(nuc["label"]).sum() / nuc["item"].nunique()
    pe_f = (pi * pi).sum()
    pe_g = (pi * (1 - pi)).sum() / (q - 1)
    return float(alpha), float((pa - pe_f) / (1 - pe_f)), float((pa - pe_g) / (1 - pe_g))


def work_pandas(ratings: Path, tasks: Path) -> dict[str, Any]:
    import pandas as pd

    df = pd.read_parquet(ratings)
    q = df["label"].nunique()
    nuc = df.groupby(["item", "label"], sort=False).size().rename("n").reset_index()
    nuc["m"] = nuc.groupby("item")["n"].transform("sum")
    alpha, fleiss, ac1 = _alpha_fleiss_ac1(nuc, q)
    vendor_alpha = {}
    for vendor, part in df.groupby("vendor"):
        vn = part.groupby(["item", "label"], sort=False).size().rename("n").reset_index()
        vn["m"] = vn.groupby("item")["n"].transform("sum")
        vendor_alpha[vendor] = _alpha_fleiss_ac1(vn, q)[0]
    # Each label's yes/no alpha from the same counts.
    valid = nuc[nuc["m"] >= 2]
    per_item = valid.drop_duplicates("item")
    n_total = per_item["m"].sum()
    all_same = per_item["m"].sum()  # on items without the label every pair agrees on "no"
    label_alphas = []
    for _label, part in valid.groupby("label"):
        n1 = part["n"].sum()
        n0 = n_total - n1
        inside = (
            (part["n"] * (part["n"] - 1) + (part["m"] - part["n"]) * (part["m"] - part["n"] - 1))
            / (part["m"] - 1)
        ).sum()
        same = inside + all_same - part["m"].sum()
        label_alphas.append(1 - (n_total - 1) * (n_total - same) / (n_total**2 - n1**2 - n0**2))
    pairs = df[["item", "annotator", "label"]].merge(df[["item", "annotator", "label"]], on="item")
    pairs = pairs[pairs["annotator_x"] < pairs["annotator_y"]]
    tables = pairs.groupby(["annotator_x", "annotator_y", "label_x", "label_y"], sort=False).size()
    kappas = []
    for _pair, t in tables.groupby(level=[0, 1]):
        t = t.droplevel([0, 1])
        total = t.sum()
        po = t[[a == b for a, b in t.index]].sum() / total
        rows = t.groupby(level=0).sum() / total
        cols = t.groupby(level=1).sum() / total
        pe = (rows * cols.reindex(rows.index, fill_value=0)).sum()
        kappas.append((po - pe) / (1 - pe))
    ev = pd.read_parquet(tasks)
    ev["turnaround"] = (ev["accepted"] - ev["created"]).dt.total_seconds() / 3600
    ev["handle"] = (ev["submitted"] - ev["started"]).dt.total_seconds() / 3600
    ev["week"] = ev["accepted"].dt.to_period("W").dt.start_time
    groups = 0
    for keys in (["vendor"], ["vendor", "week"]):
        g = ev.groupby(keys).agg(
            delivered=("task", "size"),
            p50=("turnaround", lambda s: s.quantile(0.5)),
            p95=("turnaround", lambda s: s.quantile(0.95)),
            rework=("rework", "mean"),
            cost=("cost", "mean"),
            handle=("handle", "median"),
        )
        groups += len(g)
    return {
        "alpha": alpha,
        "fleiss": fleiss,
        "ac1": ac1,
        "vendor_alpha": vendor_alpha,
        "label_alpha_mean": sum(label_alphas) / len(label_alphas),
        "pairs": len(kappas),
        "kappa_mean": float(sum(kappas) / len(kappas)),
        "ops_groups": groups,
        "p95_all": float(ev["turnaround"].quantile(0.95)),
    }


def _pl_alpha_fleiss_ac1(nuc: Any, q: int) -> tuple[float, float, float]:
    import polars as pl

    valid = nuc.filter(pl.col("m") >= 2)
    n_c = valid.group_by("label").agg(pl.col("n").sum())["n"]
    n = n_c.sum()
    same = valid.select((pl.col("n") * (pl.col("n") - 1) / (pl.col("m") - 1)).sum()).item()
    alpha = 1 - (n - 1) * (n - same) / (n * n - (n_c * n_c).sum())
    items_valid = valid["item"].n_unique()
    pa = (
        valid.select(
            (pl.col("n") * (pl.col("n") - 1) / (pl.col("m") * (pl.col("m") - 1))).sum()
        ).item()
        / items_valid
    )
    pi = (
        nuc.group_by("label").agg((pl.col("n") / pl.col("m")).sum().alias("s"))["s"]
        / nuc["item"].n_unique()
    )
    pe_f = (pi * pi).sum()
    pe_g = (pi * (1 - pi)).sum() / (q - 1)
    return float(alpha), float((pa - pe_f) / (1 - pe_f)), float((pa - pe_g) / (1 - pe_g))


def work_polars(ratings: Path, tasks: Path) -> dict[str, Any]:
    import polars as pl

    lf = pl.scan_parquet(ratings)
    q = lf.select(pl.col("label").n_unique()).collect().item()

    def counts(frame: Any) -> Any:
        # Float counts: squares of UInt32 counts overflow at these sizes.
        nuc = frame.group_by(["item", "label"]).agg(pl.len().cast(pl.Float64).alias("n"))
        m = frame.group_by("item").agg(pl.len().cast(pl.Float64).alias("m"))
        return nuc.join(m, on="item").collect(engine="streaming")

    nuc = counts(lf)
    alpha, fleiss, ac1 = _pl_alpha_fleiss_ac1(nuc, q)
    vendor_alpha = {}
    for (vendor,) in lf.select("vendor").unique().collect().iter_rows():
        vendor_alpha[vendor] = _pl_alpha_fleiss_ac1(
            counts(lf.filter(pl.col("vendor") == vendor)), q
        )[0]
    valid = nuc.filter(pl.col("m") >= 2)
    per_item = valid.unique("item")
    n_total = per_item["m"].sum()
    all_same = per_item["m"].sum()
    label_alphas = []
    for part in valid.partition_by("label"):
        n1 = part["n"].sum()
        n0 = n_total - n1
        inside = part.select(
            (
                (
                    pl.col("n") * (pl.col("n") - 1)
                    + (pl.col("m") - pl.col("n")) * (pl.col("m") - pl.col("n") - 1)
                )
                / (pl.col("m") - 1)
            ).sum()
        ).item()
        same = inside + all_same - part["m"].sum()
        label_alphas.append(1 - (n_total - 1) * (n_total - same) / (n_total**2 - n1**2 - n0**2))
    base = lf.select(["item", "annotator", "label"])
    tables = (
        base.join(base, on="item", suffix="_y").filter(pl.col("annotator") < pl.col("annotator_y"))
        .group_by(["annotator", "annotator_y", "label", "label_y"]).agg(pl.len().cast(pl.Float64).alias("n"))
        .collect(engine="streaming")
    )  # fmt: skip
    per_pair = tables.group_by(["annotator", "annotator_y"]).agg(
        pl.col("n").sum().alias("total"),
        pl.col("n").filter(pl.col("label") == pl.col("label_y")).sum().alias("agree"),
    )
    rows = tables.group_by(["annotator", "annotator_y", "label"]).agg(pl.col("n").sum().alias("r"))
    cols = tables.group_by(["annotator", "annotator_y", "label_y"]).agg(
        pl.col("n").sum().alias("c")
    )
    pe = (
        rows.join(cols, left_on=["annotator", "annotator_y", "label"], right_on=["annotator", "annotator_y", "label_y"])
        .group_by(["annotator", "annotator_y"]).agg((pl.col("r") * pl.col("c")).sum().alias("rc"))
    )  # fmt: skip
    kappa = per_pair.join(pe, on=["annotator", "annotator_y"], how="left").with_columns(
        ((pl.col("agree") / pl.col("total") - pl.col("rc").fill_null(0) / pl.col("total") ** 2)
         / (1 - pl.col("rc").fill_null(0) / pl.col("total") ** 2)).alias("kappa")
    )  # fmt: skip
    ev = pl.scan_parquet(tasks).with_columns(
        ((pl.col("accepted") - pl.col("created")).dt.total_seconds() / 3600).alias("turnaround"),
        ((pl.col("submitted") - pl.col("started")).dt.total_seconds() / 3600).alias("handle"),
        pl.col("accepted").dt.truncate("1w").alias("week"),
    )
    aggs = [
        pl.len().cast(pl.Float64).alias("delivered"),
        pl.col("turnaround").quantile(0.5, "linear").alias("p50"),
        pl.col("turnaround").quantile(0.95, "linear").alias("p95"),
        pl.col("rework").mean().alias("rework"),
        pl.col("cost").mean().alias("cost"),
        pl.col("handle").median().alias("handle"),
    ]
    groups = sum(
        len(ev.group_by(keys).agg(aggs).collect(engine="streaming"))
        for keys in (["vendor"], ["vendor", "week"])
    )
    p95 = ev.select(pl.col("turnaround").quantile(0.95, "linear")).collect().item()
    return {
        "alpha": alpha,
        "fleiss": fleiss,
        "ac1": ac1,
        "vendor_alpha": vendor_alpha,
        "label_alpha_mean": sum(label_alphas) / len(label_alphas),
        "pairs": len(kappa),
        "kappa_mean": float(kappa["kappa"].mean()),
        "ops_groups": groups,
        "p95_all": float(p95),
    }


WORKERS = {
    "taxops": work_taxops,
    "taxops-bootstrap": work_taxops_bootstrap,
    "pandas-groupby": work_pandas,
    "polars-streaming": work_polars,
}


def measure(variant: str, ratings: Path, tasks: Path, repeat: int) -> dict[str, Any]:
    times, peaks, answer = [], [], None
    for _ in range(repeat):
        started = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, __file__, "--worker", variant, str(ratings), str(tasks)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - started)
        peaks.append(usage.ru_maxrss / 1024)
        answer = json.loads(out or "null")
        if status != 0:
            return {"variant": variant, "error": f"exit status {status}"}
    return {
        "variant": variant,
        "seconds": round(sorted(times)[len(times) // 2], 2),
        "peak_rss_mb": round(max(peaks)),
        "answer": answer,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--ratings", type=int, nargs="*", default=[10_000_000])
    parser.add_argument(
        "--tasks",
        type=int,
        default=1_000_000,
        help="tasks in the event log (scaled with --ratings)",
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--variants", nargs="*", default=list(WORKERS))
    parser.add_argument(
        "--worker", nargs=3, metavar=("VARIANT", "RATINGS", "TASKS"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.worker:
        variant, ratings, tasks = args.worker
        print(json.dumps(WORKERS[variant](Path(ratings), Path(tasks)), default=float))
        return
    load = os.getloadavg()
    print(f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}", flush=True)
    results = []
    largest = max(args.ratings)
    for n in args.ratings:
        tasks_n = max(1, args.tasks * n // largest)
        ratings, tasks = generate_ratings(n), generate_tasks(tasks_n)
        for variant in args.variants:
            r = {"ratings": n, "tasks": tasks_n, **measure(variant, ratings, tasks, args.repeat)}
            results.append(r)
            print(json.dumps(r), flush=True)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"\n{'ratings':>11} {'tasks':>10} {'variant':<17} {'seconds':>8} {'peak MB':>8} {'alpha':>9} {'p95 h':>8}"
    )
    for r in results:
        if "error" in r:
            print(f"{r['ratings']:>11,} {r['tasks']:>10,} {r['variant']:<17} {r['error']}")
            continue
        a = r["answer"]
        print(
            f"{r['ratings']:>11,} {r['tasks']:>10,} {r['variant']:<17} {r['seconds']:>8} "
            f"{r['peak_rss_mb']:>8} {a['alpha']:>9.6f} {a['p95_all']:>8.3f}"
        )


if __name__ == "__main__":
    main()
