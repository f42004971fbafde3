"""What each detector finds, as SQL that DuckDB runs column-wide: a candidate
pattern (RE2; group 1 is the match) and a validity test of one candidate.

Candidates are cheap and generous; validity is where the well-kept libraries'
knowledge comes in, moved into SQL so that nothing is called once per row:

* ``payment_card``: 13 to 19 digits (spaces or hyphens between) passing the
  Luhn checksum, the test python-stdnum's ``luhn`` applies;
* ``iban``: a country code, two check digits and a BBAN whose structure is the
  one python-stdnum's IBAN registry gives for that country, passing ISO 7064
  mod 97-10;
* ``phone``: digits that libphonenumber's metadata calls a number of a listed
  region, or a possible number of the country code after ``+``
  (:mod:`taxops.redaction.phones`),
  unless it is written as a date (``2025-01-01``, ``01/02/2025``: libphonenumber
  reads some dates as German numbers);
* ``email``: an address in dot-atom form (RFC 5322) with a domain of labels and
  a letter TLD: a pattern is the test;
* a policy's own detectors: their pattern is the test.

``tests/policies/test_detectors.py`` holds the SQL tests to the libraries'
verdicts on generated numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from taxops.escaping import sql_literal
from taxops.models.privacy import BuiltinDetector, Privacy
from taxops.redaction import phones

#: Not a letter or digit: what may stand before a number for it to be one.
_EDGE = r"(?:^|[^0-9A-Za-z_])"
EMAIL = (
    r"([A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24})\b"
)
PAYMENT_CARD = _EDGE + r"([0-9](?:[ -]?[0-9]){12,18})\b"
IBAN = _EDGE + r"([A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){11,30})\b"
#: At least 7 digits (the shortest national number), separated by single spaces,
#: dots or hyphens, after an optional +CC and area code in parentheses.
PHONE = (
    r"(?:^|[^0-9A-Za-z_+])((?:\+[0-9]{1,3}[ .-]?)?(?:\([0-9]{1,5}\)[ .-]?)?"
    r"[0-9](?:[ .-]?[0-9]){6,18})\b"
)

#: A date: a phone candidate of this shape is not a phone number.
DATE = r"[0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}|[0-9]{1,2}[-/.][0-9]{1,2}[-/.][0-9]{2,4}"


@dataclass(frozen=True)
class Detector:
    """One detector as SQL: ``candidates`` is a pattern whose group 1 is a match;
    ``normal`` is SQL over the lambda variable ``c`` (the candidate), computed
    once per candidate; ``valid`` a SQL predicate over ``m.c`` (the candidate)
    and ``m.d`` (its normal form). None: every candidate is a match."""

    id: str
    candidates: str
    valid: str | None = None
    normal: str = "c"
    #: Candidates of this shape are never matches, tested first (cheap) on ``c``.
    exclude: str | None = None


#: A candidate's digits.
DIGITS = "regexp_replace(c, '[^0-9]', '', 'g')"


def _luhn(d: str) -> str:
    """Luhn over the digit string ``d``: every second digit from the right doubled."""
    digit = f"CAST(substr({d}, length({d}) - i, 1) AS INTEGER)"
    doubled = f"(CASE WHEN {digit} * 2 > 9 THEN {digit} * 2 - 9 ELSE {digit} * 2 END)"
    terms = f"list_transform(range(length({d})), lambda i: CASE WHEN i % 2 = 1 THEN {doubled} ELSE {digit} END)"
    return f"(list_sum({terms}) % 10 = 0)"


def _card_valid() -> str:
    return f"(length(m.d) BETWEEN 13 AND 19 AND {_luhn('m.d')})"


def _bban_pattern(structure: str) -> str:
    """python-stdnum's BBAN structure (``8!n10!n``: 8 digits then 10 digits; no
    ``!``: up to) as a pattern."""
    kinds = {"n": "[0-9]", "a": "[A-Z]", "c": "[A-Z0-9]", "e": " "}
    parts = []
    for count, fixed, kind in re.findall(r"(\d+)(!?)([nace])", structure):
        parts.append(f"{kinds[kind]}{{{count}}}" if fixed else f"{kinds[kind]}{{1,{count}}}")
    return "".join(parts)


@cache
def _iban_valid() -> str:
    from stdnum import numdb

    entries = [
        f"{sql_literal(low)}: {sql_literal(_bban_pattern(props['bban']))}"
        for _, low, high, props, _children in numdb.get("iban").prefixes
        if low == high and "bban" in props
    ]
    s = "m.d"
    rotated = f"(substr({s}, 5) || substr({s}, 1, 4))"
    mod97 = (
        f"list_reduce(regexp_extract_all({rotated}, '.'), lambda acc, ch: CASE WHEN ch BETWEEN '0' AND '9' "
        "THEN (acc * 10 + ascii(ch) - 48) % 97 ELSE (acc * 100 + ascii(ch) - 55) % 97 END, 0)"
    )
    bban = f"MAP {{{', '.join(entries)}}}[substr({s}, 1, 2)]"
    return f"(coalesce(regexp_full_match(substr({s}, 5), {bban}), false) AND {mod97} = 1)"


@cache
def _international() -> str:
    """A calling code and a possible number of it, as one pattern (a lookup of
    a pattern per row would compile one per row)."""
    by_lengths: dict[str, list[str]] = {}
    for code, lengths in phones.international().items():
        by_lengths.setdefault(lengths, []).append(code)
    return "|".join(f"(?:{'|'.join(codes)})(?:{lengths})" for lengths, codes in by_lengths.items())


@cache
def _phone_valid(regions: tuple[str, ...]) -> str:
    d = "m.d"
    national: list[str] = []
    dialled: list[str] = []
    for region in regions:
        known = phones.national(region)
        if known is None:
            continue
        prefix, code, pattern, idd = known
        # As libphonenumber reads a national number: a national prefix, the
        # region's calling code, or both may lead.
        leads = f"(?:(?:{prefix})|{code}|{code}(?:{prefix}))?" if prefix else f"(?:{code})?"
        national.append(f"{leads}(?:{pattern})")
        if idd:
            dialled.append(idd)
    international = sql_literal(_international())
    tests = [f"regexp_full_match({d}, {sql_literal('|'.join(national) or '$^')})"]
    if dialled:
        # Dialled abroad from a listed region (00 44 ..., 011 44 ...): the
        # international prefix, then any calling code.
        idd = sql_literal("^(?:" + "|".join(dict.fromkeys(dialled)) + ")")
        tests.append(
            f"(regexp_matches({d}, {idd}) AND "
            f"regexp_full_match(regexp_replace({d}, {idd}, ''), {international}))"
        )
    return (
        f"(length({d}) BETWEEN {phones.MIN_DIGITS} AND {phones.MAX_DIGITS + 4} AND "
        f"CASE WHEN starts_with(m.c, '+') THEN regexp_full_match({d}, {international}) "
        f"ELSE ({' OR '.join(tests)}) END)"
    )


def detectors(policy: Privacy) -> dict[str, Detector]:
    """Every detector the policy can name, by id."""
    found = {
        BuiltinDetector.EMAIL.value: Detector("email", EMAIL),
        BuiltinDetector.PAYMENT_CARD.value: Detector(
            "payment_card", PAYMENT_CARD, _card_valid(), DIGITS
        ),
        BuiltinDetector.IBAN.value: Detector("iban", IBAN, _iban_valid(), "replace(c, ' ', '')"),
        BuiltinDetector.PHONE.value: Detector(
            "phone", PHONE, _phone_valid(tuple(policy.phone_regions)), DIGITS, DATE
        ),
    }
    for custom in policy.detectors:
        found[custom.id] = Detector(custom.id, f"({custom.pattern})")
    return found


#: Rules run from the most specific detector to the least, so a card number is
#: masked whole before the phone detector could take part of it.
_ORDER = {"email": 0, "iban": 1, "payment_card": 2, "phone": 4}


def specificity(detector_id: str) -> int:
    return _ORDER.get(detector_id, 3)
