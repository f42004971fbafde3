"""A property of ``taxops migrate`` over every input format: whatever the rows
(malformed records, huge cells, control characters, nulls, duplicates, lists
of labels), rows in = rows migrated + rows in review, each row lands in exactly
one of them, in input order, and nothing changes that was not meant to.

The expectation is computed from the generated rows alone, with Python's own
readers for the outputs, never from what DuckDB read: a row is malformed by
construction, or its labels decide (support-intents 1.0.0 -> 2.0.0: R is merged
into returns.refund_status, K is kept, Q needs review, any other text is
unknown, empty is unlabeled and kept). Derandomized with bounded examples, so
CI runs the same cases every time.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from taxops import escaping
from taxops.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
BASE = ["--repo", str(ROOT), "--taxonomy", "support-intents", "--from", "1.0.0", "--to", "2.0.0"]
R, K, Q = "billing.refund_status", "orders.order_status", "product.general_question"
NEW = {R: "returns.refund_status", K: K}
HUGE = "h" * 2_500_000  # over DuckDB's own 2 MB line limit, under taxops' default
OLD_IDS = {
    R, K, Q, "account.login_problem", "account.two_factor", "returns.return_status",
    "orders.cancel", "orders.delivery_problem", "product.availability", "billing.invoice",
}  # fmt: skip

_counter = itertools.count()

# Text with control characters (NUL, CR, LF, U+001F...), quotes, separators and
# non-ASCII; a TSV cannot hold tabs, quotes or line breaks.
TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=12)
TSV_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_characters='\t"\r\n'), max_size=12)
#: Every id of the release the datasets are labeled with: an "unknown" label is
#: none of them in any case ('PRIVACY' is the label privacy, repaired).
RELEASED_IDS = {
    line.split(":", 1)[1].strip()
    for line in (ROOT / "taxonomies/support-intents/releases/1.0.0.yaml")
    .read_text(encoding="utf-8")
    .splitlines()
    if line.startswith("  - id:")
}
UNKNOWN = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters='\r\n|\t"'), min_size=1, max_size=8
).filter(lambda s: s.strip() and s.strip().lower() not in RELEASED_IDS and s.strip() == s)
LABEL = st.one_of(st.sampled_from([R, K, Q, None, ""]), UNKNOWN)


@dataclass
class Row:
    text: str
    labels: list[str | None]  # one entry unless multi-label
    malformed: bool = False

    def fate(self, multi: bool) -> str:
        """'migrated' or the review reason, from the labels alone."""
        if self.malformed:
            return "malformed"
        present = [x for x in self.labels if x is not None and x.strip()]
        if any(x not in OLD_IDS for x in present):
            return "unknown-label"
        if any(x == Q for x in present):
            return "review"
        return "migrated"

    def new_labels(self) -> list[str]:
        present = [x for x in self.labels if x is not None and x.strip()]
        return list(dict.fromkeys(NEW.get(x, x) for x in present))


def rows(multi: bool, text: st.SearchStrategy[str] = TEXT) -> st.SearchStrategy[list[Row]]:
    labels = st.lists(LABEL, min_size=0, max_size=4) if multi else st.builds(lambda x: [x], LABEL)
    row = st.builds(Row, text, labels, st.just(False))
    bad = st.builds(Row, text, st.just([None]), st.just(True))
    return st.lists(st.one_of(row, row, row, bad), max_size=12)


@dataclass
class Written:
    """What the test wrote: the file, and per record (in order) its id, its Row
    and the row number the review queue must give it (JSON lines: its line)."""

    path: Path
    records: list[tuple[str, Row, int]]


def _huge(rows_: list[Row], huge: bool) -> None:
    for r in rows_:
        if not r.malformed and huge:
            r.text = r.text + HUGE
            return


# --- writers: one file per format, malformed records made by hand ----------------


def write_csv(
    folder: Path, rows_: list[Row], multi: bool, delim: str, blank_lines: bool
) -> Written:
    path = folder / f"d{next(_counter)}.{'tsv' if delim == chr(9) else 'csv'}"
    out = io.StringIO(newline="")
    quoting = csv.QUOTE_NONE if delim == "\t" else csv.QUOTE_MINIMAL
    # CRLF endings: csv.writer quotes a field holding CR or LF only when they are
    # part of its line terminator (with "\n" a bare CR would be written unquoted,
    # and every CSV reader then sees a line break there).
    end = "\n" if delim == "\t" else "\r\n"
    writer = csv.writer(out, delimiter=delim, lineterminator=end, quoting=quoting, escapechar=None)
    writer.writerow(["id", "text", "intent"])
    records = []
    for i, r in enumerate(rows_):
        rid = f"r{i}"
        if blank_lines and i % 3 == 1:
            out.write(end)  # a blank line: no record
        if r.malformed:
            bad = f"{rid}{delim}only two fields" if i % 2 else f"{rid}{delim}a{delim}b{delim}c"
            out.write(bad + end)
        else:
            cell = "|".join(x or "" for x in r.labels) if multi else (r.labels[0] or "")
            writer.writerow([rid, r.text, cell])
        records.append((rid, r, i + 1))
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    return Written(path, records)


def write_jsonl(folder: Path, rows_: list[Row], multi: bool, blank_lines: bool) -> Written:
    path = folder / f"d{next(_counter)}.jsonl"
    lines = []
    records = []
    for i, r in enumerate(rows_):
        rid = f"r{i}"
        if blank_lines and i % 3 == 1:
            lines.append("   ")
        if r.malformed:
            lines.append(
                [f'{{"id": "{rid}", "intent": "a\x1fb"}}', "[1, 2, 3]", f'{{"id": "{rid}",',
                 json.dumps({"id": rid, "intent": {"nested": K}})][i % 4]
            )  # fmt: skip
        else:
            label = r.labels if multi else r.labels[0]
            lines.append(
                json.dumps({"id": rid, "text": r.text, "intent": label}, ensure_ascii=i % 2 == 0)
            )
        records.append((rid, r, len(lines)))
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return Written(path, records)


def write_parquet(folder: Path, rows_: list[Row], multi: bool) -> Written:
    path = folder / f"d{next(_counter)}.parquet"
    good = [r for r in rows_ if not r.malformed]  # Parquet is typed: nothing is malformed
    kept = [(f"r{i}", r, i + 1) for i, r in enumerate(good)]
    con = duckdb.connect()
    kind = "VARCHAR[]" if multi else "VARCHAR"
    con.execute(f"CREATE TABLE t (id VARCHAR, text VARCHAR, intent {kind})")
    for rid, r, _ in kept:
        con.execute(
            "INSERT INTO t VALUES (?, ?, ?)", [rid, r.text, r.labels if multi else r.labels[0]]
        )
    con.execute(f"COPY (SELECT * FROM t ORDER BY rowid) TO '{path}' (FORMAT parquet)")
    return Written(path, kept)


def write_label_studio(folder: Path, rows_: list[Row]) -> Written:
    path = folder / f"d{next(_counter)}.json"
    tasks: list[object] = []
    for i, r in enumerate(rows_):
        if r.malformed:
            tasks.append(
                [i, "not a task"]
                if i % 2
                else {"id": i, "annotations": [{"result": [{"value": {"choices": [i]}}]}]}
            )
        else:
            choices = [x for x in r.labels if x is not None]
            tasks.append(
                {
                    "id": i,
                    "data": {"text": r.text},
                    "annotations": [{"result": [{"value": {"choices": choices}}]}],
                }
            )
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    return Written(path, [(str(i), r, i + 1) for i, r in enumerate(rows_)])


# --- readers of the outputs: Python's own ------------------------------------------


def json_lines(path: Path | None) -> list[dict]:  # type: ignore[type-arg]
    """JSON lines split at "\n" only (str.splitlines would also split at U+0085,
    U+2028... which JSON text may hold raw)."""
    if path is None:
        return []
    return [json.loads(x) for x in path.read_bytes().decode("utf-8").split("\n") if x]


def read_delimited(path: Path, delim: str) -> tuple[list[str], list[list[str]]]:
    text = path.read_bytes().decode("utf-8")  # not read_text: it would turn CR into LF
    quoting = csv.QUOTE_NONE if delim == "\t" else csv.QUOTE_MINIMAL
    parsed = list(csv.reader(io.StringIO(text, newline=""), delimiter=delim, quoting=quoting))
    return parsed[0], parsed[1:]


def check(written: Written, fmt: str, multi: bool, out: Path) -> None:
    """The property, for one run that exited 0."""
    report = json.loads(out.with_name(out.name.split(".")[0] + ".report.json").read_text())
    rows_in = len(written.records)
    want_migrated = [(rid, r) for rid, r, _ in written.records if r.fate(multi) == "migrated"]
    want_review = [
        (pos, r.fate(multi)) for _, r, pos in written.records if r.fate(multi) != "migrated"
    ]
    assert report["rows"]["input"] == rows_in
    assert report["rows"]["migrated"] + report["rows"]["review"] == rows_in
    assert report["rows"]["migrated"] == len(want_migrated)

    review_path = next(out.parent.glob(out.name.split(".")[0] + ".review.*"), None)
    if fmt in ("csv", "tsv"):
        delim = "\t" if fmt == "tsv" else ","
        header, body = read_delimited(out, delim)
        assert header == ["id", "text", "intent"]
        assert [row[0] for row in body] == [rid for rid, _ in want_migrated]  # in order
        for row, (_, r) in zip(body, want_migrated, strict=True):
            assert row[1] == r.text  # untouched, byte for byte as a value
            cell = (
                "|".join(r.new_labels())
                if multi
                else (NEW.get(r.labels[0] or "", r.labels[0]) or "")
            )
            assert row[2] == cell
        queue = read_delimited(review_path, delim)[1] if review_path else []
        assert [(int(q[3]), q[4]) for q in queue] == want_review
        by_id = {rid: r for rid, r, _ in written.records}
        for q in queue:
            if q[4] != "malformed":  # the queue is formula-safe for spreadsheets
                assert q[1] == escaping.csv_cell(by_id[q[0]].text)
    elif fmt == "jsonl":
        objects = json_lines(out)
        assert [o["id"] for o in objects] == [rid for rid, _ in want_migrated]
        for o, (_, r) in zip(objects, want_migrated, strict=True):
            assert o["text"] == r.text
            assert o["intent"] == (
                r.new_labels() if multi else NEW.get(r.labels[0] or "", r.labels[0])
            )
        queue = [q["_taxops"] for q in json_lines(review_path)]
        assert [(q["row"], q["reason"]) for q in queue] == want_review
    elif fmt == "parquet":
        got = duckdb.connect().execute(f"SELECT id, text, intent FROM '{out}'").fetchall()
        assert [g[0] for g in got] == [rid for rid, _ in want_migrated]
        for (_, text, intent), (_, r) in zip(got, want_migrated, strict=True):
            assert text == r.text
            if multi:
                assert intent == r.new_labels()
            else:
                assert intent == NEW.get(r.labels[0] or "", r.labels[0])
        queue = (
            duckdb.connect()
            .execute(f"SELECT _taxops.row, _taxops.reason FROM '{review_path}'")
            .fetchall()
            if review_path
            else []
        )
        assert queue == want_review
    else:
        tasks = json.loads(out.read_text())
        assert [str(t["id"]) for t in tasks] == [rid for rid, _ in want_migrated]
        for t, (_, r) in zip(tasks, want_migrated, strict=True):
            assert t["data"] == {"text": r.text}
            choices = t["annotations"][0]["result"][0]["value"]["choices"]
            assert choices == list(dict.fromkeys(NEW.get(x, x) for x in r.labels if x is not None))
        queue = json.loads(review_path.read_text()) if review_path else []
        assert [
            (q["meta"]["taxops"]["row"], q["meta"]["taxops"]["reason"]) for q in queue
        ] == want_review


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("properties")


def run(written: Written, extra: list[str]) -> Path:
    out = written.path.with_name("o" + written.path.stem + "".join(written.path.suffixes))
    code = main(
        [
            "migrate",
            str(written.path),
            "-o",
            str(out),
            "--label-column",
            "intent",
            *extra,
            *BASE,
            "--no-progress",
        ]
    )
    assert code == 0
    return out


SETTINGS = settings(
    max_examples=8,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)


@pytest.mark.parametrize("multi", [False, True], ids=["single", "multi"])
@pytest.mark.parametrize("delim", [",", "\t"], ids=["csv", "tsv"])
@SETTINGS
@given(data=st.data())
def test_delimited(folder: Path, delim: str, multi: bool, data: st.DataObject) -> None:
    generated = data.draw(rows(multi, TEXT if delim == "," else TSV_TEXT))
    _huge(generated, data.draw(st.booleans()))
    written = write_csv(folder, generated, multi, delim, data.draw(st.booleans()))
    mode = ["--multi-label"] if multi else ["--single-label"]
    check(
        written,
        "tsv" if delim == "\t" else "csv",
        multi,
        run(written, ["--delimiter", delim, *mode]),
    )


@pytest.mark.parametrize("multi", [False, True], ids=["single", "multi"])
@SETTINGS
@given(data=st.data())
def test_json_lines(folder: Path, multi: bool, data: st.DataObject) -> None:
    generated = data.draw(rows(multi))
    _huge(generated, data.draw(st.booleans()))
    written = write_jsonl(folder, generated, multi, data.draw(st.booleans()))
    mode = ["--multi-label"] if multi else ["--single-label"]
    check(written, "jsonl", multi, run(written, mode))


@pytest.mark.parametrize("multi", [False, True], ids=["single", "multi"])
@SETTINGS
@given(data=st.data())
def test_parquet(folder: Path, multi: bool, data: st.DataObject) -> None:
    generated = data.draw(rows(multi))
    _huge(generated, data.draw(st.booleans()))
    written = write_parquet(folder, generated, multi)
    mode = ["--multi-label"] if multi else ["--single-label"]
    check(written, "parquet", multi, run(written, mode))


@SETTINGS
@given(data=st.data())
def test_label_studio(folder: Path, data: st.DataObject) -> None:
    generated = data.draw(rows(True))
    written = write_label_studio(folder, generated)
    out = written.path.with_name("o" + written.path.name)
    assert main(["migrate", str(written.path), "-o", str(out), *BASE, "--no-progress"]) == 0
    check(written, "label-studio", True, out)
