"""Marking the guidance of retired labels historical, in the guideline's text.

When ``taxops fix`` keeps a removed label as a tombstone, the guideline's entry
for that label must say ``historical: true`` (annotations made before still
carry the label, so its guidance stays, shown as history): a fix with one
right answer, which ``check`` asks for right after. The entry gets one line,
``historical: true``, at its keys' column after its last line (or its
``historical: false`` becomes ``true``); every other line of the file stays as
it was written. A guideline can be as long as its taxonomy (an entry per code
of a classification), so nothing is read or written by a round trip.

An entry written in flow style (``- {label: x, ...}``), or one whose lines do
not read as expected, is left alone and named, and the whole edit is checked
by reading the file again: the entries marked must be the only change, or
nothing is written.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from taxops.loading import YamlDocument, parse_yaml

#: A false written as YAML reads it (1.1 and 1.2), at the start of a value.
_FALSE = re.compile(r"(?:false|False|FALSE|no|No|NO|off|Off|OFF)(?=[ \t]*(?:#.*)?$)")


@dataclass
class Marked:
    """What :func:`mark_historical` did: the new text, the labels whose
    guidance it marked, and those it could not (edit them by hand)."""

    text: str
    marked: list[str] = field(default_factory=list)
    by_hand: list[str] = field(default_factory=list)


def mark_historical(text: str, path: str, retired: Collection[str]) -> Marked:
    """``text`` (a guideline) with the guidance of each label in ``retired``
    marked ``historical: true`` where it is not yet."""
    doc, _ = parse_yaml(text, path)
    entries = doc.data.get("labels") if doc is not None and isinstance(doc.data, dict) else None
    if doc is None or not isinstance(entries, list):
        return Marked(text)
    lines = text.splitlines(keepends=True)
    edits: list[tuple[int, str, str]] = []  # the line replaced, the label, the new line(s)
    result = Marked(text)
    wanted = set(retired)
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or entry.get("label") not in wanted:
            continue
        if entry.get("historical") is True:
            continue
        label = str(entry["label"])
        edit = _edit(doc, lines, i, "historical" in entry)
        if edit is None:
            result.by_hand.append(label)
        else:
            edits.append((edit[0], label, edit[1]))
    if not edits:
        return result
    for at, _, line in sorted(edits, key=lambda e: e[0], reverse=True):
        lines[at] = line
    edited = "".join(lines)
    if not _only_marked(doc.data, edited, path, [label for _, label, _ in edits]):
        result.by_hand += [label for _, label, _ in edits]
        return result
    result.text = edited
    result.marked = [label for _, label, _ in sorted(edits, key=lambda e: e[0])]
    return result


def _edit(doc: YamlDocument, lines: list[str], index: int, has_key: bool) -> tuple[int, str] | None:
    """Where entry ``index`` changes and its new line(s): the line of its
    ``historical: false``, or the line after which ``historical: true``
    goes (that line and the new one). None when the entry is not plain block
    style."""
    key = doc.locate(("labels", index, "label"), at="key")
    row, column = key.line - 1, key.column - 1
    if not 0 <= row < len(lines) or not lines[row][column:].startswith("label"):
        return None
    before = lines[row][:column].rstrip(" ")
    if before not in ("", "-") and not before.endswith(" -"):
        return None  # a flow mapping ({label: ...}) or something else on the line
    if has_key:
        at = doc.locate(("labels", index, "historical"), at="value")
        r, c = at.line - 1, at.column - 1
        line = lines[r]
        body = line.rstrip("\r\n")
        found = _FALSE.match(body, c)
        if found is None or not lines[r][:c].rstrip(" ").endswith(":"):
            return None
        return r, body[:c] + "true" + body[found.end() :] + line[len(body) :]
    last = last_line_of_entry(lines, row, column)
    # The line's own end, or the file's (its last line may have none).
    eol = lines[last][len(lines[last].rstrip("\r\n")) :] or lines[0][len(lines[0].rstrip("\r\n")) :]
    eol = eol or "\n"
    ending = "" if lines[last].endswith(("\n", "\r")) else eol  # the file's last line
    return last, lines[last] + ending + " " * column + "historical: true" + eol


def last_line_of_entry(lines: list[str], row: int, column: int) -> int:
    """The last line of the entry whose keys start at ``column`` on line
    ``row``: lines indented further belong to it (a block scalar's lines, even
    those starting with ``#``), so do keys at its column; blank lines and
    comments at or left of the column are skipped; anything else ends it."""
    last = row
    for j in range(row + 1, len(lines)):
        body = lines[j].rstrip("\r\n")
        stripped = body.lstrip(" ")
        if not stripped:
            continue
        indent = len(body) - len(stripped)
        if indent > column or (indent == column and not stripped.startswith("#")):
            last = j
        elif not stripped.startswith("#"):
            break
    return last


def _only_marked(before: Any, after: str, path: str, labels: list[str]) -> bool:
    """Whether the text ``after`` reads as the data ``before`` (the file as
    read, changed here) with those labels' entries marked historical, and
    nothing else changed."""
    new, _ = parse_yaml(after, path)
    if new is None:
        return False
    expected = before
    wanted = set(labels)
    for entry in expected["labels"]:
        if isinstance(entry, dict) and entry.get("label") in wanted:
            entry["historical"] = True
    return bool(new.data == expected)
