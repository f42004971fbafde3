"""Streaming validation of a large list gives the same model and the same located
errors as validating in one call; only the peak memory differs."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from taxops.models import streaming
from taxops.validate import check_file

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from generate import taxonomy_yaml


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(streaming, "STREAM_MIN_ITEMS", 10)
    monkeypatch.setattr(streaming, "CHUNK", 7)


def test_streamed_model_equals_one_call(tmp_path: Path, small_chunks: None) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(taxonomy_yaml(45), encoding="utf-8")
    checked = check_file(path)
    assert checked.diagnostics == []
    assert checked.model is not None
    assert streaming.consumed(checked.doc.data)  # the dicts were dropped as models were built
    from taxops.loading import load_yaml
    from taxops.models.taxonomy import Taxonomy

    fresh, _ = load_yaml(path)
    assert Taxonomy.model_validate(fresh.data) == checked.model


def test_invalid_item_in_a_streamed_list_is_located(tmp_path: Path, small_chunks: None) -> None:
    text = taxonomy_yaml(45).replace(
        "  - id: g30\n    name: Category 30\n",
        "  - id: g30\n    name: Category 30\n    status: actve\n",
    )
    path = tmp_path / "t.yaml"
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    expected_line = lines.index("    status: actve") + 1
    checked = check_file(path)
    assert [(d.rule, d.location.line, d.location.column) for d in checked.diagnostics] == [
        ("invalid-value", expected_line, 13)
    ]
    assert "label 'g30'" in checked.diagnostics[0].message


def test_large_file_locates_a_finding_from_the_item_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above the partial-locate size, a finding is located by composing only its
    list item; the position must equal the whole-file one."""
    from taxops.loading import yaml_source

    text = taxonomy_yaml(300, error_at=250)
    path = tmp_path / "t.yaml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(yaml_source, "PARTIAL_LOCATE_BYTES", 10)
    checked = check_file(path)
    partial = checked.diagnostics
    assert checked.doc._marks is None  # the whole file was never composed
    monkeypatch.setattr(yaml_source, "PARTIAL_LOCATE_BYTES", 10**9)
    whole = check_file(path).diagnostics
    assert [d.location for d in partial] == [d.location for d in whole]
    assert partial[0].rule == "unknown-parent"
    assert text.splitlines()[partial[0].location.line - 1].strip() == "parent: no_such_label"


def _one_call_then_small_chunks(path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The file's findings validated in one call; streaming in chunks of 7 from here on."""
    monkeypatch.setattr(streaming, "STREAM_MIN_ITEMS", 10**9)
    whole = check_file(path).diagnostics
    monkeypatch.setattr(streaming, "STREAM_MIN_ITEMS", 10)
    monkeypatch.setattr(streaming, "CHUNK", 7)
    return whole


def test_errors_found_chunk_by_chunk_equal_one_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Errors in several chunks and outside the list: the streamed findings are
    those of one whole-document call, in the same order, at the same places."""
    text = (
        taxonomy_yaml(60)
        .replace("kind: hierarchical", "kind: hierarchicl", 1)
        .replace(
            "  - id: g3\n    name: Category 3\n",
            "  - id: g3\n    name: Category 3\n    status: gone\n",
        )
        .replace("  - id: g40\n    name: Category 40\n", "  - id: g40\n    nme: Category 40\n")
        .replace("  - id: g55\n", "  - id: 55\n")
        .replace("owners: [ops@example.com]\n", "owners: [ops@example.com]\nsurprise: 1\n")
    )
    path = tmp_path / "t.yaml"
    path.write_text(text, encoding="utf-8")
    whole = _one_call_then_small_chunks(path, monkeypatch)
    calls: list[int] = []
    original = streaming.stream_errors

    def spy(*args: object) -> object:
        result = original(*args)  # type: ignore[arg-type]
        calls.append(len(result or []))
        return result

    monkeypatch.setattr("taxops.file_check.stream_errors", spy)
    streamed = check_file(path).diagnostics
    assert calls and calls[0] > 0  # the chunked path ran and found the errors
    assert len(whole) >= 5
    assert [(d.rule, d.location, d.message) for d in streamed] == [
        (d.rule, d.location, d.message) for d in whole
    ]


# Where the errors are, relative to the chunks (7 labels each below): the
# chunks before the first error are consumed by then, and have nothing to report.
_ERROR_PLACES = {
    "first chunk only": [("  - id: g2\n", "  - id: g2\n    status: gone\n")],
    "late chunks only": [
        ("  - id: g40\n    name: Category 40\n", "  - id: g40\n    nme: Category 40\n"),
        ("  - id: g55\n", "  - id: 55\n"),
    ],
    "outside the list only": [("kind: hierarchical", "kind: hierarchicl")],
    "last item and outside": [
        ("  - id: g59\n", "  - id: g59\n    status: gone\n"),
        ("owners: [ops@example.com]\n", "owners: [ops@example.com]\nsurprise: 1\n"),
    ],
}


@pytest.mark.parametrize("place", sorted(_ERROR_PLACES))
def test_errors_after_consumed_chunks_equal_one_call_with_one_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, place: str
) -> None:
    """Every error is found from where streaming stopped, without parsing the
    file a second time, and equals what one whole-document call reports."""
    from taxops import file_check
    from taxops.loading import sources

    text = taxonomy_yaml(60)
    for old, new in _ERROR_PLACES[place]:
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / "t.yaml"
    path.write_text(text, encoding="utf-8")
    whole = _one_call_then_small_chunks(path, monkeypatch)
    parses: list[str] = []
    parse = file_check.parse_yaml

    def counting(*args: object, **kwargs: object) -> object:
        parses.append(str(args[1]))
        return parse(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(file_check, "parse_yaml", counting)  # a second parse, after streaming
    monkeypatch.setattr(sources, "parse_yaml", counting)  # the file's first parse
    streamed = check_file(path).diagnostics
    assert whole
    assert [(d.rule, d.location, d.message) for d in streamed] == [
        (d.rule, d.location, d.message) for d in whole
    ]
    assert len(parses) == 1  # the file was parsed once
