"""COCO categories: the ``categories`` list of a COCO annotation file, with the
taxonomy id and version in ``info``.

A category's number must mean one thing forever: annotation files store only
numbers. Numbers are derived from the release history (first appearance, oldest
release first, file order within it), so a label keeps its number in every
version and a retired label's number is never given to another label. Only
active, assignable labels are listed; the gaps are the retired ones.
"""

from __future__ import annotations

import json
from typing import Any

from taxops.interchange.source import ExportSource, history_of, stable_numbers


def export_coco(source: ExportSource) -> str:
    numbers = stable_numbers(history_of(source))
    by_id = source.taxonomy.by_id()
    categories: list[dict[str, Any]] = []
    for label in source.assignable():
        parent = by_id.get(label.parent) if label.parent else None
        categories.append(
            {
                "id": numbers[label.id],
                "name": label.id,
                "supercategory": parent.id if parent else "none",
                "display_name": label.name,
            }
        )
    document = {
        "info": {
            "description": source.title(),
            "version": source.version,
            "taxonomy": source.id,
        },
        "categories": categories,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
