"""Benchmark: build the guideline site for generated taxonomies of 500 to 5,000
labels (issue 5).

Each size is a generated repository: a hierarchical taxonomy (10 children per
inner label, one attribute each), two earlier releases (so briefings and label
histories have real changes to show), and a complete guideline: every label with
a definition, criteria, two examples and a near miss, a decision rule per group of
siblings, an edge case per 50 labels. Each build runs in a fresh process and is
the real thing: ``mkdocs build --strict`` with mkdocs-material, its search index,
and the taxops plugin, writing every page to disk.

Reported: wall seconds for the whole build and for taxops' part (load, validate,
assemble, render), peak memory, and growth against linear (seconds per label,
relative to the smallest size: 1.00 is perfectly linear).

Results: a Markdown table on stdout and in ``benchmarks/results/site_build.md``,
and an SVG chart beside it.

    python benchmarks/site_build.py                    # 500, 1000, 2000, 5000
    python benchmarks/site_build.py --sizes 500 --keep # keep the generated repo
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from chart import line_chart

RESULTS = HERE / "results"
SIZES = (500, 1000, 2000, 5000)
FANOUT = 10

MKDOCS_YML = """\
site_name: Generated guideline site
docs_dir: site/docs
site_dir: site-build
theme:
  name: material
  font: false
plugins:
  - search
  - taxops
nav:
  - Home: index.md
"""


def label_ids(n: int) -> list[tuple[str, str | None]]:
    """(id, parent id) of ``n`` labels: the first ten are roots, then each label
    has ``FANOUT`` children."""
    out: list[tuple[str, str | None]] = []
    for i in range(n):
        parent = None if i < FANOUT else out[(i - FANOUT) // FANOUT][0]
        out.append((f"g{i}" if parent is None else f"{parent}.c{i}", parent))
    return out


def taxonomy_yaml(n: int, version: str, *, edit: int = 0, retire_every: int = 0) -> str:
    """A taxonomy of ``n`` labels. ``edit`` changes the wording of every
    ``edit``-th definition; ``retire_every`` retires every such leaf (in favour of
    its parent), as a major release would."""
    ids = label_ids(n)
    parents = {p for _, p in ids if p}
    lines = [
        "taxops: taxonomy/1",
        "id: generated",
        f"title: Generated catalogue of {n:,} labels",
        f"version: {version}",
        "kind: hierarchical",
        "owners: [ops@example.com]",
        "description: A generated product catalogue, for the site benchmark.",
        "labels:",
    ]
    for i, (label, parent) in enumerate(ids):
        reworded = " Updated wording." if edit and i % edit == 0 else ""
        lines += [f"  - id: {label}", f"    name: Category {i}"]
        if parent:
            lines.append(f"    parent: {parent}")
        lines += [
            "    definition: >-",
            f"      Items of category {i}: what a labeler sees, the cues that tell it apart",
            f"      from its siblings, and what it is not.{reworded}",
            f"    aliases: [cat-{i}]",
            "    attributes:",
            "      - name: occluded",
            "        type: bool",
        ]
        if retire_every and parent and label not in parents and i % retire_every == 0:
            lines += ["    status: retired", "    replacement: parent"]
    return "\n".join(lines) + "\n"


def guideline_yaml(n: int, *, retire_every: int) -> str:
    ids = label_ids(n)
    parents = {p for _, p in ids if p}
    retired = {
        label
        for i, (label, parent) in enumerate(ids)
        if parent and label not in parents and i % retire_every == 0
    }
    active = [label for label, _ in ids if label not in retired]
    position = {label: k for k, label in enumerate(active)}
    lines = [
        "taxops: guideline/1",
        "taxonomy: generated",
        "version: 2.0.0",
        "introduction: |",
        "  Label the **main object** of each item. Use the most specific label you are sure of.",
        "escalation:",
        "  - when: The decision rules do not settle it.",
        "    contact: Shift lead",
        '    channel: "#labeling"',
        "    response_time: within 2 working hours",
        "labels:",
    ]
    for i, (label, _parent) in enumerate(ids):
        other = active[(position[label] + 1) % len(active)] if label in position else active[0]
        lines += [f"  - label: {label}"]
        if label in retired:
            lines += ["    historical: true"]
        lines += [
            "    include:",
            f"      - The item shows the **main cue** of category {i}.",
            "    exclude:",
            f"      - when: The item shows the cue of the next category instead.\n        use: {other}",
            "    examples:",
            f"      - content: Item {i}-a, clearly category {i}, seen from the front.",
            f"        why: The main cue of category {i} is visible.",
            f"      - content: Item {i}-b, category {i} seen from the side.",
            "        why: Side views keep the cue; see `" + label + "`.",
            "    near_misses:",
            f"      - content: Item {i}-c, looks like category {i} but shows the other cue.",
            f"        label: {other}",
            "        why: The cue decides, not the shape.",
        ]
    lines.append("decision_rules:")
    by_parent: dict[str, list[str]] = {}
    for label, parent in ids:
        if parent and label in active:
            by_parent.setdefault(parent, []).append(label)
    for k, (parent, children) in enumerate(by_parent.items()):
        if len(children) < 2:
            continue
        lines += [f"  - id: rule-{k}", f"    title: Which child of {parent}?", "    steps:"]
        for child in children[:3]:
            lines += [f"      - when: The item shows the cue of {child}.", f"        use: {child}"]
    lines.append("edge_cases:")
    for k in range(0, len(active), 50):
        lines += [
            f"  - question: Item {k} shows two cues at once.",
            "    decision: The cue in front decides.",
            f"    use: {active[k]}",
            "    date: 2025-01-10",
            "    decided_by: Weekly calibration",
        ]
    lines += [
        "changelog:",
        "  - version: 2.0.0",
        "    date: 2025-01-13",
        "    what: Retired labels fall back to their parent.",
        "    why: Too few items to learn them.",
        "    taxonomy_version: 2.0.0",
        "  - version: 1.0.0",
        "    date: 2024-01-15",
        "    what: First guideline.",
        "    why: Labeling starts.",
        "    taxonomy_version: 1.0.0",
    ]
    return "\n".join(lines) + "\n"


def generate(root: Path, n: int) -> None:
    retire_every = 37
    folder = root / "taxonomies" / "generated"
    (folder / "releases").mkdir(parents=True)
    (folder / "releases" / "1.0.0.yaml").write_text(taxonomy_yaml(n, "1.0.0"))
    (folder / "releases" / "1.1.0.yaml").write_text(taxonomy_yaml(n, "1.1.0", edit=7))
    current = taxonomy_yaml(n, "2.0.0", edit=7, retire_every=retire_every)
    (folder / "releases" / "2.0.0.yaml").write_text(current)
    (folder / "taxonomy.yaml").write_text(current)
    (root / "guidelines").mkdir()
    (root / "guidelines" / "generated.yaml").write_text(
        guideline_yaml(n, retire_every=retire_every)
    )
    (root / "site" / "docs").mkdir(parents=True)
    (root / "site" / "docs" / "index.md").write_text("# Generated guideline site\n")
    (root / "mkdocs.yml").write_text(MKDOCS_YML)


def worker(root: Path) -> None:
    """One strict build, timed, in this process; prints JSON."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from taxops.site import plugin

    taxops_seconds = 0.0
    original = plugin.build_site

    def timed(*args: object, **kwargs: object) -> object:
        nonlocal taxops_seconds
        start = time.perf_counter()
        result = original(*args, **kwargs)  # type: ignore[arg-type]
        taxops_seconds += time.perf_counter() - start
        return result

    plugin.build_site = timed  # type: ignore[assignment]
    start = time.perf_counter()
    build(load_config(config_file=str(root / "mkdocs.yml"), strict=True))
    seconds = time.perf_counter() - start
    pages = sum(1 for _ in (root / "site-build").rglob("index.html"))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {"seconds": seconds, "taxops": taxops_seconds, "pages": pages, "peak_mb": peak_mb}
        )
    )


def measure(n: int, keep: bool) -> dict[str, float]:
    root = Path(tempfile.mkdtemp(prefix=f"taxops-site-{n}-"))
    try:
        generate(root, n)
        done = subprocess.run(
            [sys.executable, __file__, "--worker", str(root)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise SystemExit(f"build of {n} labels failed:\n{done.stderr[-3000:]}")
        result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
        return result
    finally:
        if keep:
            print(f"kept {root}", file=sys.stderr)
        else:
            shutil.rmtree(root, ignore_errors=True)


def report(rows: list[tuple[int, dict[str, float]]]) -> str:
    base_n, base = rows[0]
    out = [
        "| labels | pages | build (s) | taxops part (s) | peak MB | s per 1,000 labels | growth vs linear |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, r in rows:
        per_k = r["seconds"] / n * 1000
        growth = (r["seconds"] / base["seconds"]) / (n / base_n)
        out.append(
            f"| {n:,} | {r['pages']:,.0f} | {r['seconds']:.1f} | {r['taxops']:.1f} | "
            f"{r['peak_mb']:.0f} | {per_k:.2f} | {growth:.2f} |"
        )
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--keep", action="store_true", help="keep the generated repositories")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker)
        return
    rows = []
    for n in args.sizes:
        result = measure(n, args.keep)
        rows.append((n, result))
        print(f"{n:>6,} labels: {result['seconds']:.1f} s", file=sys.stderr)
    table = report(rows)
    header = (
        "# Site build: `mkdocs build --strict` with the taxops plugin\n\n"
        f"{os.cpu_count()} cores, Python {sys.version.split()[0]}; each size in a fresh process. "
        "Growth vs linear is (seconds / seconds at the smallest size) / (labels / smallest labels): "
        "1.00 is linear.\n\n"
    )
    print(table)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "site_build.md").write_text(header + table + "\n![chart](site_build.svg)\n")
    chart = line_chart(
        {
            "whole build": [(n, r["seconds"]) for n, r in rows],
            "taxops part": [(n, r["taxops"]) for n, r in rows],
        },
        title="Guideline site build time",
        x_label="labels",
        y_label="seconds",
    )
    (RESULTS / "site_build.svg").write_text(chart)


if __name__ == "__main__":
    main()
