"""A taxonomy keeps a publisher's codes as its ids (``ids: code``): upper case,
digits first, dots, dashes and ranges. It validates, diffs, maps and migrates,
and every dataset value that matched a label exactly comes out byte for byte,
in CSV, JSON lines and Parquet, through taxops migrate and through the
generated SQL and Python scripts alike."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from taxops import escaping
from taxops.cli.main import main
from taxops.engines.sql_script import migration_sql, split_statements
from taxops.history import migration_map
from taxops.migration.model import Action, Entry, MigrationMap, Mode
from taxops.migration.values import Disposition, classify
from taxops.models.ids import IdPreset, IdRule

HEADER = """taxops: taxonomy/1
id: icd
title: Diagnoses
version: {version}
kind: hierarchical
owners: ["@coding"]
ids: {ids}
labels:
"""
#: Codes of both versions: a range, categories, dotted codes, digits first with
#: a leading zero, a mixed-case code and a non-ASCII one.
COMMON = """  - {id: A00-B99, name: Certain infectious diseases}
  - {id: A00, name: Cholera, parent: A00-B99}
  - {id: A00.0, name: Cholera due to Vibrio cholerae 01, parent: A00}
  - {id: A00.1, name: Cholera due to biovar eltor, parent: A00}
  - {id: '010121', name: Horses for breeding, parent: A00-B99}
  - {id: 31-33, name: Manufacturing, parent: A00-B99}
  - {id: 80DV8O, name: A mixed-case code, parent: A00-B99}
  - {id: weiß_schwarz, name: Black and white, parent: A00-B99}
"""
V1 = (
    COMMON
    + """  - {id: A00.9, name: Cholera unspecified, parent: A00}
  - {id: E88.29, name: Other lipodystrophy, parent: A00-B99}
"""
)
V2 = (
    COMMON
    + """  - id: A00.9
    name: Cholera unspecified
    parent: A00
    status: retired
    replaced_by: [A00]
  - id: E88.29
    name: Other lipodystrophy
    parent: A00-B99
    status: retired
    replaced_by: [E88.2A, E88.2B]
    replacement: review
  - {id: E88.2A, name: Lipodystrophy A, parent: A00-B99}
  - {id: E88.2B, name: Lipodystrophy B, parent: A00-B99}
"""
)
#: (row id, label value, what it becomes): exact values are kept byte for
#: byte; a padded value is trimmed; a value in another case is not a code
#: (case carries meaning in codes) and goes to review.
ROWS = [
    ("1", "A00.0", "A00.0"),
    ("2", "010121", "010121"),
    ("3", "31-33", "31-33"),
    ("4", "80DV8O", "80DV8O"),
    ("5", "weiß_schwarz", "weiß_schwarz"),
    ("6", "A00.9", "A00"),
    ("7", " A00.1 ", "A00.1"),
    ("8", "a00.0", None),
    ("9", "E88.29", None),
    ("10", "A00-B99", "A00-B99"),
    # Surrounding tabs, no-break and ideographic spaces are trimmed alike by every
    # engine; a value of such spaces alone is unlabeled and kept as it is.
    ("11", "A00.1\t", "A00.1"),
    ("12", "\u00a0A00.0\u3000", "A00.0"),
    ("13", "\u3000", "\u3000"),
]
KEPT = {row_id for row_id, value, after in ROWS if value == after}


def write_repo(root: Path, ids: str = "code") -> Path:
    folder = root / "taxonomies" / "icd"
    (folder / "releases").mkdir(parents=True)
    v1 = HEADER.format(version="1.0.0", ids=ids) + V1
    v2 = HEADER.format(version="2.0.0", ids=ids) + V2
    (folder / "releases" / "1.0.0.yaml").write_text(v1, encoding="utf-8")
    (folder / "releases" / "2.0.0.yaml").write_text(v2, encoding="utf-8")
    (folder / "taxonomy.yaml").write_text(v2, encoding="utf-8")
    return root


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return write_repo(tmp_path / "repo")


def migrate(repo: Path, src: Path, out: Path) -> dict:  # type: ignore[type-arg]
    args = ["migrate", str(src), "--repo", str(repo), "--taxonomy", "icd", "--from", "1.0.0"]
    assert main([*args, "--label-column", "code", "-o", str(out), "--no-progress"]) == 0
    return json.loads(out.with_name(out.stem + ".report.json").read_text())  # type: ignore[no-any-return]


def test_codes_validate_diff_and_map(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--repo", str(repo)]) == 0
    assert main(["diff", "icd@1.0.0", "icd@2.0.0", "--repo", str(repo)]) == 0
    out = capsys.readouterr().out
    assert "`A00.9` merged into existing label `A00`" in out
    assert "`E88.29` was split into `E88.2A`, `E88.2B`" in out
    assert (
        main(["migration-map", "icd", "--from", "1.0.0", "--repo", str(repo), "--format", "json"])
        == 0
    )
    entries = {e["label"]: e for e in json.loads(capsys.readouterr().out)["entries"]}
    assert set(entries) == {
        "A00-B99", "A00", "A00.0", "A00.1", "010121", "31-33", "80DV8O", "weiß_schwarz",
        "A00.9", "E88.29",
    }  # fmt: skip
    assert (entries["A00.9"]["mode"], entries["A00.9"]["targets"]) == ("direct", ["A00"])
    assert entries["E88.29"]["mode"] == "review"
    assert entries["010121"]["mode"] == "keep"


def _expected_migrated() -> list[tuple[str, str]]:
    return [(i, after) for i, _, after in ROWS if after is not None]


def test_csv_keeps_exact_values_byte_for_byte(repo: Path, tmp_path: Path) -> None:
    src = tmp_path / "d.csv"
    src.write_text(
        "id,code\n"
        + "".join(f'{i},"{v}"\n' if v != v.strip(" \t") else f"{i},{v}\n" for i, v, _ in ROWS),
        encoding="utf-8",
    )
    rep = migrate(repo, src, tmp_path / "o.csv")
    with open(tmp_path / "o.csv", newline="", encoding="utf-8") as f:
        rows = [(r["id"], r["code"]) for r in csv.DictReader(f)]
    assert rows == _expected_migrated()
    lines = {line.split(",", 1)[0]: line for line in src.read_text().splitlines()[1:]}
    out_lines = {
        line.split(",", 1)[0]: line for line in (tmp_path / "o.csv").read_text().splitlines()[1:]
    }
    assert all(out_lines[i] == lines[i] for i in KEPT)  # whole lines, byte for byte
    _assert_report(rep)


def test_jsonl_keeps_exact_lines_byte_for_byte(repo: Path, tmp_path: Path) -> None:
    src = tmp_path / "d.jsonl"
    lines = [json.dumps({"id": i, "code": v}, ensure_ascii=False) for i, v, _ in ROWS]
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rep = migrate(repo, src, tmp_path / "o.jsonl")
    out = (tmp_path / "o.jsonl").read_text(encoding="utf-8").splitlines()
    assert [(json.loads(x)["id"], json.loads(x)["code"]) for x in out] == _expected_migrated()
    by_id = {json.loads(x)["id"]: x for x in out}
    assert all(by_id[i] == lines[int(i) - 1] for i in KEPT)
    _assert_report(rep)


def test_parquet_keeps_exact_values(repo: Path, tmp_path: Path) -> None:
    src = tmp_path / "d.parquet"
    con = duckdb.connect()
    con.execute("CREATE TABLE d (id VARCHAR, code VARCHAR)")
    con.executemany("INSERT INTO d VALUES (?, ?)", [(i, v) for i, v, _ in ROWS])
    con.execute(f"COPY d TO '{src}' (FORMAT parquet)")
    rep = migrate(repo, src, tmp_path / "o.parquet")
    rows = duckdb.sql(f"SELECT id, code FROM '{tmp_path / 'o.parquet'}'").fetchall()
    assert rows == _expected_migrated()
    kept = [v for i, v in rows if i in KEPT]
    assert [v.encode() for v in kept] == [v.encode() for i, v, _ in ROWS if i in KEPT]
    _assert_report(rep)


def _assert_report(rep: dict) -> None:  # type: ignore[type-arg]
    assert rep["check"]["balanced"]
    assert rep["repaired"] == [
        {"value": value, "label": label, "how": "trimmed", "count": 1}
        for value, label in (
            (" A00.1 ", "A00.1"),
            ("A00.1\t", "A00.1"),
            ("\u00a0A00.0\u3000", "A00.0"),
        )
    ]
    assert rep["not_repaired"] == [
        {
            "value": "a00.0",
            "candidates": ["A00.0"],
            "why": "case carries meaning in this taxonomy's ids",
            "count": 1,
        }
    ]
    assert rep["rows"]["review_by_reason"] == {"split": 1, "unknown-label": 1}


def test_a_case_insensitive_taxonomy_repairs_case_and_says_so(tmp_path: Path) -> None:
    repo = write_repo(tmp_path / "repo", ids="{preset: code, case: insensitive}")
    src = tmp_path / "d.csv"
    src.write_text("id,code\n1,a00.0\n2,80dv8o\n3,A00.0\n", encoding="utf-8")
    rep = migrate(repo, src, tmp_path / "o.csv")
    assert (tmp_path / "o.csv").read_text() == "id,code\n1,A00.0\n2,80DV8O\n3,A00.0\n"
    assert rep["repaired"] == [
        {"value": "80dv8o", "label": "80DV8O", "how": "case", "count": 1},
        {"value": "a00.0", "label": "A00.0", "how": "case", "count": 1},
    ]


def test_a_value_matching_two_ids_but_for_case_is_never_repaired() -> None:
    """History may hold ids that differ only in case (a publisher's release, kept
    as it was): a value matching both once case is ignored is not guessed."""
    keep = [Entry(i, Action.KEEP, Mode.KEEP, (i,)) for i in ("Ab1", "aB1", "C2")]
    m = MigrationMap("icd", "1", "2", "single-label", tuple(keep), id_case="insensitive")
    assert (classify("aB1", m).label, classify("aB1", m).repaired) == ("aB1", None)  # exact
    assert (classify(" Ab1", m).label, classify(" Ab1", m).repaired) == ("Ab1", "trimmed")
    ambiguous = classify("ab1", m)
    assert ambiguous.disposition is Disposition.UNKNOWN
    assert ambiguous.not_repaired == ("Ab1", "aB1")
    assert (classify("c2 ", m).label, classify("c2 ", m).repaired) == ("C2", "trimmed, case")


def _script_rows(repo: Path, table: str = "d") -> tuple[list, list]:  # type: ignore[type-arg]
    """The generated DuckDB script run statement by statement (each with the
    header comments before it, as block comments)."""
    migration = migration_map(repo, "icd", "1.0.0")
    sql = migration_sql(
        migration, dialect="duckdb", table=table, label_column="code", columns=["id", "code"]
    )
    con = duckdb.connect()
    con.execute(f"CREATE TABLE {escaping.sql_identifier(table)} (id VARCHAR, code VARCHAR)")
    con.executemany(
        f"INSERT INTO {escaping.sql_identifier(table)} VALUES (?, ?)", [(i, v) for i, v, _ in ROWS]
    )
    migrated_sql, review_sql, check_sql = split_statements(sql)
    con.execute(migrated_sql)
    con.execute(review_sql)
    assert con.execute(check_sql).fetchall() == [(True,)]
    out, queue = (escaping.sql_identifier(table + s) for s in ("_v2_0_0", "_review_v2_0_0"))
    migrated = con.execute(f"SELECT id, code FROM {out} ORDER BY id::INT").fetchall()
    review = con.execute(f"SELECT id, taxops_reason FROM {queue} ORDER BY id::INT").fetchall()
    return migrated, review


def test_sql_script_matches_codes_exactly(repo: Path) -> None:
    migrated, review = _script_rows(repo)
    assert migrated == _expected_migrated()
    assert review == [("8", "unknown-label"), ("9", "split")]


@pytest.mark.parametrize("table", ["it's", 'say "hi"', "a`b"])
def test_sql_script_trims_alike_whatever_quotes_its_header_shows(repo: Path, table: str) -> None:
    """A quote in a header comment (a table's name) must not change what the
    statements after it do: the no-break and ideographic spaces are still trimmed."""
    migrated, review = _script_rows(repo, table)
    assert migrated == _expected_migrated()
    assert review == [("8", "unknown-label"), ("9", "split")]


def test_python_script_matches_codes_exactly(repo: Path, tmp_path: Path) -> None:
    script = tmp_path / "m.py"
    assert (
        main(
            [
                "migration-script",
                "icd",
                "--repo",
                str(repo),
                "--from",
                "1.0.0",
                "--python",
                "-o",
                str(script),
            ]
        )
        == 0
    )
    src = tmp_path / "d.csv"
    src.write_text("id,code\n" + "".join(f"{i},{v}\n" for i, v, _ in ROWS), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-I", str(script), str(src), str(tmp_path / "py.csv"), "--label-column", "code"],
        check=False, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    with open(tmp_path / "py.csv", newline="", encoding="utf-8") as f:
        assert [(r["id"], r["code"]) for r in csv.DictReader(f)] == _expected_migrated()


PUBLISHED = [
    "150",
    "1604",
    "A00.0",
    "E88.29",
    "010121",
    "31-33",
    "I10-I1A",
    "80DV8O",
    "weiß_schwarz",
]


@pytest.mark.parametrize("code", PUBLISHED)
def test_published_codes_are_valid_codes_and_not_slugs(code: str) -> None:
    assert IdRule.of(IdPreset.CODE).problem(code) is None
    assert IdRule.of(IdPreset.SLUG).problem(code) is not None
