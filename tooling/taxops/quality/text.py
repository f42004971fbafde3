"""Terminal tables for the quality and operations reports: pure functions from
a report (plain data, as written to JSON) to text. Every value that came from a
user's file (labels, annotators, vendors, ids) goes through
:func:`taxops.escaping.terminal`, so a label cannot move the cursor or start a
CI command."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from taxops.escaping import terminal, terminal_lines
from taxops.quality.targets import METRIC_NAMES

#: Rows shown per table before "... and N more" (the JSON has them all).
ROWS = 15


def table(
    headers: Sequence[str], rows: Sequence[Sequence[object]], right: set[int] | None = None
) -> list[str]:
    """Columns padded to their widest cell; ``right`` aligns those columns right."""
    right = right or set()
    cells = [[terminal(c) for c in headers]] + [[terminal(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = []
    for n, row in enumerate(cells):
        parts = [
            c.rjust(widths[i]) if i in right else c.ljust(widths[i]) for i, c in enumerate(row)
        ]
        lines.append("  " + "  ".join(parts).rstrip())
        if n == 0:
            lines.append("  " + "  ".join("-" * w for w in widths))
    return lines


def num(x: object, digits: int = 3) -> str:
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{x:.{digits}f}"
    if isinstance(x, int):
        return f"{x:,}"
    return str(x)


def pct(x: object) -> str:
    return "-" if x is None else f"{float(x):.1%}"  # type: ignore[arg-type]


def ci(fig: Mapping[str, Any] | None) -> str:
    if not fig or fig.get("value") is None:
        return "-"
    if fig.get("ci_low") is None:
        return num(fig["value"])
    return f"{num(fig['value'])} [{num(fig['ci_low'])}, {num(fig['ci_high'])}]"


def _more(lines: list[str], total: int) -> None:
    if total > ROWS:
        lines.append(f"  ... and {total - ROWS:,} more (--format json lists them all)")


def findings_text(findings: Sequence[Mapping[str, Any]]) -> list[str]:
    lines = []
    for f in findings:
        loc = f.get("location")
        where = f"{terminal(loc['path'])}:{loc['line']}:{loc['column']}: " if loc else ""
        lines.append(f"{where}{f['severity']} [{f['rule']}] {terminal(f['message'])}")
        if f.get("hint"):
            lines.append(f"    hint: {terminal(f['hint'])}")
    return lines


def agreement_text(report: Mapping[str, Any]) -> str:
    s = report["summary"]
    metric = report.get("plan_metric") or "krippendorff_alpha"
    name = METRIC_NAMES.get(metric, metric)
    lines = [
        f"{terminal(report['source'])}: {s['items']:,} items, {s['ratings']:,} ratings by "
        f"{s['annotators']:,} annotators ({s['vendors']:,} vendors), {s['labels']:,} labels"
        + (" (multi-label)" if report["multi_label"] else ""),
    ]
    if s["rows_without_label"] or s["repeated_ratings"]:
        lines.append(
            f"  {s['rows_without_label']:,} rows without a label; "
            f"{s['repeated_ratings']:,} annotator-item pairs rated twice (the latest kept)"
        )
    b = report["bootstrap"]
    lines += [
        "",
        f"Agreement, with 95% intervals ({b['replicates']:,} bootstrap resamples of items, seed {b['seed']}):",
    ]
    overall = report["overall"]
    if report["multi_label"]:
        lines.append("(multi-label: each label's yes/no figure, averaged over the labels)")
    lines += table(
        ["metric", "value [95% interval]"],
        [[METRIC_NAMES[m], ci(overall[m])] for m in overall if overall[m]["value"] is not None],
    )
    if report["vendors"]:
        lines += ["", f"By vendor ({name}, among each vendor's annotators):"]
        lines += table(
            ["vendor", "items", name],
            [
                [v, num(x["items"]), ci(x.get(metric) or x["fleiss_kappa"])]
                for v, x in report["vendors"].items()
            ],
            {1},
        )
    labels = sorted(
        report["labels"].items(),
        key=lambda kv: (
            (kv[1].get(metric) or kv[1]["fleiss_kappa"])["value"]
            if (kv[1].get(metric) or kv[1]["fleiss_kappa"])["value"] is not None
            else 9
        ),
    )
    lines += ["", f"By label, lowest first ({name} of the yes/no decision):"]
    lines += table(
        ["label", "chosen", name],
        [[k, num(x["chosen"]), ci(x.get(metric) or x["fleiss_kappa"])] for k, x in labels[:ROWS]],
        {1},
    )
    _more(lines, len(labels))
    top = report["confusion"].get("top") or []
    if top:
        lines += [
            "",
            "Labels most often chosen in place of each other (pairs of ratings of one item):"
            if report["multi_label"]
            else "Most confused label pairs (pairs of ratings of one item):",
        ]
        lines += table(
            ["labels", "pairs", "share"],
            [
                [" <> ".join(c["labels"]), num(c["pairs"], 1), pct(c["share_of_their_pairs"])]
                for c in top[:10]
            ],
            {1, 2},
        )
    annotators = sorted(
        report["annotators"].items(),
        key=lambda kv: kv[1]["cohen_kappa_mean"] if kv[1]["cohen_kappa_mean"] is not None else 9,
    )
    lines += ["", "By annotator (mean Cohen's kappa with co-annotators, weighted by shared items):"]
    lines += table(
        ["annotator", "vendor", "ratings", "kappa"],
        [
            [a, x["vendor"] or "-", num(x["ratings"]), num(x["cohen_kappa_mean"])]
            for a, x in annotators[:ROWS]
        ],
        {2, 3},
    )
    _more(lines, len(annotators))
    gold = report.get("gold")
    if gold:
        lines += _gold_lines(gold)
    if report["findings"]:
        lines += ["", *findings_text(report["findings"])]
    errors = sum(1 for f in report["findings"] if f["severity"] == "error")
    lines.append(
        f"{errors} target{'s' if errors != 1 else ''} missed"
        if errors
        else ("every target met" if report.get("plan") else "no quality plan: figures only")
    )
    return terminal_lines(lines)  # each line escaped and clipped


def _gold_lines(gold: Mapping[str, Any]) -> list[str]:
    o = gold["overall"]
    lines = [
        "",
        f"Gold: {gold['gold_items']:,} items ({gold['gold_items_migrated']:,} carried to the "
        f"current version, {len(gold['gold_items_excluded']):,} left out); accuracy "
        f"{pct(o['accuracy'])} [{pct(o['ci_low'])}, {pct(o['ci_high'])}] over {o['ratings']:,} ratings",
    ]
    for e in gold["gold_items_excluded"][:5]:
        lines.append(f"  left out: {terminal(e['item'])}: {terminal(e['reason'])}")
    rows = [
        [
            k,
            "vendor",
            num(v["ratings"]),
            f"{pct(v['accuracy'])} [{pct(v['ci_low'])}, {pct(v['ci_high'])}]",
        ]
        for k, v in gold["vendors"].items()
    ] + [
        [
            k,
            terminal(v["vendor"] or "-"),
            num(v["ratings"]),
            f"{pct(v['accuracy'])} [{pct(v['ci_low'])}, {pct(v['ci_high'])}]",
        ]
        for k, v in gold["annotators"].items()
    ]
    lines += table(["who", "vendor", "ratings", "accuracy [95%]"], rows[: ROWS * 2], {2})
    return lines


def scorecard_text(report: Mapping[str, Any]) -> str:
    lines = [
        f"{terminal(report['source'])}: {report['rows']:,} tasks, created from "
        f"{report['first_created'] or '-'} to last delivery {report['last_accepted'] or '-'}"
    ]
    if report.get("tasks_with_times_backwards"):
        lines.append(
            f"  {report['tasks_with_times_backwards']:,} tasks with times running backwards "
            "(accepted before created: left out; submitted before started: no handle time); "
            "check the log's clocks and zones"
        )
    for column, bad in (report.get("unreadable_times") or {}).items():
        lines.append(
            f"  {bad['tasks']:,} tasks whose {terminal(column)} value is not a time "
            f"(e.g. '{terminal(bad['example'])}'): read as missing; write times as ISO 8601"
        )
    for vendor, card in report["vendors"].items():
        w = card["window"]
        verdict = {True: "MET", False: "MISSED", None: "not measured"}[card["met"]]
        lines += [
            "",
            f"{terminal(vendor)} under SLA {terminal(card['sla'])}, {w['start']} to {w['end']}: {verdict}",
        ]
        rows = []
        for line in card["lines"]:
            met = {True: "met", False: "MISSED", None: "-"}[line["met"]]
            trend = line["trend"]
            arrow = {"better": "better", "worse": "worse", "same": "same"}.get(
                trend["direction"], "-"
            )
            rows.append([line["line"], _fig(line["metric"], line["figure"]), met, _by(line), arrow])
        lines += table(["SLA line", "figure", "", "by", "vs window before"], rows, {1, 3})
    if report["vendors_without_sla"]:
        lines += [
            "",
            "No SLA covers: " + ", ".join(terminal(v) for v in report["vendors_without_sla"]),
        ]
    overall = report["overall"]
    if overall:
        lines += ["", "Whole log:"]
        cols = report["percentiles"]
        rows = [
            [
                v,
                num(f["delivered"]),
                num(f["throughput_per_day"], 1),
                *[num(f.get(f"turnaround_{p}_hours"), 1) for p in cols],
                pct(f["rework_rate"]),
                num(f["cost_per_item"], 3),
                pct(f["audit_score"]),
            ]
            for v, f in sorted(overall.items())
        ]
        lines += table(
            [
                "vendor",
                "delivered",
                "per day",
                *[f"{p} h" for p in cols],
                "rework",
                "cost/item",
                "audit",
            ],
            rows,
            set(range(1, 6 + len(cols))),
        )
    if report["findings"]:
        lines += ["", *findings_text(report["findings"])]
    missed = sum(1 for f in report["findings"] if f["severity"] == "error")
    lines.append(
        f"{missed} SLA line{'s' if missed != 1 else ''} missed" if missed else "every SLA line met"
    )
    return terminal_lines(lines)  # each line escaped and clipped


def _fig(metric: str, value: object) -> str:
    if value is None:
        return "-"
    if metric == "turnaround_hours":
        return f"{float(value):.1f} h"  # type: ignore[arg-type]
    if metric == "rework_rate":
        return pct(value)
    if metric == "cost_per_item":
        return f"{float(value):.3f}"  # type: ignore[arg-type]
    return num(value, 1)


def _by(line: Mapping[str, Any]) -> str:
    if line["by"] is None or line["met"]:
        return ""
    by = float(line["by"])
    if line["metric"] == "turnaround_hours":
        return f"{by:+.1f} h"
    if line["metric"] == "rework_rate":
        return f"{by * 100:+.1f} pts"
    if line["metric"] == "cost_per_item":
        return f"{by:+.4f}"
    return f"{by:+,.1f}"
