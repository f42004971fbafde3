"""Validating a very large document without holding it twice.

A 200,000-label taxonomy is about 600 MB of parsed dicts and 350 MB of models.
Validated in one call, both are alive at the peak. Here the items of the document's
largest list are validated in chunks and each chunk's dicts are dropped as soon as
its models exist, so the peak is about the larger of the two, not their sum.

Only the happy path streams. When a chunk is invalid, :class:`NotStreamable` tells
the caller to validate the whole document the ordinary way (from a fresh parse),
which gives every error with its location; an invalid file pays a second parse.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

#: Lists shorter than this are validated in one call: nothing to gain.
STREAM_MIN_ITEMS = 20_000
CHUNK = 5_000


class NotStreamable(Exception):
    """A chunk failed validation; validate the whole, freshly parsed document."""


def validate_streaming(data: dict[str, Any], model: type[BaseModel]) -> BaseModel:
    """Validate ``data`` as ``model``. The dicts of its largest list are replaced
    by ``None`` as their models are built (``data`` is consumed). Raises
    :class:`NotStreamable` if any item is invalid, ``ValidationError`` for errors
    outside the list."""
    key = _largest_list(data, model)
    if key is None:
        return model.model_validate(data)
    items: list[Any] = data[key]
    adapter = _adapter(model, key)
    built: list[Any] = []
    for start in range(0, len(items), CHUNK):
        chunk = items[start : start + CHUNK]
        try:
            built += adapter.validate_python(chunk)
        except ValidationError as exc:
            raise NotStreamable(key) from exc
        items[start : start + len(chunk)] = [None] * len(chunk)
        del chunk
    rest = {k: v for k, v in data.items() if k != key}
    rest[key] = built
    return model.model_validate(rest)


def consumed(data: dict[str, Any]) -> bool:
    """Whether streaming validation dropped items of ``data`` (it must be parsed
    again before anything reads them)."""
    return any(isinstance(v, list) and v and v[0] is None for v in data.values())


def _largest_list(data: dict[str, Any], model: type[BaseModel]) -> str | None:
    best: str | None = None
    for key, value in data.items():
        if (
            isinstance(value, list)
            and len(value) >= STREAM_MIN_ITEMS
            and key in model.model_fields
            and _item_model(model, key) is not None
            and (best is None or len(value) > len(data[best]))
        ):
            best = key
    return best


def _item_model(model: type[BaseModel], key: str) -> type[BaseModel] | None:
    """The model of the items of a ``tuple[Item, ...]`` or ``list[Item]`` field."""
    annotation = model.model_fields[key].annotation
    args = getattr(annotation, "__args__", ())
    item = args[0] if args else None
    return item if isinstance(item, type) and issubclass(item, BaseModel) else None


@cache
def _adapter(model: type[BaseModel], key: str) -> TypeAdapter[list[Any]]:
    item = _item_model(model, key)
    return TypeAdapter(list[item])  # type: ignore[valid-type]
