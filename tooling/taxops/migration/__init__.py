"""Migration maps: for every label of an old taxonomy version, what happens to
the items carrying it in the new one. Pure: plain data in, plain data out."""

from taxops.migration.backward import backward_map
from taxops.migration.build import DecisionHint, build_map, resolve
from taxops.migration.clusters import Cluster, clusters
from taxops.migration.compose import compose
from taxops.migration.findings import RULE_UNMAPPED, map_findings
from taxops.migration.model import Action, Entry, MigrationMap, Mode, Step

__all__ = [
    "RULE_UNMAPPED",
    "Action",
    "Cluster",
    "DecisionHint",
    "Entry",
    "MigrationMap",
    "Mode",
    "Step",
    "backward_map",
    "build_map",
    "clusters",
    "compose",
    "map_findings",
    "resolve",
]
