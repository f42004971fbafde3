"""One piece of work done in a forked process while this one does another.

The two versions ``taxops diff`` compares are independent until they are
compared, and loading one (parse, validation, in-file checks) is a second or
more of one core's work at 100,000 labels; most machines have two cores or
more. A worker forked after the imports (so it starts at once, sharing the
loaded code) loads one version while the parent loads the other. A site
build works the same way (:class:`Ahead`): a worker renders every other label
page, and one reads the pages' search sections while MkDocs builds them.

Fork is used only where it is safe (:func:`unavailable` says why not): a
POSIX system (not Windows, which has no fork) and no other thread running (a
thread's locks would be copied held); and, unless the user asks for two
processes (``--jobs 2``, ``TAXOPS_JOBS=2``), only where it pays: more than one
usable CPU, and a core free for it. Handing the work over costs CPU time (at
96,000 labels a quarter more in all), and two processes each building a
gigabyte of objects contend for memory, so on a machine with other work (a
1-minute load average within half a core of the CPU count) two processes
finish later than one. Measured on two cores, against one process: at a load
of 1.3, 21% faster (96,000 codes) and 29% faster (200,000 labels); at 1.5 to
1.8, 200,000 labels 5 to 20% slower; at 3.7, both 40% slower.
``--jobs 1`` or ``TAXOPS_JOBS=1`` never fork. The caller then does the work
itself; it does the same whenever the worker fails, so a worker can make a
command faster and never makes it fail.

A worker never outlives its run: Ctrl-C reaches it (from the terminal, or
from the parent when it stops it) as in the parent, and it ends without
running the parent's exit handlers; on Linux it also ends when the parent
dies. Nothing it writes is the caller's output: it hands its result over in
files the caller named.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Generic, NoReturn, TypeVar

_Here = TypeVar("_Here")
_There = TypeVar("_There")

#: The environment variable that sets how many processes may work at once
#: (``1``: never fork).
JOBS_VARIABLE = "TAXOPS_JOBS"

#: How long a worker asked to stop may take before it is killed (seconds).
_STOP_GRACE = 5.0


def unavailable(jobs: int | None = None) -> str | None:
    """Why no worker is forked now, or None when one is. ``jobs`` is the
    user's ``--jobs`` (None: not given, so ``TAXOPS_JOBS`` or the machine
    decides)."""
    if jobs is None:
        given = os.environ.get(JOBS_VARIABLE, "").strip()
        jobs = int(given) if given.isdigit() else None
    if jobs is not None and jobs < 2:
        return "one process asked for"
    if not hasattr(os, "fork") or sys.platform == "win32":
        return "no fork on this system"
    if _threads() > 1:
        return "another thread is running"
    if jobs is None and _cpus() < 2:
        return "one CPU"
    if jobs is None and _load() > _cpus() - 0.5:
        return "the CPUs are busy"
    return None


def _threads() -> int:
    """Every thread of the process, those a native library started included
    (Linux lists them all; elsewhere Python's own count)."""
    with contextlib.suppress(OSError):
        return len(os.listdir("/proc/self/task"))
    return threading.active_count()


def _load() -> float:
    """How many tasks want a CPU now, this process included: on Linux the
    runnable tasks the kernel counts at this instant (``/proc/loadavg``'s
    fourth field). The 1-minute load average, used where that is not
    available, lags a minute behind: right after other work (a CI step that
    installed packages, the previous command) it says a machine that is now
    idle is busy, and a worker would be refused for a minute for nothing."""
    with (
        contextlib.suppress(OSError, ValueError, IndexError),
        open("/proc/loadavg", encoding="ascii") as f,
    ):
        return float(f.read().split()[3].partition("/")[0])
    try:
        return os.getloadavg()[0]
    except OSError:
        return 0.0


def _cpus() -> int:
    """The CPUs this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


class Worker:
    """A forked process doing one piece of work: :meth:`wait` for it, and
    always :meth:`stop` it (a ``finally``), which reaps it whatever happened.

    The worker says when its work is done, before it ends: the memory of a
    process that held a 200,000-label taxonomy takes a third of a second to
    give back, which the caller spends on its own work instead."""

    def __init__(self, pid: int, done: int) -> None:
        self.pid = pid
        self._done_fd: int | None = done
        self.done: bool | None = None
        """Whether the work was done (None: not known yet)."""
        self.status: int | None = None
        """Its exit code once reaped (0: the work was done)."""
        self.peak_kb = 0
        """Its peak resident memory, once reaped (kB)."""

    def busy(self) -> bool:
        """Whether the worker is still at work (it has not said it is done,
        nor ended): the caller may use the time for work of its own."""
        if self.done is not None or self._done_fd is None:
            return False
        try:  # poll, not select: a process may hold more than 1,024 files
            poller = select.poll()
            poller.register(self._done_fd, select.POLLIN)
            return not poller.poll(0)
        except (OSError, ValueError, AttributeError):  # no poll here: not known to be busy
            return False

    def wait(self) -> bool:
        """Wait until the work is done (or the worker ended without doing
        it); whether it was done."""
        if self.done is None:
            said = os.read(self._done_fd, 1) if self._done_fd is not None else b""
            self.done = said == _DONE
            if not self.done:
                self._reap(0)
        return self.done

    def stop(self) -> None:
        """End the worker if it still works (as Ctrl-C would: it cleans up),
        and reap it; killed if it does not end within a few seconds. A worker
        whose work is done is only waited for: it is ending."""
        try:
            if self.status is None and self.done:
                self._reap(0)
            if self.status is None:
                self._interrupt()
        finally:
            if self._done_fd is not None:
                os.close(self._done_fd)
                self._done_fd = None

    def _interrupt(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGINT)
        deadline = time.monotonic() + _STOP_GRACE
        while not self._reap(os.WNOHANG):
            if time.monotonic() > deadline:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self.pid, signal.SIGKILL)
                self._reap(0)
                return
            time.sleep(0.01)

    def _reap(self, options: int) -> bool:
        try:
            pid, status, usage = os.wait4(self.pid, options)
        except ChildProcessError:  # reaped elsewhere: its result is unknown
            self.status = -1
            return True
        if pid == 0:
            return False
        self.status = os.waitstatus_to_exitcode(status)
        self.peak_kb = usage.ru_maxrss
        return True


#: What a worker writes to its parent when its work is done.
_DONE = b"\x01"


@contextmanager
def beside(work: Callable[[], object]) -> Iterator[Worker | None]:
    """A worker forked to run ``work()`` while the block runs; stopped and
    reaped when the block ends, however it ends. None when the system could
    not start one (no process or file descriptor left): the caller does the
    work itself. Use only when :func:`unavailable` says nothing.

    Ctrl-C while the process forks is held back until the worker is in hand
    (then raised as usual), so no worker is ever left without its parent
    knowing it."""
    for stream in (sys.stdout, sys.stderr):  # nothing buffered is written twice
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    asked: list[FrameType | None] = []
    handler = signal.signal(signal.SIGINT, lambda signum, frame: asked.append(frame))
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    worker = None
    try:
        worker = _fork(work, held)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        signal.signal(signal.SIGINT, handler)
    try:
        if asked and callable(handler):
            handler(signal.SIGINT, asked[0])  # the Ctrl-C held back, as it would have been
        yield worker
    finally:
        if worker is not None:
            worker.stop()


def alongside(
    here: Callable[[], _Here], there: Callable[[], _There], jobs: int | None = None
) -> tuple[_Here, _There]:
    """``here()`` in this process while a worker forked now computes
    ``there()``: both results, as calling one after the other gives them.

    For work that reads a lot of what this process holds and answers little
    (where a comparison's findings are in the old file). See :class:`Ahead`."""
    with Ahead(there, jobs) as later:
        mine = here()
        return mine, later.result()


class Ahead(Generic[_There]):
    """``there()``, computed by a worker forked now while the caller goes on
    with its own work; :meth:`result` gives it when the caller needs it. Use
    it as a context manager (or call :meth:`stop`), so the worker never
    outlives the caller's block.

    The worker starts with this process's memory, so nothing is handed over
    but its answer, pickled through a pipe from a child of this process
    (nothing anyone else wrote is unpickled). Where no worker may be forked
    (:func:`unavailable`; ``jobs`` is the user's ``--jobs``), or it fails,
    :meth:`result` works ``there()`` out here: a worker saves time and never
    changes a result."""

    def __init__(self, there: Callable[[], _There], jobs: int | None = None) -> None:
        self._there = there
        self._stack = contextlib.ExitStack()
        self._answer = -1
        self.worker: Worker | None = None
        """The worker (None: there is none, :meth:`result` works it out here)."""
        if unavailable(jobs) is not None:
            return
        try:
            answer, give = os.pipe()
        except OSError:
            return

        def work() -> object:
            os.close(answer)
            result = there()
            with os.fdopen(give, "wb") as out:
                pickle.dump(result, out, protocol=pickle.HIGHEST_PROTOCOL)
            return result

        try:
            self.worker = self._stack.enter_context(beside(work))
        except BaseException:
            os.close(answer)
            raise
        finally:
            os.close(give)  # this process's copy: the worker's close is the end of the answer
        if self.worker is None:
            os.close(answer)
        else:
            self._answer = answer

    def result(self) -> _There:
        """The worker's answer (waited for), or ``there()`` worked out here."""
        handed = None
        if self._answer >= 0 and self.worker is not None:
            try:
                handed = _read_all(self._answer)
                if not self.worker.wait():
                    handed = None
            finally:
                self._close_answer()
        if handed:
            with contextlib.suppress(Exception):  # a worker that died halfway: work it out here
                answer: _There = pickle.loads(handed)
                return answer
        return self._there()

    def stop(self) -> None:
        """Stop the worker if it still works, and reap it."""
        try:
            self._stack.close()
        finally:
            self._close_answer()

    def _close_answer(self) -> None:
        if self._answer >= 0:
            os.close(self._answer)
            self._answer = -1

    def __enter__(self) -> Ahead[_There]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _read_all(fd: int) -> bytes:
    """Everything written to the pipe ``fd`` until its writers closed it."""
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def _fork(work: Callable[[], object], held: set[int | signal.Signals]) -> Worker | None:
    """The worker, or None when the system has no process or pipe left."""
    parent = os.getpid()
    try:
        done_read, done_write = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(done_read)
        os.close(done_write)
        return None
    if pid == 0:
        os.close(done_read)
        _worker(work, parent, held, done_write)
    os.close(done_write)
    return Worker(pid, done_read)


def _worker(
    work: Callable[[], object], parent: int, held: set[int | signal.Signals], done: int
) -> NoReturn:
    """The worker's whole life: never returns into the caller's code. Its first
    Ctrl-C interrupts the work (its ``finally`` blocks clean up); any later one
    is ignored, so nothing can escape past the exit below."""
    code = 70
    try:
        try:
            signal.signal(signal.SIGINT, _interrupt_once)
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
            _end_with(parent)
            _quiet_stdout()
            # What the work built stays referenced until the exit below, which
            # frees nothing object by object: freed first (a whole taxonomy),
            # it kept the caller waiting a third of a second for nothing.
            _kept = work()
            os.write(done, _DONE)
            code = 0
        except KeyboardInterrupt:
            code = 130
        except BaseException:  # the caller does the work itself: never its error
            code = 1
        finally:
            os._exit(code)  # no exit handlers of the parent's, no buffers flushed twice
    finally:
        os._exit(130)


def _interrupt_once(signum: int, frame: FrameType | None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise KeyboardInterrupt


def _end_with(parent: int) -> None:
    """On Linux, the worker is killed when its parent dies (even by SIGKILL),
    so it never works on, or writes, for nobody."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before that took effect
        os._exit(1)


def _quiet_stdout() -> None:
    """The worker's standard output goes nowhere: the caller's output is the
    caller's alone."""
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)


def private_folder() -> Path:
    """A new folder only this user can read, for what a worker hands over."""
    import tempfile

    return Path(tempfile.mkdtemp(prefix="taxops-work-"))
