"""``taxops schema``: the JSON Schema of each kind of governed file, for editors
(yaml-language-server) and other tools."""

from __future__ import annotations

import argparse
import json

from taxops.cli import argtypes, exit_codes
from taxops.cli.commands import Command
from taxops.cli.commands.common import say, write
from taxops.diagnostics import TaxopsError
from taxops.documents import KINDS
from taxops.schemas import json_schema, write_schemas


def configure(p: argparse.ArgumentParser) -> None:
    names = sorted(k.name for k in KINDS.values())
    p.add_argument("kind", nargs="?", choices=names, help="which kind of file (default: all)")
    p.add_argument(
        "--output",
        type=argtypes.folder,
        metavar="DIR",
        help="write KIND.schema.json files into DIR instead of printing",
    )


def run(args: argparse.Namespace) -> int:
    kinds = [k for k in KINDS.values() if args.kind in (None, k.name)]
    if args.output:
        for path in write_schemas(args.output, kinds):
            say(f"wrote {path}")
        return exit_codes.OK
    if len(kinds) != 1:
        raise TaxopsError("name one kind to print, or use --output DIR to write them all")
    write(json.dumps(json_schema(kinds[0]), indent=2) + "\n")
    return exit_codes.OK


COMMAND = Command(
    name="schema",
    summary="print or write the JSON Schema of governed files",
    description="Print the JSON Schema of a kind of governed file, or write all of them.\n"
    "Editors use it through the comment at the top of each file:\n"
    "  # yaml-language-server: $schema=../../schemas/taxonomy.schema.json\n"
    "  taxops schema --output schemas   (what taxops init sets up)",
    configure=configure,
    run=run,
)
