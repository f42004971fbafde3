"""The review queue's reason says what the reviewer is asked to decide: the map's
action for the row's label (a split, a narrowed label, a leaf that became a
group, a reused code, a retired label, one retired without saying where), or a
value the old version never had. Every engine writes the same word for the same
row: taxops migrate (DuckDB, and Label Studio exports), the generated SQL and
the generated Python script."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from taxops.cli.main import main
from taxops.engines.sql_script import migration_sql, split_statements
from taxops.history import migration_map

HEADER = """taxops: taxonomy/1
id: goods
title: Goods
version: {version}
kind: hierarchical
owners: ["@ops"]
ids: code
labels:
"""
V1 = """  - {id: '10', name: Food}
  - {id: '11', name: Drinks}
  - {id: '12', name: Toys}
  - {id: '13', name: Trucks}
  - {id: '14', name: Tablets}
  - {id: '15', name: Lamps}
  - {id: '16', name: Rugs}
  - {id: '17', name: Pens}
"""
V2 = """  - {id: '10', name: Food}
  - {id: '11', name: Drinks, narrowed: [{version: 2.0.0, moved_to: ['18']}]}
  - {id: '12', name: Toys, status: retired, replaced_by: ['19', '20'], replacement: review}
  - {id: '13', name: Trucks, became_group: [{version: 2.0.0, replacement: review}]}
  - {id: 13A, name: Light trucks, parent: '13'}
  - {id: 13B, name: Heavy trucks, parent: '13'}
  - {id: '14', name: E-readers, reused: [{version: 2.0.0, replaced_by: ['21', '10'], replacement: review}]}
  - {id: '15', name: Lamps, status: retired, replaced_by: ['17'], replacement: review}
  - {id: '17', name: Pens}
  - {id: '18', name: Juice}
  - {id: '19', name: Dolls}
  - {id: '20', name: Puzzles}
  - {id: '21', name: Tablets}
"""
#: (row, value, the reason its row is queued with; None: migrated).
ROWS = [
    ("1", "10", None),
    ("2", "11", "narrowed"),
    ("3", "12", "split"),
    ("4", "13", "became-group"),
    ("5", "14", "reused"),
    ("6", "15", "review"),
    ("7", "16", "unmapped"),
    ("8", "99", "unknown-label"),
    ("9", "17", None),
]
EXPECTED = {row: reason for row, _, reason in ROWS if reason}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    folder = tmp_path / "repo" / "taxonomies" / "goods"
    (folder / "releases").mkdir(parents=True)
    for version, labels in (("1.0.0", V1), ("2.0.0", V2)):
        text = HEADER.format(version=version) + labels
        (folder / "releases" / f"{version}.yaml").write_text(text, encoding="utf-8")
    (folder / "taxonomy.yaml").write_text(HEADER.format(version="2.0.0") + V2, encoding="utf-8")
    return tmp_path / "repo"


def _csv(path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "code"])
        writer.writerows((row, value) for row, value, _ in ROWS)
    return path


def _queued(path: Path, row: str, reason: str) -> dict[str, str]:
    with path.open(newline="", encoding="utf-8") as f:
        return {r[row]: r[reason] for r in csv.DictReader(f)}


ARGS = ["--taxonomy", "goods", "--from", "1.0.0", "--to", "2.0.0"]


def test_taxops_migrate_queues_each_row_with_what_the_reviewer_decides(
    repo: Path, tmp_path: Path
) -> None:
    src, out = _csv(tmp_path / "d.csv"), tmp_path / "o.csv"
    args = ["migrate", str(src), "--repo", str(repo), *ARGS, "--label-column", "code"]
    assert main([*args, "-o", str(out), "--no-progress"]) == 0
    assert _queued(tmp_path / "o.review.csv", "id", "_taxops_reason") == EXPECTED
    report = json.loads((tmp_path / "o.report.json").read_text())
    assert report["rows"]["review_by_reason"] == {reason: 1 for reason in EXPECTED.values()}


def test_multi_label_row_reason_is_unknown_first_else_its_first_reviewed_label(
    repo: Path, tmp_path: Path
) -> None:
    src, out = tmp_path / "m.jsonl", tmp_path / "m.out.jsonl"
    rows = [["10", "12", "11"], ["13", "99"], ["17", "14"], ["10", "17"]]
    src.write_text("".join(json.dumps({"codes": r}) + "\n" for r in rows), encoding="utf-8")
    args = ["migrate", str(src), "--repo", str(repo), *ARGS, "--label-column", "codes"]
    assert main([*args, "--multi-label", "-o", str(out), "--no-progress"]) == 0
    queued = [json.loads(line)["_taxops"] for line in (tmp_path / "m.out.review.jsonl").open()]
    assert [(q["row"], q["reason"]) for q in queued] == [
        (1, "split"),
        (2, "unknown-label"),
        (3, "reused"),
    ]


def test_generated_sql_and_python_give_each_row_the_same_reason(repo: Path, tmp_path: Path) -> None:
    migration = migration_map(repo, "goods", "1.0.0", "2.0.0")
    con = duckdb.connect()
    con.execute("CREATE TABLE items (id VARCHAR, code VARCHAR)")
    con.executemany("INSERT INTO items VALUES (?, ?)", [(r, v) for r, v, _ in ROWS])
    sql = migration_sql(
        migration, dialect="duckdb", table="items", label_column="code", columns=["id", "code"]
    )
    for statement in split_statements(sql):
        con.execute(statement)
    queued = con.execute("SELECT id, taxops_reason FROM items_review_v2_0_0").fetchall()
    assert dict(queued) == EXPECTED

    script = tmp_path / "migrate_goods.py"
    assert main(["migration-script", "goods", "--repo", str(repo), *ARGS[2:], "--python", "-o", str(script)]) == 0  # fmt: skip
    src = _csv(tmp_path / "d.csv")
    done = subprocess.run(
        [sys.executable, "-I", str(script), str(src), str(tmp_path / "py.csv"), "--label-column", "code"],
        check=False, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert _queued(tmp_path / "py.review.csv", "id", "_taxops_reason") == EXPECTED


def test_label_studio_export_gets_the_same_reasons(repo: Path, tmp_path: Path) -> None:
    tasks = [
        {
            "id": int(row),
            "data": {"text": row},
            "annotations": [
                {"result": [{"type": "choices", "value": {"choices": [value]}}]},
            ],
        }
        for row, value, _ in ROWS
    ]
    src, out = tmp_path / "export.json", tmp_path / "out.json"
    src.write_text(json.dumps(tasks), encoding="utf-8")
    args = ["migrate", str(src), "--repo", str(repo), *ARGS, "--format", "label-studio"]
    assert main([*args, "-o", str(out), "--no-progress"]) == 0
    review = json.loads((tmp_path / "out.review.json").read_text())
    assert {
        str(t["meta"]["taxops"]["task_id"]): t["meta"]["taxops"]["reason"] for t in review
    } == EXPECTED


@pytest.mark.spark
def test_spark_engine_gives_the_same_reasons(spark, repo: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from taxops.engines import spark_migrate
    from taxops.engines.duckdb_migrate import Job

    migration = migration_map(repo, "goods", "1.0.0", "2.0.0")
    single, multi = tmp_path / "single.parquet", tmp_path / "multi.parquet"
    rows = ", ".join(f"('{row}', '{value}')" for row, value, _ in ROWS)
    duckdb.sql(f"COPY (FROM (VALUES {rows}) v(id, code)) TO '{single}' (FORMAT parquet)")
    lists = [["10", "12", "11"], ["13", "99"], ["17", "14"], ["10", "17"]]
    listed = ", ".join(f"({i}, {codes!r})" for i, codes in enumerate(lists, 1))
    duckdb.sql(f"COPY (FROM (VALUES {listed}) v(id, codes)) TO '{multi}' (FORMAT parquet)")

    def queued(source: Path, column: str, many: bool) -> dict[str, str]:
        out, review = tmp_path / f"{source.stem}.out", tmp_path / f"{source.stem}.review"
        job = Job(source, "parquet", column, multi_label=many)
        spark_migrate.run(job, migration, out, review, spark=spark)
        found = duckdb.sql(f"SELECT id, _taxops.reason FROM '{review}/*.parquet'").fetchall()
        return {str(i): reason for i, reason in found}

    assert queued(single, "code", False) == EXPECTED
    assert queued(multi, "codes", True) == {"1": "split", "2": "unknown-label", "3": "reused"}
