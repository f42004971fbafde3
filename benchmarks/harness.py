"""What every benchmark shares, so every cell is measured the same way.

* **Whole process.** A cell is a command run in a fresh process (interpreter
  start-up and imports included), as a user runs it; its time is wall-clock
  from spawn to exit and its memory the process's peak resident set
  (``os.wait4``).
* **Several runs, the median.** The machine is shared: one slow run must not
  decide a cell. Every run's time is kept in the JSON results.
* **Variants in turns.** The variants of a case measured together
  (:func:`measure_together`) run one after the other, run by run (baseline,
  taxops, baseline, taxops...), not each variant's runs in a row: this
  machine's speed drifts by a fifth and more within minutes, and a ratio of
  two cells measured minutes apart measured the drift as much as the code.
* **Load noted.** The 1-minute load average is read before and after each run;
  the results show the highest seen during the cell, and a run can wait for a
  quiet machine first (``wait_for_quiet``).
* **Speed noted.** The machine's speed drifts by a fifth and more within
  minutes with no change in the load average: a fixed Python loop is timed at
  the start and at the end of the run (:func:`cpu_probe`), so an absolute aim
  (seconds) can be read against how fast the machine was.
* **Bytecode compiled, as installed.** An installed package has its bytecode
  (pip compiles it); a checkout run with ``PYTHONDONTWRITEBYTECODE`` set (as on
  CI machines) would compile every module from source in every process, about
  0.2 s that no user pays. The package is compiled once before any cell.
* **One version of the code.** A benchmark that finds taxops' code changed
  while it ran (an edit in the checkout it measures) writes no results: its
  cells measured two versions, and cache entries keyed by the code missed.
* **Results written by the script.** Each benchmark writes
  ``results/<name>.md`` (the tables, the aims met or not, as ratios against the
  baseline of the same run) and ``results/<name>.json`` (every number), and an
  SVG chart; nothing in ``results/`` is edited by hand.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
#: Generated inputs. Outside the project's repository: a taxonomy file under a
#: folder with ``taxonomies/`` above it is validated as part of that repository
#: (its every other file too), which is not the case a benchmark means to time.
OUT = Path(os.environ.get("TAXOPS_BENCH_OUT") or Path(tempfile.gettempdir()) / "taxops-bench")
#: The interpreter of the environment taxops is installed in.
PYTHON = sys.executable
#: The ``taxops`` command beside that interpreter (whole-process cells run it).
TAXOPS = str(Path(sys.executable).with_name("taxops"))


def compile_taxops() -> None:
    """Write taxops' bytecode (see the module's docstring); quick when current."""
    import compileall

    import taxops

    compileall.compile_dir(str(Path(taxops.__file__).parent), quiet=1)


compile_taxops()


def code_now() -> str:
    """A fingerprint of taxops' code as it is on disk now (not the one this
    process computed once and keeps)."""
    from taxops.cache_entries import code_fingerprint

    return code_fingerprint.__wrapped__()


def cpu_probe() -> float:
    """Seconds a fixed pure-Python loop takes now (the median of three)."""
    times = []
    for _ in range(3):
        started = time.perf_counter()
        sum(i * i for i in range(2_000_000))
        times.append(time.perf_counter() - started)
    return round(statistics.median(times), 3)


#: What the run started with: the machine's speed (:func:`cpu_probe`) and
#: taxops' code (:func:`code_now`), taken before the first command runs. Not when
#: this module is imported: the worker processes a benchmark times import it
#: too (a probe there added 0.4 s to every cell).
_AT_START: dict[str, object] = {}


def _started() -> dict[str, object]:
    if not _AT_START:
        _AT_START.update(probe=cpu_probe(), code=code_now())
    return _AT_START


def load() -> float:
    """The 1-minute load average."""
    return os.getloadavg()[0]


def add_run_options(parser: argparse.ArgumentParser) -> None:
    """The options every benchmark takes: runs per cell, and the quiet
    machine to wait for (:func:`wait_for_quiet`)."""
    parser.add_argument("--repeat", type=int, default=3, help="runs per cell (median time)")
    parser.add_argument("--quiet-load", type=float, default=1.5, help="wait for this load")
    parser.add_argument("--patience", type=float, default=300.0, help="seconds to wait for it")


def seconds_by_case(cells: Sequence[Cell]) -> dict[str, dict[str, float]]:
    """Each case's variants and their median seconds: what the bar chart draws."""
    groups: dict[str, dict[str, float]] = {}
    for c in cells:
        groups.setdefault(c.case, {})[c.variant] = c.seconds
    return groups


def wait_for_quiet(limit: float = 1.5, patience: float = 600.0, poll: float = 15.0) -> float:
    """Wait until the load average is under ``limit`` (other jobs share the
    machine), at most ``patience`` seconds; returns the load when it starts."""
    deadline = time.monotonic() + patience
    while load() >= limit and time.monotonic() < deadline:
        time.sleep(poll)
    return load()


@dataclass
class Cell:
    """One variant of one case: the median of its runs."""

    case: str
    variant: str
    seconds: float
    runs: list[float]
    peak_mb: float
    load: float
    """The highest 1-minute load average seen during the runs."""
    baseline: bool = False
    extra: dict[str, object] = field(default_factory=dict)
    cpu_seconds: float = 0.0
    """The median CPU time (user + system, all threads) of the runs."""
    argv: list[str] = field(default_factory=list)
    """The command the cell ran (kept so an aim not met can be profiled)."""
    env: dict[str, str] = field(default_factory=dict)
    cwd: str | None = None


def run_once(
    argv: Sequence[str], *, env: dict[str, str] | None = None, cwd: Path | None = None
) -> tuple[float, float, str]:
    """One run: wall seconds, peak resident MB (``os.wait4``), standard output.
    A failing command stops the benchmark with its error output; exit codes 1
    and 3 (findings) are results, not failures."""
    _started()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            list(argv), stdout=out, stderr=err, env={**os.environ, **(env or {})}, cwd=cwd
        )
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        errors = err.read().decode(errors="replace")
        err.seek(0)
        # Exit 1 is a result for taxops (findings), but a Python worker that died
        # of an exception exits 1 too: a traceback is never a result.
        if proc.returncode not in (0, 1, 3) or "Traceback (most recent call last)" in errors:
            raise SystemExit(
                f"benchmark command failed ({proc.returncode}): {' '.join(argv)}\n"
                + err.read().decode(errors="replace")[-3000:]
            )
        _LAST_CPU[0] = usage.ru_utime + usage.ru_stime
        return seconds, usage.ru_maxrss / 1024, out.read().decode(errors="replace")


#: The CPU seconds (user + system) of the last :func:`run_once`: on a loaded
#: machine the wall time includes waiting for a core, the CPU time does not.
_LAST_CPU = [0.0]


@dataclass(frozen=True)
class Variant:
    """One way of doing a case's work: the command a cell runs."""

    name: str
    argv: Sequence[str]
    baseline: bool = False
    env: dict[str, str] | None = None
    cwd: Path | None = None
    before_each: object = None
    """Called before each run (e.g. to remove what the last run wrote)."""


def measure(
    case: str,
    variant: str,
    argv: Sequence[str],
    *,
    repeat: int = 3,
    baseline: bool = False,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    before_each: object = None,
) -> Cell:
    """Run ``argv`` ``repeat`` times; the median time and the highest peak memory."""
    one = Variant(variant, argv, baseline, env, cwd, before_each)
    return measure_together(case, [one], repeat=repeat)[0]


def measure_together(case: str, variants: Sequence[Variant], *, repeat: int = 3) -> list[Cell]:
    """Every variant of ``case`` run ``repeat`` times, in turns (the first
    variant's first run, the second's first run... then every second run), so
    the machine's drift weighs on each alike; a cell per variant, in order."""
    runs: dict[str, list[_Run]] = {v.name: [] for v in variants}
    for _ in range(repeat):
        for v in variants:
            if callable(v.before_each):
                v.before_each()
            before = load()
            seconds, peak, out = run_once(v.argv, env=v.env, cwd=v.cwd)
            runs[v.name].append(_Run(seconds, peak, _LAST_CPU[0], max(before, load()), out))
    return [_cell(case, v, runs[v.name]) for v in variants]


@dataclass(frozen=True)
class _Run:
    """One run of a variant: what :func:`run_once` measured, and the load."""

    seconds: float
    peak_mb: float
    cpu_seconds: float
    load: float
    """The higher of the load averages before and after the run."""
    out: str


def _cell(case: str, v: Variant, runs: list[_Run]) -> Cell:
    cell = Cell(
        case,
        v.name,
        round(statistics.median(r.seconds for r in runs), 3),
        [round(r.seconds, 3) for r in runs],
        round(max(r.peak_mb for r in runs)),
        round(max(r.load for r in runs), 2),
        v.baseline,
        cpu_seconds=round(statistics.median(r.cpu_seconds for r in runs), 3),
        argv=list(v.argv),
        env=dict(v.env or {}),
        cwd=str(v.cwd) if v.cwd is not None else None,
    )
    out = runs[-1].out.strip()
    last = out.splitlines()[-1] if out else ""
    if last.startswith("{"):
        with contextlib.suppress(json.JSONDecodeError):
            cell.extra = json.loads(last)
    print(
        f"  {case} | {v.name}: {cell.seconds:.2f} s (runs {cell.runs}), "
        f"{cell.peak_mb:.0f} MB, load {cell.load}",
        file=sys.stderr,
        flush=True,
    )
    return cell


@dataclass
class Aim:
    """A target from the issue, checked against this run's cells."""

    what: str
    value: float
    limit: float
    unit: str  # "x" for a ratio, "s", "MB"
    cell: Cell | None = None
    """The taxops cell the aim is about: profiled when the aim is not met."""
    profile: str = ""
    """Where the time goes when the aim is not met (:func:`where_time_goes`),
    taken when the aim is made, while the cell's inputs still exist."""

    def __post_init__(self) -> None:
        if self.cell is not None and not self.met and not self.profile:
            key = (self.cell.case, self.cell.variant)
            if key not in _PROFILED:
                _PROFILED.add(key)
                self.profile = where_time_goes(self.cell)

    @property
    def met(self) -> bool:
        return self.value <= self.limit

    def row(self) -> str:
        shown = (
            f"{self.value:.2f}{self.unit}" if self.unit == "x" else f"{self.value:,.2f} {self.unit}"
        )
        limit = f"{self.limit:g}{self.unit}" if self.unit == "x" else f"{self.limit:,g} {self.unit}"
        return f"| {self.what} | {shown} | <= {limit} | {'met' if self.met else '**not met**'} |"


#: The cells already profiled in this run (several aims may name one cell).
_PROFILED: set[tuple[str, str]] = set()

#: Frames that say nothing about where taxops spends its time.
_NOISE = ("<frozen ", "builtins.exec", "<string>", "cProfile", "profile.py")


def where_time_goes(cell: Cell, top: int = 16) -> str:
    """One more run of the cell's command under cProfile: the functions with
    the most cumulative time (imports and the interpreter's own frames left
    out), as a Markdown table. This is what an aim not met reports: the
    profile says what is left."""
    if not cell.argv:
        return ""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "profile"
        head = cell.argv[1:] if cell.argv[0] == PYTHON else cell.argv
        argv = [PYTHON, "-m", "cProfile", "-o", str(out), *head]
        run_once(argv, env=cell.env, cwd=Path(cell.cwd) if cell.cwd else None)
        import pstats

        stats = pstats.Stats(str(out))
        entries = stats.stats  # type: ignore[attr-defined]
        total = max((cum for _, _, _, cum, _ in entries.values()), default=0.0)
        rows = []
        for (filename, line, name), (_, calls, _, cum, _) in entries.items():
            where = f"{filename}:{line}({name})" if line else name
            if any(n in where for n in _NOISE) or "importlib" in where or cum >= 0.95 * total:
                continue  # the interpreter, imports, and the wrappers around everything
            if "/taxops/" in filename:
                where = "taxops/" + filename.split("/taxops/", 1)[1] + f":{line} {name}"
            elif "site-packages/" in filename:
                where = filename.split("site-packages/", 1)[1] + f":{line} {name}"
            rows.append((cum, calls, where))
    rows.sort(reverse=True)
    lines = [
        f"### {cell.case}: {cell.variant}\n",
        f"One run under cProfile ({total:.2f} s in all, the profiler's overhead included):\n",
        "| function | calls | cumulative s | share |",
        "|---|---:|---:|---:|",
    ]
    for cum, calls, where in rows[:top]:
        share = f"{cum / total:.0%}" if total else ""
        lines.append(f"| `{where}` | {calls:,} | {cum:.2f} | {share} |")
    return "\n".join(lines) + "\n"


def ratio(cell: Cell, base: Cell) -> float:
    return cell.seconds / base.seconds if base.seconds else float("inf")


def machine() -> dict[str, object]:
    return {
        "cores": os.cpu_count(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "probe_s": [_started()["probe"], cpu_probe()],
    }


def cells_table(cells: Sequence[Cell]) -> str:
    """One row per cell; each variant's time as a multiple of its case's baseline."""
    bases = {c.case: c for c in cells if c.baseline}
    lines = [
        "| case | variant | median s | runs (s) | CPU s | peak MB | vs baseline | load |",
        "|---|---|---:|---|---:|---:|---:|---:|",
    ]
    for c in cells:
        base = bases.get(c.case)
        versus = "baseline" if c.baseline else (f"{ratio(c, base):.2f}x" if base else "")
        runs = ", ".join(f"{t:.2f}" for t in c.runs)
        lines.append(
            f"| {c.case} | {c.variant} | {c.seconds:.2f} | {runs} | {c.cpu_seconds:.2f} | "
            f"{c.peak_mb:,.0f} | "
            f"{versus} | {c.load:.2f} |"
        )
    return "\n".join(lines) + "\n"


def aims_table(aims: Sequence[Aim]) -> str:
    lines = ["| aim | this run | target | |", "|---|---:|---:|---|"]
    lines += [a.row() for a in aims]
    return "\n".join(lines) + "\n"


def write_results(
    name: str,
    title: str,
    intro: str,
    cells: Sequence[Cell],
    aims: Sequence[Aim],
    *,
    notes: str = "",
    chart: str | None = None,
    extra: dict[str, object] | None = None,
) -> Path:
    """``results/<name>.md`` and ``results/<name>.json`` (and the chart), written
    by the script from this run's cells only."""
    if code_now() != _started()["code"]:
        raise SystemExit(
            f"taxops' code changed while benchmarks/{name}.py ran: its cells measured two "
            "versions of it; no results written. Run it again without editing the code."
        )
    RESULTS.mkdir(exist_ok=True)
    info = machine()
    probe: list[float] = info["probe_s"]  # type: ignore[assignment]
    loads = [c.load for c in cells]
    header = (
        f"# {title}\n\n"
        f"Written by `benchmarks/{name}.py` on {info['date']} (do not edit by hand: re-run it). "
        f"{info['cores']} cores, Python {info['python']}. Every cell is a whole process "
        "(start-up and imports included), the median of its runs; peak = the largest "
        "resident set of its runs; load = the highest 1-minute load average seen during "
        f"the cell (this run: {min(loads, default=0):.2f} to {max(loads, default=0):.2f}). "
        "The machine's speed, a fixed Python loop timed (lower is faster): "
        f"{probe[0]:.3f} s at the start, {probe[1]:.3f} s at the end.\n\n"
    )
    body = header + intro.strip() + "\n\n"
    if aims:
        body += "## Aims\n\n" + aims_table(aims) + "\n"
    body += "## Cells\n\n" + cells_table(cells)
    if chart is not None:
        (RESULTS / f"{name}.svg").write_text(chart, encoding="utf-8")
        body += f"\n![chart]({name}.svg)\n"
    if notes.strip():
        body += "\n" + notes.strip() + "\n"
    unmet = [a for a in aims if not a.met and a.cell is not None]
    if unmet:
        body += (
            "\n## Where the time goes, for each aim not met\n\n"
            "Profiled in the same run (a separate run of the same command), so what is "
            "left is read from the profile, not guessed.\n\n"
        )
        body += "".join(aim.profile + "\n" for aim in unmet if aim.profile)
    path = RESULTS / f"{name}.md"
    path.write_text(body, encoding="utf-8")
    data = {
        "machine": info,
        "cells": [asdict(c) for c in cells],
        "aims": [
            {**{k: v for k, v in asdict(a).items() if k not in ("cell", "profile")}, "met": a.met}
            for a in aims
        ],
        **(extra or {}),
    }
    (RESULTS / f"{name}.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return path
