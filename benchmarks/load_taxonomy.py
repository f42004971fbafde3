"""Benchmark: load and validate large taxonomies (issue: foundation).

Generates taxonomies of 10,000, 50,000 and 200,000 labels and measures, each in a
fresh process (so peak memory is that of one job):

* ``taxops``: ``check_file`` on a valid file (parse, model, in-file checks);
* ``taxops, 1 error``: the same file with one dangling parent three quarters in,
  located at file:line:column;
* ``naive``: what a team writes first, ruamel.yaml round-trip (which keeps
  positions) then Pydantic; measured at the smaller sizes only unless ``--full``
  (it takes minutes at 200,000 labels);
* ``pyyaml C + pydantic``: PyYAML's C loader, a faster baseline without positions.

Results: a Markdown table on stdout and in ``benchmarks/results/load_taxonomy.md``,
and an SVG chart beside it. Ratios are against the naive baseline of the same run.

    python benchmarks/load_taxonomy.py            # 10k, 50k, 200k
    python benchmarks/load_taxonomy.py --sizes 10000 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from chart import line_chart
from generate import taxonomy_yaml

OUT = HERE / "out"
RESULTS = HERE / "results"


def worker(mode: str, path: Path) -> None:
    """Run one measurement in this process and print it as JSON."""
    import gc

    if mode.startswith("taxops"):
        from taxops.validate import check_file

        start = time.perf_counter()
        checked = check_file(path, max_bytes=1 << 30)
        seconds = time.perf_counter() - start
        findings = [str(d.location) + " " + d.rule for d in checked.diagnostics]
    elif mode == "naive":
        from ruamel.yaml import YAML
        from taxops.models.taxonomy import Taxonomy

        start = time.perf_counter()
        data = YAML(typ="rt").load(path.read_text(encoding="utf-8"))
        Taxonomy.model_validate(data)
        seconds = time.perf_counter() - start
        findings = []
    elif mode == "pyyaml":
        import yaml
        from taxops.models.taxonomy import Taxonomy

        start = time.perf_counter()
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        Taxonomy.model_validate(data)
        seconds = time.perf_counter() - start
        findings = []
    else:
        raise SystemExit(f"unknown mode {mode}")
    gc.collect()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "findings": findings}))


def measure(mode: str, path: Path, repeat: int) -> dict[str, float]:
    runs = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, __file__, "--worker", mode, str(path)],
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(json.loads(out.stdout))
    return {
        "seconds": statistics.median(r["seconds"] for r in runs),
        "peak_mb": max(r["peak_mb"] for r in runs),
        "findings": runs[0]["findings"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--worker", nargs=2, metavar=("MODE", "FILE"))
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000, 200_000])
    parser.add_argument("--repeat", type=int, default=1, help="runs per cell (median reported)")
    parser.add_argument("--full", action="store_true", help="run the naive baseline at every size")
    parser.add_argument("--naive-max", type=int, default=50_000)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker[0], Path(args.worker[1]))
        return

    OUT.mkdir(exist_ok=True)
    RESULTS.mkdir(exist_ok=True)
    rows = []
    for n in args.sizes:
        valid = OUT / f"taxonomy-{n}.yaml"
        broken = OUT / f"taxonomy-{n}-error.yaml"
        if not valid.exists():
            valid.write_text(taxonomy_yaml(n), encoding="utf-8")
        if not broken.exists():
            broken.write_text(taxonomy_yaml(n, error_at=n * 3 // 4), encoding="utf-8")
        size_mb = valid.stat().st_size / 1e6
        cells = {"taxops": measure("taxops", valid, args.repeat)}
        cells["taxops, 1 error"] = measure("taxops-error", broken, args.repeat)
        cells["pyyaml C + pydantic"] = measure("pyyaml", valid, args.repeat)
        if args.full or n <= args.naive_max:
            cells["naive (ruamel rt + pydantic)"] = measure("naive", valid, 1)
        assert not cells["taxops"]["findings"], cells["taxops"]["findings"]
        located = cells["taxops, 1 error"]["findings"]
        for mode, cell in cells.items():
            rows.append({"labels": n, "file_mb": size_mb, "mode": mode, **cell})
        print(
            f"{n:>8,} labels ({size_mb:.0f} MB): "
            + "; ".join(f"{m} {c['seconds']:.2f} s {c['peak_mb']:.0f} MB" for m, c in cells.items())
            + f"; error located at {located}",
            flush=True,
        )

    report = render(rows)
    (RESULTS / "load_taxonomy.md").write_text(report, encoding="utf-8")
    series: dict[str, list[tuple[float, float]]] = {}
    for r in rows:
        series.setdefault(r["mode"], []).append((r["labels"], r["seconds"]))
    (RESULTS / "load_taxonomy.svg").write_text(
        line_chart(series, title="Load + validate time", x_label="labels", y_label="seconds"),
        encoding="utf-8",
    )
    print(report)


def render(rows: list[dict]) -> str:
    naive = {r["labels"]: r for r in rows if r["mode"].startswith("naive")}
    lines = [
        "| labels | file | mode | seconds | peak memory | vs naive (time) | vs naive (memory) |",
        "|---:|---:|---|---:|---:|---:|---:|",
    ]
    for r in rows:
        base = naive.get(r["labels"])
        speed = f"{base['seconds'] / r['seconds']:.0f}x faster" if base and r is not base else ""
        mem = f"{base['peak_mb'] / r['peak_mb']:.1f}x less" if base and r is not base else ""
        lines.append(
            f"| {r['labels']:,} | {r['file_mb']:.0f} MB | {r['mode']} | {r['seconds']:.2f} | "
            f"{r['peak_mb']:.0f} MB | {speed} | {mem} |"
        )
    taxops = [r for r in rows if r["mode"] == "taxops"]
    if len(taxops) >= 2:
        a, b = taxops[0], taxops[-1]
        growth = (b["seconds"] / a["seconds"]) / (b["labels"] / a["labels"])
        lines.append(
            f"\nScaling {a['labels']:,} -> {b['labels']:,} labels: time x{b['seconds'] / a['seconds']:.1f} "
            f"for x{b['labels'] / a['labels']:.0f} labels ({growth:.2f} of linear), "
            f"memory x{b['peak_mb'] / a['peak_mb']:.1f}."
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
