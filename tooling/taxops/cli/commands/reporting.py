"""Output and exit codes shared by ``taxops check`` and ``taxops diff``."""

from __future__ import annotations

import argparse
import gc
from collections.abc import Sequence
from pathlib import Path

from taxops.cli import exit_codes
from taxops.compatibility.compare import Comparison
from taxops.diagnostics import Diagnostic, Severity, TaxopsError, has_errors
from taxops.formatting import (
    format_github,
    format_json,
    format_junit,
    format_markdown,
    format_text,
)
from taxops.formatting.datasets_markdown import registered_annotation, registered_text
from taxops.formatting.markdown import impact_markdown, summary_line
from taxops.migration.impact import RegisteredImpact
from taxops.writing import write_atomic

#: Per changed taxonomy, the registered datasets labeled with it and their impact.
Registered = list[tuple[str, list[RegisteredImpact]]]

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
        help="text for people (both locations), json for tools (schema taxops/diagnostics/1, "
        "documented in the docs' check-json page), github for workflow annotations at the "
        "YAML line, junit for CI test reports, markdown for a pull-request comment "
        "(default: text)",
    )
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
        type=Path,
        metavar="FILE",
        help="also write the Markdown pull-request report to FILE",
    )


def render(
    fmt: str,
    diagnostics: Sequence[Diagnostic],
    comparisons: Sequence[Comparison],
    *,
    base: str,
    files: int | None,
    paths: Sequence[str] = (),
    impact: str | None = None,
    registered: Registered | None = None,
) -> str:
    """``registered``: the registered datasets each changed taxonomy touches
    (``taxops check``; None where a command does not look, as ``taxops diff``).
    The Markdown report gets them through ``impact``; JUnit does not: its
    cases pass or fail, and a relabel cost is neither."""
    if fmt == "markdown":
        return format_markdown(diagnostics, comparisons=comparisons, base=base, impact=impact)
    if fmt == "json":
        extra = {}
        if registered is not None:
            extra["registered_datasets"] = [i.summary() for _, found in registered for i in found]
        return format_json(
            diagnostics,
            files=files,
            base=base,
            summary_line=summary_line(comparisons),
            comparisons=[c.summary() for c in comparisons],
            **extra,
        )
    if fmt == "github":
        notices = "".join(registered_annotation(t, found) for t, found in registered or ())
        return format_github(diagnostics, files=files) + notices
    if fmt == "junit":
        return format_junit(diagnostics, files=files, paths=paths)
    text = format_text(diagnostics, files=files)
    if comparisons:
        lines = [
            f"{c.taxonomy} {c.old.taxonomy.version} -> {c.new.taxonomy.version} "
            f"({c.old.source}): {c.versions_in_words}"
            for c in comparisons
            if c.primary
        ]
        text += "\n".join(lines) + "\n" + summary_line(comparisons) + "\n"
    return text + "".join(registered_text(t, found) for t, found in registered or ())


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
    from taxops.policies import Policies, load_policies

    policies = load_policies(root) if root else Policies()
    results: list[dict[str, object]] = []
    for c in primary:
        if c.taxonomy in files:
            sla = find_sla(policies, c.taxonomy)
            results.append(impact(build_map(c.changes), read_counts(files[c.taxonomy]), sla))
    return impact_markdown(results) if results else None


def registered_datasets(root: Path, comparisons: Sequence[Comparison]) -> Registered:
    """For each taxonomy whose content changed, the registered datasets labeled
    with it and what the change costs them (policies/datasets.yaml)."""
    from taxops.engines.registered import registered_impacts
    from taxops.migration import build_map
    from taxops.policies import load_policies

    changed = [c for c in comparisons if c.primary and c.changes.content_changed]
    if not changed:
        return []
    policies = load_policies(root)
    found = []
    for c in changed:
        impacts = registered_impacts(
            root, policies, c.taxonomy, c.old.taxonomy.version, build_map(c.changes)
        )
        if impacts:
            found.append((c.taxonomy, impacts))
    return found


def keep_loaded() -> None:
    """The loaded versions live until the command exits: take them out of the
    cyclic collector's sight. Two 200,000-label versions are millions of objects,
    and each full collection pass over them cost about 2 s and freed nothing."""
    gc.freeze()


def write_report(path: Path | None, markdown: str) -> None:
    """The Markdown report, written atomically (a workflow then posts it)."""
    if path is not None:
        write_atomic(path, markdown)


def exit_code(diagnostics: Sequence[Diagnostic]) -> int:
    """3 when something breaking is not allowed, else 1 for any error, else 0."""
    if any(d.severity is Severity.ERROR and d.data.get("allowed") is False for d in diagnostics):
        return exit_codes.BREAKING
    return exit_codes.FINDINGS if has_errors(list(diagnostics)) else exit_codes.OK
