"""Checks inside one guideline file: what its shape cannot say and the taxonomy is
not needed for. The checks against the taxonomy are in
:mod:`taxops.checks.guideline_coverage`."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from taxops.checks.common import repeats
from taxops.checks.guideline_refs import prose_fields
from taxops.checks.text import guideline_text
from taxops.diagnostics import Diagnostic, Location, Severity, label_data
from taxops.loading import YamlDocument
from taxops.models.guideline import Guideline
from taxops.prose import has_raw_html

Check = Callable[[Guideline, YamlDocument], Iterator[Diagnostic]]


def check_guideline(guideline: Guideline, doc: YamlDocument) -> list[Diagnostic]:
    """Run every in-file check and collect all findings."""
    return [d for check in CHECKS for d in check(guideline, doc)]


def _error(
    rule: str, message: str, loc: Location, hint: str | None = None, *, label: str | None = None
) -> Diagnostic:
    return Diagnostic(rule, Severity.ERROR, message, loc, hint, data=label_data(label))


def one_entry_per_label(g: Guideline, doc: YamlDocument) -> Iterator[Diagnostic]:
    for i, first in repeats(guidance.label for guidance in g.labels):
        prev = doc.locate(("labels", first, "label"))
        yield _error(
            "duplicate-guidance",
            f"label '{g.labels[i].label}' has guidance twice (first at line {prev.line})",
            doc.locate(("labels", i, "label")),
            "merge the two entries into one",
            label=g.labels[i].label,
        )


def guidance_points_elsewhere(g: Guideline, doc: YamlDocument) -> Iterator[Diagnostic]:
    """A near miss carries another label and an exclusion sends the item to
    another label, by definition."""
    for i, guidance in enumerate(g.labels):
        for j, miss in enumerate(guidance.near_misses):
            if miss.label == guidance.label:
                yield _error(
                    "near-miss-same-label",
                    f"a near miss of '{guidance.label}' gives '{miss.label}' itself as the "
                    "correct label",
                    doc.locate(("labels", i, "near_misses", j, "label")),
                    "a near miss looks like this label but carries another: name that one, "
                    "or move the item to 'examples'",
                    label=guidance.label,
                )
        for j, criterion in enumerate(guidance.exclude):
            if criterion.use == guidance.label:
                yield _error(
                    "exclusion-to-same-label",
                    f"an exclusion of '{guidance.label}' says to use '{criterion.use}' itself",
                    doc.locate(("labels", i, "exclude", j, "use")),
                    "name the label labelers should use instead",
                    label=guidance.label,
                )


def decision_rules_decide(g: Guideline, doc: YamlDocument) -> Iterator[Diagnostic]:
    for k, first in repeats(rule.id for rule in g.decision_rules):
        prev = doc.locate(("decision_rules", first, "id"))
        yield _error(
            "duplicate-decision-rule",
            f"decision rule id '{g.decision_rules[k].id}' is used twice (first at line {prev.line})",
            doc.locate(("decision_rules", k, "id")),
            "rule ids are link targets on the site: give each rule its own",
        )
    for k, rule in enumerate(g.decision_rules):
        if len(rule.all_labels) < 2:
            yield _error(
                "decision-rule-one-label",
                f"decision rule '{rule.id}' only ever leads to '{rule.all_labels[0]}'",
                doc.locate(("decision_rules", k, "steps")),
                "a decision rule chooses between confusable labels: list them in 'labels' "
                "and give a step for each",
            )


def changelog_in_order(g: Guideline, doc: YamlDocument) -> Iterator[Diagnostic]:
    """The guideline's version has a changelog entry, and entries run newest first."""
    newest = g.changelog[0]
    if newest.version != g.version:
        yield _error(
            "changelog-version-mismatch",
            f"the guideline is version {g.version}, but its newest changelog entry is "
            f"for {newest.version}",
            doc.locate(("version",)),
            f"add a changelog entry for {g.version} at the top of 'changelog' (date, "
            "what, why, labels), or fix 'version'",
        )
    for k in range(1, len(g.changelog)):
        before, entry = g.changelog[k - 1], g.changelog[k]
        if entry.version > before.version or entry.date > before.date:
            yield _error(
                "changelog-out-of-order",
                f"changelog entry {entry.version} ({entry.date}) is newer than the entry "
                f"above it, {before.version} ({before.date})",
                doc.locate(("changelog", k)),
                "keep the changelog newest first, with dates and versions that only go back",
            )


def raw_html(g: Guideline, doc: YamlDocument) -> Iterator[Diagnostic]:
    """Raw HTML in prose is shown as text on the site; authors should know."""
    for path, text in prose_fields(g):
        if has_raw_html(text):
            yield Diagnostic(
                "raw-html",
                Severity.WARNING,
                "HTML tags in guideline text are shown as typed, not interpreted",
                doc.locate(path),
                "use Markdown (**bold**, _italic_, lists, links); wrap code in `backticks`",
            )


CHECKS: tuple[Check, ...] = (
    one_entry_per_label,
    guidance_points_elsewhere,
    decision_rules_decide,
    changelog_in_order,
    raw_html,
    guideline_text,
)
