"""What one migration is asked to do, as plain data (no engine imported: the
CLI builds it before DuckDB is loaded)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

#: DuckDB's memory limit unless --memory-limit says otherwise; it spills beyond it.
DEFAULT_MEMORY_LIMIT = "512MB"
#: The longest line (a CSV record, a JSON line) read unless --max-line-size says
#: otherwise: 8 times DuckDB's own default. A longer record goes to review.
DEFAULT_MAX_LINE_SIZE = 16 * 1024 * 1024


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
    #: CSV/TSV: the delimiter (default: sniffed) and encoding (default: UTF-8).
    delimiter: str | None = None
    encoding: str | None = None
    max_line_size: int = DEFAULT_MAX_LINE_SIZE
