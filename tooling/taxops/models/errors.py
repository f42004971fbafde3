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
from taxops.positions import Positions


def diagnostics_from_validation_error(
    exc: ValidationError, doc: Positions, model: type[BaseModel]
) -> list[Diagnostic]:
    return diagnostics_from_errors(list(exc.errors(include_url=False)), doc, model)


def diagnostics_from_errors(
    errors: list[Any], doc: Positions, model: type[BaseModel]
) -> list[Diagnostic]:
    """The findings of Pydantic's error list (``ValidationError.errors()``)."""
    out = []
    numbers = _numbers_as_ids(errors, doc)
    if numbers:
        out.append(_number_as_id(numbers, doc))
    for err in errors:
        loc = tuple(err["loc"])
        if _data_path(doc.data, loc) in numbers:
            continue  # one finding for all of them, above
        if err["type"] in ("too_short", "too_long") and _has_inner_error(errors, loc):
            # A tuple counts its *valid* items: when items fail, pydantic also says
            # the sequence is too short. The item errors are the finding.
            continue
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
        elif kind == "invalid_key":
            rule, at = "invalid-value", "key"
            message = f"{subject}{_describe(err.get('input'))} is not a field name"
            hint = "field names are words, like 'name:'; quote the key if it is meant as text"
        else:
            rule, at = (
                ("invalid-version" if field in ("version", "since") else "invalid-value"),
                "value",
            )
            message = f"{subject}{_naming(loc, path)}{_explain(err)}"
            hint = None
        out.append(Diagnostic(rule, Severity.ERROR, message, doc.locate(path, at=at), hint))
    return out


#: Fields that hold a label id or a reference to one (taxonomy and guideline
#: models): a number there lost what made it a code.
_ID_FIELDS = frozenset({"id", "parent", "replaced_by", "label", "use", "labels", "otherwise"})


def _numbers_as_ids(errors: list[Any], doc: Positions) -> dict[tuple[str | int, ...], Any]:
    """Data paths of the ids and label references YAML read as numbers (or
    true/false), in file order, with the value read."""
    found: dict[tuple[str | int, ...], Any] = {}
    for err in errors:
        if err["type"] not in ("string_type", "literal_error", "enum"):
            continue
        path = _data_path(doc.data, tuple(err["loc"]))
        if path in found:
            continue
        value = _value_at(doc.data, path)
        if not isinstance(value, int | float):  # bool is an int too: 'id: true'
            continue
        name = next((p for p in reversed(path) if isinstance(p, str)), "")
        if name in _ID_FIELDS:
            found[path] = value
    return found


def _value_at(data: Any, path: tuple[str | int, ...]) -> Any:
    node = data
    for part in path:
        try:
            node = node[part]
        except (IndexError, KeyError, TypeError):
            return None
    return node


def _number_as_id(numbers: dict[tuple[str | int, ...], Any], doc: Positions) -> Diagnostic:
    """One finding for every id written as a number: a published code such as
    ``010121`` silently became 10121, and a thousand findings saying "expected
    text" would hide the one fix (quote them)."""
    places = [doc.locate(path) for path in numbers]
    first_path, first_value = next(iter(numbers.items()))
    written = _token_at(doc.text, places[0].line, places[0].column) or str(first_value)
    key = next((p for p in reversed(first_path) if isinstance(p, str)), "id")
    message = (
        f"'{key}' {written} is written as a number (YAML reads {_describe(first_value)}), "
        "not as text"
    )
    if len(numbers) > 1:
        lines = sorted({p.line for p in places[1:]})
        shown = ", ".join(map(str, lines[:5])) + (", ..." if len(lines) > 5 else "")
        message += (
            f"; {len(numbers) - 1} more ids or label references in this file are numbers "
            f"too (line{'s' if len(lines) > 1 else ''} {shown})"
        )
    return Diagnostic(
        "number-as-id",
        Severity.ERROR,
        message,
        places[0],
        f"quote ids and label references ({key}: '{written}'): unquoted, YAML reads digits "
        "as a number, dropping leading zeros and trailing decimal zeros",
        data={"count": len(numbers)},
    )


def _token_at(text: str, line: int, column: int) -> str | None:
    """The plain scalar written at a 1-based line and column, as typed."""
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return None
    rest = lines[line - 1][column - 1 :]
    token = rest.split("#", 1)[0].strip()
    for stop in (",", "]", "}"):
        token = token.split(stop, 1)[0]
    return token.strip() or None


def _has_inner_error(errors: list[Any], loc: tuple[Any, ...]) -> bool:
    return any(len(e["loc"]) > len(loc) and tuple(e["loc"][: len(loc)]) == loc for e in errors)


def _naming(loc: tuple[Any, ...], path: tuple[str | int, ...]) -> str:
    """What the value is, before the explanation: ``'status': `` for a field,
    ``'owners' item #2: `` for a list item, nothing for a whole label (the
    subject 'label #4: ' already names it)."""
    if len(path) == 2 and path[0] == "labels" and isinstance(path[1], int):
        return ""
    if len(loc) >= 2 and isinstance(loc[-1], int):
        return f"'{loc[-2]}' item #{loc[-1] + 1}: "
    return f"'{loc[-1] if loc else 'value'}': "


def _data_path(data: Any, loc: tuple[Any, ...]) -> tuple[str | int, ...]:
    """The longest prefix of ``loc`` that walks through the data, plus the next
    element (a missing key is named by the path that would hold it)."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        ):
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


#: What pydantic's type names mean to someone writing YAML.
_EXPECTED = {
    "string": "text",
    "bool": "true or false",
    "int": "a whole number",
    "float": "a number",
    "list": "a list",
    "tuple": "a list",
    "set": "a list",
    "dict": "a mapping",
    "model": "a mapping of fields",
}


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
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "too_short":
        n = ctx.get("min_length", 1)
        return f"needs at least {n} item{'s' if n != 1 else ''}, got {ctx.get('actual_length', 0)}"
    if kind == "int_from_float":
        return f"expected a whole number, got {_describe(value)}"
    base = kind.removesuffix("_type").removesuffix("_parsing")
    if base != kind and base in _EXPECTED:
        return f"expected {_EXPECTED[base]}, got {_describe(value)}"
    return f"{err['msg'][0].lower()}{err['msg'][1:]} (got {_describe(value)})"


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (empty value)"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int) and abs(value) >= _HUGE:
        # str() of an int over 4,300 digits raises; nobody wants it echoed anyway.
        return "a number of more than 30 digits"
    if isinstance(value, int | float):
        return f"the number {value}"
    text = str(value)
    return f"'{text[:60]}…'" if len(text) > 60 else f"'{text}'"


_HUGE = 10**30


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
