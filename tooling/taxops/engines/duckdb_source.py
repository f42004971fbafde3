"""A dataset file as DuckDB reads it for a migration: one columnar relation,
every record of the file accounted for, each with its row number.

* CSV, TSV and JSON lines are parsed once (in the dialect of
  :mod:`taxops.engines.dataset_input`, nothing auto-detected) into a Parquet
  scratch file beside the outputs; Parquet inputs are read in place.
* Records DuckDB cannot read (a ragged CSV row, a bad quote, bytes that are not
  UTF-8, a line over the line-size limit, a raw U+001F in a JSON line) are kept
  by its reject store and go to the review queue as ``malformed``.
* Meanwhile Python counts the records its own way (:mod:`record_count`).
  Records read + records rejected must equal that count, or nothing is written.
* User columns get positional names inside SQL (``c0``, ``c1`` ... for staged
  files), so no column of the user's can collide with a column taxops adds, and
  names DuckDB would rename (empty, repeated) come out exactly as they went in.
* A row's number in the review queue is its position among the file's records
  (JSON lines: its line number). Rejected records leave gaps in DuckDB's row
  order; ``numbered`` closes them with an ASOF join against the rejects, only
  when there are rejects.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from taxops import escaping
from taxops.diagnostics import TaxopsError
from taxops.engines.dataset_input import CsvDialect, parquet_columns, resolve_dialect
from taxops.engines.paths import read_path, sql_literal, write_path
from taxops.engines.record_count import (
    Cancelled,
    RecordCount,
    count_csv,
    count_lines,
    line_ending_problem,
)

#: DuckDB reads a JSON line as one CSV field split at this byte: it is never in
#: valid JSON (control characters must be escaped), so a line holding one raw
#: is rejected as malformed rather than split.
JSONL_DELIM = "\x1f"

Progress = Callable[[str, float], None]
Query = Callable[[str, str], list[Any]]


def ident(name: str) -> str:
    """A DuckDB identifier (:func:`taxops.escaping.sql_identifier`)."""
    return escaping.sql_identifier(name, "duckdb")


@dataclass
class Source:
    """The relation every pass reads, and how its columns map to the user's."""

    path: Path
    format: str
    #: SQL relation of the data (a Parquet file: its virtual ``file_row_number``
    #: numbers rows in file order).
    scan: str
    #: The user's column names, exactly as written (JSON lines: none).
    names: list[str]
    #: SQL expression of each user column inside ``scan``.
    cols: list[str]
    #: SQL expression of the label column inside ``scan`` (JSON lines: ``line``).
    label: str
    dialect: CsvDialect | None = None
    #: The independent count (JSON lines and CSV; Parquet: its footer).
    counted: RecordCount = field(default_factory=RecordCount)
    #: Records DuckDB rejected (kept in the table ``taxops_rejects``).
    rejected: int = 0
    #: JSON lines: the staged file holds what the passes need from each line.
    parsed: bool = False
    max_line_size: int = 0


def columns_sql(source: Source, aliases: list[str] | None = None) -> str:
    """The user's columns, each ``AS`` its alias (positional ``c0``... by default)."""
    names = aliases if aliases is not None else [f"c{i}" for i in range(len(source.cols))]
    return ", ".join(f"{c} AS {ident(a)}" for c, a in zip(source.cols, names, strict=True))


def open_source(
    con: duckdb.DuckDBPyConnection,
    job: Any,
    staged: Path | None,
    run: Query,
    parsed: dict[str, str] | None = None,
) -> Source:
    """The job's input as a :class:`Source`. With ``staged`` (a scratch path),
    text formats are parsed into it and every record is accounted for; without,
    the text is read directly (one pass, e.g. counting labels for ``impact``).
    ``parsed``: JSON lines only, columns computed from each line while staging
    (name -> SQL over ``line``), so later passes need not parse the JSON again."""
    path: Path = job.source
    if job.format == "parquet":
        return _parquet(con, job, staged, run)
    if job.format == "jsonl":
        reader = (
            f"read_csv({read_path(path)}, columns = {{'line': 'VARCHAR'}}, header = false, "
            f"delim = {sql_literal(JSONL_DELIM)}, quote = '', escape = '', auto_detect = false, "
            f"max_line_size = {int(job.max_line_size)}"
        )
        source = Source(path, "jsonl", f"{reader}, store_rejects = true)", [], [], '"line"')
        source.max_line_size = job.max_line_size
        counter: Callable[[threading.Event], RecordCount] = lambda stop: count_lines(path, stop)  # noqa: E731
        if staged is None:  # counting labels only: unreadable lines hold none
            return source
        columns = ", ".join(
            ["line", *(f"{sql} AS {ident(n)}" for n, sql in (parsed or {}).items())]
        )
        source.parsed = bool(parsed)
    else:
        dialect = resolve_dialect(
            path, job.format, job.delimiter, job.encoding, job.max_line_size, job.label_column
        )
        spec = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(dialect.names)))
        reader = (
            f"read_csv({read_path(path)}, {dialect.duckdb_options()}, columns = {{{spec}}}, "
            f"max_line_size = {int(job.max_line_size)}"
        )
        names = list(dialect.names)
        if job.label_column not in names:
            raise TaxopsError(
                f"{path} has no column '{job.label_column}'",
                f"its columns are: {', '.join(names)}; pass the label column with --label-column",
            )
        cols = [ident(f"c{i}") for i in range(len(names))]
        label = cols[names.index(job.label_column)]
        source = Source(
            path, job.format, f"{reader}, store_rejects = true)", names, cols, label, dialect
        )
        source.max_line_size = job.max_line_size
        counter = lambda stop: count_csv(path, dialect, stop)  # noqa: E731
        if staged is None:  # counting labels only: unreadable records hold none
            return source
        columns = "*"
    rows = _stage(con, source, f"{reader}, store_rejects = true)", columns, staged, counter, run)
    source.scan = f"read_parquet({read_path(staged)})"
    _keep_rejects(con, source)
    _reconcile(source, rows)
    return source


def _parquet(con: duckdb.DuckDBPyConnection, job: Any, staged: Path | None, run: Query) -> Source:
    path: Path = job.source
    names = parquet_columns(path)
    if job.label_column not in names:
        raise TaxopsError(
            f"{path} has no column '{job.label_column}'",
            f"its columns are: {', '.join(names)}; pass the label column with --label-column",
        )
    source = Source(
        path,
        "parquet",
        f"read_parquet({read_path(path)})",
        names,
        [ident(n) for n in names],
        ident(job.label_column),
    )
    if staged is not None:
        [(declared,)] = con.execute(
            f"SELECT sum(num_rows) FROM parquet_file_metadata({read_path(path)})"
        ).fetchall()
        source.counted.records = int(declared or 0)
        if any(n.lower() in ("file_row_number", "filename") for n in names):
            # A user column shadows DuckDB's virtual row number: copy the file
            # with positional names first (rare; costs one pass).
            run(
                f"COPY (SELECT {columns_sql(source)} FROM {source.scan}) "
                f"TO {write_path(staged)} (FORMAT parquet)",
                "read",
            )
            source.scan = f"read_parquet({read_path(staged)})"
            source.label = ident(f"c{names.index(job.label_column)}")
            source.cols = [ident(f"c{i}") for i in range(len(names))]
    con.execute("CREATE TABLE taxops_rejects (pos BIGINT, raw VARCHAR, error VARCHAR)")
    return source


def _stage(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    reader: str,
    columns: str,
    staged: Path,
    counter: Callable[[threading.Event], RecordCount],
    run: Query,
) -> int:
    """Parse the text once into ``staged`` while Python counts its records in
    another thread (DuckDB releases the GIL while it works)."""
    stop = threading.Event()
    with ThreadPoolExecutor(max_workers=1) as pool:
        counting: Future[RecordCount] = pool.submit(counter, stop)
        try:
            result = run(
                f"COPY (SELECT {columns} FROM {reader}) TO {write_path(staged)} (FORMAT parquet)",
                "read",
            )
            source.counted = counting.result()
        except TaxopsError as exc:
            stop.set()  # the pool waits for the count on the way out: end it now
            raise _unreadable(source, exc) from None
        except Cancelled:  # pragma: no cover - only after stop is set
            raise KeyboardInterrupt from None
        except (OSError, UnicodeError) as exc:
            raise TaxopsError(f"cannot read {source.path}: {exc}") from None
        except BaseException:
            stop.set()
            raise
    return int(result[0][0])


def _unreadable(source: Source, exc: TaxopsError) -> TaxopsError:
    """DuckDB stopped reading the file: say where, when Python can tell."""
    problem = line_ending_problem(source.path)
    if problem is not None:
        line, what = problem
        return TaxopsError(
            f"cannot read {source.path}: line {line} holds {what}, which the reader "
            "cannot split into lines reliably; nothing was written",
            "save the file with one kind of line ending (LF); inside JSON text, write a "
            "carriage return as \\r",
        )
    return TaxopsError(
        f"cannot read {source.path} as {source.format}: {exc.message}; nothing was written",
        "check the delimiter (--delimiter) and the encoding (--encoding)",
    )


def _keep_rejects(con: duckdb.DuckDBPyConnection, source: Source) -> None:
    """Rejected records, one per record, at their position among the file's
    records (JSON lines: the line number; CSV: the row after the header, blank
    lines of a several-column file not counted)."""
    dialect = source.dialect
    if source.format == "jsonl":
        position = "line"
    elif dialect is not None and len(dialect.names) == 1:
        position = "line - 1"
    else:
        blank = list(source.counted.blank_rows)
        con.execute("CREATE TABLE taxops_blank AS SELECT unnest(?::BIGINT[]) AS b", [blank])
        position = "line - 1 - (SELECT count(*) FROM taxops_blank WHERE b < line)"
    said = _explanations(source)
    explain = " ".join(
        f"WHEN {sql_literal(kind)} THEN {sql_literal(text)}" for kind, text in said.items()
    )
    con.execute(
        "CREATE TABLE taxops_rejects AS SELECT "
        f"{position} AS pos, ltrim(raw, chr(10) || chr(13)) AS raw, error FROM ("
        "SELECT line, first(csv_line ORDER BY byte_position) AS raw, "
        f"first(CASE error_type {explain} ELSE error_type || ': ' || error_message END "
        "ORDER BY byte_position) AS error FROM reject_errors GROUP BY line)"
    )
    [(source.rejected,)] = con.execute("SELECT count(*) FROM taxops_rejects").fetchall()
    # The gaps rejects leave among the rows DuckDB read: for the k-th row read,
    # the rejects before it are the largest `cum` whose `g` is below k.
    con.execute(
        "CREATE TABLE taxops_skips AS SELECT g, max(j) AS cum FROM ("
        "SELECT pos - row_number() OVER (ORDER BY pos) AS g, row_number() OVER (ORDER BY pos) AS j "
        "FROM taxops_rejects) GROUP BY g"
    )


def _explanations(source: Source) -> dict[str, str]:
    """What each kind of record DuckDB rejects means, in the dataset's terms."""
    size = source.max_line_size
    longer = f"longer than the line-size limit ({size:,} bytes; raise it with --max-line-size)"
    if source.format == "jsonl":
        return {
            "TOO MANY COLUMNS": "holds a raw control character U+001F (JSON text must escape it)",
            "LINE SIZE OVER MAXIMUM": f"the line is {longer}",
            "INVALID ENCODING": "not UTF-8 text",
        }
    fields = len(source.names)
    encoding = source.dialect.encoding if source.dialect else "utf-8"
    return {
        "TOO MANY COLUMNS": f"more fields than the header's {fields}",
        "MISSING COLUMNS": f"fewer fields than the header's {fields}",
        "UNQUOTED VALUE": "a quote is not closed, or text follows a closing quote",
        "LINE SIZE OVER MAXIMUM": f"the record is {longer}",
        "INVALID ENCODING": f"not {encoding} text",
    }


def _reconcile(source: Source, read: int) -> None:
    """Every record Python counted was read or rejected by DuckDB."""
    expected = source.counted.records
    if read + source.rejected != expected:
        unit = "lines" if source.format == "jsonl" else "records"
        raise TaxopsError(
            f"cannot account for every row of {source.path}: it holds {expected} {unit}, "
            f"DuckDB read {read} and rejected {source.rejected}; nothing was written",
            "check the delimiter and quote of a CSV (--delimiter); if the file is fine, "
            "this is a bug in taxops: please report it with the file's shape",
        )


def numbered(source: Source, relation: str) -> str:
    """``relation`` (rows with ``taxops_k``, their 1-based order among the rows
    DuckDB read) with ``taxops_pos``, their position among all records."""
    if not source.rejected:
        return f"(SELECT *, taxops_k AS taxops_pos FROM {relation})"
    return (
        f"(SELECT r.*, r.taxops_k + coalesce(s.cum, 0) AS taxops_pos FROM {relation} r "
        "ASOF LEFT JOIN taxops_skips s ON r.taxops_k > s.g)"
    )
