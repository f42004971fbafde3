"""migration-script --multi-label: the SQL relabels a list (array) column as
taxops migrate --multi-label does, row by row, on real DuckDB, local Spark and
a throwaway PostgreSQL server; every dialect's script (BigQuery and Snowflake
only so) parses back in its dialect to the intended statements with every
hostile name and label intact."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb
import pytest
from sqlglot import exp
from taxops import escaping
from taxops.cli.main import main
from taxops.engines.sql_script import DIALECTS, migration_sql, split_statements
from taxops.history import migration_map
from taxops.migration.model import Action, Entry, MigrationMap, Mode

from .test_injection import NAMES, parsed_as_intended

HEADER = """taxops: taxonomy/1
id: tags
title: Tags
version: {version}
kind: multi-label
owners: ["@ops"]
labels:
"""
V1 = """  - {id: a, name: A}
  - {id: b, name: B}
  - {id: c, name: C}
  - {id: d, name: D}
  - {id: e, name: E}
  - {id: f, name: F}
"""
V2 = """  - {id: a, name: A}
  - {id: b, name: B, status: retired, replaced_by: [x, y], replacement: direct}
  - {id: c, name: C, status: retired, replaced_by: [a]}
  - {id: d, name: D, status: retired, replaced_by: [x, y], replacement: review}
  - {id: e, name: E}
  - {id: f, name: F, status: retired}
  - {id: x, name: X}
  - {id: y, name: Y}
"""
#: split into several, merges collapsing duplicates, padded and cased values,
#: review, unknown, unlabeled (NULL, empty list, blank and NULL entries).
ROWS: list[tuple[int, list[str | None] | None]] = [
    (1, ["a", "c"]),
    (2, ["b"]),
    (3, ["e", "b", "c"]),
    (4, [" A ", "b"]),
    (5, ["a", "d"]),
    (6, ["d", "zzz"]),
    (7, None),
    (8, []),
    (9, ["a", None, "", "  "]),
    (10, ["f", "d"]),
    (11, ["c", "c", "a"]),
    (12, ["e", "b", "b", "\tE"]),
    (13, ["a", "a"]),
]


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("repo")
    folder = root / "taxonomies" / "tags"
    (folder / "releases").mkdir(parents=True)
    for version, labels in (("1.0.0", V1), ("2.0.0", V2)):
        text = HEADER.format(version=version) + labels
        (folder / "releases" / f"{version}.yaml").write_text(text, encoding="utf-8")
    (folder / "taxonomy.yaml").write_text(HEADER.format(version="2.0.0") + V2, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def migration(repo: Path) -> MigrationMap:
    return migration_map(repo, "tags", "1.0.0", "2.0.0")


def _script(migration: MigrationMap, dialect: str) -> list[str]:
    sql = migration_sql(
        migration,
        dialect=dialect,
        table="items",
        label_column="tags",
        columns=["id", "tags"],
        multi_label=True,
    )
    return split_statements(sql, dialect)


def _duckdb_sql(migration: MigrationMap) -> tuple[list[Any], list[Any], bool]:
    con = duckdb.connect()
    con.execute("CREATE TABLE items (id INTEGER, tags VARCHAR[])")
    con.executemany("INSERT INTO items VALUES (?, ?)", ROWS)
    migrated_sql, review_sql, check_sql = _script(migration, "duckdb")
    con.execute(migrated_sql)
    con.execute(review_sql)
    [(ok,)] = con.execute(check_sql).fetchall()
    migrated = con.execute("SELECT id, tags FROM items_v2_0_0 ORDER BY id").fetchall()
    review = con.execute(
        "SELECT id, tags, taxops_reason, taxops_candidates FROM items_review_v2_0_0 ORDER BY id"
    ).fetchall()
    return migrated, review, ok


def _taxops_migrate(repo: Path, tmp_path: Path) -> tuple[list[Any], list[Any]]:
    src, out = tmp_path / "items.parquet", tmp_path / "out.parquet"
    con = duckdb.connect()
    con.execute("CREATE TABLE items (id INTEGER, tags VARCHAR[])")
    con.executemany("INSERT INTO items VALUES (?, ?)", ROWS)
    con.execute(f"COPY items TO '{src}' (FORMAT parquet)")
    args = ["migrate", str(src), "--repo", str(repo), "--taxonomy", "tags", "--from", "1.0.0"]
    args += ["--to", "2.0.0", "--label-column", "tags", "--multi-label", "-o", str(out)]
    assert main([*args, "--no-progress"]) == 0
    migrated = con.execute(f"SELECT id, tags FROM '{out}' ORDER BY id").fetchall()
    review = con.execute(
        "SELECT id, tags, _taxops.reason, _taxops.candidates "
        f"FROM '{tmp_path / 'out.review.parquet'}' ORDER BY id"
    ).fetchall()
    return migrated, review


def test_duckdb_sql_equals_taxops_migrate_row_by_row(
    migration: MigrationMap, repo: Path, tmp_path: Path
) -> None:
    migrated, review, ok = _duckdb_sql(migration)
    assert ok
    assert (migrated, review) == _taxops_migrate(repo, tmp_path)
    assert migrated == [
        (1, ["a"]),
        (2, ["x", "y"]),
        (3, ["e", "x", "y", "a"]),
        (4, ["a", "x", "y"]),
        (7, None),
        (8, []),
        (9, ["a"]),
        (11, ["a"]),
        (12, ["e", "x", "y"]),
        (13, ["a"]),
    ]
    assert [(r[0], r[2]) for r in review] == [(5, "split"), (6, "unknown-label"), (10, "unmapped")]
    assert len(migrated) + len(review) == len(ROWS)


@pytest.mark.spark
def test_spark_sql_equals_taxops_migrate_row_by_row(  # type: ignore[no-untyped-def]
    spark, migration: MigrationMap
) -> None:
    frame = spark.createDataFrame(ROWS, "id INT, tags ARRAY<STRING>")
    frame.createOrReplaceTempView("items")
    spark.sql("DROP TABLE IF EXISTS items_v2_0_0")
    spark.sql("DROP TABLE IF EXISTS items_review_v2_0_0")
    migrated_sql, review_sql, check_sql = _script(migration, "spark")
    try:
        spark.sql(migrated_sql)
        spark.sql(review_sql)
        [check] = spark.sql(check_sql).collect()
        migrated = [
            tuple(r) for r in spark.sql("SELECT id, tags FROM items_v2_0_0 ORDER BY id").collect()
        ]
        review = [
            tuple(r)
            for r in spark.sql(
                "SELECT id, tags, taxops_reason, taxops_candidates FROM items_review_v2_0_0 "
                "ORDER BY id"
            ).collect()
        ]
    finally:
        spark.sql("DROP TABLE IF EXISTS items_v2_0_0")
        spark.sql("DROP TABLE IF EXISTS items_review_v2_0_0")
    assert (migrated, review, check[0]) == _duckdb_sql(migration)


#: Hostile labels: each split into two hostile targets, one sent to review.
LABELS = ["it's", 'say "hi"', "back\\slash", "x'); DROP TABLE t; --", "a|b"]


HOSTILE_ROWS = [
    (1, LABELS[:2]),
    (2, [LABELS[2], LABELS[3], LABELS[2]]),
    (3, [LABELS[4]]),
    (4, None),
]
HOSTILE_MIGRATED: list[tuple[Any, ...]] = [
    (1, ["IT'S!", "it's'2", 'SAY "HI"!', 'say "hi"\'2']),
    (2, ["BACK\\SLASH!", "back\\slash'2", "X'); DROP TABLE T; --!", "x'); DROP TABLE t; --'2"]),
    (4, None),
]
HOSTILE_REVIEW: list[tuple[Any, ...]] = [(3, "split", ["a", "b's"])]


def hostile_map() -> MigrationMap:
    entries = [
        Entry(label, Action.SPLIT, Mode.DIRECT, (label.upper() + "!", label + "'2"))
        for label in LABELS[:-1]
    ]
    entries.append(Entry(LABELS[-1], Action.SPLIT, Mode.REVIEW, ("a", "b's")))
    return MigrationMap("hostile", "1.0.0", "2.0.0", "multi-label", tuple(entries))


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("name", NAMES)
def test_every_dialect_parses_back_with_names_and_labels_intact(dialect: str, name: str) -> None:
    script = migration_sql(
        hostile_map(),
        dialect=dialect,
        table=f"db.{name}",
        label_column=name,
        columns=["id", name],
        multi_label=True,
    )
    trees = parsed_as_intended(script, dialect, name)
    literals = {lit.this for lit in trees[0].find_all(exp.Literal) if lit.is_string}
    targets = {t for e in hostile_map() for t in e.targets}
    assert set(LABELS) | targets <= literals
    identifiers = {i.this for i in trees[0].find_all(exp.Identifier)}
    assert name in identifiers


@pytest.mark.parametrize("name", NAMES)
def test_duckdb_sql_with_hostile_names_splits_every_label(name: str) -> None:
    q = escaping.sql_identifier
    con = duckdb.connect()
    con.execute(f"CREATE TABLE {q(name)} (id INTEGER, {q(name)} VARCHAR[])")
    con.executemany(f"INSERT INTO {q(name)} VALUES (?, ?)", HOSTILE_ROWS)
    script = migration_sql(
        hostile_map(),
        dialect="duckdb",
        table=name,
        label_column=name,
        columns=["id", name],
        multi_label=True,
    )
    for sql in split_statements(script):
        con.execute(sql)
    migrated = con.execute(f"SELECT * FROM {q(name + '_v2_0_0')} ORDER BY id").fetchall()
    review = con.execute(
        f"SELECT id, taxops_reason, taxops_candidates FROM {q(name + '_review_v2_0_0')}"
    ).fetchall()
    assert (migrated, review) == (HOSTILE_MIGRATED, HOSTILE_REVIEW)


def test_cli_reads_the_taxonomy_kind_and_single_label_refuses_a_split(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["migration-script", "tags", "--repo", str(repo), "--from", "1.0.0", "--to", "2.0.0"]
    args += [
        "--dialect",
        "duckdb",
        "--table",
        "items",
        "--label-column",
        "tags",
        "--columns",
        "id,tags",
    ]
    assert main(args) == 0
    out, _ = capsys.readouterr()
    assert "list of labels per row" in out and "UNNEST" in out
    assert main([*args, "--single-label"]) == 2
    _, err = capsys.readouterr()
    assert "several labels" in err and "--multi-label" in err


def test_postgres_sql_equals_taxops_migrate_row_by_row(  # type: ignore[no-untyped-def]
    postgres, migration: MigrationMap
) -> None:
    """The Postgres script, run on a real PostgreSQL server, gives the rows the
    DuckDB script gives (which equal taxops migrate's, above)."""
    script = migration_sql(
        migration,
        dialect="postgres",
        table="items",
        label_column="tags",
        columns=["id", "tags"],
        multi_label=True,
    )
    values = ", ".join(f"({i}, {'NULL' if tags is None else _pg_array(tags)})" for i, tags in ROWS)
    lines = postgres(
        "DROP TABLE IF EXISTS items, items_v2_0_0, items_review_v2_0_0;\n"
        f"CREATE TABLE items (id INTEGER, tags TEXT[]);\nINSERT INTO items VALUES {values};\n"
        + script
        + "SELECT json_build_array(id, tags) FROM items_v2_0_0 ORDER BY id;\n"
        "SELECT json_build_array(id, tags, taxops_reason, taxops_candidates) "
        "FROM items_review_v2_0_0 ORDER BY id;\n"
    )
    check, *rows = lines
    migrated = [tuple(json.loads(r)) for r in rows if len(json.loads(r)) == 2]
    review = [tuple(json.loads(r)) for r in rows if len(json.loads(r)) == 4]
    assert (migrated, review, check == "t") == _duckdb_sql(migration)


def _pg_array(tags: Sequence[str | None]) -> str:
    """A TEXT[] literal of the test's own simple values (tabs as E'' escapes)."""
    items = [
        "NULL" if t is None else "E'" + t.replace("\\", "\\\\").replace("'", "''") + "'"
        for t in tags
    ]
    return f"ARRAY[{', '.join(items)}]::TEXT[]"


def test_postgres_sql_with_hostile_names_splits_every_label(postgres) -> None:  # type: ignore[no-untyped-def]
    """Every hostile table and column name at once, on a real PostgreSQL server:
    each name is only a name, each label only a label."""
    q = escaping.sql_identifier
    values = ", ".join(f"({i}, {'NULL' if t is None else _pg_array(t)})" for i, t in HOSTILE_ROWS)
    sql = "CREATE TABLE t (keep INTEGER);\n"
    for name in NAMES:
        sql += f"CREATE TABLE {q(name)} (id INTEGER, {q(name)} TEXT[]);\n"
        sql += f"INSERT INTO {q(name)} VALUES {values};\n"
        sql += migration_sql(
            hostile_map(),
            dialect="postgres",
            table=name,
            label_column=name,
            columns=["id", name],
            multi_label=True,
        )
        sql += (
            f"SELECT json_build_array(id, {q(name)}) FROM {q(name + '_v2_0_0')} ORDER BY id;\n"
            "SELECT json_build_array(id, taxops_reason, taxops_candidates) "
            f"FROM {q(name + '_review_v2_0_0')} ORDER BY id;\n"
        )
    sql += "SELECT count(*) FROM pg_tables WHERE tablename = 't';\n"
    lines = postgres(sql)
    assert lines.pop() == "1"  # no injected DROP reached t
    per_name = [lines[i : i + 5] for i in range(0, len(lines), 5)]
    assert len(per_name) == len(NAMES)
    for check, *found in per_name:
        assert check == "t"
        rows = [tuple(json.loads(r)) for r in found]
        assert rows == HOSTILE_MIGRATED + HOSTILE_REVIEW
