"""taxops migrate on every format, and the guarantees: order kept, counts add up,
input untouched, defined behaviour for odd values, idempotent re-runs."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import duckdb
import pytest
from taxops.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
BASE = ["--repo", str(ROOT), "--taxonomy", "support-intents", "--from", "1.0.0", "--to", "2.0.0"]


def migrate(*args: str) -> int:
    return main(["migrate", *args, *BASE, "--no-progress"])


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def report(path: Path) -> dict:  # type: ignore[type-arg]
    return json.loads(path.read_text())


CSV = (
    "id,text,intent\n"
    '1,"refund, please",billing.refund_status\n'
    "2,where is it,orders.order_status\n"
    "3,a question,product.general_question\n"
    "4,spaces, Orders.Order_Status \n"
    "5,typo,orders.order_stat\n"
    "6,nothing,\n"
    "7,too,many,cells\n"
    '8,"two\nlines",returns.return_status\n'
)


@pytest.fixture
def csv_file(tmp_path: Path) -> Path:
    path = tmp_path / "tickets.csv"
    path.write_text(CSV)
    return path


def test_csv_every_value_has_a_defined_fate_and_counts_add_up(csv_file: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    before = digest(csv_file)
    out = csv_file.with_name("out.csv")
    assert migrate(str(csv_file), "--label-column", "intent", "-o", str(out)) == 0
    assert digest(csv_file) == before  # input untouched
    rows = duckdb.sql(f"SELECT id, intent FROM read_csv('{out}', all_varchar=true)").fetchall()
    assert rows == [
        ("1", "returns.refund_status"),  # merged
        ("2", "orders.order_status"),  # kept
        ("4", "orders.order_status"),  # whitespace and case normalised
        ("6", None),  # unlabeled stays unlabeled
        ("8", "returns.refund_status"),
    ]
    review = duckdb.sql(
        f"SELECT id, _taxops_row, _taxops_reason, _taxops_old_label, _taxops_raw FROM read_csv('{out.with_name('out.review.csv')}', all_varchar=true)"
    ).fetchall()
    assert review == [
        ("3", "3", "review", "product.general_question", None),
        ("5", "5", "unknown-label", "orders.order_stat", None),
        (None, "7", "malformed", None, "7,too,many,cells"),
    ]
    rep = report(out.with_name("out.report.json"))
    assert rep["rows"] == {
        "input": 8,
        "migrated": 5,
        "review": 3,
        "review_by_reason": {"malformed": 1, "review": 1, "unknown-label": 1},
    }
    assert rep["check"]["balanced"] and rep["normalised"] == 1 and rep["unlabeled"] == 1
    assert rep["unknown_labels"] == {"orders.order_stat": 1}
    assert (
        rep["before"]["billing.refund_status"] == 1 and rep["after"]["returns.refund_status"] == 2
    )
    assert "5 migrated + 3 review = 8 input  (checked)" in capsys.readouterr().out


def test_rerun_is_idempotent(csv_file: Path) -> None:
    out = csv_file.with_name("out.csv")
    outputs = [out, out.with_name("out.review.csv"), out.with_name("out.report.json")]
    assert migrate(str(csv_file), "--label-column", "intent", "-o", str(out)) == 0
    first = [digest(p) for p in outputs]
    assert migrate(str(csv_file), "--label-column", "intent", "-o", str(out)) == 0
    assert [digest(p) for p in outputs] == first
    assert not list(csv_file.parent.glob(".*taxops-tmp*"))


def test_tsv(tmp_path: Path) -> None:
    src = tmp_path / "d.tsv"
    src.write_text("id\tintent\n1\tbilling.refund_status\n2\taccount.login_problem\n")
    assert migrate(str(src), "--label-column", "intent", "-o", str(tmp_path / "o.tsv")) == 0
    assert (
        tmp_path / "o.tsv"
    ).read_text() == "id\tintent\n1\treturns.refund_status\n2\taccount.login_problem\n"


def test_jsonl_rewrites_only_relabeled_lines_and_queues_malformed_ones(tmp_path: Path) -> None:
    src = tmp_path / "d.jsonl"
    kept = '{"id": 2,  "intent": "orders.order_status", "score": 1.50}'
    src.write_text(
        '{"id": 1, "intent": "billing.refund_status"}\n'
        f"{kept}\n"
        "{not json\n"
        '{"id": 4, "intent": "product.general_question"}\n'
    )
    out = tmp_path / "o.jsonl"
    assert migrate(str(src), "--label-column", "intent", "-o", str(out)) == 0
    lines = out.read_text().splitlines()
    assert json.loads(lines[0]) == {"id": 1, "intent": "returns.refund_status"}
    assert lines[1] == kept  # byte for byte
    queue = [json.loads(x) for x in (tmp_path / "o.review.jsonl").read_text().splitlines()]
    assert [q["_taxops"]["reason"] for q in queue] == ["malformed", "review"]
    assert queue[0]["_taxops"] == {"row": 3, "reason": "malformed", "raw": "{not json"}
    assert queue[1]["id"] == 4
    assert report(tmp_path / "o.report.json")["rows"]["input"] == 4


def _parquet(path: Path, sql: str) -> None:
    duckdb.sql(f"COPY ({sql}) TO '{path}' (FORMAT parquet)")


def test_parquet_keeps_order_and_records_provenance_for_the_next_run(tmp_path: Path) -> None:
    src = tmp_path / "d.parquet"
    labels = "['billing.refund_status', 'orders.order_status', 'product.general_question', 'account.two_factor']"
    _parquet(
        src,
        f"SELECT i AS id, {labels}[(hash(i) % 4)::INTEGER + 1] AS intent FROM range(200000) t(i)",
    )
    out = tmp_path / "o.parquet"
    assert migrate(str(src), "--label-column", "intent", "-o", str(out)) == 0
    ids = [i for (i,) in duckdb.sql(f"SELECT id FROM '{out}'").fetchall()]
    assert ids == sorted(ids) and len(ids) > 100_000  # input order kept
    [(bad,)] = duckdb.sql(
        f"SELECT count(*) FROM '{out}' WHERE intent NOT IN ('returns.refund_status', 'orders.order_status', 'account.verification_code')"
    ).fetchall()
    assert bad == 0
    meta = dict(
        duckdb.sql(
            f"SELECT decode(key), decode(value) FROM parquet_kv_metadata('{out}')"
        ).fetchall()
    )
    assert meta["taxops.version"] == "2.0.0"
    rep = report(tmp_path / "o.report.json")
    assert rep["rows"]["migrated"] + rep["rows"]["review"] == 200000
    # A Parquet dataset's review queue is Parquet, in input order.
    queue = duckdb.sql(
        f"SELECT id, intent, _taxops.row FROM '{tmp_path / 'o.review.parquet'}'"
    ).fetchall()
    assert len(queue) == rep["rows"]["review"]
    first = queue[0]
    assert first[1] == "product.general_question" and first[2] == first[0] + 1
    # The output says where it stands: migrating it again without --from is a no-op,
    # and a wrong --from is refused instead of migrating twice.
    assert main(["migrate", str(out), "--repo", str(ROOT), "--in-place", "--no-progress"]) == 0
    assert main(["migrate", str(out), "--repo", str(ROOT), "--from", "1.0.0", "--in-place"]) == 2


def test_parquet_list_column_multi_label(tmp_path: Path) -> None:
    src = tmp_path / "m.parquet"
    _parquet(
        src,
        "SELECT * FROM (VALUES "
        "(1, ['billing.refund_status', 'returns.return_status', 'orders.order_status']), "
        "(2, ['orders.order_status', 'orders.order_status']), "
        "(3, ['orders.order_status', 'product.general_question']), "
        "(4, []::VARCHAR[]), (5, NULL), (6, ['orders.order_status', NULL])) t(id, intents)",
    )
    out = tmp_path / "o.parquet"
    assert migrate(str(src), "--label-column", "intents", "--multi-label", "-o", str(out)) == 0
    assert duckdb.sql(f"SELECT id, intents FROM '{out}'").fetchall() == [
        (1, ["returns.refund_status", "orders.order_status"]),  # both merged into one, written once
        (2, ["orders.order_status"]),  # duplicate entry written once
        (4, []),
        (5, None),
        (6, ["orders.order_status"]),  # null entry dropped
    ]
    rep = report(tmp_path / "o.report.json")
    assert rep["rows"]["review"] == 1 and rep["rows"]["input"] == 6
    assert rep["rows_with_duplicate_labels"] == 1 and rep["null_entries_dropped"] == 1
    [(candidates,)] = duckdb.sql(
        f"SELECT _taxops.candidates FROM '{tmp_path / 'o.review.parquet'}'"
    ).fetchall()
    assert candidates == ["orders.order_status"]


def test_csv_multi_label_cells(tmp_path: Path) -> None:
    src = tmp_path / "m.csv"
    src.write_text(
        "id,intents\n1,billing.refund_status|orders.order_status|orders.order_status\n2,x.y|orders.order_status\n"
    )
    out = tmp_path / "o.csv"
    assert migrate(str(src), "--label-column", "intents", "--multi-label", "-o", str(out)) == 0
    assert out.read_text() == "id,intents\n1,returns.refund_status|orders.order_status\n"
    review = (tmp_path / "o.review.csv").read_text().splitlines()
    assert review[1].startswith("2,x.y|orders.order_status,2,unknown-label,")


def test_label_studio_export(tmp_path: Path) -> None:
    def task(i: int, label: str) -> dict:  # type: ignore[type-arg]
        result = {
            "from_name": "intent",
            "to_name": "text",
            "type": "choices",
            "value": {"choices": [label]},
        }
        return {"id": i, "data": {"text": f"t{i}"}, "annotations": [{"result": [result]}]}

    src = tmp_path / "export.json"
    src.write_text(
        json.dumps([task(1, "billing.refund_status"), task(2, "product.general_question")])
    )
    out = tmp_path / "migrated.json"
    assert migrate(str(src), "-o", str(out)) == 0
    (migrated,) = json.loads(out.read_text())
    assert migrated["annotations"][0]["result"][0]["value"]["choices"] == ["returns.refund_status"]
    (queued,) = json.loads((tmp_path / "migrated.review.json").read_text())
    assert queued["data"] == {"text": "t2"}
    assert queued["meta"]["taxops"]["old_labels"] == ["product.general_question"]


def _project_task(i: int, intent: str) -> dict:  # type: ignore[type-arg]
    """A task of a project with several controls, as Label Studio exports it:
    the intent, a sentiment choice and NER spans in one annotation's results."""
    results = [
        {"from_name": "sentiment", "to_name": "text", "type": "choices",
         "value": {"choices": ["neg"]}},
        {"from_name": "intent", "to_name": "text", "type": "choices",
         "value": {"choices": [intent]}},
        {"from_name": "entities", "to_name": "text", "type": "labels",
         "value": {"start": 0, "end": 4, "labels": ["Brand"]}},
    ]  # fmt: skip
    return {"id": i, "data": {"text": f"t{i}"}, "annotations": [{"result": results}]}


def test_label_studio_export_of_a_project_with_several_controls(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Only the control named holds the taxonomy's labels: a sentiment 'neg' or
    an NER 'Brand' is neither relabeled nor sent to review as an unknown label."""
    src = tmp_path / "export.json"
    src.write_text(json.dumps([_project_task(1, "billing.refund_status"),
                               _project_task(2, "orders.order_status")]))  # fmt: skip
    out = tmp_path / "migrated.json"
    assert migrate(str(src), "-o", str(out)) == 2
    err = capsys.readouterr().err
    assert "holds the labels of 3 controls: 'sentiment' (choices, 2 results)" in err
    assert "--label-column NAME" in err and not out.exists()
    assert migrate(str(src), "--label-column", "intent", "-o", str(out)) == 0
    migrated = json.loads(out.read_text())
    assert [[r["value"] for r in t["annotations"][0]["result"]] for t in migrated] == [
        [{"choices": ["neg"]}, {"choices": ["returns.refund_status"]},
         {"start": 0, "end": 4, "labels": ["Brand"]}],
        [{"choices": ["neg"]}, {"choices": ["orders.order_status"]},
         {"start": 0, "end": 4, "labels": ["Brand"]}],
    ]  # fmt: skip
    assert not (tmp_path / "migrated.review.json").exists()
    assert migrate(str(src), "--label-column", "topic", "-o", str(tmp_path / "x.json")) == 2
    assert "has no labels of a control named 'topic'" in capsys.readouterr().err


def test_missing_label_column_is_a_clear_error(csv_file: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert (
        migrate(str(csv_file), "--label-column", "label", "-o", str(csv_file.with_name("o.csv")))
        == 2
    )
    err = capsys.readouterr().err
    assert "has no column 'label'" in err and "id, text, intent" in err


def test_output_never_overwrites_input_without_in_place(csv_file: Path) -> None:
    before = digest(csv_file)
    assert migrate(str(csv_file), "--label-column", "intent", "-o", str(csv_file)) == 2
    assert digest(csv_file) == before


def test_stale_sidecar_is_not_trusted(csv_file: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = csv_file.with_name("out.csv")
    assert migrate(str(csv_file), "--label-column", "intent", "-o", str(out)) == 0
    # A copy (new modification time, same content) keeps its provenance...
    copy = csv_file.parent / "copy" / "out.csv"
    copy.parent.mkdir()
    shutil.copy(out, copy)
    shutil.copy(out.with_name("out.csv.taxops.json"), copy.with_name("out.csv.taxops.json"))
    assert (
        main(["migrate", str(copy), "--repo", str(ROOT), "-o", str(copy.with_name("o.csv"))]) == 0
    )
    assert "already conforms to support-intents 2.0.0" in capsys.readouterr().out
    # ...an edit does not.
    out.write_text(out.read_text() + "9,edited by hand,orders.order_status\n")
    code = main(
        ["migrate", str(out), "--repo", str(ROOT), "-o", str(csv_file.with_name("again.csv"))]
    )
    assert code == 2 and "may no longer be true" in capsys.readouterr().err


def test_progress_bar_only_when_asked_or_on_a_terminal(csv_file: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    base = ["migrate", str(csv_file), *BASE, "--label-column", "intent"]
    assert (
        main([*base, "-o", str(csv_file.with_name("a.csv"))]) == 0
    )  # stderr is not a terminal here
    assert capsys.readouterr().err == ""
    assert main([*base, "-o", str(csv_file.with_name("b.csv")), "--progress"]) == 0
    err = capsys.readouterr().err
    assert "relabel  [##############################] 100.0%" in err and "review" in err


def test_a_file_that_is_not_what_its_name_says_is_a_clear_error(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "d.parquet"
    bad.write_text("not parquet")
    assert migrate(str(bad), "--label-column", "intent", "-o", str(tmp_path / "o.parquet")) == 2
    assert "cannot read" in capsys.readouterr().err and not list(tmp_path.glob("o*"))


def test_order_is_kept_in_the_dataset_and_the_review_queue_across_row_groups(
    tmp_path: Path,
) -> None:
    """A million rows (several row groups, read by several threads) with many
    distinct values going to review: the shape where DuckDB returned rows out of
    order for a plain ``label IN (...)`` filter."""
    src = tmp_path / "big.parquet"
    labels = (
        "['billing.refund_status', 'orders.order_status', 'product.general_question', "
        "'orders.missing_item', 'no.such_a', 'no.such_b', 'no.such_c', 'no.such_d', 'no.such_e']"
    )
    _parquet(
        src,
        f"SELECT i AS id, {labels}[(hash(i) % 9)::INTEGER + 1] AS intent FROM range(1000000) t(i)",
    )
    out = tmp_path / "o.parquet"
    assert migrate(str(src), "--label-column", "intent", "-o", str(out)) == 0
    [(inversions, rows)] = duckdb.sql(
        "SELECT count(*) FILTER (WHERE id <= prev), count(*) FROM (SELECT id, "
        f"lag(id) OVER (ORDER BY file_row_number) AS prev FROM read_parquet('{out}', file_row_number = true))"
    ).fetchall()
    assert inversions == 0 and rows > 300_000
    queue = [
        r
        for (r,) in duckdb.sql(
            f"SELECT _taxops.row FROM '{tmp_path / 'o.review.parquet'}'"
        ).fetchall()
    ]
    assert queue == sorted(queue) and len(queue) + rows == 1_000_000


def test_report_does_not_depend_on_the_order_values_were_counted_in() -> None:
    from taxops.history import migration_map
    from taxops.migration.values import Tally, build_report

    migration = migration_map(ROOT, "support-intents", "1.0.0", "2.0.0")
    counts = {"orders.order_status": 3, "billing.refund_status": 3, "x.y": 1, "a.b": 1, None: 2}
    reports = [
        json.dumps(
            build_report(
                migration, Tally(rows_in=10, values=dict(items)), dataset="d", multi_label=False
            )
        )
        for items in (list(counts.items()), list(reversed(counts.items())))
    ]
    assert reports[0] == reports[1]


def test_jsonl_list_labels(tmp_path: Path) -> None:
    src = tmp_path / "m.jsonl"
    src.write_text(
        '{"id": 1, "intents": ["billing.refund_status", "returns.return_status"]}\n'
        '{"id": 2, "intents": "orders.order_status"}\n'
        '{"id": 3, "intents": ["x.y"]}\n'
        '{"id": 4}\n'
    )
    out = tmp_path / "o.jsonl"
    assert migrate(str(src), "--label-column", "intents", "--multi-label", "-o", str(out)) == 0
    assert [json.loads(x) for x in out.read_text().splitlines()] == [
        {"id": 1, "intents": ["returns.refund_status"]},  # two labels merged into one, written once
        {"id": 4},  # no labels: unlabeled, unchanged
    ]
    queue = [
        json.loads(x)["_taxops"] for x in (tmp_path / "o.review.jsonl").read_text().splitlines()
    ]
    assert [(q["row"], q["reason"]) for q in queue] == [(2, "malformed"), (3, "unknown-label")]
