"""``taxops diff OLD NEW``: compare two versions of a taxonomy, given as files
or as ``TAXONOMY@VERSION`` releases (``TAXONOMY`` alone is the working file)."""

from __future__ import annotations

import argparse
from pathlib import Path

from taxops.check_pair import check_pair
from taxops.cli.commands import Command
from taxops.cli.commands.common import add_repo
from taxops.cli.commands.reporting import (
    EXIT_CODES_HELP,
    add_output_options,
    exit_code,
    keep_loaded,
    relabel_impact,
    write_outputs,
)
from taxops.compatibility.compare import Comparison, Version, compare
from taxops.diagnostics import Diagnostic, TaxopsError
from taxops.file_check import CheckedFile
from taxops.forked import JOBS_VARIABLE
from taxops.models.lazy_labels import Damaged
from taxops.models.taxonomy import Compatibility, Taxonomy
from taxops.repo_layout import RELEASES_FOLDER, find_root
from taxops.suggestions import taxonomy_folders, unknown_name


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("old", metavar="OLD", help="a taxonomy file, or TAXONOMY@VERSION (a release)")
    p.add_argument("new", metavar="NEW", help="a taxonomy file, TAXONOMY@VERSION, or TAXONOMY")
    p.add_argument(
        "--compatibility",
        choices=[m.value for m in Compatibility],
        help="judge with this mode instead of the new version's 'compatibility:'",
    )
    p.add_argument(
        "--jobs",
        type=int,
        choices=(1, 2),
        help="processes that load the two versions and place their findings: 2 works on both "
        "at the same time, 1 one after the other (default: 2 where the system can fork and a "
        "CPU is free; "
        f"also {JOBS_VARIABLE}=1 or 2)",
    )
    add_output_options(p)
    add_repo(p)


def resolve_version(spec: str, root: Path | None) -> Path:
    """A file path, ``TAXONOMY@VERSION`` (its release snapshot) or ``TAXONOMY``
    (its working ``taxonomy.yaml``)."""
    path = Path(spec)
    if path.is_file():
        return path
    name, _, version = spec.partition("@")
    if root is None:
        raise TaxopsError(
            f"no such file: {spec}",
            "outside a governance repository, name two taxonomy files",
        )
    known = taxonomy_folders(root)
    if name not in known:
        raise unknown_name("file or taxonomy", name, known)
    folder = root / "taxonomies" / name
    if not version:
        return folder / "taxonomy.yaml"
    target = folder / RELEASES_FOLDER / f"{version}.yaml"
    if not target.is_file():
        released = sorted(p.stem for p in (folder / RELEASES_FOLDER).glob("*.yaml"))
        raise TaxopsError(
            f"{name} has no release {version}",
            f"released: {', '.join(released) or 'none yet (taxops release)'}",
        )
    return target


def _version(checked: CheckedFile) -> tuple[Version | None, list[Diagnostic]]:
    """The version a checked file holds and its validation findings. A file
    whose model builds is compared even when an in-file check fails (a
    retirement without a replacement is both a validation error and a
    compatibility finding)."""
    if not isinstance(checked.model, Taxonomy) or checked.doc is None:
        return None, checked.diagnostics
    return Version(checked.model, checked.doc, checked.display), checked.diagnostics


def _compare(
    old_path: Path,
    new_path: Path,
    root: Path | None,
    mode: Compatibility | None,
    *,
    lazy: bool,
    jobs: int | None,
) -> tuple[list[Diagnostic], list[Comparison]]:
    """Both versions loaded (at the same time where the system allows:
    :mod:`taxops.check_pair`), then compared. With ``lazy``, a version that
    comes from a cache entry has its labels built when read, and the
    comparison reads the labels that changed."""
    old_checked, new_checked = check_pair(old_path, new_path, root, lazy=lazy, jobs=jobs)
    old, old_problems = _version(old_checked)
    new, new_problems = _version(new_checked)
    keep_loaded(old, new)
    diagnostics = [*old_problems, *new_problems]
    comparisons = []
    if old is not None and new is not None:
        comparison = compare(old, new, mode=mode, jobs=jobs)
        comparisons.append(comparison)
        diagnostics += comparison.diagnostics
    return diagnostics, comparisons


def run(args: argparse.Namespace) -> int:
    root = Path(args.repo).resolve() if args.repo else find_root(Path.cwd())
    old_path, new_path = resolve_version(args.old, root), resolve_version(args.new, root)
    mode = Compatibility(args.compatibility) if args.compatibility else None
    try:
        diagnostics, comparisons = _compare(
            old_path, new_path, root, mode, lazy=True, jobs=args.jobs
        )
    except Damaged:  # a cached label did not read back: read both without the labels' cache
        diagnostics, comparisons = _compare(
            old_path, new_path, root, mode, lazy=False, jobs=args.jobs
        )
    base = f"{args.old}"
    impact = relabel_impact(root, args.counts, comparisons)
    write_outputs(args, diagnostics, comparisons, base=base, files=2, impact=impact)
    return exit_code(diagnostics)


COMMAND = Command(
    name="diff",
    summary="compare two versions of a taxonomy (files or TAXONOMY@VERSION)",
    description="Compare two versions of a taxonomy and classify every change with the rules\n"
    "(taxops rules): what it breaks, the bump it requires, whether the new version's\n"
    "compatibility mode allows it, and whether the version moved enough.\n"
    "  taxops diff driving-objects@1.1.0 driving-objects@2.0.0\n"
    "  taxops diff old.yaml new.yaml --format json\n\n" + EXIT_CODES_HELP,
    configure=configure,
    run=run,
)
