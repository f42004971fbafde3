"""The migration map written out: JSON (schema ``taxops/migration-map/1``,
documented in ``site/docs/reference/migration-map.md``), YAML with the same
structure, and CSV with one row per old label for spreadsheets.

The CSV is for people (tools read the JSON): a reviewer opens it in a
spreadsheet, so every cell that a spreadsheet would take for a formula is
protected as the review queue's are (:func:`taxops.escaping.csv_cell`, undone
exactly by :func:`~taxops.escaping.csv_cell_value`)."""

from __future__ import annotations

import csv
import io
from typing import Any

from taxops.escaping import csv_cell, json_text, terminal
from taxops.jsondoc import readable_json
from taxops.migration.clusters import clusters
from taxops.migration.model import Action, Entry, MigrationMap, Mode, Step, SuggestedLabel
from taxops.migration.sssom import map_to_sssom
from taxops.yaml_out import generated_yaml

SCHEMA = "taxops/migration-map/1"
CSV_COLUMNS = (
    "label",
    "action",
    "mode",
    "targets",
    "deprecated",
    "renamed_from",
    "renamed_to",
    "moved_from",
    "moved_to",
    "hints",
    "note",
    "via",
    "narrowed_to",
    "suggestions",
    "cluster",
)
#: Separator of several labels in one CSV cell (label ids never contain it).
LIST_SEPARATOR = "|"


def map_to_dict(migration: MigrationMap) -> dict[str, Any]:
    """Plain data, stable key order; the JSON and YAML files are this dict."""
    return {
        "schema": SCHEMA,
        "taxonomy": migration.taxonomy,
        "from": migration.from_version,
        "to": migration.to_version,
        "kind": migration.kind,
        "id_case": migration.id_case,
        "summary": migration.summary(),
        "entries": [_entry(e) for e in migration.entries],
        "valid_labels": list(migration.valid_labels),
        "deprecated_labels": list(migration.deprecated_labels),
        "clusters": [
            {"size": c.size, "shape": c.shape, "old": list(c.old), "new": list(c.new)}
            for c in clusters(migration)
        ],
    }


def _entry(e: Entry) -> dict[str, Any]:
    return {
        "label": e.label,
        "action": e.action.value,
        "mode": e.mode.value,
        "targets": list(e.targets),
        "hints": list(e.hints),
        "deprecated": e.deprecated,
        "renamed": {"from": e.renamed[0], "to": e.renamed[1]} if e.renamed else None,
        "moved": {"from": e.moved[0], "to": e.moved[1]} if e.moved else None,
        "note": e.note,
        "via": [
            {
                "from": s.from_version,
                "to": s.to_version,
                "label": s.label,
                "action": s.action.value,
                "targets": list(s.targets),
            }
            for s in e.via
        ],
        "narrowed_to": list(e.narrowed_to),
        "suggestions": [
            {
                "label": s.label,
                "score": s.score,
                "name": s.name,
                "definition": s.definition,
                "path": s.path,
            }
            for s in e.suggestions
        ],
    }


def map_from_dict(data: dict[str, Any]) -> MigrationMap:
    """Read back a map written by :func:`map_to_dict` (JSON or YAML)."""
    if data.get("schema") != SCHEMA:
        raise ValueError(
            f"not a migration map: expected schema '{SCHEMA}', got {data.get('schema')!r}"
        )

    def pair(value: dict[str, Any] | None) -> Any:
        return (value["from"], value["to"]) if value else None

    entries = tuple(
        Entry(
            label=e["label"],
            action=Action(e["action"]),
            mode=Mode(e["mode"]),
            targets=tuple(e["targets"]),
            hints=tuple(e.get("hints", ())),
            deprecated=bool(e.get("deprecated", False)),
            renamed=pair(e.get("renamed")),
            moved=pair(e.get("moved")),
            note=e.get("note"),
            via=tuple(
                Step(s["from"], s["to"], s["label"], Action(s["action"]), tuple(s["targets"]))
                for s in e.get("via", ())
            ),
            narrowed_to=tuple(e.get("narrowed_to", ())),
            suggestions=tuple(
                SuggestedLabel(s["label"], s["score"], s["name"], s["definition"], s["path"])
                for s in e.get("suggestions", ())
            ),
        )
        for e in data["entries"]
    )
    return MigrationMap(
        taxonomy=data["taxonomy"],
        from_version=data["from"],
        to_version=data["to"],
        kind=data["kind"],
        entries=entries,
        valid_labels=tuple(data.get("valid_labels", ())),
        deprecated_labels=tuple(data.get("deprecated_labels", ())),
        id_case=data.get("id_case", "insensitive"),
    )


def map_to_json(migration: MigrationMap) -> str:
    return json_text(readable_json(map_to_dict(migration), rows=("entries",))) + "\n"


def map_to_yaml(migration: MigrationMap) -> str:
    header = (
        f"Migration map for {migration.taxonomy} {migration.from_version} -> "
        f"{migration.to_version}, generated by taxops; schema: {SCHEMA}"
    )
    body = generated_yaml(map_to_dict(migration), width=100)
    return f"# {terminal(header)}\n{body}"  # one comment line, whatever the id holds


def map_to_csv(migration: MigrationMap) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    cluster_of = {label: str(n) for n, c in enumerate(clusters(migration), 1) for label in c.old}
    for e in migration.entries:
        writer.writerow(
            csv_cell(cell)  # a spreadsheet must not run a hint or id as a formula
            for cell in [
                e.label,
                e.action.value,
                e.mode.value,
                LIST_SEPARATOR.join(e.targets),
                "yes" if e.deprecated else "",
                e.renamed[0] if e.renamed else "",
                e.renamed[1] if e.renamed else "",
                (e.moved[0] or "") if e.moved else "",
                (e.moved[1] or "") if e.moved else "",
                "\n".join(e.hints),
                e.note or "",
                " ; ".join(
                    f"{s.to_version}: {s.label} {s.action.value} {LIST_SEPARATOR.join(s.targets)}".rstrip()
                    for s in e.via
                ),
                LIST_SEPARATOR.join(e.narrowed_to),
                LIST_SEPARATOR.join(f"{s.label} ({s.score:.2f})" for s in e.suggestions),
                cluster_of.get(e.label, ""),
            ]
        )
    return out.getvalue()


FORMATS = {"yaml": map_to_yaml, "json": map_to_json, "csv": map_to_csv, "sssom": map_to_sssom}
