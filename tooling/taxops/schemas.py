"""JSON Schema export. The schemas are generated from the models, so editors,
docs and validation can never disagree."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from taxops.documents import DocumentKind
from taxops.writing import write_atomic


def json_schema(kind: DocumentKind) -> dict[str, Any]:
    schema = kind.model.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://taxops.dev/schemas/{kind.name}.schema.json",
        **schema,
    }


def write_schemas(folder: Path, kinds: Iterable[DocumentKind]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in kinds:
        path = folder / f"{kind.name}.schema.json"
        write_atomic(path, json.dumps(json_schema(kind), indent=2) + "\n")
        written.append(path)
    return written
