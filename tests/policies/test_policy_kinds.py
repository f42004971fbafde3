"""A command that needs some policies validates those alone: ``migrate`` reads
the datasets registry and the privacy policy, not the vendors, SLAs, quality
plans, specs or workflows (their models are never loaded)."""

from __future__ import annotations

from pathlib import Path

from fresh_process import taxops_modules
from taxops.policies import load_policies

ROOT = Path(__file__).resolve().parents[2]


def test_only_the_kinds_asked_for_are_read() -> None:
    every = load_policies(ROOT)
    some = load_policies(ROOT, {"datasets/1", "privacy/1"})
    assert every.vendors and every.slas and every.workflows  # the case means something
    assert (some.vendors, some.slas, some.quality_plans, some.specs, some.workflows) == (
        [],
        [],
        [],
        [],
        [],
    )
    assert [g.path for g in some.registries] == [g.path for g in every.registries]
    assert [g.path for g in some.privacy] == [g.path for g in every.privacy]


def test_a_migration_loads_no_other_policy_model(tmp_path: Path) -> None:
    modules = taxops_modules(
        "migrate", "examples/datasets/support-tickets-2025.csv", "-o", str(tmp_path / "out.csv"),
        "--no-progress", cwd=ROOT,
    )  # fmt: skip
    assert "taxops.models.datasets" in modules and "taxops.models.privacy" in modules
    unwanted = {"vendor", "sla", "quality_plan", "workflow"}
    assert not unwanted & {m.removeprefix("taxops.models.") for m in modules}
