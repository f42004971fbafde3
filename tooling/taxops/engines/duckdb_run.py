"""Running one DuckDB statement over a dataset: the memory limit every engine
starts from, and progress reported from another thread while it runs. Shared by
the migration and redaction engines, and kept apart from both so that a command
that only redacts does not import the migration package."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from taxops.diagnostics import TaxopsError

if TYPE_CHECKING:
    import duckdb

#: DuckDB's memory limit unless --memory-limit says otherwise; it spills beyond it.
DEFAULT_MEMORY_LIMIT = "512MB"

#: Called with the phase's name and DuckDB's percentage done.
Progress = Callable[[str, float], None]


def first_line(exc: Exception) -> str:
    """DuckDB's message without its context lines."""
    return str(exc).strip().splitlines()[0]


def run_query(
    con: duckdb.DuckDBPyConnection, sql: str, phase: str, progress: Progress | None
) -> list[Any]:
    """Run one statement; while it runs, report DuckDB's progress from another thread."""
    import duckdb

    if progress is None:
        try:
            return con.execute(sql).fetchall()
        except duckdb.Error as exc:
            raise TaxopsError(f"DuckDB could not {phase} the dataset: {first_line(exc)}") from None
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.25):
            try:
                pct = con.query_progress()
            except duckdb.Error:
                continue
            if pct >= 0:
                progress(phase, pct)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        return con.execute(sql).fetchall()
    except duckdb.Error as exc:
        raise TaxopsError(f"DuckDB could not {phase} the dataset: {first_line(exc)}") from None
    finally:
        done.set()
        watcher.join()
        progress(phase, 100.0)
