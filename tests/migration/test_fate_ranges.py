"""A pass over the rows tells a value's fate from where its ENUM code sits
(values queued by reason, then relabeled, then kept), never by looking it up in
a list as long as the distinct values: that lookup costs in proportion to the
list, which a 100,000-code classification makes as slow as a copy. These tests
hold the structure and check the outcome on every kind of fate."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest
from taxops.diagnostics import TaxopsError
from taxops.engines import duckdb_migrate
from taxops.engines.job import Job
from taxops.migration.model import Action, Entry, MigrationMap, Mode
from taxops.migration.values import classify, review_reason

#: Every fate, in no particular order: kept, renamed, merged, split, retired, a
#: value repaired by trimming, an unknown value, a blank one.
MAP = MigrationMap(
    "t",
    "1.0.0",
    "2.0.0",
    "single-label",
    (
        Entry("keep", Action.KEEP, Mode.KEEP, ("keep",)),
        Entry("old", Action.RENAME, Mode.DIRECT, ("new",)),
        Entry("gone", Action.MERGE, Mode.DIRECT, ("keep",)),
        Entry("both", Action.SPLIT, Mode.REVIEW, ("both_a", "both_b")),
        Entry("retired", Action.REVIEW, Mode.REVIEW, ()),
        Entry("keep2", Action.KEEP, Mode.KEEP, ("keep2",)),
    ),
)
VALUES = ["keep", "both", " old", "old", "nope", "retired", "gone", "  ", None, "keep2", "both"]


def test_ranges_are_the_last_code_of_each_fate() -> None:
    groups = [(0, "split"), (0, "split"), (0, "unknown-label"), (1, ""), (2, ""), (3, ""), (3, "")]
    ranges = duckdb_migrate._Ranges.of(groups)
    assert (ranges.review, ranges.changed, ranges.relabeled) == (3, 4, 5)
    assert ranges.reasons == ((2, "split"), (3, "unknown-label"))
    assert duckdb_migrate._Ranges.of([(3, "")]) == duckdb_migrate._Ranges(0, 0, 0, ())


#: How a pass reads codes: every row's; by bucket (a large taxonomy's values,
#: here forced for six); by bucket with every value in one of two buckets, so
#: kept values share a bucket with changed ones and are cast too.
READS = {
    "codes": {},
    "buckets": {"BUCKETED_FROM": 0},
    "collisions": {"BUCKETED_FROM": 0, "BUCKETS": 2, "SPARSE": 0},
}


@pytest.mark.parametrize("reads", list(READS))
@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl"])
def test_every_fate_comes_out_as_classify_says(
    tmp_path: Path, fmt: str, reads: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in READS[reads].items():
        monkeypatch.setattr(duckdb_migrate, name, value)
    src = tmp_path / f"in.{fmt}"
    con = duckdb.connect()
    con.execute("CREATE TABLE t (id INTEGER, label VARCHAR)")
    con.executemany("INSERT INTO t VALUES (?, ?)", list(enumerate(VALUES, start=1)))
    options = {
        "parquet": "FORMAT parquet",
        "csv": "FORMAT csv, HEADER true",
        "jsonl": "FORMAT json",
    }
    con.execute(f"COPY t TO '{src}' ({options[fmt]})")
    statements = _recorded(monkeypatch)
    out, review = (
        tmp_path / f"out.{fmt}",
        tmp_path / f"out.review.{'parquet' if fmt == 'parquet' else fmt}",
    )
    tally = duckdb_migrate.run(Job(src, fmt, "label"), MAP, out, review, {})
    # The two passes over the input (relabel, review rows) read each row's code
    # once; no statement looks up a list indexed by every value (a text
    # format's queue, written from the stored review rows, neither).
    assert len([s for s in statements if "taxops_code" in s]) == 2
    # Buckets for text in a column of its own (JSON lines are parsed per pass).
    bucketed = reads != "codes" and fmt != "jsonl"
    assert any("SELECT buckets FROM taxops_fates" in s for s in statements) == bucketed
    assert not any(
        f"SELECT {name} FROM taxops_fates" in s or f"getvariable('{name}')" in s
        for s in statements
        for name in ("new", "flag", "why", "cand", "changed")
    )
    read = {"parquet": "read_parquet", "csv": "read_csv", "jsonl": "read_json"}[fmt]
    got = con.execute(f"SELECT id, label FROM {read}('{out}')").fetchall()
    expected_migrated, expected_review = [], []
    for n, value in enumerate(VALUES, start=1):
        fate = classify(value, MAP)
        if fate.disposition.to_review:
            expected_review.append((n, review_reason(fate), list(fate.targets)))
        elif value is None or not value.strip():
            expected_migrated.append((n, value))  # unlabeled: written as it was
        else:
            expected_migrated.append((n, fate.targets[0]))
    assert got == expected_migrated
    if fmt == "csv":
        queued = con.execute(
            f"SELECT _taxops_row, _taxops_reason, _taxops_candidates FROM read_csv('{review}', all_varchar=true)"
        ).fetchall()
        queued = [
            (int(r), why, [c for c in (cands or "").split("|") if c]) for r, why, cands in queued
        ]
    else:
        queued = con.execute(
            f"SELECT _taxops.row, _taxops.reason, _taxops.candidates FROM {read}('{review}')"
        ).fetchall()
    assert [tuple(q) for q in queued] == expected_review
    assert tally.rows_migrated + tally.rows_review == len(VALUES)


@pytest.mark.parametrize(("renamed", "written"), [("202", "BIGINT"), ("20A", "VARCHAR")])
def test_codes_stored_as_numbers_are_relabeled_in_their_type_when_they_fit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, renamed: str, written: str
) -> None:
    """Codes kept as numbers in a Parquet column (published codes often are):
    read as the text that names them, written back as numbers when every new
    label is one, else as text, which holds any label. A bucket is the hash of
    a value's text, and numbers hash otherwise: their codes are read row by
    row, even where buckets would be used."""
    monkeypatch.setattr(duckdb_migrate, "BUCKETED_FROM", 0)
    migration = MigrationMap(
        "t",
        "1.0.0",
        "2.0.0",
        "single-label",
        (
            Entry("101", Action.KEEP, Mode.KEEP, ("101",)),
            Entry("102", Action.RENAME, Mode.DIRECT, (renamed,)),
            Entry("103", Action.REVIEW, Mode.REVIEW, ()),
        ),
    )
    src = tmp_path / "in.parquet"
    con = duckdb.connect()
    con.execute(
        f"COPY (SELECT i AS id, 101 + i % 3 AS label FROM range(9) t(i)) TO '{src}' (FORMAT parquet)"
    )
    statements = _recorded(monkeypatch)
    out, review = tmp_path / "out.parquet", tmp_path / "out.review.parquet"
    tally = duckdb_migrate.run(Job(src, "parquet", "label"), migration, out, review, {})
    assert not any("SELECT buckets FROM taxops_fates" in s for s in statements)
    got = con.execute(f"SELECT id, label FROM read_parquet('{out}')").fetchall()
    assert [(i, str(v)) for i, v in got] == [
        (i, {0: "101", 1: renamed}[i % 3]) for i in range(9) if i % 3 != 2
    ]
    kind = con.execute(f"DESCRIBE SELECT label FROM read_parquet('{out}')").fetchall()[0][1]
    assert kind == written
    queued = con.execute(f"SELECT id, label, _taxops.reason FROM read_parquet('{review}')")
    assert queued.fetchall() == [(2, 103, "review"), (5, 103, "review"), (8, 103, "review")]
    assert (tally.rows_migrated, tally.rows_review) == (6, 3)


def test_a_large_taxonomy_reads_codes_by_bucket_and_relabels_every_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """12,000 codes, as many as switch buckets on: 100 renamed, 50 to review,
    an unknown value; every row comes out where classify puts it, in order."""
    n = duckdb_migrate.BUCKETED_FROM + 2_000
    entries = []
    for i in range(n):
        code = f"C{i:05d}"
        if i % 120 == 7:
            entries.append(Entry(code, Action.RENAME, Mode.DIRECT, (f"R{i:05d}",)))
        elif i % 240 == 11:
            entries.append(Entry(code, Action.SPLIT, Mode.REVIEW, (code + "a", code + "b")))
        else:
            entries.append(Entry(code, Action.KEEP, Mode.KEEP, (code,)))
    migration = MigrationMap("t", "1.0.0", "2.0.0", "single-label", tuple(entries))
    src = tmp_path / "in.parquet"
    con = duckdb.connect()
    con.execute(
        f"COPY (SELECT i AS id, CASE WHEN i = 777 THEN 'nope' ELSE printf('C%05d', (i * 7919) % {n}) "
        f"END AS label FROM range({3 * n}) t(i)) TO '{src}' (FORMAT parquet)"
    )
    statements = _recorded(monkeypatch)
    out, review = tmp_path / "out.parquet", tmp_path / "out.review.parquet"
    tally = duckdb_migrate.run(Job(src, "parquet", "label"), migration, out, review, {})
    assert any("SELECT buckets FROM taxops_fates" in s for s in statements)
    rows = con.execute(f"SELECT id, label FROM read_parquet('{src}')").fetchall()
    expected, queued = [], []
    for i, value in rows:
        fate = classify(value, migration)
        if fate.disposition.to_review:
            queued.append((i, review_reason(fate)))
        else:
            expected.append((i, fate.targets[0]))
    assert con.execute(f"SELECT id, label FROM read_parquet('{out}')").fetchall() == expected
    got = con.execute(f"SELECT id, _taxops.reason FROM read_parquet('{review}')").fetchall()
    assert got == queued
    assert ("nope" in dict(rows).values()) and (777, "unknown-label") in queued
    assert tally.rows_migrated == len(expected) and tally.rows_review == len(queued)


def _recorded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The SQL statements the engine's passes run, as they run them."""
    statements: list[str] = []
    runner = duckdb_migrate._runner

    def recording(c: Any, progress: Any) -> Any:
        run = runner(c, progress)
        return lambda sql, phase: statements.append(sql) or run(sql, phase)

    monkeypatch.setattr(duckdb_migrate, "_runner", recording)
    return statements


@pytest.mark.parametrize("column", ["0.5 + i", "i % 2 = 0", "DATE '2024-01-01' + i::INTEGER"])
def test_a_column_of_other_values_is_refused_with_what_to_do(tmp_path: Path, column: str) -> None:
    """Fractions, booleans, dates are no labels: a clear refusal before any
    pass, never DuckDB's own error."""
    src = tmp_path / "in.parquet"
    con = duckdb.connect()
    con.execute(
        f"COPY (SELECT i AS id, {column} AS label FROM range(3) t(i)) TO '{src}' (FORMAT parquet)"
    )
    out, review = tmp_path / "out.parquet", tmp_path / "out.review.parquet"
    with pytest.raises(TaxopsError) as caught:
        duckdb_migrate.run(Job(src, "parquet", "label"), MAP, out, review, {})
    assert "labels are text (or codes kept as whole numbers)" in str(caught.value)
    assert not out.exists() and not review.exists()
