"""How many records a dataset file holds, counted without DuckDB.

The engine's proof that no row vanished (rows in = migrated + review) is only
as good as its count of rows in. A reader that skips what it cannot parse
(DuckDB drops a JSON line over its line-size limit, or one holding a raw
U+001F, unless asked to keep it) would count only what it kept. So rows in come
from here: JSON lines by their newlines, CSV and TSV by Python's own CSV reader
in the same dialect. DuckDB must then account for every record: read, or
rejected into the review queue.
"""

from __future__ import annotations

import re
import threading
from array import array
from dataclasses import dataclass, field
from pathlib import Path

from taxops.engines.dataset_input import CsvDialect

_BLOCK = 1 << 20
#: A blank line inside a block: a newline, only spaces/tabs/CRs, then a newline
#: (looked ahead, so runs of blank lines are each counted).
_INNER_BLANK = re.compile(rb"\n[ \t\r]*(?=\n)")
_WHITESPACE = b" \t\r"


class Cancelled(Exception):
    """The count was stopped (the run was interrupted)."""


@dataclass
class RecordCount:
    #: Records in the file, blank lines included (they are accounted for too).
    records: int = 0
    #: Blank records: JSON lines holding only whitespace; CSV rows that are
    #: empty lines (records of their own only in a one-column CSV).
    blank: int = 0
    #: CSV: the positions of blank lines among the reader's rows (the header is
    #: 1), which DuckDB skips but counts when it numbers rejected lines.
    blank_rows: array[int] = field(default_factory=lambda: array("q"))


def count_lines(path: Path, stop: threading.Event | None = None) -> RecordCount:
    """Lines of a JSON-lines file (a last line without a newline counts) and how
    many are blank. Reads in blocks: a line of any length costs no memory."""
    count = RecordCount()
    partial = False  # a line has started and not ended
    partial_blank = True  # ... and holds only whitespace so far
    with open(path, "rb") as f:
        while block := f.read(_BLOCK):
            if stop is not None and stop.is_set():
                raise Cancelled
            first = block.find(b"\n")
            if first < 0:
                partial = True
                partial_blank = partial_blank and not block.translate(None, _WHITESPACE)
                continue
            # The line that ends at the first newline began in an earlier block.
            head_blank = not block[:first].translate(None, _WHITESPACE)
            count.records += 1
            count.blank += partial_blank and head_blank
            last = block.rfind(b"\n")
            count.records += block.count(b"\n", first + 1, last + 1)
            count.blank += len(_INNER_BLANK.findall(block, first, last + 1))
            tail = block[last + 1 :]
            partial = bool(tail)
            partial_blank = not tail.translate(None, _WHITESPACE)
    if partial:
        count.records += 1
        count.blank += partial_blank
    return count


def count_csv(path: Path, dialect: CsvDialect, stop: threading.Event | None = None) -> RecordCount:
    """Records of a CSV/TSV file after its header, by Python's CSV reader in the
    same dialect. An empty line is no record in a file of several columns (DuckDB
    skips it) and an empty value in a file of one (DuckDB reads a null)."""
    count = RecordCount()
    one_column = len(dialect.names) == 1
    with dialect.open_text(path) as f:
        rows = dialect.python_reader(f)
        next(rows, None)  # the header
        for position, row in enumerate(rows, start=2):
            if not row:
                count.blank += 1
                if not one_column:
                    count.blank_rows.append(position)
                    continue
            count.records += 1
            if stop is not None and not position & 0xFFFF and stop.is_set():
                raise Cancelled
    return count


def line_ending_problem(path: Path) -> tuple[int, str] | None:
    """The first line DuckDB's line reader cannot split as Python does: a
    carriage return inside a line, or a file that switches between LF and CRLF
    endings. (1-based line, what is wrong), or None. Runs only after DuckDB
    refused the file, to say where."""
    crlf: bool | None = None
    with open(path, "rb") as f:
        for number, raw in enumerate(f, start=1):
            ends = raw.endswith(b"\r\n")
            body = raw[:-2] if ends else raw.rstrip(b"\n")
            if b"\r" in body:
                return number, "a carriage return (\\r) inside the line"
            if raw.endswith(b"\n"):
                if crlf is None:
                    crlf = ends
                elif ends != crlf:
                    return number, "a different line ending (LF and CRLF mixed)"
    return None
