"""Task event logs reduced by DuckDB to the operations figures' inputs.

One row per task: id, created, started, submitted, reviewed and accepted times;
annotator, vendor, a rework flag and the cost; optionally the label or task type
(for handle times) and an audit score (0-1, or pass/fail). Times are parsed as
timestamps; a task not yet accepted counts as open. Figures per group (overall,
vendor, week of delivery, vendor and week, label or task type):

- delivered: tasks accepted; throughput is delivered per calendar day of the span;
- turnaround: hours from created to accepted, at the percentiles asked for
  (linear interpolation between ranks, ``quantile_cont``);
- handle time: hours from started to submitted (median and mean);
- rework rate: share of delivered tasks flagged for rework;
- audit score: mean over audited tasks;
- cost per item: total cost over delivered tasks; when the log says which tasks
  are labeling (task type ``label``), the mean cost of those, the figure a
  price per labeled item is held against.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from taxops.diagnostics import TaxopsError
from taxops.engines.tables import Table, connect, ident, literal, open_table, query_error
from taxops.escaping import terminal
from taxops.quality.operations import EventData

TASK = ("task", "task_id", "id", "item")
CREATED = ("created", "created_at")
STARTED = ("started", "started_at")
SUBMITTED = ("submitted", "submitted_at")
REVIEWED = ("reviewed", "reviewed_at")
ACCEPTED = ("accepted", "accepted_at", "delivered", "delivered_at")
ANNOTATOR = ("annotator", "annotator_id", "labeler", "worker")
VENDOR = ("vendor", "vendor_id", "team")
REWORK = ("rework", "reworked", "rework_flag")
COST = ("cost", "cost_per_item", "price")
KIND = ("task_type", "type", "kind", "label")
AUDIT = ("audit_score", "audit", "audit_passed")

NO_VENDOR = "(no vendor)"
OPEN = "(not delivered)"
#: Width of the turnaround histogram's buckets, in hours.
HISTOGRAM_HOURS = 6


@dataclass(frozen=True)
class EventColumns:
    task: str | None = None
    created: str | None = None
    accepted: str | None = None
    vendor: str | None = None
    kind: str | None = None


def read_events(
    path: Path,
    columns: EventColumns = EventColumns(),
    *,
    percentiles: Sequence[float] = (50, 90, 95, 99),
    window: tuple[str, str] | None = None,
    fmt: str | None = None,
    memory_limit: str | None = None,
) -> EventData:
    """Figures of a task event log; ``window`` (ISO dates, end exclusive) keeps
    the tasks delivered in it (open tasks created in it)."""
    con = connect(memory_limit)
    table = open_table(con, path, fmt)
    try:
        return _reduce(con, table, columns, tuple(sorted(set(percentiles))), window)
    except duckdb.Error as exc:
        raise query_error(path, exc) from None


def _unreadable_times(
    con: duckdb.DuckDBPyConnection, table: Table, columns: Sequence[str]
) -> dict[str, tuple[int, str]]:
    """For each time column: how many rows hold a value that is not a time
    (written, but unreadable: such a task would silently drop out of every
    figure) and one such value, for the message. One pass over the log for
    all the columns."""
    figures = []
    for column in columns:
        written = f"nullif(trim(CAST({ident(column)} AS VARCHAR)), '')"
        bad = f"{written} IS NOT NULL AND {table.time(column)} IS NULL"
        figures += [f"count(*) FILTER (WHERE {bad})", f"any_value({written}) FILTER (WHERE {bad})"]
    row = con.execute(f"SELECT {', '.join(figures)} FROM {table.relation}").fetchone()
    values = list(row) if row else [0, None] * len(columns)
    return {
        column: (int(n), str(example))
        for column, n, example in zip(columns, values[::2], values[1::2], strict=True)
        if n
    }


def _reduce(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    given: EventColumns,
    percentiles: tuple[float, ...],
    window: tuple[str, str] | None,
) -> EventData:
    task = table.require(given.task, TASK, "task id", "--task-column")
    created = table.require(given.created, CREATED, "created time", "--created-column")
    accepted = table.require(given.accepted, ACCEPTED, "accepted time", "--accepted-column")
    started = table.column(None, STARTED, "started time", "")
    submitted = table.column(None, SUBMITTED, "submitted time", "")
    vendor = table.column(given.vendor, VENDOR, "vendor", "--vendor-column")
    kind = table.column(given.kind, KIND, "label or task type", "--kind-column")
    rework = table.column(None, REWORK, "rework flag", "")
    cost = table.column(None, COST, "cost", "")
    audit = table.column(None, AUDIT, "audit score", "")
    null_t, null_s = "NULL::TIMESTAMP", "NULL::VARCHAR"
    flag = (
        f"coalesce(TRY_CAST(CAST({_q(rework)} AS VARCHAR) AS BOOLEAN), "
        f"lower(CAST({_q(rework)} AS VARCHAR)) IN ('1', 'yes', 'y'), false)"
        if rework
        else "false"
    )
    audit_sql = (
        f"coalesce(TRY_CAST({_q(audit)} AS DOUBLE), "
        f"TRY_CAST(TRY_CAST(CAST({_q(audit)} AS VARCHAR) AS BOOLEAN) AS DOUBLE))"
        if audit
        else "NULL::DOUBLE"
    )
    con.execute(
        f"CREATE TEMP TABLE tasks AS SELECT {table.text(task)} AS task, "
        f"{table.time(created)} AS created, {table.time(accepted)} AS accepted, "
        f"{table.time(started) if started else null_t} AS started, "
        f"{table.time(submitted) if submitted else null_t} AS submitted, "
        f"{table.text(vendor) if vendor else null_s} AS vendor, "
        f"{table.text(kind) if kind else null_s} AS kind, "
        f"{flag} AS rework, {table.number(cost) if cost else 'NULL::DOUBLE'} AS cost, "
        f"{audit_sql} AS audit FROM {table.relation}"
    )
    data = EventData(percentiles)
    data.columns = {
        "task": task,
        "created": created,
        "accepted": accepted,
        "started": started,
        "submitted": submitted,
        "vendor": vendor,
        "kind": kind,
        "rework": rework,
        "cost": cost,
        "audit": audit,
    }
    data.rows, data.inconsistent = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE accepted < created OR submitted < started) "
        "FROM tasks"
    ).fetchone() or (0, 0)
    data.unreadable = _unreadable_times(con, table, (created, accepted))
    if data.rows and data.unreadable.get(created, (0, ""))[0] == data.rows:
        example = data.unreadable[created][1]
        raise TaxopsError(
            f"none of the {data.rows:,} tasks has a created time that can be read "
            f"(column '{terminal(created)}' holds values like '{terminal(example)}')",
            "write times as ISO 8601 (2025-03-05T09:00:00, with +01:00 or Z for a zone), "
            "or name the right column with --created-column",
        )
    keep = "created IS NOT NULL AND NOT coalesce(accepted < created, false)"
    if window:
        start, end = literal(window[0]), literal(window[1])
        keep += (
            f" AND ((accepted >= {start}::TIMESTAMP AND accepted < {end}::TIMESTAMP) OR "
            f"(accepted IS NULL AND created >= {start}::TIMESTAMP AND created < {end}::TIMESTAMP))"
        )
    con.execute(
        "CREATE TEMP VIEW t AS SELECT *, "
        "epoch(accepted - created) / 3600.0 AS turnaround, "
        "CASE WHEN submitted >= started THEN epoch(submitted - started) / 3600.0 END AS handle, "
        "strftime(date_trunc('week', accepted), '%Y-%m-%d') AS week "
        f"FROM tasks WHERE {keep}"
    )
    first, last = con.execute(
        "SELECT strftime(min(created), '%Y-%m-%dT%H:%M:%S'), "
        "strftime(max(accepted), '%Y-%m-%dT%H:%M:%S') FROM t"
    ).fetchone() or (None, None)
    data.first_created, data.last_accepted = first, last
    quantiles = ", ".join(
        f"quantile_cont(turnaround, {p / 100!r}) FILTER (WHERE accepted IS NOT NULL) AS p{i}"
        for i, p in enumerate(percentiles)
    )
    figures = (
        "count(*) AS tasks, count(accepted) AS delivered, "
        "count(*) FILTER (WHERE accepted IS NULL) AS open, "
        "min(created) AS first_created, max(accepted) AS last_accepted, "
        "min(accepted) AS first_accepted, "
        "count(*) FILTER (WHERE rework AND accepted IS NOT NULL) AS reworked, "
        "sum(cost) FILTER (WHERE accepted IS NOT NULL) AS cost, "
        "count(cost) FILTER (WHERE accepted IS NOT NULL) AS costed, "
        "sum(cost) FILTER (WHERE accepted IS NOT NULL AND kind = 'label') AS label_cost, "
        "count(cost) FILTER (WHERE accepted IS NOT NULL AND kind = 'label') AS label_costed, "
        "avg(audit) AS audit_score, count(audit) AS audited, "
        "median(handle) AS handle_median, avg(handle) AS handle_mean, "
        f"avg(turnaround) FILTER (WHERE accepted IS NOT NULL) AS turnaround_mean, {quantiles}"
    )
    result = con.execute(
        f"SELECT grouping(vendor) AS all_vendors, grouping(week) AS all_weeks, vendor, week, "
        f"{figures} FROM t GROUP BY GROUPING SETS "
        "((), (vendor), (week), (vendor, week)) ORDER BY ALL"
    )
    names = [d[0] for d in result.description or []]
    for row in result.fetchall():
        record = dict(zip(names, row, strict=True))
        all_vendors, all_weeks = record.pop("all_vendors"), record.pop("all_weeks")
        vendor_key, week_key = record.pop("vendor"), record.pop("week")
        key = (
            None if all_vendors else vendor_key or NO_VENDOR,
            None if all_weeks else week_key or OPEN,
        )
        record["turnaround_percentiles"] = {
            _pct(p): record.pop(f"p{i}") for i, p in enumerate(percentiles)
        }
        for when in ("first_created", "last_accepted", "first_accepted"):
            value = record[when]
            record[when] = value.isoformat() if value is not None else None
        data.groups[key] = record
    if not vendor:  # one vendor-less group per week would repeat the totals
        data.groups = {k: v for k, v in data.groups.items() if k[0] is None}
    rows = con.execute(
        "SELECT grouping(vendor), vendor, coalesce(kind, '(all)'), count(handle), "
        "median(handle), avg(handle), quantile_cont(handle, 0.9) FROM t "
        "WHERE handle IS NOT NULL GROUP BY GROUPING SETS ((kind), (vendor, kind)) ORDER BY ALL"
    ).fetchall()
    for all_vendors, v, k, n, med, mean, p90 in rows:
        data.handle[(None if all_vendors else v or NO_VENDOR, k)] = {
            "tasks": n,
            "median_hours": med,
            "mean_hours": mean,
            "p90_hours": p90,
        }
    for all_vendors, v, day, n in con.execute(
        "SELECT grouping(vendor), vendor, strftime(CAST(accepted AS DATE), '%Y-%m-%d') AS d, "
        "count(*) FROM t WHERE accepted IS NOT NULL GROUP BY GROUPING SETS ((d), (vendor, d)) "
        "ORDER BY ALL"
    ).fetchall():
        who: str | None = None if all_vendors else v or NO_VENDOR
        data.daily.setdefault(who, {})[day] = int(n)
    for all_vendors, v, bucket, n in con.execute(
        f"SELECT grouping(vendor), vendor, floor(turnaround / {HISTOGRAM_HOURS}) * "
        f"{HISTOGRAM_HOURS} AS b, count(*) FROM t WHERE accepted IS NOT NULL "
        "GROUP BY GROUPING SETS ((b), (vendor, b)) ORDER BY ALL"
    ).fetchall():
        who = None if all_vendors else v or NO_VENDOR
        data.turnaround_histogram.setdefault(who, []).append((float(bucket), int(n)))
    return data


def _q(column: str | None) -> str:
    assert column is not None
    return ident(column)


def _pct(p: float) -> str:
    """``95`` -> ``p95``; ``99.9`` -> ``p99.9``."""
    return f"p{p:g}"
