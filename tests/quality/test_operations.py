"""Operations figures from a task event log (real DuckDB on files written here),
and the vendor scorecard against SLA lines."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import numpy as np
import pytest
from taxops.diagnostics import Location
from taxops.engines.events import read_events
from taxops.quality.operations import figures, scorecard, window_ending
from taxops.quality.targets import Target, hold

T0 = dt.datetime(2025, 3, 3, 9)


def _log(path: Path, vendors: dict[str, list[float]], rework_every: int = 10) -> Path:
    """One task per turnaround (hours) given per vendor, all created on T0 + i hours."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(
            ["task", "vendor", "created", "started", "submitted", "accepted", "rework", "cost"]
        )
        n = 0
        for vendor, hours in vendors.items():
            for i, h in enumerate(hours):
                n += 1
                created = T0 + dt.timedelta(hours=i % 48)
                started = created + dt.timedelta(minutes=30)
                out.writerow(
                    [
                        f"t{n}",
                        vendor,
                        created.isoformat(),
                        started.isoformat(),
                        (started + dt.timedelta(minutes=2)).isoformat(),
                        (created + dt.timedelta(hours=h)).isoformat(),
                        "yes" if i % rework_every == 0 else "no",
                        "0.05",
                    ]
                )
    return path


SLA_LINE = Location("policies/slas/slow-vendor.yaml", 14, 10)


def test_turnaround_percentiles_equal_linear_interpolation(tmp_path: Path) -> None:
    rng = np.random.default_rng(5)
    hours = [float(h) for h in np.round(rng.uniform(2, 100, 301), 4)]
    data = read_events(_log(tmp_path / "events.csv", {"a": hours}), percentiles=(50, 95, 99.5))
    group = data.groups[("a", None)]
    for p in (50, 95, 99.5):
        assert group["turnaround_percentiles"][f"p{p:g}"] == pytest.approx(
            float(np.percentile(hours, p)), abs=1e-6
        )
    assert group["delivered"] == 301
    assert group["reworked"] == 31  # every tenth task, from the first
    assert figures(group, 7.0)["rework_rate"] == pytest.approx(31 / 301)
    assert figures(group, 7.0)["cost_per_item"] == pytest.approx(0.05)


def test_vendor_over_its_p95_turnaround_is_missed_with_figure_and_line(tmp_path: Path) -> None:
    fast = [10.0 + i % 40 for i in range(200)]  # p95 well under 72 h
    slow = [30.0 + i % 70 for i in range(200)]  # p95 about 96 h
    path = _log(tmp_path / "events.csv", {"fast": fast, "slow": slow})
    data = read_events(path, percentiles=(95,))
    window = window_ending(data.last_accepted, 7)
    target = Target(
        "turnaround_hours", 72, at_least=False, scope="slow", location=SLA_LINE,
        source="SLA slow-vendor (policies/slas/slow-vendor.yaml)", detail="p95",
    )  # fmt: skip
    cards = {}
    for vendor in ("fast", "slow"):
        now = read_events(path, percentiles=(95,), window=window.as_pair())
        before = read_events(path, percentiles=(95,), window=window.before().as_pair())
        cards[vendor] = scorecard(
            vendor,
            f"{vendor}-sla",
            [target],
            window,
            figures(now.groups.get((vendor, None)), window.days),
            figures(before.groups.get((vendor, None)), window.days),
        )
    assert cards["fast"].met is True and not cards["fast"].findings
    slow_card = cards["slow"]
    p95 = float(np.percentile(slow, 95))
    assert slow_card.met is False
    [line] = slow_card.lines
    assert line["met"] is False and line["figure"] == pytest.approx(p95, abs=1e-6)
    assert line["by"] == pytest.approx(p95 - 72, abs=1e-6)
    assert line["line"] == "turnaround (hours) p95 <= 72"
    [finding] = slow_card.findings
    assert finding.rule == "sla-missed" and finding.location == SLA_LINE
    assert f"{p95:.1f}".rstrip("0") in finding.message and "72" in finding.message
    assert "SLA slow-vendor" in finding.message


def test_window_keeps_tasks_delivered_in_it(tmp_path: Path) -> None:
    path = _log(tmp_path / "events.csv", {"a": [1.0] * 10 + [24.0 * 9] * 5})
    data = read_events(path)
    window = window_ending(data.last_accepted, 7)
    inside = read_events(path, window=window.as_pair())
    # The five tasks delivered nine days after creation fall in the last week only.
    assert inside.groups[("a", None)]["delivered"] == 5


def test_times_running_backwards_are_counted_and_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _log(tmp_path / "events.csv", {"a": [5.0, -3.0, 7.0]})
    data = read_events(path)
    assert data.inconsistent == 1
    assert data.groups[("a", None)]["delivered"] == 2
    # The scorecard says so: half a log delivered "before it was created" (a zone
    # written wrong) must not pass for a small vendor.
    from taxops.cli.main import main

    assert main(["ops", "scorecard", str(path), "--repo", str(Path(__file__).parents[2])]) == 0
    assert "1 tasks with times running backwards (accepted before created: left out" in (
        capsys.readouterr().out
    )


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_times_written_with_offsets_are_compared_as_moments(tmp_path: Path, fmt: str) -> None:
    """Tools write times with their zone (a vendor in India, a client in Berlin,
    a server in UTC): turnaround is the time between the two moments, not
    between the clock readings. A time without a zone is taken as written."""
    rows = [
        ("a", "2025-03-03T08:00:00Z", "2025-03-03T10:00:00+02:00"),  # 0 h
        ("b", "2025-03-03T08:00:00+05:30", "2025-03-03T08:00:00Z"),  # 5.5 h
        ("c", "2025-03-03 08:00:00", "2025-03-03 20:00:00"),  # 12 h
        ("d", "2025-03-30T01:30:00+01:00", "2025-03-30T03:30:00+02:00"),  # 1 h, over the DST change
    ]
    path = tmp_path / "events.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["task", "vendor", "created", "accepted"])
        out.writerows([(task, "v", created, accepted) for task, created, accepted in rows])
    if fmt == "parquet":
        import duckdb

        parquet = tmp_path / "events.parquet"
        duckdb.sql(
            f"COPY (SELECT task, vendor, created::TIMESTAMPTZ AS created, accepted::TIMESTAMPTZ "
            f"AS accepted FROM read_csv('{path}', all_varchar = true)) TO '{parquet}'"
        )
        path = parquet
    data = read_events(path, percentiles=(0, 50, 100))
    turnaround = data.groups[("v", None)]["turnaround_percentiles"]
    assert turnaround["p0"] == pytest.approx(0.0)
    assert turnaround["p50"] == pytest.approx((1 + 5.5) / 2)
    assert turnaround["p100"] == pytest.approx(12.0)
    # Read as clock readings they would be 2, 0, 12 and 2 hours.
    assert data.inconsistent == 0


@pytest.mark.parametrize(
    ("figures_", "bound", "at_least", "met"),
    [
        ([0.08] * 18, 0.08, False, True),  # mean price 0.08000000000000002 <= 0.08
        ([0.1, 0.7], 0.4, True, True),  # mean 0.39999999999999997 >= 0.4
        ([0.0801], 0.08, False, False),
        ([0.7999], 0.8, True, False),
    ],
)
def test_a_figure_equal_to_its_bound_keeps_to_it(
    figures_: list[float], bound: float, at_least: bool, met: bool
) -> None:
    value = sum(figures_) / len(figures_)
    target = Target("cost_per_item", bound, at_least=at_least, location=SLA_LINE)
    assert target.met(value) is met
    finding = hold(target, value, rule="sla-missed", subject="vendor `v`")
    assert (finding is None) is met


@pytest.mark.parametrize("volume", ["-5", "0", "1x"])
def test_a_plan_needs_items_to_deliver(
    tmp_path: Path, volume: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """'-5 items ... 0 people (-0.00)' was a plan; now a usage error naming --volume."""
    from taxops.cli.main import main

    path = _log(tmp_path / "events.csv", {"a": [5.0, 7.0]})
    with pytest.raises(SystemExit) as stopped:
        main(["ops", "plan", "--events", str(path), "--volume", volume, "--due", "2027-04-15"])
    assert stopped.value.code == 2
    assert "argument --volume" in capsys.readouterr().err


def _write_rows(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["task_id", "vendor", "created", "accepted"])
        for i, (vendor, created, accepted) in enumerate(rows):
            out.writerow([f"t{i}", vendor, created, accepted])
    return path


def test_a_log_whose_times_cannot_be_read_is_an_error_not_every_sla_met(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Dates written as 05/03/2025 (or in a column taxops did not expect) used to
    drop every task: 0 delivered, and the scorecard said every SLA line met."""
    from taxops.cli.main import main

    path = _write_rows(
        tmp_path / "events.csv",
        [("lumen", "05/03/2025 9h", "06/03/2025 10h"), ("lumen", "soon", "later")],
    )
    code = main(["ops", "scorecard", str(path), "--repo", str(Path(__file__).parents[2])])
    out = capsys.readouterr()
    assert code == 2
    assert "none of the 2 tasks has a created time that can be read" in out.err
    assert "met" not in out.out.lower()


def test_some_unreadable_times_are_counted_and_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from taxops.cli.main import main

    path = _write_rows(
        tmp_path / "events.csv",
        [
            ("lumen", "2025-03-03T08:00:00Z", "2025-03-03T10:00:00Z"),
            ("lumen", "2025-03-03T08:00:00Z", "tomorrow"),
        ],
    )
    data = read_events(path)
    assert data.unreadable == {"accepted": (1, "tomorrow")}
    assert main(["ops", "scorecard", str(path), "--repo", str(Path(__file__).parents[2])]) == 0
    assert "1 tasks whose accepted value is not a time (e.g. 'tomorrow')" in capsys.readouterr().out
