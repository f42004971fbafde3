"""``taxops redact``: every planted email, phone and card number masked, every
other value as it was, row count and order kept, in CSV, JSON lines and Parquet,
with a report per field and rule that adds up to what was planted."""

from __future__ import annotations

import csv
import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from taxops.cli.main import main

BASE = Path(__file__).parent / "base"
ROWS = 2000


def _planted(rng: random.Random, i: int) -> tuple[str, dict[str, int]]:
    """A caption, and what it holds."""
    parts, held = [f"photo {i} of a pet"], {"email": 0, "phone": 0, "payment_card": 0}
    if i % 3 == 0:
        parts.append(f"owner{i}@example.com")
        held["email"] += 1
    if i % 5 == 0:
        parts.append(f"+1 415-555-{i % 10000:04d}")
        held["phone"] += 1
    if i % 7 == 0:
        parts.append(rng.choice(["4111 1111 1111 1111", "5555-5555-5555-4444", "378282246310005"]))
        held["payment_card"] += 1
    parts.append(f"shot on 2025-03-{1 + i % 28:02d}, ref NW-{100000 + i}")  # not personal
    return ", ".join(parts), held


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(BASE, root)
    return root


def _write_csv(path: Path) -> tuple[list[list[str]], dict[str, int]]:
    rng = random.Random(3)
    rows, totals = [], {"email": 0, "phone": 0, "payment_card": 0}
    for i in range(ROWS):
        caption, held = _planted(rng, i)
        rows.append([f"p{i}.jpg", caption, "dog" if i % 2 else "cat"])
        for k, n in held.items():
            totals[k] += n
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["photo", "caption", "label"])
        writer.writerows(rows)
    return rows, totals


SECRETS = ("@example.com", "415-555-", "4111 1111", "5555-5555", "378282246310005")


def _check(rows: list[list[str]], out: list[list[str]]) -> None:
    assert len(out) == len(rows)
    for before, after in zip(rows, out, strict=True):
        assert after[0] == before[0] and after[2] == before[2]  # untouched, in order
        assert not any(s in after[1] for s in SECRETS), after[1]
        assert after[1].split(", shot on ")[1] == before[1].split(", shot on ")[1]


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_redact_masks_every_planted_value_and_keeps_rows_in_order(
    repo: Path, tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "pets.csv"
    rows, totals = _write_csv(source)
    if fmt != "csv":
        converted = tmp_path / f"pets.{fmt}"
        with duckdb.connect() as con:
            kind = "FORMAT json" if fmt == "jsonl" else "FORMAT parquet"
            con.execute(
                f"COPY (SELECT * FROM read_csv('{source}', all_varchar = true)) TO '{converted}' ({kind})"
            )
        source = converted
    before = source.read_bytes()
    out = tmp_path / f"out.{fmt}"
    code = main(["redact", str(source), "-o", str(out), "--data-class", "personal",
                 "--label-column", "label", "--repo", str(repo)])  # fmt: skip
    printed = capsys.readouterr().out
    assert code == 0, printed
    assert source.read_bytes() == before  # the input is never modified
    with duckdb.connect() as con:
        reader = {"csv": "read_csv", "jsonl": "read_json", "parquet": "read_parquet"}[fmt]
        result = [
            list(r)
            for r in con.execute(f"SELECT photo, caption, label FROM {reader}('{out}')").fetchall()
        ]
    _check(rows, result)
    report = json.loads((tmp_path / f"out.{fmt}.redaction.json").read_text())
    assert report["rows"] == ROWS
    [caption] = [f for f in report["fields"] if f["field"] == "caption"]
    masked = {r["detect"]: r["masked"] for r in caption["rules"]}
    assert {k: masked[k] for k in totals} == totals
    assert all(f["field"] != "label" for f in report["fields"])  # labels are never redacted
    assert f"caption (personal): email {totals['email']:,}" in printed


@pytest.mark.parametrize("named", ["by id", "by its path"])
def test_a_registered_dataset_is_redacted_by_its_fields_classes(
    repo: Path, capsys: pytest.CaptureFixture[str], named: str
) -> None:
    """pets-2025 is 'public', but the policy says its captions are personal; a
    registered dataset's file named by its path is that dataset too."""
    data = repo / "data" / "pets-2025.csv"
    data.write_text(data.read_text() + 'p5.jpg,"mail owner@example.com",dog\n')
    out = repo / "out" / "pets.csv"
    name = "pets-2025" if named == "by id" else str(data)
    assert main(["redact", name, "-o", str(out), "--repo", str(repo)]) == 0
    assert out.read_text().splitlines()[-1] == "p5.jpg,mail [email],dog"
    printed = capsys.readouterr().out
    assert "caption (personal): email 1" in printed and "photo" not in printed.split("\n", 1)[1]


def test_redact_refuses_to_overwrite_its_input_and_needs_a_class(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "x.csv"
    source.write_text("a\nb\n")
    assert main(["redact", str(source), "-o", str(source), "--data-class", "personal",
                 "--repo", str(repo)]) == 2  # fmt: skip
    assert "never writes over its input" in capsys.readouterr().err
    assert main(["redact", str(source), "-o", str(tmp_path / "y.csv"), "--repo", str(repo)]) == 2
    assert "--data-class" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("delimiter", "encoding", "suffix"),
    [(";", "utf-8-sig", "csv"), ("|", "utf-8", "csv"), ("\t", "utf-8", "tsv"),
     (";", "latin-1", "csv")],
)  # fmt: skip
def test_redact_reads_and_writes_a_csv_in_its_own_dialect(
    repo: Path, tmp_path: Path, delimiter: str, encoding: str, suffix: str,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    """A spreadsheet's semicolon export is not one column of a comma CSV: read
    as one, its first row became the header and went out unmasked. Every row
    is masked, the header is the file's, and the output keeps the delimiter."""
    source = tmp_path / f"owners.{suffix}"
    rows = [["photo", "caption", "label"]] + [
        [f"p{i}.jpg", f"Café owner{i}@example.com, rings +1 415-555-{i:04d}, ok", "dog"]
        for i in range(30)
    ]
    with open(source, "w", newline="", encoding=encoding) as f:
        csv.writer(f, delimiter=delimiter, lineterminator="\n").writerows(rows)
    out = tmp_path / f"out.{suffix}"
    enc = [] if encoding != "latin-1" else ["--encoding", "latin-1"]
    code = main(["redact", str(source), "-o", str(out), "--data-class", "personal",
                 "--label-column", "label", "--repo", str(repo), *enc])  # fmt: skip
    assert code == 0, capsys.readouterr()
    with open(out, newline="", encoding="utf-8") as f:
        written = list(csv.reader(f, delimiter=delimiter))
    assert written == [rows[0]] + [
        [r[0], "Café [email], rings [phone], ok", "dog"] for r in rows[1:]
    ]
    report = json.loads((tmp_path / f"out.{suffix}.redaction.json").read_text())
    assert report["rows"] == 30 and report["masked"] == 60


def test_nested_json_values_and_fields_named_like_sql_variables_are_redacted(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An email inside an object or a list is masked (it was passed through:
    the field was not text), the value stays JSON; fields named 'm', 'c' or
    'acc' (the redaction SQL's own variables) are fields like any other."""
    source = tmp_path / "owners.jsonl"
    rows = [
        {"m": f"owner{i}@example.com", "c": "call +1 415-555-0132", "acc": "x",
         "owner": {"email": f"o{i}@example.com", "pets": [1, 2]},
         "notes": [f"n{i}@example.com", "fine"], "label": "dog"}
        for i in range(5)
    ]  # fmt: skip
    source.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / "out.jsonl"
    code = main(["redact", str(source), "-o", str(out), "--data-class", "personal",
                 "--label-column", "label", "--repo", str(repo)])  # fmt: skip
    assert code == 0, capsys.readouterr()
    assert [json.loads(line) for line in out.read_text().splitlines()] == [
        {"m": "[email]", "c": "call [phone]", "acc": "x",
         "owner": {"email": "[email]", "pets": [1, 2]}, "notes": ["[email]", "fine"],
         "label": "dog"}
    ] * 5  # fmt: skip
    report = json.loads((tmp_path / "out.jsonl.redaction.json").read_text())
    assert report["masked"] == 20 and [f["field"] for f in report["fields"]] == [
        "m", "c", "acc", "owner", "notes",
    ]  # fmt: skip
    parquet = tmp_path / "owners.parquet"
    with duckdb.connect() as con:
        con.execute(f"COPY (SELECT * FROM read_json('{source}')) TO '{parquet}' (FORMAT parquet)")
    code = main(["redact", str(parquet), "-o", str(tmp_path / "o.parquet"),
                 "--data-class", "personal", "--repo", str(repo)])  # fmt: skip
    assert code == 0, capsys.readouterr()
    # Parquet: the nested fields are redacted too, and keep their own types.
    with duckdb.connect() as con:
        types = con.execute(f"SELECT column_name, column_type FROM (DESCRIBE '{parquet}')")
        assert (
            types.fetchall()
            == con.execute(
                f"SELECT column_name, column_type FROM (DESCRIBE '{tmp_path / 'o.parquet'}')"
            ).fetchall()
        )
        rows = con.execute(f"SELECT owner, notes FROM '{tmp_path / 'o.parquet'}'").fetchall()
    assert rows == [({"email": "[email]", "pets": [1, 2]}, ["[email]", "fine"])] * 5


def test_the_redaction_engine_does_not_load_the_migration_package() -> None:
    """A command that only redacts starts without the migration engine and maps
    (the statement runner they share lives apart from both)."""
    code = (
        "import sys, taxops.engines.redact\n"
        "print(' '.join(m for m in sys.modules if m.startswith('taxops.')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(done.stdout.split())
    assert "taxops.engines.duckdb_run" in loaded
    assert not {m for m in loaded if m.startswith("taxops.migration")}
    assert "taxops.engines.duckdb_migrate" not in loaded
