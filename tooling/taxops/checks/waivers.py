"""Checks inside the waivers file: every waiver names a rule that exists."""

from __future__ import annotations

import difflib

from taxops.diagnostics import Diagnostic, Severity
from taxops.loading import YamlDocument
from taxops.models.waivers import Waivers


def check_waivers(waivers: Waivers, doc: YamlDocument) -> list[Diagnostic]:
    from taxops.rules import RULES, resolve  # the catalogue imports the models

    out = []
    for i, waiver in enumerate(waivers.waivers):
        # A validation waiver may name any rule taxops validate reports; one that
        # matches nothing is reported as unused (a typo shows there).
        if waiver.file is None and resolve(waiver.rule) is None:
            close = difflib.get_close_matches(waiver.rule, list(RULES), n=1)
            out.append(
                Diagnostic(
                    "unknown-rule",
                    Severity.ERROR,
                    f"waiver names rule '{waiver.rule}', which is not a compatibility rule",
                    doc.locate(("waivers", i, "rule")),
                    f"did you mean '{close[0]}'?" if close else "taxops rules lists the rule ids",
                )
            )
    return out
