"""In-file checks of vendor policies."""

from __future__ import annotations

from taxops.diagnostics import Diagnostic, Severity
from taxops.loading import YamlDocument
from taxops.models.policy import TaskType, Vendor


def check_vendor(vendor: Vendor, doc: YamlDocument) -> list[Diagnostic]:
    found = []
    seen: dict[TaskType, int] = {}
    for i, rate in enumerate(vendor.rates):
        if rate.task in seen:
            found.append(
                Diagnostic(
                    "duplicate-rate",
                    Severity.ERROR,
                    f"task '{rate.task.value}' has two rates (first at rates[{seen[rate.task]}])",
                    doc.locate(("rates", i, "task")),
                    "keep one rate per task type",
                )
            )
        seen.setdefault(rate.task, i)
    if TaskType.REVIEW not in seen:
        found.append(
            Diagnostic(
                "no-review-rate",
                Severity.WARNING,
                f"vendor '{vendor.id}' has no 'review' rate: relabel impact will price reviews "
                "at the 'label' rate",
                doc.locate(("rates",), at="key"),
                "add a rate with 'task: review'",
            )
        )
    return found
