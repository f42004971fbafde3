"""The pull-request report: what a reviewer reads in one minute, in one comment.

It is assembled from sections, top to bottom: the verdict and the summary
table (only taxonomies that changed), what must be fixed (root causes, each
with the lines it touches and its fallout in the guidelines), the other
changes of each taxonomy by category, the relabel impact between its markers
(``<!-- taxops:impact:start -->``: the ``--counts`` impact and any sections a
caller adds, the registered datasets), and a footer saying where the full list is.

GitHub refuses a comment over 65,536 characters. Each section renders with a
cap on the items of its lists; the report lowers the cap until the whole fits
in :data:`LIMIT`, so 500 findings become the first few of each kind and a
pointer to the full JSON or JUnit artefact, never a refused comment.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from taxops.diagnostics import Diagnostic, Severity
from taxops.formatting.causes import RANK, Cause, root_causes
from taxops.formatting.markdown import ICON, Links, code, finding_line, message
from taxops.formatting.summary import BUMP_RANK, changes_summary

if TYPE_CHECKING:
    from taxops.compatibility.compare import Comparison

#: The first line of every report: how a bot finds its own comment to update it.
MARKER = "<!-- taxops-report -->"
IMPACT_START = "<!-- taxops:impact:start -->"
IMPACT_END = "<!-- taxops:impact:end -->"
#: Characters a report may take (GitHub refuses comments over 65,536).
LIMIT = 60_000
#: Item caps tried in turn until the report fits.
_CAPS = (50, 20, 10, 5, 2, 1)
_CATEGORIES = (
    ("breaking", "Breaking (major)"),
    ("additive", "Additive (minor)"),
    ("cosmetic", "Cosmetic (patch)"),
    ("note", "Notes"),
)


@dataclass(frozen=True)
class Section:
    """One part of the report. ``render(cap)`` returns its Markdown lines with at
    most ``cap`` items in each of its lists (and a line saying how many more
    there are); it escapes every value it shows (:mod:`taxops.formatting.markdown`)."""

    name: str
    render: Callable[[int], list[str]]


def format_markdown(
    diagnostics: Sequence[Diagnostic],
    *,
    comparisons: Sequence[Comparison] = (),
    base: str = "",
    impact: str | None = None,
    files: int | None = None,
    links: Links | None = None,
    sections: Sequence[Section] = (),
    limit: int = LIMIT,
) -> str:
    """The report. ``diagnostics`` are all findings (waivers applied);
    ``comparisons`` say what was compared; ``impact`` is Markdown for the impact
    section (from ``--counts``); ``sections`` (the registered datasets) go in the
    impact section after it. With neither, a placeholder says how to get them."""
    links = links or Links()
    causes = root_causes(diagnostics)
    must_fix = _pick([c for c in causes if c.rank == RANK[Severity.ERROR]])
    others: dict[tuple[str | None, str], list[Cause]] = defaultdict(list)
    for cause in causes:
        if cause.rank != RANK[Severity.ERROR]:
            taxonomy = cause.taxonomy if "category" in cause.finding.data else None
            others[(taxonomy, cause.category)].append(cause)
    other_groups = {key: _pick(group) for key, group in others.items()}
    changed = [c for c in comparisons if c.primary and (c.findings or c.changes.content_changed)]
    parts = [
        Section("summary", lambda cap: _summary(diagnostics, comparisons, changed, base, cap)),
        Section("must-fix", lambda cap: _must_fix(must_fix, links, cap)),
        Section("changes", lambda cap: _other_changes(other_groups, changed, links, cap)),
        Section("impact", lambda cap: _impact(impact, [s.render(cap) for s in sections])),
        Section("footer", lambda cap: _footer(diagnostics, links)),
    ]
    text = ""
    for cap in _CAPS:
        text = _assemble(parts, cap)
        if len(text) <= limit:
            return text
    return _cut(text, limit)


@dataclass(frozen=True)
class _Shown:
    """``total`` causes of one kind, of which the first ``max(_CAPS)`` in order
    (all any rendering can show), chosen without sorting them all: 200,000
    findings cost one pass."""

    causes: list[Cause]
    total: int


def _pick(causes: list[Cause]) -> _Shown:
    return _Shown(heapq.nsmallest(max(_CAPS), causes, key=Cause.order), len(causes))


def _assemble(parts: Sequence[Section], cap: int) -> str:
    lines = [MARKER]
    for part in parts:
        lines += part.render(cap)
    return "\n".join(lines).rstrip("\n") + "\n"


def _cut(text: str, limit: int) -> str:
    """The last resort when even one item of each list does not fit (thousands
    of changed taxonomies): whole lines up to the limit, open ``<details>``
    closed, and a line saying the report was cut."""
    note = "\n\n_The report was cut to fit in a comment: see the full findings below the fold._\n"
    kept: list[str] = []
    size = len(note) + 100
    for line in text.splitlines():
        if size + len(line) + 1 > limit:
            break
        kept.append(line)
        size += len(line) + 1
    opened = sum(line.startswith("<details") for line in kept) - kept.count("</details>")
    return "\n".join([*kept, *[""] * bool(opened), *["</details>"] * opened]) + note


def _plural(n: int, word: str) -> str:
    """``1 finding``, ``2 findings``; ``2 other taxonomies``."""
    if n == 1:
        return f"{n:,} {word}"
    plural = word[:-1] + "ies" if word.endswith("y") and word[-2:-1] not in "aeiou" else word + "s"
    return f"{n:,} {plural}"


def _summary(
    diagnostics: Sequence[Diagnostic],
    comparisons: Sequence[Comparison],
    changed: Sequence[Comparison],
    base: str,
    cap: int,
) -> list[str]:
    blocking = sum(
        1 for d in diagnostics if d.severity is Severity.ERROR and d.data.get("allowed") is False
    )
    errors = sum(1 for d in diagnostics if d.severity is Severity.ERROR) - blocking
    if blocking:
        status = f"❌ **blocked**: {_plural(blocking, 'change')} not allowed"
    elif errors:
        status = f"❌ **{_plural(errors, 'error')}** to fix"
    else:
        status = "✅ **compatible**"
    headline = f"**{changes_summary(comparisons)}**"
    if base:
        headline += f" · compared with {message(base)}"
    out = [f"## taxops check: {status}", "", headline, ""]
    if changed:
        out += [
            "| Taxonomy | Version | Bump (declared / required) | Mode | Breaking | Additive | Cosmetic |",
            "|---|---|---|---|---:|---:|---:|",
        ]
        for c in changed[: cap * 2]:
            n = c.counts()
            declared = c.declared.value if c.declared else "decreased"
            ok = "✅" if c.declared and BUMP_RANK[declared] >= BUMP_RANK[c.required.value] else "❌"
            out.append(
                f"| {code(c.taxonomy)} | {code(c.old.taxonomy.version)} → "
                f"{code(c.new.taxonomy.version)} | {ok} {declared} / {c.required.value} | "
                f"{c.mode.value} | {n['breaking']:,} | {n['additive']:,} | {n['cosmetic']:,} |"
            )
        if len(changed) > cap * 2:
            out.append(f"| … and {len(changed) - cap * 2:,} more | | | | | | |")
        out.append("")
    unchanged = sum(1 for c in comparisons if c.primary) - len(changed)
    if unchanged:
        out += [f"_{_plural(unchanged, 'other taxonomy')} compared, without changes._", ""]
    return out


def _must_fix(shown: _Shown, links: Links, cap: int) -> list[str]:
    if not shown.total:
        return []
    out = ["### Must fix", ""]
    for cause in shown.causes[:cap]:
        out += _cause(cause, links, cap)
    if shown.total > cap:
        more = _plural(shown.total - cap, "more cause")
        out.append(f"- … and {more} (see the full findings)")
    out.append("")
    return out


def _cause(cause: Cause, links: Links, cap: int) -> list[str]:
    """A cause, what else it triggers on its line, and its fallout elsewhere."""
    line = "- " + finding_line(cause.finding, links)
    alike = [d for d in cause.same_line if d.rule == cause.finding.rule]
    also = [d for d in cause.same_line if d.rule != cause.finding.rule]
    if also:
        rules = sorted({d.rule for d in also})
        line += " (same line: " + ", ".join(f"**{links.rule(r)}**" for r in rules) + ")"
    out = [line]
    if alike:
        labels = [d.data["label"] for d in alike if d.data.get("label") is not None]
        named = ", ".join(code(label) for label in labels[:cap])
        rest = len(alike) - min(len(labels), cap)
        out.append(
            f"  - and {_plural(len(alike), 'more finding')} of this rule here"
            + (f": {named}" if named else "")
            + (f" and {rest:,} more" if named and rest else "")
        )
    if cause.fallout:
        out.append(f"  - it causes {_plural(len(cause.fallout), 'finding')} elsewhere:")
        for d in cause.fallout[:cap]:
            out.append("    - " + finding_line(d, links, hint=False))
        if len(cause.fallout) > cap:
            out.append(f"    - … and {len(cause.fallout) - cap:,} more")
    return out


def _other_changes(
    groups: dict[tuple[str | None, str], _Shown],
    changed: Sequence[Comparison],
    links: Links,
    cap: int,
) -> list[str]:
    """Each changed taxonomy's remaining findings by category, then the
    warnings and notes of no changed taxonomy (guidelines, policies)."""
    left = dict(groups)
    out: list[str] = []
    for c in changed:
        versions = f"{code(c.old.taxonomy.version)} → {code(c.new.taxonomy.version)}"
        out += [f"### {code(c.taxonomy)} {versions}", ""]
        found = [(key, title, left.pop((c.taxonomy, key), None)) for key, title in _CATEGORIES]
        if not any(shown for _, _, shown in found):
            out += ["Nothing more: every change is under *Must fix*.", ""]
        for key, title, shown in found:
            if shown:
                heading = f"{title}: {shown.total:,}"
                out += _table(heading, shown, links, cap, opened=key == "breaking")
    if left:
        merged = sorted((c for s in left.values() for c in s.causes), key=Cause.order)
        rest = _Shown(merged, sum(s.total for s in left.values()))
        out += ["### Other findings", ""]
        out += _table(f"Warnings and notes: {rest.total:,}", rest, links, cap, opened=False)
    return out


def _table(title: str, shown: _Shown, links: Links, cap: int, opened: bool) -> list[str]:
    out = [f"<details{' open' if opened else ''}><summary><b>{title}</b></summary>", ""]
    out += ["| | Rule | Change | Where |", "|---|---|---|---|"]
    for cause in shown.causes[:cap]:
        d = cause.finding
        more = f" (and {len(cause.same_line):,} more here)" if cause.same_line else ""
        out.append(
            f"| {ICON[cause.severity]} | {links.rule(d.rule)} | {message(d.message)}{more} | "
            f"{links.place(d.location or d.previous)} |"
        )
    if shown.total > cap:
        out.append(f"| | | … and {shown.total - cap:,} more (see the full findings) | |")
    return [*out, "", "</details>", ""]


def _impact(impact: str | None, parts: list[list[str]]) -> list[str]:
    """The relabel impact between its markers: the ``--counts`` impact and the
    registered datasets' tables; what to do when there is neither."""
    body = [impact.strip(), ""] if impact else []
    extra = [line for part in parts for line in part]
    if not body and not extra:
        body = [
            "_Not computed: register the datasets labeled with this taxonomy "
            "(`policies/datasets.yaml`), or run `taxops check --counts COUNTS` with per-label "
            "item counts, to see items touched, review items, cost and days._",
            "",
        ]
    return [IMPACT_START, "### Relabel impact", "", *body, *extra, IMPACT_END, ""]


def _footer(diagnostics: Sequence[Diagnostic], links: Links) -> list[str]:
    if not diagnostics:
        return []
    where = "`taxops check --format json` (or `--format junit`)"
    if links.run:
        where = f"`taxops-findings.json` among the artefacts of [this run]({links.run}), or {where}"
    return [f"<sub>{_plural(len(diagnostics), 'finding')} in all; every one is in {where}.</sub>"]
