"""GitHub Actions workflow commands: findings become annotations on the pull
request's diff, at the YAML line.

GitHub keeps only the first 10 error, 10 warning and 10 notice annotations of
a step (and 50 of a job; the actions/toolkit "problem matchers" documentation
lists these limits), and drops the rest without a word. So this output makes
every annotation count: findings of one rule on one line are one annotation
("490 labels removed here"), blocking findings come first, then one of each rule
before a second of any, and a last notice says how many were left out and where
to read them all. Values are escaped for workflow commands
(:func:`taxops.escaping.github_data`): a name holding a newline and ``::error``
stays inside its annotation.
"""

from __future__ import annotations

from collections.abc import Sequence

from taxops.diagnostics import Diagnostic, Severity
from taxops.escaping import clip, github_data, github_property
from taxops.formatting.selection import Bundle, bundles, place, spread

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}

#: Annotations of one level that GitHub shows per step.
PER_LEVEL = 10
#: Labels named in one bundled annotation.
_NAMED = 5


def format_github(
    diagnostics: Sequence[Diagnostic], *, files: int | None = None, per_level: int = PER_LEVEL
) -> str:
    """At most ``per_level`` annotations of each level; when anything is left
    out, the last notice says so (and takes one notice's place)."""
    by_level: dict[Severity, list[Bundle]] = {s: [] for s in Severity}
    for bundle in bundles(diagnostics):
        by_level[bundle.first.severity].append(bundle)
    chosen: dict[Severity, list[Bundle]] = {
        s: spread(found, per_level) for s, found in by_level.items()
    }
    left_out = {s: _hidden(by_level[s], chosen[s]) for s in Severity}
    if any(left_out.values()) and len(chosen[Severity.INFO]) == per_level:
        chosen[Severity.INFO] = spread(by_level[Severity.INFO], per_level - 1)
        left_out[Severity.INFO] = _hidden(by_level[Severity.INFO], chosen[Severity.INFO])
    lines = [
        _annotation(b)
        for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)
        for b in sorted(chosen[s], key=lambda b: b.first.sort_key)
    ]
    if any(left_out.values()):
        lines.append(_left_out_notice(left_out, per_level))
    return "\n".join(lines) + ("\n" if lines else "")


def _hidden(found: Sequence[Bundle], chosen: Sequence[Bundle]) -> int:
    shown = {id(b) for b in chosen}
    return sum(b.count for b in found if id(b) not in shown)


def _annotation(bundle: Bundle) -> str:
    d = bundle.first
    props = [f"title={github_property(_title(bundle))}"]
    loc = place(d)
    if loc:
        props = [
            f"file={github_property(loc.path)}",
            f"line={loc.line}",
            f"col={loc.column}",
            *props,
        ]
    message = clip(d.message)
    if bundle.others:
        labels = [str(o.data["label"]) for o in bundle.others if o.data.get("label")]
        named = ", ".join(f"`{label}`" for label in labels[:_NAMED])
        more = len(bundle.others) - min(len(labels), _NAMED)
        message += f"\n... and {len(bundle.others):,} more like it here"
        if named:
            message += f": {named}" + (f" and {more:,} more" if more else "")
    if d.hint:
        message += f"\n{clip(d.hint)}"
    if d.related:
        message += f"\nsee: {d.related}"
    return f"::{_LEVEL[d.severity]} {','.join(props)}::{github_data(message)}"


def _title(bundle: Bundle) -> str:
    count = f" x{bundle.count:,}" if bundle.others else ""
    return f"taxops [{bundle.first.rule}]{count}"


def _left_out_notice(left_out: dict[Severity, int], per_level: int) -> str:
    parts = ", ".join(f"{n:,} {_LEVEL[s]}{'s' if n != 1 else ''}" for s, n in left_out.items() if n)
    message = (
        f"{parts} not annotated: at most {per_level} annotations of each level are "
        f"printed (GitHub shows {PER_LEVEL} of each in a step). Every finding is listed by "
        "taxops check --format json (or --findings FILE, kept as the run's artefact) and "
        "counted in the pull-request report."
    )
    return f"::notice title={github_property('taxops: more findings')}::{github_data(message)}"
