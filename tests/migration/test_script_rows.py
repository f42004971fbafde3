"""A migration script's map is written row by row by taxops, in the shape
sqlglot gives a few rows of markers (:func:`taxops.engines.sql_script._written_row_by_row`),
not node by node through sqlglot: that took 14 s for a DuckDB script of a
89,000-code classification and over a minute for BigQuery. These tests hold the
row-by-row script to the one sqlglot writes whole, in every dialect."""

from __future__ import annotations

from typing import Any

import pytest
import sqlglot
from taxops.engines import sql_script
from taxops.migration.model import Action, Entry, MigrationMap, Mode

#: Quotes, backslashes, a tab, non-ASCII, a label longer than a line, labels
#: that differ only in case: every cell kind (text, null, flag, number).
LABELS = ["a", "b", "c'd", "e\\f", "x" * 90, "ü", "A", "with space", "tab\tx", 'q"q', "%s"]


def tricky_map(short: bool = False) -> MigrationMap:
    entries = []
    for i, label in enumerate(LABELS if not short else [f"L{i}" for i in range(40)]):
        kind = i % 5
        if kind == 0:
            entries.append(Entry(label, Action.KEEP, Mode.KEEP, (label,)))
        elif kind == 1:
            entries.append(Entry(label, Action.RENAME, Mode.DIRECT, (label + "_new",)))
        elif kind == 2:
            entries.append(Entry(label, Action.SPLIT, Mode.REVIEW, (label + "1", label + "2")))
        elif kind == 3:
            entries.append(Entry(label, Action.MERGE, Mode.DIRECT, (LABELS[0],)))
        else:
            entries.append(Entry(label, Action.REVIEW, Mode.REVIEW, ()))
    return MigrationMap("t", "1", "2", "single-label", tuple(entries), id_case="insensitive")


def scripts(
    monkeypatch: pytest.MonkeyPatch, migration: MigrationMap, **options: Any
) -> tuple[str, str]:
    """The script written row by row, and the one sqlglot writes whole."""
    row_by_row = sql_script.migration_sql(migration, **options)
    with monkeypatch.context() as m:
        m.setattr(sql_script, "_written_row_by_row", lambda *_: None)
        whole = sql_script.migration_sql(migration, **options)
    return row_by_row, whole


OPTIONS = {"table": "db.tbl", "label_column": "label", "columns": ["id", "label", "note"]}


@pytest.mark.parametrize("multi", [False, True])
@pytest.mark.parametrize("dialect", sql_script.DIALECTS)
def test_the_map_written_row_by_row_reads_as_sqlglot_writes_it(
    monkeypatch: pytest.MonkeyPatch, dialect: str, multi: bool
) -> None:
    row_by_row, whole = scripts(
        monkeypatch, tricky_map(), dialect=dialect, multi_label=multi, **OPTIONS
    )
    assert sqlglot.parse(row_by_row, read=dialect) == sqlglot.parse(whole, read=dialect)
    for label in LABELS:  # every label is in the map, as sqlglot writes its literal
        literal = sqlglot.exp.Literal.string(label).sql(dialect=dialect)
        assert literal in row_by_row


@pytest.mark.parametrize("dialect", sql_script.DIALECTS)
def test_rows_that_fit_a_line_come_out_byte_for_byte(
    monkeypatch: pytest.MonkeyPatch, dialect: str
) -> None:
    for multi in (False, True):
        row_by_row, whole = scripts(
            monkeypatch, tricky_map(short=True), dialect=dialect, multi_label=multi, **OPTIONS
        )
        assert row_by_row == whole


def test_a_name_that_holds_a_marker_falls_back_to_sqlglot(monkeypatch: pytest.MonkeyPatch) -> None:
    """A column named like a marker (the marker is random; here it is fixed)
    must not be taken for the map: the script is then written by sqlglot."""
    import secrets

    monkeypatch.setattr(secrets, "token_hex", lambda n: "ab" * n)
    options = dict(OPTIONS, columns=["id", "label", "x'tabab000'"])
    calls: list[Any] = []
    real = sql_script._written_row_by_row

    def spy(*args: Any) -> Any:
        calls.append(real(*args))
        return calls[-1]

    monkeypatch.setattr(sql_script, "_written_row_by_row", spy)
    row_by_row = sql_script.migration_sql(tricky_map(), dialect="duckdb", **options)
    assert calls == [None]  # the row-by-row writer refused
    monkeypatch.setattr(sql_script, "_written_row_by_row", lambda *_: None)
    whole = sql_script.migration_sql(tricky_map(), dialect="duckdb", **options)
    assert row_by_row == whole
    assert "\"x'tabab000'\"" in row_by_row
