"""The taxonomies every export is tried on: the example organisation's two
(hierarchies, one leaf-only with aliases, one with attributes and retired
labels) and two made here (a flat single-label set whose names hold markup and
quotes, and a multi-label set)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from taxops.interchange.load import load_source
from taxops.interchange.source import ExportSource
from taxops.models.taxonomy import Taxonomy

ROOT = Path(__file__).resolve().parents[2]

HOSTILE_NAME = 'Tom & "Jerry" <script>alert(1)</script> --> ]]>'


def taxonomy(labels: list[dict[str, Any]], kind: str = "single-label", **extra: Any) -> Taxonomy:
    return Taxonomy.model_validate(
        {
            "taxops": "taxonomy/1",
            "id": extra.pop("id", "toxicity"),
            "title": extra.pop("title", "Comment toxicity"),
            "version": extra.pop("version", "1.2.0"),
            "kind": kind,
            "owners": ["@trust-safety"],
            "labels": labels,
            **extra,
        }
    )


FLAT = taxonomy(
    [
        {"id": "ok", "name": "Fine", "definition": "Nothing wrong.", "aliases": ["clean"]},
        {"id": "insult", "name": HOSTILE_NAME, "definition": 'Says "you <b>idiot</b>" & worse.'},
        {"id": "threat", "name": "Threat", "aliases": ["menace", "intimidation"]},
        {"id": "spam", "name": "Spam", "status": "retired", "replaced_by": ["ok"]},
        {"id": "old_spam", "name": "Old spam", "status": "deprecated", "replaced_by": ["ok"]},
    ]
)
MULTI = taxonomy(
    [
        {"id": "sports", "name": "Sports"},
        {"id": "politics", "name": "Politics"},
        {"id": "science", "name": "Science", "aliases": ["research"]},
    ],
    kind="multi-label",
    id="topics",
    title="News topics",
    version="3.0.0",
)


def all_sources() -> dict[str, ExportSource]:
    return {
        "support-intents": load_source(ROOT, "support-intents"),
        "driving-objects": load_source(ROOT, "driving-objects"),
        "flat": ExportSource(FLAT),
        "multi": ExportSource(MULTI),
    }


SOURCES = all_sources()
