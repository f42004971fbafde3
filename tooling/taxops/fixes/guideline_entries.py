"""Guideline entries for the labels a new edition brings, in the guideline's text.

A new edition of a published classification adds codes by the hundred, each
defined by the publisher. A guideline that asks for no examples yet
(``coverage`` 0 and 0, as ``taxops init`` writes it for an imported taxonomy)
then needs, for each new label, exactly the entry ``init`` wrote for the
others: ``- label: "<id>"``, its definition coming from the taxonomy. A
publisher that gives names alone (ICD-10-CM's code files) defines nothing, and
``init`` wrote each entry with its placeholder definition; where the guideline
still holds that placeholder, a new label's entry gets it too. That is a fix
with one right answer; any other label without a definition, or a guideline
that asks for examples, needs a person, and gets no entry.

Each entry goes after the entry of the label before it in the taxonomy's
order (before the first entry when no earlier label has one), in the style of
the entry it follows; every other line stays as it was written, and the edit is
checked by reading the file again: the new entries must be the only change.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from taxops.fixes.guideline_edit import last_line_of_entry
from taxops.loading import YamlDocument, parse_yaml


@dataclass
class Added:
    """What :func:`add_entries` did: the new text and the labels given an entry."""

    text: str
    added: list[str] = field(default_factory=list)


def add_entries(
    text: str, doc: YamlDocument, order: Sequence[str], wanted: Mapping[str, str | None]
) -> Added:
    """``text`` (a guideline, ``doc`` as it reads) with an entry for each label
    of ``wanted``, placed by ``order`` (every label id of the taxonomy, in its
    order). ``wanted`` gives the definition each entry holds (None: the label's
    line alone, the taxonomy defines it). ``text`` is the file's own: its line
    ends are kept."""
    path = doc.path
    entries = doc.data.get("labels") if isinstance(doc.data, dict) else None
    if not isinstance(entries, list) or not entries:
        return Added(text)
    at: dict[str, int] = {}
    for i, entry in enumerate(entries):
        if isinstance(entry, dict) and isinstance(entry.get("label"), str):
            at.setdefault(entry["label"], i)
    # Each new label after the entry of the nearest earlier label that has one
    # (-1: before the first entry).
    after: dict[int, list[str]] = {}
    anchor = -1
    for label_id in order:
        if label_id in at:
            anchor = at[label_id]
        elif label_id in wanted:
            after.setdefault(anchor, []).append(label_id)
    if not after:
        return Added(text)
    # Only the entries new ones follow are located (a guideline can hold an
    # entry per code of a classification).
    placed = sorted({max(entry, 0) for entry in after})
    keys = dict(
        zip(placed, doc.locate_all((("labels", i, "label"), "key") for i in placed), strict=True)
    )
    lines = text.splitlines(keepends=True)
    eol = next((line[len(line.rstrip("\r\n")) :] for line in lines if line.endswith("\n")), "\n")
    inserts: list[tuple[int, str]] = []  # (line index to insert before, text)
    for entry, labels in after.items():
        key = keys[max(entry, 0)]
        row, column = key.line - 1, key.column - 1
        if not _block_item(lines, row, column):
            return Added(text)  # a flow entry: where its neighbours go is not plain
        dash = column - 2
        block = "".join(_entry(label, wanted[label], dash, eol) for label in labels)
        if entry < 0:
            inserts.append((row, block))
        else:
            last = last_line_of_entry(lines, row, column)
            ending = "" if lines[last].endswith(("\n", "\r")) else eol
            inserts.append((last + 1, ending + block))
    for line_at, block in sorted(inserts, key=lambda item: item[0], reverse=True):
        lines.insert(line_at, block)
    edited = "".join(lines)
    added = {label for labels in after.values() for label in labels}
    if not _only_added(doc.data, edited, path, {label: wanted[label] for label in added}):
        return Added(text)
    return Added(edited, [label for label in order if label in added])


def _entry(label: str, definition: str | None, dash: int, eol: str) -> str:
    """One entry's lines, its dash in column ``dash``."""
    lines = f"{' ' * dash}- label: {json.dumps(label)}{eol}"
    if definition is not None:
        lines += f"{' ' * (dash + 2)}definition: {json.dumps(definition)}{eol}"
    return lines


def _block_item(lines: list[str], row: int, column: int) -> bool:
    """Whether the entry whose ``label`` key is at ``row``, ``column`` starts
    its line as ``- label:`` (a block sequence item, the key first)."""
    if not 0 <= row < len(lines) or column < 2:
        return False
    line = lines[row]
    return line[column:].startswith("label") and line[:column] == " " * (column - 2) + "- "


def _only_added(before: Any, after: str, path: str, labels: Mapping[str, str | None]) -> bool:
    """Whether ``after`` reads as ``before`` with the entries of ``labels``
    (each with the definition it maps to, if any) added and nothing else changed."""
    new, _ = parse_yaml(after, path)
    if new is None or not isinstance(new.data, dict):
        return False
    entries = new.data.get("labels")
    if not isinstance(entries, list):
        return False

    def fresh(entry: object) -> bool:
        if not isinstance(entry, dict) or entry.get("label") not in labels:
            return False
        definition = labels[entry["label"]]
        own = {
            "label": entry["label"],
            **({} if definition is None else {"definition": definition}),
        }
        return entry == own

    kept = [e for e in entries if not fresh(e)]
    added = sorted(e["label"] for e in entries if fresh(e))
    return added == sorted(labels) and {**new.data, "labels": kept} == before
