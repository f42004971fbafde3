"""Writing a plan's declarations into the new version's taxonomy file, keeping
its comments, quoting and layout (ruamel.yaml's round trip): declarations go on
the labels they are about, and tombstones for removed codes go right after the
label that preceded them in the old version.

Writing is idempotent: a declaration already in the file for the same version
is left as it is when it says the same, and replaced (reported) when it does
not; a file with nothing to add is not rewritten.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from taxops.crosswalk.compile import Fate, Kind, Plan
from taxops.diagnostics import TaxopsError
from taxops.models.taxonomy import Replacement, Status, Taxonomy, TaxonomyKind
from taxops.writing import write_atomic
from taxops.yaml_roundtrip import LABELS_HEAD, flow_list, label_bounds, round_trip

_FIELD = {Kind.NARROWED: "narrowed", Kind.BECAME_GROUP: "became_group", Kind.REUSED: "reused"}


@dataclass
class Written:
    """What writing a plan did to the file."""

    added: dict[str, int] = field(default_factory=dict)
    """Declarations added, by kind (narrowed, became_group, reused, backward, tombstone)."""
    replaced: list[str] = field(default_factory=list)
    """Declarations that said something else, replaced, each with its label."""
    kept: list[str] = field(default_factory=list)
    """Tombstones already in the file that say something else: left as they are."""
    changed: bool = False

    def count(self, what: str) -> None:
        self.added[what] = self.added.get(what, 0) + 1


def plan_to_text(text: str, plan: Plan, old: Taxonomy, new: Taxonomy) -> tuple[str, Written]:
    """The file's new text with the plan's declarations, and what was written.

    A large file is edited where the declarations go (:func:`_locally`): the
    whole round trip reads and writes every label with ruamel.yaml, in pure
    Python, and took 93 s for 1,500 tombstones in a 150,000-code taxonomy."""
    if len(text) >= LOCAL_EDIT_CHARS:
        done = _locally(text, plan, old, new)
        if done is not None:
            return done
    return _whole(text, plan, old, new)


def _whole(text: str, plan: Plan, old: Taxonomy, new: Taxonomy) -> tuple[str, Written]:
    yaml = round_trip(text)
    data = yaml.load(text)
    labels = data.get("labels") if isinstance(data, dict) else None
    if not isinstance(labels, CommentedSeq):
        raise TaxopsError("the taxonomy file has no list of labels to write declarations into")
    ids = [str(m.get("id")) if isinstance(m, dict) else None for m in labels]
    # Tombstones are written the way the file writes its labels: one per line
    # (``- {id: a, ...}``) or as blocks.
    flow = bool(labels) and isinstance(labels[0], CommentedMap) and labels[0].fa.flow_style()
    edits = _edits(plan, old, new, ids, flow)
    for at, edit in edits.updates:
        edit(labels[at])
    _insert(labels, edits.index, edits.tombstones)
    out = io.StringIO()
    yaml.dump(data, out)
    result = out.getvalue()
    edits.written.changed = result != text
    return (result if edits.written.changed else text), edits.written


#: From this size on, a file is edited where the declarations go.
LOCAL_EDIT_CHARS = 200_000


def _locally(text: str, plan: Plan, old: Taxonomy, new: Taxonomy) -> tuple[str, Written] | None:
    """:func:`_whole`'s edits, each run of labels they touch round tripped on
    its own (under a ``labels:`` key, with the same settings): the labels that
    get a declaration, and the label each group of tombstones follows. Lines
    outside those runs are kept as written. None where the list is not in
    block style, its items are not the model's labels, or a run does not read
    alone (an alias to another label's anchor)."""
    bounds = label_bounds(text)
    ids = list(new.columns.ids)
    if bounds is None or len(bounds) - 1 != len(ids):
        return None
    n = len(ids)
    yaml = round_trip(text)
    head = LABELS_HEAD
    try:
        first = yaml.load(head + text[bounds[0] : bounds[1]])["labels"][0]
    except Exception:  # the first label does not read alone
        return None
    flow = isinstance(first, CommentedMap) and first.fa.flow_style()
    edits = _edits(plan, old, new, ids, flow)
    # Where each group of tombstones goes: after its label, at the top (no
    # label before it), or, anchored on another tombstone, where that one goes.
    owner = {str(t["id"]): a for a, g in edits.tombstones.items() for t in g}

    def place(anchor: str | None) -> int:
        seen: set[str] = set()
        while anchor is not None and anchor not in edits.index:
            if anchor not in owner or anchor in seen:
                return n - 1  # never placed: appended, as the whole round trip does
            seen.add(anchor)
            anchor = owner[anchor]
        return 0 if anchor is None else edits.index[anchor]

    at_label = {a: place(a) for a in edits.tombstones}
    needed = {at for at, _ in edits.updates} | set(at_label.values())
    runs: list[tuple[int, int]] = []
    for at in sorted(needed):
        if runs and at == runs[-1][1]:
            runs[-1] = (runs[-1][0], at + 1)
        else:
            runs.append((at, at + 1))
    loaded: list[tuple[int, int, Any]] = []
    run_of: dict[int, int] = {}
    for k, (lo, hi) in enumerate(runs):
        try:
            data = yaml.load(head + text[bounds[lo] : bounds[hi]])
            labels = data["labels"]
        except Exception:
            return None
        if not isinstance(labels, CommentedSeq) or len(labels) != hi - lo:
            return None
        loaded.append((lo, hi, data))
        run_of.update((i, k) for i in range(lo, hi))
    for at, edit in edits.updates:  # in the order the whole round trip makes them
        lo, _, data = loaded[run_of[at]]
        edit(data["labels"][at - lo])
    by_run: list[dict[str | None, list[CommentedMap]]] = [{} for _ in loaded]
    for anchor, stones in edits.tombstones.items():
        by_run[run_of[at_label[anchor]]][anchor] = stones
    out, done = [], 0
    for (lo, hi, data), here in zip(loaded, by_run, strict=True):
        local = {i: k - lo for k in range(lo, hi) if edits.index.get(i := ids[k]) == k}
        _insert(data["labels"], local, here)
        written = io.StringIO()
        yaml.dump(data, written)
        run = written.getvalue()
        if not run.startswith(head):
            return None
        out += [text[done : bounds[lo]], run[len(head) :]]
        done = bounds[hi]
    out.append(text[done:])
    result = "".join(out)
    edits.written.changed = result != text
    return (result if edits.written.changed else text), edits.written


@dataclass
class _Edits:
    """What the plan writes: edits of the file's labels (by position, in the
    order they are made) and tombstones by the label they follow."""

    index: dict[str, int]
    updates: list[tuple[int, Callable[[CommentedMap], None]]]
    tombstones: dict[str | None, list[CommentedMap]]
    written: Written


def _edits(
    plan: Plan, old: Taxonomy, new: Taxonomy, ids: Sequence[str | None], flow: bool
) -> _Edits:
    index = {i: k for k, i in enumerate(ids) if i is not None}
    version = str(new.version)
    written = Written()
    updates: list[tuple[int, Callable[[CommentedMap], None]]] = []
    tombstones: dict[str | None, list[CommentedMap]] = {}
    anchor: str | None = None
    old_labels = old.by_id()
    placed = set(index)
    # The old version's ids, not its labels: a release read from the cache
    # builds a label when it is read (89,000 of them took most of a second);
    # only a tombstone's own label is read, for its name.
    for label_id in old.columns.ids:
        fate = plan.fates.get(label_id)
        if fate is not None and fate.kind is Kind.RETIRED:
            if label_id in index:
                updates.append(
                    (index[label_id], partial(_update_tombstone, fate=fate, written=written))
                )
            elif label_id not in placed:
                tombstone = _tombstone(
                    fate, old_labels[label_id].name, _parent(label_id, old, placed), new
                )
                if flow:
                    tombstone.fa.set_flow_style()
                tombstones.setdefault(anchor, []).append(tombstone)
                placed.add(label_id)
                written.count("tombstone")
        elif fate is not None and fate.kind in _FIELD and label_id in index:
            entry = _declaration(fate, version)
            updates.append(
                (
                    index[label_id],
                    partial(_upsert, key=_FIELD[fate.kind], entry=entry, written=written),
                )
            )
        if label_id in placed:
            anchor = label_id
    for back in plan.backward.values():
        if back.code in index:
            entry = _redirect(version, back.targets, back.mode)
            updates.append(
                (index[back.code], partial(_upsert, key="backward", entry=entry, written=written))
            )
    return _Edits(index, updates, tombstones, written)


def write_plan(path: Path, plan: Plan, old: Taxonomy, new: Taxonomy) -> Written:
    """Write the plan into the taxonomy file at ``path`` (atomically; untouched
    when there is nothing to add)."""
    text = path.read_text(encoding="utf-8")
    result, written = plan_to_text(text, plan, old, new)
    if written.changed:
        write_atomic(path, result)
    return written


def _redirect(version: str, targets: tuple[str, ...], mode: str) -> CommentedMap:
    entry = CommentedMap()
    entry["version"] = version
    if targets:
        entry["replaced_by"] = flow_list(targets)
    default = "direct" if len(targets) == 1 else "review"
    if mode != default:
        entry["replacement"] = mode
    return entry


def _declaration(fate: Fate, version: str) -> CommentedMap:
    if fate.kind is Kind.NARROWED:
        entry = CommentedMap()
        entry["version"] = version
        entry["moved_to"] = flow_list(fate.targets)
        if fate.mode == "keep":
            entry["items"] = "keep"
    else:
        entry = _redirect(version, fate.targets, fate.mode)
    if fate.note:
        entry["note"] = fate.note
    return entry


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return str(value) if value is not None else None


def _upsert(label: CommentedMap, *, key: str, entry: CommentedMap, written: Written) -> None:
    """Add ``entry`` to the label's ``key`` list, replacing one for the same version."""
    existing = label.get(key)
    if not isinstance(existing, list):
        label[key] = CommentedSeq([entry])
        written.count(key)
        return
    for k, item in enumerate(existing):
        if isinstance(item, dict) and str(item.get("version")) == entry["version"]:
            if _plain(item) != _plain(entry):
                existing[k] = entry
                written.replaced.append(f"{label.get('id')} ({key})")
            return
    existing.append(entry)
    written.count(key)


def _tombstone(fate: Fate, name: str, parent: str | None, new: Taxonomy) -> CommentedMap:
    entry = CommentedMap()
    entry["id"] = fate.code
    entry["name"] = name
    if parent is not None and new.kind is TaxonomyKind.HIERARCHICAL:
        entry["parent"] = parent
    entry["status"] = Status.RETIRED.value
    if fate.targets:
        entry["replaced_by"] = flow_list(fate.targets)
    default = "direct" if len(fate.targets) == 1 else "review"
    if fate.mode != default or not fate.targets:
        entry["replacement"] = fate.mode if fate.targets else "review"
    if fate.note:
        entry["note"] = fate.note
    return entry


def _update_tombstone(label: CommentedMap, *, fate: Fate, written: Written) -> None:
    """A code already retired in the file: fill in where its items go, or leave a
    declaration that says otherwise as it is (reported).

    A tombstone that names no label and no other way (``replacement: review``
    alone, as ``taxops fix`` writes for a label removed without saying where
    its items go) says nothing the table contradicts: the table's labels are
    written in, with its mode, and the change is reported (its items went to
    review among every label; now the table routes them). ``replacement:
    parent`` is a decision: kept, and reported when the table says otherwise."""
    if label.get("status") != Status.RETIRED.value:
        written.kept.append(f"{label.get('id')} (status: {label.get('status')})")
        return
    has = [str(t) for t in label.get("replaced_by") or []]
    if has:
        if set(has) != set(fate.targets):
            written.kept.append(f"{label.get('id')} (replaced_by: {', '.join(has)})")
        return
    said = label.get("replacement")
    if said not in (None, Replacement.REVIEW.value):  # 'parent': a decision of its own
        if fate.targets:
            written.kept.append(f"{label.get('id')} (replacement: {said})")
        return
    if not fate.targets:  # the table too sends its items to review
        if said is None:
            label["replacement"] = "review"
            written.count("tombstone")
        return
    label["replaced_by"] = flow_list(fate.targets)
    default = "direct" if len(fate.targets) == 1 else "review"
    if fate.mode != default:
        label["replacement"] = fate.mode
    elif said is not None:
        del label["replacement"]
    if fate.derived and not label.get("note"):
        label["note"] = fate.note  # where the labels came from: not a row of the table
    if said is None:
        written.count("tombstone")
    else:
        written.replaced.append(
            f"{label.get('id')} (replacement: {said} -> {fate.mode} to {', '.join(fate.targets)})"
        )


def _parent(code: str, old: Taxonomy, placed: set[str]) -> str | None:
    """The tombstone's parent: its old parent, or the nearest old ancestor the
    new file has (as a label or a tombstone already placed)."""
    ids = old.by_id()
    seen: set[str] = set()
    parent = ids[code].parent
    while parent is not None and parent not in seen:
        if parent in placed:
            return parent
        seen.add(parent)
        parent = ids[parent].parent if parent in ids else None
    return None


def _insert(
    labels: CommentedSeq, index: dict[str, int], tombstones: dict[str | None, list[CommentedMap]]
) -> None:
    """Insert each group of tombstones after its anchor (tombstones anchored on a
    tombstone follow that one's group); labels that came first in the old
    version (no anchor) go first, as they stood."""
    chained: dict[str, list[CommentedMap]] = {}
    for anchor, group in tombstones.items():
        if anchor is not None and anchor not in index:
            chained.setdefault(anchor, []).extend(group)

    def expand(group: list[CommentedMap]) -> list[CommentedMap]:
        out: list[CommentedMap] = []
        for item in group:
            out.append(item)
            out += expand(chained.pop(str(item["id"]), []))
        return out

    positioned = sorted(
        ((index[a], expand(g)) for a, g in tombstones.items() if a is not None and a in index),
        key=lambda pair: -pair[0],
    )
    for at, group in positioned:
        for k, item in enumerate(group):
            labels.insert(at + 1 + k, item)
    for k, item in enumerate(expand(tombstones.get(None, []))):
        labels.insert(k, item)
    for item in [i for g in chained.values() for i in g]:
        labels.append(item)
