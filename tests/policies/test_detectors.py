"""The redaction SQL held to the libraries' verdicts: the Luhn and IBAN tests
DuckDB runs agree with python-stdnum, and the phone test never misses a number
libphonenumber calls valid (its own example numbers of every type, national and
international, and random digit strings)."""

from __future__ import annotations

import random

import duckdb
import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import iban, luhn, numdb
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
        return [row[0] for row in con.execute(sql, {"texts": texts}).fetchall()]


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


def _ibans(n: int, rng: random.Random) -> list[str]:
    kinds = {
        "n": "0123456789",
        "a": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "c": "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    }
    out = []
    entries = [e for e in numdb.get("iban").prefixes if "bban" in e[3]]
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


def test_dates_and_order_numbers_are_not_phone_numbers() -> None:
    texts = ["on 2025-01-01", "on 01/02/2025", "order NW-654999", "ticket T-25000"]
    assert found(DETECTORS["phone"], texts) == [[], [], [], []]
