"""Relabel a Parquet dataset with Spark, for data that outgrows one machine
(``taxops migrate --engine spark``).

The same migration as the DuckDB engine (:mod:`taxops.engines.duckdb_migrate`),
decided in the same place: one aggregate counts the distinct raw values of the
label column, :func:`taxops.migration.values.classify` decides each value's fate
once, in Python, and Spark applies those decisions to every row. What differs
is how Spark does it at scale:

1. The session is the user's: ``spark-submit`` (or ``$SPARK_HOME/conf``,
   ``PYSPARK_SUBMIT_ARGS``) decides the master and the resources; taxops only
   names the application. Outside a cluster it runs on ``local[*]``.
2. A row's position in the input is Parquet's own: the file it is in (files
   in name order) and its index in that file (``_metadata.row_index``), so the
   order survives any shuffle and every output is sorted by it.
3. The fates travel as a small table, broadcast to every executor and joined
   on the raw value (a hash lookup, never a scan of the map per row). A list
   column is exploded for the join and gathered back per row, its order kept.
4. Outputs are Spark's: a folder of Parquet part files, named in order, for
   the migrated rows and for the review queue (the input's columns and a
   ``_taxops`` struct: the row's 1-based position, the reason, the old label(s)
   and the candidate labels).
5. Rows in = rows migrated + rows for review is checked from Spark's own
   counts: the aggregate over the input, and each written output counted back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from taxops.diagnostics import TaxopsError
from taxops.migration.model import MigrationMap
from taxops.migration.values import (
    UNKNOWN_LABEL,
    Disposition,
    Tally,
    ValueFate,
    classify,
    review_reason,
)

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

    from taxops.engines.duckdb_migrate import Job

Progress = Callable[[str, float], None]
RESERVED = "_taxops"
APP_NAME = "taxops migrate"


def session(master: str | None = None, conf: Iterable[tuple[str, str]] = ()) -> SparkSession:
    """The running Spark session, or a new one configured as Spark configures
    itself (spark-submit, spark-defaults.conf); ``master`` and ``conf`` only
    when the user gave them."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise TaxopsError(
            "the Spark engine needs PySpark, which is not installed",
            "pip install 'taxops[spark]' (or run under spark-submit), or use the DuckDB engine",
        ) from None
    active = SparkSession.getActiveSession()
    if active is not None and master is None and not conf:
        return active
    builder = SparkSession.builder.appName(APP_NAME)
    if master:
        builder = builder.master(master)
    for key, value in conf:
        builder = builder.config(key, value)
    return builder.getOrCreate()


def run(
    job: Job,
    migration: MigrationMap,
    dataset_out: Path,
    review_out: Path,
    progress: Progress | None = None,
    spark: SparkSession | None = None,
) -> Tally:
    """Write the migrated rows and the review queue (Parquet folders); return
    the counts, all of them Spark's."""
    from pyspark.sql import functions as F

    if job.format != "parquet":
        raise TaxopsError(
            f"the Spark engine reads Parquet; {job.source} is {job.format}",
            "convert it to Parquet, or migrate it with the DuckDB engine (the default)",
        )
    spark = spark or session()
    report = progress or (lambda phase, pct: None)
    frame = spark.read.parquet(str(job.source))
    names = list(frame.columns)
    q = _Names(names)
    label = job.label_column
    _check_label(frame, job)

    report("count", 0.0)
    positioned = _positioned(spark, frame, q)
    tally = Tally()
    values, rows_in = _count(positioned, q, job, tally)
    tally.rows_in = rows_in
    tally.values = values
    report("count", 100.0)

    fates = [classify(v, migration) for v in values if v is not None]
    fated = _apply(spark, positioned, q, job, fates)
    review = F.coalesce(F.col(q.flag), F.lit(False))

    report("relabel", 0.0)
    columns = [F.col(q.new).alias(label) if c == label else F.col(_quoted(c)) for c in names]
    (
        fated.where(~review)
        .select(*columns, F.col(q.pos))
        .orderBy(q.pos)
        .drop(q.pos)
        .write.mode("errorifexists")
        .parquet(str(dataset_out))
    )
    tally.rows_migrated = spark.read.parquet(str(dataset_out)).count()
    report("relabel", 100.0)

    if any(f.disposition.to_review for f in fates):
        report("review", 0.0)
        key = review_key(names)
        added = F.struct(
            F.col(q.pos).alias("row"),
            F.col(q.why).alias("reason"),
            F.col(_quoted(label)).alias("old_label"),
            F.col(q.cand).alias("candidates"),
        )
        (
            fated.where(review)
            .select(*(F.col(_quoted(c)) for c in names), added.alias(key), F.col(q.pos))
            .orderBy(q.pos)
            .drop(q.pos)
            .write.mode("errorifexists")
            .parquet(str(review_out))
        )
        written = spark.read.parquet(str(review_out))
        tally.rows_review = written.count()
        for reason_name, n in written.groupBy(F.col(f"{_quoted(key)}.reason")).count().collect():
            tally.review_reasons[str(reason_name)] += int(n)
        report("review", 100.0)
    return tally


def review_key(names: list[str]) -> str:
    """``_taxops``, or the next free ``_taxopsN`` after the highest the data
    already uses (a review queue migrated again), as the DuckDB engine names it."""
    candidates = [RESERVED, *(f"{RESERVED}{n}" for n in range(2, 10))]
    taken = {n.casefold() for n in names}
    last = max((i for i, c in enumerate(candidates) if c.casefold() in taken), default=-1)
    if last + 1 < len(candidates):
        return candidates[last + 1]
    raise TaxopsError(
        f"the dataset already uses every name taxops would add to its review rows "
        f"({', '.join(candidates)})",
        "rename those columns before migrating",
    )


class _Names:
    """taxops' own column names, chosen so that none is a column of the data."""

    def __init__(self, taken: list[str]) -> None:
        used = {n.casefold() for n in taken}
        tag = "__taxops"
        while any(n.startswith(tag) for n in used):
            tag += "_"
        self.pos, self.file, self.row, self.offset = (
            f"{tag}_{n}" for n in ("pos", "file", "row", "off")
        )
        self.raw, self.new, self.flag, self.why, self.cand = (
            f"{tag}_{n}" for n in ("raw", "new", "flag", "why", "cand")
        )
        self.i, self.x, self.parts = f"{tag}_i", f"{tag}_x", f"{tag}_parts"


def _quoted(name: str) -> str:
    """A column name as Spark's column parser reads it literally (dots,
    spaces and backticks included)."""
    return "`" + name.replace("`", "``") + "`"


def _check_label(frame: DataFrame, job: Job) -> None:
    from pyspark.sql.types import ArrayType, StringType

    if job.label_column not in frame.columns:
        raise TaxopsError(
            f"{job.source} has no column '{job.label_column}'",
            f"its columns: {', '.join(frame.columns)}; pass the label column with --label-column",
        )
    kind = frame.schema[job.label_column].dataType
    is_list = isinstance(kind, ArrayType) and isinstance(kind.elementType, StringType)
    if job.multi_label and not is_list:
        raise TaxopsError(
            f"column '{job.label_column}' of {job.source} is {kind.simpleString()}, "
            "not a list of labels (multi-label)",
            "leave --multi-label out for one label per row",
        )
    if not job.multi_label and not isinstance(kind, StringType):
        raise TaxopsError(
            f"column '{job.label_column}' of {job.source} is {kind.simpleString()}, "
            "not a single text label per row",
            "use --multi-label for list columns",
        )


def _positioned(spark: SparkSession, frame: DataFrame, q: _Names) -> DataFrame:
    """The input with each row's 1-based position: files in name order, rows in
    file order (Parquet's row index), offsets from each file's row count."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import LongType, StringType, StructField, StructType

    framed = frame.select(
        "*",
        F.col("_metadata.file_path").alias(q.file),
        F.col("_metadata.row_index").alias(q.row),
    )
    per_file = sorted(framed.groupBy(q.file).count().collect())
    if len(per_file) <= 1:
        return framed.withColumn(q.pos, F.col(q.row) + 1).drop(q.file, q.row)
    offsets, total = [], 0
    for path, n in per_file:
        offsets.append((path, total))
        total += int(n)
    schema = StructType([StructField(q.file, StringType()), StructField(q.offset, LongType())])
    table = spark.createDataFrame(offsets, schema)
    return (
        framed.join(F.broadcast(table), q.file)
        .withColumn(q.pos, F.col(q.offset) + F.col(q.row) + 1)
        .drop(q.file, q.row, q.offset)
    )


def _count(
    positioned: DataFrame, q: _Names, job: Job, tally: Tally
) -> tuple[dict[str | None, int], int]:
    """Pass 1: how often each raw value occurs (entries, for lists), and the rows."""
    from pyspark.sql import functions as F

    label = F.col(_quoted(job.label_column))
    if not job.multi_label:
        counted = positioned.groupBy(label.alias(q.x)).count().collect()
        values = {row[0]: int(row[1]) for row in counted}
        return _sorted(values), sum(values.values())
    entries = positioned.select(F.explode(label).alias(q.x)).groupBy(q.x).count().collect()
    values = {row[0]: int(row[1]) for row in entries}
    tally.null_entries = values.pop(None, 0)
    present = F.filter(label, lambda x: x.isNotNull())
    duplicated = F.when(F.size(present) != F.size(F.array_distinct(present)), 1).otherwise(0)
    rows, dups = positioned.agg(F.count(F.lit(1)), F.sum(duplicated)).collect()[0]
    tally.rows_with_duplicates = int(dups or 0)
    return _sorted(values), int(rows)


def _sorted(values: dict[Any, int]) -> dict[str | None, int]:
    """Values in one order on every run (an aggregate returns them in any)."""
    return dict(sorted(values.items(), key=lambda vn: (vn[0] is not None, vn[0] or "")))


def _fate_rows(fates: list[ValueFate], multi: bool) -> list[tuple[Any, ...]]:
    """One row per distinct value: the raw value, what it becomes, whether it
    goes to review, its review reason (:func:`review_reason`), and the candidate
    labels."""

    def new(f: ValueFate) -> Any:
        if f.disposition.to_review:
            return None
        if f.disposition is Disposition.UNLABELED:
            return [] if multi else f.raw
        return list(f.targets) if multi else f.targets[0]

    return [
        (
            f.raw,
            new(f),
            f.disposition.to_review,
            review_reason(f),
            list(f.targets),
        )
        for f in fates
    ]


def _apply(
    spark: SparkSession, positioned: DataFrame, q: _Names, job: Job, fates: list[ValueFate]
) -> DataFrame:
    """The input with, per row, the new label(s) (``q.new``), whether it goes to
    review (``q.flag``), the row's review reason (``q.why``: unknown-label when
    any value is unknown, else its first reviewed label's, as every engine
    gives it) and the candidate labels (``q.cand``)."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import ArrayType, BooleanType, StringType, StructField, StructType

    multi = job.multi_label
    text_list = ArrayType(StringType())
    schema = StructType(
        [
            StructField(q.raw, StringType()),
            StructField(q.new, text_list if multi else StringType()),
            StructField(q.flag, BooleanType()),
            StructField(q.why, StringType()),
            StructField(q.cand, text_list),
        ]
    )
    table = F.broadcast(spark.createDataFrame(_fate_rows(fates, multi), schema))
    label = F.col(_quoted(job.label_column))
    if not multi:
        joined = positioned.join(table, label == F.col(q.raw), "left")
        new = F.when(F.col(q.raw).isNull(), label).otherwise(F.col(q.new))
        return joined.select(
            *(F.col(_quoted(c)) for c in positioned.columns),
            new.alias(q.new),
            F.col(q.flag),
            F.col(q.why),
            F.coalesce(F.col(q.cand), F.array().cast(text_list)).alias(q.cand),
        )
    # A list: one row per entry, joined to its fate, gathered back per row in
    # the list's order (array_sort on (index, ...) structs).
    entries = positioned.select(F.col(q.pos), F.posexplode_outer(label).alias(q.i, q.x))
    parts = (
        entries.join(table, F.col(q.x) == F.col(q.raw), "left")
        .groupBy(q.pos)
        .agg(
            F.array_sort(
                F.collect_list(
                    F.struct(
                        F.col(q.i),
                        F.col(q.x),
                        F.col(q.new),
                        F.col(q.flag),
                        F.col(q.why),
                        F.col(q.cand),
                    )
                )
            ).alias(q.parts)
        )
    )
    p = F.col(q.parts)
    present = F.filter(p, lambda e: e[q.x].isNotNull())
    new_list = F.array_distinct(
        F.flatten(F.transform(present, lambda e: F.coalesce(e[q.new], F.array().cast(text_list))))
    )
    cands = F.array_distinct(
        F.flatten(F.transform(p, lambda e: F.coalesce(e[q.cand], F.array().cast(text_list))))
    )
    return positioned.join(parts, q.pos).select(
        *(F.col(_quoted(c)) for c in positioned.columns),
        F.when(label.isNull(), F.lit(None).cast(text_list)).otherwise(new_list).alias(q.new),
        F.exists(p, lambda e: F.coalesce(e[q.flag], F.lit(False))).alias(q.flag),
        F.when(F.exists(p, lambda e: e[q.why] == F.lit(UNKNOWN_LABEL)), F.lit(UNKNOWN_LABEL))
        .otherwise(F.try_element_at(F.filter(p, lambda e: e[q.why].isNotNull()), F.lit(1))[q.why])
        .alias(q.why),
        cands.alias(q.cand),
    )
