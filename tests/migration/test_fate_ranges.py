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


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl"])
def test_every_fate_comes_out_as_classify_says(
    tmp_path: Path, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
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
    statements: list[str] = []
    runner = duckdb_migrate._runner

    def recording(c: Any, progress: Any) -> Any:
        run = runner(c, progress)
        return lambda sql, phase: statements.append(sql) or run(sql, phase)

    monkeypatch.setattr(duckdb_migrate, "_runner", recording)
    out, review = (
        tmp_path / f"out.{fmt}",
        tmp_path / f"out.review.{'parquet' if fmt == 'parquet' else fmt}",
    )
    tally = duckdb_migrate.run(Job(src, fmt, "label"), MAP, out, review, {})
    # The two passes over the input (relabel, review rows) read each row's code
    # once; no statement looks up a list indexed by every value (a text
    # format's queue, written from the stored review rows, neither).
    assert len([s for s in statements if "taxops_code" in s]) == 2
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
