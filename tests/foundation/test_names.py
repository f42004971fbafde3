"""Names a labeler would take for each other, and the characters a name or an
id may not hold, as tables; plus the properties the fast paths rely on."""

from __future__ import annotations

import sys
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from taxops.models.characters import forbidden_character
from taxops.names import full_sibling_key, normalise_name, sibling_key, sibling_keys
from taxops.names.characters import scan

SAME = [
    ("Car", "Cаr"),  # Cyrillic a
    ("Car", "C\u200bar"),  # zero-width space
    ("Car", "Car\ufeff"),  # byte-order mark
    ("Car", "\u2060Car"),  # word joiner
    ("Car", "Ｃａｒ"),  # fullwidth
    ("Car", "𝐂𝐚𝐫"),  # mathematical bold
    ("Car", "CAR"),
    ("Coach", "Cοach"),  # Greek omicron
    ("Pizza", "Ρizza"),  # Greek capital rho
    ("Lane 1", "Lane l"),  # digit one and small L
    ("Iced-Tea", "iced tea"),
    ("Café", "Cafe\u0301"),  # precomposed and combining accent
    ("Straße", "STRASSE"),
    ("Ⅷ", "VIII"),  # roman numeral
    ("scooter", "ѕсооtеr"),  # Cyrillic dze, es, o, o, ie
]
DIFFERENT = [
    ("Car", "Cart"),
    ("Café", "Cafe"),  # an accent is not a look-alike
    ("Truck light", "Truck heavy"),
    ("Vehicle", "Véhicule"),
    ("猫", "犬"),
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_look_alike_names_share_a_key(a: str, b: str) -> None:
    assert sibling_key(a) == sibling_key(b)


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_names_keep_different_keys(a: str, b: str) -> None:
    assert sibling_key(a) != sibling_key(b)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=30))
def test_the_ascii_shortcut_is_the_definition(text: str) -> None:
    assert sibling_key(text) == full_sibling_key(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=20))
def test_keys_are_stable_and_fold_what_normalising_folds(text: str) -> None:
    # Two names the old normalisation called equal stay equal under the skeleton.
    assert sibling_key(normalise_name(text)) == sibling_key(text)


# --- characters a name or an id may not hold -----------------------------------

REFUSED_IN_NAMES = [
    "Dog \u202egnp.exe",  # right-to-left override
    "a\u202bb",  # right-to-left embedding
    "a\u2067b\u2069",  # right-to-left isolate
    "Kitty\u200b",  # zero-width space
    "\ufeffbird",  # byte-order mark
    "red\U000e0041",  # tag character
    "x\n::error::forged",
    "x\r",
    "x\x1b[31m",
    "x\x7f",
    "x\x85",  # next line (C1)
    "line\u2028break",
    "Hangul\u3164filler",
    "smuggled\U000e0101",  # variation selector supplement
    "C\u200dar",  # a joiner between Latin letters
    "x\u00ad",  # soft hyphen
    "\ud800",  # lone surrogate
]
ALLOWED_IN_NAMES = [
    "همستر\u200cها",  # Persian zero-width non-joiner between letters
    "क्\u200dष",  # Devanagari joiner after a virama
    "👨\u200d👩\u200d👧",  # emoji sequence
    "❤\ufe0f",  # emoji presentation selector
    "Café",
    "Size < 10 cm",
    "Jane Doe <jane@example.org>",
    "R&D",
    "weiß_schwarz",
    "日本語",
]


@pytest.mark.parametrize("value", REFUSED_IN_NAMES)
def test_refused_in_names(value: str) -> None:
    assert [p.kind for p in scan(["ok", value, "fine"])] == ["refused-character"]
    assert next(iter(scan([value]))).index == 0


@pytest.mark.parametrize("value", ALLOWED_IN_NAMES)
def test_allowed_in_names(value: str) -> None:
    assert list(scan([value])) == []


@pytest.mark.parametrize("value", ["a\u200cb", "همستر\u200cها", "x\ufe0f", "C\u200bar", "x\u202e"])
def test_ids_never_hold_a_joiner_selector_or_bidi_control(value: str) -> None:
    assert forbidden_character(value) is not None


@pytest.mark.parametrize(
    ("value", "found"),
    [
        ("Charged <img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>"),
        ("</title><script>alert(1)</script>", "</title>"),
        ("<svg/onload=alert(1)>", "<svg/onload=alert(1)>"),
        ("Refund <!-- x -->", "<!"),
        ("AT&amp;T", "&amp;"),
        ("&#60;b&#x3e;", "&#60;"),
    ],
)
def test_markup_in_names(value: str, found: str) -> None:
    problems = list(scan([value]))
    assert [(p.kind, p.text) for p in problems] == [("markup", found)]


@pytest.mark.parametrize("value", ["", " ", "\t", "\u3000", "\u00a0 "])
def test_blank_names(value: str) -> None:
    kinds = [p.kind for p in scan(["Dog", value])]
    assert kinds in (["blank"], ["refused-character"])  # a tab is refused first


def test_every_format_character_is_refused() -> None:
    """The refused set names the format characters by hand (a regex class must be
    fast); it must hold every one the interpreter's Unicode database knows."""
    missing = [
        f"U+{c:04X}"
        for c in range(sys.maxunicode + 1)
        if unicodedata.category(chr(c)) == "Cf" and not list(scan([chr(c)]))
    ]
    assert missing == []


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=12), max_size=8))
def test_one_pass_over_all_values_finds_what_each_value_has(values: list[str]) -> None:
    together = sorted((p.index, p.kind) for p in scan(values))
    alone = sorted((i, p.kind) for i, v in enumerate(values) for p in scan([v]))
    assert together == alone


_NAMES = st.lists(
    st.one_of(
        st.text(max_size=12),
        st.text(alphabet=st.characters(max_codepoint=127), max_size=12),
        st.sampled_from(["Car", "Cаr", " iced--tea ", "A\u200bB", " ", "\x1c\x1fx", "ß", "ǅ"]),
    ),
    max_size=12,
)


@given(_NAMES)
@settings(max_examples=400, deadline=None)
def test_keys_in_one_batch_are_each_names_key(names: list[str]) -> None:
    """The batch that keys a whole taxonomy's names at once gives every name its
    own key, whatever the names hold (white space of every kind, look-alikes,
    combining marks, NUL)."""
    assert sibling_keys(names) == [sibling_key(n) for n in names]
