"""``taxops import``: a governed taxonomy from what a team already has (a Label
Studio config, CVAT labels, SKOS, a CSV, Google's product taxonomy)."""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from taxops.cli import argtypes, exit_codes
from taxops.cli.commands import Command
from taxops.cli.commands.common import progress_bar, repo_root, tell, write
from taxops.diagnostics import TaxopsError
from taxops.escaping import clip, short, terminal_lines
from taxops.formatting.text import format_text
from taxops.interchange.formats import (
    IMPORTS,
    ImportRequest,
    guess_import_format,
    run_import,
    run_import_sheet,
)
from taxops.interchange.imported import Imported, validate_imported
from taxops.interchange.table_parents import PARENT_SOURCES
from taxops.textdiff import unified_diff
from taxops.textfiles import read_published_text, read_text
from taxops.writing import write_atomic

if TYPE_CHECKING:
    from taxops.interchange.edition import Merged


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", type=argtypes.reads("FILE"), metavar="FILE", help="the file to import")
    p.add_argument(
        "--from",
        dest="fmt",
        choices=sorted(IMPORTS),
        help="; ".join(f"{k}: {v}" for k, v in IMPORTS.items()) + " (default: from the extension)",
    )
    p.add_argument("--id", metavar="ID", help="taxonomy id (default: from the file)")
    p.add_argument("--title", metavar="TITLE", help="taxonomy title (default: from the file)")
    p.add_argument(
        "--owner",
        action="append",
        default=[],
        metavar="OWNER",
        help="who approves changes (repeatable; default: from the file, else @your-team)",
    )
    p.add_argument(
        "--output",
        "-o",
        type=argtypes.writes("--output"),
        metavar="FILE",
        help="where to write the taxonomy ('-' for stdout; default: "
        "taxonomies/<id>/taxonomy.yaml in the repository)",
    )
    p.add_argument("--control", metavar="NAME", help="Label Studio: the control to import")
    p.add_argument(
        "--lang",
        default="en",
        metavar="TAG",
        type=language_tag,
        help="SKOS, ClaML and tables with a name column per language: the language of names "
        "and aliases, e.g. fr or pt-BR (default: en; a "
        "label in a regional variant of it, then one with no language, is taken next)",
    )
    p.add_argument(
        "--path-separator",
        metavar="SEP",
        help="CSV of paths: the level separator (default: guessed)",
    )
    p.add_argument("--sheet", metavar="NAME", help="XLSX: the sheet to import (default: the first)")
    p.add_argument(
        "--parents-from",
        choices=PARENT_SOURCES,
        help="CSV or XLSX with an id column: where each label's parent comes from (column: the "
        "parent column; level: the row above one level up; codes: the shorter code that "
        "begins it, as 111 begins 1111; none: no parents; default: the first the table has)",
    )
    p.add_argument(
        "--code-levels",
        type=code_levels,
        metavar="WIDTHS",
        help="codes padded with zeros to one width: the digits each level takes, e.g. "
        "2,2,2,2 for UNSPSC (10101500 is under 10100000) or 2,1,1,1,1,1,1 for CPV; the "
        "parents are then read from the codes",
    )
    p.add_argument(
        "--into",
        metavar="ID",
        help="bring FILE, a new edition of a published taxonomy, into the working version of "
        "taxonomy ID (taxonomies/ID/taxonomy.yaml): names and parents as the edition says, "
        "everything the team wrote kept, labels the edition leaves out kept as tombstones "
        "('replacement: review', for 'taxops crosswalk import' to say where their items go)",
    )
    p.add_argument(
        "--version",
        dest="set_version",
        metavar="VERSION",
        help="the version: with --into, the working version's new one (an edition's year: "
        "2025; default: a dated edition's own, when both use calendar versions); for a new "
        "taxonomy, its first (2025 makes it calendar-versioned; default: the file's own, "
        "else 1.0.0)",
    )
    p.add_argument(
        "--diff",
        action="store_true",
        help="with --into: print the edits as a unified diff and write nothing (exit 1 if "
        "there are any)",
    )
    p.add_argument(
        "--repo",
        type=argtypes.folder,
        default=None,
        help="the governance repository (default: found from the current folder)",
    )


#: A language tag as RDF writes them (BCP 47's shape: letters, then subtags).
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*\Z")


def language_tag(text: str) -> str:
    if not _LANGUAGE_TAG.match(text):
        raise argparse.ArgumentTypeError(
            f"'{short(text, 40)}' is not a language tag: write it as en, fr or pt-BR"
        )
    return text


def code_levels(text: str) -> tuple[int, ...]:
    """``--code-levels``: the digits of each level, 1 to 9 each, 30 at most."""
    parts = text.split(",")
    if not all(p.strip().isascii() and p.strip().isdigit() for p in parts):
        raise argparse.ArgumentTypeError(
            f"'{short(text, 40)}' is not a list of widths: write the digits of each level, "
            "e.g. 2,2,2,2"
        )
    widths = tuple(int(p) for p in parts)
    if not all(1 <= w <= 9 for w in widths) or sum(widths) > 30 or len(widths) < 2:
        raise argparse.ArgumentTypeError(
            f"'{short(text, 40)}': give two levels or more, of 1 to 9 digits, 30 digits in all"
        )
    return widths


def run(args: argparse.Namespace) -> int:
    if args.into is None and args.diff:
        raise TaxopsError(
            "--diff goes with --into (a new edition of a taxonomy)",
            "add --into ID, or leave it out to import a new taxonomy",
        )
    if args.into is not None and (args.id or args.title or args.owner):
        raise TaxopsError(
            "--into keeps the working version's id, title and owners",
            "leave out --id, --title and --owner (edit the header by hand)",
        )
    imported = read(
        args.file,
        args.fmt,
        args.control,
        args.path_separator,
        args.lang,
        parents_from=args.parents_from,
        sheet=args.sheet,
        code_levels=args.code_levels,
    )
    if args.into is not None:
        return _into(args, imported)
    if args.id:
        imported.id = args.id
    if args.title:
        imported.title = args.title
    if args.owner:
        imported.owners = list(args.owner)
    if args.set_version:
        imported.version, imported.versioning = first_version(args.set_version)
    target = args.output
    if target is None:
        root = repo_root(args)
        assert root is not None
        target = root / "taxonomies" / imported.id / "taxonomy.yaml"
    shown = "<stdout>" if str(target) == "-" else str(target)
    text = imported.to_yaml()
    findings = validate_imported(text, shown)
    report(imported, args.file)
    if any(d.severity.value == "error" for d in findings):
        sys.stderr.write(format_text(findings))
        tell("taxops: the imported taxonomy does not validate; nothing was written")
        return exit_codes.FINDINGS
    if str(target) == "-":
        write(text)
        return exit_codes.OK
    if target.exists():
        raise TaxopsError(
            f"{target} exists; taxops never overwrites a taxonomy on import",
            "write elsewhere with --output, or pass --id for a new taxonomy",
        )
    write_atomic(target, text)
    tell(
        f"wrote {target}: {imported.kind} taxonomy '{imported.id}' "
        f"{imported.version}, {len(imported.labels):,} labels; it validates"
    )
    return exit_codes.OK


def _into(args: argparse.Namespace, edition: Imported) -> int:
    """The edition merged into the working version (:mod:`taxops.interchange.edition`),
    checked, then written (or shown with ``--diff``)."""
    from taxops.history import TaxonomyFiles
    from taxops.interchange.edition import merge_edition

    root = repo_root(args)
    assert root is not None
    path = TaxonomyFiles.of(root, args.into).working_path
    if path is None:
        raise TaxopsError(
            f"taxonomy '{args.into}' has no working version (taxonomies/{args.into}/taxonomy.yaml)",
            "import its first edition without --into: taxops import FILE --id ID",
        )
    shown = path.relative_to(root).as_posix()
    raw = read_text(path, "utf-8")
    # Merged with line feeds; written back with the file's own line ends (Windows').
    crlf = "\r\n" in raw
    text = raw.replace("\r\n", "\n") if crlf else raw
    problems = [d for d in validate_imported(text, shown) if d.severity.value == "error"]
    if problems:
        sys.stderr.write(format_text(problems))
        raise TaxopsError(
            f"{shown} has errors; the edition was not imported",
            "fix them first (taxops validate), then import the edition",
        )
    merged = merge_edition(text, shown, edition, args.set_version)
    report(edition, args.file)
    findings = validate_imported(merged.text, shown)
    if any(d.severity.value == "error" for d in findings):
        sys.stderr.write(format_text(findings))
        tell(f"taxops: {shown} with the edition in it does not validate; nothing was written")
        return exit_codes.FINDINGS
    tell(_merge_summary(args.file, shown, merged))
    target = args.output or path
    if merged.text == text and target == path:
        tell(f"{shown} already has this edition: nothing to change")
        return exit_codes.OK
    if args.diff:
        lines = unified_diff(
            text.splitlines(), merged.text.splitlines(), f"a/{shown}", f"b/{shown}", lineterm=""
        )
        write(terminal_lines(lines))
        return exit_codes.FINDINGS
    if str(target) == "-":
        write(merged.text)
        return exit_codes.OK
    write_atomic(target, merged.text.replace("\n", "\r\n") if crlf else merged.text)
    tell(
        f"wrote {target}",
        f"next: taxops crosswalk import TABLE --taxonomy {args.into} (where the retired "
        "labels' items go), then taxops check (and taxops fix for the version it asks for)",
    )
    return exit_codes.OK


def _merge_summary(source: Path, shown: str, merged: Merged) -> str:
    """What the edition changes in the working version, in counts, with the
    first ids of each kind."""
    parts = [f"{merged.unchanged:,} unchanged"]
    for what, ids in (
        ("added", merged.added),
        ("renamed", merged.renamed),
        ("moved", merged.moved),
        ("updated", merged.updated),
        ("back in use", merged.reactivated),
        ("retired by the edition (now tombstones, replacement: review)", merged.retired),
    ):
        if ids:
            listed = ", ".join(short(i, 40) for i in ids[:5])
            more = f" and {len(ids) - 5:,} more" if len(ids) > 5 else ""
            parts.append(f"{len(ids):,} {what} ({listed}{more})")
    if merged.tombstones:
        parts.append(f"{merged.tombstones:,} tombstones of earlier versions kept")
    if merged.version is not None:
        parts.append(f"version {short(merged.version, 40)}")
    return f"{source} into {shown}: " + "; ".join(parts)


def first_version(text: str) -> tuple[str, str | None]:
    """``--version`` for a new taxonomy: a semantic version, or a calendar
    version (an edition's year) with ``versioning: calver``."""
    from taxops.versioning.versions import parse_version

    try:
        version = parse_version(text)
    except ValueError as exc:
        raise TaxopsError(f"--version {short(text, 40)}: {exc}") from None
    return text, (None if version.scheme == "semver" else "calver")


def read(
    path: Path,
    fmt: str | None,
    control: str | None = None,
    separator: str | None = None,
    lang: str = "en",
    *,
    parents_from: str | None = None,
    sheet: str | None = None,
    code_levels: tuple[int, ...] | None = None,
) -> Imported:
    """Import ``path`` (the format from ``fmt`` or its extension)."""
    from taxops.textfiles import require_file

    require_file(path)
    guessed = fmt is None
    fmt = fmt or guess_import_format(path.name)
    if fmt is None:
        raise TaxopsError(
            f"cannot tell the format of {path} from its name",
            f"pass --from ({', '.join(sorted(IMPORTS))})",
        )
    if parents_from is not None and fmt not in ("csv", "xlsx"):
        raise TaxopsError(
            "--parents-from is for a CSV or a spreadsheet with an id column",
            f"leave it out: the parents of {fmt} come from the file itself",
        )
    if sheet is not None and fmt != "xlsx":
        raise TaxopsError("--sheet is for a spreadsheet (.xlsx)", "leave it out")
    if code_levels and (fmt not in ("csv", "xlsx", "codes", "google") or parents_from):
        raise TaxopsError(
            "--code-levels reads the parents from padded codes: for a table or a code list, "
            "without --parents-from",
            "leave out --parents-from, or --code-levels",
        )
    request = ImportRequest(fmt, control, separator, lang, parents_from, sheet, code_levels)
    if fmt == "xlsx":
        if not sys.stderr.isatty():
            return run_import_sheet(path, request)
        bar = progress_bar()
        try:
            return run_import_sheet(path, request, lambda percent: bar("reading", percent))
        finally:
            sys.stderr.write("\n")
    text, encoding = read_published_text(path)
    if guessed:  # a .txt: Google's or a code list; an .xml: Label Studio's, ClaML or ICD-10-CM's
        fmt = guess_import_format(path.name, text) or fmt
    if code_levels and fmt == "google":
        raise TaxopsError(
            "--code-levels is for codes padded with zeros; Google's taxonomy gives its parents",
            "leave out --code-levels",
        )
    request = replace(request, fmt=fmt)
    if not sys.stderr.isatty() or len(text) < _SHOWN_FROM:
        imported = run_import(text, str(path), request)
    else:
        bar = progress_bar()
        try:
            imported = run_import(text, str(path), request, lambda pct: bar("reading", pct))
        finally:
            sys.stderr.write("\n")
    if encoding is not None:
        imported.notes.insert(0, f"the file is not UTF-8: it was read as {encoding}")
    return imported


#: From how many characters a file's reading shows progress on a terminal
#: (a publisher's file of this size takes seconds to read: 182 MB of MeSH descriptors, 12 s).
_SHOWN_FROM = 16 << 20


def report(imported: Imported, source: Path) -> None:
    """What could not be carried over, on stderr (the taxonomy may go to stdout)."""
    if not imported.notes:
        tell(f"{source}: everything was carried over")
        return
    tell(
        f"{source}: {len(imported.notes)} thing(s) not carried over or changed:",
        *(f"  - {clip(note, 300)}" for note in imported.notes[:50]),
    )
    if len(imported.notes) > 50:
        tell(f"  ... and {len(imported.notes) - 50} more")


COMMAND = Command(
    name="import",
    summary="import a taxonomy from Label Studio, CVAT, SKOS, a CSV or spreadsheet, Google's "
    "product taxonomy, a publisher's code list, ClaML, ICD-10-CM's tabular list, MeSH or an OBO "
    "ontology, or a publisher's new edition into one",
    description="Make a governed taxonomy from what a team already has. The result is\n"
    "validated before it is written; everything that could not be carried over (or\n"
    "was changed to fit, like an id made from a name) is listed.\n"
    "  taxops import label_config.xml --from label-studio\n"
    "  taxops import labels.csv --id product-categories -o taxonomy.yaml\n"
    "A publisher's table as it is published (parents from its levels or codes):\n"
    "  taxops import icd10cm_order_2025.txt --id icd-10-cm\n"
    "  taxops import go-basic.obo\n"
    "A publisher's next edition goes into the taxonomy already governed, keeping\n"
    "what the team wrote (--into):\n"
    "  taxops import naics_2017.csv --into naics --version 2017",
    configure=configure,
    run=run,
)
