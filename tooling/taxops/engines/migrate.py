"""The migrate pipeline, top to bottom: check the request, pick the engine, write
every output under a temporary name, check that the counts add up, then publish
all outputs at once with the provenance that says which version they conform to."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from taxops import __version__
from taxops.collector import paused
from taxops.diagnostics import TaxopsError
from taxops.engines import duckdb_migrate, labelstudio
from taxops.engines.datasets import (
    Outputs,
    fingerprint,
    provenance_record,
    refuse_overlaps,
    review_format,
)
from taxops.engines.staging import staged
from taxops.jsondoc import readable_json
from taxops.migration.model import MigrationMap
from taxops.migration.values import build_report


@dataclass(frozen=True)
class Result:
    report: dict[str, Any]
    outputs: Outputs
    review_written: bool


#: The report's counts per label, written a label per line.
_REPORT_ROWS = ("per_label", "before", "after")


def migrate_dataset(
    job: duckdb_migrate.Job,
    migration: MigrationMap,
    outputs: Outputs,
    progress: duckdb_migrate.Progress | None = None,
    review_filter: Callable[[Path, str, str], dict[str, Any]] | None = None,
    *,
    in_place: bool = False,
    engine: str = "duckdb",
    spark_master: str | None = None,
) -> Result:
    """Migrate one dataset file. Nothing is published unless every row is
    accounted for (migrated + review = input), and nothing runs when two outputs,
    or an output and the input, are one file. ``review_filter`` rewrites the
    review queue before anything is published (the privacy policy's redaction):
    given the queue's path, its format (:func:`review_format`) and the name of
    the fields taxops added (``_taxops``, or ``_taxops2``... when the data has
    those), it returns what it did, for the report. ``engine="spark"`` relabels
    a Parquet file or folder with Spark (:mod:`taxops.engines.spark_migrate`),
    on the session spark-submit or Spark's configuration gives, or on
    ``spark_master``; its outputs are folders of part files."""
    refuse_overlaps(job.source, outputs, in_place)
    finals = outputs.all()
    queue_format = review_format(job.format, outputs.review)
    # A classification's 90,000 values each get a few small objects (their
    # fates, lookups, report lines), all alive to the end: nothing for the
    # collector to find, which scanned the map's entries again and again.
    with staged(finals) as tmp, paused():
        metadata = {"taxops.taxonomy": migration.taxonomy, "taxops.version": migration.to_version}
        if job.format == "label-studio":
            tally = labelstudio.run(
                job.source,
                migration,
                tmp[outputs.dataset],
                tmp[outputs.review],
                control=job.label_column or None,
            )
        elif engine == "spark":
            from taxops.engines import spark_migrate

            if review_filter is not None:
                raise TaxopsError(
                    f"the privacy policy redacts the review queue of {job.source}, which the "
                    "Spark engine does not do yet; nothing was written",
                    "migrate it with the DuckDB engine (the default), which redacts the queue",
                )
            spark = spark_migrate.session(spark_master) if spark_master else None
            tally = spark_migrate.run(
                job, migration, tmp[outputs.dataset], tmp[outputs.review], progress, spark=spark
            )
        else:
            tally = duckdb_migrate.run(
                job,
                migration,
                tmp[outputs.dataset],
                tmp[outputs.review],
                metadata,
                progress,
                queue_format,
            )
        report = build_report(
            migration, tally, dataset=str(job.source), multi_label=job.multi_label
        )
        if not report["check"]["balanced"]:
            raise TaxopsError(
                f"rows do not add up for {job.source}: {report['check']['equation']}; "
                "nothing was written",
                "this is a bug in taxops: please report it with the dataset's shape",
            )
        review_written = tmp[outputs.review].exists()
        if review_written and review_filter is not None:
            report["review_redaction"] = {
                **review_filter(tmp[outputs.review], queue_format, tally.review_key),
                "dataset": str(outputs.review),
            }
        report["outputs"] = {
            "dataset": str(outputs.dataset),
            "review": str(outputs.review) if review_written else None,
        }
        # A label per line in the per-label counts: 150,000 labels written
        # indented took 2 s (Python's encoder runs in C only without indent).
        _write(tmp[outputs.report], readable_json(report, rows=_REPORT_ROWS) + "\n")
        sidecar = provenance_record(
            migration.taxonomy,
            migration.to_version,
            migrated_from=migration.from_version,
            label_column=job.label_column or None,
            multi_label=job.multi_label,
            # How a CSV cell joins several labels: what --apply-review and the
            # next migration read the cells by.
            list_separator=job.list_separator
            if job.multi_label and job.format in ("csv", "tsv")
            else None,
            rows=tally.rows_migrated,
            rows_in_review=tally.rows_review,
            review_queue=outputs.review.name if review_written else None,
            dataset_fingerprint=fingerprint(tmp[outputs.dataset]),
            written_by=f"taxops {__version__}",
        )
        _write(tmp[outputs.sidecar], json.dumps(sidecar, indent=2) + "\n")
    if not review_written:  # a queue from an earlier run is stale now
        if outputs.review.is_dir() and not outputs.review.is_symlink():
            shutil.rmtree(outputs.review)  # Spark's folder of part files
        else:
            outputs.review.unlink(missing_ok=True)
    return Result(report, outputs, review_written)


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
