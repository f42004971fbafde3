"""The rule reference page, generated from the registry: nothing to keep in sync
by hand. ``rules_markdown()`` is pure; the site build (or anyone) writes it to
``site/docs/reference/rules.md``."""

from __future__ import annotations

import re

from taxops.rules.base import Rule

#: The headings every rule's docstring has, in this order (a test checks them).
HEADINGS = ("What it detects", "Why it matters", "Example", "How to fix or migrate")

_INTRO = """\
# Compatibility rules

`taxops check` and `taxops diff` compare two versions of a taxonomy through one
change set, and every change is read by the rules below. Each rule says:

- **bump**: the semver part the change requires the version to move, at least
  (*breaking* = major, *additive* = minor, *cosmetic* = patch). The version
  must move by the largest bump any finding requires.
- **breaks**: the compatibility direction the change can break.
  *data*: items labeled with the old version can no longer all be carried to
  the new one, directly or through a declared review.
  *consumers*: a model or pipeline built for the old label set may receive
  something it does not know.
- **severity**: how it is reported when the taxonomy's `compatibility` mode
  allows it. A finding that breaks a direction the mode protects
  (`backward`: data, `forward`: consumers, `full`: both; `*-transitive`: against
  every release) is an error and makes `taxops check` exit with code 3.

Run `taxops rules` for this list in a terminal (`--format json` for tools).
"""


def _breaks(rule: Rule) -> str:
    return ", ".join(sorted(d.value for d in rule.breaks)) or "nothing"


def _body(rule: Rule) -> str:
    """The docstring without its summary line, headings demoted under the rule's."""
    lines = rule.doc.strip().splitlines()[1:]
    text = "\n".join(lines).strip()
    return re.sub(r"^## ", "### ", text, flags=re.MULTILINE)


def rules_markdown(rules: dict[str, Rule] | None = None) -> str:
    """The Markdown reference of every rule in the catalogue."""
    if rules is None:
        from taxops.rules.registry import RULES

        rules = RULES
    change_rules = [r for r in rules.values() if r.kinds]
    process_rules = [r for r in rules.values() if not r.kinds]
    out = [_INTRO, "## Summary", ""]
    out += ["| Rule | Bump | Breaks | Severity | Detects |", "|---|---|---|---|---|"]
    for rule in [*change_rules, *process_rules]:
        out.append(
            f"| [`{rule.id}`](#{rule.id}) | {rule.bump.value} | {_breaks(rule)} | "
            f"{rule.severity.value} | {rule.summary} |"
        )
    for title, group in (
        ("Changes", change_rules),
        ("Versions, releases and waivers", process_rules),
    ):
        out += ["", f"## {title}", ""]
        for rule in group:
            out += [f"### `{rule.id}` {{#{rule.id}}}", "", f"**{rule.summary}**", ""]
            facts = [
                f"bump: **{rule.bump.value}**",
                f"breaks: **{_breaks(rule)}**",
                f"severity: **{rule.severity.value}**",
            ]
            if rule.kinds:
                facts.append("reads: " + ", ".join(f"`{k.value}`" for k in rule.kinds))
            if rule.aliases:
                facts.append("formerly: " + ", ".join(f"`{a}`" for a in rule.aliases))
            out += [
                " · ".join(facts),
                "",
                re.sub(r"^### ", "#### ", _body(rule), flags=re.MULTILINE),
                "",
            ]
    return "\n".join(out).rstrip() + "\n"
