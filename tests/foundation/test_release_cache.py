"""Releases load once: the second read of a release comes from the cache and is
the same as reading the file; an entry that is damaged, forged or stale (the
release edited behind the cache's back) is never trusted, only rebuilt."""

from __future__ import annotations

import hashlib
import json
import shutil
from itertools import pairwise
from pathlib import Path

import pytest
from cache_damage import COMMON, damage, parts, reseal
from hypothesis import given, settings
from hypothesis import strategies as st
from taxops import cache_entries, release_cache
from taxops.loading import yaml_source
from taxops.models.lazy_labels import LazyLabels
from taxops.models.taxonomy import Label, Taxonomy
from taxops.validate import check_file

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def cache(fresh_cache: Path) -> Path:
    return fresh_cache


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files parsed as YAML (a cached release is not)."""
    seen: list[str] = []
    original = yaml_source.parse_yaml

    def spy(raw: bytes | str, path: str):  # type: ignore[no-untyped-def]
        seen.append(path)
        return original(raw, path)

    monkeypatch.setattr("taxops.file_check.parse_yaml", spy)  # a second parse, after streaming
    monkeypatch.setattr("taxops.loading.sources.parse_yaml", spy)  # a file's parse
    return seen


def _release(tmp_path: Path, source: Path) -> Path:
    """A copy of a release under a releases/ folder (what makes it a release)."""
    target = tmp_path / "repo" / "taxonomies" / "t" / "releases" / source.name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target


def _entries(cache: Path) -> list[Path]:
    return sorted((cache / "releases").glob("*.json"))


def _same(a, b) -> None:  # type: ignore[no-untyped-def]
    assert a.model == b.model
    assert a.diagnostics == b.diagnostics
    assert [d.data for d in a.diagnostics] == [d.data for d in b.diagnostics]


RELEASES = sorted(
    p
    for p in REPO.rglob("releases/*.yaml")
    if ".venv" not in p.parts and "site-build" not in p.parts
)


@pytest.mark.parametrize("source", RELEASES, ids=lambda p: str(p.relative_to(REPO)))
def test_a_cached_release_is_the_release(
    source: Path, tmp_path: Path, cache: Path, parses: list[str]
) -> None:
    """Every release of the repository and its tests: the model, its findings
    and their places read back from the cache equal a fresh read."""
    path = _release(tmp_path, source)
    first = check_file(path)
    if first.model is None:
        pytest.skip("an invalid release is not cached")
    assert len(_entries(cache)) == 1
    parses.clear()
    second = check_file(path)
    assert parses == []  # read from the cache, not parsed
    _same(first, second)
    assert isinstance(second.model, Taxonomy)
    for i in range(len(second.model.labels)):
        assert second.doc.locate(("labels", i, "id")) == first.doc.locate(("labels", i, "id"))


def _large_release(tmp_path: Path) -> Path:
    import sys

    sys.path.insert(0, str(REPO / "benchmarks"))
    from generate import taxonomy_yaml

    path = tmp_path / "repo" / "taxonomies" / "generated" / "releases" / "1.0.0.yaml"
    path.parent.mkdir(parents=True)
    # One dangling parent: a finding the cache must keep, with its place.
    path.write_text(taxonomy_yaml(4000, error_at=3000), encoding="utf-8")
    return path


def test_a_large_release_keeps_its_line_index(
    tmp_path: Path, cache: Path, parses: list[str]
) -> None:
    path = _large_release(tmp_path)
    first = check_file(path)
    assert [d.rule for d in first.diagnostics] == ["unknown-parent"]
    parses.clear()
    second = check_file(path)
    assert parses == []
    _same(first, second)
    assert "labels" in second.doc.item_indexes()  # no pass over the text to locate


def _damage(entry: Path, how: str) -> None:
    if how in COMMON:
        damage(entry, how)
        return
    _, body, tail = parts(entry)
    meta, head, skeleton = body.split(b"\n", 2)
    if how == "forged model":
        # A well-formed entry with matching checksums whose model the taxonomy
        # model refuses: validation rebuilds it, nothing is trusted.
        data = json.loads(head)
        data["id"] = "has\u202eoverride"
        data["unknown_field"] = "x"
        reseal(entry, meta + b"\n" + json.dumps(data).encode() + b"\n" + skeleton, tail)
    elif how == "forged label":
        # The labels changed and their checksum with them: still refused.
        labels = json.loads(tail)
        labels[0]["unknown_field"] = "x"
        forged = json.dumps(labels).encode()
        fields = json.loads(meta)
        fields["tail_sha256"] = hashlib.sha256(forged).hexdigest()
        reseal(entry, json.dumps(fields).encode() + b"\n" + head + b"\n" + skeleton, forged)
    elif how == "flipped label byte":
        # The labels are not covered by the body's checksum: their own is checked.
        i = len(tail) // 2
        reseal(entry, body, tail[:i] + bytes([tail[i] ^ 0x01]) + tail[i + 1 :])
    else:
        raise AssertionError(how)


@pytest.mark.parametrize("how", [*COMMON, "forged model", "forged label", "flipped label byte"])
def test_a_damaged_entry_is_rebuilt_without_an_error(
    how: str, tmp_path: Path, cache: Path, parses: list[str]
) -> None:
    path = _large_release(tmp_path)
    first = check_file(path)
    [entry] = _entries(cache)
    _damage(entry, how)
    parses.clear()
    again = check_file(path)
    assert parses == [again.display]  # the file was read again
    _same(first, again)
    [rebuilt] = _entries(cache)
    parses.clear()
    _same(first, check_file(path))  # and the rebuilt entry is good
    assert parses == []
    assert rebuilt.read_bytes() != b""


def test_a_release_edited_behind_the_cache_is_read_again(
    tmp_path: Path, cache: Path, parses: list[str]
) -> None:
    path = _large_release(tmp_path)
    check_file(path)
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("name: Category 10\n", "name: Category ten\n", 1), encoding="utf-8"
    )
    parses.clear()
    edited = check_file(path)
    assert parses == [edited.display]
    assert isinstance(edited.model, Taxonomy)
    assert edited.model.labels[10].name == "Category ten"
    assert len(_entries(cache)) == 2  # one per content: the old bytes keep theirs


def test_no_cache_when_turned_off(
    tmp_path: Path, cache: Path, parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TAXOPS_NO_CACHE", "1")
    path = _large_release(tmp_path)
    check_file(path)
    check_file(path)
    assert len(parses) == 2
    assert not cache.exists()


def test_a_working_file_is_not_cached(tmp_path: Path, cache: Path) -> None:
    path = tmp_path / "repo" / "taxonomies" / "t" / "taxonomy.yaml"
    path.parent.mkdir(parents=True)
    shutil.copyfile(REPO / "taxonomies" / "support-intents" / "taxonomy.yaml", path)
    check_file(path)
    assert not cache.exists()


def test_an_unwritable_cache_is_only_slower(tmp_path: Path, cache: Path, parses: list[str]) -> None:
    cache.write_text("a file where the folder should be", encoding="utf-8")
    path = _large_release(tmp_path)
    first = check_file(path)
    second = check_file(path)
    _same(first, second)
    assert len(parses) == 2


def test_the_default_folder_is_the_users_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TAXOPS_CACHE_DIR", raising=False)
    monkeypatch.delenv("TAXOPS_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "/somewhere/cache")
    monkeypatch.setattr("sys.platform", "linux")
    assert cache_entries.folder() == Path("/somewhere/cache/taxops")


@settings(max_examples=60, derandomize=True, deadline=None)
@given(
    names=st.lists(
        st.one_of(
            st.text(min_size=1, max_size=12),
            st.sampled_from(['},{"id":', '"},{"id":"x', "\\", '\\"}', "\n"]),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_each_label_is_found_in_the_entry_as_its_own_json(names: list[str]) -> None:
    """Whatever the labels say (text that looks like the place between two
    labels included), the entry's bounds give each label's own canonical JSON."""
    labels = [
        Label(id=f"l{i}", name=name, aliases=(name,) if i % 2 else ())
        for i, name in enumerate(names)
    ]
    tail, bounds = release_cache._labels_json(labels)
    assert len(bounds) == len(labels) + 1
    for i, label in enumerate(labels):
        raw = tail[bounds[i] : bounds[i + 1] - 1]
        assert raw == label.model_dump_json(exclude_defaults=True).encode()
    built = [Label.model_validate_json(tail[a : b - 1]) for a, b in pairwise(bounds)]
    assert built == labels


def test_a_lazily_read_release_sent_to_another_process_carries_its_labels(
    tmp_path: Path, cache: Path
) -> None:
    """A release read for a comparison keeps its labels in the entry's file;
    pickled (sent to a worker process), it carries their bytes instead of a
    file descriptor that means nothing there."""
    import pickle

    from taxops.file_check import check_file as check_one

    path = _release(tmp_path, REPO / "taxonomies" / "driving-objects" / "taxonomy.yaml")
    check_one(path)
    lazy = check_one(path, lazy_release=True).model
    assert isinstance(lazy, Taxonomy) and isinstance(lazy.labels, LazyLabels)
    assert isinstance(lazy.labels._tail, cache_entries.Tail)
    copy = pickle.loads(pickle.dumps(lazy))
    assert isinstance(copy.labels._tail, bytes)
    assert [label.model_dump() for label in copy.labels] == [
        label.model_dump() for label in lazy.labels
    ]


def test_a_hand_over_is_never_trusted_from_the_users_cache(tmp_path: Path, cache: Path) -> None:
    """An entry whose labels are read from the file's own items is written
    only to a worker's private folder; one found in the user's cache (planted,
    or left by another tool) is a miss there, and reads only where a caller
    names the folder it handed over in."""
    items = "".join(f"  - id: l{i}\n    name: Label {i}\n" for i in range(20))
    text = "taxops: taxonomy/1\nid: t\ntitle: T\nversion: 1.0.0\nkind: hierarchical\n"
    path = tmp_path / "repo" / "taxonomies" / "t" / "releases" / "1.0.0.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(text + 'owners: ["@t"]\nlabels:\n' + items)
    checked = check_file(path)
    assert isinstance(checked.model, Taxonomy) and checked.doc is not None
    raw = path.read_bytes()
    key = release_cache.source_key(raw)
    release_cache.write(key, checked.model, [], checked.doc, base=cache, handover=True)
    (entry,) = _entries(cache)
    meta = json.loads(parts(entry)[1].split(b"\n", 1)[0])
    assert meta["labels_from"] == "file"
    text = raw.decode()
    read = release_cache.read
    assert read(key, text, "t.yaml", Taxonomy, 10**9, lazy=True) is None  # the user's cache
    named = read(key, text, "t.yaml", Taxonomy, 10**9, lazy=True, base=cache)
    assert named is not None and isinstance(named.model, Taxonomy)
    assert list(named.model.labels) == list(checked.model.labels)  # built from the items
