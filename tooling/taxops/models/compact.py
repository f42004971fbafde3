"""Governed models made smaller once built: what a 100,000-label taxonomy held
twice over.

Pydantic gives every model instance its own set of the field names the file
set (``model_fields_set``): at 100,000 labels, with an attribute each, that set
was a third of a taxonomy's memory, and a site build holds the working
taxonomy, each release and the guideline. Every instance of frozen models
(all governed models are) shares one set per distinct set of names instead: a
frozen model never changes its set (Pydantic copies it before a ``model_copy``
updates it). The strings a file holds are interned, so a label's id, name and
definition are stored once for every version that has them unchanged.
"""

from __future__ import annotations

import sys
from typing import Any

from pydantic import BaseModel

_SETS: dict[frozenset[str], set[str]] = {}


def compact(model: BaseModel) -> None:
    """Share field-name sets and intern strings across ``model`` and every
    frozen model inside it (in place; the values read the same)."""
    stack: list[Any] = [model]
    shared = _SETS
    intern = sys.intern
    while stack:
        item = stack.pop()
        if isinstance(item, BaseModel):
            if not type(item).model_config.get("frozen"):
                continue
            names = item.__pydantic_fields_set__
            key = frozenset(names)
            one = shared.get(key)
            if one is None:
                one = shared[key] = set(key)
            object.__setattr__(item, "__pydantic_fields_set__", one)
            values = item.__dict__
            for name, value in values.items():
                if type(value) is str:
                    values[name] = intern(value)
                elif type(value) is tuple and value and type(value[0]) is str:
                    values[name] = tuple(intern(v) if type(v) is str else v for v in value)
                elif isinstance(value, BaseModel | tuple | list):
                    stack.append(value)
        elif isinstance(item, tuple | list):
            stack.extend(v for v in item if isinstance(v, BaseModel | tuple | list))
