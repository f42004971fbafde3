"""Benchmark: load and validate a large taxonomy, next to parsing it alone.

Generated hierarchical taxonomies (10 children per inner label; each label with
a definition, two aliases and an attribute) of 10,000, 50,000 and 200,000
labels. Every cell is a whole process, the median of ``--repeat`` runs:

* ``taxops validate FILE``: parse, model, every in-file check (outside a
  repository, so only the file is read);
* the same file with one error three quarters in, located at file:line:column:
  a parent that does not exist (an in-file check's finding) and a status that
  does not exist (a model error);
* **baseline** ``yaml-rs parse alone``: the parser taxops uses, on the same
  text, the collector paused as taxops pauses it;
* ``json.loads`` of the same data written as JSON (the collector paused too);
* ``PyYAML C + pydantic``: PyYAML's C loader and the same Pydantic model, the
  collector paused as taxops pauses it (the issue's fairness fix: with the
  collector on it spends most of its time collecting).

Aims (issue 12): at 200,000 labels, taxops within 2x the parse alone and under
1 GB, also with an error to locate.

    python benchmarks/load_taxonomy.py                 # 10k, 50k, 200k
    python benchmarks/load_taxonomy.py --sizes 10000 --repeat 1
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from chart import line_chart
from generate import taxonomy_yaml
from harness import (
    OUT,
    PYTHON,
    TAXOPS,
    Aim,
    Cell,
    add_run_options,
    measure,
    ratio,
    wait_for_quiet,
    write_results,
)

YAML_RS = """
import gc, sys, yaml_rs
text = open(sys.argv[1], encoding="utf-8").read()
gc.disable()
data = yaml_rs.loads(text, parse_datetime=False)
print(len(data["labels"]))
"""
JSON_LOADS = """
import gc, json, sys
text = open(sys.argv[1], encoding="utf-8").read()
gc.disable()
data = json.loads(text)
print(len(data["labels"]))
"""
PYYAML = """
import gc, sys, yaml
from taxops.models.taxonomy import Taxonomy
text = open(sys.argv[1], encoding="utf-8").read()
gc.disable()
model = Taxonomy.model_validate(yaml.load(text, Loader=yaml.CSafeLoader))
print(len(model.labels))
"""


def model_error(text: str, n: int) -> str:
    """The file with one label's status misspelled three quarters in."""
    target = f"  - id: g{n * 3 // 4}\n"
    return text.replace(target, target + "    status: gone\n", 1)


def files(n: int) -> dict[str, Path]:
    OUT.mkdir(exist_ok=True)
    valid = OUT / f"taxonomy-{n}.yaml"
    out = {
        "valid": valid,
        "check-error": OUT / f"taxonomy-{n}-error.yaml",
        "model-error": OUT / f"taxonomy-{n}-model-error.yaml",
        "json": OUT / f"taxonomy-{n}.json",
    }
    if not valid.exists():
        valid.write_text(taxonomy_yaml(n), encoding="utf-8")
    if not out["check-error"].exists():
        out["check-error"].write_text(taxonomy_yaml(n, error_at=n * 3 // 4), encoding="utf-8")
    if not out["model-error"].exists():
        out["model-error"].write_text(model_error(taxonomy_yaml(n), n), encoding="utf-8")
    if not out["json"].exists():
        import yaml_rs

        data = yaml_rs.loads(valid.read_text(encoding="utf-8"), parse_datetime=False)
        out["json"].write_text(json.dumps(data), encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000, 200_000])
    add_run_options(parser)
    args = parser.parse_args()

    cells: list[Cell] = []
    aims: list[Aim] = []
    elsewhere = tempfile.mkdtemp(prefix="taxops-bench-")  # not a governance repository
    for n in args.sizes:
        f = files(n)
        wait_for_quiet(args.quiet_load, args.patience)
        case = f"{n:,} labels ({f['valid'].stat().st_size / 1e6:.0f} MB)"
        validate = [TAXOPS, "validate", "--max-file-size", "1024"]
        parse = measure(
            case,
            "yaml-rs parse alone",
            [PYTHON, "-c", YAML_RS, str(f["valid"])],
            repeat=args.repeat,
            baseline=True,
        )
        row = [
            parse,
            measure(
                case, "json.loads", [PYTHON, "-c", JSON_LOADS, str(f["json"])], repeat=args.repeat
            ),
            measure(
                case,
                "PyYAML C + pydantic (collector paused)",
                [PYTHON, "-c", PYYAML, str(f["valid"])],
                repeat=args.repeat,
            ),
            measure(
                case,
                "taxops validate",
                [*validate, str(f["valid"])],
                repeat=args.repeat,
                cwd=Path(elsewhere),
            ),
            measure(
                case,
                "taxops validate, 1 check error",
                [*validate, str(f["check-error"])],
                repeat=args.repeat,
                cwd=Path(elsewhere),
            ),
            measure(
                case,
                "taxops validate, 1 model error",
                [*validate, str(f["model-error"])],
                repeat=args.repeat,
                cwd=Path(elsewhere),
            ),
        ]
        cells += row
        if n == max(args.sizes):
            for cell in row[3:]:
                aims.append(
                    Aim(
                        f"{cell.variant} / yaml-rs parse alone, {n:,} labels",
                        ratio(cell, parse),
                        2.0,
                        "x",
                        cell=cell,
                    )
                )
                aims.append(
                    Aim(f"{cell.variant}: peak memory, {n:,} labels", cell.peak_mb, 1000, "MB")
                )

    series: dict[str, list[tuple[float, float]]] = {}
    for c in cells:
        n = int(c.case.split()[0].replace(",", ""))
        series.setdefault(c.variant, []).append((n, c.seconds))
    chart = line_chart(
        series, title="Load + validate, whole process", x_label="labels", y_label="seconds"
    )
    write_results(
        "load_taxonomy",
        "Load + validate a taxonomy vs parsing it alone",
        __doc__.split("\n\n")[1] + "\n\n" + __doc__.split("\n\n")[2],
        cells,
        aims,
        chart=chart,
    )


if __name__ == "__main__":
    main()
