"""Pieces several commands share: finding the repository, output formats."""

from __future__ import annotations

import argparse
import datetime
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from taxops.cli import argtypes
from taxops.diagnostics import TaxopsError
from taxops.escaping import terminal_lines
from taxops.repo_layout import find_root

if TYPE_CHECKING:
    from taxops.checks.deadlines import Deadlines


def add_format(
    parser: argparse.ArgumentParser, choices: tuple[str, ...] = ("text", "json", "github")
) -> None:
    parser.add_argument(
        "--format",
        choices=choices,
        default="text",
        help="output format: text for people, json for tools (documented schema), "
        "github for workflow annotations (default: text)",
    )


def add_repo(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--repo",
        type=argtypes.folder,
        default=None,
        help="the governance repository (default: found from the current folder)",
    )


def add_label_kind(parser: argparse.ArgumentParser, prefix: str = "") -> None:
    """``--multi-label`` / ``--single-label`` (``args.multi``: None when neither
    is given, then the taxonomy's kind decides, see :func:`multi_label`)."""
    lists = parser.add_mutually_exclusive_group()
    lists.add_argument(
        "--multi-label",
        dest="multi",
        action="store_true",
        default=None,
        help=f"{prefix}the column holds a list of labels (default for multi-label taxonomies)",
    )
    lists.add_argument(
        "--single-label", dest="multi", action="store_false", help=f"{prefix}one label per row"
    )


def multi_label(args: argparse.Namespace, kind: str) -> bool:
    """Whether the label column holds lists: the flag, else the taxonomy's kind."""
    return bool(args.multi) if args.multi is not None else kind == "multi-label"


def add_csv_dialect(parser: argparse.ArgumentParser) -> None:
    """``--delimiter`` and ``--encoding``: a CSV's or TSV's dialect, when sniffing
    it is not enough (one place for every command reading datasets)."""
    from taxops.cli import argtypes
    from taxops.engines.dataset_input import ENCODINGS

    parser.add_argument(
        "--delimiter",
        type=argtypes.delimiter,
        metavar="CHAR",
        help="CSV/TSV field delimiter, e.g. ';' or '\\t' (default: sniffed from the file)",
    )
    parser.add_argument(
        "--encoding",
        choices=sorted(ENCODINGS),
        help="CSV/TSV text encoding (default: utf-8; a byte order mark is recognised)",
    )


def repo_root(args: argparse.Namespace, required: bool = True) -> Path | None:
    if getattr(args, "repo", None):
        given = Path(args.repo)
        if not (given / "taxonomies").is_dir():
            raise TaxopsError(
                f"{given} is not a governance repository: it has no taxonomies/ folder",
                "point --repo at the folder holding taxonomies/, guidelines/ and policies/",
            )
        return given.resolve()
    root = find_root(Path.cwd())
    if root is None and required:
        raise TaxopsError(
            "no governance repository here: no taxonomies/ folder in this folder or above",
            "run taxops inside the repository, pass --repo, or name files to check",
        )
    return root


def add_deadlines(parser: argparse.ArgumentParser) -> None:
    """``--warn-within DAYS`` (and, for tests, the day it is)."""
    from taxops.checks.deadlines import DEFAULT_WARN_DAYS  # the policy models: only here

    parser.add_argument(
        "--warn-within",
        type=_days,
        default=DEFAULT_WARN_DAYS,
        metavar="DAYS",
        help="warn about vendor contracts, certifications and dataset retention ending "
        f"within this many days (default: {DEFAULT_WARN_DAYS}; a contract's notice period "
        "widens it)",
    )
    parser.add_argument(
        "--today",
        type=datetime.date.fromisoformat,
        default=None,
        metavar="YYYY-MM-DD",
        help=argparse.SUPPRESS,  # expiry dates in tests; defaults to today
    )


def deadlines(args: argparse.Namespace) -> Deadlines:
    from taxops.checks.deadlines import Deadlines

    return Deadlines(args.today or datetime.date.today(), args.warn_within)


def _days(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of days") from None
    if value < 0:
        raise argparse.ArgumentTypeError("the number of days cannot be negative")
    return value


def write(text: str) -> None:
    """A document a formatter made (its values already escaped for its format)."""
    sys.stdout.write(text)
    sys.stdout.flush()


def say(*lines: object) -> None:
    """Lines a command prints itself ("wrote out/x.csv"): each is escaped for the
    terminal as a whole (:func:`taxops.escaping.terminal_lines`), so a file name
    or label in it cannot start a line of its own or drive the terminal."""
    write(terminal_lines(lines))


def tell(*lines: object) -> None:
    """Lines for the person running the command that are not its output (notes,
    warnings) on stderr, escaped and clipped as :func:`say` does."""
    sys.stderr.write(terminal_lines(lines))
    sys.stderr.flush()


def progress_bar() -> Callable[[str, float], None]:
    """One line per pass of a long DuckDB run (read, count, relabel, review,
    redact), redrawn in place on stderr."""
    shown: list[str] = []

    def show(phase: str, percent: float) -> None:
        if shown and shown[-1] != phase:
            sys.stderr.write("\n")
        if not shown or shown[-1] != phase:
            shown.append(phase)
        filled = int(percent / 100 * 30)
        sys.stderr.write(f"\r{phase:<8} [{'#' * filled}{'.' * (30 - filled)}] {percent:5.1f}%")
        sys.stderr.flush()

    return show
