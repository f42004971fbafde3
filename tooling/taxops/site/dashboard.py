"""The dashboard section of the site: quality and operations results the team
commits (or CI writes) as JSON under ``reports/`` (``taxops quality agreement
--output``, ``taxops ops scorecard --output``, ``taxops ops plan --output``),
shown as tables and static SVG charts.

Read top to bottom: find the result files, group them by kind, build one page
per kind (agreement by label over time, vendor scorecards with the turnaround
distribution, delivery against plan) and an overview, with their chart files.
Files that are not valid results are reported, never fatal.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from taxops.diagnostics import Diagnostic, Location, Severity, TaxopsError
from taxops.escaping import terminal
from taxops.site.charts import Series, bar_chart, line_chart
from taxops.site.pages import Page, TocEntry
from taxops.site.urls import page_url, relative_url
from taxops.textfiles import read_json

FOLDER = "dashboard"
KNOWN = {
    "taxops/quality-agreement/1": "agreement",
    "taxops/ops-scorecard/1": "scorecard",
    "taxops/ops-plan/1": "plan",
}
#: Labels drawn per agreement chart (the lowest in the latest week).
LABEL_LINES = 5


@dataclass(frozen=True)
class Figure:
    src: str
    alt: str
    caption: str


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    #: Per row: "missed", "met" or "" (a CSS class).
    states: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    notes: tuple[str, ...] = ()
    figures: tuple[Figure, ...] = ()
    tables: tuple[Table, ...] = ()
    links: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class DashboardView:
    title: str
    intro: str
    sections: tuple[Section, ...]


@dataclass
class Dashboard:
    pages: list[Page] = field(default_factory=list)
    #: Generated files: path in the site -> content (the SVG charts).
    files: dict[str, str] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def build_dashboard(root: Path, folder: str, directory_urls: bool = True) -> Dashboard:
    """The dashboard pages for the results under ``root/folder`` (none without results)."""
    out = Dashboard()
    results = _load(root, folder, out)
    if not any(results.values()):
        return out
    pages = [
        ("agreement", "Agreement", _agreement_sections),
        ("scorecards", "Vendor scorecards", _scorecard_sections),
        ("delivery", "Delivery against plan", _delivery_sections),
    ]
    kinds = {"agreement": "agreement", "scorecards": "scorecard", "delivery": "plan"}
    built = []
    for name, title, sections_of in pages:
        found = results[kinds[name]]
        if not found:
            continue
        src = f"{FOLDER}/{name}.md"
        sections = sections_of(found, out.files, _chart_href(src, directory_urls))
        built.append((src, title, sections))
    overview = _overview(results, built, directory_urls)
    out.pages.append(_page(f"{FOLDER}/index.md", "Quality dashboard", overview, "Overview"))
    for src, title, sections in built:
        out.pages.append(_page(src, title, DashboardView(title, "", tuple(sections)), title))
    return out


def _page(src: str, title: str, view: DashboardView, nav_title: str) -> Page:
    view = _visible(view)
    toc = [TocEntry(s.id, s.title) for s in view.sections]
    return Page(src, title, "dashboard.html.j2", view, toc=toc, nav=True, nav_title=nav_title)


def _visible(view: DashboardView) -> DashboardView:
    """Control and bidi characters in values from result files made visible
    (the templates escape HTML; this keeps an ESC or a right-to-left override
    from reaching the page as itself)."""

    def row(cells: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(terminal(c) for c in cells)

    sections = tuple(
        replace(
            s,
            title=terminal(s.title),
            notes=row(s.notes),
            figures=tuple(
                replace(f, alt=terminal(f.alt), caption=terminal(f.caption)) for f in s.figures
            ),
            tables=tuple(
                replace(t, headers=row(t.headers), rows=tuple(row(r) for r in t.rows))
                for t in s.tables
            ),
            links=tuple((terminal(text), href) for text, href in s.links),
        )
        for s in view.sections
    )
    return replace(view, title=terminal(view.title), intro=terminal(view.intro), sections=sections)


def _load(root: Path, folder: str, out: Dashboard) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    results: dict[str, list[tuple[str, dict[str, Any]]]] = {k: [] for k in KNOWN.values()}
    base = root / folder
    for path in sorted(base.rglob("*.json")) if base.is_dir() else []:
        shown = path.relative_to(root).as_posix()
        try:
            data = read_json(path)
        except TaxopsError as exc:
            out.diagnostics.append(
                Diagnostic(
                    "dashboard-result-unreadable",
                    Severity.WARNING,
                    f"the dashboard cannot read {shown}: {exc}",
                    Location(shown),
                    hint="write results with 'taxops ... --output FILE.json'",
                )
            )
            continue
        kind = KNOWN.get(data.get("schema", "")) if isinstance(data, dict) else None
        if kind:
            results[kind].append((shown, data))
    return results


def _chart_href(page_src: str, directory_urls: bool) -> Any:
    here = page_url(page_src, directory_urls)

    def href(name: str) -> str:
        return relative_url(f"{FOLDER}/charts/{name}", here)

    return href


def _num(x: Any, digits: int = 3) -> str:
    if x is None:
        return "-"
    return f"{float(x):,.{digits}f}"


def _pct(x: Any) -> str:
    return "-" if x is None else f"{float(x):.1%}"


# --- agreement -------------------------------------------------------------------


def _agreement_sections(
    found: list[tuple[str, dict[str, Any]]], files: dict[str, str], href: Any
) -> list[Section]:
    """Per taxonomy: agreement by week overall and for the labels lowest last
    week, against the plan's target; a table of every label's latest figure."""
    by_taxonomy: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for shown, r in found:
        by_taxonomy.setdefault(r.get("taxonomy") or "(no taxonomy)", []).append((shown, r))
    sections = []
    for n, (taxonomy, reports) in enumerate(sorted(by_taxonomy.items())):
        metric = (
            next((r.get("plan_metric") for _, r in reports if r.get("plan_metric")), None)
            or "krippendorff_alpha"
        )
        weeks: dict[str, dict[str, Any]] = {}
        for _, r in sorted(reports, key=lambda x: x[0]):
            weeks.update(r.get("weeks") or {})  # a later result file wins for a week it repeats
        latest = reports[-1][1]
        target = _target(latest, "overall")
        x = sorted(weeks)
        name = _metric_name(metric)
        notes = [f"From {len(reports)} result file(s): " + ", ".join(s for s, _ in reports) + "."]
        figures = []
        if x:
            chart = f"agreement-{n}-overall.svg"
            files[f"{FOLDER}/charts/{chart}"] = line_chart(
                f"{taxonomy}: {name} by week",
                x,
                [Series("all labels", [weeks[w].get(metric) for w in x])],
                y_label=name,
                target=target,
                target_label="plan target",
            )
            figures.append(
                Figure(
                    href(chart),
                    f"{name} by week for {taxonomy}",
                    "All labels, items by the week they were first rated.",
                )
            )
            last = weeks[x[-1]].get("labels") or {}
            lowest = sorted((v, k) for k, v in last.items() if v is not None)[:LABEL_LINES]
            if lowest:
                chart = f"agreement-{n}-labels.svg"
                files[f"{FOLDER}/charts/{chart}"] = line_chart(
                    f"{taxonomy}: the {len(lowest)} labels lowest in week {x[-1]}",
                    x,
                    [
                        Series(k, [(weeks[w].get("labels") or {}).get(k) for w in x])
                        for _, k in lowest
                    ],
                    y_label="Krippendorff's alpha (label yes/no)",
                    target=target,
                    target_label="plan target",
                )
                figures.append(
                    Figure(
                        href(chart),
                        f"lowest labels by week for {taxonomy}",
                        "Each label judged as a yes/no decision.",
                    )
                )
        rows, states = [], []
        for label, fig in sorted(
            latest.get("labels", {}).items(), key=lambda kv: _sort_value(kv[1], metric)
        ):
            value = fig.get(metric) or fig.get("fleiss_kappa") or {}
            goal = _target(latest, label)
            met = (
                ""
                if goal is None or value.get("value") is None
                else ("met" if value["value"] >= goal else "missed")
            )
            rows.append(
                (
                    label,
                    f"{fig.get('chosen', 0):,}",
                    _num(value.get("value")),
                    f"{_num(value.get('ci_low'))} to {_num(value.get('ci_high'))}",
                    _num(goal, 2) if goal is not None else "-",
                    met or "-",
                )
            )
            states.append(met)
        vendors = [
            (
                v,
                f"{f.get('items', 0):,}",
                _num((f.get(metric) or {}).get("value")),
                f"{_num((f.get(metric) or {}).get('ci_low'))} to {_num((f.get(metric) or {}).get('ci_high'))}",
            )
            for v, f in latest.get("vendors", {}).items()
        ]
        tables = [
            Table(
                ("label", "chosen", name, "95% interval", "target", ""), tuple(rows), tuple(states)
            )
        ]
        if vendors:
            tables.insert(0, Table(("vendor", "items", name, "95% interval"), tuple(vendors)))
        sections.append(
            Section(f"agreement-{n}", taxonomy, tuple(notes), tuple(figures), tuple(tables))
        )
    return sections


def _sort_value(fig: dict[str, Any], metric: str) -> float:
    value = (fig.get(metric) or fig.get("fleiss_kappa") or {}).get("value")
    return float(value) if value is not None else 9.0


def _target(report: dict[str, Any], scope: str) -> float | None:
    for t in report.get("targets") or []:
        if t.get("scope") == scope:
            return float(t["target"])
    if scope != "overall":
        return _target(report, "overall")
    return None


def _metric_name(metric: str) -> str:
    from taxops.quality.targets import METRIC_NAMES

    return METRIC_NAMES.get(metric, metric)


# --- scorecards ------------------------------------------------------------------


def _scorecard_sections(
    found: list[tuple[str, dict[str, Any]]], files: dict[str, str], href: Any
) -> list[Section]:
    """The latest scorecard per vendor, weekly p95 turnaround against the SLA,
    and the turnaround distribution."""
    shown, latest = sorted(found, key=lambda x: (x[1].get("last_accepted") or "", x[0]))[-1]
    sections = []
    for n, (vendor, card) in enumerate(sorted(latest.get("vendors", {}).items())):
        rows, states = [], []
        for line in card["lines"]:
            met = {True: "met", False: "missed", None: ""}[line["met"]]
            rows.append(
                (
                    line["line"],
                    _line_figure(line),
                    met or "-",
                    _by(line),
                    line["trend"]["direction"],
                )
            )
            states.append(met)
        verdict = {True: "met every line", False: "MISSED", None: "not measured"}[card["met"]]
        w = card["window"]
        notes = [f"SLA {card['sla']}, {w['start']} to {w['end']}: {verdict}.", f"From {shown}."]
        figures = []
        weekly = latest.get("weekly", {}).get(vendor) or {}
        turnaround = next((ln for ln in card["lines"] if ln["metric"] == "turnaround_hours"), None)
        if weekly and turnaround:
            pct = turnaround["detail"] or "p95"
            x = sorted(weekly)
            chart = f"scorecard-{n}-turnaround.svg"
            files[f"{FOLDER}/charts/{chart}"] = line_chart(
                f"{vendor}: {pct} turnaround by week",
                x,
                [Series(f"{pct} hours", [weekly[k].get(f"turnaround_{pct}_hours") for k in x])],
                y_label="hours from created to delivered",
                target=turnaround["target"],
                target_label="SLA",
            )
            figures.append(
                Figure(href(chart), f"{vendor} {pct} turnaround by week", "Weeks by delivery date.")
            )
        histogram = latest.get("turnaround_histogram", {}).get(vendor) or []
        if histogram:
            chart = f"scorecard-{n}-distribution.svg"
            files[f"{FOLDER}/charts/{chart}"] = bar_chart(
                f"{vendor}: turnaround distribution (whole log)",
                [(f"{b['from_hours']:g}", float(b["tasks"])) for b in histogram],
                y_label="tasks",
                marker=turnaround["target"] if turnaround else None,
                marker_label="SLA",
            )
            figures.append(
                Figure(
                    href(chart),
                    f"{vendor} turnaround distribution",
                    "Tasks by hours from created to delivered, in 6-hour buckets.",
                )
            )
        sections.append(
            Section(
                f"vendor-{n}",
                vendor,
                tuple(notes),
                tuple(figures),
                (
                    Table(
                        ("SLA line", "figure", "", "by", "vs window before"),
                        tuple(rows),
                        tuple(states),
                    ),
                ),
            )
        )
    if latest.get("vendors_without_sla"):
        sections.append(
            Section(
                "no-sla",
                "Without an SLA",
                ("No SLA covers: " + ", ".join(latest["vendors_without_sla"]) + ".",),
            )
        )
    return sections


def _line_figure(line: dict[str, Any]) -> str:
    value = line["figure"]
    if value is None:
        return "-"
    if line["metric"] == "turnaround_hours":
        return f"{value:.1f} h"
    if line["metric"] == "rework_rate":
        return _pct(value)
    return _num(value, 3 if line["metric"] == "cost_per_item" else 1)


def _by(line: dict[str, Any]) -> str:
    if line["met"] or line["by"] is None:
        return ""
    if line["metric"] == "turnaround_hours":
        return f"{line['by']:+.1f} h"
    if line["metric"] == "rework_rate":
        return f"{line['by'] * 100:+.1f} pts"
    return f"{line['by']:+.3f}"


# --- delivery --------------------------------------------------------------------


def _delivery_sections(
    found: list[tuple[str, dict[str, Any]]], files: dict[str, str], href: Any
) -> list[Section]:
    """Each plan with progress: delivered so far against a straight line to the
    volume on the due date, and the forecast."""
    sections = []
    for n, (shown, plan) in enumerate(found):
        progress = plan.get("progress") or {}
        title = f"{plan['volume']:,} items" + (f" by {plan['due']}" if plan.get("due") else "")
        notes = [
            f"From {shown}; effort {plan['effort']['hours_per_item'] * 60:.2f} minutes per item."
        ]
        if "staffing" in plan:
            s = plan["staffing"]
            notes.append(f"Staff needed: {s['people']} for {s['working_days']} working days.")
        forecast = progress.get("forecast") or {}
        if progress:
            notes.append(
                f"Delivered {progress['delivered']:,} of {progress['volume']:,} ({_pct(progress.get('share_done'))})."
            )
        if forecast:
            text = f"Forecast finish {forecast['finish']}"
            if forecast.get("range_90"):
                text += f" (90% between {forecast['range_90'][0]} and {forecast['range_90'][1]})"
            if "risk_of_missing" in forecast:
                text += f"; risk of missing the due date: {_pct(forecast['risk_of_missing'])}"
            notes.append(text + ".")
        figures = []
        daily = plan.get("daily") or {}
        if daily and plan.get("due"):
            days = sorted(daily)
            total, cumulative = 0, []
            for d in days:
                total += daily[d]
                cumulative.append(float(total))
            steps = len(days)
            planned = [
                plan["volume"] * (i + 1) / max(steps, plan.get("working_days_planned") or steps)
                for i in range(steps)
            ]
            chart = f"delivery-{n}.svg"
            files[f"{FOLDER}/charts/{chart}"] = line_chart(
                f"Delivered against plan ({plan['volume']:,} items)",
                days,
                [Series("delivered", cumulative), Series("plan (straight line)", planned)],
                y_label="items delivered",
            )
            figures.append(
                Figure(
                    href(chart),
                    "cumulative items delivered against the plan",
                    "Cumulative deliveries by day.",
                )
            )
        sections.append(Section(f"plan-{n}", title, tuple(notes), tuple(figures)))
    return sections


# --- overview --------------------------------------------------------------------


def _overview(
    results: dict[str, list[tuple[str, dict[str, Any]]]],
    built: list[tuple[str, str, list[Section]]],
    directory_urls: bool,
) -> DashboardView:
    here = page_url(f"{FOLDER}/index.md", directory_urls)
    links = tuple(
        (title, relative_url(page_url(src, directory_urls), here)) for src, title, _ in built
    )
    notes = []
    for _, r in results["agreement"][-1:]:
        o = r["overall"].get(r.get("plan_metric") or "krippendorff_alpha") or {}
        notes.append(
            f"Agreement ({r.get('taxonomy') or 'all'}): {_num(o.get('value'))}, {sum(1 for f in r.get('findings', []) if f['severity'] == 'error')} target(s) missed."
        )
    for _, r in results["scorecard"][-1:]:
        missed = [v for v, c in r.get("vendors", {}).items() if c.get("met") is False]
        notes.append(
            "Vendor SLAs: "
            + (f"missed by {', '.join(missed)}." if missed else "every vendor met its SLA.")
        )
    for _, r in results["plan"]:
        f = (r.get("progress") or {}).get("forecast") or {}
        if "risk_of_missing" in f:
            notes.append(
                f"Delivery of {r['volume']:,} items: forecast {f['finish']}, risk of missing {r.get('due')}: {_pct(f['risk_of_missing'])}."
            )
    return DashboardView(
        "Quality dashboard",
        "Figures from the result files under reports/, written by taxops quality and taxops ops.",
        (Section("summary", "Summary", tuple(notes), links=links),),
    )
