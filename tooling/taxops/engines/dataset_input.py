"""What a dataset file holds before anything is migrated: the CSV dialect
(delimiter, quoting, encoding, BOM), the column names exactly as written, and
the label column when none is named.

A CSV's dialect is sniffed by DuckDB (``sniff_csv``: the semicolon-delimited,
BOM-prefixed export of a European spreadsheet works as it is) unless
``--delimiter``/``--encoding`` say otherwise; the header is then read by
Python's own CSV reader, so names come out exactly as they went in (empty,
repeated or differing only in case: DuckDB would rename those). Every later
read of the file uses this one dialect, with nothing left to auto-detection.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from taxops.diagnostics import TaxopsError
from taxops.engines.paths import parquet_query, read_path, sql_literal

#: Encodings DuckDB reads without extensions (and Python's names for them).
ENCODINGS = {"utf-8": "utf-8-sig", "utf-16": "utf-16", "latin-1": "latin-1"}
#: The column taken as the label column when nothing else names one.
DEFAULT_LABEL_COLUMN = "label"
_DEFAULT_DELIMITER = {"csv": ",", "tsv": "\t"}


@dataclass(frozen=True)
class CsvDialect:
    delimiter: str
    #: The quote character, or "" when fields are never quoted.
    quote: str
    #: The escape character inside quotes ("" = none; the quote doubled when equal).
    escape: str
    #: DuckDB's name of the encoding (a key of ENCODINGS).
    encoding: str
    #: Whether the file starts with a byte order mark (kept on the outputs).
    bom: bool
    #: The header, exactly as written (BOM removed).
    names: tuple[str, ...]
    #: How the dialect was found, for the report: "sniffed" or "given".
    found: str = "sniffed"

    def duckdb_options(self) -> str:
        """read_csv options that leave nothing to DuckDB's auto-detection."""
        escape = self.escape or self.quote
        return (
            f"auto_detect = false, header = true, delim = {sql_literal(self.delimiter)}, "
            f"quote = {sql_literal(self.quote)}, escape = {sql_literal(escape)}, "
            f"encoding = {sql_literal(self.encoding)}"
        )

    def python_reader(self, lines: Any) -> Iterator[list[str]]:
        """Python's csv.reader for this dialect over text ``lines``."""
        csv.field_size_limit(sys.maxsize)  # the line-size limit is DuckDB's to apply
        if not self.quote:
            return csv.reader(lines, delimiter=self.delimiter, quoting=csv.QUOTE_NONE)
        doubled = not self.escape or self.escape == self.quote
        return csv.reader(
            lines,
            delimiter=self.delimiter,
            quotechar=self.quote,
            doublequote=doubled,
            escapechar=None if doubled else self.escape,
        )

    def open_text(self, path: Path) -> Any:
        """The file as text for :meth:`python_reader`: the BOM skipped, bytes
        that do not decode kept as surrogates (a count must not stop at them)."""
        return open(path, encoding=ENCODINGS[self.encoding], errors="surrogateescape", newline="")


def csv_relation(path: Path, dialect: CsvDialect) -> str:
    """A CSV or TSV file as a DuckDB relation of text columns named as its
    header has them, read in ``dialect`` with nothing left to auto-detection."""
    from taxops.escaping import sql_identifier

    spec = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(dialect.names)))
    named = ", ".join(
        f"{sql_identifier(f'c{i}')} AS {sql_identifier(n)}" for i, n in enumerate(dialect.names)
    )
    return (
        f"(SELECT {named} FROM read_csv({read_path(path)}, {dialect.duckdb_options()}, "
        f"columns = {{{spec}}}))"
    )


def resolve_dialect(
    path: Path,
    fmt: str,
    delimiter: str | None = None,
    encoding: str | None = None,
    max_line_size: int | None = None,
    label_column: str | None = None,
) -> CsvDialect:
    """The dialect every read of ``path`` uses. Given options win; otherwise
    DuckDB sniffs a sample. If the sniffed dialect does not show ``label_column``
    in the header but the format's default (``,`` for CSV, tab for TSV) does,
    the default wins: a sniffer can be fooled by a sample, the header cannot."""
    enc = encoding or "utf-8"
    if delimiter:
        # A .tsv file is read without quoting (fields never hold tabs or line
        # breaks there), a .csv file with RFC 4180 quotes.
        quote = '"' if fmt == "csv" else ""
        return _with_header(path, CsvDialect(delimiter, quote, quote, enc, False, (), "given"))
    default = CsvDialect(_DEFAULT_DELIMITER[fmt], '"' if fmt == "csv" else "", "", enc, False, ())
    sniffed = _sniff(path, fmt, enc, max_line_size)
    candidates = [d for d in (sniffed, default) if d is not None]
    read = [_with_header(path, d) for d in candidates]
    if label_column:
        for dialect in read:
            if label_column in dialect.names:
                return dialect
    return read[0]


def _sniff(path: Path, fmt: str, encoding: str, max_line_size: int | None) -> CsvDialect | None:
    import duckdb

    options = [f"encoding = {sql_literal(encoding)}", "ignore_errors = true"]
    if fmt == "tsv":
        options.append("delim = '\t'")  # a .tsv file is tab-separated: only quoting is sniffed
    if max_line_size:
        options.append(f"max_line_size = {int(max_line_size)}")
    try:
        row = (
            duckdb.connect()
            .execute(
                f"SELECT Delimiter, Quote, Escape FROM sniff_csv({read_path(path)}, "
                f"{', '.join(options)})"
            )
            .fetchone()
        )
    except duckdb.InterruptException:
        raise KeyboardInterrupt from None
    except duckdb.Error:
        return None  # an odd sample: the format's default dialect is used
    if row is None:
        return None
    delim, quote, escape = (None if v == "(empty)" else v for v in row)
    if not delim or len(delim) != 1:
        return None
    if not quote and fmt == "csv":
        quote = '"'  # RFC 4180: a sample without quotes says nothing against them
    return CsvDialect(delim, quote or "", escape or "", encoding, False, ())


def _with_header(path: Path, dialect: CsvDialect) -> CsvDialect:
    """The dialect with the file's header read by Python's CSV reader."""
    try:
        with open(path, "rb") as raw:
            bom = raw.read(3) == b"\xef\xbb\xbf"
        with dialect.open_text(path) as f:
            header = next(iter(dialect.python_reader(f)), None)
    except (OSError, UnicodeError, csv.Error) as exc:
        raise TaxopsError(f"cannot read the header of {path}: {exc}") from None
    if not header:
        raise TaxopsError(
            f"{path} has no header line",
            "the first line must name the columns (e.g. id,text,label)",
        )
    names = tuple(n.encode("utf-8", "surrogateescape").decode("utf-8", "replace") for n in header)
    return CsvDialect(
        dialect.delimiter,
        dialect.quote,
        dialect.escape,
        dialect.encoding,
        bom and dialect.encoding == "utf-8",
        names,
        dialect.found,
    )


def parquet_columns(path: Path) -> list[str]:
    """The column names of a Parquet file, as its schema has them."""
    return [r[0] for r in parquet_query(path, "DESCRIBE SELECT * FROM read_parquet({path})")]


def first_object_keys(path: Path) -> list[str]:
    """The keys of the first non-blank line of a JSON-lines file, if it is an object."""
    try:
        with open(path, "rb") as f:
            for line in f:
                if line.strip():
                    value = json.loads(line)
                    return [str(k) for k in value] if isinstance(value, dict) else []
    except (OSError, ValueError, RecursionError):
        return []
    return []


def columns(path: Path, fmt: str, dialect: CsvDialect | None = None) -> list[str]:
    """The columns (JSON lines: the first object's keys) of a dataset file."""
    if fmt in ("csv", "tsv"):
        return list((dialect or resolve_dialect(path, fmt)).names)
    if fmt == "parquet":
        return parquet_columns(path)
    if fmt == "jsonl":
        return first_object_keys(path)
    return []


def guess_label_column(path: Path, fmt: str, dialect: CsvDialect | None = None) -> str | None:
    """``label`` when the dataset has a column (JSON lines: a key) of that name."""
    if fmt == "label-studio":
        return None
    return DEFAULT_LABEL_COLUMN if DEFAULT_LABEL_COLUMN in columns(path, fmt, dialect) else None
