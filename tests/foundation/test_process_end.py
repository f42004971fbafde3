"""How the ``taxops`` program ends (``taxops.cli.main.console``): a command that
held what it loaded ends without freeing it object by object, yet its output is
complete, its exit code kept and every exit handler run. Each case runs the
program in a process of its own: how a process ends cannot be seen from inside
the test's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

# A program that ends the way the `taxops` script does. Before the command, it
# registers an exit handler (as a temporary folder or an engine does) and an
# audit hook that marks the interpreter's own finalisation (the step that frees
# every object: CPython raises this event in it, and only in it); with "hold",
# `keep` holds some data before the command, as a command holds the versions
# it loaded.
_PROGRAM = """
import atexit, sys, threading
from pathlib import Path
from taxops.cli.main import console
from taxops.collector import hold_until_exit, keep

marks = Path(sys.argv[1])
atexit.register(lambda: (marks / "exit-handler").write_text("ran"))

def finalising(event, args, mark=str(marks / "finalised"), _open=open):
    if event == "cpython.PyInterpreterState_Clear":
        with _open(mark, "w") as f:
            f.write("finalised")
sys.addaudithook(finalising)

if sys.argv[2] == "hold":
    hold_until_exit()  # as console() does first
    keep([object() for _ in range(1000)])
if sys.argv[3] == "thread":
    def work(mark=str(marks / "thread-done"), _open=open):
        __import__("time").sleep(3)  # still running when the command ends
        with _open(mark, "w") as f:
            f.write("done")
    threading.Thread(target=work).start()
sys.argv = ["taxops", *sys.argv[4:]]
console()
"""


def _run(tmp_path: Path, hold: str, thread: str, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _PROGRAM, str(tmp_path), hold, thread, *argv],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def invalid_taxonomy(tmp_path: Path) -> Path:
    """A taxonomy with many findings, so the output is larger than a pipe's buffer."""
    labels = "".join(
        f"  - id: l{i}\n    name: L {i}\n    definition: Label {i}.\n    parent: missing{i}\n"
        for i in range(3000)
    )
    path = tmp_path / "taxonomy.yaml"
    path.write_text(
        "taxops: taxonomy/1\nid: big\ntitle: Big\nversion: 1.0.0\nkind: hierarchical\n"
        'owners: ["@team/labels"]\n'
        "description: Many labels whose parents do not exist.\n"
        f"labels:\n{labels}",
        encoding="utf-8",
    )
    return path


def test_held_data_is_not_freed_but_output_and_exit_handlers_are_complete(
    tmp_path: Path, invalid_taxonomy: Path
) -> None:
    done = _run(
        tmp_path, "hold", "no-thread", "validate", "--format", "json", str(invalid_taxonomy)
    )
    assert done.returncode == 1, done.stderr
    # Every finding reached the pipe (flushed before the process ended).
    assert done.stdout.count("missing") >= 3000
    assert (tmp_path / "exit-handler").read_text() == "ran"
    assert not (tmp_path / "finalised").exists()  # ended without freeing it


def test_without_held_data_the_process_ends_the_usual_way(tmp_path: Path) -> None:
    done = _run(tmp_path, "free", "no-thread", "rules")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "exit-handler").read_text() == "ran"
    assert (tmp_path / "finalised").read_text() == "finalised"


def test_a_running_thread_makes_the_process_end_the_usual_way(tmp_path: Path) -> None:
    done = _run(tmp_path, "hold", "thread", "rules")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "exit-handler").read_text() == "ran"
    assert (tmp_path / "thread-done").read_text() == "done"  # the usual end waited for it
    assert (tmp_path / "finalised").read_text() == "finalised"


def test_the_installed_program_is_the_console_entry() -> None:
    """``taxops`` on PATH ends through :func:`console`, not bare ``main``."""
    import importlib.metadata

    (script,) = [
        e for e in importlib.metadata.entry_points(group="console_scripts") if e.name == "taxops"
    ]
    assert script.value == "taxops.cli.main:console"


def test_under_a_profiler_the_process_ends_the_usual_way(
    tmp_path: Path, invalid_taxonomy: Path
) -> None:
    """cProfile writes its profile after the program returns: it must get to."""
    program = tmp_path / "program.py"
    program.write_text(_PROGRAM, encoding="utf-8")
    profile = tmp_path / "profile"
    command = [sys.executable, "-m", "cProfile", "-o", str(profile), str(program)]
    done = subprocess.run(
        [*command, str(tmp_path), "hold", "no-thread", "validate", str(invalid_taxonomy)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    # (cProfile swallows the program's SystemExit: its own exit code is 0.)
    assert done.returncode == 0, done.stderr
    assert "3,000" in done.stdout or "3000" in done.stdout  # the command ran to its end
    assert profile.stat().st_size > 0
    assert (tmp_path / "finalised").read_text() == "finalised"


def test_main_in_process_holds_nothing(invalid_taxonomy: Path) -> None:
    """A caller of main() in its own process (the tests, a tool) runs command
    after command: what each loaded must not pile up until its process ends."""
    from taxops import collector
    from taxops.cli.main import main

    assert main(["validate", "--format", "json", str(invalid_taxonomy)]) == 1
    assert not collector.holding()


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="counts open files in /proc")
def test_main_in_process_frees_what_each_command_loaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run after run, nothing stays frozen out of the collector's sight: a
    diff of two cached releases reads them lazily, each holding its cache
    entry's file open, and those files are closed once the command's data goes."""
    import gc
    import os

    from taxops.cli.main import main

    from .conftest import VALID_TAXONOMY

    folder = tmp_path / "repo" / "taxonomies" / "pets"
    (folder / "releases").mkdir(parents=True)
    renamed = VALID_TAXONOMY.replace("1.0.0", "1.1.0").replace("name: Dog", "name: Hound")
    (folder / "taxonomy.yaml").write_text(renamed, encoding="utf-8")
    (folder / "releases" / "1.0.0.yaml").write_text(VALID_TAXONOMY, encoding="utf-8")
    (folder / "releases" / "1.1.0.yaml").write_text(renamed, encoding="utf-8")
    monkeypatch.setenv("TAXOPS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("TAXOPS_NO_CACHE", raising=False)
    monkeypatch.chdir(tmp_path / "repo")
    assert main(["validate"]) == 0  # fills the release cache

    def open_files() -> int:
        return len(os.listdir("/proc/self/fd"))

    gc.collect()
    before = open_files()
    for _ in range(4):
        assert main(["diff", "pets@1.0.0", "pets@1.1.0", "--format", "json"]) == 0
        assert gc.get_freeze_count() == 0
    gc.collect()
    assert open_files() == before


def test_a_command_keeps_what_it_loads_out_of_the_collectors_sight_from_the_start(
    invalid_taxonomy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What loading builds is frozen as each pause ends, so the checks that
    follow (and allocate as they go) never rescan it: a validate of a
    90,000-entry guideline paid 0.5 to 1 s of collections over it. main()
    in-process unfreezes it all when the command returns."""
    import gc

    import taxops.validate
    from taxops.cli.main import main

    frozen: list[int] = []
    check_across_files = taxops.validate.check_across_files

    def watched(*args: object, **kwargs: object) -> None:
        frozen.append(gc.get_freeze_count())
        check_across_files(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(taxops.validate, "check_across_files", watched)
    assert main(["validate", "--format", "json", str(invalid_taxonomy)]) == 1
    assert frozen and frozen[0] > 0
    assert gc.get_freeze_count() == 0
