"""Editing a governed YAML file in place with ruamel.yaml's round trip, for
every command that writes into the user's files (``taxops fix``, ``taxops
crosswalk import``): one set-up that keeps comments, quotes and the file's own
indentation and never re-wraps a long line."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedSeq

#: The first item of the top-level ``labels:`` list: its dash's indentation.
_FIRST_LABEL = re.compile(r"^labels:[ \t]*\n(?:[ \t]*(?:#.*)?\n)*([ \t]*)-[ \t]+", re.MULTILINE)


def round_trip(text: str) -> YAML:
    """A round-trip YAML set to the indentation of ``text``'s labels list."""
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 1 << 20  # never re-wrap the user's long lines
    match = _FIRST_LABEL.search(text)
    offset = len(match.group(1)) if match else 2
    yaml.indent(mapping=2, sequence=offset + 2, offset=offset)
    return yaml


def flow_list(items: Iterable[str]) -> CommentedSeq:
    """A list written on one line (``replaced_by: [a, b]``), as people write it."""
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq
