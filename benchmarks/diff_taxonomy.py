"""Benchmark: ``taxops diff`` end to end, next to a plain-dict change set that
does the same work, in the same run.

Cases (every cell a whole process, the median of ``--repeat`` runs):

* **200,000 labels, cold**: two generated versions (61 MB each); version 2
  renames, moves and retires 1% of the labels each and adds 1%. The release
  cache is off: both files are parsed, validated and checked.
* **200,000 labels, releases seen before**: the same two versions as releases
  of a repository, diffed as ``TAXONOMY@VERSION`` after each release was
  validated once on its own (which filled the release cache; the pair itself
  was never compared before).
* **taxops check of a pull request**: the same two versions in a git
  repository whose main branch released version 1; a branch changes the
  working file to version 2. ``taxops check`` compares it with the last
  release (from the release cache, as CI keeps it with ``actions/cache``),
  ``taxops check --against main`` with main's file (edited since the
  release, so it is loaded, not read from the cache); both validate every
  file first. No aim of its own: the command CI runs, against the same baseline.
* **a published classification of about 97,000 codes**: codes, short titles
  and parents only (``ids: code``, calendar versions); next year's version
  deletes 294 codes outright (no tombstone, as publishers do), adds 3,123 and
  revises 200 titles. Also the same two files saved with CR LF line ends (as
  on Windows), which the same aim should hold for.
* **50,000 removals** against **500 removals** from one 100,000-label version:
  the cost grows with the changes, not with changes times labels.

The **baseline** of each case parses both files with yaml-rs (the parser
taxops uses), indexes them by id and counts the same changes taxops reports
(added, removed, renamed, moved, retired, and the other field changes), with
the collector paused as taxops pauses it. Its count is checked against
taxops' own, so the two do the same work.

Aims (issue 12): 200,000 labels under 3 s cold and under 1 s from the
release cache; the classification under 1.5 s.

    python benchmarks/diff_taxonomy.py
    python benchmarks/diff_taxonomy.py --labels 20000 --repeat 1
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from chart import bar_chart
from generate import (
    classification_codes,
    classification_update,
    classification_yaml,
    taxonomy_yaml,
)
from harness import (
    OUT,
    PYTHON,
    TAXOPS,
    Aim,
    Cell,
    Variant,
    add_run_options,
    measure,
    measure_together,
    run_once,
    seconds_by_case,
    wait_for_quiet,
    write_results,
)

HEADER_END = "labels:\n"

#: The plain-dict change set: what a team writes first, doing the same work.
PLAIN = r"""
import gc, json, sys, yaml_rs
texts = [open(p, encoding="utf-8").read() for p in sys.argv[1:3]]
gc.disable()
old, new = (yaml_rs.loads(t, parse_datetime=False) for t in texts)
before = {lb["id"]: lb for lb in old["labels"]}
after = {lb["id"]: lb for lb in new["labels"]}
kinds = {}
def count(kind):
    kinds[kind] = kinds.get(kind, 0) + 1
def words(text):
    return " ".join(str(text).split()) if text is not None else None
for label_id, lb in after.items():
    was = before.get(label_id)
    if was is None:
        count("label-added")
        continue
    if was.get("status", "active") != lb.get("status", "active"):
        count("label-" + {"retired": "retired", "deprecated": "deprecated"}.get(lb.get("status"), "reactivated"))
    for key, kind in (("name", "name-changed"), ("parent", "parent-changed")):
        if was.get(key) != lb.get(key):
            count(kind)
    if words(was.get("definition")) != words(lb.get("definition")):
        count("definition-changed")
    for alias in set(lb.get("aliases", ())) - set(was.get("aliases", ())):
        count("alias-added")
    for alias in set(was.get("aliases", ())) - set(lb.get("aliases", ())):
        count("alias-removed")
    if was.get("attributes") != lb.get("attributes"):
        count("attribute-changed")
for label_id in before:
    if label_id not in after:
        count("label-removed")
print(json.dumps({"changes": sum(kinds.values()), "kinds": kinds}))
"""


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


def removals(n: int, removed: int) -> str:
    """Version 2.0.0 with ``removed`` leaves deleted outright (no tombstone)."""
    text = taxonomy_yaml(n).replace("version: 1.0.0", "version: 2.0.0", 1)
    head, _, body = text.partition(HEADER_END)
    items = body.split("  - id: g")[1:]
    leaves = list(range(n // 10 + 1, n))
    step = max(1, len(leaves) // removed)
    gone = set(leaves[::step][:removed])
    kept = ["  - id: g" + item for i, item in enumerate(items) if i not in gone]
    return head + HEADER_END + "".join(kept)


def _write(path: Path, text: str) -> Path:
    if not path.exists():
        path.write_text(text, encoding="utf-8")
    return path


def _pull_request(root: Path, v1: Path, v2: Path) -> Path:
    """A repository whose main branch released version 1 of the generated
    taxonomy (its working file the same, with a comment added since: not a
    release's bytes, so ``--against main`` loads it), and a branch changing
    the working file to version 2."""
    folder = root / "taxonomies" / "generated"
    (folder / "releases").mkdir(parents=True)
    (folder / "taxonomy.yaml").write_bytes(b"# next: version 2\n" + v1.read_bytes())
    shutil.copyfile(v1, folder / "releases" / "1.0.0.yaml")
    digest = hashlib.sha256((folder / "releases" / "1.0.0.yaml").read_bytes()).hexdigest()
    (folder / "releases" / "SHA256SUMS").write_text(f"{digest}  1.0.0.yaml\n")
    env = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.com"}  # fmt: skip

    def git(*argv: str) -> None:
        subprocess.run(["git", "-C", str(root), *argv], env=env, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-q", "-m", "release 1.0.0")
    git("checkout", "-q", "-b", "change")
    shutil.copyfile(v2, folder / "taxonomy.yaml")
    git("commit", "-q", "-am", "version 2.0.0")
    return root


def _diff_cells(
    case: str, old: Path, new: Path, repeat: int, *, env: dict[str, str], cwd: Path
) -> tuple[Cell, Cell]:
    base, cell = measure_together(
        case,
        [
            Variant(
                "plain-dict change set (baseline)",
                [PYTHON, "-c", PLAIN, str(old), str(new)],
                baseline=True,
            ),
            Variant(
                "taxops diff",
                [TAXOPS, "diff", str(old), str(new), "--format", "json"],
                env=env,
                cwd=cwd,
            ),
        ],
        repeat=repeat,
    )
    _same_changes(base, cell)
    return base, cell


def _same_changes(base: Cell, cell: Cell) -> None:
    """The baseline counted the changes taxops counted (its change set)."""
    comparisons = cell.extra.get("comparisons") if isinstance(cell.extra, dict) else None
    if not comparisons:
        return
    ours = comparisons[0]["changes"]  # type: ignore[index]
    cell.extra = {"changes": ours, "findings": len(cell.extra.get("diagnostics", []))}  # type: ignore[arg-type]
    theirs = base.extra.get("changes")
    if theirs != ours:
        print(f"  note: baseline counted {theirs} changes, taxops {ours}", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--labels", type=int, default=200_000)
    parser.add_argument("--codes", type=int, default=97_000)
    parser.add_argument("--removals-of", type=int, default=100_000)
    add_run_options(parser)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="taxops-diff-bench-"))  # not a repository
    cold = {"TAXOPS_NO_CACHE": "1"}
    cells: list[Cell] = []
    aims: list[Aim] = []
    try:
        n = args.labels
        v1 = _write(OUT / f"diff-{n}-v1.yaml", taxonomy_yaml(n))
        v2_text, counts = changed_version(n)
        v2 = _write(OUT / f"diff-{n}-v2.yaml", v2_text)
        case = f"{n:,} labels, cold"
        wait_for_quiet(args.quiet_load, args.patience)
        base, cell = _diff_cells(case, v1, v2, args.repeat, env=cold, cwd=work)
        cells += [base, cell]
        aims.append(Aim(f"taxops diff, {case}", cell.seconds, 3.0, "s", cell=cell))

        # The same versions as releases, read from the release cache.
        repo = work / "repo"
        releases = repo / "taxonomies" / "generated" / "releases"
        releases.mkdir(parents=True)
        shutil.copyfile(v1, releases / "1.0.0.yaml")
        shutil.copyfile(v2, releases / "2.0.0.yaml")
        cache = {"TAXOPS_CACHE_DIR": str(work / "cache")}
        warm_argv = [
            TAXOPS,
            "diff",
            "generated@1.0.0",
            "generated@2.0.0",
            "--repo",
            str(repo),
            "--format",
            "json",
        ]
        # Each release is seen once on its own (validated), never this pair: a
        # cache of the pair's result would not be what the case measures.
        for release in sorted(releases.glob("*.yaml")):
            run_once([TAXOPS, "validate", "--repo", str(repo), str(release)], env=cache, cwd=work)
        case = f"{n:,} labels, releases seen before"
        warm = measure(
            case, "taxops diff TAXONOMY@VERSION", warm_argv, repeat=args.repeat, env=cache, cwd=work
        )
        cells += [
            Cell(
                case,
                base.variant,
                base.seconds,
                base.runs,
                base.peak_mb,
                base.load,
                True,
                base.extra,
                base.cpu_seconds,
            ),
            warm,
        ]
        aims.append(Aim(f"taxops diff, {case}", warm.seconds, 1.0, "s", cell=warm))

        # The pull request: CI checks the branch's working file against the
        # last release (in the release cache, as actions/cache keeps it) and
        # against main. No aim of its own: the command CI runs, measured.
        pr = _pull_request(work / "pr", v1, v2)
        for r in sorted((pr / "taxonomies" / "generated" / "releases").glob("*.yaml")):
            run_once([TAXOPS, "validate", "--repo", str(pr), str(r)], env=cache, cwd=pr)
        case = f"{n:,} labels, taxops check of a pull request"
        wait_for_quiet(args.quiet_load, args.patience)
        cells.append(Cell(case, base.variant, base.seconds, base.runs, base.peak_mb,
                          base.load, True, base.extra, base.cpu_seconds))  # fmt: skip
        check = [TAXOPS, "check", "--repo", str(pr), "--format", "json"]
        cells += measure_together(
            case,
            [
                Variant("taxops check (the last release)", check, env=cache, cwd=pr),
                Variant(
                    "taxops check --against main", [*check, "--against", "main"], env=cache, cwd=pr
                ),
            ],
            repeat=args.repeat,
        )

        # A published classification's yearly update.
        codes = classification_codes(args.codes)
        updated, renamed = classification_update(codes, 294, 3123, 200)
        c1 = _write(
            OUT / f"classification-{args.codes}-2024.yaml", classification_yaml(codes, "2024")
        )
        c2 = _write(
            OUT / f"classification-{args.codes}-2025.yaml",
            classification_yaml(updated, "2025", renamed=renamed),
        )
        case = f"classification, {len(codes):,} codes: 294 removed, 3,123 added"
        wait_for_quiet(args.quiet_load, args.patience)
        base, cell = _diff_cells(case, c1, c2, args.repeat, env=cold, cwd=work)
        cells += [base, cell]
        aims.append(Aim(f"taxops diff, {case}", cell.seconds, 1.5, "s", cell=cell))
        # The same files as saved on Windows (or checked out there by git).
        crlf = []
        for path in (c1, c2):
            crlf.append(work / f"crlf-{path.name}")
            crlf[-1].write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
        cell = measure(
            case,
            "taxops diff, the files saved with CR LF",
            [TAXOPS, "diff", str(crlf[0]), str(crlf[1]), "--format", "json"],
            repeat=args.repeat,
            env=cold,
            cwd=work,
        )
        _same_changes(base, cell)
        cells.append(cell)

        # Linear in removals.
        m = args.removals_of
        r1 = _write(OUT / f"removals-{m}-v1.yaml", taxonomy_yaml(m))
        per: dict[int, Cell] = {}
        for k in (500, 50_000):
            rk = _write(OUT / f"removals-{m}-{k}.yaml", removals(m, k))
            case = f"{m:,} labels, {k:,} removed"
            base, cell = _diff_cells(case, r1, rk, args.repeat, env=cold, cwd=work)
            cells += [base, cell]
            per[k] = cell
        growth = per[50_000].seconds / per[500].seconds
        aims.append(
            Aim("taxops diff: 50,000 removals / 500 removals (100x the changes)", growth, 3.0, "x")
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)

    groups = seconds_by_case(cells)
    intro = __doc__.split("\n\n", 1)[1].rsplit("\n\n", 1)[0]
    notes = (
        f"Version 2 of the {args.labels:,}-label case: "
        + ", ".join(f"{v:,} {k}" for k, v in counts.items())
        + ". The linearity aim: with 100 times the removals, taxops takes less than 3 times as "
        "long (a quadratic step would take about 100 times; parsing and checking both files "
        "is the same in both)."
    )
    write_results(
        "diff_taxonomy",
        "taxops diff vs a plain-dict change set",
        intro,
        cells,
        aims,
        notes=notes,
        chart=bar_chart(groups, title="taxops diff, whole process (median seconds)"),
        extra={"generated": counts},
    )


if __name__ == "__main__":
    main()
