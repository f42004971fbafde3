"""The README's performance section, made from the results the benchmark
scripts wrote (``results/<name>.json``), never typed by hand.

    python benchmarks/readme_summary.py            # print the section
    python benchmarks/readme_summary.py --write    # replace it in README.md

A test checks that the README's section is what this script makes of the
committed results, so a figure in the README is always one a script measured.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
README = HERE.parent / "README.md"
START = "<!-- performance: written by benchmarks/readme_summary.py -->"
END = "<!-- /performance -->"
#: The benchmarks the section quotes, in the order it shows them.
BENCHMARKS = {
    "load_taxonomy": "Load + validate",
    "diff_taxonomy": "taxops diff",
    "migration_map": "Migration map",
    "relabel": "Relabeling",
    "site_build": "Guideline site",
    "skos_import": "SKOS import",
}


def _figure(value: float, unit: str) -> str:
    if unit == "x":
        return f"{value:.2f}x"
    return f"{value:,.2f} {unit}" if unit == "s" else f"{value:,.0f} {unit}"


def _limit(value: float, unit: str) -> str:
    return f"<= {value:g}x" if unit == "x" else f"<= {value:,g} {unit}"


def _times(value: float, base: float) -> str:
    return f"{value / base:.2f}x" if base else "n/a"


def section(results: Path = RESULTS) -> str:
    """The section's text (between the markers, markers excluded)."""
    lines = [
        "",
        "Every figure below is copied by `benchmarks/readme_summary.py` from the",
        "results a benchmark script wrote (`benchmarks/results/<name>.md`, with every",
        "run, the baseline of each case, CPU time and the chart). Each cell is a whole",
        "process, the median of its runs, next to its baseline measured in the same run;",
        "the machine is a shared 2-core one, so the load is shown: at a load above 2,",
        "wall times include waiting for a core (the results files give CPU time too).",
        "Its speed also drifts by a fifth and more within minutes: where a run timed it,",
        "the probe is a fixed Python loop's seconds at the run's start (lower is faster),",
        "to read an aim in seconds against.",
        "",
        "| benchmark | run (load, probe) | aim | measured | target | |",
        "|---|---|---|---:|---:|---|",
    ]
    missing = []
    for name, title in BENCHMARKS.items():
        path = results / f"{name}.json"
        if not path.is_file():
            missing.append(name)
            continue
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        loads = [c["load"] for c in data["cells"]]
        probe = data["machine"].get("probe_s")
        speed = f", {probe[0]:.2f} s" if probe else ""
        run = f"{data['machine']['date']} ({min(loads):.1f}-{max(loads):.1f}{speed})"
        for aim in data["aims"]:
            met = "met" if aim["met"] else "**not met**"
            lines.append(
                f"| [{title}](benchmarks/results/{name}.md) | {run} | {aim['what']} | "
                f"{_figure(aim['value'], aim['unit'])} | {_limit(aim['limit'], aim['unit'])} | "
                f"{met} |"
            )
    lines.append("")
    lines.append(
        "Each case's baseline, and every variant as a multiple of it in wall time and in "
        "CPU time (user + system; on a loaded machine the steadier of the two):"
    )
    lines.append("")
    for name in BENCHMARKS:
        path = results / f"{name}.json"
        if not path.is_file():
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        cases: dict[str, list[dict[str, Any]]] = {}
        for cell in data["cells"]:
            cases.setdefault(cell["case"], []).append(cell)
        for case, cells in cases.items():
            base = next((c for c in cells if c["baseline"]), None)
            if base is None:
                continue
            versus = [
                f"{c['variant']} {_times(c['seconds'], base['seconds'])} wall, "
                f"{_times(c.get('cpu_seconds', 0), base.get('cpu_seconds', 0))} CPU"
                for c in cells
                if not c["baseline"]
            ]
            lines.append(
                f"- `{name}`, {case}: **{base['variant']}** {base['seconds']:.2f} s "
                f"({base.get('cpu_seconds', 0):.2f} s CPU), {base['peak_mb']:,.0f} MB; "
                + "; ".join(versus)
            )
    if missing:
        lines.append("")
        lines.append("Not measured on this branch yet: " + ", ".join(f"`{m}`" for m in missing))
    lines.append("")
    return "\n".join(lines)


def replaced(readme: str, body: str) -> str:
    head, start, rest = readme.partition(START)
    _, end, tail = rest.partition(END)
    if not start or not end:
        raise SystemExit(f"README.md has no {START} ... {END} section")
    return head + START + body + END + tail


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="replace the section in README.md")
    args = parser.parse_args()
    body = section()
    if args.write:
        README.write_text(replaced(README.read_text(encoding="utf-8"), body), encoding="utf-8")
    else:
        sys.stdout.write(body)


if __name__ == "__main__":
    main()
