"""A release seen before is found in the cache from its file's status, without
reading or hashing it (:mod:`taxops.source_digests`), and never on a racy or
stale record: a release edited behind the cache's back (its size and
modification time put back, or within the same second as its record) is read
and hashed again, and its findings are those of its new text."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import sys
import time
from pathlib import Path

import pytest
from taxops import release_cache, source_digests
from taxops.cli.main import main
from taxops.file_check import check_file
from taxops.loading import yaml_source
from taxops.loading.bytes_document import BytesDocument
from taxops.source_digests import SETTLED_NS, SourceBytes, Stale

REPO = Path(__file__).resolve().parents[2]
CASE = REPO / "tests" / "cases" / "labels-merged" / "into-existing"


@pytest.fixture
def hashed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The sizes of the releases hashed (read whole to find their entry)."""
    seen: list[int] = []
    original = release_cache.source_key

    def spy(raw: bytes) -> str:
        seen.append(len(raw))
        return original(raw)

    monkeypatch.setattr(release_cache, "source_key", spy)
    return seen


@pytest.fixture
def later(monkeypatch: pytest.MonkeyPatch) -> None:
    """The memo's clock a minute ahead: files just written count as settled."""
    monkeypatch.setattr(source_digests, "_now_ns", lambda: time.time_ns() + 60 * 10**9)


def _release(root: Path, name: str, text: str) -> Path:
    path = root / "taxonomies" / "t" / "releases" / f"{name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _records(cache: Path) -> list[Path]:
    return sorted((cache / "sources").glob("*.json"))


def _same_size_edit(path: Path, old: str, new: str, *, keep_mtime: bool) -> None:
    """Replace ``old`` by ``new`` (as long) in place, the modification time
    put back when asked: what a careless tool or a restored backup does."""
    assert len(old) == len(new)
    status = path.stat()
    text = path.read_text(encoding="utf-8")
    assert old in text
    with path.open("r+", encoding="utf-8") as f:  # in place: the same inode
        f.write(text.replace(old, new, 1))
    if keep_mtime:
        os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))
    after = path.stat()
    assert (after.st_ino, after.st_size) == (status.st_ino, status.st_size)
    assert not keep_mtime or after.st_mtime_ns == status.st_mtime_ns


def test_a_settled_release_is_found_without_reading_it(
    tmp_path: Path, fresh_cache: Path, hashed: list[int], later: None
) -> None:
    path = _release(tmp_path / "repo", "1.0.0", (CASE / "old.yaml").read_text(encoding="utf-8"))
    first = check_file(path, tmp_path / "repo")
    assert hashed == [path.stat().st_size] and len(_records(fresh_cache)) == 1
    again = check_file(path, tmp_path / "repo")
    assert hashed == [path.stat().st_size]  # not hashed again
    assert again.model == first.model and again.diagnostics == first.diagnostics
    assert isinstance(again.doc, BytesDocument) and isinstance(again.doc._raw, SourceBytes)
    assert again.doc.utf8() == path.read_bytes()  # read whole when asked, and checked


def test_a_racy_release_is_not_recorded(
    tmp_path: Path, fresh_cache: Path, hashed: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file changed within :data:`SETTLED_NS` of its record could change
    again with the same status (a coarse clock): no record, it is hashed."""
    path = _release(tmp_path / "repo", "1.0.0", (CASE / "old.yaml").read_text(encoding="utf-8"))
    changed = max(path.stat().st_mtime_ns, path.stat().st_ctime_ns)
    monkeypatch.setattr(source_digests, "_now_ns", lambda: changed + SETTLED_NS)
    check_file(path, tmp_path / "repo")
    check_file(path, tmp_path / "repo")
    assert _records(fresh_cache) == [] and len(hashed) == 2
    monkeypatch.setattr(source_digests, "_now_ns", lambda: changed + SETTLED_NS + 1)
    check_file(path, tmp_path / "repo")
    check_file(path, tmp_path / "repo")
    assert len(_records(fresh_cache)) == 1 and len(hashed) == 3


@pytest.mark.parametrize("keep_mtime", [True, False], ids=["mtime-put-back", "mtime-moved"])
def test_a_release_edited_behind_the_cache_is_read_again(
    tmp_path: Path, fresh_cache: Path, hashed: list[int], later: None, keep_mtime: bool
) -> None:
    """Recorded, then edited in place to the same size with its modification
    time put back: its change time moved, so it is hashed, and its findings
    are its new text's."""
    root = tmp_path / "repo"
    path = _release(root, "1.0.0", (CASE / "old.yaml").read_text(encoding="utf-8"))
    check_file(path, root)
    assert len(_records(fresh_cache)) == 1
    _same_size_edit(path, "name: Car", "name: Cat", keep_mtime=keep_mtime)
    edited = check_file(path, root)
    assert len(hashed) == 2
    assert edited.model is not None
    assert "Cat" in [label.name for label in edited.model.labels]  # type: ignore[attr-defined]


def test_an_edit_in_the_same_second_is_read_again(
    tmp_path: Path, fresh_cache: Path, hashed: list[int]
) -> None:
    """On the real clock: a release read in the second it was written is not
    recorded, so an edit in that second (its modification time put back) is
    found, whatever the file system's clock resolution."""
    root = tmp_path / "repo"
    path = _release(root, "1.0.0", (CASE / "old.yaml").read_text(encoding="utf-8"))
    check_file(path, root)
    _same_size_edit(path, "name: Car", "name: Cat", keep_mtime=True)
    edited = check_file(path, root)
    assert _records(fresh_cache) == [] and len(hashed) == 2
    assert "Cat" in [label.name for label in edited.model.labels]  # type: ignore[union-attr]


def test_a_release_replaced_by_another_file_is_read_again(
    tmp_path: Path, fresh_cache: Path, hashed: list[int], later: None
) -> None:
    """Replaced by a copy with the same size and times (another inode): a miss."""
    root = tmp_path / "repo"
    path = _release(root, "1.0.0", (CASE / "old.yaml").read_text(encoding="utf-8"))
    check_file(path, root)
    other = tmp_path / "other.yaml"
    other.write_text(path.read_text(encoding="utf-8").replace("name: Car", "name: Cat"))
    shutil.copystat(path, other)
    os.replace(other, path)
    edited = check_file(path, root)
    assert len(hashed) == 2
    assert "Cat" in [label.name for label in edited.model.labels]  # type: ignore[union-attr]


def test_off_where_the_change_time_is_not_one(
    tmp_path: Path,
    fresh_cache: Path,
    hashed: list[int],
    later: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "platform", "win32")  # the module reads sys.platform
    path = _release(tmp_path / "repo", "1.0.0", (CASE / "old.yaml").read_text(encoding="utf-8"))
    check_file(path, tmp_path / "repo")
    check_file(path, tmp_path / "repo")
    assert _records(fresh_cache) == [] and len(hashed) == 2


def test_off_with_the_cache(
    tmp_path: Path, fresh_cache: Path, later: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TAXOPS_NO_CACHE", "1")
    path = _release(tmp_path / "repo", "1.0.0", (CASE / "old.yaml").read_text(encoding="utf-8"))
    check_file(path, tmp_path / "repo")
    assert not fresh_cache.exists() or _records(fresh_cache) == []


def test_bytes_that_are_not_the_recorded_ones_are_stale(
    tmp_path: Path, fresh_cache: Path, later: None
) -> None:
    """Read whole, bytes that do not hash to the record's digest raise
    :class:`Stale` and drop the record."""
    path = _release(tmp_path / "repo", "1.0.0", (CASE / "old.yaml").read_text(encoding="utf-8"))
    status = path.stat()
    source_digests.remember(path, status, "0" * 64)  # a record that lies
    found = source_digests.known(path, 10**9)
    assert found is not None and found[0] == "0" * 64
    parts = found[1]
    assert parts[0:7] == b"taxops:" and parts.startswith(b"id:", path.read_bytes().index(b"id:"))
    with pytest.raises(Stale):
        parts.whole()
    parts.close()
    assert _records(fresh_cache) == [] and source_digests.known(path, 10**9) is None


def _diff(root: Path) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["diff", "t@1.0.0", "t@2.0.0", "--repo", str(root), "--format", "json"])
    return code, out.getvalue()


def test_a_diff_of_a_release_swapped_under_its_record_is_the_files_diff(
    tmp_path: Path, fresh_cache: Path, later: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worst case the memo allows: a record that answers for other bytes
    (the file changed with its status unchanged). A cached release placed
    from the bytes finds the labels are not where its entry says, reads the
    file whole, finds it stale, and ``diff`` reads both files again: the
    output is the files' own."""
    monkeypatch.setattr(yaml_source, "PARTIAL_LOCATE_BYTES", 1)  # placed from the bytes
    old_text = (CASE / "old.yaml").read_text(encoding="utf-8")
    new_text = (CASE / "new.yaml").read_text(encoding="utf-8")
    moved = old_text.replace("  - id: vehicle.van\n", "  - id: vehicle.vat\n", 1)
    root, wrong = tmp_path / "repo", tmp_path / "wrong"
    old, new = _release(root, "1.0.0", old_text), _release(root, "2.0.0", new_text)
    _release(wrong, "1.0.0", moved)
    _release(wrong, "2.0.0", new_text)
    monkeypatch.setenv("TAXOPS_NO_CACHE", "1")
    expected = _diff(wrong)
    monkeypatch.delenv("TAXOPS_NO_CACHE")
    assert expected != _diff(root)
    for release in (old, new):  # each seen once, on its own
        with contextlib.redirect_stdout(io.StringIO()):
            assert main(["validate", "--repo", str(root), str(release)]) in (0, 1)
    key = release_cache.source_key(old.read_bytes())
    old.write_text(moved, encoding="utf-8")
    source_digests.remember(old, old.stat(), key)  # the status now answers for the old bytes
    assert _diff(root)[1].replace(str(root), "") == expected[1].replace(str(wrong), "")


def test_a_diff_of_two_settled_releases_reads_only_their_changed_labels(
    tmp_path: Path,
    fresh_cache: Path,
    hashed: list[int],
    later: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two releases seen before, compared: neither file is read whole or
    hashed; each finding is placed from its label's bytes, at the place a
    read of the files gives."""
    from taxops.compatibility.compare import Version, compare

    monkeypatch.setattr(yaml_source, "PARTIAL_LOCATE_BYTES", 1)  # placed item by item
    root = tmp_path / "repo"
    paths = [
        _release(root, name, (CASE / f"{side}.yaml").read_text(encoding="utf-8"))
        for name, side in (("1.0.0", "old"), ("2.0.0", "new"))
    ]

    def versions(lazy: bool) -> list[Version]:
        out = []
        for path in paths:
            checked = check_file(path, root, lazy_release=lazy)
            assert checked.model is not None and checked.doc is not None
            out.append(Version(checked.model, checked.doc, checked.display))  # type: ignore[arg-type]
        return out

    monkeypatch.setenv("TAXOPS_NO_CACHE", "1")
    full = compare(*versions(False))
    monkeypatch.delenv("TAXOPS_NO_CACHE")
    versions(False)  # each release seen once: its entry and its record written
    hashed.clear()
    old, new = versions(True)
    cached = compare(old, new)
    assert hashed == []
    for doc in (old.doc, new.doc):
        assert isinstance(doc, BytesDocument) and isinstance(doc._raw, SourceBytes)
        assert doc._raw._whole is None and doc._decoded is None
    assert any(d.location and d.previous for d in cached.findings)
    places = [(d.rule, str(d.location), str(d.previous)) for d in cached.diagnostics]
    assert places == [(d.rule, str(d.location), str(d.previous)) for d in full.diagnostics]


def test_a_fifo_named_like_a_release_is_never_opened_for_good(
    tmp_path: Path, fresh_cache: Path, later: None
) -> None:
    """The memo opens without waiting and answers only for plain files."""
    path = tmp_path / "repo" / "taxonomies" / "t" / "releases" / "1.0.0.yaml"
    path.parent.mkdir(parents=True)
    os.mkfifo(path)
    assert source_digests.known(path, 10**9) is None  # returns at once
    source_digests.remember(path, path.stat(), "0" * 64)
    assert _records(fresh_cache) == []
