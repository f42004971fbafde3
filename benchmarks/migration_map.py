"""taxops migration-map of a published classification's yearly update, next
to a plain-dict map that does the same work.

Cases (every cell a whole process, the median of ``--repeat`` runs):

* **classification, about 97,000 codes**: a repository whose release is this
  year's version of the classification of ``benchmarks/diff_taxonomy.py``
  (codes, short titles, parents; ``ids: code``, calendar versions) and whose
  working file is next year's: 294 codes deleted outright (as publishers do:
  no tombstone, so each is unmapped, with suggested replacements), 3,123
  added, 200 titles revised. ``taxops migration-map`` maps the release to the
  working file, as a reviewer asks for it on the pull request (a map that reads
  the working file is built every time; the release is read from the release
  cache, filled once by ``taxops validate``), written as YAML (the default)
  and as JSON.

The **baseline** parses both files with yaml-rs (the parser taxops uses),
indexes the new codes and writes one entry per old code with the fields of
taxops' map (kept when the new version has it, else to review), as indented
JSON: what a team writes first, without tombstones, suggestions or checks.
No aim of its own (issue 12 sets none for the map); the ratio is what a map of
a real classification costs against that floor.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from chart import bar_chart
from generate import classification_codes, classification_update, classification_yaml
from harness import (
    OUT,
    PYTHON,
    TAXOPS,
    Cell,
    add_run_options,
    measure,
    run_once,
    seconds_by_case,
    wait_for_quiet,
    write_results,
)

#: The plain-dict map: both files parsed, every old code kept or sent to review.
PLAIN = r"""
import gc, json, sys, yaml_rs
texts = [open(p, encoding="utf-8").read() for p in sys.argv[1:3]]
gc.disable()
old, new = (yaml_rs.loads(t, parse_datetime=False) for t in texts)
after = {lb["id"]: lb for lb in new["labels"]}
entries = []
for lb in old["labels"]:
    kept = lb["id"] in after
    entries.append({
        "label": lb["id"], "action": "keep" if kept else "review",
        "mode": "keep" if kept else "review", "targets": [lb["id"]] if kept else [],
        "hints": [], "deprecated": False, "renamed": None, "moved": None, "note": None,
        "via": [], "narrowed_to": [], "suggestions": [],
    })
doc = {"schema": "taxops/migration-map/1", "entries": entries,
       "valid_labels": list(after)}
with open(sys.argv[3], "w", encoding="utf-8") as out:
    json.dump(doc, out, indent=2)
print(json.dumps({"entries": len(entries)}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--codes", type=int, default=97_000)
    add_run_options(parser)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="taxops-map-bench-"))
    cells: list[Cell] = []
    try:
        codes = classification_codes(args.codes)
        updated, renamed = classification_update(codes, 294, 3123, 200)
        # A map is made to a valid version: an added code's generated title may
        # read the same as a sibling's, which a publisher's never does.
        updated = [(c, p, f"{t} ({c})" if ".N" in c else t) for c, p, t in updated]
        folder = work / "repo" / "taxonomies" / "classification"
        (folder / "releases").mkdir(parents=True)
        release = folder / "releases" / "2024.yaml"
        release.write_text(classification_yaml(codes, "2024"), encoding="utf-8")
        working = folder / "taxonomy.yaml"
        working.write_text(classification_yaml(updated, "2025", renamed=renamed), encoding="utf-8")
        repo = folder.parent.parent
        cache = {"TAXOPS_CACHE_DIR": str(work / "cache")}
        run_once([TAXOPS, "validate", "--repo", str(repo), str(release)], env=cache, cwd=work)
        case = f"classification, {len(codes):,} codes: 294 deleted, 3,123 added"
        wait_for_quiet(args.quiet_load, args.patience)
        cells.append(
            measure(
                case,
                "plain-dict map, JSON (baseline)",
                [PYTHON, "-c", PLAIN, str(release), str(working), str(work / "plain.json")],
                repeat=args.repeat,
                baseline=True,
            )
        )
        for fmt in ("yaml", "json"):
            argv = [TAXOPS, "migration-map", "classification", "--from", "2024", "--to", "2025"]
            argv += ["--repo", str(repo), "--format", fmt, "--output", str(work / f"map.{fmt}")]
            cells.append(
                measure(
                    case,
                    f"taxops migration-map, {fmt.upper()}",
                    argv,
                    repeat=args.repeat,
                    env=cache,
                    cwd=work,
                )
            )
            cells[-1].extra = {"bytes": (work / f"map.{fmt}").stat().st_size}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    intro = __doc__.split("\n\n", 1)[1]
    groups = seconds_by_case(cells)
    write_results(
        "migration_map",
        "taxops migration-map vs a plain-dict map",
        intro,
        cells,
        [],
        chart=bar_chart(groups, title="taxops migration-map, whole process (median seconds)"),
    )


if __name__ == "__main__":
    main()
