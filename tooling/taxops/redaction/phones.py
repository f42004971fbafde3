"""Phone-number validity, from libphonenumber's own metadata, as RE2 patterns
DuckDB evaluates column-wide.

Calling ``phonenumbers.is_valid_number`` once per value does not stream (a
Python call per row), so the per-region national-number patterns the library
validates with are read from its metadata once and handed to DuckDB: a number
written nationally is valid when its digits (with or without the region's
national prefix) fully match a region the policy lists (``phone_regions``); a
number written with ``+`` when the digits after a country calling code fully
match a region of that code. A region's pattern is the union of the number
types the library checks (fixed line, mobile, toll free, ...), which is what
``is_valid_number`` tests before it looks at the type; the tests hold the SQL to
the library's verdicts (``tests/policies/test_detectors.py``).
"""

from __future__ import annotations

from functools import cache

#: National numbers are at least this many digits, international ones at most 15 (E.164).
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
def national(region: str) -> tuple[str, str] | None:
    """``(national prefix pattern, number pattern)`` of a region (ISO 3166 alpha-2),
    or None when libphonenumber does not know it."""
    from phonenumbers import PhoneMetadata

    meta = PhoneMetadata.metadata_for_region(region)
    pattern = _pattern(meta) if meta is not None else None
    if meta is None or pattern is None:
        return None
    prefix = meta.national_prefix_for_parsing or meta.national_prefix or ""
    return prefix, pattern


@cache
def international() -> dict[str, str]:
    """Country calling code -> the union of its regions' number patterns."""
    from phonenumbers import COUNTRY_CODE_TO_REGION_CODE, PhoneMetadata

    patterns: dict[str, str] = {}
    for code, regions in sorted(COUNTRY_CODE_TO_REGION_CODE.items()):
        found = []
        for region in regions:
            meta = PhoneMetadata.metadata_for_region_or_calling_code(code, region)
            pattern = _pattern(meta) if meta is not None else None
            if pattern:
                found.append(pattern)
        if found:
            patterns[str(code)] = "|".join(dict.fromkeys(found))
    return patterns
