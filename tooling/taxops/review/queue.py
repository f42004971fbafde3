"""Reading a review queue as ``taxops migrate`` writes it: every queued row with
its original row number, why it is queued, its old label(s) and the candidate
labels (none: any label of the new version). A queue is in its dataset's format:
CSV, TSV, JSON lines, Label Studio tasks or Parquet (told by its first bytes, so
a Parquet queue under any name is read as one)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from taxops.diagnostics import TaxopsError
from taxops.escaping import csv_cell_value, short
from taxops.textfiles import as_dict, as_list, csv_rows, parse_json, read_text

#: Columns a CSV/TSV queue adds to the dataset's own.
CSV_COLUMNS = (
    "_taxops_row",
    "_taxops_reason",
    "_taxops_old_label",
    "_taxops_candidates",
    "_taxops_raw",
)
CANDIDATE_SEPARATOR = "|"


@dataclass
class QueuedRow:
    #: 1-based position of the row in the dataset before migration (None: a
    #: malformed line, which cannot be placed and is fixed by hand).
    row: int | None
    reason: str
    old_labels: list[str]
    candidates: list[str]
    #: The row's own fields (columns, JSON keys, or a Label Studio task's data).
    fields: dict[str, Any] = field(default_factory=dict)
    #: A Label Studio task as the export held it (annotations and all), which a
    #: decision relabels; None for other formats.
    task: dict[str, Any] | None = None


@dataclass
class Queue:
    path: Path
    #: csv, tsv, jsonl or label-studio.
    format: str
    rows: list[QueuedRow]
    #: CSV/TSV and Parquet: the dataset's columns, in order; CSV/TSV: the delimiter.
    columns: list[str] = field(default_factory=list)
    delimiter: str = ","
    #: What migrate named the fields it added (``_taxops``, or ``_taxops2``...
    #: when the dataset had those): the prefix of CSV columns, the JSON object's
    #: key, the Parquet struct's column.
    key: str = "_taxops"

    def by_row(self) -> dict[int, QueuedRow]:
        return {r.row: r for r in self.rows if r.row is not None}


def read_queue(path: Path) -> Queue:
    if not path.is_file():
        raise TaxopsError(f"no such review queue: {path}")
    if is_parquet(path):
        return _parquet(path)
    text = read_text(path, "utf-8-sig")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv"):
        return _delimited(path, text, "\t" if suffix == ".tsv" else ",")
    if suffix == ".json":
        return _label_studio(path, text)
    return _json_lines(path, text)


def _delimited(path: Path, text: str, delimiter: str) -> Queue:
    # The queue keeps the dataset's delimiter (a semicolon export stays one).
    first = text.split("\n", 1)[0]
    delimiter = next(
        (d for d in (delimiter, ";", "\t", "|", ",") if _queue_key(first.split(d))), delimiter
    )
    table = list(csv_rows(text, path, delimiter))
    header = table[0] if table else []
    key = _queue_key(header)
    if key is None:
        raise TaxopsError(
            f"{path} is not a review queue written by taxops migrate (no _taxops_row column)"
        )
    added = [f"{key}{c[len('_taxops') :]}" for c in CSV_COLUMNS]
    rows = []
    for n, cells in enumerate(table[1:], start=1):
        if not cells:
            continue  # a blank line, as csv.DictReader skips it
        record = dict(zip(header, cells, strict=False))
        number = (record.get(added[0]) or "").strip()
        reason = record.get(added[1]) or ""
        rows.append(
            QueuedRow(
                # A malformed record has its number, but no fields to put back.
                row=_row_number(number, f"{path}, queued row {n}")
                if number and reason != "malformed"
                else None,
                reason=reason,
                old_labels=[csv_cell_value(record.get(added[2]) or "")],
                candidates=_split(record.get(added[3])),
                # The queue's cells were made safe for spreadsheets; the dataset
                # gets the values back as they were.
                fields={
                    csv_cell_value(k): csv_cell_value(v or "")
                    for k, v in record.items()
                    if k not in added
                },
            )
        )
    columns = [csv_cell_value(c) for c in header if c not in added]
    return Queue(path, "tsv" if delimiter == "\t" else "csv", rows, columns, delimiter, key)


def _queue_key(names: list[str]) -> str | None:
    """What migrate named the fields it added: ``_taxops``, or ``_taxops2``,
    ``_taxops3``... when the dataset already had such fields (the latest wins)."""
    found = [m.group(1) for n in names if (m := _KEY.fullmatch(n.strip()))]
    return max(found, key=lambda k: int(k[len("_taxops") :] or 1), default=None)


_KEY = re.compile(r"(_taxops\d*)_row")
_JSON_KEY = re.compile(r"_taxops\d*")


def _json_lines(path: Path, text: str) -> Queue:
    rows, keys_used = [], set()
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = parse_json(line, f"{path}:{n}")
        except TaxopsError:
            raise TaxopsError(f"{path}:{n}: not a JSON line of a review queue") from None
        keys = [k for k in record if _JSON_KEY.fullmatch(k)] if isinstance(record, dict) else []
        key = max(keys, key=lambda k: int(k[len("_taxops") :] or 1), default="_taxops")
        meta = record.pop(key, None) if isinstance(record, dict) else None
        keys_used.add(key)
        if not isinstance(meta, dict):
            raise TaxopsError(
                f"{path}:{n}: no _taxops object: not a review queue written by taxops"
            )
        old = meta.get("old_label")
        rows.append(
            QueuedRow(
                row=_row_number(meta.get("row"), f"{path}:{n}")
                if meta.get("reason") != "malformed"
                else None,
                reason=str(meta.get("reason") or ""),
                old_labels=[str(o) for o in old] if isinstance(old, list) else [str(old)],
                candidates=[str(c) for c in as_list(meta.get("candidates"))],
                fields=record,
            )
        )
    key = max(keys_used, key=lambda k: int(k[len("_taxops") :] or 1), default="_taxops")
    return Queue(path, "jsonl", rows, key=key)


def is_parquet(path: Path) -> bool:
    """Whether ``path`` holds Parquet (its magic bytes, whatever its name)."""
    try:
        with open(path, "rb") as f:
            return f.read(4) == b"PAR1"
    except OSError:
        return False


def _parquet(path: Path) -> Queue:
    """A Parquet queue: the dataset's columns with their own types and a
    ``_taxops`` struct (row, reason, old_label, candidates). Each row's fields
    are read as JSON values, as a JSON-lines queue holds them."""
    from taxops.engines.paths import parquet_query
    from taxops.escaping import sql_identifier

    described = parquet_query(path, "DESCRIBE SELECT * FROM read_parquet({path})")
    names = [str(name) for name, kind, *_ in described]
    structs = [
        n for n, kind, *_ in described if _JSON_KEY.fullmatch(n) and kind.startswith("STRUCT")
    ]
    key = max(structs, key=lambda k: int(k[len("_taxops") :] or 1), default=None)
    if key is None:
        raise TaxopsError(
            f"{path} is not a review queue written by taxops migrate (no _taxops column)"
        )
    columns = [n for n in names if n != key]
    cells = ", ".join(f"to_json({sql_identifier(c, 'duckdb')})::VARCHAR" for c in [key, *columns])
    cells = cells.replace("{", "{{").replace("}", "}}")  # the query is a format string
    rows = []
    for n, (meta_text, *values) in enumerate(
        parquet_query(path, f"SELECT {cells} FROM read_parquet({{path}})"), start=1
    ):
        meta = as_dict(parse_json(meta_text or "null", f"{path}, queued row {n}"))
        old = meta.get("old_label")
        rows.append(
            QueuedRow(
                row=_row_number(meta.get("row"), f"{path}, queued row {n}"),
                reason=str(meta.get("reason") or ""),
                old_labels=[str(o) for o in old] if isinstance(old, list) else [str(old)],
                candidates=[str(c) for c in as_list(meta.get("candidates"))],
                fields={
                    c: None if v is None else parse_json(v, f"{path}, queued row {n}")
                    for c, v in zip(columns, values, strict=True)
                },
            )
        )
    return Queue(path, "parquet", rows, columns, key=key)


def _label_studio(path: Path, text: str) -> Queue:
    tasks = parse_json(text, path)
    if not isinstance(tasks, list):
        raise TaxopsError(f"{path} is not a list of Label Studio tasks")
    rows = []
    for n, task in enumerate(tasks, start=1):
        meta = as_dict(as_dict(as_dict(task).get("meta")).get("taxops"))
        rows.append(
            QueuedRow(
                row=_row_number(meta.get("row"), f"{path}: task {n}")
                if meta.get("reason") != "malformed"
                else None,
                reason=str(meta.get("reason") or ""),
                old_labels=[str(o) for o in as_list(meta.get("old_labels"))],
                candidates=[str(c) for c in as_list(meta.get("candidates"))],
                fields=dict(as_dict(as_dict(task).get("data"))),
                task=meta["task"] if isinstance(meta.get("task"), dict) else None,
            )
        )
    return Queue(path, "label-studio", rows)


def _row_number(value: object, where: str) -> int | None:
    """A queued row's number as migrate wrote it (a positive whole number), or
    an error saying where it was changed; None when the row has none."""
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    if isinstance(value, str) and value.strip().isdigit() and int(value) > 0:
        return int(value)
    raise TaxopsError(
        f"{where}: the row number {short(value)} is not one migrate wrote",
        "the queue's _taxops columns say where each row goes back: leave them as they are",
    )


def _split(cell: str | None) -> list[str]:
    return [c for c in (cell or "").split(CANDIDATE_SEPARATOR) if c]
