"""Generated YAML (an imported taxonomy, a migration map) is made from nodes
built by taxops, not by PyYAML's representer: the text must be what a plain
``yaml.dump`` with the same settings writes, for every kind of value, except
that text YAML 1.2 reads as a number (``08``, ``1e3``, ``0o17``: plain text to
PyYAML's YAML 1.1) is quoted, as taxops reads its files as YAML 1.2."""

from __future__ import annotations

import datetime
import random
from typing import Any

import pytest
import yaml
import yaml_rs
from taxops.loading.yaml_source import load_text
from taxops.yaml_out import generated_yaml

_BASE = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Yaml12Dumper(_BASE):  # type: ignore[valid-type, misc]
    """PyYAML's dumper, also quoting any text that taxops' reader (yaml-rs,
    YAML 1.2) reads, written plain, as something else: every plain scalar is
    asked, where taxops asks only those that look like numbers."""

    def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
        tag: str = super().resolve(kind, value, implicit)
        if kind is yaml.ScalarNode and implicit[0] and tag == "tag:yaml.org,2002:str":
            try:
                typed = yaml_rs.loads(f"k: {value}\n", parse_datetime=False) != {"k": value}
            except Exception:
                typed = True
            if typed and value and value.strip() == value and "\n" not in value:
                return "tag:yaml.org,2002:int"
        return tag


#: Values whose written form depends on the resolver, the quoting rules or the
#: line width: each must come out as PyYAML's own dump writes it.
TRICKY = [
    "",
    " ",
    "plain",
    "yes",
    "No",
    "on",
    "null",
    "~",
    "true",
    "010",
    "08",
    "-09",
    "0o17",
    "0x1F",
    "1_000",
    "12:30:00",
    "1e3",
    ".inf",
    "-",
    "- item",
    "key: value",
    "# not a comment",
    "a #b",
    "'quoted'",
    '"double"',
    "tab\there",
    "line\nbreak",
    "trailing ",
    " leading",
    "100%",
    "@at",
    "`tick",
    "*alias",
    "&anchor",
    "!tag",
    "|block",
    ">fold",
    "[flow]",
    "{flow}",
    "é accent",
    "日本語",
    "emoji 🙂",
    "nbsp\u00a0here",
    "x" * 150,
    "words " * 40,
    "2024-01-31",
    "=",
    "<<",
    # Published titles: apostrophes, and long enough to fold at the width.
    "Crohn's disease of small intestine with rectal bleeding",
    "Benign mellitus femur of 'primary' disease",
    "a 'b",
    "x'",
    "Other specified injuries of right lower leg, initial encounter, with delayed healing and "
    "routine follow-up of fracture",
    "Subsequent infection & diabetes chronic crohn's initial & left radius of of tibia other",
    " ".join(["w"] * 70),
    "Pneumonia " + "x" * 120 + " due to y",
    # Ontology ids, brackets, colons and marks inside words, as plain in block
    # context; a colon before a space or at the end, a '#' after one, are not.
    "GO:0008150",
    "CHEBI:15377 and HP:0000118",
    "a:",
    "a: b",
    "a :b",
    "a : b",
    "x:y:z",
    "12:30",
    "Glucose [Mass/volume] in Serum or Plasma",
    "[x] y",
    "y [x]",
    "a#b",
    "a #b c",
    "http://example.org/onto#term",
    "C(=O)O",
    'say "hi"',
    "a ?b",
    "a, b",
    "a ,b",
    "50% {x}",
    "back\\slash",
    "a ~",
    "x!y",
    # yaml-rs reads underscores as digit separators, even leading ones: 0 and 1.
    "_0_",
    "__1",
]


def _reference(document: dict[str, Any], width: int, allow_unicode: bool) -> str:
    return yaml.dump(
        document,
        Dumper=_Yaml12Dumper,
        sort_keys=False,
        allow_unicode=allow_unicode,
        width=width,
        indent=2,
        default_flow_style=False,
    )


def _document(values: list[Any]) -> dict[str, Any]:
    return {
        "schema": "taxops/test/1",
        "count": 3,
        "flag": True,
        "off": False,
        "nothing": None,
        "ratio": 0.25,
        "when": datetime.date(2024, 1, 31),
        "empty_list": [],
        "empty_map": {},
        "entries": [
            {"label": v, "targets": [v, "other"], "note": v, "nested": {"k": v, "n": [1, None]}}
            for v in values
        ],
        "by_value": {v or "empty": v for v in values if v},
    }


@pytest.mark.parametrize("width", [88, 100])
def test_the_text_is_what_yaml_dump_writes(width: int) -> None:
    document = _document(TRICKY)
    assert generated_yaml(document, width=width) == _reference(document, width, True)


def test_a_bidi_character_escapes_every_non_ascii_character_as_before() -> None:
    document = _document([*TRICKY, "abc\u202edef"])
    written = generated_yaml(document, width=100)
    assert written == _reference(document, 100, False)
    assert "\u202e" not in written and "日本語" not in written


def test_a_list_held_twice_is_written_twice_not_as_an_alias() -> None:
    shared = ["a", "b"]
    written = generated_yaml({"one": shared, "two": shared}, width=100)
    assert "&" not in written and "*" not in written
    assert yaml.safe_load(written) == {"one": ["a", "b"], "two": ["a", "b"]}


def test_a_value_yaml_cannot_write_is_refused_as_a_dump_refuses_it() -> None:
    with pytest.raises(yaml.representer.RepresenterError):
        generated_yaml({"x": object()}, width=100)


#: Characters the fuzzed texts are made of: the simple ones the fast path
#: writes itself, and every kind it must leave to the emitter.
_ALPHABET = "aZ09_./()+-,&=' " + ':#"!|>%@`*&?[]{}~\t\n\\é\u202e'
_WORDS = ["yes", "No", "null", "~", "1.0.0", "2024", "1e3", "0x1F", "12:30", "-", "<<", "=", "08"]
#: Words of titles as publishers write them, for sentences the fast path folds.
_TITLE_WORDS = ["Crohn's", "'primary'", "of", "left", "(A00-A09)", "x" * 30, "&", "1.5", "-", "a"]


def _text(rng: random.Random) -> str:
    if rng.random() < 0.25:
        return rng.choice(_WORDS)
    if rng.random() < 0.2:  # a title: words one space apart, often past the width
        return " ".join(rng.choice(_TITLE_WORDS) for _ in range(rng.randint(1, 40)))
    size = rng.choice([0, 1, 3, 8, 20, 60, 95, 130])
    simple = rng.random() < 0.7
    chars = _ALPHABET[:16] if simple else _ALPHABET
    return "".join(rng.choice(chars) for _ in range(size))


def _value(rng: random.Random, depth: int) -> Any:
    roll = rng.random()
    if depth > 2 or roll < 0.45:
        return rng.choice(
            [_text(rng), _text(rng), None, True, False, rng.randint(-5, 10**6), 0.5, []]
        )
    if roll < 0.7:
        return [_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return {_text(rng) if rng.random() < 0.2 else f"k{i}": _value(rng, depth + 1)
            for i in range(rng.randint(0, 4))}  # fmt: skip


@pytest.mark.parametrize("seed", range(300))
def test_random_documents_come_out_as_yaml_dump_writes_them(seed: int) -> None:
    """Item by item or by the emitter, the text must be the emitter's: random
    documents of simple and tricky texts, nested lists and mappings, at two
    widths."""
    rng = random.Random(seed)
    document = {
        "schema": "taxops/test/1",
        "entries": [_value(rng, 1) for _ in range(rng.randint(1, 12))],
        **{
            _text(rng) if rng.random() < 0.3 else f"top{i}": _value(rng, 0)
            for i in range(rng.randint(0, 4))
        },
        "labels": [_text(rng) for _ in range(rng.randint(0, 5))],
    }
    width = rng.choice([88, 100])
    reference = _reference(document, width, True)
    allowed = generated_yaml(document, width=width)
    assert allowed in (reference, _reference(document, width, False))
    assert load_text(allowed) == document  # what taxops reads back is what it wrote


def test_a_large_simple_document_never_calls_the_emitter(monkeypatch: pytest.MonkeyPatch) -> None:
    """A migration map's entries are ids, actions and versions: written item
    by item (the emitter, one call per item, took 6 s for 90,000 labels)."""
    entries = [
        {
            "label": f"A{i:05d}.1",
            "action": "keep",
            "targets": [f"A{i:05d}.1"],
            "hints": [],
            "deprecated": False,
            "note": None,
            "via": [{"from": "1.0.0", "to": "2.0.0", "label": f"A{i}", "targets": []}],
        }
        for i in range(2_000)
    ]
    document = {"schema": "taxops/migration-map/1", "from": "2024", "entries": entries}
    _written_item_by_item(document, 100, monkeypatch)


def _written_item_by_item(
    document: dict[str, Any], width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``document`` comes out as yaml.dump writes it, without one call to the emitter."""
    from taxops import yaml_out

    expected = _reference(document, width, True)
    calls: list[object] = []
    real = yaml_out._emitted
    monkeypatch.setattr(yaml_out, "_emitted", lambda *a: calls.append(a) or real(*a))
    assert generated_yaml(document, width=width) == expected
    assert calls == []


def test_long_titles_with_apostrophes_never_call_the_emitter(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A published classification's titles run past the width and hold
    apostrophes ("Crohn's disease of ..."): the emitter, handed the whole
    list once a few hundred such labels break the runs, took 1.3 s of an
    89,000-code import's writing."""
    rng = random.Random(7)
    labels = [
        {
            "id": f"K50.{i:03d}",
            "name": "Crohn's "
            + " ".join(rng.choice([*_TITLE_WORDS[:4], "disease", "with"]) for _ in range(25)),
            "parent": "K50",
        }
        for i in range(600)
    ]
    _written_item_by_item({"taxops": "taxonomy/1", "labels": labels}, 88, monkeypatch)


@pytest.mark.parametrize("text", ["_0_", "__1", "1_000", "08", "0o17", "1e3", "12:30", ".5"])
def test_the_round_trip_writer_quotes_text_taxops_would_read_as_a_number(text: str) -> None:
    """What ``taxops fix`` and ``crosswalk import`` write into a file (ruamel,
    YAML 1.2) must read back through taxops' own reader as the same text."""
    import io

    from taxops.yaml_roundtrip import round_trip

    out = io.StringIO()
    round_trip("labels:\n  - id: a\n").dump({"replaced_by": [text, "plain", "GO:0008150"]}, out)
    assert load_text(out.getvalue()) == {"replaced_by": [text, "plain", "GO:0008150"]}
