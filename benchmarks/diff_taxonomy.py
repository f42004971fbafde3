"""Benchmark: compare two 200,000-label versions of a taxonomy (issue 3).

Version 2 changes about 1% of the labels in each way: renamed (new display
name), moved (new parent), retired (tombstone falling back to its parent) and
added. Measured in one run, each in a fresh process:

* ``change set``: :func:`taxops.changes.diff` alone, both versions already loaded;
* ``rules``: the whole comparison (change set, every rule, located findings in
  both files, semver), both versions already loaded;
* ``taxops diff``: the command end to end, loading both files included, output
  written to /dev/null;
* ``plain-dict baseline``: what a team writes first, on the parsed dicts
  (loading excluded): index both versions by id, compare every field, and
  recompute each label's ancestor path to find moves.

Results: a Markdown table on stdout and in ``benchmarks/results/diff_taxonomy.md``.

    python benchmarks/diff_taxonomy.py                # 200,000 labels
    python benchmarks/diff_taxonomy.py --labels 20000
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import taxonomy_yaml

OUT = HERE / "out"
RESULTS = HERE / "results"
HEADER_END = "labels:\n"


def changed_version(n: int, share: float = 0.01) -> tuple[str, dict[str, int]]:
    """Version 2.0.0 of the generated taxonomy with ``share`` of the labels
    renamed, moved, retired and added (each)."""
    text = taxonomy_yaml(n).replace("version: 1.0.0", "version: 2.0.0", 1)
    head, _, body = text.partition(HEADER_END)
    items = body.split("  - id: g")[1:]
    step = int(1 / share)
    first_leaf = n // 10  # labels from here on have no children
    counts = {"renamed": 0, "moved": 0, "retired": 0, "added": 0}
    out = []
    for i, item in enumerate(items):
        block = "  - id: g" + item
        if i % step == 1:
            block = block.replace(f"name: Category {i}\n", f"name: Category {i} (renamed)\n", 1)
            counts["renamed"] += 1
        elif i >= first_leaf and i % step == 2:
            old_parent = f"parent: g{(i - 10) // 10}\n"
            block = block.replace(old_parent, f"parent: g{(i - 10) // 10 + 1}\n", 1)
            counts["moved"] += 1
        elif i >= first_leaf and i % step == 3:
            block = block.replace(
                "    definition:",
                "    status: retired\n    replacement: parent\n    definition:",
                1,
            )
            counts["retired"] += 1
        out.append(block)
    for k in range(n // step):
        out.append(f"  - id: added{k}\n    name: Added {k}\n    parent: g{k}\n")
        counts["added"] += 1
    return head + HEADER_END + "".join(out), counts


def plain_dict_diff(old: dict, new: dict) -> int:
    """The baseline: field changes and recomputed ancestor paths on plain dicts."""
    before = {label["id"]: label for label in old["labels"]}
    after = {label["id"]: label for label in new["labels"]}

    def paths(index: dict) -> dict:
        memo: dict = {}

        def path(label_id: str) -> tuple:
            if label_id in memo:
                return memo[label_id]
            parent = index[label_id].get("parent")
            result = (*path(parent), label_id) if parent in index else (label_id,)
            memo[label_id] = result
            return result

        return {label_id: path(label_id) for label_id in index}

    sys.setrecursionlimit(100_000)
    old_paths, new_paths = paths(before), paths(after)
    changes = 0
    for label_id, label in after.items():
        was = before.get(label_id)
        if was is None:
            changes += 1
            continue
        for key in set(was) | set(label):
            if was.get(key) != label.get(key):
                changes += 1
        if old_paths[label_id] != new_paths[label_id]:
            changes += 1
    changes += sum(1 for label_id in before if label_id not in after)
    return changes


def worker(mode: str, old_path: Path, new_path: Path) -> None:
    """One measurement in this process, printed as JSON."""
    from taxops.validate import check_file

    if mode == "taxops-diff":
        from taxops.cli.main import main

        start = time.perf_counter()
        with open(os.devnull, "w") as sink:
            saved, sys.stdout = sys.stdout, sink
            try:
                code = main(["diff", str(old_path), str(new_path)])
            finally:
                sys.stdout = saved
        seconds, result = time.perf_counter() - start, {"exit": code}
    elif mode == "plain-dict":
        import yaml_rs

        old = yaml_rs.loads(old_path.read_text(encoding="utf-8"), parse_datetime=False)
        new = yaml_rs.loads(new_path.read_text(encoding="utf-8"), parse_datetime=False)
        start = time.perf_counter()
        found = plain_dict_diff(old, new)
        seconds, result = time.perf_counter() - start, {"changes": found}
    else:
        import gc

        old_checked, new_checked = check_file(old_path), check_file(new_path)
        gc.freeze()  # as the CLI does once both versions are loaded
        if mode == "change-set":
            from taxops.changes import diff

            start = time.perf_counter()
            changes = diff(old_checked.model, new_checked.model)  # type: ignore[arg-type]
            seconds = time.perf_counter() - start
            kinds: dict[str, int] = {}
            for c in changes:
                kinds[c.kind.value] = kinds.get(c.kind.value, 0) + 1
            result = {"changes": len(changes), "kinds": kinds}
        else:
            from taxops.compatibility.compare import Version, compare

            start = time.perf_counter()
            comparison = compare(
                Version(old_checked.model, old_checked.doc, "old"),  # type: ignore[arg-type]
                Version(new_checked.model, new_checked.doc, "new"),  # type: ignore[arg-type]
            )
            seconds = time.perf_counter() - start
            result = {
                "findings": len(comparison.diagnostics),
                "required": comparison.required.value,
            }
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, **result}))


def measure(mode: str, old: Path, new: Path) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--worker", mode, str(old), str(new)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--worker", nargs=3, metavar=("MODE", "OLD", "NEW"))
    parser.add_argument("--labels", type=int, default=200_000)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker[0], Path(args.worker[1]), Path(args.worker[2]))
        return
    OUT.mkdir(exist_ok=True)
    RESULTS.mkdir(exist_ok=True)
    n = args.labels
    old, new = OUT / f"diff-{n}-v1.yaml", OUT / f"diff-{n}-v2.yaml"
    old.write_text(taxonomy_yaml(n), encoding="utf-8")
    text, counts = changed_version(n)
    new.write_text(text, encoding="utf-8")
    cells = {
        "change set (taxops.changes.diff)": measure("change-set", old, new),
        "comparison (change set + rules + locations + semver)": measure("compare", old, new),
        "taxops diff, end to end (loading both included)": measure("taxops-diff", old, new),
        "plain-dict baseline (loading excluded)": measure("plain-dict", old, new),
    }
    lines = [
        f"Two versions of {n:,} labels ({old.stat().st_size / 1e6:.0f} MB each); version 2 "
        + ", ".join(f"{v:,} {k}" for k, v in counts.items())
        + f". Machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}.",
        "",
        "| what | seconds | peak memory | result |",
        "|---|---:|---:|---|",
    ]
    for name, cell in cells.items():
        extra = {k: v for k, v in cell.items() if k not in ("seconds", "peak_mb")}
        lines.append(
            f"| {name} | {cell['seconds']:.2f} | {cell['peak_mb']:.0f} MB | `{json.dumps(extra)}` |"
        )
    report = "\n".join(lines) + "\n"
    (RESULTS / "diff_taxonomy.md").write_text(report, encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()
