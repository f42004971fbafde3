"""Every rule id the guideline checks can report is documented for users, in the
page their hint points to (site/docs/reference/checks.md)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHECKS = ROOT / "tooling" / "taxops" / "checks"
SOURCES = [
    CHECKS / "guideline.py",
    CHECKS / "guideline_coverage.py",
    CHECKS / "guideline_media.py",
    CHECKS / "guideline_history.py",
    CHECKS / "cross_file.py",
]
_RULE = r"\"([a-z0-9]+(?:-[a-z0-9]+)+)\""


def reported_rules() -> set[str]:
    rules: set[str] = set()
    for source in SOURCES:
        text = source.read_text()
        rules.update(re.findall(r"(?:_error|Diagnostic)\(\s*" + _RULE, text))
        rules.update(re.findall(_RULE + r"\s+if\b", text))
        rules.update(re.findall(r"\belse\s+" + _RULE, text))
    return rules


def test_every_guideline_rule_is_documented() -> None:
    documented = set(
        re.findall(r"`([a-z0-9-]+)`", (ROOT / "site/docs/reference/checks.md").read_text())
    )
    rules = reported_rules()
    assert len(rules) >= 20  # the scan finds the rules at all
    assert sorted(rules - documented) == []
