"""Argilla dataset settings: the JSON that ``rg.Settings.from_json`` reads
(fields, questions, metadata, guidelines), ready to create a dataset with.

One label question: ``label_selection`` (single-label, hierarchical) or
``multi_label_selection``; each option's ``value`` is the label id, its
``text`` the name (the path of names for a hierarchy, which Argilla shows flat)
and its ``description`` the guideline's definition. Only active, assignable
labels are offered. The taxonomy id and version are two metadata properties
(every record carries them) and the first line of the guidelines.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from taxops.interchange.source import ExportSource
from taxops.models.taxonomy import Label


def export_argilla(source: ExportSource, data: str = "text") -> str:
    by_id = source.taxonomy.by_id()
    options = [
        {
            "value": label.id,
            "text": _path(label, by_id) if source.hierarchical else label.name,
            "description": source.definition(label) or None,
        }
        for label in source.assignable()
    ]
    kind = "multi_label_selection" if source.multi_label else "label_selection"
    settings: dict[str, Any] = {"type": kind, "options": options}
    if len(options) >= 3:
        settings["visible_options"] = len(options)
    if source.multi_label:
        settings["options_order"] = "natural"
    field_type = {"text": {"type": "text", "use_markdown": False}, "image": {"type": "image"}}[data]
    document = {
        "guidelines": (
            f"{source.title()}: taxonomy {source.id}, version {source.version}.\n\n"
            f"{source.taxonomy.description or ''}"
        ).strip(),
        "questions": [
            {
                "name": "label",
                "title": source.title(),
                "description": f"Pick the label ({source.stamp()}).",
                "required": True,
                "settings": settings,
            }
        ],
        "fields": [{"name": data, "title": data, "required": True, "settings": field_type}],
        "vectors": [],
        "metadata": [
            _terms("taxonomy", [source.id]),
            _terms("taxonomy_version", [source.version]),
        ],
        "allow_extra_metadata": False,
        "distribution": {"strategy": "overlap", "min_submitted": 1},
        "mapping": None,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _terms(name: str, values: list[str]) -> dict[str, Any]:
    return {
        "name": name,
        "title": name,
        "settings": {"type": "terms", "values": values, "visible_for_annotators": True},
        "visible_for_annotators": True,
    }


def _path(label: Label, by_id: Mapping[str, Label]) -> str:
    names = [label.name]
    seen = {label.id}
    parent = label.parent
    while parent and parent in by_id and parent not in seen:
        seen.add(parent)
        names.append(by_id[parent].name)
        parent = by_id[parent].parent
    return " / ".join(reversed(names))
