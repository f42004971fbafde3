"""``taxops``: entry point, argument parsing and the one place where exceptions
become messages and exit codes."""

from __future__ import annotations

import argparse
import atexit
import os
import signal
import sys
import threading
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

try:  # Ctrl-C while the modules load is an interruption too, not a traceback
    from taxops import __version__, interrupts
    from taxops.cli import exit_codes
    from taxops.cli.argtypes import file_arguments
    from taxops.cli.commands import REGISTRY
    from taxops.collector import hold_until_exit, holding, keep, release
    from taxops.diagnostics import TaxopsError
    from taxops.escaping import terminal, terminal_lines
except KeyboardInterrupt:
    sys.stderr.write("taxops: interrupted\n")
    sys.stderr.flush()
    os._exit(130)  # nothing is written yet; exit before another signal can land

DESCRIPTION = """\
Governance-as-code for data-labeling operations: taxonomies, guidelines and
policies kept as versioned YAML in git, validated, compared and published.
"""

EPILOG = """\
exit codes:
  0  nothing to fix
  1  findings: a governed file has errors
  2  the command could not run (bad argument, missing file or repository)
  3  taxops check: a breaking change the version or policy does not allow
  70 an internal error in taxops (a bug to report, never a finding)
  130 interrupted (Ctrl-C)

Run 'taxops COMMAND --help' for a command's options.
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(terminal_lines([f"taxops: error: {message}"]))  # quotes the argument
        raise SystemExit(exit_codes.USAGE)


def build_parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    """The parser. Every command is listed, but only the one ``argv`` names is
    loaded and configured: the others' modules (and what they import) stay
    unloaded."""
    parser = _Parser(
        prog="taxops",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"taxops {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    wanted = _command_named(argv)
    for entry in REGISTRY:
        p = sub.add_parser(
            entry.name, help=entry.summary, formatter_class=argparse.RawDescriptionHelpFormatter
        )
        if entry.name == wanted:
            command = entry.load()
            p.description = command.description
            command.configure(p)
            p.set_defaults(run=command.run)
    return parser


def _command_named(argv: Sequence[str]) -> str | None:
    """The command ``argv`` asks for: its first word that is not an option
    (taxops' own options, --help and --version, take no value)."""
    return next((a for a in argv if not a.startswith("-")), None)


def console() -> NoReturn:
    """The ``taxops`` program: :func:`main`, then the end of the process.

    When the command held what it loaded until the end
    (:func:`taxops.collector.keep`), the process ends without freeing it:
    output flushed, exit handlers run (temporary folders removed, engines
    stopped), then ``os._exit``, as mypy ends its runs. The memory goes back to
    the system with the process; freeing 200,000 labels object by object took
    about a quarter of a second after the work was done. With another thread
    still running, the process ends the usual way, which waits for it; so it
    does under a profiler or a tracer (cProfile, coverage, a debugger), which
    writes what it saw after the program returns."""
    hold_until_exit()
    code = main()
    watched = sys.getprofile() is not None or sys.gettrace() is not None
    if not holding() or threading.active_count() > 1 or watched:
        sys.exit(code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # the reader left: as main() treats it
        pass
    except OSError:  # e.g. a full disk: Python's own exit reports it
        sys.exit(code)
    atexit._run_exitfuncs()
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except KeyboardInterrupt:  # even one raised while a handler below runs
        return _interrupted()
    finally:
        release()  # called in-process: the command's data may go now


def _main(argv: Sequence[str] | None) -> int:
    interrupts.install()
    _tolerant_streams()
    given = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(given)
    args = parser.parse_args(given)
    if not getattr(args, "run", None):
        parser.print_help()
        return exit_codes.USAGE
    if getattr(args, "site_command", None) != "serve":
        # A command that runs once: what its pauses build (a 90,000-entry
        # guideline, two releases) lives until it returns, so it leaves the
        # collector's sight as it is built, not when the command hands it to
        # keep_loaded: a validate's checks otherwise paid 0.5 to 1 s of
        # collections over it. A preview rebuilds for as long as it runs: its
        # pauses hand their objects back to the collector.
        keep()
    try:
        _refuse_collisions(args)
        return int(args.run(args))
    except TaxopsError as exc:
        sys.stderr.write(error_text(exc))
        return exit_codes.USAGE
    except KeyboardInterrupt:
        return _interrupted()
    except BrokenPipeError:
        return exit_codes.OK
    except OSError as exc:
        # A file or folder the command needed could not be read or written
        # (e.g. 'schema --output' naming an existing file).
        where = f": {exc.filename}" if exc.filename else ""
        sys.stderr.write(terminal_lines([f"taxops: {exc.strerror or exc}{where}"]))
        return exit_codes.USAGE
    except Exception as exc:  # the one place a bug becomes a message
        if _is_interruption(exc):
            return _interrupted()
        return _crash(args.command, exc)


def error_text(exc: TaxopsError) -> str:
    """What the user reads for an error: the message and the hint one line each,
    escaped (a value they quote cannot start a line, so it cannot forge a line
    of taxops' output or a CI workflow command), then the example's lines."""
    lines = [f"taxops: {exc.message}", *([f"  hint: {exc.hint}"] if exc.hint else [])]
    example = exc.example.split("\n") if exc.example else []
    return terminal_lines(lines) + terminal_lines(f"    {line}" for line in example)


def _refuse_collisions(args: argparse.Namespace) -> None:
    """Before any command runs: no file it writes is one it reads, another it
    writes, or a governed file (see :mod:`taxops.collisions`)."""
    writes, reads = file_arguments(vars(args))
    if not writes:
        return
    from taxops.collisions import refuse_collisions
    from taxops.repo_layout import find_root

    repo = getattr(args, "repo", None)
    root = Path(repo) if repo else find_root(Path.cwd())
    refuse_collisions(writes, reads, root)


def _is_interruption(exc: Exception) -> bool:
    """DuckDB reports Ctrl-C during a query as its own exception (RuntimeError
    'Query interrupted', or duckdb.InterruptException), wherever it runs."""
    return type(exc).__name__ == "InterruptException" or (
        isinstance(exc, RuntimeError) and str(exc).strip().lower() == "query interrupted"
    )


def _interrupted() -> int:
    """Ctrl-C: one line and exit 130. Temporary files were removed on the way
    out (``finally`` blocks). Further SIGINTs are ignored from here: one still
    pending (DuckDB can raise the signal again after it stops a query) must not
    turn the exit into a kill by signal."""
    while True:
        try:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            # Objects half-built when the signal hit (GitPython's config
            # parser) complain from their finalizers at exit: not the user's news.
            sys.unraisablehook = lambda _: None
            sys.stderr.write("taxops: interrupted\n")
            return exit_codes.INTERRUPTED
        except KeyboardInterrupt:
            continue


def _tolerant_streams() -> None:
    """Output to a terminal or pipe that cannot encode a character (a latin-1
    locale, a Windows code page) shows it as ``\\u274c`` instead of stopping the
    command with UnicodeEncodeError. UTF-8 output is unchanged."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def _crash(command: str, exc: Exception) -> int:
    """An unexpected exception is a bug in taxops: one line saying so, with its own
    exit code, so CI never mistakes it for findings (exit 1). The traceback is
    shown only on request (``TAXOPS_DEBUG=1``)."""
    if os.environ.get("TAXOPS_DEBUG"):
        traceback.print_exc()
    detail = terminal(f"{type(exc).__name__}: {exc}")
    if len(detail) > 300:
        detail = detail[:300] + "..."
    sys.stderr.write(
        f"taxops: internal error in 'taxops {command}' ({detail}). This is a bug in taxops, "
        "not a finding in your files: please report it with the command you ran "
        "(set TAXOPS_DEBUG=1 to print the traceback).\n"
    )
    return exit_codes.CRASH


if __name__ == "__main__":
    console()
