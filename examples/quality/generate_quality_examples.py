"""Generate the quality and operations example exports of Northwind Labs' helpdesk
work (support-intents 2.0.0), for the README tour and the dashboard.

Deterministic: ``SEED`` below fixes every draw; running it again rewrites the
same files.

    python examples/quality/generate_quality_examples.py

Four weeks (3 to 30 March 2025) of tickets labeled by three teams, each with a
known disagreement pattern:

- ``lumen-annotation``: three careful labelers (about 94 % right), occasional
  slips to a sibling label; fast (p95 turnaround about 60 h, SLA 72 h);
- ``harbor-text-labs``: three labelers, one much weaker (``harbor-3``), and the
  team systematically files late deliveries as order-status questions
  (``orders.delivery_delay`` -> ``orders.order_status``), worse in the last week;
  slow (p95 turnaround about 95 h: it misses a 72 h SLA);
- ``northwind-inhouse``: two in-house agents, good overall but splitting
  ``technical.device_offline`` and ``technical.device_setup`` inconsistently.

Files written beside this script:

- ``support-annotations.csv``: item, annotator, vendor, label, time (one row per
  rating; two or three ratings per ticket, some tickets rated once);
- ``support-gold.csv``: item, label, version: 60 tickets with their right label,
  a third of them recorded against 1.0.0 (carried to 2.0.0 by the migration map);
- ``support-task-events.csv``: one task per rating, plus review tasks: task,
  item, task_type, annotator, vendor, label, created, started, submitted,
  reviewed, accepted, rework, cost, audit_score;
- ``support-tickets-2025-03.csv``: the month's tickets with their final label
  (for ``taxops inspect`` drift against January), a few pasted twice;
- ``support-audit-lumen-2025-03-24.csv``: lumen's last weekly lot audited by
  ISO 2859-1 sampling (level II, AQL 2.5), with the reviewer's label.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import json
import math
import random
from pathlib import Path
from types import ModuleType

from taxops.engines.datasets import provenance_record, sidecar_path
from taxops.quality.acceptance import Inspection
from taxops.quality.sampling import by_plan, sample_record

SEED = 1313
HERE = Path(__file__).parent
START = dt.datetime(2025, 3, 3, 9, 0)  # a Monday
WEEKS = 4
TICKETS_PER_WEEK = 160

#: 1.0.0 labels that 2.0.0 retired, and where their tickets belong now.
RETIRED = {
    "billing.refund_status": "returns.refund_status",
    "returns.return_status": "returns.refund_status",
    "account.two_factor": "account.verification_code",
}
VENDORS = {
    "lumen-annotation": {
        "share": 0.45,
        "annotators": {"lumen-1": 0.94, "lumen-2": 0.95, "lumen-3": 0.93},
        "turnaround_hours": (20, 62),
        "rework": 0.03,
        "cost": 0.06,
        "handle_minutes": 1.4,
    },
    "harbor-text-labs": {
        "share": 0.35,
        "annotators": {"harbor-1": 0.87, "harbor-2": 0.85, "harbor-3": 0.70},
        "turnaround_hours": (44, 100),
        "rework": 0.08,
        "cost": 0.05,
        "handle_minutes": 1.1,
    },
    "northwind-inhouse": {
        "share": 0.20,
        "annotators": {"inhouse-1": 0.92, "inhouse-2": 0.91},
        "turnaround_hours": (6, 30),
        "rework": 0.02,
        "cost": 0.09,
        "handle_minutes": 1.8,
    },
}
#: Systematic confusions: (vendor, true label) -> (wrong label, chance per rating).
CONFUSIONS = {
    ("harbor-text-labs", "orders.delivery_delay"): ("orders.order_status", 0.45),
    ("northwind-inhouse", "technical.device_offline"): ("technical.device_setup", 0.35),
    ("northwind-inhouse", "technical.device_setup"): ("technical.device_offline", 0.25),
}


def _tickets_module() -> ModuleType:
    path = HERE.parent / "datasets" / "generate_support_tickets.py"
    spec = importlib.util.spec_from_file_location("generate_support_tickets", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    rng = random.Random(SEED)
    tickets = _tickets_module()
    templates = {
        RETIRED.get(label, label): texts
        for label, texts in tickets.TEMPLATES.items()
        if label != "product.general_question"
    }
    labels = sorted(templates)
    weights = [tickets.WEIGHTS[label.split(".")[0]] for label in labels]
    siblings = {
        label: [x for x in labels if x.split(".")[0] == label.split(".")[0] and x != label]
        for label in labels
    }
    items, ratings, events = [], [], []
    task_no = 0
    for week in range(WEEKS):
        monday = START + dt.timedelta(weeks=week)
        for n in range(TICKETS_PER_WEEK):
            item = f"T-{26000 + week * TICKETS_PER_WEEK + n}"
            # Late deliveries pile up in the last two weeks (a storm): drift vs January.
            boost = 4 if week >= 2 else 1
            w = [
                x * boost if lbl == "orders.delivery_delay" else x
                for lbl, x in zip(labels, weights, strict=True)
            ]
            truth = rng.choices(labels, w)[0]
            text = rng.choice(templates[truth]).format(
                amount=rng.choice([9.99, 14.5, 29, 49.99, 119]),
                order=f"NW-{rng.randint(100000, 999999)}",
                product=rng.choice(tickets.PRODUCTS),
            )
            vendor = rng.choices(list(VENDORS), [v["share"] for v in VENDORS.values()])[0]
            spec = VENDORS[vendor]
            created = monday + dt.timedelta(minutes=rng.randint(0, 4 * 24 * 60))
            items.append((item, created, text, truth, vendor))
            people = list(spec["annotators"])
            k = 3 if len(people) == 3 and rng.random() < 0.3 else 2
            if rng.random() < 0.06:
                k = 1  # a ticket only one labeler got to
            lo, hi = spec["turnaround_hours"]
            accepted = created + dt.timedelta(hours=lo + (hi - lo) * rng.random() ** 1.6)
            for annotator in rng.sample(people, k):
                label = _rate(rng, vendor, truth, spec["annotators"][annotator], week, siblings)
                started = created + dt.timedelta(
                    hours=rng.uniform(0.5, (accepted - created).total_seconds() / 3600 * 0.6)
                )
                minutes = rng.lognormvariate(math.log(spec["handle_minutes"]), 0.45)
                submitted = started + dt.timedelta(minutes=minutes)
                ratings.append((item, annotator, vendor, label, submitted))
                task_no += 1
                audited = rng.random() < 0.1
                events.append(
                    {
                        "task": f"task-{task_no:05d}",
                        "item": item,
                        "task_type": "label",
                        "annotator": annotator,
                        "vendor": vendor,
                        "label": truth,
                        "created": created,
                        "started": started,
                        "submitted": submitted,
                        "reviewed": "",
                        "accepted": accepted,
                        "rework": str(rng.random() < spec["rework"]).lower(),
                        "cost": spec["cost"],
                        "audit_score": (1 if label == truth else 0) if audited else "",
                    }
                )
            if rng.random() < 0.10:  # the workflow's review stage
                task_no += 1
                started = accepted - dt.timedelta(hours=rng.uniform(1, 4))
                submitted = started + dt.timedelta(
                    minutes=rng.lognormvariate(math.log(spec["handle_minutes"] * 1.3), 0.4)
                )
                events.append(
                    {
                        "task": f"task-{task_no:05d}",
                        "item": item,
                        "task_type": "review",
                        "annotator": rng.choice(people),
                        "vendor": vendor,
                        "label": truth,
                        "created": created,
                        "started": started,
                        "submitted": submitted,
                        "reviewed": submitted,
                        "accepted": accepted,
                        "rework": "false",
                        "cost": round(spec["cost"] * 1.8, 2),
                        "audit_score": "",
                    }
                )
    _write(
        HERE / "support-annotations.csv",
        ["item", "annotator", "vendor", "label", "time"],
        [[i, a, v, lbl, _t(t)] for i, a, v, lbl, t in ratings],
    )
    _write_events(events)
    _write_gold(rng, items)
    _write_month(rng, items)
    _write_audit(items, ratings)
    # Provenance, as taxops records it: the exports are labeled with support-intents 2.0.0.
    for name, column in (
        ("support-annotations.csv", "label"),
        ("support-task-events.csv", "label"),
        ("support-tickets-2025-03.csv", "intent"),
    ):
        record = provenance_record("support-intents", "2.0.0", label_column=column)
        sidecar_path(HERE / name).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {len(items)} tickets, {len(ratings)} ratings, {len(events)} tasks in {HERE}")


def _rate(
    rng: random.Random,
    vendor: str,
    truth: str,
    accuracy: float,
    week: int,
    siblings: dict[str, list[str]],
) -> str:
    confusion = CONFUSIONS.get((vendor, truth))
    if confusion:
        wrong, chance = confusion
        if vendor == "harbor-text-labs" and week == WEEKS - 1:
            chance = min(0.9, chance * 1.5)  # the pattern worsens in the last week
        if rng.random() < chance:
            return wrong
    if rng.random() < accuracy:
        return truth
    return rng.choice(siblings[truth] or [truth])


def _t(t: dt.datetime) -> str:
    return t.isoformat(timespec="seconds")


def _write(path: Path, header: list[str], rows: list[list[object]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(header)
        out.writerows(rows)


def _write_events(events: list[dict[str, object]]) -> None:
    header = list(events[0])
    rows = [
        [_t(v) if isinstance(v, dt.datetime) else v for v in (e[k] for k in header)] for e in events
    ]
    _write(HERE / "support-task-events.csv", header, rows)


def _write_gold(rng: random.Random, items: list[tuple[str, dt.datetime, str, str, str]]) -> None:
    old = {new: old for old, new in RETIRED.items()}
    rows: list[list[object]] = []
    for item, _, _, truth, _ in rng.sample(items, 60):
        if rng.random() < 1 / 3:  # recorded when the gold set was built, on 1.0.0
            rows.append([item, old.get(truth, truth), "1.0.0"])
        else:
            rows.append([item, truth, "2.0.0"])
    # A gold ticket of a label 2.0.0 retired for review: its right answer today is unknown.
    rows.append([items[3][0], "product.general_question", "1.0.0"])
    _write(HERE / "support-gold.csv", ["item", "label", "version"], sorted(rows))


def _write_month(rng: random.Random, items: list[tuple[str, dt.datetime, str, str, str]]) -> None:
    rows: list[list[object]] = [
        [item, _t(created), text, truth] for item, created, text, truth, _ in items
    ]
    for item, created, text, truth, _ in rng.sample(items, 6):  # pasted twice by a script
        rows.append([f"{item}-dup", _t(created), text, truth])
    for item, created, text, _truth, _ in rng.sample(items, 3):  # same words, other case
        rows.append([f"{item}-re", _t(created), text.upper() + "!!", "feedback.complaint"])
    rows.append(["T-26999", _t(START), "", "orders.order_status"])  # an empty message
    rows.sort(key=lambda r: (str(r[1]), str(r[0])))
    _write(
        HERE / "support-tickets-2025-03.csv", ["ticket_id", "created_at", "text", "intent"], rows
    )


def _write_audit(
    items: list[tuple[str, dt.datetime, str, str, str]],
    ratings: list[tuple[str, str, str, str, dt.datetime]],
) -> None:
    """Lumen's lot of the last week, drawn as 'taxops quality sample
    support-annotations.csv --iso --vendor lumen-annotation --since 2025-03-24
    --seed 1313' draws it: the items Lumen rated since then, each with its most
    common label (the smallest on a tie); the reviewer gives the true label."""
    since = dt.datetime(2025, 3, 24)
    truth = {item: t for item, _, _, t, _ in items}
    votes: dict[str, dict[str, int]] = {}
    for item, _, vendor, label, time in ratings:
        if vendor == "lumen-annotation" and time >= since:
            votes.setdefault(item, {})
            votes[item][label] = votes[item].get(label, 0) + 1
    delivered = {
        item: min(lbl for lbl, n in v.items() if n == max(v.values())) for item, v in votes.items()
    }
    sample = by_plan(sorted(delivered), "II", "2.5", Inspection.NORMAL, seed=SEED)
    path = HERE / "support-audit-lumen-2025-03-24.csv"
    _write(
        path,
        ["item", "label", "reviewed_label", "verdict"],
        [[item, delivered[item], truth[item], ""] for item in sample.items],
    )
    record = sample_record(
        sample, source="examples/quality/support-annotations.csv",
        plan_file="policies/quality/support-intents.yaml",
    )  # fmt: skip
    sidecar_path(path).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
