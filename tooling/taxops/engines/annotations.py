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
4. per pair of annotators, the contingency table of their shared items.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import numpy as np

from taxops.diagnostics import TaxopsError
from taxops.engines.datasets import detect_format
from taxops.engines.labelstudio import LABEL_KEYS
from taxops.engines.tables import Table, connect, ident, literal, open_table, query_error
from taxops.quality.agreement import Floats, Units
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
    fmt = detect_format(path, fmt)
    scratch: Path | None = None
    try:
        if fmt == "label-studio":
            scratch = _label_studio_rows(path)
            table = open_table(con, scratch, "jsonl")
            table = Table(path, "label-studio", table.relation, table.types)
        else:
            table = open_table(con, path, fmt)
        try:
            data = _reduce(con, table, columns, multi_label, separator)
            if gold:
                data.gold_counts = _gold_counts(con, gold)
            return data
        except duckdb.Error as exc:
            raise query_error(path, exc) from None
    finally:
        if scratch is not None:
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
        parts = f"string_split(CAST({ident(label)} AS VARCHAR), {literal(separator)})"
        value = f"unnest(list_transform({parts}, lambda s: nullif(trim(s), '')))"
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
    rows, without = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE label IS NULL) FROM src"
    ).fetchone() or (0, 0)
    labels = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT label FROM src WHERE label IS NOT NULL ORDER BY label"
        ).fetchall()
    ]
    if not labels:
        raise TaxopsError(
            f"{table.path} has no labeled ratings",
            f"check the label column ('{label}') holds the labels",
        )
    enum = ", ".join(literal(x) for x in labels)
    con.execute(f"CREATE TYPE taxops_label AS ENUM ({enum})")
    code = "enum_code(label::taxops_label)::INTEGER"
    data = AnnotationData(labels, multi, Units(np.zeros((0, 0)), np.zeros(0), ()))
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
            f"CREATE TEMP TABLE rated AS SELECT DISTINCT item, annotator, vendor, "
            f"CASE WHEN label IS NOT NULL THEN {code} END AS code, t FROM src"
        )
        con.execute(
            "CREATE TEMP TABLE raters AS SELECT item, annotator, any_value(vendor) AS vendor, "
            "min(t) AS t, count(code) AS chosen FROM rated GROUP BY item, annotator"
        )
        data.overall = _multi_units(con, labels, "TRUE", "")
        data.pairs = _multi_pairs(con, len(labels))
    else:
        pick = f"arg_max({code}, t)" if time else f"max({code})"
        # A rating without a label (an empty cell) is no rating in single-label data.
        con.execute(
            f"CREATE TEMP TABLE rated AS SELECT item, annotator, any_value(vendor) AS vendor, "
            f"min(t) AS t, {pick} AS code, count(DISTINCT {code}) > 1 AS repeated "
            "FROM src WHERE label IS NOT NULL GROUP BY item, annotator"
        )
        con.execute("CREATE TEMP VIEW raters AS SELECT * FROM rated")
        data.repeated_ratings = int(
            (con.execute("SELECT count(*) FROM rated WHERE repeated").fetchone() or (0,))[0]
        )
        data.overall = _single_units(con, labels, "TRUE", "")
        data.pairs = _single_pairs(con, len(labels))
    units_of = _multi_units if multi else _single_units
    if vendor:
        for (name,) in con.execute(
            "SELECT DISTINCT vendor FROM raters WHERE vendor IS NOT NULL ORDER BY 1"
        ).fetchall():
            data.by_vendor[name] = units_of(con, labels, f"vendor = {literal(name)}", "")
    if time:
        weeks = con.execute(
            "SELECT DISTINCT strftime(date_trunc('week', t), '%Y-%m-%d') FROM raters "
            "WHERE t IS NOT NULL ORDER BY 1"
        ).fetchall()
        for (week,) in weeks:
            data.by_week[week] = units_of(con, labels, "TRUE", week)
    data.annotators = {
        a: (v, int(n))
        for a, v, n in con.execute(
            "SELECT annotator, any_value(vendor), count(*) FROM raters GROUP BY 1 ORDER BY 1"
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
        "SELECT r.annotator, any_value(r.vendor), g.label, count(DISTINCT r.item), "
        f"count(DISTINCT r.item) FILTER (WHERE {names}[r.code + 1] = g.label) "
        "FROM rated r JOIN gold g USING (item) GROUP BY r.annotator, g.label ORDER BY ALL"
    ).fetchall()
    return [GoldCount(a, v, g, int(n), int(ok)) for a, v, g, n, ok in rows]


def _scope(where: str, week: str) -> str:
    """Ratings of the scope: a vendor's, or the items first rated in a week."""
    if not week:
        return f"SELECT * FROM rated WHERE {where}"
    return (
        "SELECT * FROM rated WHERE item IN (SELECT item FROM raters GROUP BY item "
        f"HAVING strftime(date_trunc('week', min(t)), '%Y-%m-%d') = {literal(week)})"
    )


def _single_units(
    con: duckdb.DuckDBPyConnection, labels: list[str], where: str, week: str
) -> Units:
    rows = con.execute(
        f"SELECT codes, count(*) FROM (SELECT item, list(code ORDER BY code) AS codes "
        f"FROM ({_scope(where, week)}) GROUP BY item) GROUP BY codes"
    ).fetchall()
    counts = np.zeros((len(rows), len(labels)))
    weights = np.zeros(len(rows))
    for k, (codes, n) in enumerate(rows):
        np.add.at(counts[k], np.asarray(codes, dtype=np.int64), 1)
        weights[k] = n
    return Units(counts, weights, tuple(labels))


def _multi_units(con: duckdb.DuckDBPyConnection, labels: list[str], where: str, week: str) -> Units:
    scope = _scope(where, week)
    rows = con.execute(
        f"WITH s AS ({scope}), "
        "m AS (SELECT item, count(DISTINCT annotator) AS m FROM s GROUP BY item), "
        "x AS (SELECT item, code, count(DISTINCT annotator) AS x FROM s "
        "      WHERE code IS NOT NULL GROUP BY item, code), "
        "p AS (SELECT m.item, m.m, list(x.code ORDER BY x.code) FILTER (WHERE x.code IS NOT NULL) AS c, "
        "      list(x.x ORDER BY x.code) FILTER (WHERE x.code IS NOT NULL) AS n "
        "      FROM m LEFT JOIN x USING (item) GROUP BY m.item, m.m) "
        "SELECT m, c, n, count(*) FROM p GROUP BY m, c, n"
    ).fetchall()
    counts = np.zeros((len(rows), len(labels)))
    weights = np.zeros(len(rows))
    raters = np.zeros(len(rows))
    for k, (m, codes, ns, n) in enumerate(rows):
        if codes:
            counts[k, np.asarray(codes, dtype=np.int64)] = ns
        raters[k], weights[k] = m, n
    return Units(counts, weights, tuple(labels), raters, True)


def _single_pairs(con: duckdb.DuckDBPyConnection, q: int) -> dict[tuple[str, str], Floats]:
    rows = con.execute(
        "SELECT a.annotator, b.annotator, a.code, b.code, count(*) FROM rated a "
        "JOIN rated b ON a.item = b.item AND a.annotator < b.annotator GROUP BY ALL"
    ).fetchall()
    out: dict[tuple[str, str], Floats] = {}
    for x, y, cx, cy, n in rows:
        table = out.setdefault((x, y), np.zeros((q, q)))
        table[cx, cy] += n
    return out


def _multi_pairs(con: duckdb.DuckDBPyConnection, q: int) -> dict[tuple[str, str], Floats]:
    rows = con.execute(
        "WITH pairs AS (SELECT a.annotator AS x, b.annotator AS y, count(*) AS shared, "
        "  sum(a.chosen) AS nx, sum(b.chosen) AS ny FROM raters a JOIN raters b "
        "  ON a.item = b.item AND a.annotator < b.annotator GROUP BY ALL), "
        "both_ AS (SELECT a.annotator AS x, b.annotator AS y, count(*) AS both_ FROM rated a "
        "  JOIN rated b ON a.item = b.item AND a.code = b.code AND a.annotator < b.annotator "
        "  GROUP BY ALL) "
        "SELECT x, y, shared, nx, ny, coalesce(both_, 0) FROM pairs LEFT JOIN both_ USING (x, y)"
    ).fetchall()
    out: dict[tuple[str, str], Floats] = {}
    for x, y, shared, nx, ny, both in rows:
        out[(x, y)] = np.array(
            [[both, nx - both], [ny - both, shared * q - nx - ny + both]], dtype=np.float64
        )
    return out


def _label_studio_rows(path: Path) -> Path:
    """A Label Studio JSON export as JSON lines of ratings, in a scratch file."""
    try:
        tasks = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise TaxopsError(f"cannot read {path} as a Label Studio JSON export: {exc}") from None
    if not isinstance(tasks, list):
        raise TaxopsError(
            f"{path} is not a Label Studio JSON export: expected a list of tasks",
            "export the project with 'Export > JSON' in Label Studio",
        )
    fd, name = tempfile.mkstemp(prefix="taxops-ls-", suffix=".jsonl")
    with open(fd, "w", encoding="utf-8") as out:
        for row in _ratings(tasks):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return Path(name)


def _ratings(tasks: list[Any]) -> Iterator[dict[str, Any]]:
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
            labels: list[str] = []
            for result in annotation.get("result") or []:
                value = result.get("value") if isinstance(result, dict) else None
                if not isinstance(value, dict):
                    continue
                for key in LABEL_KEYS:
                    if isinstance(value.get(key), list):
                        labels += [v for v in value[key] if isinstance(v, str)]
                for path_ in value.get("taxonomy") or []:
                    if isinstance(path_, list) and path_ and isinstance(path_[-1], str):
                        labels.append(path_[-1])
            yield {
                "item": str(item),
                "annotator": None if who is None else str(who),
                "labels": labels,
                "time": annotation.get("created_at"),
            }
