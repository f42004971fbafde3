"""``taxops ops scorecard|plan``: operations figures from a task event log held
against each vendor's SLA, and staffing and delivery forecasts."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from taxops.cli import argtypes, exit_codes
from taxops.cli.commands import Command
from taxops.cli.commands.common import repo_root
from taxops.cli.commands.results import add_report_options, emit, taxonomy_of
from taxops.diagnostics import TaxopsError
from taxops.escaping import terminal_lines


def configure(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="ops_command", metavar="ACTION", required=True)
    card = sub.add_parser(
        "scorecard",
        help="throughput, turnaround, rework and cost per vendor against each SLA",
        description="Each vendor's figures over its SLA's measurement window (ending on the day of\n"
        "the last delivery, or --as-of), against every line of the SLA: met or missed, the\n"
        "figure, the line, by how much, and the trend against the window before; weekly\n"
        "figures and the turnaround distribution. Exit 1 when an SLA line is missed.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    card.add_argument("events", type=argtypes.reads("EVENTS"), metavar="EVENTS")
    card.add_argument(
        "--as-of",
        type=_date,
        metavar="DATE",
        help="last day of the window (default: the last delivery)",
    )
    _columns(card)
    add_report_options(card)

    plan = sub.add_parser(
        "plan",
        help="staffing for a delivery date, or the date a staff reaches; progress and risk",
        description="Effort per item is the workflow's stages (share of items x annotators) times the\n"
        "handle time measured in the event log per task type. With --due: the people needed;\n"
        "with --staff: the finish date. With --start, progress so far and the forecast\n"
        "completion date with the risk of missing --due, from the daily deliveries since.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    plan.add_argument(
        "--events",
        type=argtypes.reads("--events"),
        required=True,
        metavar="EVENTS",
        help="the task event log (handle times, deliveries)",
    )
    plan.add_argument(
        "--volume",
        type=argtypes.int_range(1, 10**12),
        required=True,
        help="items to deliver (at least 1)",
    )
    target = plan.add_mutually_exclusive_group(required=True)
    target.add_argument("--due", type=_date, metavar="DATE", help="the delivery date")
    target.add_argument(
        "--staff",
        type=argtypes.number(0, 1e6, above=True),
        metavar="PEOPLE",
        help="people working on it",
    )
    plan.add_argument(
        "--start",
        type=_date,
        metavar="DATE",
        help="first day of the work (default: today, or the first delivery with --progress)",
    )
    plan.add_argument(
        "--progress",
        action="store_true",
        help="the log holds this delivery: report progress and the forecast",
    )
    plan.add_argument(
        "--workflow",
        metavar="ID",
        help="workflow (policies/workflows) whose stages and rates apply",
    )
    plan.add_argument(
        "--productive-hours",
        type=argtypes.number(0, 24, above=True),
        default=6.5,
        help="productive hours per person per day (default: %(default)s)",
    )
    plan.add_argument(
        "--working-week",
        type=int,
        choices=(5, 6, 7),
        default=5,
        help="working days a week (default: %(default)s)",
    )
    plan.add_argument(
        "--handle-hours",
        type=argtypes.number(0, 1e4, above=True),
        help="labeling handle time per item, instead of the log's",
    )
    plan.add_argument("--vendor", help="measure handle times and deliveries of this vendor only")
    plan.add_argument("--seed", type=int, default=0, help="seed of the delivery simulation")
    _columns(plan)
    add_report_options(plan)


def _columns(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--task-column", metavar="COLUMN", help="task id column (default: found by name)"
    )
    p.add_argument("--created-column", metavar="COLUMN")
    p.add_argument("--accepted-column", metavar="COLUMN", help="delivery time column")
    p.add_argument("--vendor-column", metavar="COLUMN")
    p.add_argument(
        "--kind-column", metavar="COLUMN", help="task type (or label) column for handle times"
    )


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date: write YYYY-MM-DD") from None


def run(args: argparse.Namespace) -> int:
    return _scorecard(args) if args.ops_command == "scorecard" else _plan(args)


def _event_columns(args: argparse.Namespace) -> Any:
    from taxops.engines.events import EventColumns

    return EventColumns(
        args.task_column,
        args.created_column,
        args.accepted_column,
        args.vendor_column,
        args.kind_column,
    )


def _scorecard(args: argparse.Namespace) -> int:
    from taxops.engines.events import read_events
    from taxops.quality import plans
    from taxops.quality.operations import figures, scorecard, scorecard_report, window_ending
    from taxops.quality.text import scorecard_text

    root = repo_root(args, required=False)
    taxonomy, _ = taxonomy_of(args.events, args.taxonomy, root)
    found = plans.slas(root, taxonomy) if root else []
    percentiles = sorted({50.0, 90.0, 95.0, 99.0, *plans.sla_percentiles(found)})
    columns = _event_columns(args)
    data = read_events(args.events, columns, percentiles=percentiles)
    vendors = sorted({v for v, _ in data.groups if v is not None})
    by_vendor = {p.model.vendor: p for p in found}
    cards = []
    for vendor in vendors:
        sla = by_vendor.get(vendor)
        if sla is None:
            continue
        window = window_ending(data.last_accepted, sla.model.measurement_window_days, args.as_of)
        now = read_events(args.events, columns, percentiles=percentiles, window=window.as_pair())
        before = read_events(
            args.events, columns, percentiles=percentiles, window=window.before().as_pair()
        )
        cards.append(
            scorecard(
                vendor,
                sla.model.id,
                plans.sla_targets(sla),
                window,
                figures(now.groups.get((vendor, None)), window.days),
                figures(before.groups.get((vendor, None)), window.days),
            )
        )
    unmatched = [v for v in vendors if v not in by_vendor]
    report = scorecard_report(cards, data, source=str(args.events), unmatched=unmatched)
    report["taxonomy"] = taxonomy
    emit(args, report, scorecard_text)
    missed = any(f["severity"] == "error" for f in report["findings"])
    return exit_codes.FINDINGS if missed else exit_codes.OK


def _plan(args: argparse.Namespace) -> int:
    from taxops.engines.events import read_events
    from taxops.quality import forecast, plans

    root = repo_root(args, required=False)
    data = read_events(args.events, _event_columns(args))
    who = args.vendor
    handle = {
        kind: float(v["median_hours"])
        for (vendor, kind), v in data.handle.items()
        if vendor == who and v["median_hours"] is not None
    }
    if args.handle_hours is not None:
        handle["label"] = args.handle_hours
    if "label" not in handle and "(all)" in handle:
        handle["label"] = handle["(all)"]
    if args.workflow:
        if root is None:
            raise TaxopsError(
                "a workflow is read from the repository", "run inside it or pass --repo"
            )
        workflow, stages = plans.workflow_stages(root, args.workflow)
        workflow_name: str | None = workflow.display
    else:
        stages, workflow_name = [forecast.Stage("label", "label", 1.0, 1)], None
    work = forecast.effort(stages, handle)
    daily = data.daily.get(who, {}) if who else data.daily.get(None, {})
    start = args.start or (
        dt.date.fromisoformat(min(daily)) if args.progress and daily else dt.date.today()
    )
    report: dict[str, Any] = {
        "schema": forecast.PLAN_SCHEMA,
        "source": str(args.events),
        "vendor": who,
        "workflow": workflow_name,
        "volume": args.volume,
        "start": start.isoformat(),
        "productive_hours": args.productive_hours,
        "working_week": args.working_week,
        "effort": work.as_dict(),
    }
    if args.due:
        report["due"] = args.due.isoformat()
        report["staffing"] = forecast.staff_for_date(
            args.volume, work, args.productive_hours, start, args.due, args.working_week
        )
    else:
        report["staff"] = args.staff
        report["finish"] = forecast.date_for_staff(
            args.volume, work, args.productive_hours, start, args.staff, args.working_week
        )
    if args.progress:
        delivered_days = {d: n for d, n in daily.items() if dt.date.fromisoformat(d) >= start}
        today = dt.date.fromisoformat(max(delivered_days)) if delivered_days else start
        report["daily"] = dict(sorted(delivered_days.items()))
        if args.due:
            report["working_days_planned"] = forecast.working_days_between(
                start, args.due, args.working_week
            )
        report["progress"] = forecast.progress(
            args.volume,
            sum(delivered_days.values()),
            delivered_days,
            today=today,
            due=args.due,
            week=args.working_week,
            seed=args.seed,
        )
    emit(args, report, _plan_text)
    return exit_codes.OK


def _plan_text(r: dict[str, Any]) -> str:
    from taxops.escaping import terminal

    e = r["effort"]
    lines = [
        f"{r['volume']:,} items from {r['start']}"
        + (f" (workflow {terminal(r['workflow'])})" if r["workflow"] else "")
        + f": {e['hours_per_item'] * 60:.2f} minutes of work per item"
    ]
    for s in e["stages"]:
        lines.append(
            f"  {terminal(s['stage'])}: {s['rate']:.0%} of items x {s['annotators']} x "
            f"{s['handle_hours'] * 60:.2f} min ({terminal(s['handle_time_from'])})"
        )
    if "staffing" in r:
        s = r["staffing"]
        lines.append(
            f"to deliver by {r['due']}: {s['people']:,} {'person' if s['people'] == 1 else 'people'} ({s['people_exact']:.2f}) for "
            f"{s['working_days']} working days of {r['productive_hours']:g} h, {s['items_per_day']:,.0f} items a day"
        )
    else:
        f = r["finish"]
        lines.append(
            f"with {r['staff']:g} people: finished on {f['finish']} ({f['working_days']:.1f} working days)"
        )
    p = r.get("progress")
    if p:
        lines.append(
            f"progress: {p['delivered']:,} of {p['volume']:,} delivered ({(p['share_done'] or 0):.0%}), "
            f"{p['items_per_working_day']:,.0f} a working day over {p['working_days_observed']} days"
        )
        fc = p.get("forecast")
        if fc:
            line = f"forecast: finished on {fc['finish']}"
            if "range_90" in fc:
                line += f" (90% between {fc['range_90'][0]} and {fc['range_90'][1]})"
            if "risk_of_missing" in fc:
                line += (
                    f"; risk of missing {fc.get('due', r.get('due'))}: {fc['risk_of_missing']:.0%}"
                )
            lines.append(line)
    return terminal_lines(lines)  # each line escaped and clipped


COMMAND = Command(
    name="ops",
    summary="vendor scorecards against SLAs, staffing and delivery forecasts",
    description="Operations figures from a task event log:\n"
    "  scorecard  throughput, turnaround percentiles, rework, cost per vendor against each SLA\n"
    "  plan       staff for a date, or the date a staff reaches; progress and the risk of missing it",
    configure=configure,
    run=run,
)
