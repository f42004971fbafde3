"""Taxonomy files built from the committed excerpts of published
classifications (see data/excerpt.py): NAICS from the Census Bureau's CSV, the
Google product taxonomy from its ``id - Path > To > Category`` text file. Codes
are kept exactly as published."""

from __future__ import annotations

import csv
import json
from pathlib import Path

DATA = Path(__file__).parent / "data"


def _header(taxonomy: str, title: str, version: str, leaf_only: bool) -> list[str]:
    return [
        "taxops: taxonomy/1",
        f"id: {taxonomy}",
        f"title: {json.dumps(title)}",
        "versioning: calver",  # editions are named by year or date
        f"version: {json.dumps(version)}",
        "kind: hierarchical",
        f"leaf_only: {'true' if leaf_only else 'false'}",
        "ids: code",
        'owners: ["@standards"]',
        "compatibility: none",
        "labels:",
    ]


def _label(code: str, name: str, parent: str | None) -> list[str]:
    # JSON strings are YAML strings: codes that look like numbers stay text.
    lines = [f"  - id: {json.dumps(code)}", f"    name: {json.dumps(name)}"]
    if parent:
        lines.append(f"    parent: {json.dumps(parent)}")
    return lines


def naics_yaml(year: str, version: str) -> str:
    lines = _header("naics", f"NAICS {year}", version, leaf_only=False)
    with open(DATA / "naics" / f"naics_{year}.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            lines += _label(row["code"], row["title"], row["parent"] or None)
    return "\n".join(lines) + "\n"


def concordance() -> dict[str, list[str]]:
    """NAICS 2012 code -> its 2017 codes, in the table's order."""
    found: dict[str, list[str]] = {}
    with open(DATA / "naics" / "concordance_2017_to_2012.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            targets = found.setdefault(row["naics2012"], [])
            if row["naics2017"] not in targets:
                targets.append(row["naics2017"])
    return found


def google_file(date: str) -> Path:
    return DATA / "google" / f"taxonomy-with-ids.en-US.{date}.txt"


def google_categories(date: str) -> list[tuple[str, str, str | None]]:
    """(id, name, parent id) of each category, in file order."""
    by_path: dict[str, str] = {}
    out = []
    for line in google_file(date).read_text(encoding="utf-8").splitlines()[1:]:
        code, path = line.split(" - ", 1)
        by_path[path] = code
        parts = path.split(" > ")
        out.append((code, parts[-1], by_path.get(" > ".join(parts[:-1]))))
    return out


def google_yaml(date: str, version: str, leaf_only: bool = True) -> str:
    lines = _header("google-products", "Google product taxonomy", version, leaf_only)
    for code, name, parent in google_categories(date):
        lines += _label(code, name, parent)
    return "\n".join(lines) + "\n"
