"""Registered datasets in the outputs of ``taxops check``: which datasets of the
registry a taxonomy change touches, their counts, and what relabeling them costs
under each one's SLA. The pull-request report's section after the relabel
impact (:class:`taxops.formatting.report.Section`, capped with the report's
other lists), the terminal's lines and a GitHub notice; the JSON output carries
:meth:`taxops.migration.impact.RegisteredImpact.summary`. Every value from the
user's files is escaped for the output it goes to."""

from __future__ import annotations

from collections.abc import Sequence

from taxops.escaping import markdown_code, markdown_inline
from taxops.migration.impact import RegisteredImpact

HEADING = "#### Registered datasets"


def registered_markdown(
    taxonomy: str, impacts: Sequence[RegisteredImpact], limit: int | None = None
) -> str:
    """One table row per registered dataset of ``taxonomy`` (the first ``limit``,
    and how many more: the report caps every list), then a total per currency
    over all of them."""
    out = [
        f"{HEADING} of {markdown_code(taxonomy)}",
        "",
        "| Dataset | Labeled with | Items | Relabeled by machine | Needing review | "
        "Relabel cost | Days (with turnaround) | Counts from |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    totals: dict[str, float] = {}
    for row, entry in enumerate(impacts):
        d = entry.dataset
        if limit is not None and row >= limit:
            cost = entry.result.get("cost") if entry.result else None
            if cost:
                totals[cost["currency"]] = totals.get(cost["currency"], 0.0) + cost["review_cost"]
            continue
        name = markdown_code(d.id)
        version = markdown_code(str(d.version))
        if entry.result is None:
            out.append(
                f"| {name} | {version} | — | — | — | — | — | {markdown_inline(entry.problem or '')} |"
            )
            continue
        r = entry.result
        cost = r.get("cost")
        if cost:
            price = f"{cost['review_cost']:,.2f} {markdown_inline(cost['currency'])}"
            price += f" ({markdown_code(cost['sla'])})"
            days = f"{cost['working_days']} ({cost['calendar_days_with_turnaround']})"
            totals[cost["currency"]] = totals.get(cost["currency"], 0.0) + cost["review_cost"]
        else:
            price, days = "no SLA", "—"
        out.append(
            f"| {name} | {version} | {r['items']:,} | {r['items_relabeled_by_machine']:,} | "
            f"{r['items_needing_review']:,} | {price} | {days} | "
            f"{markdown_code(entry.counts_from) if entry.counts_from else ''} |"
        )
    if limit is not None and len(impacts) > limit:
        out.append(f"| … and {len(impacts) - limit:,} more (taxops impact) | | | | | | | |")
    if totals:
        shown = ", ".join(f"{v:,.2f} {markdown_inline(c)}" for c, v in sorted(totals.items()))
        out += ["", f"Relabel cost across registered datasets: **{shown}**."]
    return "\n".join(out)


def _line(entry: RegisteredImpact) -> str:
    """One dataset in words, every value escaped for a terminal (no control or
    invisible character survives; what embeds the line escapes its own way)."""
    from taxops.escaping import terminal

    d = entry.dataset
    if entry.result is None:
        return f"{terminal(d.id)} ({d.version}): {terminal(entry.problem or '')}"
    r = entry.result
    cost = r.get("cost")
    price = (
        f", relabel cost {cost['review_cost']:,.2f} {terminal(cost['currency'])} under "
        f"{terminal(cost['sla'])}"
        if cost
        else ""
    )
    return (
        f"{terminal(d.id)} ({d.version}): {r['items']:,} items, "
        f"{r['items_relabeled_by_machine']:,} relabeled by machine, "
        f"{r['items_needing_review']:,} needing review{price}"
    )


def registered_text(taxonomy: str, impacts: Sequence[RegisteredImpact]) -> str:
    """The same, one line per dataset, for the terminal."""
    from taxops.escaping import terminal

    lines = "".join(f"  {_line(entry)}\n" for entry in impacts)
    return f"registered datasets of {terminal(taxonomy)}:\n{lines}"


def registered_annotation(taxonomy: str, impacts: Sequence[RegisteredImpact]) -> str:
    """The same as one GitHub Actions notice (no file: it shows in the run's
    summary, where a reviewer reading the annotations sees what the change
    costs the registered datasets)."""
    from taxops.escaping import github_data, github_property, terminal

    title = github_property(f"taxops: registered datasets of {terminal(taxonomy)}")
    message = github_data("\n".join(_line(entry) for entry in impacts))
    return f"::notice title={title}::{message}\n"
