"""The loader's contract: safe, bounded, YAML 1.2 plain data, and never silent
about content it did not read."""

from __future__ import annotations

import time
from pathlib import Path

from taxops.loading import DEFAULT_MAX_BYTES, load_yaml, parse_yaml
from taxops.loading.yaml_source import MAX_ALIAS_EVENTS

FIFTY_MB = 50_000_000


def _rules(problems: list) -> list[str]:  # type: ignore[type-arg]
    return [p.rule for p in problems]


def test_default_limit_admits_a_200k_label_taxonomy() -> None:
    """The issue sizes a 200,000-label taxonomy at about 50 MB."""
    assert DEFAULT_MAX_BYTES >= FIFTY_MB


def test_a_50_mb_file_loads_under_the_default_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    padding = b"# " + b"x" * 97 + b"\n"
    with path.open("wb") as f:
        f.write(b"taxops: taxonomy/1\nid: big\n")
        f.write(padding * (FIFTY_MB // len(padding) + 1))
    assert path.stat().st_size > FIFTY_MB
    doc, problems = load_yaml(path)
    assert problems == []
    assert doc is not None and doc.data == {"taxops": "taxonomy/1", "id": "big"}


def test_size_limit_is_exact(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"id: pets\n")  # 9 bytes
    assert load_yaml(path, max_bytes=9)[1] == []
    doc, problems = load_yaml(path, "a.yaml", max_bytes=8)
    assert doc is None
    assert _rules(problems) == ["file-too-large"]
    assert problems[0].message == "file is 9 bytes, over the limit of 8 bytes"


def test_yaml_1_2_keeps_words_and_dates_as_text() -> None:
    doc, _ = parse_yaml("country: NO\nanswer: yes\nswitch: on\nday: 2024-05-01\nn: 3\n", "a.yaml")
    assert doc is not None
    assert doc.data == {
        "country": "NO",
        "answer": "yes",
        "switch": "on",
        "day": "2024-05-01",
        "n": 3,
    }


def test_core_tags_are_allowed_other_tags_are_refused() -> None:
    doc, problems = parse_yaml("code: !!str 0123\n", "a.yaml")
    assert problems == [] and doc is not None and doc.data == {"code": "0123"}
    for text in ("a: !include other.yaml\n", "a: !!python/name:os.system\n", "--- !custom\na: 1\n"):
        doc, problems = parse_yaml(text, "a.yaml")
        assert doc is None and _rules(problems) == ["yaml-tag"], text


def test_an_exclamation_mark_in_text_is_not_a_tag() -> None:
    doc, problems = parse_yaml("name: Stop!\nnote: 'keep !this'\n", "a.yaml")
    assert problems == [] and doc is not None and doc.data["name"] == "Stop!"


def test_alias_bomb_fails_fast() -> None:
    levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        levels.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
    started = time.perf_counter()
    doc, problems = parse_yaml("\n".join(levels) + "\n", "bomb.yaml")
    assert time.perf_counter() - started < 5
    assert doc is None and _rules(problems) == ["alias-bomb"]
    assert f"{MAX_ALIAS_EVENTS:,}" in problems[0].message


def test_a_few_aliases_are_fine() -> None:
    """Real files share attribute definitions through anchors (driving-objects does)."""
    text = "attrs: &occ {name: occluded, type: bool}\nlabels:\n  - {id: a, attributes: [*occ]}\n"
    doc, problems = parse_yaml(text, "a.yaml")
    assert problems == [] and doc is not None
    assert doc.data["labels"][0]["attributes"] == [{"name": "occluded", "type": "bool"}]


def test_nul_never_hides_the_rest_of_the_file(tmp_path: Path) -> None:
    """yaml-rs stops at a NUL without an error; the loader must not."""
    doc, problems = parse_yaml("a: 1\n\x00b: 2\n", "a.yaml")
    assert doc is None and _rules(problems) == ["control-character"]
    path = tmp_path / "a.yaml"
    path.write_bytes(b"a: 1\nb: x\x07y\n")
    doc, problems = load_yaml(path, "a.yaml")
    assert doc is None and _rules(problems) == ["control-character"]
    assert str(problems[0].location) == "a.yaml:2:5"


def test_utf8_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"\xef\xbb\xbfid: pets\r\nname: Caf\xc3\xa9\r\n")
    doc, problems = load_yaml(path)
    assert problems == [] and doc is not None
    assert doc.data == {"id": "pets", "name": "Café"}
    assert str(doc.locate(("name",))) == f"{path}:2:7"


def test_empty_and_comment_only_files() -> None:
    for text in ("", "\n\n", "# just a comment\n", "---\n"):
        doc, problems = parse_yaml(text, "a.yaml")
        assert doc is None and _rules(problems) == ["empty-file"], repr(text)
