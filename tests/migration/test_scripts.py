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


def _generated_map(n: int, kind: str = "single-label"):  # type: ignore[no-untyped-def]
    """A map of ``n`` labels: renamed, kept, and (for lists) some split."""
    from taxops.migration.model import Action, Entry, MigrationMap, Mode

    def entry(i: int) -> Entry:
        if i % 3 == 0:
            return Entry(f"l{i}", Action.KEEP, Mode.KEEP, (f"l{i}",))
        if i % 5 == 0 and kind == "multi-label":
            return Entry(f"l{i}", Action.SPLIT, Mode.DIRECT, (f"a{i}", f"b{i}"))
        return Entry(f"l{i}", Action.RENAME, Mode.DIRECT, (f"n{i}",))

    return MigrationMap("t", "1.0.0", "2.0.0", kind, tuple(entry(i) for i in range(n)))


@pytest.mark.parametrize("multi_label", [False, True], ids=["one label", "a list of labels"])
def test_the_map_in_a_script_is_built_not_copied(
    monkeypatch: pytest.MonkeyPatch, multi_label: bool
) -> None:
    """The map is a VALUES list of one row per label: sqlglot's builders copy
    the whole query at each step unless told not to, which made the script
    of a 150,000-label map take 118 s and 3.3 GB (and the list form, with its
    eight CTEs, 37 s for 20,000 labels). The statements holding it are built
    in place: no copy of a tree holding the map is ever made."""
    from sqlglot import exp

    migration = _generated_map(300, "multi-label" if multi_label else "single-label")
    copied = []
    original = exp.Expression.__deepcopy__

    def counting(self: exp.Expression, memo: object) -> exp.Expression:
        if any(isinstance(node, exp.Values) for node in self.walk()):
            copied.append(type(self).__name__)
        return original(self, memo)

    monkeypatch.setattr(exp.Expression, "__deepcopy__", counting)
    script = migration_sql(
        migration,
        dialect="duckdb",
        table="t",
        label_column="label",
        columns=["id", "label"],
        multi_label=multi_label,
    )
    assert "'n299'" in script and "'n1'" in script
    assert copied == []


@pytest.mark.parametrize("multi_label", [False, True], ids=["one label", "a list of labels"])
def test_the_script_is_checked_without_parsing_the_map(
    monkeypatch: pytest.MonkeyPatch, multi_label: bool
) -> None:
    """The last guard parses the statements with a one-row map, and reads each
    label back as one string literal: what it parses does not grow with the
    map (parsing a 150,000-label script back took 50 of its 60 s)."""
    import sqlglot

    parsed: list[int] = []
    original = sqlglot.parse

    def counting(sql: str, *args: object, **kwargs: object) -> object:
        parsed.append(len(sql))
        return original(sql, *args, **kwargs)

    monkeypatch.setattr(sqlglot, "parse", counting)
    sizes = []
    for n in (10, 1000):
        kind = "multi-label" if multi_label else "single-label"
        parsed.clear()
        script = migration_sql(
            _generated_map(n, kind),
            dialect="spark",
            table="t",
            label_column="label",
            columns=["id", "label"],
            multi_label=multi_label,
        )
        assert f"'l{n - 1}'" in script
        assert len(parsed) == 1
        sizes.append(parsed[0])
    assert sizes[0] == sizes[1]


@pytest.mark.parametrize("dialect", DIALECTS)
def test_a_label_that_would_not_read_back_is_refused(
    monkeypatch: pytest.MonkeyPatch, dialect: str
) -> None:
    """Should the SQL writer ever leave a quote in a label unescaped, the
    script is refused and the label named, rather than written with a label
    that ends its string early (and whatever follows read as SQL)."""
    from taxops.diagnostics import TaxopsError
    from taxops.migration.model import Action, Entry, MigrationMap, Mode

    hostile = "x'); DROP TABLE t; --"
    entries = (
        Entry("a", Action.RENAME, Mode.DIRECT, ("b",)),
        Entry(hostile, Action.RENAME, Mode.DIRECT, ("c",)),
    )
    migration = MigrationMap("t", "1.0.0", "2.0.0", "single-label", entries)

    def arguments() -> dict[str, object]:
        return {"dialect": dialect, "table": "t", "label_column": "l", "columns": ["id", "l"]}

    assert "DROP TABLE" in migration_sql(migration, **arguments())  # type: ignore[arg-type]
    from sqlglot.generator import Generator  # the writer is sound: break it

    monkeypatch.setattr(Generator, "escape_str", lambda self, text, **kw: text)
    with pytest.raises(TaxopsError) as refused:
        migration_sql(migration, **arguments())  # type: ignore[arg-type]
    assert "DROP TABLE" in refused.value.message and "cannot be written" in refused.value.message
