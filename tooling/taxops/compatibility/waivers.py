"""Applying waivers: a finding a waiver matches is kept (reviewers still see
it) but demoted to info and no longer blocks. Expired waivers stop applying and
are reported; waivers that match nothing are reported as stale.

Validation findings are waived where validation runs (:func:`waive_validation`,
called by :mod:`taxops.validate` once every file is checked), compatibility
findings by ``taxops check`` (:class:`WaiverBook`)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Protocol

from taxops.diagnostics import Diagnostic, Severity
from taxops.loading import YamlDocument
from taxops.models.waivers import Waiver, Waivers
from taxops.rules import resolve, waiver_expired, waiver_unused


def matches(waiver: Waiver, d: Diagnostic) -> bool:
    """Whether ``waiver`` covers finding ``d``: same rule (or a former id of
    it), same taxonomy, and the same label or fingerprint (neither: a finding
    about no label)."""
    if waiver.file is not None:
        return (
            d.rule == waiver.rule
            and d.location is not None
            and d.location.path == waiver.file
            and d.data.get("label") == waiver.label
        )
    rule = resolve(waiver.rule)
    if rule is None or rule.id != d.rule or d.data.get("taxonomy") != waiver.taxonomy:
        return False
    if waiver.fingerprint:
        return d.data.get("fingerprint") == waiver.fingerprint
    return d.data.get("label") == waiver.label


class WaiverBook:
    """The repository's waivers for one run: applies them and remembers which
    were used."""

    def __init__(self, waivers: Waivers | None, doc: YamlDocument | None, today: datetime.date):
        self.waivers = waivers.waivers if waivers else ()
        self.doc = doc
        self.today = today
        self.used: set[int] = set()

    def apply(self, diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
        """The findings, each one a live waiver matches demoted to info."""
        return [self._waive(d) for d in diagnostics]

    def _waive(self, d: Diagnostic) -> Diagnostic:
        for i, waiver in enumerate(self.waivers):
            if waiver.expires >= self.today and matches(waiver, d):
                self.used.add(i)
                return replace(
                    d,
                    severity=Severity.INFO,
                    message=f"{d.message} [waived until {waiver.expires} by {waiver.owner}: "
                    f"{waiver.reason}]",
                    data={
                        **d.data,
                        "allowed": True,
                        "waived": {
                            "reason": waiver.reason,
                            "owner": waiver.owner,
                            "expires": str(waiver.expires),
                        },
                    },
                )
        return d

    def findings(self, checked: Iterable[str]) -> list[Diagnostic]:
        """Expired waivers, and live ones that matched nothing among the
        taxonomies in ``checked`` (waivers for others were not exercised)."""
        compared = set(checked)
        out = []
        for i, waiver in enumerate(self.waivers):
            where = self.doc.locate(("waivers", i)) if self.doc else None
            if waiver.expires < self.today:
                out.append(
                    waiver_expired.diagnose(
                        waiver.rule, waiver.scope, str(waiver.expires), waiver.owner, where
                    )
                )
            elif i not in self.used and waiver.taxonomy in compared and waiver.file is None:
                out.append(waiver_unused.diagnose(waiver.rule, waiver.scope, where))
        return out

    def unused_for_files(self, checked: Iterable[str]) -> list[Diagnostic]:
        """Live validation waivers for files among ``checked`` that matched nothing."""
        shown = set(checked)
        return [
            waiver_unused.diagnose(
                waiver.rule, waiver.scope, self.doc.locate(("waivers", i)) if self.doc else None
            )
            for i, waiver in enumerate(self.waivers)
            if waiver.file in shown and waiver.expires >= self.today and i not in self.used
        ]


def waive_validation(
    files: Sequence[CheckedLike], waivers: Waivers, doc: YamlDocument, today: datetime.date
) -> list[Diagnostic]:
    """Demote the validation findings of ``files`` that a live waiver scoped to
    a file accepts; return the waivers of those files that matched nothing."""
    book = WaiverBook(waivers, doc, today)
    for f in files:
        f.diagnostics = book.apply(f.diagnostics)
    return book.unused_for_files(f.display for f in files)


class CheckedLike(Protocol):
    """What waiving needs of a checked file (validate.CheckedFile fits)."""

    display: str
    diagnostics: list[Diagnostic]
