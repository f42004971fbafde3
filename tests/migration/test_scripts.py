"""taxops migration-script: the SQL gives the same rows on DuckDB and Spark and
as taxops migrate; the standalone Python script gives what taxops migrate gives."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from taxops.cli.main import main
from taxops.engines.sql_script import DIALECTS, migration_sql, split_statements
from taxops.history import migration_map

ROOT = Path(__file__).resolve().parents[2]
ROWS = [
    (1, "refund please", "billing.refund_status"),
    (2, "where is it", "orders.order_status"),
    (3, "a question", "product.general_question"),
    (4, "spaces", " Orders.Order_Status "),
    (5, "typo", "orders.order_stat"),
    (6, "nothing", None),
    (7, "old 2fa", "account.two_factor"),
    (8, "return refund", "returns.return_status"),
]
COLUMNS = ["id", "text", "intent"]


@pytest.fixture(scope="module")
def migration():  # type: ignore[no-untyped-def]
    return migration_map(ROOT, "support-intents", "1.0.0", "2.0.0")


def _script(migration, dialect: str) -> list[str]:  # type: ignore[no-untyped-def]
    sql = migration_sql(
        migration, dialect=dialect, table="tickets", label_column="intent", columns=COLUMNS
    )
    return split_statements(sql, dialect)


def _duckdb_run(migration) -> tuple[list, list, bool]:  # type: ignore[no-untyped-def]
    con = duckdb.connect()
    con.execute("CREATE TABLE tickets (id BIGINT, text VARCHAR, intent VARCHAR)")
    con.executemany("INSERT INTO tickets VALUES (?, ?, ?)", ROWS)
    migrated_sql, review_sql, check_sql = _script(migration, "duckdb")
    con.execute(migrated_sql)
    con.execute(review_sql)
    [(ok,)] = con.execute(check_sql).fetchall()
    migrated = con.execute("SELECT * FROM tickets_v2_0_0 ORDER BY id").fetchall()
    review = con.execute(
        "SELECT id, intent, taxops_reason, taxops_candidates FROM tickets_review_v2_0_0 ORDER BY id"
    ).fetchall()
    return migrated, review, ok


def test_duckdb_sql_matches_taxops_migrate(migration, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    migrated, review, ok = _duckdb_run(migration)
    assert ok
    assert migrated == [
        (1, "refund please", "returns.refund_status"),
        (2, "where is it", "orders.order_status"),
        (4, "spaces", "orders.order_status"),
        (6, "nothing", None),
        (7, "old 2fa", "account.verification_code"),
        (8, "return refund", "returns.refund_status"),
    ]
    assert review == [
        (3, "product.general_question", "review", ""),
        (5, "orders.order_stat", "unknown-label", None),
    ]
    src = tmp_path / "t.parquet"
    rows = ", ".join(f"({i}, '{t}', {'NULL' if v is None else repr(v)})" for i, t, v in ROWS)
    duckdb.sql(
        f"COPY (SELECT * FROM (VALUES {rows}) v(id, text, intent)) TO '{src}' (FORMAT parquet)"
    )
    out = tmp_path / "o.parquet"
    args = ["migrate", str(src), "--repo", str(ROOT), "--taxonomy", "support-intents"]
    assert (
        main(
            [*args, "--from", "1.0.0", "--to", "2.0.0", "--label-column", "intent", "-o", str(out)]
        )
        == 0
    )
    assert duckdb.sql(f"SELECT * FROM '{out}'").fetchall() == migrated


@pytest.mark.parametrize("dialect", DIALECTS)
def test_every_dialect_transpiles_from_the_one_canonical_form(migration, dialect: str) -> None:  # type: ignore[no-untyped-def]
    statements = _script(migration, dialect)
    assert len(statements) == 3
    assert "billing.refund_status" in statements[0] and "returns.refund_status" in statements[0]
    if dialect == "bigquery":
        assert "UNNEST" in statements[0]  # BigQuery has no VALUES table: sqlglot rewrites it


@pytest.mark.spark
def test_spark_sql_gives_the_same_rows_as_duckdb(migration, spark) -> None:  # type: ignore[no-untyped-def]
    frame = spark.createDataFrame(ROWS, "id BIGINT, text STRING, intent STRING")
    frame.createOrReplaceTempView("tickets")
    spark.sql("DROP TABLE IF EXISTS tickets_v2_0_0")
    spark.sql("DROP TABLE IF EXISTS tickets_review_v2_0_0")
    migrated_sql, review_sql, check_sql = _script(migration, "spark")
    spark.sql(migrated_sql)
    spark.sql(review_sql)
    [check] = spark.sql(check_sql).collect()
    migrated = [tuple(r) for r in spark.sql("SELECT * FROM tickets_v2_0_0 ORDER BY id").collect()]
    review = [
        tuple(r)
        for r in spark.sql(
            "SELECT id, intent, taxops_reason, taxops_candidates FROM tickets_review_v2_0_0 ORDER BY id"
        ).collect()
    ]
    assert (migrated, review, check[0]) == _duckdb_run(migration)


def test_standalone_python_script_matches_taxops_migrate(tmp_path: Path) -> None:
    script = tmp_path / "migrate_tickets.py"
    args = ["--repo", str(ROOT), "--from", "1.0.0", "--to", "2.0.0"]
    assert main(["migration-script", "support-intents", *args, "--python", "-o", str(script)]) == 0
    assert "import taxops" not in script.read_text() and "from taxops" not in script.read_text()
    src = tmp_path / "t.csv"
    src.write_text(
        "id,text,intent\n"
        + "".join(f"{i},{t},{'' if v is None else v}\n" for i, t, v in ROWS)
        + "9,broken,row,extra\n"
    )
    done = subprocess.run(
        [sys.executable, "-I", str(script), str(src), str(tmp_path / "py.csv"), "--label-column", "intent"],
        check=False, capture_output=True, text=True, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "6 migrated + 3 review = 9 input (checked)" in done.stdout
    taxops_args = [
        "migrate",
        str(src),
        "--taxonomy",
        "support-intents",
        *args,
        "--label-column",
        "intent",
    ]
    assert main([*taxops_args, "-o", str(tmp_path / "tx.csv"), "--no-progress"]) == 0
    assert (tmp_path / "py.csv").read_text() == (tmp_path / "tx.csv").read_text()
    py_review = duckdb.sql(
        f"SELECT _taxops_row, _taxops_reason FROM read_csv('{tmp_path / 'py.review.csv'}', all_varchar=true)"
    )
    tx_review = duckdb.sql(
        f"SELECT _taxops_row, _taxops_reason FROM read_csv('{tmp_path / 'tx.review.csv'}', all_varchar=true)"
    )
    assert py_review.fetchall() == tx_review.fetchall()


def test_the_map_in_a_script_is_built_not_copied(monkeypatch: pytest.MonkeyPatch) -> None:
    """The map is a VALUES list of one row per label: sqlglot's builders copy
    the whole query at each step unless told not to, which made the script
    of a 150,000-label map take 118 s and 3.3 GB. The statements holding it
    are built in place: no copy of a tree holding the map is ever made."""
    from sqlglot import exp
    from taxops.migration.model import Action, Entry, MigrationMap, Mode

    entries = tuple(
        Entry(f"l{i}", Action.RENAME, Mode.DIRECT, (f"n{i}",))
        if i % 3
        else Entry(f"l{i}", Action.KEEP, Mode.KEEP, (f"l{i}",))
        for i in range(300)
    )
    migration = MigrationMap("t", "1.0.0", "2.0.0", "single-label", entries)
    copied = []
    original = exp.Expression.__deepcopy__

    def counting(self: exp.Expression, memo: object) -> exp.Expression:
        if any(isinstance(node, exp.Values) for node in self.walk()):
            copied.append(type(self).__name__)
        return original(self, memo)

    monkeypatch.setattr(exp.Expression, "__deepcopy__", counting)
    script = migration_sql(
        migration, dialect="duckdb", table="t", label_column="label", columns=["id", "label"]
    )
    assert "'n299'" in script and "'n1'" in script
    assert copied == []
