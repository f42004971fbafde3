"""Relabel a CSV, TSV, JSON-lines or Parquet dataset with DuckDB, streaming.

How it stays fast, ordered and bounded (measured in ``benchmarks/relabel.py``):

1. CSV, TSV and JSON lines are parsed once into a columnar scratch file beside
   the outputs (:mod:`taxops.engines.duckdb_source`, which also proves every
   record of the file is read or rejected); every pass below reads that (or the
   Parquet input itself).
2. One aggregate pass counts the distinct raw values of the label column.
3. Each distinct value's fate is decided once, in Python
   (:func:`taxops.migration.values.sort_out`: a value kept as it is needs no
   more than its place among the kept), and handed to DuckDB as an ENUM
   type of the values, ordered by fate (queued, by reason; relabeled; kept),
   plus lists indexed by the enum code in a one-row table. A pass reads each
   row's code once, beside the row; its fate is then a comparison of codes, and
   only a relabeled value's new label and a queued value's candidates are
   looked up (:class:`_Ranges`): no join (a hash join reorders rows; ORDER BY
   to restore the order costs memory), no 150-branch CASE, no ``IN`` list filter
   (DuckDB 2.0 reorders rows behind one), and no lookup in a list as long as
   the distinct values (it costs in proportion to the list). With tens of
   thousands of values (a published classification) a Parquet page's
   dictionary no longer holds them, and casting every row to the ENUM costs as
   much as the copy: the values are hashed into buckets flagged where a value
   that changes falls, and only a row in a flagged bucket is cast
   (:meth:`_Query.with_codes`).
4. ``COPY (SELECT ... WHERE not review) TO`` streams the migrated rows out in
   input order (``preserve_insertion_order``); the review queue follows, only
   when some row needs review. A Parquet input's queue is Parquet, written
   straight from the input by one more pass that writes only the review rows.
   A text format's queue is written from those rows, stored first (its reasons
   and the key taxops adds are read from them); only when DuckDB rejected
   records does it need an ORDER BY, to put them among the other review rows.
   The review rows cannot come out of the relabel pass itself: DuckDB's one
   statement that writes several files (``COPY ... PARTITION_BY``) gives them
   one set of columns and does not keep the input's order.

Rows in (counted by Python, not DuckDB) = rows migrated + rows for review,
checked from the COPY counts.
"""

from __future__ import annotations

import csv
import shutil
import tempfile
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any

import duckdb

from taxops import escaping
from taxops.diagnostics import TaxopsError
from taxops.engines.dataset_input import first_object_keys
from taxops.engines.datasets import REVIEW_FIELDS, review_format
from taxops.engines.duckdb_run import Progress, run_query
from taxops.engines.duckdb_run import Run as _Run
from taxops.engines.duckdb_run import runner as _runner
from taxops.engines.duckdb_source import (
    JSONL_DELIM,
    Source,
    columns_sql,
    ident,
    numbered,
    open_source,
)
from taxops.engines.job import DEFAULT_MAX_LINE_SIZE, DEFAULT_MEMORY_LIMIT, Job
from taxops.engines.paths import read_path, sql_literal, write_path
from taxops.migration.model import MigrationMap
from taxops.migration.values import (
    MALFORMED,
    UNKNOWN_LABEL,
    Disposition,
    Tally,
    ValueFate,
    review_reason,
    sort_out,
)

#: Above this many distinct values the column is not a label column.
MAX_DISTINCT_VALUES = 500_000
CANDIDATE_SEPARATOR = "|"
#: From how many distinct values a pass reads a row's code only where its
#: value may not be kept as it is (:meth:`_Query.with_codes`), and into how
#: many buckets the values are hashed to tell it; the values that change may
#: fill at most one bucket in ``SPARSE``, so most rows fall in buckets without.
BUCKETED_FROM = 10_000
BUCKETS = 1 << 16
SPARSE = 16
#: What taxops adds to review rows: CSV columns ``_taxops_row``... (prefix),
#: a ``_taxops`` key (JSON). Another name is chosen when the user's data has it.
RESERVED = "_taxops"
_LINES = f"FORMAT csv, HEADER false, QUOTE '', ESCAPE '', DELIMITER '{JSONL_DELIM}'"

__all__ = [
    "DEFAULT_MAX_LINE_SIZE",
    "DEFAULT_MEMORY_LIMIT",
    "Job",
    "Progress",
    "count_values",
    "run",
    "run_query",
]


def count_values(job: Job) -> dict[str | None, int]:
    """How often each raw value occurs in the label column (entries, for lists):
    the first pass of :func:`run`, alone, for ``taxops impact``."""
    con = _connect(job)
    source = open_source(con, job, None, _runner(con, None))
    q = _Query(source, job)
    _check_label_type(con, q)
    tally = Tally()
    _count(con, q, tally, _runner(con, None))
    return tally.values


def _connect(job: Job) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = true")
    # Progress is read from another thread (see _runner); DuckDB must not print its own bar.
    con.execute("SET enable_progress_bar = true")
    con.execute("SET enable_progress_bar_print = false")
    # Without a limit DuckDB keeps up to 80% of RAM in its buffer pool, so the
    # peak grows with the file; a limit keeps it flat (measured: same speed).
    con.execute(f"SET memory_limit = {sql_literal(job.memory_limit or DEFAULT_MEMORY_LIMIT)}")
    con.execute(f"SET temp_directory = {write_path(Path(tempfile.gettempdir()))}")
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
    queue_format: str | None = None,
) -> Tally:
    """Write the migrated dataset and the review queue (``queue_format``,
    default :func:`~taxops.engines.datasets.review_format`); return the counts."""
    con = _connect(job)
    run_sql = _runner(con, progress)
    # Scratch files live beside the outputs (same disk, removed at the end).
    staged = dataset_out.with_name(dataset_out.name + ".source.parquet")
    review_rows = review_out.with_name(review_out.name + ".rows.parquet")
    try:
        parsed = json_parsed(job, "line") if job.format == "jsonl" else None
        source = open_source(con, job, staged, run_sql, parsed)
        q = _Query(source, job)
        _check_label_type(con, q)
        tally = Tally()
        invalid = _count(con, q, tally, run_sql)
        counted = source.counted
        tally.rows_in = counted.records - (counted.blank if job.format == "jsonl" else 0)
        # Blank lines are no records (in a one-column CSV they are empty values).
        one_column = job.format in ("csv", "tsv") and len(source.names) == 1
        tally.blank_lines = 0 if one_column else counted.blank
        kept, fates = sort_out((v for v in tally.values if v is not None), migration)
        tally.fates, tally.kept = {f.raw: f for f in fates}, kept
        _install_lookups(con, q, fates, kept)

        tally.rows_migrated = _write_migrated(con, q, dataset_out, parquet_metadata, run_sql)
        if not (any(f.disposition.to_review for f in fates) or invalid or source.rejected):
            return tally
        if (queue_format or review_format(job.format, review_out)) == "parquet":
            assert job.format == "parquet", "a Parquet queue is written for Parquet input"
            # Parquet rows are never malformed: the queue is written straight
            # from the input, in one pass, and its counts read back from it.
            tally.review_key = key = _review_key(con, q, None)
            tally.rows_review = _write_review_parquet(q, review_out, key, run_sql)
            reasons = con.execute(
                f"SELECT {ident(key)}.reason, count(*) FROM read_parquet({read_path(review_out)}) "
                "GROUP BY ALL"
            ).fetchall()
            tally.review_reasons.update({str(r): int(n) for r, n in reasons})
        else:
            run_sql(
                f"COPY ({q.review_rows_sql()}) TO {write_path(review_rows)} (FORMAT parquet)",
                "review",
            )
            rows = f"read_parquet({read_path(review_rows)})"
            key = _review_key(con, q, rows)
            tally.review_key = key
            reasons = con.execute(
                f"SELECT {q.reason(q.stored_label)}, count(*) FROM {rows} GROUP BY ALL"
            ).fetchall()
            tally.review_reasons.update({str(r): int(n) for r, n in reasons})
            if source.rejected:
                tally.review_reasons[MALFORMED] += source.rejected
            tally.rows_review = _write_review(con, q, rows, review_out, key, run_sql)
            tally.malformed = _malformed_examples(con, q, rows)
        return tally
    finally:
        staged.unlink(missing_ok=True)
        review_rows.unlink(missing_ok=True)


def json_parsed(job: Job, col: str) -> dict[str, str]:
    """What every pass needs from a JSON line, as SQL over the line ``col``:
    ``taxops_ok`` (an object whose label value is text, a number or null; for
    multi-label a list or null), ``taxops_value`` (the label(s), when ok) and
    ``taxops_key`` (the label key is there). Computed once, when the file is
    staged: DuckDB parses the JSON text again for every function called on it."""
    key = sql_literal(f"$.{_json_key(job.label_column)}")
    kinds = "IN ('ARRAY', 'NULL')" if job.multi_label else "NOT IN ('ARRAY', 'OBJECT')"
    # CASE, not AND: DuckDB evaluates both sides, and json_type fails on invalid JSON.
    ok = (
        f"(CASE WHEN json_valid({col}) THEN json_type({col}) = 'OBJECT' "
        f"AND coalesce(json_type({col}, {key}) {kinds}, true) ELSE false END)"
    )
    if job.multi_label:
        extracted = f"from_json(json_extract({col}, {key}), '[\"VARCHAR\"]')"
    else:
        extracted = f"json_extract_string({col}, {key})"
    return {
        "taxops_ok": ok,
        "taxops_value": f"CASE WHEN {ok} THEN {extracted} END",
        "taxops_key": f"(CASE WHEN json_valid({col}) THEN json_exists({col}, {key}) ELSE false END)",
    }


@dataclass(frozen=True)
class _Ranges:
    """Where each fate's values sit among the ENUM codes (1-based, inclusive
    ends): first the values queued for review, grouped by reason; then those
    relabeled by the map (``changed``: the map's direct entries); then the
    values written as they are. A pass over the rows compares a row's code with
    these ends instead of looking it up in a list as long as the distinct values
    (100,000 in a large classification): a list lookup costs in proportion to
    the list's length (measured on DuckDB 2.0.1)."""

    #: Codes up to ``review`` are queued; up to ``changed``, relabeled by a
    #: direct entry; up to ``relabeled``, written as another value.
    review: int = 0
    changed: int = 0
    relabeled: int = 0
    #: The last code of each review reason, in order.
    reasons: tuple[tuple[int, str], ...] = ()

    @classmethod
    def of(cls, groups: list[tuple[int, str]]) -> _Ranges:
        ends: dict[tuple[int, str], int] = {}
        for code, g in enumerate(groups, start=1):
            ends[g] = code
        upto = {
            kind: max((e for (k, _), e in ends.items() if k <= kind), default=0)
            for kind in (0, 1, 2)
        }
        reasons = tuple((e, why) for (k, why), e in ends.items() if k == 0)
        return cls(upto[0], upto[1], upto[2], reasons)


class _Query:
    """SQL pieces for one job: the label value expression and the lookups,
    shared by every pass. Expressions take the label column's SQL (the source's,
    or the stored review rows')."""

    def __init__(self, source: Source, job: Job) -> None:
        self.source = source
        self.job = job
        self.multi = job.multi_label
        #: The label column inside the review rows file (positional, or ``line``).
        self.stored_label = (
            '"line"' if job.format == "jsonl" else ident(f"c{source.names.index(job.label_column)}")
        )
        if job.format == "jsonl":
            self.blank = "(line IS NULL OR trim(line, chr(32) || chr(9) || chr(13)) = '')"
        else:
            self.blank = "false"
        #: The relation the passes read: the source, and once the lookups are
        #: installed (single-label), each row's enum code beside it (``coded``).
        self.scan = source.scan
        self.coded: str | None = None
        self.ranges = _Ranges()
        #: A single label's Parquet column type when it is not text (codes
        #: stored as numbers), and whether every new label is written in it.
        self.label_type: str | None = None
        self.keeps_type = True
        #: Buckets of the hashed values whose flags say where a value that is
        #: not kept may be (0: every row's code is read).
        self.buckets = 0

    def with_codes(self) -> None:
        """Read each row's enum code once, as a column of the scan, for every
        lookup of a pass (the filter and the projection): a cast to an ENUM of
        100,000 values costs as much as the copy itself (measured on DuckDB
        2.0.1: 1.5 CPU s for 5M rows), and each lookup cast again. Lists
        (multi-label) are looked up value by value, inside lambdas."""
        if self.multi:
            return
        taken = {n.casefold() for n in [*self.source.names, "line", "file_row_number"]}
        name = next(f"taxops_code{'_' * i}" for i in range(len(taken) + 1)
                    if f"taxops_code{'_' * i}" not in taken)  # fmt: skip
        self.coded = ident(name)
        # TRY_CAST, not CAST: DuckDB casts a dictionary-encoded column once per
        # dictionary entry only for TRY_CAST (measured on DuckDB 2.0.1: CAST made
        # the relabel pass of 10M rows and 1,000 labels 1.3 -> 1.9 CPU s).
        v = self.value()
        code = self.code(v)
        if self.buckets:
            # A large taxonomy's values are too many for a Parquet page's
            # dictionary, so each row's value is cast: 0.6 s of a 1.1 s pass
            # over 5M rows of 89,000 codes. A value whose bucket holds no value
            # that changes is kept as it is, and any code after the last
            # changed one says so: only the few rows in other buckets are cast
            # (the pass: 1.1 -> 0.6 s, as fast as the copy).
            bucket = f"(hash({v}) % {self.buckets})::INTEGER + 1"
            code = (
                f"(CASE WHEN {v} IS NULL THEN NULL "
                f"WHEN (SELECT buckets FROM taxops_fates)[{bucket}] THEN {code} "
                f"ELSE {self.ranges.relabeled + 1} END)"
            )
        self.scan = f"(SELECT *, file_row_number, {code} AS {self.coded} FROM {self.source.scan})"

    def valid(self, col: str | None = None) -> str:
        """Whether a row is well formed (JSON lines: an object whose label value
        is text, a number or null; multi-label: a list or null)."""
        if self.job.format != "jsonl":
            return "true"
        if self.source.parsed:
            return "taxops_ok"
        return json_parsed(self.job, col or self.source.label)["taxops_ok"]

    def value(self, col: str | None = None) -> str:
        col = col or self.source.label
        fmt = self.job.format
        if fmt == "jsonl":
            return (
                "taxops_value" if self.source.parsed else json_parsed(self.job, col)["taxops_value"]
            )
        if fmt in ("csv", "tsv") and self.multi:
            return f"string_split({col}, {sql_literal(self.job.list_separator)})"
        return col

    def has_key(self) -> str:
        """Whether a row holds the label column (JSON lines: the key; always, else)."""
        if self.job.format != "jsonl":
            return "true"
        if self.source.parsed:
            return "taxops_key"
        return json_parsed(self.job, self.source.label)["taxops_key"]

    # -- lookups: enum code of a raw value -> fate -------------------------------
    def code(self, x: str) -> str:
        if self.label_type is not None:  # numbers were counted, and named, as text
            x = f"CAST({x} AS VARCHAR)"
        return f"(enum_code(TRY_CAST({x} AS taxops_value))::INTEGER + 1)"

    def lookup(self, name: str, x: str, in_lambda: bool = False, scan: bool = False) -> str:
        """The fate ``name`` of the value ``x`` (``scan``: the value of the row
        being read, whose code the scan holds once :meth:`with_codes` ran). A
        single label's fate is told by its code's range (:meth:`_ranged`); an
        entry of a list, inside a lambda, is looked up in a list indexed by
        every code, held in a variable (lambdas cannot hold subqueries)."""
        if in_lambda:
            return f"getvariable('{name}')[{self.code(x)}]"
        assert not self.multi, "a list's entries are looked up inside lambdas"
        return self._ranged(name, x, self.coded if scan and self.coded else self.code(x))

    def _ranged(self, name: str, x: str, c: str) -> str:
        """The fate ``name`` of a value ``x`` from its code ``c`` (:class:`_Ranges`);
        only a relabeled value's new label and a queued value's candidates are
        looked up, in lists as long as those values, from a one-row table
        through a scalar subquery (a constant list would be rebuilt for every
        chunk of rows: measured, a third of the relabel time on a 1,000-label map)."""
        r = self.ranges
        if name == "flag":
            return f"({c} <= {r.review})"
        if name == "changed":
            return f"({c} > {r.review} AND {c} <= {r.changed})"
        if name == "why":
            if not r.reasons:
                return "NULL::VARCHAR"
            whens = " ".join(f"WHEN {c} <= {end} THEN {sql_literal(why)}" for end, why in r.reasons)
            return f"(CASE {whens} END)"
        if name == "new":
            relabeled = f"(SELECT relabeled FROM taxops_fates)[{c} - {r.review}]"
            if self.label_type is not None:  # one type for the column written
                if self.keeps_type:
                    relabeled = f"CAST({relabeled} AS {self.label_type})"
                else:
                    x = f"CAST({x} AS VARCHAR)"
            return (
                f"(CASE WHEN {c} > {r.relabeled} THEN {x} WHEN {c} > {r.review} "
                f"THEN {relabeled} END)"
            )
        if name == "cand":
            return f"(CASE WHEN {c} <= {r.review} THEN (SELECT queued_cand FROM taxops_fates)[{c}] END)"
        raise ValueError(name)

    def review_cond(self, col: str | None = None) -> str:
        """Whether a row goes to review. Never a plain ``label IN (...)``: DuckDB
        pushes that into the Parquet scan and then returns rows out of order
        (measured on DuckDB 2.0.1: 1,775 inversions among 2.5M of 50M rows; the
        same filter as a lookup keeps the order)."""
        v = self.value(col)
        if self.multi:
            flags = f"list_bool_or(list_transform({v}, lambda x: {self.lookup('flag', 'x', True)}))"
        else:
            flags = self.lookup("flag", v, scan=col is None)
        return f"(NOT {self.valid(col)} OR coalesce({flags}, false))"

    def new_value(self) -> str:
        v = self.value()
        if not self.multi:  # a null value has no code, and looks up null
            return self.lookup("new", v, scan=True)
        kept = f"list_filter({v}, lambda x: x IS NOT NULL)"
        return f"taxops_dedupe(flatten(list_transform({kept}, lambda x: {self.lookup('new', 'x', True)})))"

    def candidates(self, col: str | None) -> str:
        """The candidates of the row (``col``: the label column of the stored
        review rows; None: of the row being read)."""
        v = self.value(col)
        if not self.multi:
            return f"coalesce({self.lookup('cand', v, scan=col is None)}, [])"
        return f"taxops_dedupe(flatten(list_transform({v}, lambda x: coalesce({self.lookup('cand', 'x', True)}, []))))"

    def reason(self, col: str | None) -> str:
        """The row's review reason (:func:`taxops.migration.values.row_reason`):
        malformed, else unknown-label when any of its values is unknown, else the
        map's action for its (first reviewed) label."""
        v = self.value(col)
        if self.multi:
            whys = (
                f"list_filter(list_transform({v}, lambda x: {self.lookup('why', 'x', True)}), "
                "lambda x: x IS NOT NULL)"
            )
            why = (
                f"CASE WHEN list_contains({whys}, {sql_literal(UNKNOWN_LABEL)}) "
                f"THEN {sql_literal(UNKNOWN_LABEL)} ELSE {whys}[1] END"
            )
        else:
            why = self.lookup("why", v, scan=col is None)
        return (
            f"CASE WHEN NOT {self.valid(col)} THEN {sql_literal(MALFORMED)} "
            f"ELSE coalesce({why}, 'review') END"
        )

    # -- the passes ------------------------------------------------------------
    def rows(self) -> str:
        return f"{self.scan} WHERE NOT {self.blank}"

    def review_rows_sql(self) -> str:
        """The rows for review, with positional columns and ``taxops_k`` (their
        1-based order among the rows read), filtered inside the scan."""
        if self.job.format == "jsonl":
            columns = "line, taxops_ok, taxops_value, taxops_key" if self.source.parsed else "line"
        else:
            columns = columns_sql(self.source)
        return (
            f"SELECT {columns}, file_row_number + 1 AS taxops_k FROM {self.scan} "
            f"WHERE NOT {self.blank} AND {self.review_cond()}"
        )


def _check_label_type(con: duckdb.DuckDBPyConnection, q: _Query) -> None:
    if q.job.format != "parquet":
        return
    kind = _column_type(con, q)
    if q.multi != kind.endswith("[]"):
        want = "a list column (multi-label)" if q.multi else "a single label per row"
        raise TaxopsError(
            f"column '{q.job.label_column}' of {q.job.source} is {kind}, not {want}",
            "use --multi-label for list columns, and leave it out for one label per row",
        )
    if q.multi or kind == "VARCHAR":
        return
    if kind not in _WHOLE_NUMBERS:
        raise TaxopsError(
            f"column '{q.job.label_column}' of {q.job.source} is {kind}: labels are text "
            "(or codes kept as whole numbers)",
            "write the labels as text (or as whole numbers), or pass the label column "
            "with --label-column",
        )
    q.label_type = kind  # codes kept as numbers: see _fits_label_type


#: Column types of codes kept as numbers, which a relabel reads as their text.
_WHOLE_NUMBERS = frozenset(
    f"{sign}{size}"
    for sign in ("", "U")
    for size in ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT")
)


def _column_type(con: duckdb.DuckDBPyConnection, q: _Query) -> str:
    rows = con.execute(f"DESCRIBE SELECT {q.source.label} AS x FROM {q.source.scan}").fetchall()
    return str(rows[0][1])


def _count(con: duckdb.DuckDBPyConnection, q: _Query, tally: Tally, run_sql: _Run) -> int:
    """Pass 1: distinct raw values and how often each occurs; rows that are not
    well formed (returned)."""
    value, valid, has_key = q.value(), q.valid(), q.has_key()
    if q.multi:
        counts_sql = (
            f"SELECT x, count(*) FROM (SELECT unnest({value}) AS x FROM {q.rows()} "
            f"AND {valid}) GROUP BY x"
        )
        stats_sql = (
            f"SELECT count(*) FILTER (WHERE NOT {valid}), "
            f"count(*) FILTER (WHERE {valid} AND len(list_filter({value}, lambda x: x IS NOT NULL)) "
            f"<> len(list_distinct({value}))), count(*) FILTER (WHERE {has_key}), count(*) "
            f"FROM {q.rows()}"
        )
        rows = run_sql(counts_sql, "count")
        invalid, tally.rows_with_duplicates, keyed, total = run_sql(stats_sql, "count")[0]
    else:
        grouped = run_sql(
            f"SELECT {valid} AS ok, {value} AS x, {has_key} AS k, count(*) FROM {q.rows()} "
            "GROUP BY ALL",
            "count",
        )
        rows_by_value: dict[Any, int] = {}
        invalid = keyed = total = 0
        for ok, x, k, n in grouped:  # one loop: a classification has 90,000 values
            total += n
            if k:
                keyed += n
            if ok:
                rows_by_value[x] = rows_by_value.get(x, 0) + n
            else:
                invalid += n
        rows = list(rows_by_value.items())
    if total - invalid and not keyed:  # a key no object has: a typo, not unlabeled rows
        from taxops.checks.common import did_you_mean  # loads the YAML reader: errors only

        raise TaxopsError(
            f"no line of {q.job.source} has the key '{q.job.label_column}'",
            did_you_mean(q.job.label_column, first_object_keys(q.job.source))
            or "pass the key that holds the labels with --label-column",
        )
    if len(rows) > MAX_DISTINCT_VALUES:
        raise TaxopsError(
            f"column '{q.job.label_column}' of {q.job.source} holds {len(rows):,} distinct values; "
            "that is not a label column",
            "pass the column that holds the labels with --label-column",
        )
    # A parallel GROUP BY returns values in any order: sort, so every run is the
    # same (null first; every other value is text). A key in C, not a lambda.
    nulls = [vn for vn in rows if vn[0] is None]
    tally.values = dict(nulls + sorted((vn for vn in rows if vn[0] is not None), key=itemgetter(0)))
    if q.multi:
        tally.null_entries = tally.values.pop(None, 0)
    return int(invalid or 0)


def _install_lookups(
    con: duckdb.DuckDBPyConnection, q: _Query, fates: list[ValueFate], kept: list[str]
) -> None:
    """The ENUM of raw values and the lists indexed by its code. The values are
    ordered by fate (:class:`_Ranges`), so a pass over the rows tells most
    fates by comparing codes, and looks up only what cannot be compared. The
    values ``kept`` as they are (:func:`~taxops.migration.values.kept_as_is`)
    come last, after every fate."""

    def new(f: ValueFate) -> Any:
        if f.disposition.to_review:
            return None
        if f.disposition is Disposition.UNLABELED:
            return [] if q.multi else f.raw
        return list(f.targets) if q.multi else f.targets[0]

    def group(f: ValueFate) -> tuple[int, str]:
        if f.disposition.to_review:
            return 0, review_reason(f) or ""
        if f.disposition is Disposition.DIRECT:
            return 1, ""
        return (2, "") if new(f) != f.raw else (3, "")

    # Each fate's group worked out once (a classification's 90,000 values).
    grouped = sorted(((group(f), f) for f in fates), key=lambda gf: gf[0])
    fates = [f for _, f in grouped]
    q.ranges = _Ranges.of([g for g, _ in grouped])
    raw = [f.raw for f in fates] + kept or ["\x00none"]
    con.execute(
        "CREATE TABLE taxops_values AS SELECT generate_subscripts(l, 1) AS i, unnest(l) AS v "
        "FROM (SELECT ?::VARCHAR[] AS l)",
        [raw],
    )
    con.execute("CREATE TYPE taxops_value AS ENUM (SELECT v FROM taxops_values ORDER BY i)")
    con.execute(
        "CREATE MACRO taxops_dedupe(l) AS list_filter(l, lambda x, i: list_position(l, x) = i)"
    )
    ranges = q.ranges
    # Single labels: only what a code cannot tell, the new labels of relabeled
    # values and the candidates of queued ones (:meth:`_Query._ranged`).
    lists: dict[str, list[Any]] = {
        "relabeled": [new(f) for f in fates[ranges.review : ranges.relabeled]],
        "queued_cand": [list(f.targets) for f in fates[: ranges.review]],
    }
    if q.multi:  # each entry of a list is looked up inside a lambda, by its code
        each_kept = [[v] for v in kept]
        lists |= {
            "new": [new(f) for f in fates] + each_kept,
            "flag": [f.disposition.to_review for f in fates] + [False] * len(kept),
            "why": [review_reason(f) for f in fates] + [None] * len(kept),
            "changed": [f.disposition is Disposition.DIRECT for f in fates] + [False] * len(kept),
            "cand": [list(f.targets) for f in fates] + each_kept,
        }
    types = {
        "new": "VARCHAR[][]" if q.multi else "VARCHAR[]",
        "relabeled": "VARCHAR[][]" if q.multi else "VARCHAR[]",
        "cand": "VARCHAR[][]",
        "queued_cand": "VARCHAR[][]",
        "why": "VARCHAR[]",
    }
    for name, values in lists.items():
        con.execute(f"SET VARIABLE {name} = ?::{types.get(name, 'BOOLEAN[]')}", [values or [None]])
    if q.label_type is not None:
        q.keeps_type = _fits_label_type(con, q.label_type, lists["relabeled"])
    columns = ", ".join(f"getvariable('{name}') AS {name}" for name in lists)
    if _bucketed(q, len(raw)):
        q.buckets = BUCKETS
        con.execute(
            "SET VARIABLE buckets = (SELECT list(coalesce(changes, false) ORDER BY b) "
            f"FROM range({BUCKETS}) r(b) LEFT JOIN (SELECT hash(v) % {BUCKETS} AS h, "
            f"bool_or(i <= {ranges.relabeled}) AS changes FROM taxops_values GROUP BY h) "
            "ON h = b)"
        )
        columns += ", getvariable('buckets') AS buckets"
    con.execute(f"CREATE TABLE taxops_fates AS SELECT {columns}")
    q.with_codes()


def _fits_label_type(con: duckdb.DuckDBPyConnection, kind: str, labels: list[Any]) -> bool:
    """Whether every new label a relabel writes is a value of the column's
    type that reads back as the label (``2017`` in a BIGINT column of codes;
    not ``0101``, nor ``4A``): then the column keeps its type, else it is
    written as text, which holds any label."""
    found = con.execute(
        f"SELECT coalesce(bool_and(CAST(TRY_CAST(v AS {kind}) AS VARCHAR) IS NOT DISTINCT FROM v), "
        "true) FROM (SELECT unnest(?::VARCHAR[]) AS v)",
        [[x for x in labels if x is not None]],
    ).fetchone()
    return bool(found and found[0])


def _bucketed(q: _Query, values: int) -> bool:
    """Whether a pass reads codes by bucket (:meth:`_Query.with_codes`): one
    label per row, held as text (a bucket is the hash of the text the values
    were counted as), many values, few of them changed, and some kept."""
    r = q.ranges
    if q.multi or values < BUCKETED_FROM or not 0 < r.relabeled < values:
        return False
    if r.relabeled * SPARSE > BUCKETS:
        return False
    if q.job.format == "parquet":
        return q.label_type is None  # text: other types were refused or are numbers
    return q.job.format in ("csv", "tsv")  # read as text


# --- writing --------------------------------------------------------------------


def _write_migrated(
    con: duckdb.DuckDBPyConnection,
    q: _Query,
    out: Path,
    parquet_metadata: dict[str, str],
    run_sql: _Run,
) -> int:
    source, fmt = q.source, q.job.format
    where = f"{q.rows()} AND NOT {q.review_cond()}"
    if fmt == "jsonl":
        # Only relabeled lines are rewritten; the others pass byte for byte.
        v, new, key = q.value(), q.new_value(), sql_literal(q.job.label_column)
        changed = (
            f"list_bool_or(list_transform({v}, lambda x: {q.lookup('changed', 'x', True)})) "
            f"OR len({v}) <> len({new})"
            if q.multi
            else f"coalesce({q.lookup('changed', v, scan=True)}, false)"
        )
        patched = f"json_merge_patch(line, json_object({key}, {new}))"
        select = f"SELECT CASE WHEN {changed} THEN {patched} ELSE line END FROM {where}"
        return _copy(run_sql, select, out, _LINES, "relabel")
    new = q.new_value()
    if fmt in ("csv", "tsv") and q.multi:
        new = f"array_to_string({new}, {sql_literal(q.job.list_separator)})"
    exprs = [new if c == source.label else c for c in source.cols]
    aliases = [f"a{i}" for i in range(len(exprs))]
    select = "SELECT " + ", ".join(f"{e} AS {a}" for e, a in zip(exprs, aliases, strict=True))
    select += f" FROM {where}"
    if fmt == "parquet":
        meta = ", ".join(f"{sql_literal(k)}: {sql_literal(v)}" for k, v in parquet_metadata.items())
        renamed = _renamed(select, aliases, source.names)
        return _copy(run_sql, renamed, out, f"FORMAT parquet, KV_METADATA {{{meta}}}", "relabel")
    assert source.dialect is not None
    dialect = source.dialect
    return _copy_csv(
        run_sql, select, out, source.names, dialect.delimiter, dialect.quote, dialect.bom, "relabel"
    )


def _review_key(con: duckdb.DuckDBPyConnection, q: _Query, rows: str | None) -> str:
    """The name taxops gives what it adds to review rows: ``_taxops`` unless the
    user's data already has it (a review queue migrated again), then the one
    after the highest taken (``_taxops2``, ``_taxops3``...), so the user's
    columns come out untouched and readers know the highest is taxops'."""
    candidates = [RESERVED, *(f"{RESERVED}{n}" for n in range(2, 10))]
    if q.job.format == "jsonl":  # the keys of the review rows' objects, each line parsed once
        assert rows is not None
        keys = con.execute(
            f"SELECT DISTINCT k FROM (SELECT unnest(json_keys(line)) AS k FROM {rows} "
            f"WHERE {q.valid(q.stored_label)}) WHERE starts_with(k, {sql_literal(RESERVED)})"
        ).fetchall()
        taken = {c for c in candidates if (c,) in keys}
    else:
        names = {n.casefold() for n in q.source.names}
        suffix = [f"_{f}" for f in REVIEW_FIELDS] if q.job.format in ("csv", "tsv") else [""]
        taken = {c for c in candidates if any((c + s).casefold() in names for s in suffix)}
    # After the last one taken: readers of the queue take the highest as taxops'.
    last = max((candidates.index(c) for c in taken), default=-1)
    if last + 1 < len(candidates):
        return candidates[last + 1]
    raise TaxopsError(
        f"{q.job.source} already uses every name taxops would add to its review rows "
        f"({', '.join(candidates)})",
        "rename those columns before migrating",
    )


def _review_fields(q: _Query, col: str | None, row: str) -> str:
    """What taxops adds to a queued row of a Parquet input, as a struct: its
    1-based position, why it is queued, its old label(s) and the candidates."""
    return (
        f"{{'row': {row}, 'reason': {q.reason(col)}, 'old_label': {q.value(col)}, "
        f"'candidates': {q.candidates(col)}}}"
    )


def _write_review_parquet(q: _Query, out: Path, key: str, run_sql: _Run) -> int:
    """The review queue of a Parquet input, as Parquet: the input's columns with
    their own types and the struct ``key``, in input order, straight from the
    input in one pass (the filter is a lookup, which keeps the order)."""
    source = q.source
    struct = _review_fields(q, None, "file_row_number + 1")
    select = (
        f"SELECT {columns_sql(source, source.names)}, {struct} AS {ident(key)} "
        f"FROM {q.rows()} AND {q.review_cond()}"
    )
    return _copy(run_sql, select, out, "FORMAT parquet", "review")


def _write_review(
    con: duckdb.DuckDBPyConnection, q: _Query, rows: str, out: Path, key: str, run_sql: _Run
) -> int:
    """The review queue, in input order, from the stored review rows (and the
    records DuckDB rejected, at their places)."""
    fmt, source = q.job.format, q.source
    col = q.stored_label
    old, cands, reason = q.value(col), q.candidates(col), q.reason(col)
    relation = numbered(source, rows)
    rejects = bool(source.rejected)
    if fmt == "jsonl":
        meta = (
            f"json_object('row', taxops_pos, 'reason', {reason}, "
            f"'old_label', {old}, 'candidates', {cands})"
        )
        k = sql_literal(key)
        select = (
            f"SELECT CASE WHEN NOT {q.valid(col)} THEN json_object({k}, json_object("
            "'row', taxops_pos, 'reason', 'malformed', 'raw', line)) "
            f"ELSE json_merge_patch(line, json_object({k}, {meta})) END AS line, taxops_pos "
            f"FROM {relation}"
        )
        if rejects:
            select += (
                f" UNION ALL SELECT json_object({k}, json_object('row', pos, 'reason', "
                "'malformed', 'raw', raw)), pos FROM taxops_rejects"
            )
        return _copy(run_sql, _in_order(select, rejects), out, _LINES, "review")
    positional = [ident(f"c{i}") for i in range(len(source.names))]
    if fmt == "parquet":
        struct = _review_fields(q, col, "taxops_pos")
        columns = ", ".join(
            f"{c} AS {ident(n)}" for c, n in zip(positional, source.names, strict=True)
        )
        select = f"SELECT {columns}, {struct} AS {ident(key)} FROM {relation}"
        return _copy(run_sql, select, out, "FORMAT json", "review")
    old_text = f"array_to_string({old}, {sql_literal(q.job.list_separator)})" if q.multi else old
    sep = sql_literal(CANDIDATE_SEPARATOR)
    n = len(positional)
    added = [
        "taxops_pos",
        reason,
        old_text,
        f"array_to_string({cands}, {sep})",
        "NULL::VARCHAR",
    ]  # one per REVIEW_FIELDS
    select = (
        "SELECT "
        + ", ".join(f"{c} AS a{i}" for i, c in enumerate([*positional, *added]))
        + f", taxops_pos FROM {relation}"
    )
    if rejects:
        nulls = "NULL::VARCHAR, " * n
        select += (
            f" UNION ALL SELECT {nulls}pos, 'malformed', NULL, NULL, raw, pos FROM taxops_rejects"
        )
    names = [*source.names, *(f"{key}_{f}" for f in REVIEW_FIELDS)]
    assert source.dialect is not None
    return _copy_csv(
        run_sql,
        _spreadsheet_safe(con, _in_order(select, rejects), len(names)),
        out,
        [escaping.csv_cell(n) for n in names],
        source.dialect.delimiter,
        '"',  # the queue's raw text may hold delimiters and newlines: always quotable
        source.dialect.bom,
        "review",
    )


def _in_order(select: str, rejects: bool) -> str:
    """Rows come out in input order by themselves; mixed with rejects they are
    sorted by position (the positions are then the last thing dropped)."""
    if not rejects:
        return f"SELECT * EXCLUDE (taxops_pos) FROM ({select})"
    return f"SELECT * EXCLUDE (taxops_pos) FROM ({select}) ORDER BY taxops_pos"


def _spreadsheet_safe(con: duckdb.DuckDBPyConnection, select: str, width: int) -> str:
    """The review queue's cells as a reviewer's spreadsheet must get them: a
    cell that would be read as a formula gets a leading apostrophe, as
    :func:`taxops.escaping.csv_cell` does (the same starting characters,
    ``escaping.PROTECTED_START``). The migrated dataset is untouched."""
    starts = ", ".join(sql_literal(s) for s in escaping.PROTECTED_START)
    text = "CAST(x AS VARCHAR)"
    con.execute(
        f"CREATE OR REPLACE TEMP MACRO taxops_csv_cell(x) AS CASE WHEN left({text}, 1) "
        f"IN ({starts}) THEN {sql_literal(chr(39))} || {text} ELSE {text} END"
    )
    cells = ", ".join(f"taxops_csv_cell(a{i}) AS a{i}" for i in range(width))
    return f"SELECT {cells} FROM ({select})"


def _malformed_examples(
    con: duckdb.DuckDBPyConnection, q: _Query, rows: str
) -> list[dict[str, Any]]:
    """The first malformed records, with their row and what is wrong, for the report."""
    found: list[dict[str, Any]] = [
        {"row": int(pos), "error": str(error)}
        for pos, error in con.execute(
            "SELECT pos, error FROM taxops_rejects ORDER BY pos LIMIT 100"
        ).fetchall()
    ]
    if q.job.format == "jsonl":
        relation = numbered(q.source, rows)
        found += [
            {"row": int(pos), "error": "not a JSON object with a text label value"}
            for (pos,) in con.execute(
                f"SELECT taxops_pos FROM {relation} WHERE NOT {q.valid(q.stored_label)} "
                "ORDER BY taxops_pos LIMIT 100"
            ).fetchall()
        ]
    return sorted(found, key=lambda m: int(m["row"]))[:100]


def _renamed(select: str, aliases: list[str], names: list[str]) -> str:
    columns = ", ".join(f"{ident(a)} AS {ident(n)}" for a, n in zip(aliases, names, strict=True))
    return f"SELECT {columns} FROM ({select})"


def _keeps_names(names: list[str]) -> bool:
    """Whether DuckDB writes these column names unchanged: it renames empty names
    and names repeated up to case (``a``, ``A`` -> ``a``, ``A_1``)."""
    return all(names) and len({n.casefold() for n in names}) == len(names)


def _copy_csv(
    run_sql: _Run,
    select: str,
    out: Path,
    names: list[str],
    delimiter: str,
    quote: str,
    bom: bool,
    phase: str,
) -> int:
    """``select`` (columns ``a0``...) as CSV in the input's dialect, under the
    header ``names`` exactly. DuckDB writes the header itself when it would keep
    the names; otherwise (or to keep a byte order mark) Python writes it and
    the body DuckDB wrote is appended."""
    options = (
        f"FORMAT csv, DELIMITER {sql_literal(delimiter)}, QUOTE {sql_literal(quote)}, "
        f"ESCAPE {sql_literal(quote)}"
    )
    aliases = [f"a{i}" for i in range(len(names))]
    if not bom and _keeps_names(names):
        return _copy(
            run_sql, _renamed(select, aliases, names), out, options + ", HEADER true", phase
        )
    body = out.with_name(out.name + ".body")
    try:
        written = _copy(run_sql, select, body, options + ", HEADER false", phase)
        with open(out, "w", encoding="utf-8", newline="") as f:
            if bom:
                f.write("\ufeff")
            if quote:
                csv.writer(f, delimiter=delimiter, quotechar=quote, lineterminator="\n").writerow(
                    names
                )
            else:
                f.write(delimiter.join(names) + "\n")
        with open(body, "rb") as src, open(out, "ab") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        return written
    finally:
        body.unlink(missing_ok=True)


def _copy(run_sql: _Run, sql: str, out: Path, options: str, phase: str) -> int:
    result = run_sql(f"COPY ({sql}) TO {write_path(out)} ({options})", phase)
    return int(result[0][0])


def _json_key(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
