"""A small governance repository for the output and fix tests: the fleet
taxonomy released as 1.0.0 (with its integrity record, as ``taxops release``
leaves it) and a working version that changes it."""

from __future__ import annotations

from pathlib import Path

from taxops.compatibility.integrity import record_releases

HEADER = """\
taxops: taxonomy/1
id: fleet
title: Fleet
version: 1.0.0
kind: hierarchical
owners: ["@fleet"]
labels:
"""


def released_and_edited(root: Path, old: str, new: str) -> Path:
    """``root`` holding ``old`` as release 1.0.0 and ``new`` as the working file."""
    folder = root / "taxonomies" / "fleet"
    (folder / "releases").mkdir(parents=True)
    (folder / "releases" / "1.0.0.yaml").write_text(old, encoding="utf-8")
    (folder / "taxonomy.yaml").write_text(new, encoding="utf-8")
    record_releases(folder / "releases", ["1.0.0.yaml"])
    return root
