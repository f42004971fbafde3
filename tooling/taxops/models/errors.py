"""Pydantic validation errors, turned into located diagnostics in the user's words.

Pydantic reports ``('labels', 3, 'status')`` and "Input should be 'active',
'deprecated' or 'retired'"; the user reads
``taxonomy.yaml:41:13: error [invalid-value] label 'billing.refund': status 'actve'
is not allowed; use one of: active, deprecated, retired``.
"""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel, ValidationError

from taxops.diagnostics import Diagnostic, Severity
from taxops.loading import YamlDocument


def diagnostics_from_validation_error(
    exc: ValidationError, doc: YamlDocument, model: type[BaseModel]
) -> list[Diagnostic]:
    out = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        # Pydantic appends union member names and validator tags to the location;
        # keep only the part that exists in the data.
        path = _data_path(doc.data, loc)
        kind = err["type"]
        subject = _subject(doc.data, path)
        field = str(loc[-1]) if loc else ""
        if kind == "missing":
            rule, at = "missing-field", "key"
            message = f"{subject}missing required field '{field}'"
            hint = _field_hint(model, path, field)
        elif kind == "extra_forbidden":
            rule, at = "unknown-field", "key"
            message = f"{subject}unknown field '{field}'"
            suggestion = difflib.get_close_matches(field, _allowed_fields(model, path[:-1]), n=1)
            hint = (
                f"did you mean '{suggestion[0]}'?"
                if suggestion
                else "remove it, or check the spelling against the JSON Schema (taxops schema)"
            )
        else:
            rule, at = ("invalid-version" if field in ("version", "since") else "invalid-value"), "value"
            message = f"{subject}'{field or 'value'}': {_explain(err)}"
            hint = None
        out.append(Diagnostic(rule, Severity.ERROR, message, doc.locate(path, at=at), hint))
    return out


def _data_path(data: Any, loc: tuple[Any, ...]) -> tuple[str | int, ...]:
    """The longest prefix of ``loc`` that walks through the data, plus the next
    element (a missing key is named by the path that would hold it)."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            node = node[part]
            path.append(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            path.append(part)
        else:
            if isinstance(node, dict) and isinstance(part, str):
                path.append(part)
            break
    return tuple(path)


def _subject(data: Any, path: tuple[str | int, ...]) -> str:
    """'label 'billing.refund': ' when the error is inside a label, for context."""
    if len(path) >= 2 and path[0] == "labels" and isinstance(path[1], int):
        try:
            label_id = data["labels"][path[1]].get("id")
        except (AttributeError, IndexError, KeyError, TypeError):
            label_id = None
        return f"label '{label_id}': " if label_id else f"label #{path[1] + 1}: "
    return ""


def _explain(err: Any) -> str:
    value = err.get("input")
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind in ("enum", "literal_error") and "expected" in ctx:
        expected = str(ctx["expected"]).replace("'", "").replace(" or ", ", ")
        return f"'{value}' is not allowed; use one of: {expected}"
    if kind == "string_pattern_mismatch":
        return f"'{value}' has characters that are not allowed here (lowercase letters, digits, '-' and '_')"
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    if kind.endswith("_type"):
        return f"expected {kind.removesuffix('_type').replace('_', ' ')}, got {_describe(value)}"
    return f"{err['msg'][0].lower()}{err['msg'][1:]} (got {_describe(value)})"


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (empty value)"
    return f"'{value}'"


def _model_at(model: type[BaseModel], path: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The nested model class that validates the mapping at ``path``."""
    current: type[BaseModel] | None = model
    for part in path:
        if current is None or isinstance(part, int):
            continue
        info = current.model_fields.get(str(part))
        if info is None:
            return None
        current = _inner_model(info.annotation)
    return current


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found:
            return found
    return None


def _allowed_fields(model: type[BaseModel], path: tuple[str | int, ...]) -> list[str]:
    inner = _model_at(model, path)
    return list(inner.model_fields) if inner else []


def _field_hint(model: type[BaseModel], path: tuple[str | int, ...], field: str) -> str | None:
    inner = _model_at(model, path[:-1])
    info = inner.model_fields.get(field) if inner else None
    if info and info.description:
        return f"add '{field}:' ({info.description.splitlines()[0].rstrip('.')})"
    return f"add '{field}:'"
