"""A waiver no longer matches any finding.

## What it detects
An entry in `policies/waivers.yaml` that matched nothing in this check (of the
taxonomies checked): the problem was fixed, the label or rule renamed, or the
waiver had a typo.

## Why it matters
A stale waiver would silently accept the same problem if it came back later.

## Example
```yaml
waivers:
  - rule: label-removed
    taxonomy: driving-objects
    label: vehicle.other        # now has its tombstone
    reason: tombstone added in the next release
    owner: "@driving-data"
    expires: 2027-01-31
```

## How to fix or migrate
Delete the waiver.
"""

from __future__ import annotations

from taxops.diagnostics import Diagnostic, Location, Severity
from taxops.rules.base import NOTHING, Bump, Rule


def diagnose(rule: str, scope: str, location: Location | None) -> Diagnostic:
    return Diagnostic(
        RULE.id,
        RULE.severity,
        f"waiver of [{rule}] for {scope} matches no finding",
        location,
        "delete it: the finding is gone (or check the rule, taxonomy and label)",
        None,
        {"waived_rule": rule, "scope": scope},
    )


RULE = Rule("waiver-unused", Severity.WARNING, Bump.NONE, NOTHING)
