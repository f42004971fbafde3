"""Migration maps: for every label of an old taxonomy version, what happens to
the items carrying it in the new one. Pure: plain data in, plain data out.

Building, reversing and checking a map load on first use (PEP 562): an engine
that only reads a map does not pay for what builds one, which imports the
change set and the taxonomy model (about 0.1 s a process, counted in every
relabel). ``compose`` and ``clusters`` are imported at once: they are light,
and each has the name of its own module, which a later import of that module
would otherwise put in the function's place."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from taxops.migration.clusters import Cluster, clusters
from taxops.migration.compose import compose
from taxops.migration.model import Action, Entry, MigrationMap, Mode, Step

if TYPE_CHECKING:
    from taxops.migration.backward import backward_map
    from taxops.migration.build import DecisionHint, build_map, resolve
    from taxops.migration.findings import RULE_UNMAPPED, map_findings

_WHERE = {
    "backward_map": "backward",
    "DecisionHint": "build",
    "build_map": "build",
    "resolve": "build",
    "RULE_UNMAPPED": "findings",
    "map_findings": "findings",
}

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


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
