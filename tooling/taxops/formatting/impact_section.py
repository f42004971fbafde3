"""The relabel impact section of the pull-request report, from
:func:`taxops.migration.impact.impact` results (schema
``taxops/relabel-impact/1``): one row per taxonomy, then the changes that touch
the most items. Ids are escaped as code (:mod:`taxops.formatting.markdown`)."""

from __future__ import annotations

from collections.abc import Sequence

from taxops.formatting.markdown import code, message

#: Changes listed under the totals, the largest first.
TOP_CHANGES = 10


def impact_markdown(results: Sequence[dict[str, object]]) -> str:
    out = [
        "| Taxonomy | Items | Unchanged | Relabeled by machine | Needing review | Review cost | Days |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        cost = r.get("cost") or {}
        assert isinstance(cost, dict)
        price = f"{cost['review_cost']:,.2f} {message(str(cost['currency']))}" if cost else "—"
        days = (
            f"{cost['working_days']} ({cost['calendar_days_with_turnaround']} with SLA)"
            if cost
            else "—"
        )
        out.append(
            f"| {code(r['taxonomy'])} {code(r['from'])} → {code(r['to'])} | {r['items']:,} | "
            f"{r['items_unchanged']:,} | {r['items_relabeled_by_machine']:,} | "
            f"{r['items_needing_review']:,} | {price} | {days} |"
        )
    touched = [
        (r["taxonomy"], c)
        for r in results
        for c in r.get("changes", [])  # type: ignore[attr-defined]
        if c["items"]
    ]
    if touched:
        out += ["", "| Taxonomy | Label | Action | Items | Into |", "|---|---|---|---:|---|"]
        for taxonomy, c in sorted(touched, key=lambda tc: -int(tc[1]["items"]))[:TOP_CHANGES]:
            into = ", ".join(code(t) for t in c["targets"]) or "a reviewer decides"
            out.append(
                f"| {code(taxonomy)} | {code(c['label'])} | {c['action']} | {c['items']:,} | {into} |"
            )
    return "\n".join(out)
