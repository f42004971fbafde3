"""The policy models as data: each row is a small policy file with one mistake
and the finding it must produce, at the line and column a person would fix.
The example organisation's own policy files (policies/) are checked clean by
tests/foundation/test_repository_content.py."""

from __future__ import annotations

import pytest
from taxops.documents import KINDS
from taxops.loading import parse_yaml
from taxops.models.privacy import Privacy
from taxops.models.quality_plan import QualityPlan
from taxops.models.sla import Sla
from taxops.validate import validate_document

SLA = """\
taxops: sla/1
id: acme-pets
vendor: acme
currency: USD
rates:
  - {task: label, cost_per_item: 0.05}
  - {task: review, cost_per_item: 0.09}
throughput_per_day: 1000
turnaround: {percentile: 95, hours: 48}
quality:
  gold_accuracy: 0.9
consequences:
  - when: turnaround
    action: penalty
    penalty_percent: 5
"""

PLAN = """\
taxops: quality-plan/1
taxonomy: pets
agreement: {metric: gwet_ac1, target: 0.8}
gold_accuracy_target: 0.95
audit:
  method: iso-2859-1
  inspection_level: S-3
  aql: 2.5
  severity: tightened
review_rate: 0.1
certification: {pass_mark: 0.85}
labels:
  - {label: dog, agreement_target: 0.9}
"""

PRIVACY = """\
taxops: privacy/1
detectors:
  - id: pet-chip
    pattern: '\\b[0-9]{15}\\b'
classes:
  - id: public
    description: Open data.
    redaction: []
    retention_days: indefinite
  - id: personal
    description: Owners' messages.
    redaction:
      - detect: email
      - detect: payment_card
        mask: "[card {last}]"
        keep_last: 4
      - detect: pet-chip
    retention_days: 365
"""

VENDOR = """\
taxops: vendor/1
id: acme
name: Acme
regions: [eu]
contract: {start: 2025-01-01, end: 2027-12-31, notice_days: 90}
certifications:
  - {name: ISO/IEC 27001, expires: 2027-06-30}
"""

WORKFLOW = """\
taxops: workflow/1
id: pets-labeling
title: Pets labeling
stages:
  - id: label
    task: label
    rate: 1
    vendor: acme
    routes:
      - {when: disagreement, to: adjudicate}
  - id: adjudicate
    task: adjudication
    rate: 0.05
    role: pets lead
escalation: {decided_by: pets lead, within_hours: 24}
"""


def _findings(kind: str, text: str) -> tuple[object, list[str]]:
    doc, problems = parse_yaml(text, "policy.yaml")
    assert doc is not None, problems
    model, found = validate_document(doc, KINDS[kind])
    return model, [
        f"{d.location.line}:{d.location.column} {d.rule} {d.message}" if d.location else d.rule
        for d in found
    ]


@pytest.mark.parametrize(
    ("kind", "text"),
    [("sla/1", SLA), ("quality-plan/1", PLAN), ("privacy/1", PRIVACY), ("vendor/1", VENDOR),
     ("workflow/1", WORKFLOW)],
)  # fmt: skip
def test_valid_policy_files_have_no_findings(kind: str, text: str) -> None:
    model, found = _findings(kind, text)
    assert model is not None and found == []


@pytest.mark.parametrize(
    ("kind", "text", "old", "new", "expected"),
    [
        (
            "sla/1", SLA, "    penalty_percent: 5\n", "",
            "13:5 invalid-value 'consequences' item #1: a penalty needs "
            "'penalty_percent:' (the service credit)",
        ),
        (
            "sla/1", SLA, "when: turnaround", "when: rework_rate",
            "13:11 consequence-without-target a consequence applies when 'rework_rate' is "
            "missed, but this SLA sets no rework rate target",
        ),
        (
            "sla/1", SLA, "percentile: 95", "percentile: 195",
            "9:26 invalid-value 'percentile': input should be less than or equal to 100 "
            "(got the number 195)",
        ),
        (
            "quality-plan/1", PLAN, "  aql: 2.5\n", "",
            "6:3 invalid-value 'audit': iso-2859-1 sampling needs 'aql:' (e.g. 1.0 "
            "or 2.5)",
        ),
        (
            "quality-plan/1", PLAN, "aql: 2.5", "aql: 3",
            "6:3 invalid-value 'audit': aql 3 is not in ISO 2859-1's tables "
            "(0.01, 0.015, 0.025, 0.04, 0.065, 0.1, 0.15, 0.25, 0.4, 0.65, 1, 1.5, 2.5, 4, 6.5, "
            "10, ...)",
        ),
        (
            "quality-plan/1", PLAN, "metric: gwet_ac1", "metric: gwet",
            "3:21 invalid-value 'metric': 'gwet' is not allowed; use one of: cohen_kappa, "
            "fleiss_kappa, krippendorff_alpha, gwet_ac1",
        ),
        (
            "quality-plan/1", PLAN, "  - {label: dog, agreement_target: 0.9}\n",
            "  - {label: dog, agreement_target: 0.9}\n  - {label: dog}\n",
            "14:13 duplicate-label-targets label 'dog' appears twice (first at line 13)",
        ),
        (
            "privacy/1", PRIVACY, "    retention_days: 365\n", "",
            "10:9 class-without-retention data class 'personal' does not say how long its "
            "data is kept",
        ),
        (
            "privacy/1", PRIVACY, "    redaction: []\n", "",
            "6:9 class-without-redaction data class 'public' does not say what is redacted "
            "in its data",
        ),
        (
            "privacy/1", PRIVACY, "- detect: pet-chip", "- detect: pet_chip",
            "17:17 unknown-detector class 'personal' redacts with detector 'pet_chip', which "
            "is neither built in nor defined under 'detectors:'",
        ),
        (
            "privacy/1", PRIVACY, "{15}", "{15}(?=x)",
            "4:14 invalid-value 'pattern': the pattern uses look-around, "
            "back-references or possessive repeats, which DuckDB's regular expressions "
            "(RE2) do not support",
        ),
        (
            "privacy/1", PRIVACY, "id: pet-chip", "id: email",
            "3:9 detector-shadows-builtin detector 'email' has the name of a built-in detector",
        ),
        (
            "vendor/1", VENDOR, "end: 2027-12-31", "end: 2024-12-31",
            "5:11 invalid-value 'contract': the contract ends (2024-12-31) before "
            "it starts (2025-01-01)",
        ),
        (
            "vendor/1", VENDOR, "regions: [eu]\n", "regions: [eu]\nsla: {turnaround_days: 3}\n",
            "5:1 vendor-terms-moved 'sla' no longer belongs in a vendor file: prices, "
            "throughput and service levels are written once, in an SLA file that names this "
            "vendor",
        ),
        (
            "workflow/1", WORKFLOW, "to: adjudicate", "to: adjudication",
            "10:34 unknown-stage stage 'label' routes 'disagreement' items to 'adjudication', "
            "which is not a stage of this workflow",
        ),
        (
            "workflow/1", WORKFLOW, "    role: pets lead\n", "",
            "11:5 invalid-value 'stages' item #2: say who does the stage: "
            "'vendor:' (an id) or 'role:'",
        ),
    ],
)  # fmt: skip
def test_a_mistake_is_found_where_it_is(
    kind: str, text: str, old: str, new: str, expected: str
) -> None:
    assert old in text
    _, found = _findings(kind, text.replace(old, new, 1))
    assert expected in found, found


def test_lookups_fall_back_to_the_taxonomy_wide_targets() -> None:
    doc, _ = parse_yaml(PLAN, "plan.yaml")
    assert doc is not None
    plan = QualityPlan.model_validate(doc.data)
    assert plan.agreement_target_for("dog") == 0.9
    assert plan.agreement_target_for("cat") == 0.8
    assert plan.gold_accuracy_target_for("dog") == 0.95


def test_sla_turnaround_and_coverage() -> None:
    doc, _ = parse_yaml(SLA, "sla.yaml")
    assert doc is not None
    sla = Sla.model_validate(doc.data)
    assert sla.turnaround.days == 2 and sla.turnaround.describe() == "p95 within 48 h"
    assert sla.covers("pets") and sla.covers("pets", "any-workflow")


def test_privacy_policy_lookups() -> None:
    doc, _ = parse_yaml(PRIVACY, "privacy.yaml")
    assert doc is not None
    policy = Privacy.model_validate(doc.data)
    personal = policy.data_class("personal")
    assert personal is not None and personal.requires_redaction
    assert policy.data_class("public").requires_redaction is False  # type: ignore[union-attr]
    assert policy.detector_ids() == {"email", "phone", "payment_card", "iban", "pet-chip"}
