"""What the comparison tests share: releases laid out in a repository, a
comparison as plain data, and files located as small or as large ones."""

from __future__ import annotations

import shutil
from pathlib import Path

from taxops.compatibility.compare import Comparison


def releases(root: Path, old: str, new: str) -> tuple[Path, Path]:
    """The two texts as releases 1.0.0 and 2.0.0 of taxonomy ``t`` (the
    versions inside may differ: the file names only make them releases)."""
    folder = root / "taxonomies" / "t" / "releases"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    (folder / "1.0.0.yaml").write_text(old, encoding="utf-8")
    (folder / "2.0.0.yaml").write_text(new, encoding="utf-8")
    return folder / "1.0.0.yaml", folder / "2.0.0.yaml"


def plain(comparison: Comparison) -> object:
    """Everything a comparison says, as plain data (labels as their fields)."""
    changes = [
        (
            c.kind,
            c.label,
            c.old.model_dump() if c.old else None,
            c.new.model_dump() if c.new else None,
            c.old_index,
            c.new_index,
            c.detail,
        )
        for c in comparison.changes
    ]
    return (
        changes,
        comparison.changes.suggestions,
        comparison.diagnostics,
        [d.data for d in comparison.diagnostics],
        comparison.required,
        comparison.declared,
    )


#: A taxonomy whose label 'auto' reads its alias from an anchor on 'car': its
#: item is written the same whatever 'car' is called, yet it changes with it.
ANCHORED = """taxops: taxonomy/1
id: t
title: Anchored
version: {version}
kind: single-label
owners: ["@t"]
labels:
  - id: car
    name: &vehicle {name}
  - id: auto
    name: Automobile
    aliases: [*vehicle]
  - id: bus
    name: Bus
"""
