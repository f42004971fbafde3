"""The redaction SQL held to the libraries' verdicts: the Luhn and IBAN tests
DuckDB runs agree with python-stdnum, and the phone test never misses a number
libphonenumber calls valid (its own example numbers of every type, national and
international, and random digit strings)."""

from __future__ import annotations

import dataclasses
import itertools
import random
from typing import Any

import duckdb
import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import iban, luhn, numdb
from taxops.escaping import sql_literal
from taxops.models.privacy import Privacy
from taxops.redaction.detectors import Detector, detectors
from taxops.redaction.sql import matches_sql

REGIONS = ["US", "GB", "DE", "FR", "NL"]
POLICY = Privacy.model_validate(
    {
        "taxops": "privacy/1",
        "phone_regions": REGIONS,
        "classes": [{"id": "x", "description": "x", "redaction": [], "retention_days": 1}],
    }
)
DETECTORS = detectors(POLICY)


def found(detector: Detector, texts: list[str]) -> list[list[str]]:
    """What the detector's SQL finds in each text (one query for all)."""
    sql = f"SELECT {matches_sql(detector, 't')} FROM (SELECT unnest($texts::VARCHAR[]) AS t)"
    with duckdb.connect() as con:
        return [row[0] or [] for row in con.execute(sql, {"texts": texts}).fetchall()]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.text("0123456789", min_size=12, max_size=19), min_size=1, max_size=40))
def test_card_numbers_are_those_stdnum_luhn_accepts(stems: list[str]) -> None:
    numbers = [s + luhn.calc_check_digit(s) if i % 2 else s for i, s in enumerate(stems)]
    numbers = [n for n in numbers if 13 <= len(n) <= 19]
    spaced = [" ".join(n[i : i + 4] for i in range(0, len(n), 4)) for n in numbers]
    for text, hits in zip(
        spaced, found(DETECTORS["payment_card"], [f"card {t}." for t in spaced]), strict=True
    ):
        assert bool(hits) == luhn.is_valid(text.replace(" ", "")), text


def _ibans(n: int, rng: random.Random, entries: list[Any] | None = None) -> list[str]:
    """``n`` IBANs with valid ISO check digits, in the formats of ``entries``
    (python-stdnum's registry; default: every country)."""
    kinds = {
        "n": "0123456789",
        "a": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "c": "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    }
    out = []
    entries = entries or [e for e in numdb.get("iban").prefixes if "bban" in e[3]]
    import re

    for _ in range(n):
        _, country, _, props, _ = rng.choice(entries)
        bban = "".join(
            "".join(rng.choice(kinds[kind]) for _ in range(int(count)))
            for count, _, kind in re.findall(r"(\d+)(!?)([nace])", props["bban"])
        )
        out.append(country + iban.calc_check_digits(country + "00" + bban) + bban)
    return out


def test_no_iban_stdnum_accepts_is_missed_and_a_wrong_character_is_caught() -> None:
    """Country formats and mod 97 are checked in SQL; a few countries' own national
    check digits (Norway, Belgium, ...) are not, so a number failing only those is
    masked too: over-masking, never a miss."""
    rng = random.Random(7)
    generated = _ibans(300, rng)
    broken = [v[:-1] + ("0" if v[-1] != "0" else "1") for v in generated]  # one character changed
    texts = [f"IBAN {v} thanks" for v in generated + broken]
    hits = found(DETECTORS["iban"], texts)
    for number, hit in zip(generated, hits[: len(generated)], strict=True):
        assert hit or not iban.is_valid(number), f"missed {number}"
        assert hit, f"{number} passes mod 97 and its country format"
    for number, hit in zip(broken, hits[len(generated) :], strict=True):
        assert not hit, f"{number} fails mod 97"


PHONE_TYPES = [
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.TOLL_FREE,
]


@pytest.mark.parametrize("region", [*REGIONS, "IN", "BR", "JP", "AU", "ZA", "ES"])
def test_libphonenumbers_own_example_numbers_are_found(region: str) -> None:
    examples = [
        n for t in PHONE_TYPES if (n := phonenumbers.example_number_for_type(region, t)) is not None
    ]
    texts = [
        f"call {phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.INTERNATIONAL)} now"
        for n in examples
    ]
    if region in REGIONS:  # written nationally, only the policy's regions are recognised
        texts += [
            f"call {phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.NATIONAL)} now"
            for n in examples
        ]
    assert examples
    for text, hits in zip(texts, found(DETECTORS["phone"], texts), strict=True):
        assert hits, f"missed {text!r}"


def test_no_phone_number_libphonenumber_calls_valid_is_missed() -> None:
    rng = random.Random(11)
    digits = [
        "".join(rng.choice("0123456789") for _ in range(rng.randint(7, 12))) for _ in range(3000)
    ]
    valid = [d for d in digits if any(_valid(d, r) for r in REGIONS)]
    assert len(valid) > 100
    for d, hits in zip(
        valid, found(DETECTORS["phone"], [f"tel {d} ok" for d in valid]), strict=True
    ):
        assert hits, f"missed {d}"


def _valid(number: str, region: str) -> bool:
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(number, region))
    except phonenumbers.NumberParseException:
        return False


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "write to jane.doe+tickets@mail.example.co.uk today",
            ["jane.doe+tickets@mail.example.co.uk"],
        ),
        ("a@b", []),
        ("first..last@example.com", ["last@example.com"]),
        ("no email here @ all", []),
    ],
)
def test_email_addresses(text: str, expected: list[str]) -> None:
    assert found(DETECTORS["email"], [text]) == [expected]


@pytest.mark.parametrize(
    ("detector", "text", "expected"),
    [
        # Valid and invalid candidates side by side: each valid one comes back
        # as written (separators kept), in order, the invalid ones left out.
        (
            "phone",
            "call 020 7946 0123 or 000 0000 or +1 415-555-0123, not 2025-01-01; (020) 7946 0999",
            ["020 7946 0123", "+1 415-555-0123", "(020) 7946 0999"],
        ),
        ("phone", "0000000 then 020 7946 0123", ["020 7946 0123"]),
        ("phone", "020 7946 0123, 020 7946 0123", ["020 7946 0123", "020 7946 0123"]),
        (
            "iban",
            "to GB82 WEST 1234 5698 7654 32, not GB82 WEST 1234 5698 7654 33; DE89370400440532013000",
            ["GB82 WEST 1234 5698 7654 32", "DE89370400440532013000"],
        ),
    ],
)
def test_several_candidates_in_one_value(detector: str, text: str, expected: list[str]) -> None:
    assert found(DETECTORS[detector], [text]) == [expected]


def test_dates_and_order_numbers_are_not_phone_numbers() -> None:
    texts = ["on 2025-01-01", "on 01/02/2025", "order NW-654999", "ticket T-25000"]
    assert found(DETECTORS["phone"], texts) == [[], [], [], []]


# --- prefilters: every value the detector finds something in passes its screen --------


def _unscreened_hits_outside_screen(detector: Detector, texts: list[str]) -> list[str]:
    """Texts in which the detector, asked without its prefilter, finds a
    candidate that survives ``exclude`` (what the prefilter must let through;
    validity only narrows it further) but which the prefilter would skip."""
    loose = dataclasses.replace(detector, valid=None, pattern=None)
    sql = (
        f"SELECT t FROM (SELECT unnest($texts::VARCHAR[]) AS t) WHERE "
        f"len({matches_sql(loose, 't', screened=False)}) > 0 "
        f"AND NOT regexp_matches(t, {sql_literal(detector.screen)})"
    )
    with duckdb.connect() as con:
        return [row[0] for row in con.execute(sql, {"texts": texts}).fetchall()]


#: Characters candidates are made of, and a few that end them.
_NEAR = "0123456789 .-/+()@_AZDEGBxyz,;"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(_NEAR, min_size=1, max_size=40), min_size=50, max_size=50))
def test_prefilters_let_through_every_text_with_a_candidate(texts: list[str]) -> None:
    for detector in DETECTORS.values():
        assert _unscreened_hits_outside_screen(detector, texts) == [], detector.id


def _phone_shapes() -> list[str]:
    """Every digit-group shape a phone candidate of up to four groups can take
    (groups of 1 to 8 digits, joined by a space, ``.`` or ``-``), with and
    without a leading ``+`` or area code: the cases the phone prefilter's
    reasoning (dates aside) walks through."""
    shapes = []
    for k in range(1, 5):
        for lengths in itertools.product(range(1, 9), repeat=k):
            if not 7 <= sum(lengths) <= 19:
                continue
            groups = ["".join(str((i + j) % 10) for j in range(n)) for i, n in enumerate(lengths)]
            for seps in itertools.product(" .-", repeat=k - 1):
                body = groups[0] + "".join(s + g for s, g in zip(seps, groups[1:], strict=True))
                shapes.append(body)
    extra = [f"+{s}" for s in shapes[::7]] + [f"(20) {s}" for s in shapes[::11]]
    return shapes + extra


def test_the_phone_prefilter_lets_through_every_candidate_that_is_not_a_date() -> None:
    texts = [f"call {s} now" for s in _phone_shapes()]
    assert len(texts) > 10_000
    assert _unscreened_hits_outside_screen(DETECTORS["phone"], texts) == []


def test_the_phone_prefilter_skips_dates_and_short_numbers() -> None:
    """What it is for: most values hold a date or an order number and no phone."""
    screen = sql_literal(DETECTORS["phone"].screen)
    texts = ["on 2025-01-31", "on 31.01.2025", "1-2-2025", "order NW-100000", "at 12:30"]
    with duckdb.connect() as con:
        hits = con.execute(
            f"SELECT list(regexp_matches(t, {screen})) FROM unnest($texts::VARCHAR[]) AS u(t)",
            {"texts": texts},
        ).fetchone()
    assert hits == ([False] * len(texts),)


@pytest.mark.parametrize("country", ["BE", "ES", "ME", "NO"])
def test_an_iban_failing_only_its_countrys_own_check_is_still_masked(country: str) -> None:
    """The decision the redaction page records: python-stdnum checks national
    check digits (and, for Belgium, a bank registry that ages) for these four
    countries only. A string with the country's format and a valid ISO 7064
    checksum is an account number to a reader even when a national check
    fails (a typo, a bank newer than the registry), so it is masked."""
    rng = random.Random(country)
    entries = [e for e in numdb.get("iban").prefixes if e[1] == country and "bban" in e[3]]
    while True:
        [number] = _ibans(1, rng, entries)
        if iban.is_valid(number, check_country=False) and not iban.is_valid(number):
            break
    assert found(DETECTORS["iban"], [f"pay to {number} please"]) == [[number]]
