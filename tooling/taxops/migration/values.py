"""What a dataset's label values become under a map, and the counts that prove
every row is accounted for. Pure: the data engines count the distinct values a
dataset holds, this module decides each value's fate once, and the engines apply
those decisions row by row.

Documented behaviour (``site/docs/reference/migrate.md``):

* a value equal to an old label id is that label, and a label kept is written
  out byte for byte as it came in;
* otherwise a value that equals an id after trimming surrounding whitespace is
  that label; and, when the old version's ids ignore case (``slug`` ids, or
  ``case: insensitive``), a value that equals exactly one id after lower-casing
  both is that label. Such a value is *repaired*: written out as the id is
  spelled, and listed value by value in the report;
* a value that matches several ids once case is ignored is never repaired (it
  is *ambiguous*), nor is a value that differs from an id only in case when case
  carries meaning (``case: sensitive``, the default for codes): both go to the
  review queue as ``unknown-label`` and are listed in the report;
* a null, empty or whitespace-only value is *unlabeled*: the row is migrated
  unchanged and counted as unlabeled;
* any other value is *unknown*: the row goes to the review queue with reason
  ``unknown-label``, never passed through;
* a row the map sends to review gets, as its reason, the map's action for its
  label (:func:`review_reason`): what the reviewer decides.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from taxops.escaping import short, terminal, terminal_lines
from taxops.migration.model import Action, Entry, MigrationMap, Mode

#: What "surrounding spaces" are, for every engine: the characters Python's
#: ``str.strip()`` removes (``str.isspace``: tab, line breaks, no-break and
#: ideographic spaces...). The generated SQL trims exactly these (a bare SQL
#: ``TRIM`` removes only the space) and the generated Python script strips them,
#: so a value with a tab or a no-break space is repaired, or unlabeled, alike in
#: every engine.
SPACES = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


class Disposition(str, enum.Enum):
    KEEP = "keep"
    DIRECT = "direct"
    REVIEW = "review"
    UNKNOWN = "unknown-label"
    UNLABELED = "unlabeled"

    @property
    def to_review(self) -> bool:
        return self in (Disposition.REVIEW, Disposition.UNKNOWN)


@dataclass(frozen=True)
class ValueFate:
    """The fate of one distinct raw value found in a dataset's label column."""

    raw: str | None
    label: str | None
    disposition: Disposition
    #: New label(s) for keep/direct; candidates for review.
    targets: tuple[str, ...]
    action: Action | None = None
    #: How the value was repaired to match ``label`` ("trimmed", "case",
    #: "trimmed, case"); None when it matched exactly.
    repaired: str | None = None
    #: Ids the value matches only if case is ignored, when it was not repaired
    #: to one of them (several match, or case carries meaning).
    not_repaired: tuple[str, ...] = ()

    @property
    def normalised(self) -> bool:
        return self.repaired is not None


UNKNOWN_LABEL = "unknown-label"
MALFORMED = "malformed"


def review_reason(fate: ValueFate) -> str | None:
    """Why a value's row goes to the review queue, in the queue's reason column:
    ``unknown-label`` (the old version never had it), else the map's action for
    its label, which says what the reviewer decides (``split``, ``narrowed``,
    ``became-group``, ``reused``, ``review``, ``unmapped``...). None when the
    value needs no review. Every engine writes this word (the generated scripts
    carry it in their map), so the queues of all engines agree."""
    if fate.disposition is Disposition.UNKNOWN:
        return UNKNOWN_LABEL
    if fate.disposition is Disposition.REVIEW:
        return entry_reason(fate.action)
    return None


def entry_reason(action: Action | None) -> str:
    """The review reason of a map entry a human must decide."""
    return action.value if action is not None else Disposition.REVIEW.value


def row_reason(reasons: list[str | None]) -> str | None:
    """A row's reason from its labels' reasons, in the row's order (several in a
    multi-label row): ``unknown-label`` first, else the first label's."""
    found = [r for r in reasons if r is not None]
    if UNKNOWN_LABEL in found:
        return UNKNOWN_LABEL
    return found[0] if found else None


_DISPOSITION = {
    Mode.KEEP: Disposition.KEEP,
    Mode.DIRECT: Disposition.DIRECT,
    Mode.REVIEW: Disposition.REVIEW,
}


def classify(raw: str | None, migration: MigrationMap) -> ValueFate:
    """Decide what one raw label value becomes (see the module docstring)."""
    if raw is None or not str(raw).strip(SPACES):
        return ValueFate(raw, None, Disposition.UNLABELED, ())
    label, repaired, others = match_label(str(raw), migration)
    if label is None:
        return ValueFate(raw, None, Disposition.UNKNOWN, (), not_repaired=others)
    entry = migration[label]
    disposition = _DISPOSITION[entry.mode]
    if disposition is Disposition.KEEP and repaired:
        disposition = Disposition.DIRECT  # the value is rewritten as the id is spelled
    return ValueFate(raw, label, disposition, entry.targets, entry.action, repaired)


def kept_as_is(raw: str | None, migration: MigrationMap) -> Entry | None:
    """The entry of a value that is an old label's id exactly and that the map
    keeps as it is, else None. Such a value's rows are written unchanged and
    need no :class:`ValueFate`: most values of a published classification are
    these (89,000 of 90,000 in a yearly update), and building a fate for each
    took a quarter of a second. Its fate, were it built, would be
    ``classify(raw)``: kept, that label, its one target the value itself."""
    entry = migration.get(raw)
    if entry is None or entry.mode is not Mode.KEEP or entry.targets != (raw,):
        return None
    return entry if raw and raw.strip(SPACES) else None


def sort_out(values: Iterable[str], migration: MigrationMap) -> tuple[list[str], list[ValueFate]]:
    """A dataset's distinct values: those kept as they are (:func:`kept_as_is`)
    with nothing more to say (action ``keep``: not narrowed), and the fate of
    every other one (:func:`classify`). The report counts the first alike
    before and after, without a look at their entries."""
    kept: list[str] = []
    fates: list[ValueFate] = []
    for raw in values:
        entry = kept_as_is(raw, migration)
        if entry is not None and entry.action is Action.KEEP:
            kept.append(raw)
        else:
            fates.append(classify(raw, migration))
    return kept, fates


def match_label(
    value: str, migration: MigrationMap
) -> tuple[str | None, str | None, tuple[str, ...]]:
    """The old label ``value`` names: ``(label, how it was repaired, ids it
    matches but for case and was not repaired to)``. Exact first; then trimmed;
    then, where ids ignore case, lower-cased, when exactly one id matches."""
    if value in migration:
        return value, None, ()
    trimmed = value.strip(SPACES)
    how = "trimmed" if trimmed != value else None
    if trimmed in migration:
        return trimmed, how, ()
    others = migration.by_lower_id.get(trimmed.lower(), ())
    if len(others) == 1 and migration.id_case == "insensitive":
        return others[0], "trimmed, case" if how else "case", ()
    return None, None, others


def repairs_by_lower_case(migration: MigrationMap) -> dict[str, str]:
    """For engines that match values themselves (the generated scripts): the
    lower case of each id that a case repair may map to it, i.e. when ids ignore
    case and no other id has the same lower case. Empty when case matters."""
    if migration.id_case != "insensitive":
        return {}
    return {low: ids[0] for low, ids in migration.by_lower_id.items() if len(ids) == 1}


@dataclass
class Tally:
    """Counts gathered by an engine, turned into the report."""

    rows_in: int = 0
    rows_migrated: int = 0
    rows_review: int = 0
    #: Rows sent to review, by reason: the map's action for the label (split,
    #: narrowed, became-group, reused, review...), unknown-label, malformed.
    review_reasons: Counter[str] = field(default_factory=Counter)
    #: Raw value -> number of occurrences (rows for a label column, entries for a list).
    values: dict[str | None, int] = field(default_factory=dict)
    #: Multi-label: rows whose cell listed a label more than once (written once).
    rows_with_duplicates: int = 0
    #: Multi-label: null entries dropped from lists.
    null_entries: int = 0
    #: The first malformed records: their row and what is wrong.
    malformed: list[dict[str, Any]] = field(default_factory=list)
    #: Blank lines skipped (JSON lines; CSV of several columns): no records.
    blank_lines: int = 0
    #: The name of what taxops adds to review rows (``_taxops``, or a fresh one
    #: when the data already has it).
    review_key: str = "_taxops"
    #: Raw value -> its fate, as the engine decided it (the report decides the
    #: others itself): deciding 100,000 values again took half a second.
    fates: dict[str | None, ValueFate] = field(default_factory=dict)
    #: The values the engine found kept as they are, action ``keep``
    #: (:func:`sort_out`), each an old label's id; the report counts them
    #: without asking again.
    kept: list[str] = field(default_factory=list)


def build_report(
    migration: MigrationMap, tally: Tally, *, dataset: str, multi_label: bool
) -> dict[str, Any]:
    """The migration report as plain data (written as JSON, printed as text).
    ``check.balanced`` is the proof: migrated + review = input.

    ``per_label`` lists the old labels whose items change (relabeled, queued,
    narrowed...) or whose values were repaired; ``before`` and ``after`` count
    every label. A label kept as it is has nothing more to say than its count:
    listed, the 89,000 kept codes of a classification made up three quarters
    of a 12 MB report."""
    per_label: dict[str, dict[str, Any]] = {}
    by_action: dict[str, int] = {}
    unknown: Counter[str] = Counter()
    normalised: Counter[str] = Counter()
    repaired: list[dict[str, Any]] = []
    not_repaired: list[dict[str, Any]] = []
    unlabeled = 0
    fates = tally.fates
    counts = tally.values
    # The values the engine sorted out as kept as they are (most of them), in
    # bulk: each its own label, counted before and after alike. Plain dicts,
    # not Counters: a classification's 90,000 labels each call a Counter's
    # __missing__ once, in Python.
    before: dict[str, int] = {raw: counts[raw] for raw in tally.kept}
    after = before.copy()
    kept_rows = sum(before.values())  # rows of labels kept as they are, action keep
    changed: set[str] = set()  # the labels per_label lists
    if tally.kept:
        sorted_out = set(tally.kept)
        counts = {raw: n for raw, n in counts.items() if raw not in sorted_out}
    for raw, n in counts.items():
        fate = fates.get(raw)
        if fate is None:
            kept = kept_as_is(raw, migration)
            if kept is not None:  # most values: no fate built (see kept_as_is)
                before[kept.label] = before.get(kept.label, 0) + n
                after[kept.label] = after.get(kept.label, 0) + n
                if kept.action is Action.KEEP:
                    kept_rows += n
                else:  # narrowed, items kept
                    by_action[kept.action.value] = by_action.get(kept.action.value, 0) + n
                    changed.add(kept.label)
                continue
            fate = classify(raw, migration)
        if fate.disposition is Disposition.UNLABELED:
            unlabeled += n
            continue
        if fate.disposition is Disposition.UNKNOWN:
            unknown[str(raw)] += n
            if fate.not_repaired:
                not_repaired.append(_not_repaired(str(raw), fate, n))
            continue
        assert fate.label is not None and fate.action is not None
        before[fate.label] = before.get(fate.label, 0) + n
        by_action[fate.action.value] = by_action.get(fate.action.value, 0) + n
        if fate.action is not Action.KEEP or fate.disposition is not Disposition.KEEP:
            changed.add(fate.label)
        if fate.repaired:
            normalised[fate.label] += n
            repaired.append({"value": raw, "label": fate.label, "how": fate.repaired, "count": n})
        if fate.disposition is Disposition.REVIEW:
            after["(pending review)"] = after.get("(pending review)", 0) + n
        else:
            for target in fate.targets:
                after[target] = after.get(target, 0) + n
    if kept_rows:
        by_action[Action.KEEP.value] = by_action.get(Action.KEEP.value, 0) + kept_rows
    for entry in [e for e in migration.entries if e.label in changed]:  # the map's order
        per_label[entry.label] = {
            "count": before[entry.label],
            "action": entry.action.value,
            "mode": entry.mode.value,
            "targets": list(entry.targets),
            "normalised": normalised.get(entry.label, 0),
        }
    balanced = tally.rows_migrated + tally.rows_review == tally.rows_in
    unit = "entries" if multi_label else "rows"
    return {
        "schema": "taxops/migration-report/1",
        "dataset": dataset,
        "taxonomy": migration.taxonomy,
        "from": migration.from_version,
        "to": migration.to_version,
        "multi_label": multi_label,
        "rows": {
            "input": tally.rows_in,
            "migrated": tally.rows_migrated,
            "review": tally.rows_review,
            "review_by_reason": dict(sorted(tally.review_reasons.items())),
        },
        "check": {
            "balanced": balanced,
            "equation": f"{tally.rows_migrated} migrated + {tally.rows_review} review "
            f"{'=' if balanced else '!='} {tally.rows_in} input",
        },
        "counted_in": unit,
        "by_action": {a.value: by_action.get(a.value, 0) for a in Action},
        "unlabeled": unlabeled,
        "unknown_labels": _by_count(unknown),
        "normalised": sum(normalised.values()),
        "repaired": _most_first(repaired)[:MAX_LISTED_VALUES],
        "not_repaired": _most_first(not_repaired)[:MAX_LISTED_VALUES],
        "rows_with_duplicate_labels": tally.rows_with_duplicates,
        "null_entries_dropped": tally.null_entries,
        "per_label": per_label,
        "before": _by_count(before),
        "after": _by_count(after),
        "malformed": tally.malformed[:100],
        "blank_lines": tally.blank_lines,
        "review_key": tally.review_key,
    }


#: Repaired and unrepaired values listed one by one in a report, most frequent first.
MAX_LISTED_VALUES = 1000


def _not_repaired(raw: str, fate: ValueFate, n: int) -> dict[str, Any]:
    several = len(fate.not_repaired) > 1
    why = (
        "ambiguous: it matches several labels once case is ignored"
        if several
        else "case carries meaning in this taxonomy's ids"
    )
    return {"value": raw, "candidates": list(fate.not_repaired), "why": why, "count": n}


def _most_first(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: (-r["count"], str(r["value"])))


def _by_count(counts: Mapping[str, int]) -> dict[str, int]:
    """Most frequent first, ties by label: the report is the same bytes on every
    run (engines count in parallel and return values in any order). Two sorts
    with keys in C (Python's sort is stable, also reversed): a key function in
    Python took 0.1 s for a classification's 90,000 labels."""
    by_label = sorted(counts.items(), key=itemgetter(0))
    return dict(sorted(by_label, key=itemgetter(1), reverse=True))


_ONE = {"rows": "row", "entries": "entry"}


def _quoted(value: Any) -> str:
    """A raw value for a terminal line: quoted, spaces visible."""
    return repr(str(value))


def report_text(report: Mapping[str, Any]) -> str:
    """A short human summary of a report."""
    rows = report["rows"]
    lines = [
        f"{report['dataset']}: {report['taxonomy']} {report['from']} -> {report['to']}",
        f"  {report['check']['equation']}"
        + ("  (checked)" if report["check"]["balanced"] else "  (MISMATCH)"),
    ]
    reasons = ", ".join(f"{n} {r}" for r, n in rows["review_by_reason"].items() if n)
    if reasons:
        lines.append(f"  review queue: {reasons}")
    acted = ", ".join(f"{n} {a}" for a, n in report["by_action"].items() if n)
    lines.append(f"  {report['counted_in']} by action: {acted or 'none'}")
    if report["unknown_labels"]:
        shown = ", ".join(
            f"'{short(k)}' ({v})" for k, v in list(report["unknown_labels"].items())[:5]
        )
        lines.append(f"  labels not in {report['from']}: {shown} -> review queue")
    if report["normalised"]:
        shown = "; ".join(
            f"{_quoted(r['value'])} -> '{r['label']}' ({r['count']}, {r['how']})"
            for r in report["repaired"][:3]
        )
        more = len(report["repaired"]) - 3
        n = report["normalised"]
        unit = report["counted_in"] if n != 1 else _ONE[report["counted_in"]]
        lines.append(
            f"  {n} {unit} repaired to the label's spelling: "
            f"{shown}{f'; {more} more in the report' if more > 0 else ''}"
        )
    for r in report["not_repaired"][:3]:
        candidates = " or ".join(f"'{c}'" for c in r["candidates"])
        lines.append(
            f"  {_quoted(r['value'])} ({r['count']}) not repaired to {candidates}: {r['why']}"
        )
    if report["unlabeled"]:
        lines.append(f"  {report['unlabeled']} unlabeled (null or empty), kept unlabeled")
    if report.get("blank_lines"):
        lines.append(f"  {report['blank_lines']} blank lines skipped (no records)")
    malformed = report.get("malformed") or []
    if malformed:
        shown = "; ".join(
            f"row {m['row']}: {m['error']}" if "row" in m else str(m.get("error", m))
            for m in malformed[:3]
        )
        lines.append(f"  malformed: {short(shown, 300)}" + (" ..." if len(malformed) > 3 else ""))
    if report.get("review_key", "_taxops") != "_taxops":
        lines.append(
            f"  the data already has '_taxops' fields: review fields are named "
            f"'{terminal(report['review_key'])}'"
        )
    if report["rows_with_duplicate_labels"]:
        lines.append(
            f"  {report['rows_with_duplicate_labels']} rows listed a label twice: written once"
        )
    return terminal_lines(lines)  # names and dataset values are escaped here
