"""In-file checks of vendor policies and their SLAs."""

from __future__ import annotations

from collections.abc import Iterator

from taxops.checks.common import repeats
from taxops.diagnostics import Diagnostic, Severity
from taxops.loading import YamlDocument
from taxops.models.sla import Breach, Sla, TaskType
from taxops.models.vendor import Vendor


def check_vendor(vendor: Vendor, doc: YamlDocument) -> list[Diagnostic]:
    found = []
    for i, first in repeats(c.name for c in vendor.certifications):
        prev = doc.locate(("certifications", first, "name"))
        found.append(
            Diagnostic(
                "duplicate-certification",
                Severity.ERROR,
                f"certification '{vendor.certifications[i].name}' is listed twice "
                f"(first at line {prev.line})",
                doc.locate(("certifications", i, "name")),
                "keep the entry with the current expiry date",
            )
        )
    for key in vendor.moved_terms:
        found.append(
            Diagnostic(
                "vendor-terms-moved",
                Severity.ERROR,
                f"'{key}' no longer belongs in a vendor file: prices, throughput and service "
                "levels are written once, in an SLA file that names this vendor",
                doc.locate((key,), at="key"),
                f"move it to policies/slas/<id>.yaml ('taxops: sla/1', 'vendor: {vendor.id}'); "
                "see the SLA reference page",
            )
        )
    return found


def check_sla(sla: Sla, doc: YamlDocument) -> list[Diagnostic]:
    return [*_one_rate_per_task(sla, doc), *_review_rate(sla, doc), *_consequences(sla, doc)]


def _one_rate_per_task(sla: Sla, doc: YamlDocument) -> Iterator[Diagnostic]:
    for i, first in repeats(rate.task for rate in sla.rates):
        yield Diagnostic(
            "duplicate-rate",
            Severity.ERROR,
            f"task '{sla.rates[i].task.value}' has two rates (first at rates[{first}])",
            doc.locate(("rates", i, "task")),
            "keep one rate per task type",
        )


def _review_rate(sla: Sla, doc: YamlDocument) -> Iterator[Diagnostic]:
    if sla.rate(TaskType.REVIEW) is None:
        yield Diagnostic(
            "no-review-rate",
            Severity.WARNING,
            f"SLA '{sla.id}' has no 'review' rate: relabel impact will price reviews "
            "at the 'label' rate",
            doc.locate(("rates",), at="key"),
            "add a rate with 'task: review'",
        )


def _consequences(sla: Sla, doc: YamlDocument) -> Iterator[Diagnostic]:
    """A consequence for a target the SLA does not set can never apply."""
    unset = {
        Breach.GOLD_ACCURACY: sla.quality.gold_accuracy is None,
        Breach.AGREEMENT: sla.quality.agreement is None,
        Breach.REWORK_RATE: sla.rework_rate_max is None,
    }
    for i, consequence in enumerate(sla.consequences):
        if unset.get(consequence.when):
            yield Diagnostic(
                "consequence-without-target",
                Severity.ERROR,
                f"a consequence applies when '{consequence.when.value}' is missed, but this "
                f"SLA sets no {consequence.when.value.replace('_', ' ')} target",
                doc.locate(("consequences", i, "when")),
                "set the target (under 'quality:' or 'rework_rate_max:'), or remove the consequence",
            )
