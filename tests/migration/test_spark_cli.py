"""``taxops migrate --engine spark``: the command a data engineer runs when a
dataset outgrows one machine. Same rows, same order, same review queue and
counts as the DuckDB engine through the same command; outputs are folders of
part files, published all at once (a second run replaces the first); what the
Spark engine cannot do is refused before anything is written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pytest
from taxops.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
BASE = ["--repo", str(ROOT), "--taxonomy", "support-intents", "--from", "1.0.0", "--to", "2.0.0"]
LABELS = (
    "['billing.refund_status', 'orders.order_status', 'product.general_question', 'no.such', NULL]"
)


def _dataset(path: Path, rows: int) -> Path:
    duckdb.sql(
        f"COPY (SELECT i AS id, {LABELS}[(hash(i) % 5)::INTEGER + 1] AS intent, "
        f"'note ' || i AS note FROM range({rows}) t(i)) TO '{path}' "
        "(FORMAT parquet, ROW_GROUP_SIZE 500)"
    )
    return path


def _rows(path: Path) -> list[tuple[Any, ...]]:
    """A Parquet file's rows, or a folder of part files' rows, in order."""
    if path.is_dir():
        scan = f"read_parquet('{path}/*.parquet', filename = true, file_row_number = true)"
        return duckdb.sql(
            f"SELECT * EXCLUDE (filename, file_row_number) FROM {scan} "
            "ORDER BY filename, file_row_number"
        ).fetchall()
    return duckdb.sql(
        f"SELECT * EXCLUDE (file_row_number) FROM read_parquet('{path}', file_row_number = true) "
        "ORDER BY file_row_number"
    ).fetchall()


@pytest.mark.spark
def test_the_spark_engine_through_the_command_equals_duckdb(
    spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _dataset(tmp_path / "tickets.parquet", 4000)
    duck, sparked = tmp_path / "duck.parquet", tmp_path / "spark.parquet"
    migrate = ["migrate", str(src), "--label-column", "intent", *BASE]
    assert main([*migrate, "-o", str(duck)]) == 0
    for _ in range(2):  # the second run replaces the first run's folders
        assert main([*migrate, "--engine", "spark", "-o", str(sparked)]) == 0
    assert sparked.is_dir() and (tmp_path / "spark.review.parquet").is_dir()
    assert _rows(sparked) == _rows(duck)
    assert _rows(tmp_path / "spark.review.parquet") == _rows(tmp_path / "duck.review.parquet")
    spark_report = json.loads((tmp_path / "spark.report.json").read_text())
    duck_report = json.loads((tmp_path / "duck.report.json").read_text())
    assert spark_report["check"] == duck_report["check"]
    assert spark_report["check"]["balanced"]
    sidecar = json.loads((tmp_path / "spark.parquet.taxops.json").read_text())
    assert sidecar["version"] == "2.0.0" and sidecar["review_queue"] == "spark.review.parquet"
    assert sidecar["dataset_fingerprint"].startswith("folder:")
    leftovers = [p.name for p in tmp_path.iterdir() if ".taxops-tmp-" in p.name]
    assert leftovers == []
    shown = capsys.readouterr()
    assert f"wrote {sparked}" in shown.out + shown.err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--engine", "spark", "--in-place"], "does not replace a dataset in place"),
        (["--spark-master", "local[1]", "-o", "x.parquet"], "--spark-master is for the Spark"),
        (["--engine", "spark", "--threads", "2", "-o", "x.parquet"], "Spark takes its own"),
        (["--engine", "spark", "--format", "csv", "-o", "x.csv"], "the Spark engine reads Parquet"),
    ],
)
def test_what_the_spark_engine_refuses(
    extra: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _dataset(tmp_path / "tickets.parquet", 10)
    before = sorted(p.name for p in tmp_path.iterdir())
    code = main(["migrate", str(src), "--label-column", "intent", *BASE, *extra])
    assert code == 2
    assert message in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == before
