"""Putting decided rows back into the migrated dataset, in the original order.

The migrated dataset holds the rows a machine could decide, in input order, with
the queued rows left out; each queued row carries its original position. So the
rows merge like two sorted lists: walking the migrated rows, every queued row
whose position comes next is put back (when decided) or left in the queue. Rows
of the migrated file pass through unchanged; CSV, TSV and JSON lines stream,
Parquet goes through DuckDB with the dataset's own column types.

Counts must add up: migrated + decided = rows written, and decided + still open
= rows queued; a queue that does not fit the dataset (a position past the end,
or out of order) is refused before anything is written.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from taxops.diagnostics import TaxopsError
from taxops.review.queue import CSV_COLUMNS, Queue
from taxops.textfiles import as_dict, as_list, csv_rows, parse_json, read_text


@dataclass(frozen=True)
class Merged:
    migrated: int
    decided: int
    still_open: int

    @property
    def written(self) -> int:
        return self.migrated + self.decided


@dataclass(frozen=True)
class Target:
    """Where the label goes in a decided row."""

    column: str
    multi_label: bool
    list_separator: str = "|"

    def value(self, labels: tuple[str, ...], as_text: bool) -> Any:
        if not self.multi_label:
            return labels[0]
        return self.list_separator.join(labels) if as_text else list(labels)


def merge(
    dataset: Path,
    fmt: str,
    queue: Queue,
    decided: dict[int, tuple[str, ...]],
    target: Target,
    out: Path,
) -> Merged:
    """Write ``dataset`` with the decided rows put back to ``out``."""
    if fmt in ("csv", "tsv"):
        return _merge_delimited(dataset, queue, decided, target, out)
    if fmt == "jsonl":
        return _merge_json_lines(dataset, queue, decided, target, out)
    if fmt == "parquet":
        return _merge_parquet(dataset, queue, decided, target, out)
    if fmt == "label-studio":
        return _merge_label_studio(dataset, queue, decided, target, out)
    raise TaxopsError(f"decisions cannot be merged into a {fmt} dataset")


def _interleave(
    records: Iterator[Any], queue: Queue, decided: dict[int, tuple[str, ...]], build: Any
) -> Iterator[tuple[bool, Any]]:
    """The migrated records, as ``(False, record)``, with decided rows put back at
    their positions, as ``(True, build(queued_row, labels))``."""
    positions = sorted(queue.by_row())
    queued = queue.by_row()
    at, position = 0, 1
    for record in records:
        while at < len(positions) and positions[at] == position:
            if positions[at] in decided:
                yield True, build(queued[positions[at]], decided[positions[at]])
            at, position = at + 1, position + 1
        if at < len(positions) and positions[at] < position:
            raise TaxopsError(
                f"the review queue {queue.path.name} does not fit this dataset: row "
                f"{positions[at]} is listed twice or out of order",
                "merge the decisions into the dataset the queue was written with",
            )
        position += 1
        yield False, record
    while at < len(positions):
        if positions[at] != position:
            raise TaxopsError(
                f"the review queue {queue.path.name} does not fit this dataset: it holds row "
                f"{positions[at]}, but the dataset and the queue have {position - 1} rows before it",
                "merge the decisions into the dataset the queue was written with",
            )
        if positions[at] in decided:
            yield True, build(queued[positions[at]], decided[positions[at]])
        at, position = at + 1, position + 1


def _merge_delimited(
    dataset: Path, queue: Queue, decided: dict[int, tuple[str, ...]], target: Target, out: Path
) -> Merged:
    delimiter = "\t" if dataset.suffix.lower() == ".tsv" else queue.delimiter
    counts = {"migrated": 0}
    with (
        open(dataset, newline="", encoding="utf-8-sig") as src,
        open(out, "w", newline="", encoding="utf-8") as dst,
    ):
        reader = csv_rows(src, dataset, delimiter)
        writer = csv.writer(dst, delimiter=delimiter, lineterminator="\n")
        header = next(reader, None)
        if header is None:
            header = queue.columns
        if queue.columns and header != queue.columns:
            raise TaxopsError(
                f"{dataset} has the columns {', '.join(header)}, but its review queue has "
                f"{', '.join(queue.columns)}",
                "merge the decisions into the dataset the queue was written with",
            )
        if target.column not in header:
            raise TaxopsError(f"{dataset} has no column '{target.column}'")
        writer.writerow(header)

        def build(row: Any, labels: tuple[str, ...]) -> list[str]:
            fields = dict(row.fields)
            fields[target.column] = target.value(labels, as_text=True)
            return [fields.get(c, "") for c in header]

        for is_decided, record in _interleave(reader, queue, decided, build):
            writer.writerow(record)
            counts["migrated"] += not is_decided
    return Merged(counts["migrated"], len(decided), _open(queue, decided))


def _merge_json_lines(
    dataset: Path, queue: Queue, decided: dict[int, tuple[str, ...]], target: Target, out: Path
) -> Merged:
    counts = {"migrated": 0}
    with (
        open(dataset, encoding="utf-8") as src,
        open(out, "w", encoding="utf-8") as dst,
    ):
        lines = (line for line in src if line.strip())

        def build(row: Any, labels: tuple[str, ...]) -> str:
            record = {**row.fields, target.column: target.value(labels, as_text=False)}
            return json.dumps(record, ensure_ascii=False) + "\n"

        for is_decided, line in _interleave(lines, queue, decided, build):
            dst.write(line if line.endswith("\n") else line + "\n")
            counts["migrated"] += not is_decided
    return Merged(counts["migrated"], len(decided), _open(queue, decided))


def _merge_label_studio(
    dataset: Path, queue: Queue, decided: dict[int, tuple[str, ...]], target: Target, out: Path
) -> Merged:
    """A Label Studio export: each decided task as the queue kept it, its
    control (``target.column``; empty: the only one) relabeled by the decision."""
    from taxops.engines.labelstudio import decided_task, read_tasks

    control = target.column or None

    def build(row: Any, labels: tuple[str, ...]) -> Any:
        if row.task is None:
            raise TaxopsError(
                f"the review queue {queue.path.name} does not keep its tasks' annotations "
                "(an older taxops wrote it)",
                "migrate the dataset again, review, then apply the decisions",
            )
        return decided_task(row.task, control, list(labels))

    tasks = []
    migrated = 0
    for is_decided, task in _interleave(iter(read_tasks(dataset)), queue, decided, build):
        tasks.append(task)
        migrated += not is_decided
    out.write_text(json.dumps(tasks, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return Merged(migrated, len(decided), _open(queue, decided))


def _merge_parquet(
    dataset: Path, queue: Queue, decided: dict[int, tuple[str, ...]], target: Target, out: Path
) -> Merged:
    """DuckDB: each migrated row's final position is its number plus the queued
    rows before it (an ASOF join on the queue's gaps), then one ordered COPY.
    Decided rows come from a Parquet queue with their own column types (joined
    on their row numbers), or from a text queue's values cast to the dataset's."""
    import duckdb

    from taxops.engines.datasets import read_provenance
    from taxops.engines.paths import read_path, write_path

    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = true")
    src = f"read_parquet({read_path(dataset)}, file_row_number = true)"
    columns = [
        (r[0], r[1])
        for r in con.execute(
            f"DESCRIBE SELECT * FROM read_parquet({read_path(dataset)})"
        ).fetchall()
    ]
    names = [c for c, _ in columns]
    if target.column not in names:
        raise TaxopsError(f"{dataset} has no column '{target.column}'")
    migrated = int(con.execute(f"SELECT count(*) FROM {src}").fetchone()[0])  # type: ignore[index]
    positions = sorted(queue.by_row())
    gaps = [(p - i, i) for i, p in enumerate(positions, start=1)]
    if positions and (
        len(set(positions)) != len(positions) or positions[-1] > migrated + len(positions)
    ):
        raise TaxopsError(
            f"the review queue {queue.path.name} does not fit {dataset}",
            "merge the decisions into the dataset the queue was written with",
        )
    con.execute(
        "CREATE TEMP TABLE gaps AS SELECT unnest(?::BIGINT[]) AS s, unnest(?::BIGINT[]) AS i",
        [[s for s, _ in gaps], [i for _, i in gaps]],
    )
    select = ", ".join(_ident(c) for c in names)
    decided_file = out.with_name(out.name + ".decided.jsonl")
    try:
        if not decided:
            decided_sql = (
                f"SELECT {select}, 0::BIGINT AS _taxops_pos "
                f"FROM read_parquet({read_path(dataset)}) LIMIT 0"
            )
        elif queue.format == "parquet":
            decided_sql = _decided_from_parquet(con, queue, decided, target, columns)
        else:
            decided_sql = _decided_from_text(queue, decided, target, columns, decided_file)
        migrated_sql = (
            f"SELECT {select}, m.k + coalesce(g.i, 0) AS _taxops_pos FROM "
            f"(SELECT *, file_row_number + 1 AS k FROM {src}) m "
            "ASOF LEFT JOIN (SELECT s, max(i) AS i FROM gaps GROUP BY s) g ON m.k > g.s"
        )
        provenance = read_provenance(dataset) or {}
        metadata = ""
        if provenance.get("taxonomy"):
            metadata = (
                f", KV_METADATA {{'taxops.taxonomy': {_lit(provenance['taxonomy'])}, "
                f"'taxops.version': {_lit(str(provenance['version']))}}}"
            )
        con.execute(
            f"COPY (SELECT {select} FROM ({migrated_sql} UNION ALL {decided_sql}) "
            f"ORDER BY _taxops_pos) TO {write_path(out)} (FORMAT parquet{metadata})"
        )
    except duckdb.Error as exc:
        raise TaxopsError(
            f"the review queue {queue.path.name} does not fit {dataset}: "
            f"{str(exc).strip().splitlines()[0]}",
            "merge the decisions into the dataset the queue was written with",
        ) from None
    finally:
        decided_file.unlink(missing_ok=True)
    return Merged(migrated, len(decided), _open(queue, decided))


def _decided_from_parquet(
    con: Any,
    queue: Queue,
    decided: dict[int, tuple[str, ...]],
    target: Target,
    columns: list[tuple[str, str]],
) -> str:
    """The decided rows of a Parquet queue, read from it with their own types:
    the queue's columns, the label column set to the decision."""
    from taxops.engines.paths import read_path

    positions, labels = zip(*sorted(decided.items()), strict=True)
    con.execute(
        "CREATE TEMP TABLE decided AS SELECT unnest(?::BIGINT[]) AS pos, "
        "unnest(?::VARCHAR[][]) AS labels",
        [list(positions), [list(x) for x in labels]],
    )
    chosen = "d.labels" if target.multi_label else "d.labels[1]"
    cells = ", ".join(
        f"CAST({chosen if c == target.column else 'q.' + _ident(c)} AS {t}) AS {_ident(c)}"
        for c, t in columns
    )
    return (
        f"SELECT {cells}, d.pos AS _taxops_pos FROM read_parquet({read_path(queue.path)}) q "
        f"JOIN decided d ON q.{_ident(queue.key)}.row = d.pos"
    )


def _decided_from_text(
    queue: Queue,
    decided: dict[int, tuple[str, ...]],
    target: Target,
    columns: list[tuple[str, str]],
    scratch: Path,
) -> str:
    """The decided rows of a CSV or JSON-lines queue, as JSON lines in
    ``scratch``, read back cast to the dataset's column types."""
    from taxops.engines.paths import read_path

    names = [c for c, _ in columns]
    rows = []
    for position, labels in sorted(decided.items()):
        fields = {**queue.by_row()[position].fields}
        fields[target.column] = target.value(labels, as_text=False)
        rows.append(json.dumps({"_taxops_pos": position, **{k: fields.get(k) for k in names}}))
    scratch.write_text("\n".join(rows) + "\n", encoding="utf-8")
    cast = ", ".join(f"CAST({_ident(c)} AS {t}) AS {_ident(c)}" for c, t in columns)
    json_columns = (
        "{"
        + ", ".join(
            [f"{_lit('_taxops_pos')}: 'BIGINT'"] + [f"{_lit(c)}: {_lit(t)}" for c, t in columns]
        )
        + "}"
    )
    return (
        f"SELECT {cast}, _taxops_pos FROM read_json({read_path(scratch)}, "
        f"format = 'newline_delimited', columns = {json_columns})"
    )


def _open(queue: Queue, decided: dict[int, tuple[str, ...]]) -> int:
    return sum(1 for r in queue.rows if r.row is None or r.row not in decided)


def write_remaining(queue: Queue, decided: dict[int, tuple[str, ...]], out: Path) -> int:
    """The queue without its decided rows, in the queue's own format; the number
    of rows left."""
    if queue.format == "parquet":
        return _remaining_parquet(queue, decided, out)
    text = read_text(queue.path, "utf-8-sig")
    left = 0
    if queue.format in ("csv", "tsv"):
        rows = csv_rows(text, queue.path, queue.delimiter)
        fieldnames = next(rows, None) or [*queue.columns, *CSV_COLUMNS]
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=queue.delimiter, lineterminator="\n")
        writer.writerow(fieldnames)
        for cells in rows:
            if not cells:
                continue
            record = dict(zip(fieldnames, cells, strict=False))
            number = (record.get(f"{queue.key}_row") or "").strip()
            if number.isdigit() and int(number) in decided:
                continue
            writer.writerow([record.get(c) or "" for c in fieldnames])
            left += 1
        out.write_text(buffer.getvalue(), encoding="utf-8")
        return left
    if queue.format == "jsonl":
        kept = []
        for line in text.splitlines():
            if not line.strip():
                continue
            row = as_dict(as_dict(parse_json(line, queue.path)).get(queue.key)).get("row")
            if isinstance(row, int) and row in decided:
                continue
            kept.append(line)
        out.write_text("".join(k + "\n" for k in kept), encoding="utf-8")
        return len(kept)
    tasks = [
        t
        for t in as_list(parse_json(text, queue.path))
        if as_dict(as_dict(as_dict(t).get("meta")).get("taxops")).get("row") not in decided
    ]
    out.write_text(json.dumps(tasks, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return len(tasks)


def _remaining_parquet(queue: Queue, decided: dict[int, tuple[str, ...]], out: Path) -> int:
    """A Parquet queue's rows not decided, in the queue's order and types."""
    import duckdb

    from taxops.engines.paths import read_path, write_path

    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = true")
    con.execute("CREATE TEMP TABLE decided AS SELECT unnest(?::BIGINT[]) AS pos", [list(decided)])
    key = _ident(queue.key)
    # A queue is in row order, each row once: sorting by it keeps the queue's order.
    [(left,)] = con.execute(
        f"COPY (SELECT q.* FROM read_parquet({read_path(queue.path)}) q ANTI JOIN decided d "
        f"ON q.{key}.row = d.pos ORDER BY q.{key}.row) TO {write_path(out)} (FORMAT parquet)"
    ).fetchall()
    return int(left)


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
