"""``taxops migration-script``: SQL or a standalone Python script that migrates a
dataset where taxops does not run (Spark, a warehouse, a machine without taxops)."""

from __future__ import annotations

import argparse
from pathlib import Path

from taxops.cli import argtypes, exit_codes
from taxops.cli.commands import Command
from taxops.cli.commands.common import (
    add_label_kind,
    add_repo,
    multi_label,
    repo_root,
    say,
    write,
)
from taxops.diagnostics import TaxopsError
from taxops.engines.dataset_input import columns
from taxops.engines.datasets import detect_format
from taxops.engines.python_script import python_script
from taxops.engines.sql_script import DIALECTS, migration_sql
from taxops.history import migration_map
from taxops.writing import write_atomic


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("taxonomy", metavar="TAXONOMY", help="taxonomy id")
    p.add_argument("--from", dest="start", required=True, metavar="VERSION", help="old version")
    p.add_argument(
        "--to", dest="end", metavar="VERSION", help="new version (default: the newest release)"
    )
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--dialect", choices=DIALECTS, help="emit SQL in this dialect")
    what.add_argument("--python", action="store_true", help="emit a standalone Python script")
    p.add_argument("--table", metavar="NAME", help="SQL: the table to migrate")
    p.add_argument("--label-column", metavar="COLUMN", help="SQL: the column holding the label")
    p.add_argument(
        "--columns",
        metavar="A,B,C",
        help="SQL: the table's columns, in order (or give --like to read them from a file)",
    )
    p.add_argument(
        "--like",
        type=argtypes.reads("--like"),
        metavar="FILE",
        help="SQL: a sample file (CSV, Parquet...) with the same columns",
    )
    add_label_kind(p, "SQL: ")
    p.add_argument("--output-table", metavar="NAME", help="SQL: table for migrated rows")
    p.add_argument("--review-table", metavar="NAME", help="SQL: table for the review queue")
    p.add_argument(
        "--output",
        "-o",
        type=argtypes.writes("--output"),
        metavar="FILE",
        help="write to FILE instead of printing",
    )
    add_repo(p)


def run(args: argparse.Namespace) -> int:
    root = repo_root(args)
    assert root is not None
    # What the arguments lack is said before the versions are read (seconds,
    # for a classification's).
    if not args.python and (not args.table or not args.label_column):
        raise TaxopsError(
            "SQL needs the table and its label column", "pass --table and --label-column"
        )
    table_columns = [] if args.python else _columns(args)
    migration = migration_map(root, args.taxonomy, args.start, args.end)
    if args.python:
        text = python_script(migration)
    else:
        text = migration_sql(
            migration,
            dialect=args.dialect,
            table=args.table,
            label_column=args.label_column,
            columns=table_columns,
            output_table=args.output_table,
            review_table=args.review_table,
            multi_label=multi_label(args, migration.kind),
        )
    if args.output:
        write_atomic(args.output, text)
        say(f"wrote {args.output}")
    else:
        write(text)
    return exit_codes.OK


def _columns(args: argparse.Namespace) -> list[str]:
    if args.columns:
        return [c.strip() for c in args.columns.split(",") if c.strip()]
    if args.like:
        # The sample's columns as migrate reads them: a path is a path (never a
        # glob), the CSV dialect sniffed, names exactly as written.
        sample = Path(args.like)
        if not sample.is_file():
            raise TaxopsError(f"no such file: {sample}", "--like names a sample of the dataset")
        found = columns(sample, detect_format(sample))
        if not found:
            raise TaxopsError(f"cannot read the columns of {sample}")
        return found
    raise TaxopsError(
        "SQL needs the table's columns to rewrite one of them",
        "pass --columns id,text,label (in table order), or --like a sample file",
    )


COMMAND = Command(
    name="migration-script",
    summary="emit SQL (DuckDB, Spark, BigQuery, Snowflake, Postgres) or a Python script",
    description="Emit a migration for engines taxops does not run itself: SQL in a dialect\n"
    "(one canonical form transpiled by sqlglot, the map inlined as a VALUES table), or a\n"
    "standalone Python script (stdlib only, CSV/TSV/JSON lines) with no taxops dependency.",
    configure=configure,
    run=run,
)
