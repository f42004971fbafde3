"""A waiver is past its expiry date.

## What it detects
An entry in `policies/waivers.yaml` whose `expires:` date has passed. The
finding it covered is reported again, at its usual severity.

## Why it matters
Waivers accept a known problem for a while, not forever: the expiry makes
someone look again.

## Example
```yaml
waivers:
  - rule: label-added
    taxonomy: driving-objects
    label: vehicle.e_scooter
    reason: consumers retrain in the March cycle
    owner: "@perception-leads"
    expires: 2026-03-31     # today is later
```

## How to fix or migrate
Fix the finding and delete the waiver, or extend `expires:` with a reason the
owner agrees to.
"""

from __future__ import annotations

from taxops.diagnostics import Diagnostic, Location, Severity
from taxops.rules.base import NOTHING, Bump, Rule


def diagnose(
    rule: str, scope: str, expires: str, owner: str, location: Location | None
) -> Diagnostic:
    return Diagnostic(
        RULE.id,
        RULE.severity,
        f"waiver of [{rule}] for {scope} expired on {expires}; the finding is reported again",
        location,
        f"fix the finding and delete the waiver, or ask {owner} to extend `expires:`",
        None,
        {"waived_rule": rule, "scope": scope, "expires": expires, "owner": owner},
    )


RULE = Rule("waiver-expired", Severity.WARNING, Bump.NONE, NOTHING)
