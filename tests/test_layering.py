"""The package's layers, enforced: every import of every module (at the top or
inside a function) is read with ``ast`` and checked against the rules below.

The pure core (models, names, loading, checks, the change set, rules, maps)
never imports an edge (the CLI, git, the data engines, the site, the output
formats); and the change set, the rules and the maps read files only through
:class:`taxops.positions.Positions`, never through ``loading``, ``checks`` or
``compatibility``, which sit above them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "tooling" / "taxops"

EDGES = (
    "taxops.cli",
    "taxops.engines",
    "taxops.site",
    "taxops.gitrepo",
    "taxops.formatting",
    "taxops.interchange",
    "taxops.validate",
    "taxops.history",
)
CORE = (
    "taxops.diagnostics",
    "taxops.positions",
    "taxops.collector",
    "taxops.names",
    "taxops.models",
    "taxops.versioning",
    "taxops.loading",
    "taxops.checks",
    "taxops.changes",
    "taxops.rules",
    "taxops.migration",
)
#: Importer -> what it must never import.
RULES: dict[str, tuple[str, ...]] = {
    **{layer: EDGES for layer in CORE},
    "taxops.models": ("taxops.loading", "taxops.checks", "taxops.changes", "taxops.rules"),
    "taxops.changes": ("taxops.loading", "taxops.checks", "taxops.compatibility", "taxops.rules"),
    "taxops.rules": ("taxops.loading", "taxops.checks", "taxops.compatibility"),
    "taxops.migration": ("taxops.loading", "taxops.checks", "taxops.compatibility"),
    "taxops.collector": ("taxops.",),
    "taxops.positions": ("taxops.loading", "taxops.models"),
}


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts).removesuffix(".__init__")


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def _within(name: str, prefix: str) -> bool:
    return name == prefix.rstrip(".") or name.startswith(prefix.rstrip(".") + ".")


def _violations() -> list[str]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = _module(path)
        banned = [b for layer, bs in RULES.items() if _within(module, layer) for b in bs]
        for line, name in _imports(path):
            if not name.startswith("taxops"):
                continue
            hit = next((b for b in banned if _within(name, b) or name.startswith(b)), None)
            if hit and not _within(name, module):
                out.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {module} imports {name}")
    return out


def test_no_layer_imports_upward_or_an_edge() -> None:
    assert _violations() == []


@pytest.mark.parametrize("layer", sorted(RULES))
def test_every_layer_named_exists(layer: str) -> None:
    """A rule about a layer that was renamed away would pass silently."""
    relative = layer.removeprefix("taxops").lstrip(".").replace(".", "/")
    assert (PACKAGE / relative).is_dir() or (PACKAGE / f"{relative}.py").is_file()


def test_the_check_sees_an_upward_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The test itself: a rules module importing loading is reported."""
    package = tmp_path / "taxops"
    (package / "rules").mkdir(parents=True)
    (package / "rules" / "bad.py").write_text(
        "def f():\n    from taxops.loading import YamlDocument\n", encoding="utf-8"
    )
    monkeypatch.setattr(__import__(__name__), "PACKAGE", package)
    assert [v.split(": ", 1)[1] for v in _violations()] == [
        "taxops.rules.bad imports taxops.loading",
        "taxops.rules.bad imports taxops.loading.YamlDocument",
    ]
