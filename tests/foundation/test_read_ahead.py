"""Files read and parsed ahead on a worker thread (:mod:`taxops.loading.ahead`)
give what reading them in turn gives, stay within their memory budget, never
read what the command would refuse, and leave no thread behind."""

from __future__ import annotations

import gc
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from taxops import collector
from taxops.file_check import CheckedFile, check_file
from taxops.loading import ahead as ahead_module
from taxops.loading import arriving, sources, yaml_source
from taxops.loading.ahead import ReadAhead
from taxops.models import streaming
from taxops.repo_layout import governed_files
from taxops.validate import check_paths

from .conftest import REPO_ROOT, VALID_TAXONOMY, MakeRepo

INVALID = Path(__file__).parent / "invalid"
#: The repository's own content and every invalid case: (root, files).
TREES = [(REPO_ROOT, governed_files(REPO_ROOT))] + [
    (case, governed_files(case)) for case in sorted(INVALID.iterdir()) if case.is_dir()
]


def _seen(checked: CheckedFile) -> tuple[Any, ...]:
    found = [(d.rule, d.severity, d.location, d.message, d.hint) for d in checked.diagnostics]
    return checked.display, checked.kind, checked.model, found


@pytest.fixture(params=["whole", "in parts"])
def parsed(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Files parsed whole, or (as a large taxonomy is) their labels parsed in
    parts of two while the command validates the parts already there, in
    chunks of three (:mod:`taxops.loading.arriving`)."""
    monkeypatch.setattr(streaming, "STREAM_MIN_ITEMS", 2)
    monkeypatch.setattr(streaming, "CHUNK", 3)
    if request.param == "in parts":
        monkeypatch.setattr(arriving, "PIPELINE_MIN_CHARS", 0)
        monkeypatch.setattr(arriving, "PIPELINE_MIN_ITEMS", 2)
        monkeypatch.setattr(arriving, "PART_ITEMS", 2)
    return str(request.param)


@pytest.mark.parametrize(("root", "files"), TREES, ids=[r.name for r, _ in TREES])
def test_read_ahead_equals_reading_in_turn(root: Path, files: list[Path], parsed: str) -> None:
    assert files
    in_turn = [_seen(check_file(p, root)) for p in files]
    with ReadAhead(files, root, 10**8) as reading:
        read_ahead = list(reading.sources())
    assert [p for p, _ in read_ahead] == files
    assert sum(s is not None for _, s in read_ahead) >= len(
        [p for p in files if p.parent.name != "releases"]
    )  # every working file was read ahead (the budget holds them all)
    ahead = [_seen(check_file(p, root, source=s)) for p, s in read_ahead]
    assert ahead == in_turn
    # Read in parts only where asked (the repository's taxonomies all are).
    in_parts = [s is not None and s.rest is not None for _, s in read_ahead]
    if parsed == "whole":
        assert not any(in_parts)
    elif root == REPO_ROOT:
        assert any(in_parts)


def test_the_first_file_parses_on_the_worker_while_the_command_works(
    make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(pets=VALID_TAXONOMY, birds=VALID_TAXONOMY.replace("id: pets", "id: birds"))
    threads: list[str] = []
    parse = yaml_source.parse_yaml

    def spy(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread().name)
        return parse(*args, **kwargs)

    monkeypatch.setattr("taxops.loading.sources.parse_yaml", spy)
    checked = check_paths(governed_files(repo), repo)
    assert [c.diagnostics for c in checked] == [[], []]
    assert threads == ["taxops-read-ahead"] * 2


def test_after_the_first_file_it_holds_at_most_its_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sizes = [5000, 300, 300, 300, 2000, 300]
    files = []
    for i, size in enumerate(sizes):
        path = tmp_path / f"f{i}.yaml"
        path.write_text("a: " + "x" * (size - 4) + "\n", encoding="utf-8")
        files.append(path)
    held: list[int] = []
    read = sources.read_source
    box: list[ReadAhead] = []  # the worker starts before the constructor returns

    def spy(path: Path, *args: Any, **kwargs: Any) -> Any:
        before = box[0]._held if box else 0
        held.append(before + (path.stat().st_size if path != files[0] else 0))
        return read(path, *args, **kwargs)

    monkeypatch.setattr(ahead_module, "read_source", spy)
    with ReadAhead(files, None, 10**6, budget=1000) as reading:
        box.append(reading)
        deadline = time.monotonic() + 1
        while len(reading._done) < len(files) and time.monotonic() < deadline:
            time.sleep(0.01)  # nothing taken: the worker goes as far as its budget lets it
        assert len(reading._done) == 4  # the fifth is over its budget
        got = list(reading.sources())
    # The first file whatever its size; one over the budget once the command
    # asks for it (nothing else is held then), in parts where it is a taxonomy.
    assert [s is not None for _, s in got] == [True] * 6
    assert held[4] == 2000 and max(held[:4] + held[5:]) <= 1000
    assert all(s.doc is not None for _, s in got if s is not None)


def test_a_link_out_of_the_repository_is_not_read_ahead(
    make_repo: MakeRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo()
    secret = tmp_path / "secret.yaml"
    secret.write_text("token: do-not-echo\n", encoding="utf-8")
    link = repo / "taxonomies" / "pets" / "link.yaml"
    link.symlink_to(secret)
    opened: list[str] = []
    read = yaml_source.read_bounded

    def spy(path: Path, *args: Any) -> Any:
        opened.append(str(path))
        return read(path, *args)

    monkeypatch.setattr("taxops.loading.sources.read_bounded", spy)
    checked = check_paths([link], repo)
    assert str(link) not in opened and str(secret) not in opened
    assert [d.rule for d in checked[0].diagnostics] == ["file-outside-repository"]


def test_a_file_the_worker_fails_on_is_read_by_the_command(
    make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo()
    files = governed_files(repo)
    expected = [_seen(check_file(p, repo)) for p in files]

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise MemoryError("the worker ran out")

    monkeypatch.setattr(ahead_module, "read_source", broken)
    assert [_seen(c) for c in check_paths(files, repo)] == expected


def test_leaving_early_stops_the_worker(tmp_path: Path) -> None:
    files = []
    for i in range(5):
        path = tmp_path / f"f{i}.yaml"
        path.write_text(f"a: {i}\n", encoding="utf-8")
        files.append(path)
    with pytest.raises(KeyboardInterrupt), ReadAhead(files, None, 10**6, budget=1) as reading:
        for _path, _source in reading.sources():
            raise KeyboardInterrupt  # Ctrl-C after the first file
    assert not [t for t in threading.enumerate() if t.name == "taxops-read-ahead"]


def test_pauses_of_the_collector_from_two_threads_nest() -> None:
    """The collector is off while any thread is in a pause, and back on after
    the last one leaves, in whatever order they leave."""
    assert gc.isenabled()
    inside, leave = threading.Event(), threading.Event()

    def other() -> None:
        with collector.paused():
            inside.set()
            leave.wait()

    thread = threading.Thread(target=other)
    with collector.paused():
        thread.start()
        inside.wait()
    assert not gc.isenabled()  # the other thread is still in its pause
    leave.set()
    thread.join()
    assert gc.isenabled()


def test_a_read_ahead_of_other_files_is_refused(make_repo: MakeRepo) -> None:
    repo = make_repo()
    files = governed_files(repo)
    with ReadAhead(files[:0], repo, 10**6) as reading, pytest.raises(ValueError):
        check_paths(files, repo, ahead=reading)


@pytest.mark.parametrize("failing", ["the rest of the file", "a part", "a part's count"])
def test_labels_whose_parts_do_not_all_parse_are_read_whole(
    make_repo: MakeRepo, parsed: str, failing: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever goes wrong while the labels' parts are parsed, the file is
    checked as if parsed whole: the same model, the same findings."""
    labels = "".join(f"  - id: l{i}\n    name: Label {i}\n" for i in range(9))
    text = VALID_TAXONOMY.split("labels:")[0] + "labels:\n" + labels
    repo = make_repo(pets=text)
    files = governed_files(repo)
    in_turn = [_seen(check_file(p, repo)) for p in files]
    load, parts = yaml_source.load_text, []

    def flaky(text: str) -> Any:
        is_part = text.startswith("labels:\n")
        parts.append(is_part)
        if failing == "the rest of the file" and not is_part:
            raise yaml_source.yaml_rs.YAMLDecodeError("no")
        if is_part and len(parts) > 2:
            if failing == "a part":
                raise yaml_source.yaml_rs.YAMLDecodeError("no")
            return {"labels": load(text)["labels"][:1]}
        return load(text)

    monkeypatch.setattr(sources, "load_text", flaky)
    with ReadAhead(files, repo, 10**8) as reading:
        ahead = [_seen(check_file(p, repo, source=s)) for p, s in reading.sources()]
    assert ahead == in_turn
    # Read in parts only where asked: the rest of the file first, then parts of two.
    if parsed == "whole":
        assert parts == []
    elif failing == "the rest of the file":
        assert parts == [False]
    else:
        assert parts[0] is False and parts.count(True) >= 2


READ_ELSEWHERE = {
    "an alias of an anchor in another part": "  - id: l8\n    name: Label 8\n    aliases: [*first]\n",
    "an alias of an anchor outside the list": "  - id: l8\n    name: *title\n",
    "a document marker": "---\n  - id: l8\n    name: Label 8\n",
    "a quoted name over two lines": '  - id: l8\n    name: "Label\n  - id: l9"\n',
}


@pytest.mark.parametrize("item", READ_ELSEWHERE.values(), ids=READ_ELSEWHERE.keys())
def test_labels_that_read_elsewhere_are_checked_as_parsed_whole(
    make_repo: MakeRepo, parsed: str, item: str
) -> None:
    head = VALID_TAXONOMY.split("labels:")[0].replace("title:", "title: &title", 1)
    labels = "  - id: l0\n    name: &first Label 0\n" + "".join(
        f"  - id: l{i}\n    name: Label {i}\n" for i in range(1, 8)
    )
    repo = make_repo(pets=head + "labels:\n" + labels + item)
    files = governed_files(repo)
    in_turn = [_seen(check_file(p, repo)) for p in files]
    with ReadAhead(files, repo, 10**8) as reading:
        ahead = [_seen(check_file(p, repo, source=s)) for p, s in reading.sources()]
    assert ahead == in_turn


def test_findings_in_labels_read_in_parts_are_placed_as_a_whole_parse_places_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The item starts found to cut the labels into parts are the document's
    own (its findings are placed from them, without scanning the text again):
    every finding about a label, read in parts, is where the whole parse puts it."""
    labels = ["labels:\n", "  # the first label\n", "  - id: top\n    name: Top\n"]
    for i in range(40):
        parent = "nowhere" if i % 7 == 3 else "top"
        labels.append(f"  - id: l{i}\n    name: 'Label {i}'\n    parent: {parent}\n")
    path = tmp_path / "taxonomies" / "t" / "taxonomy.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(
        "taxops: taxonomy/1\nid: t\ntitle: T\nversion: 1.0.0\nkind: hierarchical\n"
        + "".join(labels)
        + "owners: ['@team']\n"
    )
    whole = check_file(path, tmp_path)
    monkeypatch.setattr(arriving, "PIPELINE_MIN_CHARS", 0)
    monkeypatch.setattr(arriving, "PIPELINE_MIN_ITEMS", 2)
    monkeypatch.setattr(arriving, "PART_ITEMS", 3)
    source = sources.read_source(path, "taxonomies/t/taxonomy.yaml", tmp_path, 10**8, in_parts=True)
    assert source is not None and source.rest is not None  # read in parts
    assert source.doc is not None
    assert list(source.doc.item_starts("labels") or []) == yaml_source._item_offsets(
        path.read_text(), "labels"
    )
    source.rest()
    in_parts = check_file(path, tmp_path, source=source)
    unknown = [d for d in whole.diagnostics if d.rule == "unknown-parent"]
    assert len(unknown) == 6
    assert _seen(in_parts) == _seen(whole)
