"""``taxops redact``: a redacted copy of a dataset, by the privacy policy's rules."""

from __future__ import annotations

import argparse
import json
import sys

from taxops.cli import argtypes, exit_codes
from taxops.cli.commands import Command
from taxops.cli.commands.common import (
    add_csv_dialect,
    add_repo,
    progress_bar,
    repo_root,
    say,
    write,
)
from taxops.collisions import refuse_collisions
from taxops.diagnostics import TaxopsError


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "dataset",
        metavar="DATASET",
        help="a registered dataset's id (policies/datasets.yaml), or a CSV, TSV, JSONL or "
        "Parquet file",
    )
    p.add_argument(
        "--output",
        "-o",
        type=argtypes.writes("--output"),
        required=True,
        metavar="FILE",
        help="redacted copy",
    )
    p.add_argument(
        "--report",
        type=argtypes.writes("--report"),
        metavar="FILE",
        help="report (default: OUTPUT.redaction.json)",
    )
    p.add_argument(
        "--data-class",
        metavar="CLASS",
        help="the data class of the file's text fields (default: the registry's)",
    )
    p.add_argument(
        "--label-column",
        metavar="COLUMN",
        help="never redacted (default: the registry's label column)",
    )
    p.add_argument("--format", choices=("csv", "tsv", "jsonl", "parquet"), help="file format")
    add_csv_dialect(p)
    p.add_argument("--memory-limit", metavar="SIZE", help="DuckDB memory limit, e.g. 2GB")
    p.add_argument(
        "--threads",
        type=argtypes.int_range(1, 1024),
        metavar="N",
        help="DuckDB threads (default: all cores)",
    )
    shown = p.add_mutually_exclusive_group()
    shown.add_argument("--progress", action="store_true", default=None, help="show progress")
    shown.add_argument("--no-progress", dest="progress", action="store_false", help="never")
    add_repo(p)


def run(args: argparse.Namespace) -> int:
    from taxops.engines.datasets import detect_format
    from taxops.engines.redact import redact_file, report_text
    from taxops.engines.staging import staged
    from taxops.policies import dataset_file, load_policies
    from taxops.writing import write_atomic

    root = repo_root(args)
    assert root is not None
    source, d, found = dataset_file(
        root, args.dataset, "download it and run taxops redact on the file with --data-class"
    )
    policies = found or load_policies(root)
    dataset_id, data_class, label = None, args.data_class, args.label_column
    if d is not None:
        dataset_id, data_class, label = d.id, data_class or d.data_class, label or d.label_column
    if data_class is None:
        raise TaxopsError(
            f"which data class does {source} hold?",
            "pass --data-class CLASS (a class of policies/privacy.yaml), or register the dataset",
        )
    privacy = policies.privacy_policy
    if privacy is None:
        raise TaxopsError("there is no privacy policy: nothing says what to redact",
                          "add policies/privacy.yaml ('taxops: privacy/1')")  # fmt: skip
    fmt = detect_format(source, args.format)
    report_path = args.report or args.output.with_name(args.output.name + ".redaction.json")
    refuse_collisions(
        [("the redacted copy", args.output), ("the redaction report", report_path)],
        [("the dataset", source)],
        root,
    )
    show = args.progress if args.progress is not None else sys.stderr.isatty()
    with staged([args.output, report_path]) as tmp:
        report = redact_file(
            source, fmt, tmp[args.output], privacy.model, data_class,
            dataset_id=dataset_id, skip=[label] if label else [],
            delimiter=args.delimiter, encoding=args.encoding,
            progress=progress_bar() if show else None,
            memory_limit=args.memory_limit, threads=args.threads,
        )  # fmt: skip
        report["dataset"] = str(args.dataset if d is None else d.location)
        report["output"] = str(args.output)
        write_atomic(tmp[report_path], json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    if show:
        sys.stderr.write("\n")
    write(report_text(report))
    say(f"  wrote {args.output}, report {report_path}")
    return exit_codes.OK


COMMAND = Command(
    name="redact",
    summary="write a redacted copy of a dataset, by the privacy policy's rules",
    description="Apply the privacy policy's redaction rules to a CSV, TSV, JSON lines or\n"
    "Parquet dataset: every text field gets its class's rules (a field named in the\n"
    "policy has that field's class, any other the dataset's; the label column none).\n"
    "Streams with DuckDB, keeps every row in order, and writes a report of what was\n"
    "masked per field and rule. A CSV keeps its delimiter and quoting (sniffed, or\n"
    "--delimiter). The input is never modified.",
    configure=configure,
    run=run,
)
