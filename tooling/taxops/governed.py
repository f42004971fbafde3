"""A valid governed file, as every index of files holds it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:  # a bound for the type checker: reading what a file is needs no model
    from pydantic import BaseModel

    from taxops.loading import YamlDocument

M = TypeVar("M", bound="BaseModel")


@dataclass(frozen=True)
class Governed(Generic[M]):
    """A valid governed file: its model and the document its positions come from."""

    path: Path
    display: str
    doc: YamlDocument
    model: M
