"""Relabel a CSV, TSV, JSON-lines or Parquet dataset with DuckDB, streaming.

How it stays fast, ordered and bounded (measured in ``benchmarks/relabel.py``):

1. CSV and TSV are parsed once into a columnar scratch file beside the outputs;
   every pass below reads that (or the Parquet input itself).
2. One aggregate pass counts the distinct raw values of the label column.
3. Each distinct value's fate is decided once, in Python
   (:func:`taxops.migration.values.classify`), and handed to DuckDB as an ENUM
   type of the values plus lists indexed by the enum code (new label, needs
   review, candidates) in a one-row table. Relabeling a row is then a cast and a
   lookup inside a projection: no join (a hash join reorders rows; ORDER BY to
   restore the order costs memory), no 150-branch CASE, and no ``IN`` list
   filter (DuckDB 2.0 reorders rows behind one).
4. ``COPY (SELECT ... WHERE not review) TO`` streams the migrated rows out in
   input order (``preserve_insertion_order``); the review queue follows, only
   when some row needs review.

Rows read = rows migrated + rows for review, checked from the COPY counts.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from taxops import escaping
from taxops.diagnostics import TaxopsError
from taxops.engines.duckdb_run import DEFAULT_MEMORY_LIMIT, Progress
from taxops.engines.duckdb_run import first_line as _first_line
from taxops.engines.duckdb_run import run_query as _query
from taxops.migration.model import MigrationMap
from taxops.migration.values import Disposition, Tally, ValueFate, classify

#: Above this many distinct values the column is not a label column.
MAX_DISTINCT_VALUES = 500_000
_JSONL_DELIM = "\x1f"  # never in a valid JSON line: control characters must be escaped there
CANDIDATE_SEPARATOR = "|"


@dataclass(frozen=True)
class Job:
    source: Path
    format: str  # csv, tsv, jsonl, parquet
    label_column: str
    multi_label: bool = False
    #: Multi-label CSV/TSV cells hold labels joined by this separator.
    list_separator: str = "|"
    memory_limit: str | None = None
    threads: int | None = None


def count_values(job: Job) -> dict[str | None, int]:
    """How often each raw value occurs in the label column (entries, for lists):
    the first pass of :func:`run`, alone, for ``taxops impact``."""
    con = _connect(job)
    q = _Query(job)
    _check_column(con, q)
    tally = Tally()
    _count(con, q, tally, None)
    return tally.values


def _connect(job: Job) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = true")
    # Progress is read from another thread (see _query); DuckDB must not print its own bar.
    con.execute("SET enable_progress_bar = true")
    con.execute("SET enable_progress_bar_print = false")
    # Without a limit DuckDB keeps up to 80% of RAM in its buffer pool, so the
    # peak grows with the file; a limit keeps it flat (measured: same speed).
    con.execute(f"SET memory_limit = {_lit(job.memory_limit or DEFAULT_MEMORY_LIMIT)}")
    con.execute(f"SET temp_directory = {_lit(tempfile.gettempdir())}")
    if job.threads:
        con.execute(f"SET threads = {int(job.threads)}")
    return con


def run(
    job: Job,
    migration: MigrationMap,
    dataset_out: Path,
    review_out: Path,
    parquet_metadata: dict[str, str],
    progress: Progress | None = None,
) -> Tally:
    """Write the migrated dataset and the review queue; return the counts."""
    con = _connect(job)
    q = _Query(job)
    _check_column(con, q)
    # Scratch files live beside the outputs (same disk, removed at the end).
    staged_source = dataset_out.with_name(dataset_out.name + ".source.parquet")
    review_rows = review_out.with_name(review_out.name + ".rows.parquet")
    try:
        if job.format in ("csv", "tsv"):
            # Parse the text once: every later pass reads a columnar copy (same
            # text values, same order), so CSV costs one parse, not three.
            _copy(
                con, f"SELECT * FROM {q.source}", staged_source, "FORMAT parquet", "read", progress
            )
            q.source = f"read_parquet({_lit(str(staged_source))})"
            q.columnar = True
        tally = Tally()
        _count(con, q, tally, progress)
        fates = [classify(v, migration) for v in tally.values if v is not None]
        _install_lookups(con, q, fates)
        to_review = [f for f in fates if f.disposition.to_review]

        meta = ", ".join(f"{_lit(k)}: {_lit(v)}" for k, v in parquet_metadata.items())
        lines = f"FORMAT csv, HEADER false, QUOTE '', ESCAPE '', DELIMITER '{_JSONL_DELIM}'"
        delimited = {
            "csv": "FORMAT csv, HEADER true, DELIMITER ','",
            "tsv": "FORMAT csv, HEADER true, DELIMITER '\t'",
        }
        options = {
            "parquet": f"FORMAT parquet, KV_METADATA {{{meta}}}",
            "jsonl": lines,
            **delimited,
        }
        tally.rows_migrated = _copy(
            con, q.migrated_sql(), dataset_out, options[job.format], "relabel", progress
        )

        if to_review or (tally.malformed and job.format == "jsonl"):
            review_options = {"parquet": "FORMAT json", "jsonl": lines, **delimited}[job.format]
            review = q.review_sql()
            if q.columnar:
                # Two steps: the review rows into a compact file (a filter pushed into
                # the scan), then the queue from it, so the per-row lookups run on
                # full chunks instead of the few review rows left in each input chunk.
                _copy(con, q.review_rows_sql(), review_rows, "FORMAT parquet", "review", progress)
                review = q.review_sql(f"read_parquet({_lit(str(review_rows))})")
            if job.format in ("csv", "tsv"):
                review = _spreadsheet_safe(con, review)
            tally.rows_review = _copy(con, review, review_out, review_options, "review", progress)
            if q.multi or job.format == "jsonl":
                tally.review_reasons.update(_reasons_written(con, q, review_out))
            else:  # one label per row: the counts per value say it exactly
                for fate in fates:
                    if fate.disposition.to_review:
                        tally.review_reasons[fate.disposition.value] += tally.values[fate.raw]
        if tally.malformed and job.format in ("csv", "tsv"):
            _append_rejects(review_out, tally, job, q.columns, header=not review_out.exists())
            tally.rows_review += len(tally.malformed)
            tally.review_reasons["malformed"] += len(tally.malformed)
        return tally
    finally:
        staged_source.unlink(missing_ok=True)
        review_rows.unlink(missing_ok=True)


class _Query:
    """SQL pieces for one job: the source relation, the label value expression
    and the lookups, shared by every pass."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.multi = job.multi_label
        self.columns: list[str] = []
        #: The source is Parquet (the input, or a columnar copy of a CSV/TSV input).
        self.columnar = job.format == "parquet"
        path = _lit(str(job.source))
        col = _ident(job.label_column)
        if job.format == "parquet":
            self.source = f"read_parquet({path})"
            self.value = col
            self.valid = "true"
        elif job.format in ("csv", "tsv"):
            delim = "," if job.format == "csv" else "\t"
            self.source = (
                f"read_csv({path}, all_varchar = true, header = true, delim = '{delim}', "
                "store_rejects = true)"
            )
            sep = _lit(job.list_separator)
            self.value = f"string_split({col}, {sep})" if self.multi else col
            self.valid = "true"
        elif job.format == "jsonl":
            self.source = (
                f"read_csv({path}, columns = {{'line': 'VARCHAR'}}, header = false, "
                f"delim = '{_JSONL_DELIM}', quote = '', escape = '', auto_detect = false, "
                "store_rejects = true)"
            )
            key = _lit(f"$.{_json_key(job.label_column)}")
            if self.multi:
                self.valid = f"(json_valid(line) AND coalesce(json_type(line, {key}) IN ('ARRAY', 'NULL'), true))"
                self.value = f"CASE WHEN {self.valid} THEN from_json(json_extract(line, {key}), '[\"VARCHAR\"]') END"
            else:
                self.valid = "json_valid(line)"
                self.value = f"CASE WHEN {self.valid} THEN json_extract_string(line, {key}) END"
        else:  # pragma: no cover - the CLI routes other formats elsewhere
            raise TaxopsError(f"DuckDB cannot migrate the {job.format} format")

    # -- lookups: enum code of a raw value -> fate -------------------------------
    @staticmethod
    def code(x: str) -> str:
        return f"(enum_code(TRY_CAST({x} AS taxops_value))::INTEGER + 1)"

    def lookup(self, name: str, x: str, in_lambda: bool = False) -> str:
        """The fate list ``name`` at the code of ``x``. The list comes from a
        one-row table through a scalar subquery: a constant list would be
        rebuilt for every chunk of rows (measured: a third of the relabel time on
        a 1,000-label map); lambdas cannot hold subqueries, so they read a variable."""
        if in_lambda:
            return f"getvariable('{name}')[{self.code(x)}]"
        return f"(SELECT {name} FROM taxops_fates)[{self.code(x)}]"

    def review_cond(self) -> str:
        """Whether a row goes to review. Never a plain ``label IN (...)``: DuckDB
        pushes that into the Parquet scan and then returns rows out of order
        (measured on DuckDB 2.0.1: 1,775 inversions among 2.5M of 50M rows; the
        same filter as a lookup keeps the order)."""
        if self.multi:
            flags = f"list_bool_or(list_transform({self.value}, lambda x: {self.lookup('flag', 'x', True)}))"
        else:
            flags = self.lookup("flag", self.value)
        return f"(NOT {self.valid} OR coalesce({flags}, false))"

    def new_value(self) -> str:
        v = self.value
        if not self.multi:  # a null value has no code, and looks up null
            return self.lookup("new", v)
        kept = f"list_filter({v}, lambda x: x IS NOT NULL)"
        return f"taxops_dedupe(flatten(list_transform({kept}, lambda x: {self.lookup('new', 'x', True)})))"

    def candidates(self) -> str:
        v = self.value
        if not self.multi:
            return f"coalesce({self.lookup('cand', v)}, [])"
        return f"taxops_dedupe(flatten(list_transform({v}, lambda x: coalesce({self.lookup('cand', 'x', True)}, []))))"

    def reason(self) -> str:
        if self.multi:
            unknown = f"list_bool_or(list_transform({self.value}, lambda x: {self.lookup('unknown', 'x', True)}))"
        else:
            unknown = self.lookup("unknown", self.value)
        return (
            f"CASE WHEN NOT {self.valid} THEN 'malformed' "
            f"WHEN coalesce({unknown}, false) THEN 'unknown-label' ELSE 'review' END"
        )

    # -- the passes ------------------------------------------------------------
    def migrated_sql(self) -> str:
        fmt, col = self.job.format, _ident(self.job.label_column)
        where = f"WHERE NOT {self.review_cond()}"
        new = self.new_value()
        if fmt == "parquet":
            return f"SELECT * REPLACE ({new} AS {col}) FROM {self.source} {where}"
        if fmt in ("csv", "tsv"):
            if self.multi:
                new = f"array_to_string({new}, {_lit(self.job.list_separator)})"
            return f"SELECT * REPLACE ({new} AS {col}) FROM {self.source} {where}"
        # JSON lines: only relabeled lines are rewritten; the others pass byte for byte.
        key = _lit(self.job.label_column)
        changed = (
            f"list_bool_or(list_transform({self.value}, lambda x: {self.lookup('changed', 'x', True)})) "
            f"OR len({self.value}) <> len({new})"
            if self.multi
            else f"coalesce({self.lookup('changed', self.value)}, false)"
        )
        patched = f"json_merge_patch(line, json_object({key}, {new}))"
        return f"SELECT CASE WHEN {changed} THEN {patched} ELSE line END FROM {self.source} {where}"

    def review_rows_sql(self) -> str:
        """Columnar source: the rows for review with their 1-based row number."""
        return (
            "SELECT * EXCLUDE (file_row_number), file_row_number + 1 AS _taxops_row FROM "
            f"{self.source[:-1]}, file_row_number = true) WHERE {self.review_cond()}"
        )

    def review_sql(self, review_rows: str | None = None) -> str:
        """The review queue; for Parquet, from ``review_rows`` (the output of
        :meth:`review_rows_sql`), already numbered and filtered."""
        fmt = self.job.format
        old = self.value
        cands = self.candidates()
        if review_rows is not None:
            numbered, where = review_rows, ""
        else:
            numbered = f"(SELECT *, row_number() OVER () AS _taxops_row FROM {self.source})"
            where = f"WHERE {self.review_cond()}"
        meta = (
            f"json_object('row', _taxops_row, 'reason', {self.reason()}, "
            f"'old_label', {old}, 'candidates', {cands})"
        )
        if fmt == "jsonl":
            return (
                f"SELECT CASE WHEN NOT {self.valid} THEN json_object('_taxops', json_object("
                "'row', _taxops_row, 'reason', 'malformed', 'raw', line)) "
                f"ELSE json_merge_patch(line, json_object('_taxops', {meta})) END "
                f"FROM {numbered} {where}"
            )
        if fmt == "parquet":
            # JSON lines (COPY ... FORMAT json): every column of the row, plus what
            # the reviewer needs under _taxops.
            struct = (
                f"{{'row': _taxops_row, 'reason': {self.reason()}, 'old_label': {old}, "
                f"'candidates': {cands}}}"
            )
            return f"SELECT * EXCLUDE (_taxops_row), {struct} AS _taxops FROM {numbered} {where}"
        sep = _lit(CANDIDATE_SEPARATOR)
        old_text = f"array_to_string({old}, {_lit(self.job.list_separator)})" if self.multi else old
        return (
            f"SELECT * EXCLUDE (_taxops_row), _taxops_row, {self.reason()} AS _taxops_reason, "
            f"{old_text} AS _taxops_old_label, array_to_string({cands}, {sep}) AS _taxops_candidates, "
            f"NULL::VARCHAR AS _taxops_raw FROM {numbered} {where}"
        )


def _check_column(con: duckdb.DuckDBPyConnection, q: _Query) -> None:
    if q.job.format == "jsonl":
        return  # keys are per line; a missing key reads as an unlabeled row
    try:
        rows = con.execute(f"DESCRIBE SELECT * FROM {q.source}").fetchall()
    except duckdb.Error as exc:
        raise TaxopsError(
            f"cannot read {q.job.source} as {q.job.format}: {_first_line(exc)}"
        ) from None
    q.columns = [r[0] for r in rows]
    types = {r[0]: r[1] for r in rows}
    if q.job.label_column not in types:
        raise TaxopsError(
            f"{q.job.source} has no column '{q.job.label_column}'",
            f"its columns are: {', '.join(q.columns)}; pass the label column with --label-column",
        )
    kind = types[q.job.label_column]
    if q.job.format == "parquet" and q.multi != kind.endswith("[]"):
        want = "a list column (multi-label)" if q.multi else "a single label per row"
        raise TaxopsError(
            f"column '{q.job.label_column}' of {q.job.source} is {kind}, not {want}",
            "use --multi-label for list columns, and leave it out for one label per row",
        )


def _count(
    con: duckdb.DuckDBPyConnection, q: _Query, tally: Tally, progress: Progress | None
) -> None:
    """Pass 1: distinct raw values and how often each occurs; rows; malformed rows."""
    if q.multi:
        counts_sql = (
            f"SELECT x, count(*) FROM (SELECT unnest({q.value}) AS x FROM {q.source} "
            f"WHERE {q.valid}) GROUP BY x"
        )
        stats_sql = (
            f"SELECT count(*), count(*) FILTER (WHERE NOT {q.valid}), "
            f"count(*) FILTER (WHERE {q.valid} AND len(list_filter({q.value}, lambda x: x IS NOT NULL)) "
            f"<> len(list_distinct({q.value}))) FROM {q.source}"
        )
        rows = _query(con, counts_sql, "count", progress)
        tally.rows_in, malformed, tally.rows_with_duplicates = _query(
            con, stats_sql, "count", progress
        )[0]
    else:
        # One pass: rows per (well-formed?, value).
        counts_sql = (
            f"SELECT {q.valid} AS ok, {q.value} AS x, count(*) FROM {q.source} GROUP BY ALL"
        )
        grouped = _query(con, counts_sql, "count", progress)
        rows = [(x, n) for ok, x, n in grouped if ok]
        malformed = sum(n for ok, _, n in grouped if not ok)
        tally.rows_in = sum(n for _, _, n in grouped)
    if len(rows) > MAX_DISTINCT_VALUES:
        raise TaxopsError(
            f"column '{q.job.label_column}' of {q.job.source} holds {len(rows):,} distinct values; "
            "that is not a label column",
            "pass the column that holds the labels with --label-column",
        )
    # A parallel GROUP BY returns values in any order: sort, so every run is the same.
    tally.values = dict(sorted(rows, key=lambda vn: (vn[0] is not None, vn[0] or "")))
    if q.multi:
        tally.null_entries = tally.values.pop(None, 0)
    if malformed:
        tally.malformed = [{"reason": "not a JSON object line"}] * malformed
    if q.job.format in ("csv", "tsv"):
        rejects = con.execute(
            "SELECT line, csv_line, error_message FROM reject_errors ORDER BY line"
        ).fetchall()
        seen: set[int] = set()
        for line, raw, message in rejects:
            if line not in seen:
                seen.add(line)
                tally.malformed.append({"line": line, "raw": raw, "error": message})
        tally.rows_in += len(tally.malformed)


def _install_lookups(con: duckdb.DuckDBPyConnection, q: _Query, fates: list[ValueFate]) -> None:
    """The ENUM of raw values and the lists indexed by its code."""
    raw = [f.raw for f in fates] or ["\x00none"]
    con.execute(
        "CREATE TABLE taxops_values AS SELECT generate_subscripts(l, 1) AS i, unnest(l) AS v "
        "FROM (SELECT ?::VARCHAR[] AS l)",
        [raw],
    )
    con.execute("CREATE TYPE taxops_value AS ENUM (SELECT v FROM taxops_values ORDER BY i)")
    con.execute(
        "CREATE MACRO taxops_dedupe(l) AS list_filter(l, lambda x, i: list_position(l, x) = i)"
    )

    def new(f: ValueFate) -> Any:
        if f.disposition.to_review:
            return None
        if f.disposition is Disposition.UNLABELED:
            return [] if q.multi else f.raw
        return list(f.targets) if q.multi else f.targets[0]

    lists: dict[str, list[Any]] = {
        "new": [new(f) for f in fates],
        "flag": [f.disposition.to_review for f in fates],
        "unknown": [f.disposition is Disposition.UNKNOWN for f in fates],
        "changed": [f.disposition is Disposition.DIRECT for f in fates],
        "cand": [list(f.targets) for f in fates],
    }
    types = {"new": "VARCHAR[][]" if q.multi else "VARCHAR[]", "cand": "VARCHAR[][]"}
    for name, values in lists.items():
        con.execute(f"SET VARIABLE {name} = ?::{types.get(name, 'BOOLEAN[]')}", [values or [None]])
    columns = ", ".join(f"getvariable('{name}') AS {name}" for name in lists)
    con.execute(f"CREATE TABLE taxops_fates AS SELECT {columns}")


def _reasons_written(con: duckdb.DuckDBPyConnection, q: _Query, review_out: Path) -> dict[str, int]:
    """Review rows per reason, read back from the review queue just written."""
    path = _lit(str(review_out))
    if q.job.format in ("csv", "tsv"):
        delim = "," if q.job.format == "csv" else "\t"
        sql = (
            f"SELECT _taxops_reason, count(*) FROM read_csv({path}, all_varchar = true, "
            f"header = true, delim = '{delim}') GROUP BY ALL"
        )
    else:
        sql = (
            f"SELECT json_extract_string(line, '$._taxops.reason'), count(*) FROM read_csv({path}, "
            f"columns = {{'line': 'VARCHAR'}}, header = false, delim = '{_JSONL_DELIM}', quote = '', "
            "escape = '', auto_detect = false) GROUP BY ALL"
        )
    return {str(r): int(n) for r, n in con.execute(sql).fetchall()}


def _copy(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    out: Path,
    options: str,
    phase: str,
    progress: Progress | None,
) -> int:
    result = _query(con, f"COPY ({sql}) TO {_lit(str(out))} ({options})", phase, progress)
    return int(result[0][0])


def _append_rejects(
    review_out: Path, tally: Tally, job: Job, columns: list[str], header: bool
) -> None:
    """Malformed CSV lines join the review queue with their raw text."""
    import csv

    delim = "," if job.format == "csv" else "\t"
    with open(review_out, "a", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, delimiter=delim, lineterminator="\n")
        if header:
            writer.writerow(
                [
                    *(escaping.csv_cell(c) for c in columns),
                    "_taxops_row",
                    "_taxops_reason",
                    "_taxops_old_label",
                    "_taxops_candidates",
                    "_taxops_raw",
                ]
            )
        for bad in tally.malformed:
            cells = [""] * len(columns) + [
                "",
                "malformed",
                "",
                "",
                f"line {bad['line']}: {bad['raw']}",
            ]
            writer.writerow([escaping.csv_cell(c) for c in cells])


def _spreadsheet_safe(con: duckdb.DuckDBPyConnection, sql: str) -> str:
    """The review queue's rows as a reviewer's spreadsheet must get them: every
    cell (and column name) that would be read as a formula gets a leading
    apostrophe, as :func:`taxops.escaping.csv_cell` does (the same starting
    characters, ``escaping.PROTECTED_START``). The migrated dataset is untouched."""
    starts = ", ".join(_lit(s) for s in escaping.PROTECTED_START)
    text = "CAST(x AS VARCHAR)"
    con.execute(
        f"CREATE OR REPLACE TEMP MACRO taxops_csv_cell(x) AS CASE WHEN left({text}, 1) "
        f"IN ({starts}) THEN {_lit(chr(39))} || {text} ELSE {text} END"
    )
    names = [row[0] for row in con.execute(f"DESCRIBE {sql}").fetchall()]
    cells = ", ".join(
        f"taxops_csv_cell({_ident(n)}) AS {_ident(escaping.csv_cell(n))}" for n in names
    )
    return f"SELECT {cells} FROM ({sql})"


def _lit(text: str) -> str:
    return escaping.sql_literal(text, "duckdb")


def _ident(name: str) -> str:
    return escaping.sql_identifier(name, "duckdb")


def _json_key(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
