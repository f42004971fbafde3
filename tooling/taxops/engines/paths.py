"""How a user's file path reaches DuckDB: as that one file, never a pattern.

DuckDB's readers expand globs (``*``, ``?``, ``[...]``, ``**``) in every path
they are given, and expand a leading ``~`` to the home folder: ``in/a[1].csv``
would read ``in/a1.csv``, and ``in/data*.csv`` would merge every matching file
under one provenance record. Every path taxops hands a DuckDB reader goes
through :func:`read_path` (absolute, each glob character in a one-character
class, so it matches only itself); paths DuckDB writes to go through
:func:`write_path` (absolute; writers do not expand globs). Both return SQL
string literals.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from taxops import escaping
from taxops.diagnostics import TaxopsError

_GLOB = frozenset("*?[")


def sql_literal(text: str) -> str:
    """A DuckDB string literal (:func:`taxops.escaping.sql_literal`)."""
    return escaping.sql_literal(text, "duckdb")


def read_path(path: Path) -> str:
    """The SQL literal that makes a DuckDB reader open exactly ``path``."""
    absolute = str(path.absolute())
    return sql_literal("".join(f"[{c}]" if c in _GLOB else c for c in absolute))


def write_path(path: Path) -> str:
    """The SQL literal of a file DuckDB writes (``COPY ... TO``)."""
    return sql_literal(str(path.absolute()))


def parquet_query(path: Path, sql: str) -> list[Any]:
    """Run ``sql`` (``{path}`` stands for :func:`read_path` of ``path``) on a
    Parquet file's schema or metadata; a file DuckDB cannot read as Parquet is a
    message, Ctrl-C an interruption."""
    import duckdb

    try:
        return duckdb.connect().execute(sql.format(path=read_path(path))).fetchall()
    except duckdb.InterruptException:
        raise KeyboardInterrupt from None
    except duckdb.Error as exc:
        raise TaxopsError(
            f"cannot read {path} as Parquet: {str(exc).strip().splitlines()[0]}",
            "check the file is a complete Parquet file, or pass --format",
        ) from None
