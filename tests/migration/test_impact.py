"""Relabel impact and the SLA it prices reviews with."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from taxops.cli.main import main
from taxops.documents import KINDS
from taxops.history import migration_map
from taxops.loading import parse_yaml
from taxops.migration.impact import impact
from taxops.models.sla import Sla
from taxops.validate import validate_document

ROOT = Path(__file__).resolve().parents[2]
SLA = """\
taxops: sla/1
id: acme-support
vendor: acme
currency: EUR
throughput_per_day: 1000
rates:
  - {task: label, cost_per_item: 0.05}
  - {task: review, cost_per_item: 0.10, items_per_day: 200}
turnaround: {percentile: 95, hours: 48}
"""


def _sla(text: str) -> tuple[Sla | None, list[str]]:
    doc, problems = parse_yaml(text, "policies/slas/acme-support.yaml")
    assert doc is not None, problems
    model, found = validate_document(doc, KINDS["sla/1"])
    return model, [f"{d.rule}:{d.location.line if d.location else 0}" for d in found]  # type: ignore[return-value]


def test_impact_counts_items_per_change_and_prices_the_reviews() -> None:
    migration = migration_map(ROOT, "support-intents", "1.0.0", "2.0.0")
    sla, problems = _sla(SLA)
    assert sla is not None and problems == []
    counts = {
        "billing.refund_status": 700,
        "returns.return_status": 300,
        "product.general_question": 380,
        " Orders.Order_Status": 5000,
        "not.a.label": 20,
        None: 7,
    }
    result = impact(migration, counts, sla)
    assert result["items"] == 6407
    assert result["items_relabeled_by_machine"] == 1000
    assert result["items_needing_review"] == 400  # 380 review + 20 unknown
    assert result["items_unchanged"] == 5000 and result["items_unlabeled"] == 7
    assert result["changes"][0] == {
        "label": "billing.refund_status",
        "action": "merge",
        "mode": "direct",
        "targets": ["returns.refund_status"],
        "items": 700,
    }
    assert result["cost"]["review_cost"] == 40.0 and result["cost"]["working_days"] == 2.0
    assert result["cost"]["calendar_days_with_turnaround"] == 4
    assert json.loads(json.dumps(result)) == result  # plain data


@pytest.mark.parametrize(
    ("edit", "finding"),
    [
        ("  - {task: review, cost_per_item: 0.10, items_per_day: 200}\n", "no-review-rate:6"),
        ("  - {task: label, cost_per_item: 0.05}\n", None),
    ],
)
def test_sla_checks(edit: str, finding: str | None) -> None:
    if finding:
        _, problems = _sla(SLA.replace(edit, ""))
        assert problems == [finding]
    else:
        _, problems = _sla(SLA.replace(edit, edit + edit))
        assert problems == ["duplicate-rate:8"]


def test_sla_rejects_bad_values() -> None:
    model, problems = _sla(SLA.replace("currency: EUR", "currency: euro"))
    assert model is None and problems


def test_impact_cli_reads_a_counts_file_and_the_example_sla(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    counts = tmp_path / "counts.csv"
    counts.write_text("label,count\nvehicle.truck,250\nvehicle.van,90\nvehicle.car,1000\n")
    args = [
        "impact",
        "driving-objects",
        "--repo",
        str(ROOT),
        "--from",
        "1.0.0",
        "--counts",
        str(counts),
    ]
    assert main([*args, "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["items_needing_review"] == 250 and result["items_relabeled_by_machine"] == 90
    assert result["cost"]["vendor"] == "keystone-vision"
    assert result["cost"]["sla"] == "keystone-driving-objects"
    assert result["cost"]["currency"] == "EUR" and result["cost"]["cost_per_item"] == 0.18
    counts.write_text("label,count\nvehicle.truck,many\n")
    assert main(args) == 2
    assert "line 2" in capsys.readouterr().err
