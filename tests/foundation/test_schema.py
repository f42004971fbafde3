"""The JSON Schemas editors read: generated from the models, committed under
site/docs/schemas, and pointed at by the first line of every governed file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from taxops.cli.main import main
from taxops.documents import KINDS
from taxops.schemas import json_schema

from .conftest import REPO_ROOT

SCHEMAS = REPO_ROOT / "site" / "docs" / "schemas"
SCHEMA_COMMENT = re.compile(r"^# yaml-language-server: \$schema=(?P<path>\S+)$")
KIND_LIST = sorted(KINDS.values(), key=lambda k: k.name)


def _governed_files() -> list[Path]:
    folders = sorted({kind.folder for kind in KIND_LIST})
    return sorted(
        p
        for folder in folders
        if (REPO_ROOT / folder).is_dir()
        for p in (REPO_ROOT / folder).rglob("*.y*ml")
    )


@pytest.mark.parametrize("kind", KIND_LIST, ids=[k.name for k in KIND_LIST])
def test_committed_schema_is_up_to_date(kind, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    """Fails when a model changes and the schema was not regenerated with
    ``taxops schema --output site/docs/schemas``."""
    committed = SCHEMAS / f"{kind.name}.schema.json"
    assert committed.exists(), (
        f"run: taxops schema --output site/docs/schemas ({committed.name} missing)"
    )
    assert main(["schema", kind.name]) == 0
    printed = capsys.readouterr().out
    assert printed == committed.read_text(encoding="utf-8"), (
        f"{committed.relative_to(REPO_ROOT)} is stale: run taxops schema --output site/docs/schemas"
    )


def test_schema_output_writes_one_file_per_kind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["schema", "--output", str(tmp_path)]) == 0
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(f"{k.name}.schema.json" for k in KIND_LIST)
    for kind in KIND_LIST:
        assert json.loads((tmp_path / f"{kind.name}.schema.json").read_text()) == json_schema(kind)


def test_taxonomy_schema_describes_the_fields_for_editors() -> None:
    """Editors show these descriptions on hover and complete these names."""
    schema = json_schema(KINDS["taxonomy/1"])
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert schema["additionalProperties"] is False  # typos underlined
    assert {"taxops", "id", "title", "version", "kind", "owners", "labels"} <= set(
        schema["required"]
    )
    label = schema["$defs"]["Label"]
    assert label["additionalProperties"] is False
    assert all(field.get("description") for field in label["properties"].values())
    assert schema["properties"]["version"]["pattern"]


@pytest.mark.parametrize("path", _governed_files(), ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_every_governed_file_points_editors_at_its_schema(path: Path) -> None:
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    m = SCHEMA_COMMENT.match(first_line)
    assert m, f"first line should be '# yaml-language-server: $schema=...', got {first_line!r}"
    target = (path.parent / m["path"]).resolve()
    marker = next(
        line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("taxops:")
    )
    kind = KINDS[marker.partition(":")[2].strip()]
    assert target == (SCHEMAS / f"{kind.name}.schema.json").resolve()


def test_governed_files_validate_against_the_json_schema() -> None:
    """What editors underline agrees with taxops (only where jsonschema is installed;
    elsewhere the up-to-date test above ties the schema to the models)."""
    jsonschema = pytest.importorskip("jsonschema")
    from taxops.loading import load_yaml

    for path in _governed_files():
        doc, problems = load_yaml(path)
        assert doc is not None, problems
        kind = KINDS[doc.data["taxops"]]
        schema = json.loads((SCHEMAS / f"{kind.name}.schema.json").read_text(encoding="utf-8"))
        jsonschema.validate(doc.data, schema)
