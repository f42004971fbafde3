"""Queued rows as Label Studio tasks, and the review project's labeling config.

Each task offers only its row's candidates (Label Studio's dynamic choices: the
options come from the task's ``taxops_candidates``; a row without candidates
offers every assignable label), shows the item, the old label, why it is queued
and the decision hints of the guideline, and remembers its row in ``meta``.
Options show the label's name and store its id (``alias``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from xml.etree import ElementTree as ET

from taxops.interchange.labelstudio_config import hint_text
from taxops.interchange.source import ExportSource
from taxops.review.decisions import DECISION_CONTROL
from taxops.review.queue import QueuedRow

ITEM = "item"


def review_config(source: ExportSource, text_field: str) -> str:
    view = ET.Element("View")
    view.append(ET.Comment(f" taxops taxonomy={source.id} version={source.version} review "))
    ET.SubElement(
        view, "Header", value="Row $taxops_row, labeled $taxops_old_label ($taxops_reason)"
    )
    ET.SubElement(view, "Text", name=ITEM, value=f"${text_field}")
    ET.SubElement(view, "Header", value="Decision hints", size="5")
    ET.SubElement(view, "Text", name="hints", value="$taxops_hints")
    ET.SubElement(
        view,
        "Choices",
        name=DECISION_CONTROL,
        toName=ITEM,
        value="$taxops_candidates",
        choice="multiple" if source.multi_label else "single-radio",
        showInline="false",
        required="true",
    )
    ET.indent(view, space="  ")
    return ET.tostring(view, encoding="unicode") + "\n"


def review_tasks(
    rows: Sequence[QueuedRow],
    source: ExportSource,
    hints: Mapping[str, Sequence[str]],
    text_field: str,
    queue_name: str,
) -> list[dict[str, Any]]:
    """One task per queued row that can be placed (malformed lines cannot)."""
    by_id = source.taxonomy.by_id()
    assignable = [label.id for label in source.assignable()]
    tasks = []
    for row in rows:
        if row.row is None:
            continue
        offered = [c for c in row.candidates if c in by_id] or assignable
        row_hints = list(dict.fromkeys(h for old in row.old_labels for h in hints.get(old, ())))
        data = {str(k): _text(v) for k, v in row.fields.items()}
        data.setdefault(text_field, "")
        data.update(
            {
                "taxops_row": row.row,
                "taxops_reason": row.reason,
                "taxops_old_label": ", ".join(row.old_labels),
                "taxops_hints": "\n".join(row_hints) or "No decision rule covers this label.",
                "taxops_candidates": [
                    {
                        "value": by_id[c].name,
                        "alias": c,
                        "hint": hint_text(source.definition(by_id[c]), by_id[c].aliases),
                    }
                    for c in offered
                ],
            }
        )
        tasks.append(
            {
                "data": data,
                "meta": {
                    "taxops": {
                        "row": row.row,
                        "taxonomy": source.id,
                        "version": source.version,
                        "queue": queue_name,
                        "candidates": row.candidates,
                    }
                },
            }
        )
    return tasks


def _text(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool) or value is None else str(value)


def guess_text_field(rows: Sequence[QueuedRow], label_column: str | None) -> str:
    """The field reviewers read: ``text`` when there is one, else the first
    field that is not the label."""
    fields = list(dict.fromkeys(k for r in rows for k in r.fields))
    if "text" in fields:
        return "text"
    return next((f for f in fields if f != label_column), "text")
