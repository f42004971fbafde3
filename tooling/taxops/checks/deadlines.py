"""Dated obligations: contracts and certifications that end, datasets kept past
their retention. What "today" is and how early to warn is a :class:`Deadlines`,
passed down from the command line (``--warn-within DAYS``), so a check run is
reproducible and a team chooses its own notice."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field

from taxops.diagnostics import Diagnostic, Location, Severity
from taxops.governed import Governed
from taxops.models.vendor import Vendor

#: Days before a contract, certification or retention ends that a warning starts.
DEFAULT_WARN_DAYS = 60


@dataclass(frozen=True)
class Deadlines:
    """The day checks are run for, and how many days ahead an ending warns."""

    today: datetime.date = field(default_factory=datetime.date.today)
    warn_days: int = DEFAULT_WARN_DAYS

    def state(self, ends: datetime.date, notice_days: int = 0) -> str | None:
        """``ended``, ``ending`` (within the warning window, widened to the
        notice period) or None."""
        if ends < self.today:
            return "ended"
        if (ends - self.today).days <= max(self.warn_days, notice_days):
            return "ending"
        return None


def _when(ends: datetime.date, deadlines: Deadlines) -> str:
    days = (ends - deadlines.today).days
    if days == 0:
        return "today"
    return f"in {days} day{'s' if days != 1 else ''}"


def vendor_deadlines(vendor: Governed[Vendor], deadlines: Deadlines) -> Iterator[Diagnostic]:
    """A contract or certification that ended is an error; one ending within the
    window (or the contract's notice period) a warning."""
    v = vendor.model
    contract = v.contract
    if contract is not None and contract.end is not None:
        state = deadlines.state(contract.end, contract.notice_days or 0)
        where = vendor.doc.locate(("contract", "end"))
        if state == "ended":
            yield Diagnostic(
                "contract-ended",
                Severity.ERROR,
                f"the contract with vendor '{v.id}' ended on {contract.end}",
                where,
                "record the renewal's new 'end:', or take the vendor off its datasets and SLAs",
                data={"vendor": v.id, "ends": str(contract.end)},
            )
        elif state == "ending":
            notice = (
                f"; {contract.notice_days} days' notice are needed to renew or end it"
                if contract.notice_days
                else ""
            )
            yield Diagnostic(
                "contract-ending",
                Severity.WARNING,
                f"the contract with vendor '{v.id}' ends on {contract.end} "
                f"({_when(contract.end, deadlines)}){notice}",
                where,
                "renew it (and update 'end:') or plan the hand-over",
                data={"vendor": v.id, "ends": str(contract.end)},
            )
    for i, cert in enumerate(v.certifications):
        state = deadlines.state(cert.expires)
        where = vendor.doc.locate(("certifications", i, "expires"))
        if state == "ended":
            yield Diagnostic(
                "certification-expired",
                Severity.ERROR,
                f"the {cert.name} certification of vendor '{v.id}' expired on {cert.expires}",
                where,
                "record the renewed certificate's expiry date, or stop sending it data that "
                "requires the certification",
                data={"vendor": v.id, "certification": cert.name, "expires": str(cert.expires)},
            )
        elif state == "ending":
            yield Diagnostic(
                "certification-expiring",
                Severity.WARNING,
                f"the {cert.name} certification of vendor '{v.id}' expires on {cert.expires} "
                f"({_when(cert.expires, deadlines)})",
                where,
                "ask the vendor for the renewed certificate",
                data={"vendor": v.id, "certification": cert.name, "expires": str(cert.expires)},
            )


def retention_end(created: datetime.date, days: int) -> datetime.date:
    """The last day a dataset created on ``created`` may be kept."""
    return created + datetime.timedelta(days=days)


def retention_finding(
    dataset_id: str,
    created: datetime.date,
    class_id: str,
    days: int,
    where: Location,
    policy_place: Location,
    deadlines: Deadlines,
) -> Diagnostic | None:
    """An error for a dataset past its class's retention, naming the date it
    expired; a warning when it expires within the window."""
    ends = retention_end(created, days)
    state = deadlines.state(ends)
    data: dict[str, object] = {"dataset": dataset_id, "data_class": class_id, "expires": str(ends)}
    if state == "ended":
        return Diagnostic(
            "retention-expired",
            Severity.ERROR,
            f"dataset '{dataset_id}' (created {created}) is past its retention: '{class_id}' "
            f"data is kept {days:,} days, so it expired on {ends}",
            where,
            "delete or anonymise the data and remove it from the registry, or record the "
            "legal basis for keeping it in the privacy policy",
            related=policy_place,
            data=data,
        )
    if state == "ending":
        return Diagnostic(
            "retention-ending",
            Severity.WARNING,
            f"dataset '{dataset_id}' reaches the end of its '{class_id}' retention on {ends} "
            f"({_when(ends, deadlines)})",
            where,
            "plan its deletion or anonymisation",
            related=policy_place,
            data=data,
        )
    return None
