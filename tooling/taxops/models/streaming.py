"""Validating a very large document without holding it twice.

A 200,000-label taxonomy is about 600 MB of parsed dicts and 350 MB of models.
Validated in one call, both are alive at the peak. Here the items of the document's
largest list are validated in chunks and each chunk's dicts are dropped as soon as
its models exist, so the peak is about the larger of the two, not their sum.

When a chunk is invalid, :class:`NotStreamable` says where: the chunks before it
were valid (their dicts are gone, and they have no error to report), the items
from it on are intact. :func:`stream_errors` then collects every error from
there: the items in chunks, their models dropped at once, then the rest of the
document. An error to report costs no second parse and no more memory than a
valid file. A model with validators of its own (which see the whole document)
needs the whole document again: the caller parses it afresh and validates it in
one call.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

#: Lists shorter than this are validated in one call: nothing to gain.
STREAM_MIN_ITEMS = 20_000
CHUNK = 5_000


class NotStreamable(Exception):
    """Validation failed after items of the list ``key`` were consumed: the
    items before ``start`` were valid and are gone, those from ``start`` on are
    intact (:func:`stream_errors` with ``start`` finds every error)."""

    def __init__(self, key: str, start: int) -> None:
        super().__init__(key, start)
        self.key, self.start = key, start


def validate_streaming(data: dict[str, Any], model: type[BaseModel]) -> BaseModel:
    """Validate ``data`` as ``model``. The dicts of its largest list are replaced
    by ``None`` as their models are built (``data`` is consumed). Raises
    :class:`NotStreamable` when it streamed and anything is invalid (an item, or
    a field outside the list), ``ValidationError`` when it did not stream."""
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
            built.clear()  # the traceback keeps this frame: let the models go now
            raise NotStreamable(key, start) from exc
        items[start : start + len(chunk)] = [None] * len(chunk)
        del chunk
    rest = {k: v for k, v in data.items() if k != key}
    rest[key] = built
    try:
        return model.model_validate(rest)
    except ValidationError as exc:
        built.clear()
        del rest
        raise NotStreamable(key, len(items)) from exc


def stream_errors(data: dict[str, Any], model: type[BaseModel], start: int = 0) -> list[Any] | None:
    """Every error of validating ``data`` as ``model``, as one call would report
    them (``ValidationError.errors()``), found without holding the models: the
    largest list's items in chunks, then the rest of the document. ``start``:
    where :class:`NotStreamable` said the intact items begin (those before it
    were valid). None when that cannot be the same as one call: no list large
    enough, or the model has validators that see the whole document."""
    key = _largest_list(data, model)
    if key is None or model.__pydantic_decorators__.model_validators:
        return None
    items: list[Any] = data[key]
    adapter = _adapter(model, key)
    found: list[Any] = []
    for first in range(start, len(items), CHUNK):
        try:
            adapter.validate_python(items[first : first + CHUNK])
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                index, *inner = err["loc"]
                found.append({**err, "loc": (key, first + int(index), *inner)})
    rest: list[Any] = []
    try:
        model.model_validate({**data, key: []})
    except ValidationError as exc:
        # The empty list stands in for the items: its own length error is not theirs.
        rest = [e for e in exc.errors(include_url=False) if tuple(e["loc"]) != (key,)]
    # In the order one call reports them: by the field each is about, fields
    # the model does not have last.
    order = {name: i for i, name in enumerate(model.model_fields)}
    ranked = [(order.get(e["loc"][0], len(order) + 1) if e["loc"] else -1, e) for e in rest]
    ranked += [(order.get(key, len(order)), e) for e in found]
    return [e for _, e in sorted(ranked, key=lambda pair: pair[0])]


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
