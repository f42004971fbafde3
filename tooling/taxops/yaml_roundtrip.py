"""Editing a governed YAML file in place with ruamel.yaml's round trip, for
every command that writes into the user's files (``taxops fix``, ``taxops
crosswalk import``): one set-up that keeps comments, quotes and the file's own
indentation and never re-wraps a long line."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedSeq
from ruamel.yaml.representer import RoundTripRepresenter

from taxops.loading.yaml_source import _end_of_top_entry, _item_offsets
from taxops.yaml_out import typed_in_yaml_12


class _Representer(RoundTripRepresenter):
    """ruamel's round trip, quoting new text that taxops' reader (yaml-rs)
    would read as a number: ruamel's YAML 1.2 resolver writes ``_1`` plain,
    which yaml-rs reads as the number 1 (an id a crosswalk or a fix writes)."""

    def represent_str(self, data: str) -> Any:
        if typed_in_yaml_12(data):
            return self.represent_scalar("tag:yaml.org,2002:str", data, style="'")
        return super().represent_str(data)


_Representer.add_representer(str, _Representer.represent_str)

#: The first item of the top-level ``labels:`` list: its dash's indentation.
_FIRST_LABEL = re.compile(r"^labels:[ \t]*\n(?:[ \t]*(?:#.*)?\n)*([ \t]*)-[ \t]+", re.MULTILINE)


def round_trip(text: str) -> YAML:
    """A round-trip YAML set to the indentation of ``text``'s labels list."""
    yaml = YAML(typ="rt")
    yaml.Representer = _Representer
    yaml.preserve_quotes = True
    yaml.width = 1 << 20  # never re-wrap the user's long lines
    found = labels_indent(text)
    offset = len(found) if found is not None else 2
    yaml.indent(mapping=2, sequence=offset + 2, offset=offset)
    return yaml


def labels_indent(text: str) -> str | None:
    """The indentation before the dash of the ``labels:`` list's items (None:
    the list has no block item)."""
    match = _FIRST_LABEL.search(text)
    return match.group(1) if match else None


def flow_list(items: Iterable[str]) -> CommentedSeq:
    """A list written on one line (``replaced_by: [a, b]``), as people write it."""
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


#: What a run of labels is round tripped under, alone (:func:`label_bounds`).
LABELS_HEAD = "labels:\n"


def label_bounds(text: str) -> list[int] | None:
    """Where each item of the top-level ``labels:`` block list starts in
    ``text``, then where the list ends; None when the list is not in block
    style or has no item. A command editing a few labels of a large file
    round trips each run of them alone (``LABELS_HEAD`` + the run's text), cut
    at these offsets, rather than every label."""
    starts = _item_offsets(text, "labels")
    if not starts:
        return None
    return [*starts, _end_of_top_entry(text, starts[-1])]


def top_entry_bounds(text: str, key: str) -> tuple[int, int] | None:
    """Where the top-level entry ``key:`` starts in ``text`` and where the next
    one does (its value, comments and blank lines between): what an edit of
    that one entry round trips alone."""
    found = re.search(rf"^{re.escape(key)}[ \t]*:", text, re.MULTILINE)
    if found is None:
        return None
    return found.start(), _end_of_top_entry(text, found.start())
