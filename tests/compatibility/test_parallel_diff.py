"""``taxops diff`` loads its two versions side by side: a forked worker checks
the old one and hands it over as a cache entry while the command checks the
new one (:mod:`taxops.check_pair`, :mod:`taxops.forked`).

What must hold, whatever the worker does:
- the output (every finding, at the same file:line:column, and the change
  set) is the one of loading the two one after the other, on every invalid
  file of the foundation cases, on every rule case, and on releases;
- a worker that fails, dies, or leaves a damaged entry makes nothing fail:
  the command loads the file itself;
- Ctrl-C (to the command, or to its whole process group as a terminal sends
  it) ends with the usual one line and exit 130, no worker left running and
  no temporary file left; a worker whose parent is killed ends too;
- with the cache off, nothing is written to the user's cache folder; with it
  on, a release the worker checked is in the cache as a check would leave it;
- the worker is used only where it is safe: ``--jobs 1``, ``TAXOPS_JOBS=1``,
  a running thread, one CPU or no fork load one after the other;
- a comparison with thousands of findings places the old file's in a worker
  while it places the new file's (:func:`taxops.forked.alongside`): the same
  places, whatever becomes of the worker."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from compared import ANCHORED
from taxops import check_pair, file_check, forked, release_cache
from taxops.cli.main import main
from taxops.compatibility.compare import Version, compare
from taxops.loading import PARTIAL_LOCATE_BYTES, YamlDocument, yaml_source
from taxops.models.lazy_labels import MatchedLabels, SourceLabels
from taxops.models.taxonomy import Taxonomy
from taxops.rules import base as rules_base

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from generate import taxonomy_yaml

REPO = Path(__file__).resolve().parents[2]
INVALID_CASES = REPO / "tests" / "foundation" / "invalid"
INVALID = sorted(p for p in INVALID_CASES.rglob("*.yaml") if "taxonomies" in p.parts)
RULE_CASES = sorted(p.parent for p in (REPO / "tests" / "cases").rglob("old.yaml"))
VALID = REPO / "tests" / "cases" / "label-added" / "exclusive-set" / "old.yaml"

pytestmark = pytest.mark.skipif(
    forked.unavailable(2) in ("no fork on this system", "one CPU"),
    reason="the worker needs fork and two CPUs",
)


@pytest.fixture
def no_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The cache off, with a cache folder named (that must stay untouched), and
    temporary files in a folder of the test's own."""
    monkeypatch.setenv("TAXOPS_NO_CACHE", "1")
    monkeypatch.setenv("TAXOPS_CACHE_DIR", str(tmp_path / "user-cache"))
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    return scratch


def _diff(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["diff", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _both_ways(capsys: pytest.CaptureFixture[str], *args: str) -> list[tuple[int, str, str]]:
    """The command's text and JSON output, loading one after the other and
    side by side; asserts they are equal."""
    results = []
    for fmt in ("text", "json"):
        one = _diff(capsys, *args, "--format", fmt, "--jobs", "1")
        two = _diff(capsys, *args, "--format", fmt)
        assert "Traceback" not in one[2] + two[2]
        assert two == one
        results.append(two)
    return results


@dataclass
class Runs:
    """``taxops diff`` run in this process with the cache off: its output, the
    workers it forked, and the folder its temporary files go to."""

    capsys: pytest.CaptureFixture[str]
    workers: list[forked.Worker]
    scratch: Path
    folder: Path

    def diff(self, *args: str) -> tuple[int, str, str]:
        return _diff(self.capsys, *args)

    def generated(self) -> tuple[str, str, tuple[int, str, str]]:
        """Two generated versions (:func:`_generated`) and their diff loaded
        one after the other."""
        old, new = _generated(self.folder)
        return str(old), str(new), self.diff(str(old), str(new), "--jobs", "1")


@pytest.fixture
def runs(
    capsys: pytest.CaptureFixture[str], workers: list[forked.Worker], no_cache: Path, tmp_path: Path
) -> Runs:
    return Runs(capsys, workers, no_cache, tmp_path)


# --- the same output ------------------------------------------------------------


@pytest.mark.parametrize("bad", INVALID, ids=lambda p: str(p.relative_to(REPO / "tests")))
def test_every_invalid_taxonomy_is_reported_the_same_side_by_side(
    bad: Path,
    runs: Runs,
) -> None:
    case = INVALID_CASES / bad.relative_to(INVALID_CASES).parts[0]
    for pair in ((str(bad), str(VALID)), (str(VALID), str(bad)), (str(bad), str(bad))):
        _both_ways(runs.capsys, *pair, "--repo", str(case))  # some of these files are valid alone
    assert len(runs.workers) == 6 and all(w.done and w.status == 0 for w in runs.workers)
    assert not list(runs.scratch.iterdir()) and not (runs.scratch.parent / "user-cache").exists()


@pytest.mark.parametrize("case", RULE_CASES, ids=lambda p: str(p.relative_to(REPO / "tests")))
def test_every_rule_case_is_reported_the_same_side_by_side(case: Path, runs: Runs) -> None:
    _both_ways(runs.capsys, str(case / "old.yaml"), str(case / "new.yaml"))
    assert len(runs.workers) == 2 and all(w.done and w.status == 0 for w in runs.workers)
    assert not list(runs.scratch.iterdir())


def _generated(tmp_path: Path, labels: int = 400) -> tuple[Path, Path]:
    """A generated version and the next one: three labels renamed, one removed
    without a tombstone (an error), one added."""
    text = taxonomy_yaml(labels)
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(text, encoding="utf-8")
    edited = text.replace("version: 1.0.0", "version: 2.0.0", 1)
    for i in (7, 150, 333):
        edited = edited.replace(f"name: Category {i}\n", f"name: Category {i} (renamed)\n", 1)
    head, sep, body = edited.partition(f"  - id: g{labels - 1}\n")
    new.write_text(head + "  - id: added\n    name: Added\n    parent: g1\n", encoding="utf-8")
    assert sep and body
    return old, new


def test_the_handed_over_version_builds_only_the_labels_that_changed(
    tmp_path: Path, no_cache: Path, workers: list[forked.Worker]
) -> None:
    old_path, new_path = _generated(tmp_path)
    old, new = check_pair.check_pair(old_path, new_path, None)
    assert isinstance(old.model, Taxonomy) and isinstance(new.model, Taxonomy)
    # Handed over without its labels serialised: they are read from the file's items.
    assert isinstance(old.model.labels, SourceLabels)
    assert isinstance(new.model.labels, MatchedLabels)
    assert old.doc is not None and new.doc is not None
    lazy = compare(
        Version(old.model, old.doc, old.display), Version(new.model, new.doc, new.display)
    )
    assert old.model.labels.built() <= 10  # the renamed, the removed, their neighbourhood
    one_old, one_new = check_pair.check_pair(old_path, new_path, None, jobs=1)
    assert isinstance(one_old.model, Taxonomy) and isinstance(one_new.model, Taxonomy)
    assert one_old.doc is not None and one_new.doc is not None
    full = compare(
        Version(one_old.model, one_old.doc, one_old.display),
        Version(one_new.model, one_new.doc, one_new.display),
    )
    assert [(c.kind, c.label) for c in lazy.changes] == [(c.kind, c.label) for c in full.changes]
    assert lazy.diagnostics == full.diagnostics and lazy.diagnostics
    assert old.diagnostics == one_old.diagnostics
    assert len(workers) == 1


def test_large_files_are_reported_the_same_side_by_side(
    monkeypatch: pytest.MonkeyPatch, runs: Runs
) -> None:
    """Files over a megabyte place their findings from a line index: the
    worker keeps the old one's with its entry, and the command builds the new
    one's while it waits for the worker."""
    built: list[str] = []
    real = YamlDocument.item_index

    def item_index(doc: YamlDocument, key: str) -> Any:
        built.append(doc.path)
        return real(doc, key)

    monkeypatch.setattr(forked.Worker, "busy", lambda self: True)
    monkeypatch.setattr(YamlDocument, "item_index", item_index)
    old, new = _generated(runs.folder, labels=4000)
    assert min(Path(old).stat().st_size, Path(new).stat().st_size) > PARTIAL_LOCATE_BYTES
    for code, out, _ in _both_ways(runs.capsys, str(old), str(new)):
        assert code == 3 and "label-removed" in out
    assert str(new) in built
    assert len(runs.workers) == 2 and all(w.done for w in runs.workers)


def test_releases_go_to_the_cache_when_it_is_on(
    tmp_path: Path,
    fresh_cache: Path,
    capsys: pytest.CaptureFixture[str],
    workers: list[forked.Worker],
) -> None:
    """A release the worker checks is in the user's cache afterwards, as a
    check of it would leave it; the working file beside it is never cached."""
    old_path, new_path = _generated(tmp_path)
    folder = tmp_path / "repo" / "taxonomies" / "generated"
    (folder / "releases").mkdir(parents=True)
    (folder / "releases" / "1.0.0.yaml").write_bytes(old_path.read_bytes())
    (folder / "taxonomy.yaml").write_bytes(new_path.read_bytes())
    args = ("generated@1.0.0", "generated", "--repo", str(tmp_path / "repo"), "--format", "json")
    first = _diff(capsys, *args)
    assert len(workers) == 1 and workers[0].done and workers[0].status == 0
    entries = list((fresh_cache / "releases").glob("*.json"))
    assert len(entries) == 1
    again = _diff(capsys, *args)  # the release from the cache, lazily; the working file digested
    assert again == first == _diff(capsys, *args, "--jobs", "1")
    assert json.loads(first[1])["comparisons"][0]["changes"]


def test_with_the_cache_off_a_release_goes_to_a_private_folder_only(
    tmp_path: Path,
    runs: Runs,
) -> None:
    old_path, new_path = _generated(tmp_path)
    folder = tmp_path / "repo" / "taxonomies" / "generated"
    (folder / "releases").mkdir(parents=True)
    (folder / "releases" / "1.0.0.yaml").write_bytes(old_path.read_bytes())
    (folder / "taxonomy.yaml").write_bytes(new_path.read_bytes())
    args = ("generated@1.0.0", "generated", "--repo", str(tmp_path / "repo"))
    got, expected = runs.diff(*args), runs.diff(*args, "--jobs", "1")
    assert got == expected, got[2]
    assert len(runs.workers) == 1 and runs.workers[0].done
    assert not (tmp_path / "user-cache").exists()
    assert list(runs.scratch.iterdir()) == []


# --- a worker that fails --------------------------------------------------------

FAILURES = ("raises", "killed", "damaged entry", "no entry")


@pytest.mark.parametrize("how", FAILURES)
def test_a_failing_worker_changes_nothing_but_time(
    how: str,
    monkeypatch: pytest.MonkeyPatch,
    runs: Runs,
) -> None:
    old, new, expected = runs.generated()
    real_check, real_write = file_check.check_file, release_cache.write
    parent = os.getpid()

    def check_file(*args: Any, **kwargs: Any) -> Any:
        if os.getpid() != parent:  # in the worker
            if how == "raises":
                raise RuntimeError("worker broke")
            if how == "killed":
                os.kill(os.getpid(), signal.SIGKILL)
        return real_check(*args, **kwargs)

    def write(key: str, *args: Any, base: Path | None = None, **kwargs: Any) -> None:
        real_write(key, *args, base=base, **kwargs)
        if how == "damaged entry" and base is not None:
            for entry in base.rglob("*.json"):
                data = bytearray(entry.read_bytes())
                data[len(data) // 2] ^= 0xFF
                entry.write_bytes(bytes(data))
        if how == "no entry" and base is not None:
            for entry in base.rglob("*.json"):
                entry.unlink()

    monkeypatch.setattr(check_pair, "check_file", check_file)  # what the worker calls
    monkeypatch.setattr(release_cache, "write", write)
    assert runs.diff(old, new) == expected
    assert expected[0] == 3 and "label-removed" in expected[1]  # breaking, not allowed
    # A damaged label found while comparing checks the pair again in full.
    assert len(runs.workers) == 1 or how == "damaged entry"
    assert (
        runs.workers[0].done
        == (runs.workers[0].status == 0)
        == (how in ("damaged entry", "no entry"))
    )
    assert not list(runs.scratch.iterdir())


@pytest.mark.parametrize("what", ["fork", "pipe", "temporary folder"])
def test_no_process_or_folder_left_loads_both_here(
    what: str,
    monkeypatch: pytest.MonkeyPatch,
    runs: Runs,
) -> None:
    old, new, expected = runs.generated()

    def refused(*args: object, **kwargs: object) -> Any:
        raise OSError(11, "Resource temporarily unavailable")

    if what == "temporary folder":
        monkeypatch.setattr(tempfile, "mkdtemp", refused)
    else:
        monkeypatch.setattr(os, what, refused)
    assert runs.diff(old, new) == expected
    assert runs.workers == []


# --- when no worker is used -----------------------------------------------------


@pytest.mark.parametrize(
    ("setting", "why"),
    [
        ("--jobs 1", "one process asked for"),
        ("TAXOPS_JOBS=1", "one process asked for"),
        ("one CPU", "one CPU"),
        ("busy CPUs", "the CPUs are busy"),
        ("a thread", "another thread is running"),
        ("no fork", "no fork on this system"),
        ("Windows", "no fork on this system"),
    ],
)
def test_no_worker_where_it_is_unsafe_or_unwanted(
    setting: str,
    why: str,
    monkeypatch: pytest.MonkeyPatch,
    runs: Runs,
) -> None:
    old, new, expected = runs.generated()
    assert runs.diff(old, new) == expected
    assert len(runs.workers) == 1
    jobs: list[str] = []
    stop = threading.Event()
    if setting == "--jobs 1":
        jobs = ["--jobs", "1"]
    elif setting == "TAXOPS_JOBS=1":
        monkeypatch.setenv("TAXOPS_JOBS", "1")
    elif setting == "one CPU":
        monkeypatch.setattr(forked, "_cpus", lambda: 1)
    elif setting == "busy CPUs":
        monkeypatch.setattr(forked, "_load", lambda: forked._cpus() - 0.4)
    elif setting == "a thread":
        threading.Thread(target=stop.wait, daemon=True).start()
    elif setting == "no fork":
        monkeypatch.delattr(os, "fork")
    elif setting == "Windows":
        monkeypatch.setattr(sys, "platform", "win32")
    try:
        assert forked.unavailable(1 if jobs else None) == why
        assert runs.diff(old, new, *jobs) == expected
    finally:
        stop.set()
    assert len(runs.workers) == 1  # none more


@pytest.mark.parametrize("how", ["--jobs 2", "TAXOPS_JOBS=2"])
def test_two_processes_asked_for_are_used_on_a_busy_machine_too(
    how: str,
    monkeypatch: pytest.MonkeyPatch,
    runs: Runs,
) -> None:
    old, new, expected = runs.generated()
    monkeypatch.setattr(forked, "_load", lambda: 64.0)
    monkeypatch.setattr(forked, "_cpus", lambda: 1)
    assert forked.unavailable() == "one CPU"
    jobs = ["--jobs", "2"] if how == "--jobs 2" else []
    if not jobs:
        monkeypatch.setenv("TAXOPS_JOBS", "2")
    assert runs.diff(old, new, *jobs) == expected
    assert len(runs.workers) == 1 and runs.workers[0].done
    stop = threading.Event()  # but never beside another thread
    threading.Thread(target=stop.wait, daemon=True).start()
    try:
        assert runs.diff(old, new, *jobs) == expected
    finally:
        stop.set()
    assert len(runs.workers) == 1


def test_a_worker_says_whether_it_is_busy_in_a_process_with_many_files(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Over 1,024 open files (a long-lived caller holding cache entries open),
    asking a worker whether it is still at work must not fail (select() does)."""
    import resource

    if resource.getrlimit(resource.RLIMIT_NOFILE)[0] < 1200:
        pytest.skip("the open-file limit is too low to hold 1,100 files")
    monkeypatch.setattr(forked, "_load", lambda: 0.0)
    held = [os.open(os.devnull, os.O_RDONLY) for _ in range(1100)]
    try:
        with forked.beside(lambda: time.sleep(0.5)) as worker:
            assert worker is not None and worker._done_fd is not None
            assert worker._done_fd > 1024
            assert worker.busy()
            assert worker.wait() and not worker.busy()
    finally:
        for fd in held:
            os.close(fd)


class _FreedMark:
    """Writes a file when it is freed: what a worker's result would cost."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __del__(self) -> None:
        self.path.write_text("freed")


def test_a_worker_says_it_is_done_without_freeing_what_it_built(tmp_path: Path) -> None:
    """A worker's result (a whole taxonomy, in ``diff``) is never freed object
    by object: the caller hears that the work is done at once, and the process
    ends without freeing it (a third of a second at 200,000 labels)."""
    mark = tmp_path / "freed"
    with forked.beside(lambda: _FreedMark(mark)) as worker:
        assert worker is not None
        assert worker.wait()
    assert worker.status == 0  # reaped: the worker has ended
    assert not mark.exists()


def test_an_interrupted_entry_write_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from taxops import cache_entries

    class Interrupting:
        def __init__(self, real: Any) -> None:
            self.real = real

        def __enter__(self) -> Any:
            self.real.__enter__()
            return self

        def __exit__(self, *exc: object) -> None:
            self.real.__exit__(*exc)

        def write(self, data: bytes) -> int:
            raise KeyboardInterrupt

    real_open = Path.open
    monkeypatch.setattr(Path, "open", lambda self, *a, **k: Interrupting(real_open(self, *a, **k)))
    target = tmp_path / "cache" / "releases" / "entry.json"
    with pytest.raises(KeyboardInterrupt):
        cache_entries.write_entry(target, {"x": 1}, b"body", "entry", base=tmp_path / "cache")
    assert [p.name for p in (tmp_path / "cache" / "releases").iterdir()] == []


# --- Ctrl-C and a killed parent -------------------------------------------------

#: Runs a diff of two 30,000-label files (about a second of loading each) as a
#: child of a process that adopts orphans (Linux's child subreaper), signals it
#: while its worker runs, and prints what was seen: the diff's exit code and
#: error output, and whether its worker was left to be adopted, not ended by
#: the diff itself.
_WATCH = r"""
import ctypes, json, os, signal, subprocess, sys, time
ctypes.CDLL(None).prctl(36, 1)  # PR_SET_CHILD_SUBREAPER
how, argv = sys.argv[1], sys.argv[2:]
proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                        start_new_session=True)
children, deadline = [], time.monotonic() + 60
while not children and proc.poll() is None and time.monotonic() < deadline:
    try:
        children = open(f"/proc/{proc.pid}/task/{proc.pid}/children").read().split()
    except OSError:
        pass
    time.sleep(0.005)
time.sleep(0.3)  # both at work
{"command": proc.send_signal, "group": lambda s: os.killpg(proc.pid, s),
 "kill": lambda s: proc.kill()}[how](signal.SIGINT)
err = proc.communicate(timeout=60)[1]
orphans = []
deadline = time.monotonic() + 10
while time.monotonic() < deadline:
    try:
        pid, status = os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        break
    if pid:
        orphans.append([pid, os.waitstatus_to_exitcode(status)])
    time.sleep(0.01)
print(json.dumps({"worker": children, "code": proc.returncode, "err": err, "orphans": orphans}))
"""


def _watch(tmp_path: Path, how: str) -> tuple[dict[str, Any], Path]:
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    text = taxonomy_yaml(30_000)
    old.write_text(text, encoding="utf-8")
    new.write_text(text.replace("version: 1.0.0", "version: 2.0.0", 1), encoding="utf-8")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    # Two processes asked for: the machine running the tests may be busy.
    env = {**os.environ, "TAXOPS_NO_CACHE": "1", "TMPDIR": str(scratch), "TAXOPS_JOBS": "2"}
    diff = [sys.executable, "-m", "taxops.cli.main", "diff", str(old), str(new)]
    done = subprocess.run(
        [sys.executable, "-c", _WATCH, how, *diff],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=180,
    )
    seen: dict[str, Any] = json.loads(done.stdout)
    assert seen["worker"], "the diff ended before its worker was seen"
    return seen, scratch


linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux's subreaper")


@linux
@pytest.mark.parametrize("to", ["command", "group"])
def test_ctrl_c_stops_the_worker_and_leaves_nothing(to: str, tmp_path: Path) -> None:
    """To the command alone (``kill -INT``) or to its process group (a
    terminal's Ctrl-C): the command stops and reaps its worker itself."""
    seen, scratch = _watch(tmp_path, to)
    assert seen["code"] == 130
    assert seen["err"] == "taxops: interrupted\n"
    assert seen["orphans"] == []
    assert list(scratch.iterdir()) == []


@linux
def test_a_worker_ends_with_its_killed_parent(tmp_path: Path) -> None:
    seen, _ = _watch(tmp_path, "kill")
    assert seen["code"] == -signal.SIGKILL
    # Adopted (its parent could not reap it) and killed with it, not left working.
    assert seen["orphans"] == [[int(seen["worker"][0]), -signal.SIGKILL]]


# --- the version handed over without its labels -----------------------------------


def test_a_version_whose_items_read_each_other_is_handed_over_in_full(runs: Runs) -> None:
    """'auto' is written the same in both versions but reads its alias from
    'car': the worker hands the old version over with its labels, and the
    change to 'auto' is found."""
    old, new = runs.folder / "old.yaml", runs.folder / "new.yaml"
    old.write_text(ANCHORED.format(version="1.0.0", name="Car"), encoding="utf-8")
    new.write_text(ANCHORED.format(version="1.1.0", name="Motorcar"), encoding="utf-8")
    got = runs.diff(str(old), str(new), "--format", "json")
    assert got == runs.diff(str(old), str(new), "--format", "json", "--jobs", "1")
    found = {(d["rule"], d["data"].get("label")) for d in json.loads(got[1])["diagnostics"]}
    assert ("alias-added", "auto") in found and ("alias-removed", "auto") in found
    assert len(runs.workers) == 1 and runs.workers[0].done


def test_items_that_do_not_read_back_send_diff_to_full_reads(
    monkeypatch: pytest.MonkeyPatch, runs: Runs
) -> None:
    """The old version's labels are read from its file's items when the
    comparison needs them; an item that does not read back as a label (the
    file changed on disk meanwhile, say) makes ``diff`` read both versions in
    full, with the same result."""
    old, new, expected = runs.generated()
    real_parse, calls = release_cache.parse_yaml, []

    def parse_yaml(text: str, path: str) -> Any:
        calls.append(path)
        if len(calls) > 1:  # the first label, read with the entry, reads back
            return None, ["damaged"]
        return real_parse(text, path)

    monkeypatch.setattr(release_cache, "parse_yaml", parse_yaml)
    assert runs.diff(old, new) == expected
    assert len(calls) == 2  # the entry's first label, then the labels that changed


@pytest.mark.parametrize("large", [False, True], ids=["small", "large"])
@pytest.mark.parametrize(
    "written",
    ["a byte-order mark", "CRLF line ends", "text that is not ASCII"],
)
def test_a_version_handed_over_without_its_labels_is_placed_the_same(
    written: str, large: bool, monkeypatch: pytest.MonkeyPatch, runs: Runs
) -> None:
    """The labels the comparison reads come from the old file's own items:
    findings on them are at the same file, line and column, however the file
    is written, located as a small file is (composed) or as a large one is
    (from its line index)."""
    if large:
        monkeypatch.setattr(yaml_source, "PARTIAL_LOCATE_BYTES", 1)
    old, new = _generated(runs.folder, labels=300)
    for path in (old, new):
        raw = path.read_bytes()
        if written == "a byte-order mark":
            raw = b"\xef\xbb\xbf" + raw
        elif written == "CRLF line ends":
            raw = raw.replace(b"\n", b"\r\n")
        else:
            raw = raw.replace(b"name: Category", "name: Catégorie €".encode())
        path.write_bytes(raw)
    for code, out, _ in _both_ways(runs.capsys, str(old), str(new)):
        assert code == 3 and "label-removed" in out
    assert all(w.done for w in runs.workers)


def test_a_new_version_whose_items_read_each_other_is_compared_label_by_label(
    runs: Runs,
) -> None:
    """The old version reads item by item, the new one does not (an alias):
    the old one is handed over without its labels, and every label is compared,
    with no digests made for nothing; the result is the one-by-one diff's."""
    old, new = runs.folder / "old.yaml", runs.folder / "new.yaml"
    plain = ANCHORED.format(version="1.0.0", name="Car")
    old.write_text(plain.replace("&vehicle ", "").replace("*vehicle", "Car"), encoding="utf-8")
    new.write_text(ANCHORED.format(version="1.1.0", name="Car"), encoding="utf-8")
    first, second = check_pair.check_pair(old, new, None)
    assert isinstance(first.model, Taxonomy) and isinstance(second.model, Taxonomy)
    assert isinstance(first.model.labels, SourceLabels)
    assert type(second.model.labels) is not MatchedLabels and not hasattr(
        second.model.labels, "digests"
    )
    got = runs.diff(str(old), str(new), "--format", "json")
    assert got == runs.diff(str(old), str(new), "--format", "json", "--jobs", "1")


# --- findings placed by two processes ----------------------------------------------


@pytest.fixture
def placed_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    """A few findings are enough for the old file's to be placed by a worker
    (thousands are, on a real comparison)."""
    monkeypatch.setattr(rules_base, "PLACE_OLD_APART_FROM", 1)


def test_findings_placed_by_two_processes_are_placed_as_by_one(
    placed_apart: None, runs: Runs
) -> None:
    old, new = _generated(runs.folder, labels=4000)  # large files: placed from their items
    for code, out, _ in _both_ways(runs.capsys, str(old), str(new)):
        assert code == 3 and "label-removed" in out
    # Each run side by side: one worker loads the old version, one places its
    # findings; the runs with --jobs 1 start none.
    assert len(runs.workers) == 4 and all(w.done and w.status == 0 for w in runs.workers)


def test_findings_on_cached_releases_are_placed_as_by_one_process(
    placed_apart: None,
    tmp_path: Path,
    fresh_cache: Path,
    capsys: pytest.CaptureFixture[str],
    workers: list[forked.Worker],
) -> None:
    """Two releases read from the cache place findings from the files' bytes
    (:class:`~taxops.loading.bytes_document.BytesDocument`), in the worker too."""
    old_path, new_path = _generated(tmp_path, labels=4000)
    releases = tmp_path / "repo" / "taxonomies" / "generated" / "releases"
    releases.mkdir(parents=True)
    (releases / "1.0.0.yaml").write_bytes(old_path.read_bytes())
    (releases / "2.0.0.yaml").write_bytes(new_path.read_bytes())
    args = ("generated@1.0.0", "generated@2.0.0", "--repo", str(tmp_path / "repo"))
    for fmt in ("json", "text"):
        _diff(capsys, *args, "--format", fmt)  # both releases in the cache now
        del workers[:]
        apart = _diff(capsys, *args, "--format", fmt)
        assert len(workers) == 1 and workers[0].done  # no loading worker: the placing one
        assert apart == _diff(capsys, *args, "--format", fmt, "--jobs", "1")
        assert apart[0] == 3 and "label-removed" in apart[1]
    assert len(workers) == 1


@pytest.mark.parametrize("how", ["raises", "killed"])
def test_a_failing_placing_worker_changes_nothing_but_time(
    how: str, placed_apart: None, monkeypatch: pytest.MonkeyPatch, runs: Runs
) -> None:
    old, new, expected = runs.generated()
    real = rules_base._resolve
    parent = os.getpid()

    def resolve(doc: Any, asked: Any) -> Any:
        if os.getpid() != parent:  # in the worker
            if how == "raises":
                raise RuntimeError("worker broke")
            os.kill(os.getpid(), signal.SIGKILL)
        return real(doc, asked)

    monkeypatch.setattr(rules_base, "_resolve", resolve)
    assert runs.diff(old, new) == expected
    placing = runs.workers[-1]
    assert not placing.done and placing.status == (1 if how == "raises" else -signal.SIGKILL)


def test_no_placing_worker_for_the_findings_of_a_usual_change(runs: Runs) -> None:
    """Below the threshold (the findings of a usual pull request) the findings
    are placed here: no worker is started for them (with ``--jobs 1``, none
    ever is: the first test of this section counts them)."""
    old, new, expected = runs.generated()
    assert runs.workers == []
    assert runs.diff(old, new) == expected
    assert len(runs.workers) == 1  # the loading worker alone


# --- forked.alongside ----------------------------------------------------------------


def test_alongside_gives_what_one_after_the_other_gives(workers: list[forked.Worker]) -> None:
    """The worker's answer comes back whole, however large (more than a pipe
    holds at once: the worker waits for this process to read it)."""
    big = [("labels", i, f"name {i}") for i in range(50_000)]
    here, there = forked.alongside(lambda: os.getpid(), lambda: (os.getpid(), big))
    assert here == os.getpid() and there[0] != os.getpid() and there[1] == big
    assert len(workers) == 1 and workers[0].done and workers[0].status == 0


@pytest.mark.parametrize("how", ["raises", "killed", "one process"])
@pytest.mark.parametrize("api", ["alongside", "Ahead"])
def test_a_worker_that_cannot_leaves_the_work_here(
    api: str, how: str, workers: list[forked.Worker], failing_in_workers: Any
) -> None:
    calls: list[int] = []

    def answer() -> str:
        calls.append(os.getpid())
        return "answer"

    there = failing_in_workers(answer, how)
    jobs = 1 if how == "one process" else None
    if api == "alongside":
        assert forked.alongside(lambda: "mine", there, jobs) == ("mine", "answer")
    else:
        with forked.Ahead(there, jobs) as later:
            assert (later.worker is None) == (how == "one process")
            assert later.result() == "answer"
    assert calls == [os.getpid()]  # worked out here, once
    assert len(workers) == (0 if how == "one process" else 1)


# --- forked.Ahead ----------------------------------------------------------------------


def test_ahead_answers_when_asked_while_the_caller_works_on(workers: list[forked.Worker]) -> None:
    """The worker starts at once and its answer waits in the pipe, however
    large (more than a pipe holds), until the caller asks for it."""
    big = [("page", i, f"text {i}") for i in range(50_000)]
    with forked.Ahead(lambda: (os.getpid(), big)) as later:
        assert later.worker is not None
        time.sleep(0.2)  # the caller's own work meanwhile
        assert later.worker.busy()  # its answer is not all handed over until read
        pid, answer = later.result()
    assert pid != os.getpid() and answer == big
    assert len(workers) == 1 and workers[0].done and workers[0].status == 0


def test_an_ahead_stopped_unasked_leaves_no_worker(workers: list[forked.Worker]) -> None:
    """A caller that fails before it asks (a site build that broke) stops
    the worker still at work: it is interrupted and reaped."""
    with pytest.raises(RuntimeError), forked.Ahead(lambda: time.sleep(60)) as later:
        assert later.worker is not None and later.worker.busy()
        raise RuntimeError("the caller failed")
    assert len(workers) == 1 and workers[0].status is not None and not workers[0].done
    with pytest.raises(ChildProcessError):
        os.waitpid(workers[0].pid, os.WNOHANG)
