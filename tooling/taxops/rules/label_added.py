"""A label was added to the taxonomy.

## What it detects
A label id that the new version has and the old one did not.

## Why it matters
Data is unaffected: every old item keeps its label. Consumers are another
matter when the set is **exclusive** (single-label or hierarchical): a model
or pipeline built for the old label set has a closed list of outputs, and new
items may now carry a label it has never seen. In a multi-label taxonomy a
consumer ignores a label it does not know, so nothing breaks. Either way the
version needs a **minor** bump, and labelers need the new label in the guideline.

Breaks: consumers (exclusive sets only).

## Example
```yaml
# old (1.1.0)
labels:
  - {id: vehicle.car, name: Car}
# new (1.2.0)
labels:
  - {id: vehicle.car, name: Car}
  - {id: vehicle.e_scooter, name: E-scooter}
```

## How to fix or migrate
Bump the minor version. Tell consumers before the release (retrain or map the
new label), and add definitions and examples to the guideline. In a taxonomy
whose compatibility mode is `forward` or `full`, an exclusive set cannot gain a
label without breaking consumers: release it as a major version with
`compatibility: backward` for that release, or waive the finding.
"""

from __future__ import annotations

from collections.abc import Iterator

from taxops.changes import Change, ChangeKind
from taxops.diagnostics import Diagnostic, Severity
from taxops.rules.base import CONSUMERS, NOTHING, Bump, Rule, RuleContext


def check(change: Change, ctx: RuleContext) -> Iterator[Diagnostic]:
    if ctx.exclusive:
        yield ctx.report(
            change,
            f"label `{change.label}` was added to this {ctx.kind_name} taxonomy; consumers "
            "built for the previous label set do not know it",
            "bump the minor version and tell consumers (retrain or map the new label) "
            "before the release",
            breaks=CONSUMERS,
        )
    else:
        yield ctx.report(
            change,
            f"label `{change.label}` was added",
            "bump the minor version; add its definition and examples to the guideline",
            breaks=NOTHING,
        )


RULE = Rule("label-added", Severity.INFO, Bump.MINOR, CONSUMERS, (ChangeKind.LABEL_ADDED,), check)
