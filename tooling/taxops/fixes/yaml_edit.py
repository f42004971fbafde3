"""Applying a :class:`~taxops.fixes.plan.FixPlan` to a taxonomy file's text,
keeping everything else byte for byte.

The edit is made on ruamel.yaml's round-trip tree (what it is for: comments,
anchors, quoting and key order are kept, and new nodes are written as valid,
correctly quoted YAML). ruamel still normalises a few things on the way out (an
anchor nothing refers to, unusual spacing, an indentation it does not use
everywhere). So the result is not ruamel's output: it is the original text with
only the lines ruamel's output changed *because of the edit* carried over. Lines
the edit did not touch stay exactly as the user wrote them.
"""

from __future__ import annotations

import difflib
import io
from functools import partial
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, ScalarString
from ruamel.yaml.tokens import CommentToken

from taxops.fixes.plan import FixPlan, Tombstone
from taxops.yaml_roundtrip import (
    LABELS_HEAD,
    flow_list,
    label_bounds,
    round_trip,
    top_entry_bounds,
)


def apply(text: str, plan: FixPlan) -> str:
    """``text`` with the plan's tombstones, replacements and version written in.

    A large file is edited where the plan touches it (:func:`_apply_locally`):
    the whole-file round trip below reads and writes every label with
    ruamel.yaml, in pure Python, twice, and took 6 minutes and 1.6 GB on a
    150,000-code taxonomy."""
    if not plan:
        return text
    if len(text) >= LOCAL_EDIT_CHARS:
        edited = _apply_locally(text, plan)
        if edited is not None:
            return edited
    return _apply_whole(text, plan)


#: From this size on, a file is edited where the plan touches it.
LOCAL_EDIT_CHARS = 200_000


def _apply_whole(text: str, plan: FixPlan) -> str:
    yaml = round_trip(text)
    base = _dump(yaml, yaml.load(text))
    data = yaml.load(text)
    _edit_labels(data["labels"], plan.review, plan.tombstones)
    if plan.version is not None:
        data["version"] = _scalar(plan.version, like=data.get("version"))
    return carry_over(text, base, _dump(yaml, data))


def _edit_labels(
    labels: CommentedSeq, review: list[int], tombstones: list[Tombstone], shift: int = 0
) -> None:
    """The plan's edits of the labels list (indexes less ``shift``: the list
    may be a run of the file's labels)."""
    for i in review:
        _set_after(labels[i - shift], "replacement", "review", after="status")
    # From the end, so earlier indexes still point where they did; tombstones
    # sharing a place keep their old order.
    for before in sorted({t.before for t in tombstones}, reverse=True):
        here = [_tombstone(t) for t in tombstones if t.before == before]
        at = before - shift
        for offset, stone in enumerate(here):
            labels.insert(at + offset, stone)
        if at > 0:
            # A comment between two labels introduces the next one: it stays
            # above that label, below the tombstones put back before it.
            _attach_trailing(here[-1], _detach_trailing(labels[at - 1]))


def _apply_locally(text: str, plan: FixPlan) -> str | None:
    """``text`` edited as :func:`_apply_whole` edits it, on the lines the plan
    touches alone: each run of labels an edit needs (a label given
    ``replacement: review``; the labels on both sides of tombstones, whose
    comments decide where they go) is round tripped on its own, under a
    ``labels:`` key at its own indentation, with the same settings and the
    same edits; the ``version:`` entry alone. None where the labels list is
    not in block style or a run does not read alone (an alias to an anchor in
    another label): the whole file is then round tripped."""
    bounds = label_bounds(text)
    if bounds is None:
        return None
    n = len(bounds) - 1
    if any(not 0 <= i < n for i in plan.review) or any(
        not 0 <= t.before <= n for t in plan.tombstones
    ):
        return None
    needed = [(i, i + 1) for i in plan.review]
    needed += [(max(t.before - 1, 0), min(t.before + 1, n)) for t in plan.tombstones]
    yaml = round_trip(text)
    splices: list[tuple[int, int, str]] = []  # start, end, new text
    for lo, hi in _runs(needed):
        review = [i for i in plan.review if lo <= i < hi]
        stones = [t for t in plan.tombstones if lo <= t.before <= hi and (t.before < hi or hi == n)]

        edit = partial(_edit_run, review=review, stones=stones, shift=lo)
        run = _round_tripped(yaml, LABELS_HEAD + text[bounds[lo] : bounds[hi]], edit, LABELS_HEAD)
        if run is None:
            return None
        splices.append((bounds[lo], bounds[hi], run))
    if plan.version is not None:
        version = _edited_version(yaml, text, plan.version)
        if version is None:
            return None
        splices.append(version)
    out, done = [], 0
    for start, end, new in sorted(splices):
        if start < done:
            return None
        out += [text[done:start], new]
        done = end
    out.append(text[done:])
    return "".join(out)


def _edit_run(data: Any, *, review: list[int], stones: list[Tombstone], shift: int) -> None:
    _edit_labels(data["labels"], review, stones, shift)


def _runs(needed: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The ranges of labels, merged where they share a label."""
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(needed):
        if out and lo < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def with_version(text: str, version: str) -> str | None:
    """``text`` with its top-level ``version:`` set to ``version``, in the
    quoting the file gives it, every other line as it was; None where that
    entry cannot be edited alone."""
    found = _edited_version(round_trip(text), text, version)
    if found is None:
        return None
    start, end, new = found
    return text[:start] + new + text[end:]


def _edited_version(yaml: YAML, text: str, version: str) -> tuple[int, int, str] | None:
    """The top-level ``version:`` entry with ``version`` written in."""
    found = top_entry_bounds(text, "version")
    if found is None:
        return None
    start, end = found

    def edit(data: Any) -> None:
        data["version"] = _scalar(version, like=data.get("version"))

    new = _round_tripped(yaml, text[start:end], edit, "")
    return None if new is None else (start, end, new)


def _round_tripped(yaml: YAML, snippet: str, edit: Any, head: str) -> str | None:
    """``snippet`` edited on ruamel's round-trip tree, only the lines the edit
    changed carried over (:func:`carry_over`); ``head`` is what the snippet
    starts with and the result must too (it is cut off)."""
    try:
        base = _dump(yaml, yaml.load(snippet))
        data = yaml.load(snippet)
        if not isinstance(data, dict):
            return None
        edit(data)
        new = carry_over(snippet, base, _dump(yaml, data))
    except Exception:  # the lines do not read alone: the whole file is round tripped
        return None
    return new[len(head) :] if new.startswith(head) else None


def _tombstone(stone: Tombstone) -> CommentedMap:
    label = stone.label
    out = CommentedMap()
    out["id"] = _scalar(label.id)
    out["name"] = _scalar(label.name)
    if label.parent is not None:
        out["parent"] = _scalar(label.parent)
    if label.definition:
        out["definition"] = _scalar(" ".join(label.definition.split()))
    out["status"] = "retired"
    # An accepted suggestion, else what the label already declared when it was
    # deprecated, else a human decides.
    replaced_by = stone.replaced_by or label.replaced_by
    if replaced_by:
        out["replaced_by"] = flow_list(_scalar(t) for t in replaced_by)
    mode = label.replacement.value if label.replacement and not stone.replaced_by else None
    if mode or not replaced_by:
        out["replacement"] = mode or "review"
    return out


def _trailing_slot(node: Any) -> tuple[list[Any], int] | None:
    """Where ruamel keeps the comment lines that follow a node: on its last key
    (or item), or deeper when that holds a collection."""
    if isinstance(node, CommentedMap) and node:
        key = list(node)[-1]
        value = node[key]
        if isinstance(value, CommentedMap | CommentedSeq) and value:
            return _trailing_slot(value)
        slots = node.ca.items.get(key)
        return (slots, 2) if slots and slots[2] is not None else None
    if isinstance(node, CommentedSeq) and node:
        value = node[-1]
        if isinstance(value, CommentedMap | CommentedSeq) and value:
            return _trailing_slot(value)
        slots = node.ca.items.get(len(node) - 1)
        return (slots, 0) if slots and slots[0] is not None else None
    return None


def _detach_trailing(node: Any) -> str:
    """The comment lines after ``node`` (not its end-of-line comment), removed."""
    found = _trailing_slot(node)
    if found is None:
        return ""
    slots, i = found
    value: str = slots[i].value
    if value.startswith("\n"):
        eol, rest = "", value[1:]
    else:
        eol, _, rest = value.partition("\n")
        eol += "\n"
    if not rest.strip():
        return ""
    if eol:
        slots[i].value = eol
    else:
        slots[i] = None
    return rest


def _attach_trailing(node: CommentedMap, comment: str) -> None:
    if not comment:
        return
    token = CommentToken("\n" + comment, CommentMark(0), None)
    node.ca.items[list(node)[-1]] = [None, None, token, None]


def _set_after(mapping: Any, key: str, value: str, *, after: str) -> None:
    if key in mapping:
        mapping[key] = value
        return
    keys = list(mapping)
    position = keys.index(after) + 1 if after in keys else len(keys)
    mapping.insert(position, key, value)


_PLAIN_STRING = YAML(typ="safe", pure=True)


def _scalar(value: str, like: object = None) -> str:
    """A string as the file should hold it: in the quoting of the value it
    replaces, and quoted where YAML would read it as something else (``150``,
    ``2024``, ``no``, ``1.10``), so an id or version keeps its exact text."""
    if isinstance(like, ScalarString):
        quoted: str = type(like)(value)  # same class: same quotes in the file
        return quoted
    try:
        read = _PLAIN_STRING.load(value)
    except Exception:  # not valid as a plain scalar (': ', '#', ...): ruamel quotes it
        return value
    return value if read == value else DoubleQuotedScalarString(value)


def _dump(yaml: YAML, data: Any) -> str:
    _keep_anchors(data)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _keep_anchors(node: Any) -> None:
    """ruamel drops an anchor nothing refers to; the user wrote it, keep it."""
    anchor = getattr(node, "anchor", None)
    if anchor is not None and getattr(anchor, "value", None):
        anchor.always_dump = True
    if isinstance(node, dict):
        for value in node.values():
            _keep_anchors(value)
    elif isinstance(node, list):
        for value in node:
            _keep_anchors(value)


def carry_over(original: str, base: str, edited: str) -> str:
    """``original`` with the changes that turn ``base`` (ruamel's rendering of
    it) into ``edited`` (its rendering after the edit). Where an edited region
    cannot be placed in the original (ruamel rewrote those very lines), the
    edited rendering is returned whole: valid, and only normalised."""
    ours, theirs, after = (s.splitlines(keepends=True) for s in (original, base, edited))
    to_ours: dict[int, int] = {}
    for a, b, size in difflib.SequenceMatcher(
        None, theirs, ours, autojunk=False
    ).get_matching_blocks():
        for k in range(size):
            to_ours[a + k] = b + k
    out: list[str] = []
    done = 0  # lines of ``ours`` already copied
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(
        None, theirs, after, autojunk=False
    ).get_opcodes():
        if tag == "equal":
            continue
        span: tuple[int, int] | None
        if i1 < i2:
            span = _mapped_span(range(i1, i2), to_ours)
        else:
            point = _insertion_point(i1, to_ours, len(theirs), len(ours))
            span = None if point is None else (point, point)
        if span is None:
            return edited
        start, end = span
        if start < done:
            return edited
        out += ours[done:start] + after[j1:j2]
        done = end
    out += ours[done:]
    return "".join(out)


def _mapped_span(lines: range, to_ours: dict[int, int]) -> tuple[int, int] | None:
    """The original lines that ``base`` lines correspond to, when they are all
    there and in one run."""
    mapped = [to_ours.get(i) for i in lines]
    first = mapped[0]
    if first is None or mapped != list(range(first, first + len(mapped))):
        return None
    return first, first + len(mapped)


def _insertion_point(i: int, to_ours: dict[int, int], n_theirs: int, n_ours: int) -> int | None:
    """Where a line inserted before ``base[i]`` goes in the original."""
    if i < n_theirs and i in to_ours:
        return to_ours[i]
    if i > 0 and (i - 1) in to_ours:
        return to_ours[i - 1] + 1
    if i == 0:
        return 0
    if i >= n_theirs:
        return n_ours
    return None
