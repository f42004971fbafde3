"""The privacy policy held against the work: no vendor on a dataset (or a
labeling request) whose data class or region it is not cleared for, and no
dataset kept past its class's retention. Each finding is at the line to fix
(the assignment) and names the policy's line it breaks (``related``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from taxops.checks.deadlines import Deadlines, retention_finding
from taxops.diagnostics import Diagnostic, Location, Severity
from taxops.governed import Governed
from taxops.models.privacy import DataClass, Privacy
from taxops.models.vendor import Vendor
from taxops.policies import Policies

Path_ = tuple[str | int, ...]


def check_clearances(policies: Policies, deadlines: Deadlines) -> list[Diagnostic]:
    policy = policies.privacy_policy
    if policy is None:
        return []  # datasets naming classes are reported by the reference checks
    found: list[Diagnostic] = []
    for reg in policies.datasets():
        d = reg.dataset
        base: Path_ = ("datasets", reg.index)
        classes = [d.data_class] + [f.data_class for f in policy.model.fields if f.dataset == d.id]
        vendor = policies.vendor(d.vendor) if d.vendor else None
        for class_id in dict.fromkeys(classes):
            found += _cleared(
                policy, class_id, f"dataset '{d.id}'", reg.registry,
                (*base, "vendor"), (*base, "region"), vendor, d.region,
            )  # fmt: skip
        index = _class_index(policy.model, d.data_class)
        if index is None:
            continue
        data_class = policy.model.classes[index]
        if isinstance(data_class.retention_days, int):
            finding = retention_finding(
                d.id, d.created, data_class.id, data_class.retention_days,
                reg.locate("created"),
                policy.doc.locate(("classes", index, "retention_days")),
                deadlines,
            )  # fmt: skip
            if finding is not None:
                found.append(finding)
    for spec in policies.specs:
        s = spec.model
        vendor = policies.vendor(s.vendor) if s.vendor else None
        classes = [s.data_class] + [f.data_class for f in s.item_schema if f.data_class]
        for class_id in dict.fromkeys(classes):
            found += _cleared(
                policy, class_id, f"spec '{s.id}'", spec, ("vendor",), ("region",), vendor, None
            )
    return found


def _class_index(policy: Privacy, class_id: str) -> int | None:
    return next((i for i, c in enumerate(policy.classes) if c.id == class_id), None)


def _cleared(
    policy: Governed[Privacy],
    class_id: str,
    subject: str,
    doc: Governed[Any],
    vendor_path: Path_,
    region_path: Path_,
    vendor: Governed[Vendor] | None,
    region: str | None,
) -> Iterator[Diagnostic]:
    """Whether ``vendor`` may see ``class_id`` data, and the data may be processed in
    ``region`` and in every region the vendor works from."""
    index = _class_index(policy.model, class_id)
    if index is None:
        return  # an unknown class: the reference checks report it
    data_class: DataClass = policy.model.classes[index]
    access = data_class.access

    def place(*key: str | int) -> Location:
        return policy.doc.locate(("classes", index, "access", *key), at="key")

    if vendor is not None and access.vendors is not None and vendor.model.id not in access.vendors:
        cleared = ", ".join(access.vendors) or "none (in-house only)"
        yield Diagnostic(
            "vendor-not-cleared",
            Severity.ERROR,
            f"{subject} holds '{class_id}' data, and vendor '{vendor.model.id}' is not cleared "
            f"for it (cleared: {cleared})",
            doc.doc.locate(vendor_path),
            "assign a cleared vendor, or clear this one in the privacy policy (the privacy "
            "officer approves)",
            related=place("vendors"),
            data={"vendor": vendor.model.id, "data_class": class_id},
        )
    if access.regions is None:
        return
    if region is not None and region not in access.regions:
        yield Diagnostic(
            "region-not-cleared",
            Severity.ERROR,
            f"{subject} is kept in region '{region}', where '{class_id}' data may not be "
            f"processed (allowed: {', '.join(access.regions) or 'none'})",
            doc.doc.locate(region_path),
            "move the data to an allowed region, or change the policy",
            related=place("regions"),
            data={"region": region, "data_class": class_id},
        )
    if vendor is not None:
        outside = [r for r in vendor.model.regions if r not in access.regions]
        if outside:
            yield Diagnostic(
                "vendor-region-not-cleared",
                Severity.ERROR,
                f"{subject} holds '{class_id}' data, which may not be processed in "
                f"{', '.join(repr(r) for r in outside)}, where vendor '{vendor.model.id}' works "
                f"(allowed: {', '.join(access.regions) or 'none'})",
                doc.doc.locate(vendor_path),
                "assign a vendor working only in allowed regions, or record in the vendor "
                "file the regions it works from for this data",
                related=vendor.doc.locate(("regions",)),
                data={"vendor": vendor.model.id, "regions": outside, "data_class": class_id},
            )
