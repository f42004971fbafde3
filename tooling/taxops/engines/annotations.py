"""Annotation exports reduced by DuckDB to what the agreement figures need.

A long-format export has one row per rating: item, annotator, label, and
optionally vendor and time (multi-label: a list column, labels joined by a
separator, or one row per chosen label). Label Studio JSON exports are turned
into that shape first (one rating per annotation; predictions and cancelled
annotations are not ratings).

Passes, each streaming (DuckDB spills past its memory limit):

1. the labels used, dictionary-coded as an ENUM;
2. one row per (item, annotator) rating into a scratch table (single-label: a
   repeated rating keeps the latest by time, else the highest code, and is
   counted; multi-label: the set of labels, possibly empty);
3. label-count patterns per item, overall, per vendor and per week;
4. per pair of annotators, the contingency table of their shared items
   (multi-label: the patterns of their two label sets);
5. multi-label: which labels are substituted for, or used with, each other.
"""

from __future__ import annotations

import itertools
import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import numpy as np

from taxops.diagnostics import TaxopsError
from taxops.engines.datasets import detect_format
from taxops.engines.tables import Table, connect, ident, literal, open_table, query_error
from taxops.quality.agreement import Floats, LabelSets, PairCells, PairSets, Units
from taxops.quality.annotations import AnnotationData
from taxops.quality.gold import GoldCount

ITEM = ("item", "item_id", "task", "task_id", "id")
ANNOTATOR = ("annotator", "annotator_id", "labeler", "rater", "worker", "completed_by")
LABEL = ("label", "labels", "choice", "class")
VENDOR = ("vendor", "vendor_id", "team")
TIME = ("time", "created_at", "submitted_at", "timestamp", "updated_at")


@dataclass(frozen=True)
class Columns:
    """Column names as given on the command line (None: found by name)."""

    item: str | None = None
    annotator: str | None = None
    label: str | None = None
    vendor: str | None = None
    time: str | None = None


def read_annotations(
    path: Path,
    columns: Columns = Columns(),
    *,
    multi_label: bool = False,
    separator: str | None = None,
    fmt: str | None = None,
    memory_limit: str | None = None,
    gold: dict[str, str] | None = None,
) -> AnnotationData:
    """Reduce an annotation export (see the module docstring); with ``gold``
    (item -> label), also count each annotator's ratings of gold items."""
    con = connect(memory_limit)
    with annotation_table(con, path, fmt, columns.label) as table:
        if table.format == "label-studio":
            columns = Columns()  # the ratings' own columns; the label column was a control
        try:
            data = _reduce(con, table, columns, multi_label, separator)
            if gold:
                data.gold_counts = _gold_counts(con, gold)
            return data
        except duckdb.Error as exc:
            raise query_error(path, exc) from None


@contextmanager
def annotation_table(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    fmt: str | None = None,
    control: str | None = None,
) -> Iterator[Table]:
    """An annotation export as a table: a CSV, TSV, JSON-lines or Parquet file as
    it is; a Label Studio JSON export as its ratings (``item``, ``annotator``,
    ``labels``, ``time``) of one control (``control``, the label column of such
    an export: see :func:`taxops.engines.labelstudio.choose_control`), in a
    scratch file removed afterwards."""
    fmt = detect_format(path, fmt)
    if fmt != "label-studio":
        yield open_table(con, path, fmt)
        return
    scratch = _label_studio_rows(path, control)
    try:
        table = open_table(con, scratch, "jsonl")
        yield Table(path, "label-studio", table.relation, table.types)
    finally:
        scratch.unlink(missing_ok=True)


def _reduce(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    given: Columns,
    multi_label: bool,
    separator: str | None,
) -> AnnotationData:
    item = table.require(given.item, ITEM, "item", "--item-column")
    annotator = table.require(given.annotator, ANNOTATOR, "annotator", "--annotator-column")
    label = table.require(given.label, LABEL, "label", "--label-column")
    vendor = table.column(given.vendor, VENDOR, "vendor", "--vendor-column")
    time = table.column(given.time, TIME, "time", "--time-column")
    listed = table.is_list(label)
    # A list column means several labels per rating, except in a Label Studio
    # export, where every rating is a list: there only --multi-label says so.
    multi = multi_label or separator is not None or (listed and table.format != "label-studio")
    if listed:
        # An empty or null list is a rating with no label: kept as one null row.
        cell = f"CAST({ident(label)} AS VARCHAR[])"
        value = f"unnest(CASE WHEN len(coalesce({cell}, [])) = 0 THEN [NULL] ELSE {cell} END)"
    elif separator is not None:
        # An empty cell is a rating with no label, as an empty list is.
        cell = f"coalesce(CAST({ident(label)} AS VARCHAR), '')"
        parts = f"list_filter(string_split({cell}, {literal(separator)}), lambda s: trim(s) <> '')"
        chosen = f"list_transform({parts}, lambda s: trim(s))"
        value = f"unnest(CASE WHEN len({chosen}) = 0 THEN [NULL] ELSE {chosen} END)"
    else:
        value = table.text(label)
    vendor_sql = table.text(vendor) if vendor else "NULL::VARCHAR"
    time_sql = table.time(time) if time else "NULL::TIMESTAMP"
    con.execute(
        f"CREATE TEMP VIEW src AS SELECT {table.text(item)} AS item, "
        f"{table.text(annotator)} AS annotator, {vendor_sql} AS vendor, {time_sql} AS t, "
        f"nullif(lbl, '') AS label FROM (SELECT *, {value} AS lbl FROM {table.relation}) "
        "WHERE item IS NOT NULL AND annotator IS NOT NULL"
    )
    per_label = con.execute("SELECT label, count(*) FROM src GROUP BY label").fetchall()
    rows = sum(n for _, n in per_label)
    without = sum(n for lbl, n in per_label if lbl is None)
    labels = sorted(lbl for lbl, _ in per_label if lbl is not None)
    if not labels:
        raise TaxopsError(
            f"{table.path} has no labeled ratings",
            f"check the label column ('{label}') holds the labels",
        )
    enum = ", ".join(literal(x) for x in labels)
    con.execute(f"CREATE TYPE taxops_label AS ENUM ({enum})")
    code = "enum_code(label::taxops_label)::INTEGER"
    data = AnnotationData(labels, multi, Units.empty())
    data.rows, data.rows_without_label = int(rows), int(without)
    data.columns = {
        "item": item,
        "annotator": annotator,
        "label": label,
        "vendor": vendor,
        "time": time,
    }
    if multi:
        con.execute(
            # Vendor '' for none: the per-vendor patterns join on it (NULL never joins).
            f"CREATE TEMP TABLE rated AS SELECT DISTINCT item, annotator, "
            f"coalesce(vendor, '') AS vendor, "
            f"CASE WHEN label IS NOT NULL THEN {code} END AS code, t FROM src"
        )
        con.execute(
            "CREATE TEMP TABLE raters AS SELECT item, annotator, any_value(vendor) AS vendor, "
            "min(t) AS t, count(code) AS chosen FROM rated GROUP BY item, annotator"
        )
        con.execute(
            "CREATE TEMP TABLE label_sets AS SELECT item, annotator, coalesce(list(code "
            "ORDER BY code) FILTER (WHERE code IS NOT NULL), []) AS s FROM rated GROUP BY ALL"
        )
        data.pairs = dict(_multi_pairs(con, len(labels)))
        data.label_sets = _label_sets(con, labels)
    else:
        pick = f"arg_max({code}, t)" if time else f"max({code})"
        # A rating without a label (an empty cell) is no rating in single-label data.
        con.execute(
            f"CREATE TEMP TABLE rated AS SELECT item, annotator, any_value(vendor) AS vendor, "
            f"min(t) AS t, {pick} AS code, min({code}) <> max({code}) AS repeated "
            "FROM src WHERE label IS NOT NULL GROUP BY item, annotator"
        )
        con.execute("CREATE TEMP VIEW raters AS SELECT * FROM rated")
        data.repeated_ratings = int(
            (con.execute("SELECT count(*) FROM rated WHERE repeated").fetchone() or (0,))[0]
        )
        data.pairs = dict(_single_pairs(con))
    # One row per item and vendor (its pattern and week): patterns overall and per
    # week in one grouped pass, per vendor in another. An item rated by several
    # vendors has a row per vendor; only then is a row per item made apart.
    pattern = _MULTI if multi else _SINGLE
    week = WEEK if time else "NULL"
    con.execute(
        f"CREATE TEMP TABLE per_vendor AS SELECT item, vendor, {week} AS k, "
        f"{pattern.select} FROM rated {pattern.join_by_vendor} GROUP BY item, vendor"
    )
    split = (
        vendor
        and (
            con.execute(
                "SELECT count(*) FROM (SELECT item FROM per_vendor GROUP BY item HAVING count(*) > 1)"
            ).fetchone()
            or (0,)
        )[0]
    )
    if split:
        con.execute(
            f"CREATE TEMP TABLE per_item AS SELECT item, {week} AS k, {pattern.select} "
            f"FROM rated {pattern.join} GROUP BY item"
        )
    else:
        con.execute("CREATE TEMP VIEW per_item AS SELECT * FROM per_vendor")
    grouped = _units(con, labels, pattern, "per_item", by_key=bool(time))
    data.overall = grouped.pop(None)
    data.by_week = {k: v for k, v in sorted(grouped.items(), key=lambda kv: str(kv[0])) if k}
    if vendor:
        con.execute(
            "CREATE TEMP VIEW vendor_patterns AS SELECT * EXCLUDE (k), vendor AS k "
            "FROM per_vendor WHERE coalesce(vendor, '') <> ''"
        )
        per_vendor = _units(con, labels, pattern, "vendor_patterns", by_key=True, overall=False)
        data.by_vendor = {
            k: v for k, v in sorted(per_vendor.items(), key=lambda kv: str(kv[0])) if k
        }
    data.annotators = {
        a: (v, int(n))
        for a, v, n in con.execute(
            "SELECT annotator, nullif(any_value(vendor), ''), count(*) FROM raters "
            "GROUP BY 1 ORDER BY 1"
        ).fetchall()
    }
    return data


def _gold_counts(con: duckdb.DuckDBPyConnection, gold: dict[str, str]) -> list[GoldCount]:
    """Ratings of gold items per annotator and gold label, and how many equal it
    (multi-label: how many ratings include it)."""
    con.execute("CREATE TEMP TABLE gold (item VARCHAR, label VARCHAR)")
    con.executemany("INSERT INTO gold VALUES (?, ?)", sorted(gold.items()))
    names = "enum_range(NULL::taxops_label)"
    rows = con.execute(
        "SELECT r.annotator, nullif(any_value(r.vendor), ''), g.label, count(DISTINCT r.item), "
        f"count(DISTINCT r.item) FILTER (WHERE {names}[r.code + 1] = g.label) "
        "FROM rated r JOIN gold g USING (item) GROUP BY r.annotator, g.label ORDER BY ALL"
    ).fetchall()
    return [GoldCount(a, v, g, int(n), int(ok)) for a, v, g, n, ok in rows]


#: The week an item belongs to: the week of its first rating.
WEEK = "strftime(date_trunc('week', min(t)), '%Y-%m-%d')"


@dataclass(frozen=True)
class _Pattern:
    """How one item's ratings become a pattern: the aggregate over its rows
    (``join``: per item; ``join_by_vendor``: per item and vendor)."""

    select: str
    columns: str
    join: str = ""
    join_by_vendor: str = ""


#: Single-label: the sorted list of the label codes given to the item.
_SINGLE = _Pattern("list_sort(list(code)) AS codes", "codes")
#: Multi-label: annotators who rated the item, and per label chosen how many chose it.
_MULTI_JOIN = (
    "LEFT JOIN (SELECT {keys}, list(code ORDER BY code) AS c, list(x ORDER BY code) AS n FROM "
    "(SELECT {keys}, code, count(DISTINCT annotator) AS x FROM rated WHERE code IS NOT NULL "
    "GROUP BY {keys}, code) GROUP BY {keys}) USING ({keys})"
)
_MULTI = _Pattern(
    "count(DISTINCT annotator) AS m, any_value(c) AS c, any_value(n) AS n",
    "m, c, n",
    _MULTI_JOIN.format(keys="item"),
    _MULTI_JOIN.format(keys="item, vendor"),
)


def _units(
    con: duckdb.DuckDBPyConnection,
    labels: list[str],
    pattern: _Pattern,
    table: str,
    *,
    by_key: bool,
    overall: bool = True,
) -> dict[str | None, Units]:
    """Pattern counts of a per-item table, per key ``k`` and (with ``overall``)
    for all its items (key None)."""
    cols = pattern.columns
    if not by_key:
        sql = f"SELECT 1, NULL, {cols}, count(*) FROM {table} GROUP BY {cols}"
    else:
        sets = f"((k, {cols}), ({cols}))" if overall else f"((k, {cols}))"
        sql = (
            f"SELECT grouping(k), any_value(k), {cols}, count(*) FROM {table} "
            f"GROUP BY GROUPING SETS {sets}"
        )
    by: dict[str | None, list[tuple[Any, ...]]] = {}
    for all_, k, *rest in con.execute(sql).fetchall():
        by.setdefault(None if all_ else str(k or ""), []).append(tuple(rest))
    if overall:
        by.setdefault(None, [])
    for rows in by.values():
        # DuckDB groups in parallel, in any order; the bootstrap draws depend on
        # the order of the patterns, so fix it: same data and seed, same interval.
        rows.sort(key=repr)
    multi = pattern is _MULTI
    return {k: (_multi(rows, labels) if multi else _single(rows, labels)) for k, rows in by.items()}


def _single(rows: list[tuple[Any, ...]], labels: list[str]) -> Units:
    lengths = np.fromiter((len(c) for c, _ in rows), dtype=np.int64, count=len(rows))
    cols = np.fromiter(itertools.chain.from_iterable(c for c, _ in rows), dtype=np.int64)
    weights = np.fromiter((n for _, n in rows), dtype=np.float64, count=len(rows))
    pattern = np.repeat(np.arange(len(rows)), lengths)
    return Units.of_entries(pattern, cols, np.ones(len(cols)), weights, tuple(labels))


def _multi(rows: list[tuple[Any, ...]], labels: list[str]) -> Units:
    raters = np.fromiter((m for m, _, _, _ in rows), dtype=np.float64, count=len(rows))
    weights = np.fromiter((items for _, _, _, items in rows), dtype=np.float64, count=len(rows))
    pattern = [k for k, (_, c, _, _) in enumerate(rows) for _ in (c or ())]
    cols = [code for _, c, _, _ in rows for code in (c or ())]
    vals = [x for _, c, n, _ in rows if c for x in n]
    return Units.of_entries(pattern, cols, vals, weights, tuple(labels), raters)


def _single_pairs(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], PairCells]:
    """Each pair's contingency table over the labels that pair used (Cohen's kappa
    does not change with labels neither annotator chose), as its non-empty cells."""
    # Annotators as numbers: millions of cells come back as integer arrays, not
    # as Python strings (measured: the string columns were most of the peak memory).
    names = _annotator_ids(con, "rated")
    cols = con.execute(
        "SELECT ax.id AS x, ay.id AS y, cx, cy, n FROM (SELECT a.annotator AS x, "
        "b.annotator AS y, a.code AS cx, b.code AS cy, count(*) AS n FROM rated a JOIN rated b "
        "ON a.item = b.item AND a.annotator < b.annotator GROUP BY ALL) "
        "JOIN annotator_ids ax ON ax.annotator = x JOIN annotator_ids ay ON ay.annotator = y "
        "ORDER BY ax.id, ay.id, cx, cy"  # the cells in one order: the same draws
    ).fetchnumpy()
    out: dict[tuple[str, str], PairCells] = {}
    x, y = cols["x"], cols["y"]
    if not len(x):
        return out
    starts = np.flatnonzero(np.r_[True, (x[1:] != x[:-1]) | (y[1:] != y[:-1])])
    ends = np.r_[starts[1:], len(x)]
    cx, cy, n = (
        cols["cx"].astype(np.int64),
        cols["cy"].astype(np.int64),
        cols["n"].astype(np.float64),
    )
    for a, b in zip(starts, ends, strict=True):
        used, local = np.unique(np.r_[cx[a:b], cy[a:b]], return_inverse=True)
        cells = PairCells(local[: b - a], local[b - a :], n[a:b], len(used))
        out[(names[x[a]], names[y[a]])] = cells
    return out


def _annotator_ids(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    """Number the annotators of ``table`` (as table ``annotator_ids``), by name."""
    con.execute(
        "CREATE TEMP TABLE annotator_ids AS SELECT annotator, (row_number() OVER "
        f"(ORDER BY annotator) - 1)::INTEGER AS id FROM (SELECT DISTINCT annotator FROM {table})"
    )
    return [r[0] for r in con.execute("SELECT annotator FROM annotator_ids ORDER BY id").fetchall()]


def _multi_pairs(
    con: duckdb.DuckDBPyConnection, q: int
) -> Iterator[tuple[tuple[str, str], PairSets]]:
    """Each pair's shared items as patterns of (first's label set, second's)."""
    names = _annotator_ids(con, "label_sets")
    rows = con.execute(
        "SELECT ax.id, ay.id, a.s, b.s, count(*) FROM label_sets a JOIN label_sets b "
        "ON a.item = b.item AND a.annotator < b.annotator "
        "JOIN annotator_ids ax ON ax.annotator = a.annotator "
        "JOIN annotator_ids ay ON ay.annotator = b.annotator "
        "GROUP BY ALL ORDER BY ALL"
    ).fetchall()
    for (x, y), group in itertools.groupby(rows, key=lambda r: (r[0], r[1])):
        patterns = list(group)
        first = [(k, c) for k, (_, _, a, _, _) in enumerate(patterns) for c in sorted(set(a))]
        second = [(k, c) for k, (_, _, _, b, _) in enumerate(patterns) for c in sorted(set(b))]
        weights = np.array([r[4] for r in patterns], dtype=np.float64)
        yield (names[x], names[y]), PairSets(*_columns(first), *_columns(second), weights, q)


def _columns(entries: list[tuple[int, int]]) -> tuple[Any, Any]:
    """(pattern, label) entries as two integer arrays."""
    table = np.array(entries, dtype=np.int64).reshape(-1, 2)
    return table[:, 0], table[:, 1]


def _label_sets(con: duckdb.DuckDBPyConnection, labels: list[str]) -> LabelSets:
    """Substitutions and unions over pairs of ratings of one item, each item
    weighted 1 / (m - 1); labels chosen together within one rating."""
    con.execute(
        "CREATE TEMP VIEW rating_pairs AS SELECT list_filter(a.s, lambda v: NOT list_contains(b.s, v)) "
        "AS only_a, list_filter(b.s, lambda v: NOT list_contains(a.s, v)) AS only_b, "
        "list_distinct(list_concat(a.s, b.s)) AS u, 1.0 / (m.m - 1) AS w "
        "FROM label_sets a JOIN label_sets b ON a.item = b.item AND a.annotator < b.annotator "
        "JOIN (SELECT item, count(*) AS m FROM label_sets GROUP BY item) m ON m.item = a.item"
    )

    def matrix(sql: str) -> tuple[Any, Any, Floats]:
        """The non-zero cells ``(c, k, value)`` of a labels x labels matrix."""
        cells = con.execute(sql).fetchnumpy()
        c, k, value = (cells[name] for name in ("c", "k", "w"))
        return c.astype(np.int64), k.astype(np.int64), value.astype(np.float64)

    substituted = matrix(
        "SELECT c, k, sum(w) AS w FROM (SELECT c, unnest(only_b) AS k, w FROM "
        "(SELECT unnest(only_a) AS c, only_b, w FROM rating_pairs)) GROUP BY ALL"
    )
    either = matrix(
        "SELECT c, k, sum(w) AS w FROM (SELECT c, unnest(u) AS k, w FROM "
        "(SELECT unnest(u) AS c, u, w FROM rating_pairs)) GROUP BY ALL"
    )
    together = matrix(
        "SELECT c, k, count(*) AS w FROM (SELECT c, unnest(s) AS k FROM "
        "(SELECT unnest(s) AS c, s FROM label_sets)) GROUP BY ALL"
    )
    return LabelSets(tuple(labels), substituted, either, together)


def _label_studio_rows(path: Path, control: str | None = None) -> Path:
    """A Label Studio JSON export as JSON lines of ratings (item, annotator,
    labels, time) in a scratch file the caller deletes: the labels of one
    control (the one named, or the only one with labels)."""
    from taxops.engines.labelstudio import choose_control, read_tasks

    tasks = read_tasks(path)
    control = choose_control(tasks, control, path)
    fd, name = tempfile.mkstemp(prefix="taxops-ls-", suffix=".jsonl")
    with open(fd, "w", encoding="utf-8") as out:
        for row in _ratings(tasks, control):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return Path(name)


def _ratings(tasks: list[Any], control: str | None) -> Iterator[dict[str, Any]]:
    from taxops.engines.labelstudio import result_labels

    for position, task in enumerate(tasks, start=1):
        if not isinstance(task, dict):
            continue
        item = task.get("id", position)
        for annotation in task.get("annotations") or []:
            if not isinstance(annotation, dict) or annotation.get("was_cancelled"):
                continue
            who = annotation.get("completed_by")
            if isinstance(who, dict):
                who = who.get("email") or who.get("id")
            labels = [
                label
                for result in annotation.get("result") or []
                if isinstance(result, dict)
                for labels_ in result_labels(result, control)
                for label in labels_
            ]
            yield {
                "item": str(item),
                "annotator": None if who is None else str(who),
                "labels": labels,
                "time": annotation.get("created_at"),
            }
