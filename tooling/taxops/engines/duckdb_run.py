"""Running one DuckDB statement over a dataset: progress reported from another
thread while it runs, DuckDB's errors as messages, Ctrl-C as KeyboardInterrupt.
Shared by the migration and redaction engines and kept apart from both, so that
a command that only redacts does not import the migration package."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from taxops.diagnostics import TaxopsError

if TYPE_CHECKING:
    import duckdb

#: Called with the phase's name and DuckDB's percentage done.
Progress = Callable[[str, float], None]
#: Runs one statement (SQL, phase name) and returns its rows.
Run = Callable[[str, str], list[Any]]


def run_query(
    con: duckdb.DuckDBPyConnection, sql: str, phase: str, progress: Progress | None = None
) -> list[Any]:
    """Run one statement as every pass of a migration or a redaction does."""
    return runner(con, progress)(sql, phase)


def runner(con: duckdb.DuckDBPyConnection, progress: Progress | None) -> Run:
    """Run one statement; while it runs, report DuckDB's progress from another
    thread. Ctrl-C (DuckDB's 'Query interrupted') becomes KeyboardInterrupt."""
    import duckdb

    def run_sql(sql: str, phase: str) -> list[Any]:
        done = threading.Event()
        watcher = None
        if progress is not None:

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
        except duckdb.InterruptException:
            raise KeyboardInterrupt from None
        except duckdb.Error as exc:
            raise TaxopsError(f"DuckDB could not {phase} the dataset: {first_line(exc)}") from None
        except RuntimeError as exc:
            if "interrupt" in str(exc).lower():
                raise KeyboardInterrupt from None
            raise
        finally:
            done.set()
            if watcher is not None and progress is not None:
                watcher.join()
                progress(phase, 100.0)

    return run_sql


def first_line(exc: Exception) -> str:
    """DuckDB's message without its context lines."""
    return str(exc).strip().splitlines()[0]
