"""In-file checks of quality plans. Whether the plan's labels exist and are
active needs the taxonomy: :mod:`taxops.checks.policy_refs`."""

from __future__ import annotations

from taxops.checks.common import duplicates
from taxops.diagnostics import Diagnostic
from taxops.loading import YamlDocument
from taxops.models.quality_plan import QualityPlan


def check_quality_plan(plan: QualityPlan, doc: YamlDocument) -> list[Diagnostic]:
    ids = [t.label for t in plan.labels]
    return list(duplicates(doc, "labels", ids, "label", "label", "duplicate-label-targets"))
