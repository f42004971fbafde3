"""The policy files held against each other and against the taxonomies and
guidelines: references resolve, vendors are cleared for the data they get,
retention, contracts and certifications are in date, and guideline examples
carry a data class the policy knows (and no personal data where they are
published as they are)."""

from __future__ import annotations

from taxops.checks.clearance import check_clearances
from taxops.checks.deadlines import Deadlines, vendor_deadlines
from taxops.checks.guideline_privacy import check_guideline_policies
from taxops.checks.policy_refs import check_references
from taxops.diagnostics import Diagnostic
from taxops.repository import Repository


def check_policies(repo: Repository, deadlines: Deadlines) -> list[Diagnostic]:
    found = check_references(repo)
    found += check_clearances(repo.policies, deadlines)
    for vendor in repo.policies.vendors:
        found += vendor_deadlines(vendor, deadlines)
    found += check_guideline_policies(repo)
    return found
