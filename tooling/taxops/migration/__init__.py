"""Migration maps: for every label of an old taxonomy version, what happens to
the items carrying it in the new one. Pure: plain data in, plain data out."""

from taxops.migration.build import DecisionHint, build_map, resolve
from taxops.migration.compose import compose
from taxops.migration.findings import RULE_UNMAPPED, map_findings
from taxops.migration.model import Action, Entry, MigrationMap, Mode, Step

__all__ = [
    "RULE_UNMAPPED",
    "Action",
    "DecisionHint",
    "Entry",
    "MigrationMap",
    "Mode",
    "Step",
    "build_map",
    "compose",
    "map_findings",
    "resolve",
]
