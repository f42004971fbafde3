"""The pull-request report: what a reviewer reads in one minute.

A status line, the summary ("major bump required: 2 breaking, 3 additive, 5
cosmetic"), what blocks the merge, then each taxonomy's changes grouped by
category in tables, and a marked section where the relabel impact goes
(``<!-- taxops:impact -->``), filled when a counts file is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from taxops.diagnostics import Diagnostic, Location, Severity

if TYPE_CHECKING:
    from taxops.compatibility.compare import Comparison

IMPACT_START = "<!-- taxops:impact:start -->"
IMPACT_END = "<!-- taxops:impact:end -->"

_CATEGORIES = (
    ("breaking", "Breaking (major)"),
    ("additive", "Additive (minor)"),
    ("cosmetic", "Cosmetic (patch)"),
    ("note", "Notes"),
)
_ICON = {Severity.ERROR: "❌", Severity.WARNING: "⚠️", Severity.INFO: "ℹ️"}
_RANK = {"none": 0, "patch": 1, "minor": 2, "major": 3}


def summary_line(comparisons: Sequence[Comparison]) -> str:
    """``major bump required: 2 breaking, 3 additive, 5 cosmetic``."""
    primary = [c for c in comparisons if c.primary]
    counts = {"breaking": 0, "additive": 0, "cosmetic": 0}
    for c in primary:
        for key, n in c.counts().items():
            if key in counts:
                counts[key] += n
    required = max((c.required.value for c in primary), key=_RANK.__getitem__, default="none")
    if not any(counts.values()):
        return "no changes to any taxonomy"
    parts = ", ".join(f"{n} {k}" for k, n in counts.items())
    return f"{required} bump required: {parts}" if required != "none" else parts


def format_markdown(
    diagnostics: Sequence[Diagnostic],
    *,
    comparisons: Sequence[Comparison] = (),
    base: str = "",
    impact: str | None = None,
    files: int | None = None,
) -> str:
    """The report. ``diagnostics`` are all findings (waivers applied);
    ``comparisons`` say what was compared; ``impact`` is Markdown for the impact
    section, or None for a placeholder saying how to get it."""
    blocking = [
        d for d in diagnostics if d.severity is Severity.ERROR and d.data.get("allowed") is False
    ]
    errors = [d for d in diagnostics if d.severity is Severity.ERROR and d not in blocking]
    if blocking:
        status = (
            f"❌ **blocked**: {len(blocking)} change{'s' if len(blocking) != 1 else ''} not allowed"
        )
    elif errors:
        status = f"❌ **{len(errors)} error{'s' if len(errors) != 1 else ''}** to fix"
    else:
        status = "✅ **compatible**"
    out = [f"## taxops check: {status}", "", f"**{summary_line(comparisons)}**"]
    if base:
        out[-1] += f" · compared with {base}"
    out.append("")
    primary = [c for c in comparisons if c.primary]
    if primary:
        out += [
            "| Taxonomy | Version | Bump (declared / required) | Mode | Breaking | Additive | Cosmetic |",
            "|---|---|---|---|---:|---:|---:|",
        ]
        for c in primary:
            n = c.counts()
            declared = c.declared.value if c.declared else "decreased"
            ok = "✅" if c.declared and _RANK[declared] >= _RANK[c.required.value] else "❌"
            out.append(
                f"| `{c.taxonomy}` | {c.old.taxonomy.version} → {c.new.taxonomy.version} | "
                f"{ok} {declared} / {c.required.value} | {c.mode.value} | {n['breaking']} | "
                f"{n['additive']} | {n['cosmetic']} |"
            )
        out.append("")
    if blocking or errors:
        out += ["### Must fix", ""]
        out += [
            f"- {_ICON[d.severity]} {_where(d.location)} **[{d.rule}]** {_cell(d.message)}"
            + (f" — _{_cell(d.hint)}_" if d.hint else "")
            for d in [*blocking, *errors]
        ]
        out.append("")
    for c in primary:
        out += _comparison(c)
    out += [IMPACT_START, "### Relabel impact", ""]
    out.append(
        impact.strip()
        if impact
        else "_Not computed: run `taxops check --counts COUNTS` with per-label item counts "
        "of the registered datasets to see items touched, review items, cost and days._"
    )
    out += ["", IMPACT_END, ""]
    return "\n".join(out)


def impact_markdown(results: Sequence[dict[str, object]]) -> str:
    """The relabel impact section's body, from ``taxops.migration.impact`` results
    (schema ``taxops/relabel-impact/1``): one row per taxonomy, then the changes
    that touch the most items."""
    out = [
        "| Taxonomy | Items | Unchanged | Relabeled by machine | Needing review | Review cost | Days |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        cost = r.get("cost") or {}
        assert isinstance(cost, dict)
        price = f"{cost['review_cost']:,.2f} {cost['currency']}" if cost else "—"
        days = (
            f"{cost['working_days']} ({cost['calendar_days_with_turnaround']} with SLA)"
            if cost
            else "—"
        )
        out.append(
            f"| `{r['taxonomy']}` {r['from']} → {r['to']} | {r['items']:,} | {r['items_unchanged']:,} | "
            f"{r['items_relabeled_by_machine']:,} | {r['items_needing_review']:,} | {price} | {days} |"
        )
    touched = [
        (r["taxonomy"], c)
        for r in results
        for c in r.get("changes", [])  # type: ignore[attr-defined]
        if c["items"]
    ]
    if touched:
        out += ["", "| Taxonomy | Label | Action | Items | Into |", "|---|---|---|---:|---|"]
        for taxonomy, c in sorted(touched, key=lambda tc: -int(tc[1]["items"]))[:10]:
            into = ", ".join(f"`{t}`" for t in c["targets"]) or "a reviewer decides"
            out.append(
                f"| `{taxonomy}` | `{c['label']}` | {c['action']} | {c['items']:,} | {into} |"
            )
    return "\n".join(out)


def _comparison(c: Comparison) -> list[str]:
    out = [f"### `{c.taxonomy}` {c.old.taxonomy.version} → {c.new.taxonomy.version}", ""]
    if not c.findings:
        return [*out, "No changes.", ""]
    for key, title in _CATEGORIES:
        found = [d for d in c.findings if d.data.get("category", "note") == key]
        if not found:
            continue
        opened = " open" if key == "breaking" else ""
        out += [f"<details{opened}><summary><b>{title}: {len(found)}</b></summary>", ""]
        out += ["| | Rule | Change | Where | Breaks |", "|---|---|---|---|---|"]
        for d in found:
            breaks = ", ".join(str(b) for b in d.data.get("breaks") or []) or "—"  # type: ignore[attr-defined]
            out.append(
                f"| {_ICON[d.severity]} | `{d.rule}` | {_cell(d.message)} | {_where(d.location)} | {breaks} |"
            )
        out += ["", "</details>", ""]
    return out


def _where(loc: Location | None) -> str:
    return f"`{loc.path}:{loc.line}`" if loc else ""


def _cell(text: str | None) -> str:
    return " ".join((text or "").split()).replace("|", "\\|")
