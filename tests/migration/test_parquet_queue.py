"""A Parquet dataset's review queue is Parquet: the input's columns with their
own types and a ``_taxops`` struct, in input order, written in the same pass
family as the dataset and read by every reader of queues (review push,
--apply-review, the queue left after a partial review)."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
from taxops.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
BASE = ["--repo", str(ROOT), "--taxonomy", "support-intents", "--from", "1.0.0", "--to", "2.0.0"]
LABELS = "['billing.refund_status', 'orders.order_status', 'product.general_question', 'no.such']"
#: Types a JSON round trip would lose or fail on.
TYPED = (
    "i::BIGINT AS id, TIMESTAMP '2024-01-01 00:00:00' + to_seconds(i) AS at, "
    "(i / 7)::DECIMAL(12, 3) AS amount, ('b' || i)::BLOB AS raw_bytes, "
    "['t' || i, NULL] AS tags, 'user value ' || i AS _taxops, "
    f"{LABELS}[(hash(i) % 4)::INTEGER + 1] AS intent"
)


def _write(path: Path, rows: int) -> None:
    duckdb.sql(f"COPY (SELECT {TYPED} FROM range({rows}) t(i)) TO '{path}' (FORMAT parquet)")


def _columns(path: Path) -> list[tuple[str, str]]:
    return [
        (str(n), str(t)) for n, t, *_ in duckdb.sql(f"DESCRIBE SELECT * FROM '{path}'").fetchall()
    ]


def test_the_queue_keeps_the_inputs_types_order_and_counts(tmp_path: Path) -> None:
    src, out = tmp_path / "d.parquet", tmp_path / "o.parquet"
    _write(src, 3000)
    assert main(["migrate", str(src), "--label-column", "intent", "-o", str(out), *BASE]) == 0
    queue = tmp_path / "o.review.parquet"
    # The input's columns and types, then taxops' struct (named after the user's _taxops).
    assert _columns(queue) == [
        *_columns(src),
        (
            "_taxops2",
            'STRUCT("row" BIGINT, reason VARCHAR, old_label VARCHAR, candidates VARCHAR[])',
        ),
    ]
    queued = duckdb.sql(
        f"SELECT * EXCLUDE (_taxops2), _taxops2.row FROM read_parquet('{queue}')"
    ).fetchall()
    expected = duckdb.sql(
        f"SELECT * EXCLUDE (file_row_number), file_row_number + 1 FROM read_parquet('{src}', file_row_number = true) "
        "WHERE intent IN ('product.general_question', 'no.such') ORDER BY file_row_number"
    ).fetchall()
    assert queued == expected  # same rows, same values, input order, rows numbered from 1
    reasons = dict(
        duckdb.sql(f"SELECT _taxops2.reason, count(*) FROM '{queue}' GROUP BY 1").fetchall()
    )
    report = json.loads((tmp_path / "o.report.json").read_text())
    assert report["rows"]["review"] == len(queued) and report["review_key"] == "_taxops2"
    assert report["rows"]["review_by_reason"] == reasons and reasons["unknown-label"] > 0
    assert report["outputs"]["review"] == str(queue)
    sidecar = json.loads((tmp_path / "o.parquet.taxops.json").read_text())
    assert sidecar["review_queue"] == "o.review.parquet"
    assert not [p.name for p in tmp_path.iterdir() if "tmp" in p.name or "rows" in p.name]


def test_a_queue_named_jsonl_is_json_lines(tmp_path: Path) -> None:
    src, out = tmp_path / "d.parquet", tmp_path / "o.parquet"
    _write(src, 200)
    queue = tmp_path / "q.jsonl"
    assert main(["migrate", str(src), "--label-column", "intent", "-o", str(out),
                 "--review", str(queue), *BASE])  == 0  # fmt: skip
    rows = [json.loads(line) for line in queue.read_text().splitlines()]
    parquet = tmp_path / "p.parquet"
    assert main(["migrate", str(src), "--label-column", "intent", "-o", str(parquet), *BASE]) == 0
    assert [r["_taxops2"]["row"] for r in rows] == [
        r
        for (r,) in duckdb.sql(
            f"SELECT _taxops2.row FROM '{tmp_path / 'p.review.parquet'}'"
        ).fetchall()
    ]


def test_partial_review_puts_decided_rows_back_with_their_types(tmp_path: Path) -> None:
    """Half the queue decided: those rows go back at their places with every
    column's type and value as the input had them; the rest stay in a Parquet
    queue, in order."""
    src, out = tmp_path / "d.parquet", tmp_path / "o.parquet"
    _write(src, 400)
    assert main(["migrate", str(src), "--label-column", "intent", "-o", str(out), *BASE]) == 0
    queue = tmp_path / "o.review.parquet"
    files = tmp_path / "files"
    assert main(["review", "push", str(queue), "--to-files", str(files), "--repo", str(ROOT)]) == 0
    tasks = json.loads((files / "review-tasks.json").read_text())
    assert tasks and all(isinstance(t["data"]["amount"], float) for t in tasks)
    export = []
    decided: dict[int, str] = {}
    for n, task in enumerate(tasks, start=1):
        row = task["data"]["taxops_row"]
        if row % 2:
            continue  # left for later
        choice = task["data"]["taxops_candidates"][0]["alias"]
        decided[row] = choice
        export.append(
            {**task, "id": n, "annotations": [
                {"id": n, "was_cancelled": False, "completed_by": {"email": "r@example.com"},
                 "result": [{"from_name": "decision", "to_name": "item", "type": "choices",
                             "value": {"choices": [choice]}}]}]}
        )  # fmt: skip
    decisions = tmp_path / "export.json"
    decisions.write_text(json.dumps(export))
    final = tmp_path / "final.parquet"
    assert main(["migrate", str(out), "--apply-review", str(decisions), "-o", str(final),
                 "--repo", str(ROOT)]) == 0  # fmt: skip
    assert _columns(final) == _columns(src)
    got = duckdb.sql(f"SELECT * FROM '{final}'").fetchall()
    by_id = {r[0]: r for r in got}
    inputs = duckdb.sql(
        f"SELECT * EXCLUDE (file_row_number), file_row_number + 1 FROM read_parquet('{src}', file_row_number = true)"
    ).fetchall()
    for *row, position in inputs:
        if position in decided:
            assert by_id[row[0]] == (*row[:-1], decided[position])  # every other value as it was
    assert [r[0] for r in got] == sorted(r[0] for r in got)  # input order
    left = tmp_path / "final.review.parquet"
    assert _columns(left) == _columns(queue)
    still = [r for (r,) in duckdb.sql(f"SELECT _taxops2.row FROM '{left}'").fetchall()]
    assert still == sorted(set(still)) and set(still).isdisjoint(decided)
    assert len(still) + len(decided) == len(tasks) and len(got) == len(inputs) - len(still)
