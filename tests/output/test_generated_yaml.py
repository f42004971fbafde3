"""Generated YAML (an imported taxonomy, a migration map) is made from nodes
built by taxops, not by PyYAML's representer: the text must be what a plain
``yaml.dump`` with the same settings writes, for every kind of value."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import yaml
from taxops.yaml_out import generated_yaml

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
]


def _reference(document: dict[str, Any], width: int, allow_unicode: bool) -> str:
    return yaml.dump(
        document,
        Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper),
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
