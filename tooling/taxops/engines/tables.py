"""Tabular exports read with DuckDB for the quality and operations figures: a
connection with taxops' memory settings, the relation for a CSV, TSV, JSON-lines
or Parquet file, and finding the columns a command needs by name.

Delimited files are read as text (``all_varchar``) and cast where a number or a
time is needed, so a column that looks numeric in the first rows and holds text
further down never stops a run; Parquet keeps its types. Times are compared in
UTC, whatever offset each one was written with.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from taxops.diagnostics import TaxopsError
from taxops.engines.dataset_input import csv_relation, resolve_dialect
from taxops.engines.datasets import detect_format
from taxops.engines.duckdb_source import ident
from taxops.engines.job import DEFAULT_MEMORY_LIMIT
from taxops.engines.paths import read_path
from taxops.engines.paths import sql_literal as literal
from taxops.textfiles import require_file

__all__ = ["Table", "connect", "ident", "literal", "open_table"]


def connect(
    memory_limit: str | None = None, threads: int | None = None
) -> duckdb.DuckDBPyConnection:
    """A connection that spills to disk beyond ``memory_limit`` (peak memory stays
    flat as files grow) and prints no progress bar of its own."""
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.execute("SET TimeZone = 'UTC'")  # times with an offset are compared in UTC
    con.execute(f"SET memory_limit = {literal(memory_limit or DEFAULT_MEMORY_LIMIT)}")
    con.execute(f"SET temp_directory = {literal(tempfile.gettempdir())}")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    return con


@dataclass(frozen=True)
class Table:
    """A readable file: its SQL relation and its columns with their types."""

    path: Path
    format: str
    relation: str
    types: dict[str, str]

    @property
    def columns(self) -> list[str]:
        return list(self.types)

    def column(
        self, given: str | None, aliases: Sequence[str], what: str, option: str
    ) -> str | None:
        """The column the user named, or the first alias present (exact name,
        then ignoring case). A named column that is missing is an error."""
        if given:
            if given not in self.types:
                raise TaxopsError(
                    f"{self.path} has no column '{given}'",
                    f"its columns are: {', '.join(self.columns)}",
                )
            return given
        for alias in aliases:
            if alias in self.types:
                return alias
        lowered = {c.lower(): c for c in self.types}
        return next((lowered[a.lower()] for a in aliases if a.lower() in lowered), None)

    def require(self, given: str | None, aliases: Sequence[str], what: str, option: str) -> str:
        found = self.column(given, aliases, what, option)
        if found is None:
            raise TaxopsError(
                f"{self.path} has no {what} column (looked for {', '.join(aliases)})",
                f"its columns are: {', '.join(self.columns)}; name it with {option}",
            )
        return found

    def is_list(self, column: str) -> bool:
        return self.types[column].endswith("[]")

    def text(self, column: str) -> str:
        """The column as text, empty strings as missing."""
        return f"nullif(CAST({ident(column)} AS VARCHAR), '')"

    def number(self, column: str) -> str:
        return f"TRY_CAST({ident(column)} AS DOUBLE)"

    def time(self, column: str) -> str:
        """The column as a UTC time: ``2025-03-05T09:00:00+01:00`` and
        ``2025-03-05T08:00:00Z`` are the same moment (tools write their zone, and
        a vendor's offset differs from the client's); a time without a zone is
        taken as written (the connection's zone is UTC)."""
        return f"timezone('UTC', TRY_CAST({ident(column)} AS TIMESTAMPTZ))"


def open_table(con: duckdb.DuckDBPyConnection, path: Path, fmt: str | None = None) -> Table:
    """The relation for a CSV, TSV, JSON-lines or Parquet file, checked readable."""
    require_file(path)
    fmt = detect_format(path, fmt)
    p = read_path(path)  # a path is that file, never a glob pattern
    relations = {
        "jsonl": f"read_json({p}, format = 'newline_delimited')",
        "parquet": f"read_parquet({p})",
    }
    if fmt in ("csv", "tsv"):
        # In its own dialect: a spreadsheet's ';' export is not one column.
        relations[fmt] = csv_relation(path, resolve_dialect(path, fmt))
    if fmt not in relations:
        raise TaxopsError(f"{path}: the {fmt} format is not read here")
    try:
        rows = con.execute(f"DESCRIBE SELECT * FROM {relations[fmt]}").fetchall()
    except duckdb.Error as exc:
        first = str(exc).strip().splitlines()[0]
        raise TaxopsError(
            f"cannot read {path} as {fmt}: {first}",
            "check the file is complete, or name its format with --format",
        ) from None
    return Table(path, fmt, relations[fmt], {r[0]: r[1] for r in rows})


def query_error(path: Path, exc: duckdb.Error) -> TaxopsError:
    """A DuckDB failure while reading ``path``, as a message for the user."""
    first = str(exc).strip().splitlines()[0]
    return TaxopsError(f"cannot read {path}: {first}", "check the file's rows and columns")
