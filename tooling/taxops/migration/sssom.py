"""A migration map written as an SSSOM mapping set (the ontology community's
standard mapping table: a YAML header in ``#`` comments, then TSV rows of
subject, predicate, object and justification).

Each old label is a subject, each label its items may go to an object, and the
predicate says how the two meanings relate, read from the shape of the
correspondence: one to one is ``skos:exactMatch``; an old label whose items all
go to a label that also takes others' is narrower (``skos:broadMatch``: the
object is broader); an old label split among several is broader
(``skos:narrowMatch``); many to many is ``skos:closeMatch``. A label with nowhere
to go maps to ``sssom:NoTermFound``. ``taxops crosswalk import`` reads these
predicates back (:mod:`taxops.crosswalk.table`).
"""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import quote

from taxops.escaping import csv_cell
from taxops.migration.model import Action, MigrationMap, Mode

COLUMNS = (
    "subject_id",
    "subject_label",
    "predicate_id",
    "object_id",
    "object_label",
    "mapping_justification",
    "mapping_cardinality",
    "comment",
)
NO_TERM = "sssom:NoTermFound"
UNSPECIFIED_LICENSE = "https://w3id.org/sssom/license/unspecified"
_PREFIXES = {
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "semapv": "https://w3id.org/semapv/vocab/",
    "sssom": "https://w3id.org/sssom/",
}


def prefix(taxonomy: str, version: str) -> str:
    """The CURIE prefix of one version's labels, e.g. ``naics_v2017``."""
    return re.sub(r"[^A-Za-z0-9_]", "_", f"{taxonomy}_v{version}")


def local_id(label: str) -> str:
    """A label id as the local part of a CURIE: kept as is, except characters a
    CURIE cannot hold, percent-encoded (read back by :func:`unquote`)."""
    return quote(label, safe="-._~")


def map_to_sssom(
    migration: MigrationMap,
    names: dict[str, dict[str, str]] | None = None,
) -> str:
    """The map as SSSOM/TSV. ``names`` optionally gives display names by version
    (``{"1.0.0": {label: name}}``) for the label columns."""
    names = names or {}
    # Display names are opened in spreadsheets: never let one become a formula.
    old_names = {k: csv_cell(v) for k, v in names.get(migration.from_version, {}).items()}
    new_names = {k: csv_cell(v) for k, v in names.get(migration.to_version, {}).items()}
    old_p = prefix(migration.taxonomy, migration.from_version)
    new_p = prefix(migration.taxonomy, migration.to_version)
    fan_in: dict[str, int] = {}
    for entry in migration:
        for target in entry.targets:
            fan_in[target] = fan_in.get(target, 0) + 1
    out = io.StringIO()
    out.write(_header(migration, old_p, new_p))
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(COLUMNS)
    for entry in migration:
        subject = f"{old_p}:{local_id(entry.label)}"
        comment = f"taxops {entry.action.value} ({entry.mode.value})"
        if not entry.targets:
            writer.writerow(
                [subject, old_names.get(entry.label, ""), "skos:exactMatch", NO_TERM, "",
                 "semapv:ManualMappingCuration", "", comment]
            )  # fmt: skip
            continue
        for target in entry.targets:
            predicate = _predicate(entry.action, entry.mode, len(entry.targets), fan_in[target])
            cardinality = (
                f"{'1' if fan_in[target] == 1 else 'n'}:{'1' if len(entry.targets) == 1 else 'n'}"
            )
            writer.writerow(
                [subject, old_names.get(entry.label, ""), predicate, f"{new_p}:{local_id(target)}",
                 new_names.get(target, ""), "semapv:ManualMappingCuration", cardinality, comment]
            )  # fmt: skip
    return out.getvalue()


def _predicate(action: Action, mode: Mode, fan_out: int, fan_in: int) -> str:
    if action is Action.NARROWED:
        return "skos:narrowMatch"  # the label itself, and the others, are narrower now
    if action is Action.PARENT:
        return "skos:broadMatch"
    if mode is Mode.KEEP or (fan_out == 1 and fan_in == 1):
        return "skos:exactMatch"
    if fan_out == 1:
        return "skos:broadMatch"
    if fan_in == 1:
        return "skos:narrowMatch"
    return "skos:closeMatch"


def _header(migration: MigrationMap, old_p: str, new_p: str) -> str:
    base = f"urn:taxops:{quote(migration.taxonomy, safe='-._~')}"
    lines = ["curie_map:"]
    lines.append(f'  {old_p}: "{base}:{quote(migration.from_version, safe="-._~")}:"')
    if new_p != old_p:
        lines.append(f'  {new_p}: "{base}:{quote(migration.to_version, safe="-._~")}:"')
    lines += [f'  {k}: "{v}"' for k, v in _PREFIXES.items()]
    lines += [
        f'mapping_set_id: "{base}:map:{quote(migration.from_version, safe="-._~")}:'
        f'{quote(migration.to_version, safe="-._~")}"',
        f'mapping_set_version: "{migration.to_version}"',
        f'mapping_set_description: "What every label of {migration.taxonomy} '
        f"{migration.from_version} becomes in {migration.to_version}, from the taxonomy's "
        'declarations (generated by taxops migration-map)"',
        f'license: "{UNSPECIFIED_LICENSE}"',
        "mapping_tool: taxops",
    ]
    return "".join(f"#{line}\n" for line in lines)
