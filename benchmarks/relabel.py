"""Relabel benchmark (not a test): ``taxops migrate``'s DuckDB engine against a
plain DuckDB Parquet-to-Parquet copy (the practical lower bound) and pandas
``Series.map`` (what a user writes by hand), in the same run, on the same files.

    python benchmarks/relabel.py                      # 10M and 50M Parquet rows, 10M CSV
    python benchmarks/relabel.py --rows 1000000 --csv-rows 0

Datasets: ``id`` (int64), ``label`` (1,000 labels), ``score`` (double), written
under benchmarks/out/ (git-ignored). The map renames 50 labels, merges 50 into
others and sends 50 to review (split into two candidates), 150 in all. Each
measurement runs in its own process; peak memory is that process's max RSS
(``os.wait4``); time is the median of ``--repeat`` runs. The copy runs with
taxops' DuckDB settings (its default memory limit). pandas is needed only here:
``pip install pandas``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
N_LABELS = 1000


def label(i: int) -> str:
    return f"group_{i // 100}.label_{i:04d}"


def synthetic_map():  # type: ignore[no-untyped-def]
    from taxops.migration.model import Action, Entry, MigrationMap, Mode

    entries = []
    for i in range(N_LABELS):
        old = label(i)
        if i < 50:
            entries.append(
                Entry(old, Action.RENAME, Mode.DIRECT, (f"group_{i // 100}.renamed_{i:04d}",))
            )
        elif i < 100:
            entries.append(Entry(old, Action.MERGE, Mode.DIRECT, (label(i + 100),)))
        elif i < 150:
            entries.append(Entry(old, Action.SPLIT, Mode.REVIEW, (f"{old}_a", f"{old}_b")))
        else:
            entries.append(Entry(old, Action.KEEP, Mode.KEEP, (old,)))
    return MigrationMap("bench", "1.0.0", "2.0.0", "single-label", tuple(entries))


def generate(rows: int, fmt: str) -> Path:
    import duckdb

    path = OUT / f"labels-{rows}.{fmt}"
    if path.exists():
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    labels = "[" + ", ".join(f"'{label(i)}'" for i in range(N_LABELS)) + "]"
    options = "FORMAT parquet" if fmt == "parquet" else "FORMAT csv, HEADER true"
    duckdb.sql(
        f"COPY (SELECT i AS id, {labels}[(hash(i) % {N_LABELS})::INTEGER + 1] AS label, "
        f"(hash(i * 7) % 100000) / 1000.0 AS score FROM range({rows}) t(i)) "
        f"TO '{path}.tmp' ({options})"
    )
    os.replace(f"{path}.tmp", path)
    return path


# --- workers: each runs in its own process ----------------------------------------


def work_taxops(src: Path, dst: Path) -> None:
    from taxops.engines.datasets import default_outputs
    from taxops.engines.duckdb_migrate import Job
    from taxops.engines.migrate import migrate_dataset

    fmt = src.suffix[1:]
    result = migrate_dataset(Job(src, fmt, "label"), synthetic_map(), default_outputs(dst, fmt))
    print(json.dumps(result.report["rows"]))


def work_copy(src: Path, dst: Path) -> None:
    import duckdb
    from taxops.engines.duckdb_migrate import DEFAULT_MEMORY_LIMIT

    # The same engine settings as taxops migrate (its default memory limit).
    duckdb.execute(f"SET memory_limit = '{DEFAULT_MEMORY_LIMIT}'")
    read = f"read_parquet('{src}')" if src.suffix == ".parquet" else f"read_csv('{src}')"
    options = "FORMAT parquet" if src.suffix == ".parquet" else "FORMAT csv, HEADER true"
    duckdb.execute(f"COPY (SELECT * FROM {read}) TO '{dst}' ({options})")


def work_pandas(src: Path, dst: Path) -> None:
    import pandas as pd

    m = synthetic_map()
    lookup = {e.label: e.targets[0] for e in m if e.mode.value != "review"}
    df = pd.read_parquet(src) if src.suffix == ".parquet" else pd.read_csv(src)
    df["label"] = df["label"].map(lookup)  # review labels become NaN: what a hand-written map does
    if dst.suffix == ".parquet":
        df.to_parquet(dst, index=False)
    else:
        df.to_csv(dst, index=False)


def work_order(path: Path, _: Path) -> None:
    print(order_kept(path))


WORKERS = {"taxops": work_taxops, "duckdb-copy": work_copy, "pandas-map": work_pandas}
CHECKS = {"order": work_order}


def measure(variant: str, src: Path, rows: int, repeat: int) -> dict[str, float | str]:
    """Median wall time and the largest peak RSS over ``repeat`` runs (the
    machine is shared: the median keeps one slow run from deciding)."""
    dst = OUT / f"result-{variant}{src.suffix}"
    times, peaks = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, __file__, "--worker", variant, str(src), str(dst)])
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - started)
        peaks.append(usage.ru_maxrss / 1024)
        if status != 0:
            return {"variant": variant, "error": f"exit status {status}"}
    seconds = sorted(times)[len(times) // 2]
    result: dict[str, float | str] = {
        "variant": variant,
        "seconds": round(seconds, 2),
        "rows_per_s": round(rows / seconds),
        "peak_rss_mb": round(max(peaks)),
    }
    if variant == "taxops":
        # In a process of its own: a parent grown by the check would show up in
        # the next child's peak (a forked child starts with the parent's pages).
        check = subprocess.run(
            [sys.executable, __file__, "--worker", "order", str(dst), "-"],
            capture_output=True,
            text=True,
            check=True,
        )
        result["order_kept"] = check.stdout.strip()
    return result


def order_kept(path: Path) -> bool:
    """Ids strictly increase through the migrated file (in physical row order for
    Parquet, line by line for CSV) and row numbers through its review queue."""
    import re

    import duckdb

    if path.suffix == ".parquet":
        [(bad,)] = duckdb.sql(
            "SELECT count(*) FROM (SELECT id, lag(id) OVER (ORDER BY file_row_number) AS prev "
            f"FROM read_parquet('{path}', file_row_number = true)) WHERE id <= prev"
        ).fetchall()
        review, pattern = path.with_name(f"{path.stem}.review.jsonl"), re.compile(r'"row":(\d+)')
    else:
        with open(path) as f:
            next(f)
            ids = [int(line.split(",", 1)[0]) for line in f]
        bad = sum(1 for a, b in itertools.pairwise(ids) if b <= a)
        review, pattern = path.with_name(f"{path.stem}.review.csv"), re.compile(r",(\d+),review,")
    with open(review) as f:
        rows = [int(m.group(1)) for line in f if (m := pattern.search(line))]
    return bad == 0 and rows == sorted(rows) and len(rows) > 0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, nargs="*", default=[10_000_000, 50_000_000])
    parser.add_argument("--csv-rows", type=int, nargs="*", default=[10_000_000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median time)")
    parser.add_argument(
        "--worker", nargs=3, metavar=("VARIANT", "SRC", "DST"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.worker:
        variant, src, dst = args.worker
        {**WORKERS, **CHECKS}[variant](Path(src), Path(dst))
        return
    plan = [(n, "parquet") for n in args.rows] + [(n, "csv") for n in args.csv_rows if n]
    results = []
    for rows, fmt in plan:
        src = generate(rows, fmt)
        for variant in WORKERS:
            r = {"rows": rows, "format": fmt, **measure(variant, src, rows, args.repeat)}
            results.append(r)
            print(json.dumps(r), flush=True)
    print()
    print(
        f"{'rows':>11} {'format':<8} {'variant':<12} {'seconds':>8} {'rows/s':>12} {'peak MB':>8}  order kept"
    )
    for r in results:
        if "error" in r:
            print(f"{r['rows']:>11,} {r['format']:<8} {r['variant']:<12} {r['error']}")
            continue
        print(
            f"{r['rows']:>11,} {r['format']:<8} {r['variant']:<12} {r['seconds']:>8} "
            f"{r['rows_per_s']:>12,} {r['peak_rss_mb']:>8}  {r.get('order_kept', '')}"
        )


if __name__ == "__main__":
    main()
