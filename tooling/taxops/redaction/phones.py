"""Phone-number validity, from libphonenumber's own metadata, as RE2 patterns
DuckDB evaluates column-wide.

Calling ``phonenumbers.is_valid_number`` once per value does not stream (a
Python call per row), so the per-region national-number patterns the library
validates with are read from its metadata once and handed to DuckDB: a number
written nationally is valid when its digits (with or without the region's
national prefix) fully match a region the policy lists (``phone_regions``); a
region's pattern is the library's general description of its numbers (the
union of the number types ``is_valid_number`` checks, summarised by the library
itself; a pattern per type would be thousands of characters, which RE2 runs as
an NFA, measured 100 times slower). A number
written with ``+`` (or dialled with an international prefix) needs a known
calling code and a possible length for it (``is_possible_number``): the patterns
of every region would make one regular expression too large to evaluate fast
(measured: 25 µs a value, against 2 µs). The tests hold the SQL to the
library's verdicts (``tests/policies/test_detectors.py``).
"""

from __future__ import annotations

from functools import cache

#: National numbers are at least this many digits, international ones at most 15
#: (E.164), plus an international prefix when dialled from a region (00, 011).
MIN_DIGITS = 7
MAX_DIGITS = 15
#: The number types libphonenumber's metadata describes per region.
NUMBER_TYPES = (
    "fixed_line", "mobile", "toll_free", "premium_rate", "shared_cost", "personal_number",
    "voip", "pager", "uan", "voicemail",
)  # fmt: skip


def _pattern(meta: object) -> str | None:
    """The union of a region's number-type patterns."""
    found = []
    for kind in NUMBER_TYPES:
        desc = getattr(meta, kind, None)
        pattern = getattr(desc, "national_number_pattern", None) if desc is not None else None
        if pattern:
            found.append(f"(?:{pattern})")
    return "|".join(dict.fromkeys(found)) or None


@cache
def national(region: str) -> tuple[str, str, str, str] | None:
    """``(national prefix pattern, country calling code, number pattern,
    international prefix pattern)`` of a
    region (ISO 3166 alpha-2), or None when libphonenumber does not know it.
    Like the library, a national number may start with the national prefix or
    with the region's own calling code written without ``+``, and may be a
    number of any region sharing that code (a Canadian number read as a US one)."""
    from phonenumbers import PhoneMetadata

    meta = PhoneMetadata.metadata_for_region(region)
    if meta is None:
        return None
    own = meta.general_desc.national_number_pattern if meta.general_desc else None
    # The region's general description (the library's summary of every number
    # type, a superset of them, short) when it covers its calling code's other
    # regions too; else the union of the code's number types.
    code = str(meta.country_code)
    pattern = own if own and _covers(own, code) else numbers_of_code(code)
    if pattern is None:
        return None
    prefix = meta.national_prefix_for_parsing or meta.national_prefix or ""
    return prefix, str(meta.country_code), pattern, meta.international_prefix or ""


def _covers(pattern: str, code: str) -> bool:
    """Whether ``pattern`` matches the example numbers of every region of ``code``."""
    import re

    from phonenumbers import COUNTRY_CODE_TO_REGION_CODE, example_number_for_type
    from phonenumbers import PhoneNumberType as T

    for region in COUNTRY_CODE_TO_REGION_CODE.get(int(code), ()):
        for kind in (T.FIXED_LINE, T.MOBILE, T.TOLL_FREE, T.PREMIUM_RATE, T.VOIP):
            number = example_number_for_type(region, kind)
            if number is not None and not re.fullmatch(pattern, str(number.national_number)):
                return False
    return True


@cache
def numbers_of_code(code: str) -> str | None:
    """The union of the number patterns of a calling code's regions."""
    from phonenumbers import COUNTRY_CODE_TO_REGION_CODE, PhoneMetadata

    found = []
    for region in COUNTRY_CODE_TO_REGION_CODE.get(int(code), ()):
        meta = PhoneMetadata.metadata_for_region_or_calling_code(int(code), region)
        pattern = _pattern(meta) if meta is not None else None
        if pattern:
            found.append(pattern)
    return "|".join(dict.fromkeys(found)) or None


@cache
def international() -> dict[str, str]:
    """Country calling code -> the pattern of its possible national numbers:
    digits in the lengths libphonenumber's metadata gives for the code's
    regions (its ``is_possible_number``). A number written with ``+`` and a
    calling code is a phone number in any text; the lengths are the check."""
    from phonenumbers import COUNTRY_CODE_TO_REGION_CODE, PhoneMetadata

    patterns: dict[str, str] = {}
    for code, regions in sorted(COUNTRY_CODE_TO_REGION_CODE.items()):
        lengths: set[int] = set()
        for region in regions:
            meta = PhoneMetadata.metadata_for_region_or_calling_code(code, region)
            if meta is not None and meta.general_desc is not None:
                lengths |= set(meta.general_desc.possible_length)
        if lengths:
            patterns[str(code)] = "|".join(_digits(low, high) for low, high in _runs(lengths))
    return patterns


def _runs(lengths: set[int]) -> list[tuple[int, int]]:
    """Consecutive lengths as ranges: {5, 6, 7, 9} -> [(5, 7), (9, 9)]."""
    runs: list[tuple[int, int]] = []
    for n in sorted(lengths):
        if runs and runs[-1][1] == n - 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs


def _digits(low: int, high: int) -> str:
    """Between ``low`` and ``high`` digits: one repetition, not an alternative
    per length (a smaller program for RE2)."""
    return f"[0-9]{{{low}}}" if low == high else f"[0-9]{{{low},{high}}}"
