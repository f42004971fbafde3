"""The one-line summary of a comparison every format shows: ``major bump
required: 2 breaking, 3 additive, 5 cosmetic``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from taxops.compatibility.compare import Comparison

BUMP_RANK = {"none": 0, "patch": 1, "minor": 2, "major": 3}


def changes_summary(comparisons: Sequence[Comparison]) -> str:
    """The largest bump the compared taxonomies require, and their findings per
    category."""
    primary = [c for c in comparisons if c.primary]
    counts = {"breaking": 0, "additive": 0, "cosmetic": 0}
    for c in primary:
        for key, n in c.counts().items():
            if key in counts:
                counts[key] += n
    required = max((c.required.value for c in primary), key=BUMP_RANK.__getitem__, default="none")
    if not any(counts.values()):
        return "no changes to any taxonomy"
    parts = ", ".join(f"{n:,} {k}" for k, n in counts.items())
    # Calendar versions require no bump: the counts alone.
    return f"{required} bump required: {parts}" if required != "none" else parts
