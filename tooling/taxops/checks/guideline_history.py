"""Checks of a guideline against its previous version (git HEAD in ``taxops
validate``): a changed definition comes with a changelog entry that names the
label, and guidance is never dropped for a label that old data still carries.

Why the previous *commit* and not the last release: guideline changes are made
and reviewed commit by commit, and the moment to ask for the changelog entry is
while the author still has the change in front of them (``taxops validate``
before committing). A release-based comparison would only complain weeks later,
to whoever cuts the release.
"""

from __future__ import annotations

from collections.abc import Iterator

from taxops.diagnostics import Diagnostic, Severity
from taxops.loading import YamlDocument
from taxops.models.guideline import Guideline
from taxops.models.taxonomy import Status, Taxonomy


def check_against_previous(
    g: Guideline, doc: YamlDocument, previous: Guideline, tax: Taxonomy | None
) -> Iterator[Diagnostic]:
    old_entries = set(previous.changelog)
    announced = {label for e in g.changelog if e not in old_entries for label in e.labels}
    before = {entry.label: entry.definition for entry in previous.labels}
    for i, entry in enumerate(g.labels):
        if entry.label not in before or _words(before[entry.label]) == _words(entry.definition):
            continue
        if entry.label in announced:
            continue
        yield Diagnostic(
            "definition-changed-without-changelog",
            Severity.ERROR,
            f"the definition of '{entry.label}' changed, but no new changelog entry names it",
            doc.locate(("labels", i, "definition")),
            f"add a changelog entry (version, date, what, why) with '{entry.label}' under "
            "'labels:', so labelers learn what to do differently",
        )
    current = g.by_label()
    labels = tax.by_id() if tax else {}
    for label_id in before:
        label = labels.get(label_id)
        if label_id in current or label is None or label.status is Status.ACTIVE:
            continue
        yield Diagnostic(
            "guidance-removed",
            Severity.ERROR,
            f"the guidance for {label.status.value} label '{label_id}' was removed",
            doc.locate(("labels",), at="key"),
            "keep it, with 'historical: true': annotations made before the change still "
            "carry the label, and reviewers read its guidance",
        )


def _words(text: str | None) -> str:
    """Definitions compare by words: re-wrapping a paragraph is not a change."""
    return " ".join((text or "").split())
