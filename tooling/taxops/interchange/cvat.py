"""CVAT labels: the ``labels`` of a project, as CVAT's API and its raw label
editor take them, wrapped in a project request whose name carries the taxonomy
id and version (``{"name": ..., "labels": [...]}``; paste ``labels`` into the
raw editor, or POST the whole object to ``/api/projects``).

CVAT labels are flat, so only assignable labels are exported; a label's
``name`` is its id (what datasets store and what CVAT's exports write), and its
attributes keep their input types: ``bool`` -> checkbox, ``enum`` -> select,
``integer``/``number`` -> number, ``text`` -> text.
"""

from __future__ import annotations

import json
import re
from typing import Any

from taxops.diagnostics import TaxopsError
from taxops.interchange.imported import (
    Imported,
    ImportedLabel,
    humanise,
    is_label_id,
    slug,
    unique,
)
from taxops.interchange.source import ExportSource
from taxops.models.taxonomy import Attribute, AttributeType
from taxops.textfiles import parse_json

INPUT_TYPES = {
    AttributeType.BOOL: "checkbox",
    AttributeType.ENUM: "select",
    AttributeType.INTEGER: "number",
    AttributeType.NUMBER: "number",
    AttributeType.TEXT: "text",
}
#: CVAT number attributes hold "min;max;step" as three values.
NUMBER_RANGE = ["0", "1000000", "1"]


def export_cvat(source: ExportSource, shape: str = "any") -> str:
    labels = []
    for label in source.assignable():
        labels.append(
            {
                "name": label.id,
                "type": shape,
                "attributes": [_attribute(a) for a in label.attributes],
            }
        )
    project = {"name": f"{source.title()} ({source.stamp()})", "labels": labels}
    return json.dumps(project, indent=2, ensure_ascii=False) + "\n"


def _attribute(attribute: Attribute) -> dict[str, Any]:
    kind = INPUT_TYPES[attribute.type]
    if attribute.type is AttributeType.BOOL:
        values, default = ["false"], "false"
    elif attribute.type is AttributeType.ENUM:
        values = list(attribute.options)
        default = values[0] if values else ""
    elif kind == "number":
        values, default = list(NUMBER_RANGE), NUMBER_RANGE[0]
    else:
        values, default = [""], ""
    return {
        "name": attribute.name,
        "mutable": True,
        "input_type": kind,
        "default_value": default,
        "values": values,
    }


_TYPES_BACK = {"checkbox": "bool", "select": "enum", "radio": "enum", "text": "text"}


def import_cvat(text: str, origin: str) -> Imported:
    """A draft single-label taxonomy from CVAT labels (a list, or a project or
    task object holding ``labels``)."""
    data = parse_json(text, origin)
    title = "Imported labels"
    if isinstance(data, dict):
        title = str(data.get("name") or title)
        data = data.get("labels")
    if not isinstance(data, list) or not all(isinstance(x, dict) for x in data):
        raise TaxopsError(
            f"{origin} is not a list of CVAT labels",
            "copy the labels from the project's Raw editor, or export the project's labels",
        )
    notes: list[str] = []
    taken: set[str] = set()
    labels: list[ImportedLabel] = []
    for i, entry in enumerate(data, start=1):
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            notes.append(f"label {i} has no name: skipped")
            continue
        wanted = name if is_label_id(name) else slug(name)
        label_id = unique(wanted, taken)
        if label_id != name:
            notes.append(f"{name!r} cannot be an id as it is: its id is '{label_id}'")
        if entry.get("sublabels"):
            notes.append(f"'{name}' is a skeleton: its points (sublabels) are not carried over")
        attributes = []
        for attr in entry.get("attributes") or []:
            converted = _attribute_back(attr, name, notes)
            if converted:
                attributes.append(converted)
        labels.append(
            ImportedLabel(
                id=label_id,
                name=humanise(label_id) if label_id == name else name,
                attributes=attributes,
            )
        )
    if any(label.name == humanise(label.id) for label in labels):
        notes.append("CVAT labels have no display names: names were made from the ids")
    if any(e.get("color") for e in data):
        notes.append("label colours are not part of a taxonomy: not carried over")
    stamp = re.search(r"^(?P<title>.*) \((?P<id>[a-z][a-z0-9_-]*) (?P<version>\S+)\)$", title)
    return Imported(
        id=stamp.group("id") if stamp else slug(title).replace("_", "-"),
        title=stamp.group("title") if stamp else title,
        kind="single-label",
        labels=labels,
        version=stamp.group("version") if stamp else "1.0.0",
        notes=notes,
    )


def _attribute_back(attr: Any, label: str, notes: list[str]) -> dict[str, Any] | None:
    if not isinstance(attr, dict) or not isinstance(attr.get("name"), str):
        notes.append(f"an attribute of '{label}' has no name: skipped")
        return None
    name = attr["name"]
    input_type = attr.get("input_type")
    out: dict[str, Any] = {"name": name if _is_attr(name) else slug(name)}
    if out["name"] != name:
        notes.append(f"attribute '{name}' of '{label}' is named '{out['name']}'")
    if input_type == "number":
        out["type"] = "number"
        notes.append(f"the range of number attribute '{name}' of '{label}' is not carried over")
    elif input_type in _TYPES_BACK:
        out["type"] = _TYPES_BACK[input_type]
    else:
        notes.append(f"attribute '{name}' of '{label}' has input type {input_type!r}: read as text")
        out["type"] = "text"
    if out["type"] == "enum":
        out["options"] = [str(v) for v in attr.get("values") or []]
    return out


def _is_attr(text: str) -> bool:
    return re.fullmatch(r"[a-z][a-z0-9_]*", text) is not None
