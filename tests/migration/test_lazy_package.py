"""The migration package loads its parts on first use: an engine that reads a
map does not import what builds one (the change set, the taxonomy model)."""

from __future__ import annotations

import importlib

import taxops.migration as migration
from fresh_process import modules_after


def test_every_exported_name_resolves_from_its_module() -> None:
    """Each name is the object its module defines, also after every submodule
    was imported (a submodule import sets the package attribute of its own
    name: ``compose`` the function must not become ``compose`` the module)."""
    lazy = migration._WHERE
    assert set(lazy) <= set(migration.__all__)
    for module in ("backward", "build", "clusters", "compose", "findings", "model"):
        importlib.import_module(f"taxops.migration.{module}")
    for name in migration.__all__:
        value = getattr(migration, name)
        assert not isinstance(value, type(importlib)), name
        home = lazy.get(name) or value.__module__.rsplit(".", 1)[-1]
        assert getattr(importlib.import_module(f"taxops.migration.{home}"), name) is value


def test_the_relabel_engine_does_not_import_map_building() -> None:
    loaded = modules_after("import taxops.engines.duckdb_migrate")
    assert "taxops.migration.model" in loaded
    unwanted = {"taxops.migration.build", "taxops.migration.backward", "taxops.changes"}
    assert not unwanted & loaded
