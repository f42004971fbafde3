"""The kinds of governed file, in one registry: each names its format marker, the
folder it lives in, its model and its in-file checks. Guidelines and policies are
added here beside taxonomies; nothing else needs to learn a new kind."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from taxops.checks.datasets import check_registry, check_spec
from taxops.checks.guideline import check_guideline
from taxops.checks.privacy import check_privacy
from taxops.checks.quality_plan import check_quality_plan
from taxops.checks.taxonomy import check_taxonomy
from taxops.checks.vendor import check_sla, check_vendor
from taxops.checks.waivers import check_waivers
from taxops.checks.workflow import check_workflow
from taxops.diagnostics import Diagnostic
from taxops.loading import YamlDocument
from taxops.models.dataset_spec import DATASET_SPEC_FORMAT, DatasetSpec
from taxops.models.datasets import DATASETS_FORMAT, DatasetRegistry
from taxops.models.guideline import GUIDELINE_FORMAT, Guideline
from taxops.models.privacy import PRIVACY_FORMAT, Privacy
from taxops.models.quality_plan import QUALITY_PLAN_FORMAT, QualityPlan
from taxops.models.sla import SLA_FORMAT, Sla
from taxops.models.taxonomy import TAXONOMY_FORMAT, Taxonomy
from taxops.models.vendor import VENDOR_FORMAT, Vendor
from taxops.models.waivers import WAIVERS_FORMAT, Waivers
from taxops.models.workflow import WORKFLOW_FORMAT, Workflow

#: The top-level key that says what a governed file is: ``taxops: taxonomy/1``.
MARKER = "taxops"


@dataclass(frozen=True)
class DocumentKind:
    name: str
    format: str
    folder: str
    model: type[BaseModel]
    check: Callable[[Any, YamlDocument], list[Diagnostic]]

    @property
    def marker_line(self) -> str:
        return f"{MARKER}: {self.format}"


KINDS: dict[str, DocumentKind] = {
    kind.format: kind
    for kind in (
        DocumentKind("taxonomy", TAXONOMY_FORMAT, "taxonomies", Taxonomy, check_taxonomy),
        DocumentKind("guideline", GUIDELINE_FORMAT, "guidelines", Guideline, check_guideline),
        DocumentKind("waivers", WAIVERS_FORMAT, "policies", Waivers, check_waivers),
        DocumentKind("vendor", VENDOR_FORMAT, "policies", Vendor, check_vendor),
        DocumentKind("sla", SLA_FORMAT, "policies", Sla, check_sla),
        DocumentKind(
            "quality-plan", QUALITY_PLAN_FORMAT, "policies", QualityPlan, check_quality_plan
        ),
        DocumentKind("privacy", PRIVACY_FORMAT, "policies", Privacy, check_privacy),
        DocumentKind("datasets", DATASETS_FORMAT, "policies", DatasetRegistry, check_registry),
        DocumentKind("dataset-spec", DATASET_SPEC_FORMAT, "policies", DatasetSpec, check_spec),
        DocumentKind("workflow", WORKFLOW_FORMAT, "policies", Workflow, check_workflow),
    )
}


def kind_for_folder(folder: str) -> DocumentKind | None:
    return next((k for k in KINDS.values() if k.folder == folder), None)


def governed_folders() -> list[str]:
    return sorted({k.folder for k in KINDS.values()} | {"taxonomies", "guidelines", "policies"})
