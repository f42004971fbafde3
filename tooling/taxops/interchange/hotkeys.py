"""Keyboard shortcuts for labels in a labeling tool, without clashes.

A shortcut a labeler presses must pick exactly one label and must not be one the
tool already uses for itself (Label Studio: ``u`` unselects a region, ``h`` hides
it, ``l`` locks it, ``ctrl+enter`` submits...). Shortcuts given by the team are
kept and checked; the others are assigned from the keys left, digits first (the
order labelers read the list in), then letters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from taxops.diagnostics import TaxopsError

#: Label Studio's own single-key and combined shortcuts in the labeling editor.
LABEL_STUDIO_RESERVED: Mapping[str, str] = {
    "u": "unselect the region",
    "h": "hide the region",
    "l": "lock the region",
    "backspace": "delete the region",
    "delete": "delete the region",
    "escape": "leave the current action",
    "space": "play or pause media",
    "enter": "submit",
    "ctrl+enter": "submit the annotation",
    "ctrl+space": "skip the task",
    "ctrl+z": "undo",
    "ctrl+shift+z": "redo",
    "ctrl+backspace": "delete every region",
    "alt+r": "create a relation",
    "alt+m": "edit region meta",
    "alt+h": "hide every region",
    "alt+.": "cycle through regions",
    "ctrl+d": "next image",
    "ctrl+a": "previous image",
}

#: Keys handed out automatically, in order.
AUTO_KEYS = tuple("1234567890") + tuple("qwertyiopasdfgjkzxcvbnm")


@dataclass(frozen=True)
class Hotkeys:
    keys: dict[str, str]
    #: Labels left without a shortcut because the keys ran out.
    without: tuple[str, ...] = ()


def normalise(key: str) -> str:
    """``Ctrl + Z`` and ``ctrl+z`` are one shortcut; modifiers in a fixed order."""
    parts = [p.strip().lower() for p in key.split("+") if p.strip()]
    order = {"ctrl": 0, "alt": 1, "shift": 2, "meta": 3}
    mods = sorted((p for p in parts if p in order), key=order.__getitem__)
    rest = [p for p in parts if p not in order]
    return "+".join([*mods, *rest])


def assign(
    label_ids: Sequence[str],
    pinned: Mapping[str, str] | None = None,
    reserved: Mapping[str, str] = LABEL_STUDIO_RESERVED,
    auto: bool = True,
) -> Hotkeys:
    """A shortcut per label: ``pinned`` ones (label id -> key) checked for clashes
    with each other and with ``reserved``, the others assigned in order."""
    pinned = dict(pinned or {})
    unknown = sorted(set(pinned) - set(label_ids))
    if unknown:
        raise TaxopsError(
            f"a shortcut is given for {', '.join(repr(u) for u in unknown)}, which is not "
            "an active, assignable label of the export",
            "give shortcuts only to labels labelers can pick",
        )
    taken: dict[str, str] = {}
    for label_id in label_ids:
        if label_id not in pinned:
            continue
        key = normalise(pinned[label_id])
        if not key:
            raise TaxopsError(f"the shortcut for '{label_id}' is empty")
        if key in reserved:
            raise TaxopsError(
                f"the shortcut '{key}' for '{label_id}' clashes with the labeling tool's own "
                f"shortcut ({reserved[key]})",
                "pick another key",
            )
        if key in taken:
            raise TaxopsError(
                f"the shortcut '{key}' is given to both '{taken[key]}' and '{label_id}'",
                "give each label its own key",
            )
        taken[key] = label_id
    keys = {label_id: normalise(pinned[label_id]) for label_id in label_ids if label_id in pinned}
    free = [k for k in AUTO_KEYS if k not in taken and k not in reserved]
    without = []
    for label_id in label_ids:
        if label_id in keys:
            continue
        if auto and free:
            keys[label_id] = free.pop(0)
        else:
            without.append(label_id)
    return Hotkeys({i: keys[i] for i in label_ids if i in keys}, tuple(without) if auto else ())
