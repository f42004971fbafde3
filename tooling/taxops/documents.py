"""The kinds of governed file, in one registry: each names its format marker, the
folder it lives in, its model and its in-file checks. Guidelines and policies are
added here beside taxonomies; nothing else needs to learn a new kind.

Models and checks are named, not imported: a kind's are loaded the first time a
file of that kind is read, so a command that reads one taxonomy never loads the
guideline, policy or vendor models (a test checks each name resolves, and that
each format is its model's own marker)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from taxops.diagnostics import Diagnostic
from taxops.positions import Positions

if TYPE_CHECKING:
    from pydantic import BaseModel

#: The top-level key that says what a governed file is: ``taxops: taxonomy/1``.
MARKER = "taxops"
#: The marker of a taxonomy file (the model's own ``TAXONOMY_FORMAT``, a test
#: holds them equal), named here so that finding a file's kind loads no model.
TAXONOMY = "taxonomy/1"


@dataclass(frozen=True)
class DocumentKind:
    name: str
    format: str
    folder: str
    model_path: str
    """``module:Class`` of the model."""
    check_path: str
    """``module:function`` of the in-file checks."""

    @property
    def model(self) -> type[BaseModel]:
        model: type[BaseModel] = _load(self.model_path)
        return model

    @property
    def check(self) -> Callable[[Any, Positions], list[Diagnostic]]:
        check: Callable[[Any, Positions], list[Diagnostic]] = _load(self.check_path)
        return check

    @property
    def marker_line(self) -> str:
        return f"{MARKER}: {self.format}"


def _load(path: str) -> Any:
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


def _kind(name: str, format: str, folder: str, model: str, check: str) -> DocumentKind:
    return DocumentKind(name, format, folder, f"taxops.models.{model}", f"taxops.checks.{check}")


KINDS: dict[str, DocumentKind] = {
    kind.format: kind
    for kind in (
        _kind(
            "taxonomy",
            TAXONOMY,
            "taxonomies",
            "taxonomy:Taxonomy",
            "taxonomy:check_taxonomy",
        ),
        _kind(
            "guideline",
            "guideline/1",
            "guidelines",
            "guideline:Guideline",
            "guideline:check_guideline",
        ),
        _kind("waivers", "waivers/1", "policies", "waivers:Waivers", "waivers:check_waivers"),
        _kind("vendor", "vendor/1", "policies", "vendor:Vendor", "vendor:check_vendor"),
        _kind("sla", "sla/1", "policies", "sla:Sla", "vendor:check_sla"),
        _kind(
            "quality-plan",
            "quality-plan/1",
            "policies",
            "quality_plan:QualityPlan",
            "quality_plan:check_quality_plan",
        ),
        _kind("privacy", "privacy/1", "policies", "privacy:Privacy", "privacy:check_privacy"),
        _kind(
            "datasets",
            "datasets/1",
            "policies",
            "datasets:DatasetRegistry",
            "datasets:check_registry",
        ),
        _kind(
            "dataset-spec",
            "dataset-spec/1",
            "policies",
            "dataset_spec:DatasetSpec",
            "datasets:check_spec",
        ),
        _kind("workflow", "workflow/1", "policies", "workflow:Workflow", "workflow:check_workflow"),
    )
}


def kind_for_folder(folder: str) -> DocumentKind | None:
    return next((k for k in KINDS.values() if k.folder == folder), None)


def governed_folders() -> list[str]:
    return sorted({k.folder for k in KINDS.values()} | {"taxonomies", "guidelines", "policies"})
