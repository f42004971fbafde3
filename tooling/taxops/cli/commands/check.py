"""``taxops check``: validate everything, then compare every taxonomy with its
last release or a git ref, and block what its compatibility mode forbids."""

from __future__ import annotations

import argparse

from taxops.cli.commands import Command
from taxops.cli.commands.common import add_deadlines, add_repo, deadlines, repo_root
from taxops.cli.commands.reporting import (
    EXIT_CODES_HELP,
    add_output_options,
    exit_code,
    keep_loaded,
    registered_datasets,
    relabel_impact,
    write_outputs,
)
from taxops.compatibility.check import run_check
from taxops.formatting.datasets_markdown import (
    registered_annotation,
    registered_markdown,
    registered_text,
)
from taxops.formatting.report import Section
from taxops.migration.impact import RegisteredImpact


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "taxonomies",
        nargs="*",
        metavar="TAXONOMY",
        help="taxonomy ids to compare (default: all); every governed file is validated anyway",
    )
    p.add_argument(
        "--against",
        metavar="REF",
        help="compare with the taxonomies at this git ref (branch, tag, commit, origin/main) "
        "instead of each taxonomy's last release",
    )
    p.add_argument(
        "--merge-base",
        action="store_true",
        help="compare with the commit where HEAD forked from --against (what a pull request "
        "changes), not the ref's tip",
    )
    add_deadlines(p)
    add_output_options(p)
    add_repo(p)


def run(args: argparse.Namespace) -> int:
    root = repo_root(args)
    assert root is not None
    report = run_check(
        root,
        against=args.against,
        merge_base=args.merge_base,
        only=tuple(args.taxonomies),
        today=args.today,
        deadlines=deadlines(args),
        after_load=keep_loaded,
    )
    diagnostics = report.diagnostics
    impact = relabel_impact(root, args.counts, report.comparisons)
    registered = registered_datasets(root, report.comparisons)
    comparisons, base = report.comparisons, report.base
    write_outputs(
        args,
        diagnostics,
        comparisons,
        base=base,
        files=report.files,
        impact=impact,
        sections=[_registered_section(t, i) for t, i in registered],
        text_after=[registered_text(t, i) for t, i in registered],
        json_extra={"registered_datasets": [e.summary() for _, i in registered for e in i]},
        github_after=[registered_annotation(t, i) for t, i in registered],
    )
    return exit_code(diagnostics)


def _registered_section(taxonomy: str, impacts: list[RegisteredImpact]) -> Section:
    """The registered datasets a change touches, as a report section (capped
    with the report's other lists)."""

    def render(cap: int) -> list[str]:
        return [registered_markdown(taxonomy, impacts, limit=2 * cap), ""]

    return Section(f"registered datasets of {taxonomy}", render)


COMMAND = Command(
    name="check",
    summary="validate, then block incompatible taxonomy changes and wrong versions",
    description="Validate every governed file, then compare each taxonomy with its last release\n"
    "(taxonomies/<id>/releases/) or, with --against REF, with its file at a git ref\n"
    "(renamed and new taxonomy files are matched by id). Every change is classified by\n"
    "the rules (taxops rules): the bump it requires and whether it breaks data or\n"
    "consumers. The taxonomy's 'compatibility' mode decides what is allowed\n"
    "(*-transitive: against every release); the version must move by at least the\n"
    "required bump; released snapshots must be unchanged since the base; waivers in\n"
    "policies/waivers.yaml accept single findings until they expire.\n\n" + EXIT_CODES_HELP,
    configure=configure,
    run=run,
)
