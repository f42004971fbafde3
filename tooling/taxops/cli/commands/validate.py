"""``taxops validate``: check every governed file, print located findings."""

from __future__ import annotations

import argparse
import math

from taxops.cli import argtypes, exit_codes
from taxops.cli.commands import Command
from taxops.cli.commands.common import (
    add_deadlines,
    add_format,
    add_repo,
    deadlines,
    repo_root,
    write,
)
from taxops.cli.commands.reporting import add_max_findings, keep_loaded, per_rule
from taxops.diagnostics import TaxopsError, has_errors
from taxops.formatting import FORMATTERS, format_github, format_text
from taxops.loading import DEFAULT_MAX_BYTES
from taxops.loading.ahead import ReadAhead
from taxops.repo_layout import expand, find_root, governed_files


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "paths",
        nargs="*",
        type=argtypes.reads("PATH"),
        metavar="PATH",
        help="files or folders to check (default: every governed file of the repository)",
    )
    add_repo(p)
    add_format(p)
    add_max_findings(p)
    p.add_argument(
        "--max-file-size",
        type=_megabytes,
        default=DEFAULT_MAX_BYTES / 1e6,
        metavar="MB",
        help=f"refuse files larger than this (default: {DEFAULT_MAX_BYTES / 1e6:.0f} MB)",
    )
    add_deadlines(p)


def _megabytes(text: str) -> float:
    """``--max-file-size``: a positive, finite number of megabytes ('nan' and 'inf'
    parse as floats and would otherwise fail deep inside the run)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of megabytes") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"'{text}' is not a positive number of megabytes")
    return value


def run(args: argparse.Namespace) -> int:
    if args.paths:
        missing = [str(p) for p in args.paths if not p.exists()]
        if missing:
            raise TaxopsError(f"no such file or folder: {', '.join(missing)}")
        root = (
            repo_root(args, required=False)
            if args.repo
            else find_root(args.paths[0].resolve().parent)
        )
        files = expand(args.paths, root)
    else:
        root = repo_root(args)
        assert root is not None
        files = governed_files(root)
    max_bytes = int(args.max_file_size * 1e6)
    with ReadAhead(files, root, max_bytes) as ahead:
        # Imported only now, while the first files parse on the read-ahead's
        # thread: the checks and every kind of document's model take about
        # 0.2 s to load, beside a parse that takes seconds at 200,000 labels.
        from taxops.validate import check_paths

        checked = check_paths(files, root, max_bytes, deadlines=deadlines(args), ahead=ahead)
    keep_loaded(checked)
    diagnostics = [d for c in checked for d in c.diagnostics]
    if args.format == "text":
        write(format_text(diagnostics, files=len(checked), per_rule=per_rule(args)))
    elif args.format == "github":
        write(format_github(diagnostics, per_level=args.max_annotations))
    else:
        write(FORMATTERS[args.format](diagnostics, files=len(checked)))
    return exit_codes.FINDINGS if has_errors(diagnostics) else exit_codes.OK


COMMAND = Command(
    name="validate",
    summary="check every taxonomy, guideline and policy file",
    description="Check governed files against their models and in-file rules.\n"
    "Every finding is printed as file:line:column with what to do; nothing stops at\n"
    "the first error. Exit code 1 when a file has errors.",
    configure=configure,
    run=run,
)
