"""The rule catalogue: every change kind claimed, every rule documented with
the fixed headings, every change rule exercised by a case, ids consistent."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from taxops.changes import ChangeKind
from taxops.cli.main import main
from taxops.diagnostics import Severity
from taxops.rules import ALIASES, BY_KIND, RULES, resolve, rules_markdown
from taxops.rules.base import Bump, Rule
from taxops.rules.docs import HEADINGS
from taxops.rules.registry import CHANGE_RULE_MODULES, _register

CASES = Path(__file__).parent.parent / "cases"


def test_every_change_kind_is_claimed_by_a_rule() -> None:
    unclaimed = [kind.value for kind in ChangeKind if not BY_KIND[kind]]
    assert unclaimed == []


def test_change_rules_have_a_check_and_process_rules_do_not() -> None:
    for rule in RULES.values():
        assert (rule.check is not None) == bool(rule.kinds), rule.id


@pytest.mark.parametrize("rule", list(RULES.values()), ids=list(RULES))
def test_rule_docstring_has_the_fixed_headings_in_order(rule: Rule) -> None:
    found = re.findall(r"^## (.+)$", rule.doc, flags=re.MULTILINE)
    assert found == list(HEADINGS), f"{rule.id}: headings {found}"
    assert rule.summary.endswith("."), f"{rule.id}: the first line is a sentence"
    example = rule.doc.split("## Example", 1)[1].split("## How", 1)[0]
    assert "```" in example, f"{rule.id}: the example is a code block"


@pytest.mark.parametrize("rule", list(RULES.values()), ids=list(RULES))
def test_rule_module_is_named_after_its_id(rule: Rule) -> None:
    import taxops.rules as package

    module = getattr(package, rule.id.replace("-", "_"), None)
    assert module is not None and module.RULE is rule


def test_every_change_rule_has_a_case_that_fires_it() -> None:
    with_cases = {
        p.parent.parent.name
        for p in CASES.glob("*/*/new.yaml")
        if not p.parent.name.startswith("not-")
    }
    missing = [m.RULE.id for m in CHANGE_RULE_MODULES if m.RULE.id not in with_cases]
    assert missing == []


def test_case_folders_name_real_rules() -> None:
    assert sorted(p.name for p in CASES.iterdir() if p.name not in RULES) == []


def test_breaking_rules_require_a_major_bump() -> None:
    """A rule that can break data, or is an error whatever the mode, needs a major version."""
    for rule in RULES.values():
        if rule.kinds and "data" in {d.value for d in rule.breaks}:
            assert rule.bump is Bump.MAJOR, rule.id


def test_aliases_resolve_and_never_shadow_a_current_id() -> None:
    assert not set(ALIASES) & set(RULES)
    for alias, target in ALIASES.items():
        assert resolve(alias) is RULES[target]
    renamed = Rule("new-name", Severity.INFO, Bump.PATCH, frozenset(), aliases=("old-name",))
    assert renamed.aliases == ("old-name",)


def test_registering_a_duplicate_id_fails() -> None:
    import taxops.rules.label_added as module

    with pytest.raises(RuntimeError, match="registered twice"):
        _register([module, module])


def test_rules_markdown_lists_every_rule_with_its_sections() -> None:
    page = rules_markdown()
    for rule in RULES.values():
        assert f"### `{rule.id}` {{#{rule.id}}}" in page
        assert f"[`{rule.id}`](#{rule.id})" in page
    assert page.count("#### What it detects") == len(RULES)


def test_taxops_rules_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["schema"] == "taxops/rules/1"
    by_id = {r["id"]: r for r in listed["rules"]}
    assert set(by_id) == set(RULES)
    assert by_id["label-removed"]["bump"] == "major"
    assert by_id["label-removed"]["breaks"] == ["data"]
    assert by_id["label-added"]["kinds"] == ["label-added"]


def test_taxops_rules_one_rule_and_unknown(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "label-split"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("label-split: A label was split into several.")
    assert "## How to fix or migrate" in out
    assert main(["rules", "no-such-rule"]) == 2


def test_the_site_rule_reference_is_generated_from_the_registry() -> None:
    """site/docs/reference/rules.md is rules_markdown(); TAXOPS_REGENERATE=1 rewrites it."""
    import os

    page = Path(__file__).resolve().parents[2] / "site/docs/reference/rules.md"
    if os.environ.get("TAXOPS_REGENERATE") == "1":
        page.write_text(rules_markdown(), encoding="utf-8")
    assert page.read_text(encoding="utf-8") == rules_markdown()
