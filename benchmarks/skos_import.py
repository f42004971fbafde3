"""Benchmark: importing a published classification's SKOS scheme, next to
reading the same file into rdflib's graph (what the import did before).

The scheme is a classification of about 97,000 codes (chapters, blocks,
categories and their codes, as ``diff_taxonomy.py`` generates it), exported
by ``taxops export --to skos`` and ``--to skos-jsonld`` from a release, then
written as N-Triples and RDF/XML by Oxigraph: the four serialisations
publishers ship, each holding the same triples. Every cell is a whole
process, the median of ``--repeat`` runs:

* **baseline** ``rdflib parse alone``: ``Graph().parse`` of the file, nothing
  else (the first step of the import before this benchmark's change: it then
  asked the graph about each concept);
* ``Oxigraph parse alone``: pyoxigraph's parser streaming the triples, counted
  (the floor: reading the file is all it does);
* ``taxops import``: the file to a validated taxonomy written to disk.

Each serialisation's import is checked to give the same taxonomy as the
Turtle one. Aims (this benchmark's own, for issue 12's "real scale"): the
import at most half of rdflib's parse alone, and under 1 GB.

    python benchmarks/skos_import.py
    python benchmarks/skos_import.py --codes 20000 --repeat 1
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from chart import bar_chart
from generate import classification_codes, classification_yaml
from harness import (
    OUT,
    PYTHON,
    TAXOPS,
    Aim,
    Cell,
    add_run_options,
    measure,
    ratio,
    run_once,
    seconds_by_case,
    wait_for_quiet,
    write_results,
)

RDFLIB = """
import gc, sys
from rdflib import Graph
gc.disable()
graph = Graph().parse(sys.argv[1], format=sys.argv[2])
print(len(graph))
"""
OXIGRAPH = """
import sys
from pyoxigraph import RdfFormat, parse
print(sum(1 for _ in parse(path=sys.argv[1], format=getattr(RdfFormat, sys.argv[2]))))
"""
CONVERT = """
import sys
from pyoxigraph import RdfFormat, parse, serialize
triples = list(parse(path=sys.argv[1], format=RdfFormat.TURTLE))
serialize(triples, sys.argv[2], format=RdfFormat.N_TRIPLES)
serialize(triples, sys.argv[3], format=RdfFormat.RDF_XML)
"""

#: Serialisation: (file suffix, rdflib's format name, pyoxigraph's format name).
SERIALISATIONS = {
    "Turtle": (".ttl", "turtle", "TURTLE"),
    "N-Triples": (".nt", "nt", "N_TRIPLES"),
    "RDF/XML": (".rdf", "xml", "RDF_XML"),
    "JSON-LD": (".jsonld", "json-ld", "JSON_LD"),
}


def schemes(codes: int, work: Path) -> dict[str, Path]:
    """The classification's scheme in each serialisation (made once, kept in OUT)."""
    OUT.mkdir(exist_ok=True)
    files = {
        name: OUT / f"classification-{codes}{suffix}"
        for name, (suffix, _, _) in SERIALISATIONS.items()
    }
    if all(path.exists() for path in files.values()):
        return files
    repo = work / "repo"
    releases = repo / "taxonomies" / "classification" / "releases"
    releases.mkdir(parents=True)
    rows = classification_codes(codes)
    (releases / "2024.yaml").write_text(classification_yaml(rows, "2024"), encoding="utf-8")
    export = [TAXOPS, "export", "classification", "--repo", str(repo)]
    run_once([*export, "--to", "skos", "-o", str(files["Turtle"])])
    run_once([*export, "--to", "skos-jsonld", "-o", str(files["JSON-LD"])])
    run_once(
        [
            PYTHON,
            "-c",
            CONVERT,
            str(files["Turtle"]),
            str(files["N-Triples"]),
            str(files["RDF/XML"]),
        ]
    )
    return files


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--codes", type=int, default=97_000)
    add_run_options(parser)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="taxops-skos-bench-"))  # not a repository
    cells: list[Cell] = []
    aims: list[Aim] = []
    imported: dict[str, str] = {}
    try:
        files = schemes(args.codes, work)
        for name, (_, rdflib_format, ox_format) in SERIALISATIONS.items():
            path = files[name]
            case = f"{name}, {args.codes:,} codes ({path.stat().st_size / 1e6:.0f} MB)"
            wait_for_quiet(args.quiet_load, args.patience)
            base = measure(
                case,
                "rdflib parse alone (baseline)",
                [PYTHON, "-c", RDFLIB, str(path), rdflib_format],
                repeat=args.repeat,
                baseline=True,
            )
            floor = measure(
                case,
                "Oxigraph parse alone",
                [PYTHON, "-c", OXIGRAPH, str(path), ox_format],
                repeat=args.repeat,
            )
            written = work / f"imported-{ox_format}.yaml"
            argv = [TAXOPS, "import", str(path), "--from", "skos", "-o", str(written)]

            def fresh(target: Path = written) -> None:
                target.unlink(missing_ok=True)  # import never overwrites a file

            cell = measure(
                case, "taxops import", argv, repeat=args.repeat, cwd=work, before_each=fresh
            )
            imported[name] = written.read_text(encoding="utf-8")
            cells += [base, floor, cell]
            aims.append(
                Aim(
                    f"taxops import / rdflib parse alone, {name}",
                    ratio(cell, base),
                    0.5,
                    "x",
                    cell=cell,
                )
            )
            aims.append(Aim(f"taxops import: peak memory, {name}", cell.peak_mb, 1000, "MB"))
        different = [name for name, text in imported.items() if text != imported["Turtle"]]
        if different:
            raise SystemExit(f"the import of {', '.join(different)} differs from the Turtle one's")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    chart = bar_chart(seconds_by_case(cells), title="SKOS import, whole process", unit="s")
    write_results(
        "skos_import",
        "SKOS import of a published classification vs rdflib's parse",
        __doc__.split("\n\n")[1]
        + "\n\n"
        + __doc__.split("\n\n")[2]
        + "\n\n"
        + __doc__.split("\n\n")[3],
        cells,
        aims,
        chart=chart,
    )


if __name__ == "__main__":
    main()
