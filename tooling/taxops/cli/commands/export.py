"""``taxops export``: the taxonomy in the format a labeling tool or a consumer
reads (Label Studio, CVAT, Labelbox, Argilla, COCO, SKOS)."""

from __future__ import annotations

import argparse

from taxops.cli import argtypes, exit_codes
from taxops.cli.commands import Command
from taxops.cli.commands.common import add_repo, repo_root, tell, write
from taxops.diagnostics import TaxopsError
from taxops.interchange.formats import EXPORTS
from taxops.interchange.source import ExportSource
from taxops.writing import write_atomic


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("taxonomy", metavar="TAXONOMY", help="the taxonomy id")
    p.add_argument(
        "--to",
        dest="fmt",
        required=True,
        choices=sorted(EXPORTS),
        help="; ".join(f"{k}: {v[1]}" for k, v in EXPORTS.items()),
    )
    p.add_argument("--version", metavar="V", help="version to export (default: the newest release)")
    p.add_argument(
        "--output",
        "-o",
        type=argtypes.writes("--output"),
        metavar="FILE",
        help="write here (default: stdout)",
    )
    p.add_argument(
        "--data",
        choices=("text", "image"),
        default="text",
        help="what the labeling tool shows (Label Studio, Argilla; default: text)",
    )
    p.add_argument(
        "--regions",
        action="store_true",
        help="label regions (spans, boxes) rather than whole items (Label Studio, Labelbox)",
    )
    p.add_argument(
        "--hotkey",
        action="append",
        default=[],
        metavar="LABEL=KEY",
        help="a keyboard shortcut for a label (Label Studio; repeatable); the others are assigned",
    )
    p.add_argument(
        "--control",
        metavar="NAME",
        help="Label Studio: the control's name, 'from_name' in its exports (default: label); "
        "keep your project's, so its annotations still fit the config",
    )
    p.add_argument(
        "--mapping-from",
        metavar="V",
        help="SKOS: export the migration map from version V as SKOS mapping relations",
    )
    p.add_argument("--base", metavar="URI", help="SKOS: base URI of the concepts")
    add_repo(p)


def run(args: argparse.Namespace) -> int:
    from taxops.interchange.load import load_source

    root = repo_root(args)
    assert root is not None
    if args.mapping_from and not args.fmt.startswith("skos"):
        raise TaxopsError("--mapping-from goes with --to skos or --to skos-jsonld")
    if args.mapping_from:
        from taxops.history import migration_map
        from taxops.interchange.skos import export_skos_mapping

        migration = migration_map(root, args.taxonomy, args.mapping_from, args.version)
        text = export_skos_mapping(migration, _serialisation(args.fmt), args.base)
    else:
        source = load_source(root, args.taxonomy, args.version, history=args.fmt == "coco")
        text = render(source, args)
    text = _shown_safely(text, EXPORTS[args.fmt][0])
    if args.output:
        write_atomic(args.output, text)
        tell(f"wrote {args.output} ({args.fmt})")
    else:
        write(text)
    return exit_codes.OK


def _shown_safely(document: str, suffix: str) -> str:
    """The document with the controls, bidi and invisible characters a
    definition or note may hold escaped in the format's own way: the same
    values for the labeling tool, nothing a terminal obeys when it is printed
    (and no control XML forbids in a Label Studio config)."""
    from taxops.escaping import json_text, turtle_document, xml_document

    escape = {".xml": xml_document, ".ttl": turtle_document}.get(suffix, json_text)
    return escape(document)


def _serialisation(fmt: str) -> str:
    return "json-ld" if fmt == "skos-jsonld" else "turtle"


def _hotkeys(given: list[str]) -> dict[str, str]:
    keys = {}
    for item in given:
        label, sep, key = item.partition("=")
        if not sep or not label or not key:
            raise TaxopsError(f"--hotkey {item!r} is not LABEL=KEY", "e.g. --hotkey vehicle.car=c")
        keys[label] = key
    return keys


def render(source: ExportSource, args: argparse.Namespace) -> str:
    """The export as text, in the format ``args.fmt``."""
    fmt = args.fmt
    if fmt == "label-studio":
        from taxops.interchange.labelstudio_config import LabelStudioOptions, export_label_studio

        options = LabelStudioOptions(
            data=args.data,
            regions=args.regions,
            hotkeys=_hotkeys(args.hotkey),
            control=args.control or "label",
        )
        return export_label_studio(source, options)
    if args.hotkey or args.control:
        raise TaxopsError("--hotkey and --control go with --to label-studio")
    if fmt == "cvat":
        from taxops.interchange.cvat import export_cvat

        return export_cvat(source, "rectangle" if args.regions else "any")
    if fmt == "labelbox":
        from taxops.interchange.labelbox import export_labelbox

        return export_labelbox(source, regions=args.regions)
    if fmt == "argilla":
        from taxops.interchange.argilla import export_argilla

        return export_argilla(source, data=args.data)
    if fmt == "coco":
        from taxops.interchange.coco import export_coco

        return export_coco(source)
    from taxops.interchange.skos import export_skos

    return export_skos(source, _serialisation(fmt), args.base)


COMMAND = Command(
    name="export",
    summary="export a taxonomy for a labeling tool (Label Studio, CVAT, Labelbox, Argilla, COCO, SKOS)",
    description="Export a taxonomy version in the format a labeling tool or a consumer reads.\n"
    "Only active, assignable labels are offered to labelers; every export names the\n"
    "taxonomy id and version it was made from.\n"
    "  taxops export support-intents --to label-studio -o config.xml\n"
    "  taxops export driving-objects --to cvat --regions\n"
    "  taxops export support-intents --to skos --mapping-from 1.0.0",
    configure=configure,
    run=run,
)
