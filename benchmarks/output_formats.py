"""Benchmark: ``taxops diff`` end to end in each output format, against a
baseline checkout (issue 8: grouping and capping findings must not make a
200,000-label diff slower).

The two versions are those of ``diff_taxonomy.py`` (1% of the labels renamed,
moved, retired and added: 7,600 findings at 200,000 labels). Each measurement is a fresh
process (loading both files included, output to /dev/null); each format runs
``--runs`` times alternating baseline and candidate, and the median is kept.
The baseline is another copy of taxops' ``tooling/`` (e.g. ``git archive main
tooling | tar -x -C /tmp/baseline``), imported with PYTHONPATH.

    python benchmarks/output_formats.py --baseline /tmp/baseline/tooling
    python benchmarks/output_formats.py --baseline /tmp/baseline/tooling --labels 20000

A second table times the formatters alone, in one process per checkout: both
versions loaded and compared once, then each formatter run three times on the
findings (the fastest kept), which a loaded machine disturbs far less.

Results: Markdown tables on stdout and in ``benchmarks/results/output_formats.md``,
with the machine's load average at the start and the end.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from diff_taxonomy import changed_version
from generate import taxonomy_yaml

OUT = HERE / "out"
RESULTS = HERE / "results"
TOOLING = HERE.parent / "tooling"
FORMATS = ("text", "github", "markdown", "json", "junit")


def once(tooling: Path, fmt: str, old: Path, new: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(tooling)}
    start = time.perf_counter()
    with open(os.devnull, "w") as sink:
        subprocess.run(
            [sys.executable, "-m", "taxops.cli.main", "diff", str(old), str(new), "--format", fmt],
            stdout=sink,
            env=env,
            check=False,
        )
    return time.perf_counter() - start


def worker(old: Path, new: Path) -> None:
    """Formatter timings in this process, one ``format seconds`` line each."""
    import gc

    from taxops.compatibility.compare import Version, compare
    from taxops.formatting import (
        format_github,
        format_json,
        format_junit,
        format_markdown,
        format_text,
    )
    from taxops.validate import check_file

    before, after = check_file(old), check_file(new)
    gc.freeze()
    comparison = compare(
        Version(before.model, before.doc, "old"),  # type: ignore[arg-type]
        Version(after.model, after.doc, "new"),  # type: ignore[arg-type]
    )
    found = [*before.diagnostics, *after.diagnostics, *comparison.diagnostics]
    formatters = {
        "text": lambda: format_text(found),
        "github": lambda: format_github(found),
        "markdown": lambda: format_markdown(found, comparisons=[comparison]),
        "json": lambda: format_json(found),
        "junit": lambda: format_junit(found),
    }
    for name, run in formatters.items():
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            run()
            best = min(best, time.perf_counter() - start)
        print(name, best, len(found))


def formatter_times(tooling: Path, old: Path, new: Path) -> dict[str, tuple[float, int]]:
    done = subprocess.run(
        [sys.executable, __file__, "--worker", str(old), str(new)],
        env={**os.environ, "PYTHONPATH": str(tooling)},
        capture_output=True,
        text=True,
        check=True,
    )
    out = {}
    for line in done.stdout.splitlines():
        name, seconds, count = line.split()
        out[name] = (float(seconds), int(count))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--baseline", type=Path, help="a tooling/ folder")
    parser.add_argument("--worker", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--labels", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--formats", nargs="*", default=list(FORMATS))
    args = parser.parse_args()
    if args.worker:
        worker(*args.worker)
        return
    if args.baseline is None:
        parser.error("--baseline is required")
    OUT.mkdir(exist_ok=True)
    RESULTS.mkdir(exist_ok=True)
    n = args.labels
    old, new = OUT / f"diff-{n}-v1.yaml", OUT / f"diff-{n}-v2.yaml"
    if not old.exists() or not new.exists():
        old.write_text(taxonomy_yaml(n), encoding="utf-8")
        new.write_text(changed_version(n)[0], encoding="utf-8")
    load_before = os.getloadavg()
    rows = []
    for fmt in args.formats:
        base, cand = [], []
        for _ in range(args.runs):
            base.append(once(args.baseline, fmt, old, new))
            cand.append(once(TOOLING, fmt, old, new))
        b, c = statistics.median(base), statistics.median(cand)
        rows.append(f"| {fmt} | {b:.2f} | {c:.2f} | {c / b:.2f} |")
    base_fmt = formatter_times(args.baseline, old, new)
    cand_fmt = formatter_times(TOOLING, old, new)
    findings = next(iter(cand_fmt.values()))[1]
    fmt_rows = [
        f"| {name} | {base_fmt[name][0]:.3f} | {cand_fmt[name][0]:.3f} | "
        f"{cand_fmt[name][0] / base_fmt[name][0]:.2f} |"
        for name in cand_fmt
    ]
    load_after = os.getloadavg()
    report = "\n".join(
        [
            f"`taxops diff` of two {n:,}-label versions (1% of the labels renamed, moved, retired "
            "and added each), "
            f"end to end, "
            f"median of {args.runs} runs each, baseline and candidate alternating. Machine: "
            f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, load average "
            f"{load_before[0]:.1f} at the start and {load_after[0]:.1f} at the end.",
            "",
            "| format | baseline s | candidate s | candidate / baseline |",
            "|---|---:|---:|---:|",
            *rows,
            "",
            f"The formatters alone on the same {findings:,} findings (fastest of 3, in process):",
            "",
            "| format | baseline s | candidate s | candidate / baseline |",
            "|---|---:|---:|---:|",
            *fmt_rows,
        ]
    )
    (RESULTS / "output_formats.md").write_text(report + "\n", encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()
