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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from taxops.crosswalk.compile import Fate, Kind, Plan
from taxops.diagnostics import TaxopsError
from taxops.models.taxonomy import Status, Taxonomy, TaxonomyKind
from taxops.writing import write_atomic
from taxops.yaml_roundtrip import flow_list, round_trip

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
    """The file's new text with the plan's declarations, and what was written."""
    yaml = round_trip(text)
    data = yaml.load(text)
    labels = data.get("labels") if isinstance(data, dict) else None
    if not isinstance(labels, CommentedSeq):
        raise TaxopsError("the taxonomy file has no list of labels to write declarations into")
    index = {str(m.get("id")): k for k, m in enumerate(labels) if isinstance(m, dict)}
    # Tombstones are written the way the file writes its labels: one per line
    # (``- {id: a, ...}``) or as blocks.
    flow = bool(labels) and isinstance(labels[0], CommentedMap) and labels[0].fa.flow_style()
    version = str(new.version)
    written = Written()
    tombstones: dict[str | None, list[CommentedMap]] = {}
    anchor: str | None = None
    old_labels = old.by_id()
    placed = set(index)
    for label in old.labels:
        fate = plan.fates.get(label.id)
        if fate is not None and fate.kind is Kind.RETIRED:
            if label.id in index:
                _update_tombstone(labels[index[label.id]], fate, written)
            elif label.id not in placed:
                tombstone = _tombstone(
                    fate, old_labels[label.id].name, _parent(label.id, old, placed), new
                )
                if flow:
                    tombstone.fa.set_flow_style()
                tombstones.setdefault(anchor, []).append(tombstone)
                placed.add(label.id)
                written.count("tombstone")
        elif fate is not None and fate.kind in _FIELD and label.id in index:
            _upsert(
                labels[index[label.id]], _FIELD[fate.kind], _declaration(fate, version), written
            )
        if label.id in placed:
            anchor = label.id
    for back in plan.backward.values():
        if back.code in index:
            entry = _redirect(version, back.targets, back.mode)
            _upsert(labels[index[back.code]], "backward", entry, written)
    _insert(labels, index, tombstones)
    out = io.StringIO()
    yaml.dump(data, out)
    result = out.getvalue()
    written.changed = result != text
    return (result if written.changed else text), written


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


def _upsert(label: CommentedMap, key: str, entry: CommentedMap, written: Written) -> None:
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


def _update_tombstone(label: CommentedMap, fate: Fate, written: Written) -> None:
    """A code already retired in the file: fill in where its items go, or leave a
    declaration that says otherwise as it is (reported)."""
    if label.get("status") != Status.RETIRED.value:
        written.kept.append(f"{label.get('id')} (status: {label.get('status')})")
        return
    has = [str(t) for t in label.get("replaced_by") or []]
    if not has and not label.get("replacement"):
        if fate.targets:
            label["replaced_by"] = flow_list(fate.targets)
        default = "direct" if len(fate.targets) == 1 else "review"
        if fate.mode != default or not fate.targets:
            label["replacement"] = fate.mode if fate.targets else "review"
        written.count("tombstone")
    elif set(has) != set(fate.targets):
        written.kept.append(f"{label.get('id')} (replaced_by: {', '.join(has)})")


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
