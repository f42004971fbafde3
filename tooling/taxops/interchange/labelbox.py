"""Labelbox ontologies: the normalized ontology JSON that Labelbox's ontology
builder and ``create_ontology`` take (``tools`` and ``classifications``), with
the ontology's ``name`` carrying the taxonomy id and version.

Classification (the default): one global classification, a radio (single-label,
hierarchical) or checklist (multi-label); a hierarchy nests: an option with
children holds a radio of them. Regions (``--regions``): one bounding-box tool
per assignable label, its attributes as the tool's classifications. An option's
``value`` is the label id (what exports write), its ``label`` the name.
"""

from __future__ import annotations

import json
from typing import Any

from taxops.interchange.source import ExportSource
from taxops.models.taxonomy import Attribute, AttributeType, Label


def export_labelbox(source: ExportSource, regions: bool = False) -> str:
    ontology: dict[str, Any] = {
        "name": f"{source.title()} ({source.stamp()})",
        "tools": [],
        "classifications": [],
    }
    if regions:
        ontology["tools"] = [
            {
                "tool": "rectangle",
                "name": label.name,
                "required": False,
                "color": None,
                "classifications": [_attribute(a) for a in label.attributes],
                "schemaNodeId": None,
                "featureSchemaId": None,
            }
            for label in source.assignable()
        ]
    else:
        children = source.active_children()
        kind = "checklist" if source.multi_label else "radio"
        ontology["classifications"] = [
            {
                "type": kind,
                "name": "label",
                "instructions": "label",
                "required": True,
                "options": [_option(source, label, children) for label in children.get(None, [])],
            }
        ]
    return json.dumps(ontology, indent=2, ensure_ascii=False) + "\n"


def _option(
    source: ExportSource, label: Label, children: dict[str | None, list[Label]]
) -> dict[str, Any]:
    option: dict[str, Any] = {"label": label.name, "value": label.id, "options": []}
    below = children.get(label.id, [])
    if below:
        option["options"] = [
            {
                "type": "radio",
                "name": label.id,
                "instructions": label.name,
                "required": source.taxonomy.leaf_only,
                "options": [_option(source, child, children) for child in below],
            }
        ]
    return option


def _attribute(attribute: Attribute) -> dict[str, Any]:
    base: dict[str, Any] = {
        "name": attribute.name,
        "instructions": attribute.description or attribute.name,
        "required": attribute.required,
    }
    if attribute.type is AttributeType.ENUM:
        return {
            **base,
            "type": "radio",
            "options": [{"label": o, "value": o, "options": []} for o in attribute.options],
        }
    if attribute.type is AttributeType.BOOL:
        return {
            **base,
            "type": "radio",
            "options": [
                {"label": "yes", "value": "true", "options": []},
                {"label": "no", "value": "false", "options": []},
            ],
        }
    return {**base, "type": "text", "options": []}
