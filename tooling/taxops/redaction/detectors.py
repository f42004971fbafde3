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

Each detector also has a prefilter: a pattern every value holding a match
contains, tested first because most values hold nothing (see the prefilters
below, and :mod:`taxops.redaction.sql` for how they are applied).

``tests/policies/test_detectors.py`` holds the SQL tests to the libraries'
verdicts on generated numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

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

# Prefilters: a pattern that matches somewhere in every text in which the
# detector can find anything, tested first on the whole value (RE2 answers a
# yes/no question with its DFA, several times faster than extracting groups), so
# only values that may hold a match pay for extraction and validation. Each must
# be a superset: ``tests/policies/test_detectors.py`` holds them to the
# detectors on generated texts.
EMAIL_PREFILTER = "@"
PAYMENT_CARD_PREFILTER = r"[0-9](?:[ -]?[0-9]){12}"
IBAN_PREFILTER = r"[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){11}"
#: A phone candidate that is not a date. Dates are in most texts and have the
#: shape of a candidate (8 digits), so the candidate pattern itself would let
#: nearly every value through. A candidate is digit groups joined by single
#: separators; one that is not a date (:data:`DATE`, which only joins with ``-``,
#: ``.`` or ``/``, and a ``/`` ends a candidate) has, somewhere: a ``+`` or ``(``
#: before a digit; a space between digits; 7 digits in a row; a group of 5 or 6
#: joined to another; two groups of 3 or more (3+3 to 4+4 digits); four groups
#: or more; or three groups (each of at most 4 digits, 7 or 8 in all) that no
#: date has: a middle group of 3 or 4, a first group of 3, or 4 then 1-2 then 3+
#: (1-2, 1-2, 3-4 reads as a date and is excluded as one).
PHONE_PREFILTER = "|".join(
    (
        r"[+(][0-9]",
        r"[0-9] [0-9]",
        r"[0-9]{7}",
        r"[0-9]{5}[.-][0-9]|[0-9][.-][0-9]{5}",
        r"[0-9]{3}[.-][0-9]{3}",
        r"[0-9][.-][0-9]+[.-][0-9]+[.-][0-9]",
        r"[0-9][.-][0-9]{3,4}[.-][0-9]",
        r"(?:^|[^0-9])[0-9]{3}[.-][0-9]{1,2}[.-][0-9]",
        r"[0-9]{4}[.-][0-9]{1,2}[.-][0-9]{3}",
    )
)


@dataclass(frozen=True)
class Detector:
    """One detector as SQL: ``candidates`` is a pattern whose group 1 is a match;
    ``normal`` is SQL over the lambda variable ``c`` (the candidate), computed
    once per candidate; a match is a candidate that passes ``valid`` (a SQL
    predicate over ``m.c``, the candidate, and ``m.d``, its normal form) and
    whose normal form matches ``pattern`` whole. Neither: every candidate is
    a match."""

    id: str
    candidates: str
    valid: str | None = None
    normal: str = "c"
    #: Candidates of this shape are never matches, tested first (cheap) on ``c``.
    exclude: str | None = None
    #: A pattern found in every value that holds a match (tested on the value
    #: before anything else); None: the candidate pattern is the test.
    prefilter: str | None = None
    #: An RE2 pattern the normal form must match whole. Kept apart from
    #: ``valid`` because DuckDB compiles a pattern inside a lambda once per
    #: chunk of 2,048 values: libphonenumber's patterns take about a
    #: millisecond to compile, more than testing every value of the chunk.
    #: Candidates and normal forms of such a detector never hold ``,`` or ``;``
    #: (:func:`taxops.redaction.sql.matches_sql` joins them with those).
    pattern: str | None = None

    @property
    def screen(self) -> str:
        """The pattern a value must contain for the detector to look further."""
        return self.prefilter or self.candidates


#: A candidate's digits.
DIGITS = "regexp_replace(c, '[^0-9]', '', 'g')"


def _luhn(d: str) -> str:
    """Luhn over the digit string ``d``: from the right, every second digit
    doubled (its digits summed: 2x - 9 from 5 up). One lambda over the
    characters with their (1-based) index; measured twice as fast as one
    over positions that cuts each digit out with ``substr``."""
    x = "(ascii(ch) - 48)"
    term = f"CASE WHEN i % 2 = 1 THEN {x} WHEN ch >= '5' THEN 2 * {x} - 9 ELSE 2 * {x} END"
    return (
        f"(list_sum(list_transform(string_split(reverse({d}), ''), lambda ch, i: {term})) % 10 = 0)"
    )


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


def _iban_valid() -> str:
    """ISO 7064 mod 97-10 over the rearranged IBAN (letters as two digits)."""
    rotated = "(substr(m.d, 5) || substr(m.d, 1, 4))"
    mod97 = (
        f"list_reduce(regexp_extract_all({rotated}, '.'), lambda acc, ch: CASE WHEN ch BETWEEN '0' AND '9' "
        "THEN (acc * 10 + ascii(ch) - 48) % 97 ELSE (acc * 100 + ascii(ch) - 55) % 97 END, 0)"
    )
    return f"({mod97} = 1)"


@cache
def _iban_pattern() -> str:
    """Each country's code, two check digits and its BBAN structure, as one
    pattern."""
    from stdnum import numdb

    return "|".join(
        f"{low}[0-9]{{2}}{_bban_pattern(props['bban'])}"
        for _, low, high, props, _children in numdb.get("iban").prefixes
        if low == high and "bban" in props
    )


@cache
def _international() -> str:
    """A calling code and a possible number of it, as one pattern (a lookup of
    a pattern per row would compile one per row)."""
    by_lengths: dict[str, list[str]] = {}
    for code, lengths in phones.international().items():
        by_lengths.setdefault(lengths, []).append(code)
    return "|".join(f"(?:{'|'.join(codes)})(?:{lengths})" for lengths, codes in by_lengths.items())


#: A phone candidate's digits, after ``+`` when it is written with one.
PHONE_NORMAL = f"(CASE WHEN starts_with(c, '+') THEN '+' ELSE '' END || {DIGITS})"
#: How many digits a phone number has.
PHONE_LENGTH = (
    f"(length(replace(m.d, '+', '')) BETWEEN {phones.MIN_DIGITS} AND {phones.MAX_DIGITS + 4})"
)


@cache
def _phone_pattern(regions: tuple[str, ...]) -> str:
    """What a phone number's normal form (:data:`PHONE_NORMAL`) is: ``+`` and a
    possible number of a calling code; or a number of a listed region, written
    nationally; or dialled abroad from a listed region (00 44 ..., 011 44 ...):
    its international prefix, then any calling code's possible number."""
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
    # The international part once, after either lead: RE2's program (and the
    # time it takes) grows with the pattern.
    leads = "|".join(["\\+", *dict.fromkeys(dialled)])
    return "|".join(f"(?:{p})" for p in [f"(?:{leads})(?:{_international()})", *national])


def detectors(policy: Privacy) -> dict[str, Detector]:
    """Every detector the policy can name, by id."""
    found = {
        BuiltinDetector.EMAIL.value: Detector("email", EMAIL, prefilter=EMAIL_PREFILTER),
        BuiltinDetector.PAYMENT_CARD.value: Detector(
            "payment_card", PAYMENT_CARD, _card_valid(), DIGITS, prefilter=PAYMENT_CARD_PREFILTER
        ),
        BuiltinDetector.IBAN.value: Detector(
            "iban",
            IBAN,
            _iban_valid(),
            "replace(c, ' ', '')",
            prefilter=IBAN_PREFILTER,
            pattern=_iban_pattern(),
        ),
        BuiltinDetector.PHONE.value: Detector(
            "phone",
            PHONE,
            PHONE_LENGTH,
            PHONE_NORMAL,
            DATE,
            prefilter=PHONE_PREFILTER,
            pattern=_phone_pattern(tuple(policy.phone_regions)),
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
