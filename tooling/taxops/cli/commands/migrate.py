"""``taxops migrate``: relabel a dataset from one taxonomy version to another."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from taxops.cli import argtypes, exit_codes
from taxops.cli.commands import Command
from taxops.cli.commands.common import (
    add_csv_dialect,
    add_label_kind,
    add_repo,
    multi_label,
    progress_bar,
    repo_root,
    say,
    write,
)
from taxops.diagnostics import TaxopsError
from taxops.engines.dataset_input import guess_label_column
from taxops.engines.datasets import (
    FORMATS,
    default_outputs,
    detect_format,
    read_provenance,
    review_format,
)
from taxops.engines.job import DEFAULT_MAX_LINE_SIZE, Job
from taxops.escaping import terminal
from taxops.history import migration_map
from taxops.migration.values import report_text
from taxops.policies import dataset_file

if TYPE_CHECKING:
    from taxops.models.datasets import Dataset
    from taxops.policies import Policies


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "dataset",
        metavar="DATASET",
        help="CSV, TSV, JSONL, Parquet or Label Studio JSON, or a registered dataset's id "
        "(policies/datasets.yaml)",
    )
    p.add_argument(
        "--taxonomy", metavar="ID", help="taxonomy id (default: from the dataset's provenance)"
    )
    p.add_argument(
        "--from",
        dest="start",
        metavar="VERSION",
        help="version the dataset is labeled with (default: from its provenance)",
    )
    p.add_argument(
        "--to", dest="end", metavar="VERSION", help="target version (default: the newest release)"
    )
    p.add_argument(
        "--label-column",
        metavar="COLUMN",
        help="column (or JSON key) holding the label(s); of a Label Studio export, the "
        "control's name (needed when its project has several)",
    )
    add_label_kind(p)
    p.add_argument(
        "--list-separator",
        type=argtypes.separator,
        metavar="SEP",
        help="separator of labels in a multi-label CSV/TSV cell (default: the one the "
        "dataset's record names, else |)",
    )
    p.add_argument("--format", choices=FORMATS, help="dataset format (default: from the extension)")
    add_csv_dialect(p)
    p.add_argument(
        "--max-line-size",
        type=argtypes.size(1024, 2 * 1024**3),
        default=DEFAULT_MAX_LINE_SIZE,
        metavar="SIZE",
        help="longest CSV record or JSON line read, e.g. 64MB (default: 16MiB); "
        "a longer one goes to the review queue as malformed",
    )
    p.add_argument(
        "--apply-review",
        type=argtypes.reads("--apply-review"),
        metavar="DECISIONS",
        help="merge reviewers' decisions (from 'taxops review pull', or the review project's "
        "Label Studio JSON export) into DATASET, a dataset taxops migrate wrote",
    )
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "--output",
        "-o",
        type=argtypes.writes("--output"),
        metavar="FILE",
        help="migrated dataset to write",
    )
    where.add_argument(
        "--in-place", action="store_true", help="replace DATASET with the migrated rows"
    )
    p.add_argument(
        "--review",
        type=argtypes.writes("--review"),
        metavar="FILE",
        help="review queue (default: OUTPUT.review.EXT)",
    )
    p.add_argument(
        "--report",
        type=argtypes.writes("--report"),
        metavar="FILE",
        help="report (default: OUTPUT.report.json)",
    )
    p.add_argument(
        "--data-class",
        metavar="CLASS",
        help="the data class of the dataset (default: the registry's); when the privacy "
        "policy redacts it, so is the review queue",
    )
    p.add_argument(
        "--memory-limit",
        type=argtypes.memory_limit,
        metavar="SIZE",
        help="DuckDB memory limit, e.g. 2GB (default: 512MB)",
    )
    p.add_argument(
        "--threads",
        type=argtypes.int_range(1, 1024),
        metavar="N",
        help="DuckDB threads (default: all cores)",
    )
    p.add_argument(
        "--engine",
        choices=("duckdb", "spark"),
        default="duckdb",
        help="what relabels the rows: DuckDB on this machine (the default), or Spark for "
        "a Parquet file or folder that outgrows it (the session spark-submit or Spark's "
        "configuration gives; outputs are folders of part files)",
    )
    p.add_argument(
        "--spark-master",
        metavar="URL",
        help="Spark master, e.g. local[4] or spark://host:7077 (default: what spark-submit "
        "or spark-defaults.conf says, else local[*])",
    )
    shown = p.add_mutually_exclusive_group()
    shown.add_argument(
        "--progress", action="store_true", default=None, help="show a progress bar on stderr"
    )
    shown.add_argument("--no-progress", dest="progress", action="store_false", help="never show it")
    add_repo(p)


def run(args: argparse.Namespace) -> int:
    if args.apply_review:
        from taxops.cli.commands.apply_review import apply_review

        args.dataset = Path(args.dataset)
        if not args.dataset.is_file():
            raise TaxopsError(f"no such dataset: {args.dataset}")
        return apply_review(args)
    spark = args.engine == "spark"
    if args.spark_master and not spark:
        raise TaxopsError("--spark-master is for the Spark engine", "add --engine spark")
    if spark and args.in_place:
        raise TaxopsError(
            "the Spark engine writes a folder of part files: it does not replace a dataset "
            "in place",
            "pass --output FOLDER",
        )
    if spark and (args.threads or args.memory_limit):
        raise TaxopsError(
            "--threads and --memory-limit set DuckDB's resources; Spark takes its own from "
            "spark-submit or spark-defaults.conf",
            "drop them, or set spark.executor.cores / spark.executor.memory for Spark",
        )
    root = repo_root(args)
    assert root is not None
    source, registered, policies = dataset_file(
        root,
        args.dataset,
        "take the SQL of 'taxops migration-script' to where it is, or download it",
        kinds=("privacy/1",),  # and the registry: what the dataset is, how its queue is redacted
        folders=spark,
    )
    fmt = detect_format(source, args.format)
    if spark and fmt != "parquet":
        raise TaxopsError(
            f"the Spark engine reads Parquet; {source} is {fmt}",
            "convert it to Parquet, or migrate it with the DuckDB engine (the default)",
        )
    provenance = read_provenance(source) or {}
    if registered is not None:
        provenance = _with_registry(provenance, registered, source)
    taxonomy = args.taxonomy or provenance.get("taxonomy")
    if not taxonomy:
        raise TaxopsError(
            f"{source} does not record which taxonomy it is labeled with",
            "pass --taxonomy ID and --from VERSION",
        )
    if provenance and provenance.get("taxonomy") != taxonomy:
        raise TaxopsError(f"{source} records taxonomy '{provenance['taxonomy']}', not '{taxonomy}'")
    start = _start_version(args.start, provenance, source)
    migration = migration_map(root, taxonomy, start, args.end)
    if migration.from_version == migration.to_version:
        say(f"{source} already conforms to {taxonomy} {migration.to_version}: nothing to migrate")
        return exit_codes.OK

    label_column = args.label_column or provenance.get("label_column")
    guessed = False
    if not label_column and source.is_dir():
        raise TaxopsError("which column holds the labels?", "pass --label-column COLUMN")
    if not label_column and fmt != "label-studio":
        label_column = guess_label_column(source, fmt)
        guessed = label_column is not None
        if not label_column:
            raise TaxopsError("which column holds the labels?", "pass --label-column COLUMN")
    multi = multi_label(args, migration.kind)
    output = source if args.in_place else args.output
    outputs = default_outputs(output, fmt)
    if args.review or args.report:
        outputs = type(outputs)(
            output, args.review or outputs.review, args.report or outputs.report
        )
    job = Job(
        source,
        fmt,
        label_column or "",
        multi,
        args.list_separator or provenance.get("list_separator") or "|",
        args.memory_limit,
        args.threads,
        args.delimiter,
        args.encoding,
        args.max_line_size,
    )
    from taxops.engines.migrate import migrate_dataset  # loads DuckDB

    show = args.progress if args.progress is not None else sys.stderr.isatty()
    data_class = args.data_class or (registered.data_class if registered else None)
    redact = _review_redaction(
        root, policies, data_class, registered, label_column, fmt, args.delimiter
    )
    result = migrate_dataset(
        job,
        migration,
        outputs,
        progress_bar() if show else None,
        redact,
        in_place=args.in_place,
        engine=args.engine,
        spark_master=args.spark_master,
    )
    if show:
        sys.stderr.write("\n")
    text = report_text(result.report)
    if guessed:  # right under the first line, which names the dataset
        head, _, rest = text.partition("\n")
        text = (
            f"{head}\n  label column: '{terminal(label_column or '')}' (found by its name; "
            f"pass --label-column to use another)\n{rest}"
        )
    write(text)
    review = f", review queue {outputs.review}" if result.review_written else ""
    say(f"  wrote {outputs.dataset}{review}, report {outputs.report}")
    if result.report.get("review_redaction"):
        masked = result.report["review_redaction"]["masked"]
        say(f"  review queue redacted by the privacy policy: {masked:,} values masked")
    return exit_codes.OK


def _with_registry(provenance: dict[str, Any], d: Dataset, source: Path) -> dict[str, Any]:
    """The registry says what a registered dataset is labeled with; a provenance
    sidecar that disagrees means one of them is stale."""
    recorded = provenance.get("version")
    if recorded and not provenance.get("stale") and recorded != str(d.version):
        raise TaxopsError(
            f"{source} records that it conforms to {d.taxonomy} {recorded}, but the registry "
            f"says '{d.id}' is labeled with {d.version}",
            "update 'version:' in policies/datasets.yaml (a migration moved it on), or check "
            "the file",
        )
    return {
        **provenance,
        "taxonomy": d.taxonomy,
        "version": str(d.version),
        "label_column": provenance.get("label_column") or d.label_column,
        "stale": False,
    }


def _review_redaction(
    root: Path,
    policies: Policies | None,
    data_class: str | None,
    registered: Dataset | None,
    label_column: str | None,
    fmt: str,
    delimiter: str | None,
) -> Callable[[Path, str, str], dict[str, Any]] | None:
    """Redaction of the review queue by the dataset's class, when the class has
    rules: the dataset's fields, in the dataset's CSV dialect; of what taxops
    added, only a malformed record's raw text (the rest are row numbers and
    labels)."""
    if data_class is None:
        return None
    from taxops.policies import load_policies
    from taxops.redaction.plan import class_rules

    policy = (policies or load_policies(root)).privacy_policy
    if policy is None:
        raise TaxopsError(
            f"data class '{data_class}' was given, but there is no privacy policy",
            "add policies/privacy.yaml ('taxops: privacy/1')",
        )
    dataset_id = registered.id if registered else None
    classes = [data_class] + [
        f.data_class for f in policy.model.fields if f.dataset in (None, dataset_id)
    ]
    if not any(class_rules(policy.model, c) for c in classes if policy.model.data_class(c)):
        return None  # nothing of this dataset is redacted
    queue_format = review_format(fmt)
    if queue_format == "label-studio":
        raise TaxopsError(
            "taxops cannot redact a Label Studio review queue",
            "export the tasks as CSV or JSON lines, then migrate that file",
        )

    def redact(path: Path, queue_format: str, key: str) -> dict[str, Any]:
        from taxops.engines.datasets import queue_fields_without_personal_data
        from taxops.engines.redact import redact_file

        redacted = path.with_name(path.name + ".redacted")
        added = queue_fields_without_personal_data(queue_format, key)
        report = redact_file(
            path, queue_format, redacted, policy.model, data_class,
            dataset_id=dataset_id,
            skip=[*([label_column] if label_column else []), *added],
            delimiter=delimiter,
        )  # fmt: skip
        os.replace(redacted, path)
        return report

    return redact


def _start_version(given: str | None, provenance: dict[str, Any], source: Path) -> str:
    recorded = provenance.get("version")
    if provenance.get("stale"):
        if given:
            return given
        raise TaxopsError(
            f"{source} changed after taxops wrote {source.name}.taxops.json, so the version it "
            f"records ({recorded}) may no longer be true",
            "pass --from VERSION",
        )
    if given and recorded and given != recorded:
        raise TaxopsError(
            f"{source} records that it conforms to {provenance['taxonomy']} {recorded}, "
            f"but --from {given} was given",
            f"leave out --from (it starts at {recorded}), or check you are migrating the right file",
        )
    start = given or recorded
    if not start:
        raise TaxopsError(
            f"{source} does not record which version it is labeled with",
            "pass --from VERSION",
        )
    return str(start)


COMMAND = Command(
    name="migrate",
    summary="relabel a dataset to a newer taxonomy version",
    description="Relabel a dataset (CSV, TSV, JSON lines, Parquet, Label Studio JSON) from one\n"
    "taxonomy version to another with the migration map. Writes the migrated rows (in\n"
    "input order), a review queue of the rows a human must relabel, a report, and a\n"
    "provenance sidecar OUTPUT.taxops.json. migrated + review = input, always checked.\n"
    "The input is never modified unless --in-place is given; outputs appear all at\n"
    "once, only after a successful run.",
    configure=configure,
    run=run,
)
