"""``taxops rules``: the compatibility rule catalogue."""

from __future__ import annotations

import argparse
import json

from taxops.cli import exit_codes
from taxops.cli.commands import Command
from taxops.cli.commands.common import write
from taxops.diagnostics import TaxopsError
from taxops.rules import RULES, resolve, rules_markdown
from taxops.rules.base import Rule


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("rule", nargs="?", metavar="RULE", help="show one rule's documentation")
    p.add_argument(
        "--format",
        choices=("text", "json", "markdown"),
        default="text",
        help="text (a table, or one rule's documentation), json for tools, markdown for the "
        "reference page (default: text)",
    )


def _as_dict(rule: Rule) -> dict[str, object]:
    return {
        "id": rule.id,
        "summary": rule.summary,
        "severity": rule.severity.value,
        "bump": rule.bump.value,
        "category": rule.bump.category,
        "breaks": sorted(d.value for d in rule.breaks),
        "kinds": [k.value for k in rule.kinds],
        "aliases": list(rule.aliases),
        "doc": rule.doc.strip(),
    }


def run(args: argparse.Namespace) -> int:
    rules = list(RULES.values())
    if args.rule:
        found = resolve(args.rule)
        if found is None:
            raise TaxopsError(f"no rule '{args.rule}'", "taxops rules lists them")
        rules = [found]
    if args.format == "json":
        write(
            json.dumps(
                {"schema": "taxops/rules/1", "rules": [_as_dict(r) for r in rules]}, indent=2
            )
            + "\n"
        )
    elif args.format == "markdown":
        write(rules_markdown({r.id: r for r in rules}))
    elif args.rule:
        rule = rules[0]
        breaks = ", ".join(sorted(d.value for d in rule.breaks)) or "nothing"
        write(
            f"{rule.id}: {rule.summary}\n"
            f"bump: {rule.bump.value}   breaks: {breaks}   severity: {rule.severity.value}\n\n"
            + "\n".join(rule.doc.strip().splitlines()[1:]).strip()
            + "\n"
        )
    else:
        width = max(len(r.id) for r in rules)
        lines = [f"{'RULE':<{width}}  BUMP   BREAKS           SEVERITY  DETECTS"]
        for r in rules:
            breaks = ",".join(sorted(d.value for d in r.breaks)) or "-"
            lines.append(
                f"{r.id:<{width}}  {r.bump.value:<5}  {breaks:<15}  {r.severity.value:<8}  {r.summary}"
            )
        write("\n".join(lines) + "\n")
    return exit_codes.OK


COMMAND = Command(
    name="rules",
    summary="list the compatibility rules (id, bump, what they break)",
    description="List the compatibility rules taxops check and taxops diff apply: each rule's\n"
    "id, the semver bump it requires, the direction it can break (data: old items can\n"
    "be carried over; consumers: old models and pipelines still work), its severity.\n"
    "'taxops rules RULE' prints one rule's documentation.",
    configure=configure,
    run=run,
)
