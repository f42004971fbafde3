"""Label Studio labeling configurations (XML): export and import.

Export: flat taxonomies become ``Choices`` (classification) or ``Labels`` /
``RectangleLabels`` (regions); hierarchies become the ``Taxonomy`` tag, nested
as the tree, with ``leafsOnly`` when only leaves may be used. Every option shows
the label's name, stores its id (``alias``, so datasets keep ids), and carries
a ``hint`` (the guideline's definition, then the aliases as "Also called: ...")
and, for flat sets, a ``hotkey`` free of clashes. Only active, assignable
labels are offered. A comment at the top names the taxonomy and version.

The XML is built with ElementTree, so every value is escaped by construction;
imports are parsed with defusedxml (no entities, no external references).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

from taxops.diagnostics import TaxopsError
from taxops.interchange.hotkeys import assign
from taxops.interchange.imported import (
    Imported,
    ImportedLabel,
    humanise,
    is_label_id,
    is_slug,
    slug,
    unique,
)
from taxops.interchange.source import ExportSource
from taxops.models.taxonomy import Label

ALSO_CALLED = "Also called: "
_STAMP = re.compile(r"^\s*taxops taxonomy=(?P<id>\S+) version=(?P<version>\S+)")
#: Object tags for the data a task shows, and the region control that goes with each.
OBJECTS = {"text": ("Text", "Labels"), "image": ("Image", "RectangleLabels")}


@dataclass(frozen=True)
class LabelStudioOptions:
    #: What the tasks show: ``text`` or ``image``.
    data: str = "text"
    #: Label regions (spans, boxes) instead of classifying the whole item.
    regions: bool = False
    #: Shortcuts the team chose, by label id; the others are assigned.
    hotkeys: Mapping[str, str] = field(default_factory=dict)
    #: Name of the control (``from_name`` in results) and of the data field.
    control: str = "label"


def export_label_studio(source: ExportSource, options: LabelStudioOptions | None = None) -> str:
    options = options or LabelStudioOptions()
    if options.data not in OBJECTS:
        raise TaxopsError(
            f"unknown data type '{options.data}' for Label Studio",
            f"use one of: {', '.join(OBJECTS)}",
        )
    if not options.control.strip() or options.control == options.data:
        raise TaxopsError(
            f"'{options.control}' cannot name the control: the tasks' data is '{options.data}'",
            "name it as your project does (its 'from_name'), e.g. --control intent",
        )
    object_tag, region_tag = OBJECTS[options.data]
    view = ET.Element("View")
    view.append(ET.Comment(_stamp(source)))
    ET.SubElement(view, object_tag, name=options.data, value=f"${options.data}")
    if source.hierarchical and not options.regions:
        control = ET.SubElement(
            view,
            "Taxonomy",
            name=options.control,
            toName=options.data,
            leafsOnly="true" if source.taxonomy.leaf_only else "false",
            showFullPath="true",
        )
        if not source.multi_label:
            control.set("maxUsages", "1")
        _tree(control, source, source.active_children(), None)
    else:
        labels = source.assignable()
        hotkeys = assign([label.id for label in labels], options.hotkeys).keys
        tag, child = (region_tag, "Label") if options.regions else ("Choices", "Choice")
        control = ET.SubElement(view, tag, name=options.control, toName=options.data)
        if not options.regions:
            control.set("choice", "multiple" if source.multi_label else "single-radio")
            control.set("showInline", "false")
        control.set("required", "true")
        for label in labels:
            option = _option(control, child, source, label)
            if label.id in hotkeys:
                option.set("hotkey", hotkeys[label.id])
    ET.indent(view, space="  ")
    return ET.tostring(view, encoding="unicode") + "\n"


def _stamp(source: ExportSource) -> str:
    text = f" taxops taxonomy={source.id} version={source.version} "
    return text.replace("--", "- -")  # never inside an XML comment


def _tree(
    parent: ET.Element,
    source: ExportSource,
    children: dict[str | None, list[Label]],
    at: str | None,
) -> None:
    for label in children.get(at, []):
        option = _option(parent, "Choice", source, label)
        _tree(option, source, children, label.id)


def _option(parent: ET.Element, tag: str, source: ExportSource, label: Label) -> ET.Element:
    option = ET.SubElement(parent, tag, value=label.name, alias=label.id)
    hint = hint_text(source.definition(label), label.aliases)
    if hint:
        option.set("hint", hint)
    return option


def hint_text(definition: str, aliases: tuple[str, ...] | list[str]) -> str:
    """What a labeler sees on hover: the definition, then the other names."""
    parts = [definition] if definition else []
    if aliases:
        parts.append(ALSO_CALLED + ", ".join(aliases) + ".")
    return " ".join(parts)


def split_hint(hint: str) -> tuple[str, list[str]]:
    """The definition and aliases back from :func:`hint_text`."""
    at = hint.rfind(ALSO_CALLED)
    if at < 0 or not hint.endswith("."):
        return hint.strip(), []
    aliases = [a.strip() for a in hint[at + len(ALSO_CALLED) : -1].split(",") if a.strip()]
    return hint[:at].strip(), aliases


# -- import -----------------------------------------------------------------------

CONTROLS = {
    "Choices",
    "Taxonomy",
    "Labels",
    "RectangleLabels",
    "PolygonLabels",
    "KeyPointLabels",
    "BrushLabels",
    "EllipseLabels",
    "HyperTextLabels",
    "ParagraphLabels",
    "TimeSeriesLabels",
}


def import_label_studio(text: str, origin: str, control: str | None = None) -> Imported:
    """A draft taxonomy from a labeling config. With several label controls, the
    one named ``control`` (default: the one with the most options)."""
    import defusedxml.ElementTree as SafeET
    from defusedxml import DefusedXmlException

    parser = SafeET.DefusedXMLParser(target=ET.TreeBuilder(insert_comments=True))
    try:
        parser.feed(text)
        root = parser.close()
    except (ET.ParseError, DefusedXmlException) as exc:
        raise TaxopsError(
            f"{origin} is not a Label Studio labeling config: {exc}",
            "export it from the project's Settings > Labeling Interface > Code",
        ) from None
    controls = [el for el in root.iter() if el.tag in CONTROLS]
    if not controls:
        raise TaxopsError(
            f"{origin} has no Choices, Labels or Taxonomy tag: nothing to import",
            "import the config of a project that classifies or labels regions",
        )
    notes: list[str] = []
    if control:
        chosen = next((c for c in controls if c.get("name") == control), None)
        if chosen is None:
            names = ", ".join(str(c.get("name")) for c in controls)
            raise TaxopsError(
                f"{origin} has no control named '{control}'", f"its controls: {names}"
            )
    else:
        chosen = max(controls, key=lambda c: sum(1 for _ in c.iter()))
    others = [c for c in controls if c is not chosen]
    if others:
        notes.append(
            "imported the control '{}'; not imported: {} (import each with --control NAME)".format(
                chosen.get("name"), ", ".join(f"'{c.get('name')}' ({c.tag})" for c in others)
            )
        )
    if chosen.get("name") and chosen.get("name") != "label":
        notes.append(
            f"the project names this control '{chosen.get('name')}': export the taxonomy back "
            f"with 'taxops export ID --to label-studio --control {chosen.get('name')}', so the "
            "project's annotations still fit the config"
        )
    stamp = next(
        (m for el in root.iter(ET.Comment) if (m := _STAMP.match(el.text or ""))),  # type: ignore[arg-type]
        None,
    )
    labels: list[ImportedLabel] = []
    taken: set[str] = set()
    dropped: dict[str, int] = {}
    _walk(chosen, None, labels, taken, notes, dropped)
    for attr, count in sorted(dropped.items()):
        notes.append(
            f"{count} option(s) had '{attr}', which a taxonomy does not hold: not carried over"
        )
    if chosen.tag == "Taxonomy":
        kind = "hierarchical"
    elif chosen.get("choice") == "multiple":
        kind = "multi-label"
    else:
        kind = "single-label"
    if chosen.tag != "Taxonomy" and any(label.parent for label in labels):
        kind = "hierarchical"
    taxonomy_id = (
        stamp.group("id") if stamp else slug(str(chosen.get("name") or "labels")).replace("_", "-")
    )
    imported = Imported(
        id=taxonomy_id,
        title=humanise(taxonomy_id.replace("-", " ")),
        kind=kind,
        labels=labels,
        version=stamp.group("version") if stamp else "1.0.0",
        leaf_only=chosen.get("leafsOnly", "false").lower() == "true",
        notes=notes,
    )
    if not labels:
        raise TaxopsError(f"the control '{chosen.get('name')}' of {origin} has no options")
    return imported


_KEPT = {"value", "alias", "hint"}


def _walk(
    element: ET.Element,
    parent: str | None,
    out: list[ImportedLabel],
    taken: set[str],
    notes: list[str],
    dropped: dict[str, int],
) -> None:
    for child in element:
        if child.tag not in ("Choice", "Label"):
            continue
        value = child.get("value")
        if value is None or not value.strip():
            notes.append("an option without a value was skipped")
            continue
        alias = child.get("alias")
        stored = alias or value  # what Label Studio writes into results
        wanted = stored if is_label_id(stored) else None
        if wanted is None:
            base = slug(stored)
            wanted = f"{parent}.{base}" if parent and is_slug(parent) else base
            notes.append(
                f"{stored!r} cannot be an id as it is (it holds spaces): its id is '{wanted}'; "
                "map it when migrating data that stores it"
            )
        label_id = unique(wanted, taken)
        if label_id != wanted:
            notes.append(f"'{value}' appears twice: the second is '{label_id}'")
        definition, aliases = split_hint(child.get("hint", ""))
        for attr in child.attrib:
            if attr not in _KEPT:
                dropped[attr] = dropped.get(attr, 0) + 1
        out.append(
            ImportedLabel(
                id=label_id,
                name=value.strip(),
                parent=parent,
                definition=definition or None,
                aliases=aliases,
            )
        )
        _walk(child, label_id, out, taken, notes, dropped)
