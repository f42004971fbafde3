"""Hostile and odd dataset files, as data: what each must become.

Every case is a file (its bytes), the extra arguments, and the outcome: the ids
of the migrated rows in order, the review queue's (row, reason) pairs in order,
and the blank lines skipped; or exit 2 with a fragment of the message. Rows in
always equal migrated + review (the report says so, checked), and the input is
never modified. Labels of support-intents 1.0.0 -> 2.0.0: R is merged into
returns.refund_status, K is kept, Q goes to review.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest
from taxops.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
BASE = ["--repo", str(ROOT), "--taxonomy", "support-intents", "--from", "1.0.0", "--to", "2.0.0"]
R, K, Q = "billing.refund_status", "orders.order_status", "product.general_question"
BIG = "x" * 3_000_000  # over DuckDB's own 2 MB line limit


@dataclass
class Case:
    name: str
    suffix: str
    data: bytes
    migrated: list[str] | None = None  # ids, in order
    review: list[tuple[int, str]] = field(default_factory=list)  # (row, reason)
    blank: int = 0
    args: list[str] = field(default_factory=list)
    error: str | None = None  # exit 2 with this in the message


def lines(*items: str, end: str = "\n") -> bytes:
    return (end.join(items) + end).encode()


def obj(i: int, label: object) -> str:
    return json.dumps({"id": str(i), "intent": label})


CASES = [
    # --- CSV -----------------------------------------------------------------
    Case("csv ragged rows", ".csv", lines("id,intent", f"1,{R}", "2", f"3,{K},extra", f"4,{K}"),
         ["1", "4"], [(2, "malformed"), (3, "malformed")]),
    Case("csv quote never closed swallows the rest as one record", ".csv",
         lines("id,intent", f"1,{R}", '2,"open', f"3,{K}", f"4,{K}"), ["1"], [(2, "malformed")]),
    Case("csv text after a closing quote", ".csv",
         lines("id,intent", f'1,"{R}"x', f"2,{K}"), ["2"], [(1, "malformed")]),
    Case("csv quote inside an unquoted value is text", ".csv",
         lines("id,intent", f'1 "inch",{K}', f"2,{K}"), ['1 "inch"', "2"]),
    Case("csv NUL inside a value", ".csv", lines("id,intent", f"1\x00one,{K}", f"2,{R}"),
         ["1\x00one", "2"]),
    Case("csv bytes that are not UTF-8", ".csv",
         b"id,intent\n1,caf\xe9\n" + lines(f"2,{K}"), ["2"], [(1, "malformed")]),
    Case("csv 3 MB cell (DuckDB's default limit is 2 MB)", ".csv",
         lines("id,intent,text", f"1,{K},{BIG}", f"2,{R},x"), ["1", "2"]),
    Case("csv record over --max-line-size", ".csv",
         lines("id,intent,text", f"1,{K},{BIG}", f"2,{R},x"), ["2"], [(1, "malformed")],
         args=["--max-line-size", "1MB"]),
    Case("csv blank lines are no records", ".csv",
         lines("id,intent", "", f"1,{R}", "", "", "2", f"3,{Q}", ""), ["1"],
         [(2, "malformed"), (3, "review")], blank=4),
    Case("csv whitespace-only line is a short record", ".csv",
         lines("id,intent", f"1,{K}", "   ", f"2,{Q}"), ["1"], [(2, "malformed"), (3, "review")]),
    Case("csv one column: a blank line is an empty label", ".csv",
         lines("intent", K, "", Q), None, [(3, "review")]),
    Case("csv quoted newlines", ".csv",
         lines("id,intent", f'"1\nline",{K}', f'"2\n\nlines",{Q}', f"3,{R}"),
         ["1\nline", "3"], [(2, "review")]),
    Case("csv CRLF", ".csv", lines("id,intent", f"1,{R}", f"2,{Q}", end="\r\n"), ["1"],
         [(2, "review")]),
    Case("csv CR-only line endings", ".csv", lines("id,intent", f"1,{R}", f"2,{K}", end="\r"),
         ["1", "2"]),
    Case("csv semicolons and a BOM (a European spreadsheet export)", ".csv",
         b"\xef\xbb\xbf" + lines("id;intent;text", f"1;{R};a,b", f"2;{Q};c"), ["1"],
         [(2, "review")]),
    Case("csv latin-1 with --encoding", ".csv", b"id;intent;text\n1;" + K.encode() + b";caf\xe9\n",
         ["1"], args=["--encoding", "latin-1"]),
    Case("csv empty and repeated column names", ".csv",
         lines(",id,intent,id", f"0,1,{R},a", f"1,2,{Q},b"), None, [(2, "review")]),
    Case("csv a review queue migrated again", ".csv",
         lines("id,intent,_taxops_row,_taxops_reason", f"1,{Q},7,review", f"2,{K},8,review"),
         ["2"], [(1, "review")]),
    Case("csv header only", ".csv", lines("id,intent"), []),
    Case("csv empty file", ".csv", b"", error="has no header line"),
    Case("csv without the label column", ".csv", lines("id,label2", "1,x"),
         error="has no column 'intent'"),
    Case("tsv quotes are text", ".tsv", lines("id\tintent", f'"1\t{K}', f"2\t{R}"),
         ['"1', "2"]),
    # --- JSON lines ------------------------------------------------------------
    Case("jsonl line over the line-size limit", ".jsonl",
         lines(obj(1, K), obj(2, BIG), obj(3, Q)), ["1"], [(2, "malformed"), (3, "review")],
         args=["--max-line-size", "1MB"]),
    Case("jsonl 3 MB line within the default limit", ".jsonl",
         lines(obj(1, K), json.dumps({"id": "2", "intent": R, "t": BIG})), ["1", "2"]),
    Case("jsonl raw U+001F", ".jsonl", lines(obj(1, K), '{"id": "2", "intent": "a\x1fb"}', obj(3, R)),
         ["1", "3"], [(2, "malformed")]),
    Case("jsonl values that are not objects", ".jsonl",
         lines("[1,2,3]", '"text"', "5", "null", obj(5, K)), ["5"],
         [(1, "malformed"), (2, "malformed"), (3, "malformed"), (4, "malformed")]),
    Case("jsonl a label that is a list or an object", ".jsonl",
         lines(obj(1, [K]), obj(2, {"a": K}), obj(3, K)), ["3"], [(1, "malformed"), (2, "malformed")]),
    Case("jsonl blank and whitespace lines", ".jsonl",
         lines("", obj(2, K), "  \t", obj(4, Q), "") + b"\n", ["2"], [(4, "review")], blank=4),
    Case("jsonl bytes that are not UTF-8", ".jsonl",
         lines(obj(1, K)) + b'{"id": "2", "intent": "caf\xe9"}\n', ["1"], [(2, "malformed")]),
    Case("jsonl NUL inside a line", ".jsonl", lines(obj(1, K), '{"id": "2", "intent": "a\x00"}'),
         ["1"], [(2, "malformed")]),
    Case("jsonl last line without a newline", ".jsonl", lines(obj(1, K)) + obj(2, Q).encode(),
         ["1"], [(2, "review")]),
    Case("jsonl CRLF", ".jsonl", lines(obj(1, R), obj(2, Q), end="\r\n"), ["1"], [(2, "review")]),
    Case("jsonl carriage return inside a line", ".jsonl",
         lines(obj(1, K), '{"id": "2",\r"intent": "x"}'), error="line 2 holds a carriage return"),
    Case("jsonl a review queue migrated again", ".jsonl",
         lines(json.dumps({"id": "1", "intent": Q, "_taxops": {"row": 9}})), [], [(1, "review")]),
    Case("jsonl empty file", ".jsonl", b"", []),
    Case("jsonl the label key in no line (a typo)", ".jsonl", lines('{"id": "1", "intnet": "x"}'),
         error="no line of"),
    Case("jsonl every line malformed", ".jsonl", lines("[1]", "{"), [],
         [(1, "malformed"), (2, "malformed")]),
]  # fmt: skip


def _ids(path: Path, suffix: str, key: str = "id") -> list[str]:
    """The id column of a CSV/TSV or JSON-lines output, read by Python."""
    text = path.read_bytes().decode("utf-8", "surrogateescape").lstrip("\ufeff")
    if suffix == ".jsonl":
        return [json.loads(line)[key] for line in text.splitlines() if line.strip()]
    delim = "\t" if suffix == ".tsv" else (";" if text.split("\n")[0].count(";") else ",")
    quoting = csv.QUOTE_NONE if suffix == ".tsv" else csv.QUOTE_MINIMAL
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delim, quoting=quoting))
    return [r[rows[0].index(key)] for r in rows[1:] if r]


def _review(path: Path, suffix: str) -> list[tuple[int, str]]:
    if not path.exists():
        return []
    if suffix == ".jsonl":
        out = []
        for line in path.read_text().splitlines():
            record = json.loads(line)
            meta = record.get("_taxops2") or record["_taxops"]
            out.append((meta["row"], meta["reason"]))
        return out
    delim = "\t" if suffix == ".tsv" else None
    text = path.read_bytes().decode("utf-8").lstrip("\ufeff")
    sample = text.split("\n")[0]
    delim = delim or (";" if sample.count(";") > sample.count(",") else ",")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delim))
    head = rows[0]
    prefix = "_taxops2_" if "_taxops2_row" in head else "_taxops_"
    i, j = head.index(prefix + "row"), head.index(prefix + "reason")
    return [(int(r[i]), r[j]) for r in rows[1:]]


def migrate(src: Path, out: Path, *args: str) -> int:
    return main(
        [
            "migrate",
            str(src),
            "-o",
            str(out),
            "--label-column",
            "intent",
            *args,
            *BASE,
            "--no-progress",
        ]
    )


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_dataset(case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / f"in{case.suffix}"
    src.write_bytes(case.data)
    before = hashlib.sha256(case.data).hexdigest()
    out = tmp_path / f"out{case.suffix}"
    code = migrate(src, out, *case.args)
    captured = capsys.readouterr()
    assert "internal error" not in captured.err
    assert hashlib.sha256(src.read_bytes()).hexdigest() == before  # input untouched
    if case.error is not None:
        assert code == 2, captured.out
        assert case.error in captured.err
        assert not out.exists() and not list(tmp_path.glob(".*taxops-tmp*"))
        return
    assert code == 0, captured.err
    report = json.loads((tmp_path / "out.report.json").read_text())
    assert report["check"]["balanced"]
    rows = report["rows"]
    assert rows["input"] == rows["migrated"] + rows["review"]
    assert report["blank_lines"] == case.blank
    if case.migrated is not None:
        assert _ids(out, case.suffix) == case.migrated
    assert _review(tmp_path / f"out.review{case.suffix}", case.suffix) == case.review
    assert rows["review"] == len(case.review)
    assert not list(tmp_path.glob(".*taxops-tmp*")) and not list(tmp_path.glob("*.parquet"))
    # impact counts the labels of the same file without stumbling on what it cannot read.
    impact = ["impact", "support-intents", "--from", "1.0.0", "--dataset", str(src)]
    assert main([*impact, "--label-column", "intent", "--repo", str(ROOT)]) == 0
    assert "internal error" not in capsys.readouterr().err


def test_column_names_come_out_exactly_as_they_went_in(tmp_path: Path) -> None:
    """Empty, repeated and case-twin names, a BOM and semicolons: DuckDB would
    rename the first three; the outputs keep all of it."""
    src = tmp_path / "in.csv"
    src.write_bytes(
        b"\xef\xbb\xbf;id;intent;Id;ID\n0;1;" + R.encode() + b";a;b\n1;2;" + Q.encode() + b";c;d\n"
    )
    out = tmp_path / "out.csv"
    assert migrate(src, out) == 0
    assert out.read_bytes() == b"\xef\xbb\xbf;id;intent;Id;ID\n0;1;returns.refund_status;a;b\n"
    review = (tmp_path / "out.review.csv").read_bytes()
    assert review.startswith(b"\xef\xbb\xbf;id;intent;Id;ID;_taxops_row;_taxops_reason;")


def test_parquet_columns_that_shadow_what_taxops_adds(tmp_path: Path) -> None:
    """A Parquet file with the columns DuckDB and taxops would add themselves."""
    src = tmp_path / "in.parquet"
    duckdb.sql(
        f"COPY (SELECT * FROM (VALUES (10, '{R}', 'a', 5), (20, '{Q}', 'b', 6)) "
        "t(file_row_number, intent, _taxops, filename)) TO "
        f"'{src}' (FORMAT parquet)"
    )
    out = tmp_path / "out.parquet"
    assert migrate(src, out) == 0
    assert duckdb.sql(f"SELECT * FROM '{out}'").fetchall() == [
        (10, "returns.refund_status", "a", 5)
    ]
    [queued] = duckdb.sql(
        f"SELECT _taxops, file_row_number, _taxops2 FROM '{tmp_path / 'out.review.parquet'}'"
    ).fetchall()
    assert queued[:2] == ("b", 20)
    assert queued[2]["row"] == 2 and queued[2]["reason"] == "review"
    # The queue's reader takes taxops' struct, and the user's columns as fields.
    from taxops.review.queue import read_queue

    [row] = read_queue(tmp_path / "out.review.parquet").rows
    assert (row.row, row.reason) == (2, "review")
    assert row.fields == {"file_row_number": 20, "intent": Q, "_taxops": "b", "filename": 6}


LABEL_STUDIO = [
    ({"id": 1, "annotations": [{"result": [{"value": {"choices": [R]}}]}]}, None),
    (7, "not a JSON object"),
    (
        {"id": 3, "annotations": [{"result": [{"value": {"choices": [5, R]}}]}]},
        "not a list of text labels",
    ),
    (
        {"id": 4, "annotations": [{"result": [{"value": {"choices": R}}]}]},
        "not a list of text labels",
    ),
    ({"id": 5, "annotations": "yes"}, "'annotations' is not a list"),
    ({"id": 6, "annotations": [{"result": {"value": {}}}]}, "is not a list of objects"),
    ({"id": 7, "annotations": [{"result": [{"value": {"taxonomy": [[K, 3]]}}]}]}, "'taxonomy'"),
    ({"id": 8, "predictions": [{"result": [{"value": {"labels": [K]}}]}]}, None),
]


def test_label_studio_tasks_whose_labels_cannot_be_read_go_to_review(tmp_path: Path) -> None:
    src = tmp_path / "export.json"
    src.write_text(json.dumps([task for task, _ in LABEL_STUDIO]))
    out = tmp_path / "out.json"
    assert main(["migrate", str(src), "-o", str(out), *BASE, "--no-progress"]) == 0
    migrated = json.loads(out.read_text())
    assert [t["id"] for t in migrated] == [1, 8]
    queue = json.loads((tmp_path / "out.review.json").read_text())
    expected = [(i, why) for i, (_, why) in enumerate(LABEL_STUDIO, 1) if why]
    assert [q["meta"]["taxops"]["row"] for q in queue] == [i for i, _ in expected]
    report = json.loads((tmp_path / "out.report.json").read_text())
    for (row, why), found in zip(expected, report["malformed"], strict=True):
        assert found["row"] == row and why in found["error"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[" * 100_000 + "]" * 100_000, "nests deeper"),
        ('{"tasks": []}', "expected a list of tasks"),
        ("[1, 2", "cannot read"),
    ],
)
def test_unreadable_label_studio_exports_are_refused(
    content: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "export.json"
    src.write_text(content)
    assert main(["migrate", str(src), "-o", str(tmp_path / "o.json"), *BASE, "--no-progress"]) == 2
    assert message in capsys.readouterr().err
