"""``taxops import``: a governed taxonomy from what a team already has (a Label
Studio config, CVAT labels, SKOS, a CSV, Google's product taxonomy)."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from taxops.cli import argtypes, exit_codes
from taxops.cli.commands import Command
from taxops.cli.commands.common import repo_root, tell, write
from taxops.diagnostics import TaxopsError
from taxops.escaping import clip, short
from taxops.formatting.text import format_text
from taxops.interchange.formats import IMPORTS, ImportRequest, guess_import_format, run_import
from taxops.interchange.imported import Imported, validate_imported
from taxops.textfiles import read_text
from taxops.writing import write_atomic


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
        type=_language_tag,
        help="SKOS: the language of names and aliases, e.g. fr or pt-BR (default: en; a "
        "label in a regional variant of it, then one with no language, is taken next)",
    )
    p.add_argument(
        "--path-separator",
        metavar="SEP",
        help="CSV of paths: the level separator (default: guessed)",
    )
    p.add_argument(
        "--repo",
        type=argtypes.folder,
        default=None,
        help="the governance repository (default: found from the current folder)",
    )


#: A language tag as RDF writes them (BCP 47's shape: letters, then subtags).
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*\Z")


def _language_tag(text: str) -> str:
    if not _LANGUAGE_TAG.match(text):
        raise argparse.ArgumentTypeError(
            f"'{short(text, 40)}' is not a language tag: write it as en, fr or pt-BR"
        )
    return text


def run(args: argparse.Namespace) -> int:
    imported = read(args.file, args.fmt, args.control, args.path_separator, args.lang)
    if args.id:
        imported.id = args.id
    if args.title:
        imported.title = args.title
    if args.owner:
        imported.owners = list(args.owner)
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
        f"{imported.version}, {len(imported.labels)} labels; it validates"
    )
    return exit_codes.OK


def read(
    path: Path,
    fmt: str | None,
    control: str | None = None,
    separator: str | None = None,
    lang: str = "en",
) -> Imported:
    """Import ``path`` (the format from ``fmt`` or its extension)."""
    from taxops.textfiles import require_file

    require_file(path)
    fmt = fmt or guess_import_format(path.name)
    if fmt is None:
        raise TaxopsError(
            f"cannot tell the format of {path} from its name",
            f"pass --from ({', '.join(sorted(IMPORTS))})",
        )
    text = read_text(path, "utf-8-sig")
    return run_import(text, str(path), ImportRequest(fmt, control, separator, lang))


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
    summary="import a taxonomy from Label Studio, CVAT, SKOS, a CSV or Google's product taxonomy",
    description="Make a governed taxonomy from what a team already has. The result is\n"
    "validated before it is written; everything that could not be carried over (or\n"
    "was changed to fit, like an id made from a name) is listed.\n"
    "  taxops import label_config.xml --from label-studio\n"
    "  taxops import labels.csv --id product-categories -o taxonomy.yaml",
    configure=configure,
    run=run,
)
