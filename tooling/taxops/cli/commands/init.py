"""``taxops init``: a governance repository for a team, ready to check and publish."""

from __future__ import annotations

import argparse
from pathlib import Path

from taxops.cli import argtypes, exit_codes
from taxops.cli.commands import Command
from taxops.cli.commands.common import say, tell
from taxops.cli.commands.import_taxonomy import code_levels, language_tag
from taxops.diagnostics import TaxopsError
from taxops.escaping import shell_word
from taxops.interchange.formats import IMPORTS
from taxops.writing import write_atomic


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "directory", nargs="?", type=argtypes.folder, default=Path("."), metavar="DIR",
        help="where to set up the repository (default: the current folder)",
    )  # fmt: skip
    p.add_argument(
        "--from",
        dest="source",
        type=argtypes.reads("--from"),
        metavar="FILE",
        help="start from this taxonomy file instead of the starter",
    )
    p.add_argument(
        "--format", choices=sorted(IMPORTS), help="the format of --from (default: from its name)"
    )
    p.add_argument("--sheet", metavar="NAME", help="XLSX --from: the sheet (default: the first)")
    p.add_argument(
        "--lang",
        default="en",
        metavar="TAG",
        type=language_tag,
        help="--from SKOS, ClaML or a table with a name column per language: the names' "
        "language (default: %(default)s)",
    )
    p.add_argument(
        "--code-levels",
        type=code_levels,
        metavar="WIDTHS",
        help="--from a table of codes padded with zeros: the digits each level takes "
        "(2,2,2,2 for UNSPSC)",
    )
    p.add_argument(
        "--version",
        dest="set_version",
        metavar="VERSION",
        help="--from: the taxonomy's first version (an edition's year, 2025, makes it "
        "calendar-versioned; default: the file's own, else 1.0.0)",
    )
    p.add_argument(
        "--taxonomy",
        metavar="ID",
        help="the taxonomy's id (default: comment-toxicity, or from --from)",
    )
    p.add_argument("--title", metavar="TITLE", help="the taxonomy's title")
    p.add_argument(
        "--owner",
        default="@your-team",
        metavar="OWNER",
        help="who approves changes (default: %(default)s)",
    )
    p.add_argument(
        "--taxops-spec", metavar="REQUIREMENT",
        help="what CI and pre-commit install (default: taxops==<this version>; e.g. a git URL)",
    )  # fmt: skip


def run(args: argparse.Namespace) -> int:
    from taxops.scaffold import STARTER_TAXONOMY, STARTER_TITLE, Answers, plan

    root: Path = args.directory
    if root.exists() and not root.is_dir():
        raise TaxopsError(f"{root} is a file, not a folder")
    imported = imported_text = None
    taxonomy, title = args.taxonomy or STARTER_TAXONOMY, args.title or STARTER_TITLE
    if args.source:
        from taxops.cli.commands.import_taxonomy import first_version, read, report
        from taxops.interchange.imported import validate_imported

        imported = read(
            args.source,
            args.format,
            lang=args.lang,
            sheet=args.sheet,
            code_levels=args.code_levels,
        )
        imported.id = args.taxonomy or imported.id
        imported.title = args.title or imported.title
        imported.owners = [args.owner]
        if args.set_version:
            imported.version, imported.versioning = first_version(args.set_version)
        report(imported, args.source)
        imported_text = imported.to_yaml()  # validated, then written as it is
        errors = [
            d
            for d in validate_imported(imported_text, str(args.source))
            if d.severity.value == "error"
        ]
        if errors:
            raise TaxopsError(
                f"{args.source} does not import as a valid taxonomy: {errors[0].message}",
                f"run 'taxops import {args.source}' to see every finding",
            )
        taxonomy, title = imported.id, imported.title
    elif args.sheet or args.set_version or args.lang != "en" or args.code_levels:
        raise TaxopsError(
            "--sheet, --lang, --code-levels and --version go with --from (a file to start from)",
            "add --from FILE, or leave them out for the starter taxonomy",
        )
    answers = Answers(taxonomy=taxonomy, title=title, owner=args.owner)
    if args.taxops_spec:
        answers = Answers(taxonomy, title, args.owner, args.taxops_spec)
    files = plan(answers, imported, imported_text)
    has_taxonomies = any((root / "taxonomies").glob("*/taxonomy.yaml"))
    written, kept = [], []
    for relative, content in files.items():
        target = root / relative
        if target.exists() or (
            has_taxonomies
            and relative.startswith(("taxonomies/", "guidelines/"))
            and not args.source
        ):
            kept.append(relative)
            continue
        write_atomic(target, content)
        written.append(relative)
    say(*(f"  created {relative}" for relative in written))
    if kept:
        tell(
            f"kept {len(kept)} existing file(s) as they are (init never overwrites): "
            + ", ".join(kept)
        )
    here = Path.cwd().resolve() == Path(root).resolve()
    say(
        "",
        f"set up a taxops repository in {root} with the taxonomy '{taxonomy}'. Next:",
        f"  {'' if here else f'cd {shell_word(root)} && '}taxops check && taxops site build --strict",
        "  git add -A && git commit -m 'Governance repository' && taxops release",
        f"  export a labeling config: taxops export {shell_word(taxonomy)} --to label-studio",
    )
    return exit_codes.OK


COMMAND = Command(
    name="init",
    summary="set up a governance repository: a starter taxonomy, guideline, policies, site, CI",
    description="Set up a team's governance repository in DIR: a starter taxonomy (or one imported\n"
    "with --from), its guideline, a vendor policy and a waivers file, JSON Schemas for\n"
    "editors, mkdocs.yml for the guideline site, a CI workflow, a pre-commit config and a\n"
    ".gitignore. Existing files are never overwritten: only what is missing is added.\n"
    "  taxops init my-labels\n"
    "  taxops init --from label_config.xml --taxonomy support-intents",
    configure=configure,
    run=run,
)
