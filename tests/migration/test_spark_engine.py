"""The Spark engine relabels a Parquet dataset exactly as the DuckDB engine
does: the same migrated rows in the same order, the same review queue (rows,
reasons, candidates, positions) and the same counts, single- and multi-label,
on an input Spark reads in several splits. One local Spark session for the
whole test run (the ``spark`` fixture)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pytest
from taxops.engines import duckdb_migrate, spark_migrate
from taxops.engines.duckdb_migrate import Job
from taxops.history import migration_map

ROOT = Path(__file__).resolve().parents[2]

#: Label values of every kind: kept, merged, review, padded, another case,
#: unknown, blank and null.
VALUES = [
    "billing.refund_status",
    "orders.order_status",
    "product.general_question",
    " Orders.Order_Status ",
    "orders.order_stat",
    "",
    None,
    "account.two_factor",
    "returns.return_status",
    "account.password_reset",
]


@pytest.fixture(scope="module")
def migration():  # type: ignore[no-untyped-def]
    return migration_map(ROOT, "support-intents", "1.0.0", "2.0.0")


def _dataset(path: Path, rows: int, multi: bool) -> Path:
    values = "[" + ", ".join("NULL" if v is None else f"'{v}'" for v in VALUES) + "]"
    n = len(VALUES)
    if multi:
        # Lists of 0 to 3 entries, with repeats and nulls among them.
        label = (
            f"CASE WHEN i % 17 = 0 THEN NULL ELSE list_slice([{values}[(i % {n}) + 1], "
            f"{values}[((i * 7) % {n}) + 1], {values}[(i % {n}) + 1]], 1, (i % 4)) END"
        )
    else:
        label = f"{values}[(hash(i) % {n})::INTEGER + 1]"
    duckdb.sql(
        f"COPY (SELECT i AS id, {label} AS intent, 'text ' || i AS \"note. with `dots`\" "
        f"FROM range({rows}) t(i)) TO '{path}' (FORMAT parquet, ROW_GROUP_SIZE 700)"
    )
    return path


def _rows(path: Path) -> list[tuple[Any, ...]]:
    """Rows of a Parquet file, or of a folder of part files, in order."""
    if path.is_dir():
        scan = f"read_parquet('{path}/*.parquet', filename = true, file_row_number = true)"
        order = "ORDER BY filename, file_row_number"
        return duckdb.sql(
            f"SELECT * EXCLUDE (filename, file_row_number) FROM {scan} {order}"
        ).fetchall()
    return duckdb.sql(
        f"SELECT * EXCLUDE (file_row_number) FROM read_parquet('{path}', file_row_number = true) "
        "ORDER BY file_row_number"
    ).fetchall()


def _review(path: Path) -> list[tuple[Any, ...]]:
    """Review rows as (columns..., row, reason, old label, candidates)."""
    if path.is_dir():
        records = [
            (*r[:-1], r[-1]["row"], r[-1]["reason"], r[-1]["old_label"], r[-1]["candidates"])
            for r in _rows(path)
        ]
    else:
        records = []
        for line in path.read_text(encoding="utf-8").splitlines():
            obj = json.loads(line)
            meta = obj.pop("_taxops")
            records.append(
                (*obj.values(), meta["row"], meta["reason"], meta["old_label"], meta["candidates"])
            )
    return records


@pytest.mark.spark
@pytest.mark.parametrize("multi", [False, True], ids=["single-label", "multi-label"])
def test_spark_engine_equals_duckdb_row_by_row(
    spark,
    migration,
    tmp_path: Path,
    multi: bool,  # type: ignore[no-untyped-def]
) -> None:
    source = _dataset(tmp_path / "in.parquet", 6000, multi)
    job = Job(source, "parquet", "intent", multi_label=multi)
    spark.conf.set("spark.sql.files.maxPartitionBytes", "16k")  # several splits
    spark.conf.set("spark.sql.shuffle.partitions", "3")
    try:
        spark_tally = spark_migrate.run(
            job, migration, tmp_path / "spark.parquet", tmp_path / "spark.review", spark=spark
        )
    finally:
        spark.conf.unset("spark.sql.files.maxPartitionBytes")
        spark.conf.unset("spark.sql.shuffle.partitions")
    duck_tally = duckdb_migrate.run(
        job, migration, tmp_path / "duck.parquet", tmp_path / "duck.review.jsonl", {}
    )
    assert _rows(tmp_path / "spark.parquet") == _rows(tmp_path / "duck.parquet")
    assert _review(tmp_path / "spark.review") == _review(tmp_path / "duck.review.jsonl")
    for field in ("rows_in", "rows_migrated", "rows_review", "values", "review_reasons"):
        assert getattr(spark_tally, field) == getattr(duck_tally, field), field
    if multi:
        assert spark_tally.rows_with_duplicates == duck_tally.rows_with_duplicates > 0
        assert spark_tally.null_entries == duck_tally.null_entries
    assert spark_tally.rows_in == spark_tally.rows_migrated + spark_tally.rows_review
    assert spark_tally.rows_review > 0 and spark_tally.review_reasons["unknown-label"] > 0


@pytest.mark.spark
def test_rows_keep_their_place_across_several_input_files(
    spark,
    migration,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    """A folder of part files is read in name order; review rows carry their
    position in the whole input."""
    folder = tmp_path / "in"
    folder.mkdir()
    for k in range(3):
        duckdb.sql(
            f"COPY (SELECT {k} * 1000 + i AS id, CASE WHEN i % 10 = 0 THEN 'product.general_question' "
            "ELSE 'orders.order_status' END AS intent FROM range(1000) t(i)) "
            f"TO '{folder}/part-{k}.parquet' (FORMAT parquet, ROW_GROUP_SIZE 100)"
        )
    job = Job(folder, "parquet", "intent")
    tally = spark_migrate.run(job, migration, tmp_path / "out", tmp_path / "review", spark=spark)
    migrated = _rows(tmp_path / "out")
    review = _review(tmp_path / "review")
    assert [r[0] for r in migrated] == [i for i in range(3000) if i % 10]
    assert [(r[0], r[2]) for r in review] == [(i, i + 1) for i in range(0, 3000, 10)]
    assert (tally.rows_in, tally.rows_migrated, tally.rows_review) == (3000, 2700, 300)


@pytest.mark.spark
def test_spark_engine_refuses_what_it_cannot_read(spark, migration, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from taxops.diagnostics import TaxopsError

    source = _dataset(tmp_path / "in.parquet", 10, False)
    with pytest.raises(TaxopsError, match="not a list of labels"):
        spark_migrate.run(
            Job(source, "parquet", "intent", multi_label=True),
            migration,
            tmp_path / "o",
            tmp_path / "r",
            spark=spark,
        )
    with pytest.raises(TaxopsError, match="Spark engine reads Parquet"):
        spark_migrate.run(
            Job(tmp_path / "x.csv", "csv", "intent"),
            migration,
            tmp_path / "o",
            tmp_path / "r",
            spark=spark,
        )
