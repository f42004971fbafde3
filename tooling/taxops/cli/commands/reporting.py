"""Output and exit codes shared by ``taxops check`` and ``taxops diff``."""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from taxops.cli import argtypes, exit_codes
from taxops.cli.commands.common import write
from taxops.collector import keep
from taxops.diagnostics import Diagnostic, Severity, TaxopsError, has_errors
from taxops.formatting import (
    format_github,
    format_json,
    format_junit,
    format_markdown,
    format_text,
)
from taxops.formatting.github import PER_LEVEL
from taxops.formatting.impact_section import impact_markdown
from taxops.formatting.markdown import links_from
from taxops.formatting.report import Section
from taxops.formatting.selection import DEFAULT_PER_RULE
from taxops.formatting.summary import changes_summary
from taxops.suggestions import taxonomy_folders, unknown_name
from taxops.writing import write_atomic

if TYPE_CHECKING:  # validate shares this module and compares nothing
    from taxops.compatibility.compare import Comparison
    from taxops.migration.impact import RegisteredImpact

FORMATS = ("text", "json", "github", "junit", "markdown")

EXIT_CODES_HELP = """\
exit codes:
  0  compatible: nothing blocks (warnings and notes may be printed)
  1  errors: a file does not validate, a version is wrong, a release was edited
  2  the command could not run (bad argument, unknown ref, missing file)
  3  breaking: a change the taxonomy's compatibility mode does not allow, or a
     breaking change without a major version bump (takes precedence over 1)
"""


def add_output_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text for people (summary first, both locations), json for tools (schema "
        "taxops/diagnostics/1, documented in the docs' check-json page), github for "
        "workflow annotations at the YAML line, junit for CI test reports, markdown for a "
        "pull-request comment (default: text)",
    )
    add_max_findings(p)
    p.add_argument(
        "--counts",
        action="append",
        default=[],
        metavar="[TAXONOMY=]FILE",
        help="per-label item counts (a label,count CSV, as for taxops impact) of the datasets "
        "labeled with the old version: the Markdown report then shows the relabel impact "
        "(items touched, review items, cost and days at the vendor's rates). Repeat with "
        "TAXONOMY=FILE when several taxonomies change",
    )
    p.add_argument(
        "--report",
        type=argtypes.writes("--report"),
        metavar="FILE",
        help="also write the Markdown pull-request report to FILE (under 60,000 characters)",
    )
    p.add_argument(
        "--findings",
        type=argtypes.writes("--findings"),
        metavar="FILE",
        help="also write every finding as JSON to FILE: the full list the capped outputs "
        "(text, github, the report) point to; keep it as the CI run's artefact",
    )
    p.add_argument(
        "--link-base",
        metavar="URL",
        help="the URL of the repository's files at the pull request's head "
        "(https://github.com/ORG/REPO/blob/BRANCH): the report links each place to its line. "
        "Default in GitHub Actions: from GITHUB_SERVER_URL, GITHUB_REPOSITORY and GITHUB_HEAD_REF",
    )
    p.add_argument(
        "--docs-url",
        metavar="URL",
        help="the docs site with the rules page: the report links each rule to it "
        "(default: the TAXOPS_DOCS_URL environment variable)",
    )


def add_max_findings(p: argparse.ArgumentParser) -> None:
    """``--max-findings`` (text) and ``--max-annotations`` (github): the caps of
    the formats people read."""
    p.add_argument(
        "--max-findings",
        type=_count,
        default=DEFAULT_PER_RULE,
        metavar="N",
        help=f"text output: show at most N findings of each rule, and how many more there "
        f"are (default: {DEFAULT_PER_RULE}; 0 shows all)",
    )
    p.add_argument(
        "--max-annotations",
        type=_positive,
        default=PER_LEVEL,
        metavar="N",
        help=f"github output: at most N annotations of each level (error, warning, notice), "
        f"then a notice of how many were left out (default: {PER_LEVEL}, what GitHub shows "
        "of a step)",
    )


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"'{text}' is negative: give 0 to show all")
    return value


def _positive(text: str) -> int:
    value = _count(text)
    if value < 2:
        raise argparse.ArgumentTypeError(f"'{text}': give at least 2 (one is the notice)")
    return value


def per_rule(args: argparse.Namespace) -> int | None:
    """``--max-findings``: None (all) for 0."""
    return args.max_findings or None


def render(
    fmt: str,
    diagnostics: Sequence[Diagnostic],
    comparisons: Sequence[Comparison],
    *,
    base: str,
    files: int | None,
    args: argparse.Namespace,
    paths: Sequence[str] = (),
    impact: str | None = None,
    sections: Sequence[Section] = (),
    json_extra: Mapping[str, Any] | None = None,
    github_after: Sequence[str] = (),
) -> str:
    if fmt == "markdown":
        return markdown_report(
            diagnostics, comparisons, base=base, impact=impact, args=args, sections=sections
        )
    if fmt == "json":
        return json_document(diagnostics, comparisons, base=base, files=files, extra=json_extra)
    if fmt == "github":
        shown = format_github(diagnostics, files=files, per_level=args.max_annotations)
        return shown + "".join(github_after)
    if fmt == "junit":
        return format_junit(diagnostics, files=files, paths=paths)
    return format_text(diagnostics, files=files, comparisons=comparisons, per_rule=per_rule(args))


def json_document(
    diagnostics: Sequence[Diagnostic],
    comparisons: Sequence[Comparison],
    *,
    base: str,
    files: int | None,
    extra: Mapping[str, Any] | None = None,
) -> str:
    """The JSON document (schema ``taxops/diagnostics/1``); ``extra``: top-level
    fields a command adds (only ever added: the schema stays compatible)."""
    return format_json(
        diagnostics,
        files=files,
        base=base,
        summary_line=changes_summary(comparisons),
        comparisons=[c.summary() for c in comparisons],
        **(extra or {}),
    )


def markdown_report(
    diagnostics: Sequence[Diagnostic],
    comparisons: Sequence[Comparison],
    *,
    base: str,
    impact: str | None,
    args: argparse.Namespace,
    sections: Sequence[Section] = (),
) -> str:
    """The pull-request report; ``sections`` are added after the relabel impact
    (each renders with the report's item cap, so the whole still fits)."""
    links = links_from(os.environ, args.link_base, args.docs_url)
    return format_markdown(
        diagnostics,
        comparisons=comparisons,
        base=base,
        impact=impact,
        links=links,
        sections=sections,
    )


def write_outputs(
    args: argparse.Namespace,
    diagnostics: Sequence[Diagnostic],
    comparisons: Sequence[Comparison],
    *,
    base: str,
    files: int | None,
    impact: str | None,
    sections: Sequence[Section] = (),
    text_after: Sequence[str] = (),
    json_extra: Mapping[str, Any] | None = None,
    github_after: Sequence[str] = (),
) -> None:
    """The chosen format on stdout, then the files asked for (``--report``,
    ``--findings``), each written atomically. What a command adds beyond the
    findings (e.g. registered datasets), per format: ``sections``, extra parts
    of the pull-request report; ``text_after``, what the text format prints
    after the findings; ``json_extra``, top-level fields of the JSON document;
    ``github_after``, workflow commands after the annotations. JUnit gets none:
    its test cases pass or fail."""
    shown = render(
        args.format,
        diagnostics,
        comparisons,
        base=base,
        files=files,
        args=args,
        impact=impact,
        sections=sections,
        json_extra=json_extra,
        github_after=github_after,
    )
    if args.format == "text":
        shown += "".join(text_after)
    write(shown)
    if args.report is not None:
        report = markdown_report(
            diagnostics, comparisons, base=base, impact=impact, args=args, sections=sections
        )
        write_atomic(args.report, report)
    if args.findings is not None:
        write_atomic(
            args.findings,
            json_document(diagnostics, comparisons, base=base, files=files, extra=json_extra),
        )


def relabel_impact(
    root: Path | None, specs: Sequence[str], comparisons: Sequence[Comparison]
) -> str | None:
    """The impact section for the comparisons that have counts, or None."""
    if not specs:
        return None
    # The migration engineer's modules: the map is built from the same change set.
    from taxops.cli.commands.impact import find_sla, read_counts
    from taxops.migration import build_map
    from taxops.migration.impact import impact

    primary = [c for c in comparisons if c.primary and c.changes.content_changed]
    files: dict[str, Path] = {}
    for spec in specs:
        name, sep, file = spec.rpartition("=")
        if sep:
            files[name] = Path(file)
        elif len(primary) == 1:
            files[primary[0].taxonomy] = Path(file)
        else:
            changed = ", ".join(c.taxonomy for c in primary) or "none"
            raise TaxopsError(
                f"--counts {spec}: which taxonomy? (changed: {changed})",
                "write --counts TAXONOMY=FILE",
            )
    known = {c.taxonomy for c in comparisons} | set(taxonomy_folders(root) if root else [])
    for name in files:
        if name not in known:
            raise unknown_name("taxonomy", name, known, f" for --counts {name}={files[name]}")
    from taxops.policies import Policies, load_policies

    policies = load_policies(root) if root else Policies()
    results: list[dict[str, object]] = []
    for c in primary:
        if c.taxonomy in files:
            sla = find_sla(policies, c.taxonomy)
            results.append(impact(build_map(c.changes), read_counts(files[c.taxonomy]), sla))
    return impact_markdown(results) if results else None


def registered_datasets(
    root: Path, comparisons: Sequence[Comparison]
) -> list[tuple[str, list[RegisteredImpact]]]:
    """For each taxonomy whose content changed, the registered datasets labeled
    with it and what the change costs them (policies/datasets.yaml)."""
    from taxops.engines.registered import registered_impacts
    from taxops.migration import build_map
    from taxops.policies import load_policies

    changed = [c for c in comparisons if c.primary and c.changes.content_changed]
    if not changed:
        return []
    policies = load_policies(root)
    # The map (one entry per old label: 200,000 at scale, about 2 s) is built
    # only for a taxonomy some registered dataset is labeled with.
    labeled = {r.dataset.taxonomy for r in policies.datasets()}
    found = []
    for c in changed:
        if c.taxonomy not in labeled:
            continue
        impacts = registered_impacts(
            root, policies, c.taxonomy, c.old.taxonomy.version, build_map(c.changes)
        )
        if impacts:
            found.append((c.taxonomy, impacts))
    return found


def keep_loaded(*loaded: object) -> None:
    """The loaded versions live until the command exits: take them out of the
    cyclic collector's sight, and hold them so the process ends without
    freeing them one by one (:func:`taxops.collector.keep`). Two 200,000-label
    versions are millions of objects, and each full collection pass over them
    cost about 2 s and freed nothing."""
    keep(*loaded)


def exit_code(diagnostics: Sequence[Diagnostic]) -> int:
    """3 when something breaking is not allowed, else 1 for any error, else 0."""
    if any(d.severity is Severity.ERROR and d.data.get("allowed") is False for d in diagnostics):
        return exit_codes.BREAKING
    return exit_codes.FINDINGS if has_errors(list(diagnostics)) else exit_codes.OK
