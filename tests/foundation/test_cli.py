"""The command line: exit codes (0 clean, 1 findings, 2 could not run), help for
every command, and the output formats end to end."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from fresh_process import taxops_modules
from taxops import __version__
from taxops.cli import exit_codes
from taxops.cli.commands import REGISTRY, commands
from taxops.cli.main import main

from .conftest import BROKEN_TAXONOMY, MakeRepo

CapSys = pytest.CaptureFixture[str]


def test_exit_codes_are_the_documented_ones() -> None:
    assert (exit_codes.OK, exit_codes.FINDINGS, exit_codes.USAGE) == (0, 1, 2)
    assert (exit_codes.BREAKING, exit_codes.CRASH, exit_codes.INTERRUPTED) == (3, 70, 130)


def test_a_crash_is_one_line_and_its_own_exit_code(
    make_repo: MakeRepo, capsys: CapSys, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug must not look like findings (exit 1) nor print a traceback; control
    characters in the exception text are shown, not sent to the terminal."""
    import taxops.validate as validate  # the command imports check_paths from it as it runs

    def boom(*args: object, **kwargs: object) -> object:
        raise RuntimeError("boom\n::error::not a command\x1b[2J")

    monkeypatch.setattr(validate, "check_paths", boom)
    monkeypatch.delenv("TAXOPS_DEBUG", raising=False)
    repo = make_repo()
    assert main(["validate", "--repo", str(repo)]) == exit_codes.CRASH
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "internal error in 'taxops validate'" in err
    assert "RuntimeError: boom\\n::error::not a command\\x1b[2J" in err


def test_a_crash_shows_the_traceback_on_request(
    make_repo: MakeRepo, capsys: CapSys, monkeypatch: pytest.MonkeyPatch
) -> None:
    import taxops.validate as validate  # the command imports check_paths from it as it runs

    def boom(*args: object, **kwargs: object) -> object:
        raise RuntimeError("boom")

    monkeypatch.setattr(validate, "check_paths", boom)
    monkeypatch.setenv("TAXOPS_DEBUG", "1")
    assert main(["validate", "--repo", str(make_repo())]) == exit_codes.CRASH
    assert "Traceback" in capsys.readouterr().err


def test_clean_repository_exits_0(make_repo: MakeRepo, capsys: CapSys) -> None:
    repo = make_repo()
    assert main(["validate", "--repo", str(repo)]) == 0
    out, err = capsys.readouterr()
    assert out == "1 file checked: no problems found\n"
    assert err == ""


def test_findings_exit_1_with_paths_relative_to_the_repository(
    make_repo: MakeRepo, capsys: CapSys
) -> None:
    repo = make_repo(pets=BROKEN_TAXONOMY)
    assert main(["validate", "--repo", str(repo)]) == 1
    summary, blank, finding, *_ = capsys.readouterr().out.splitlines()
    assert (summary, blank) == ("1 file checked: 1 error", "")
    assert finding.startswith("taxonomies/pets/taxonomy.yaml:12:13: error [unknown-parent] ")


def test_repository_is_found_from_a_subfolder(
    make_repo: MakeRepo, capsys: CapSys, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(pets=BROKEN_TAXONOMY)
    monkeypatch.chdir(repo / "taxonomies" / "pets")
    assert main(["validate"]) == 1
    assert (
        capsys.readouterr().out.splitlines()[2].startswith("taxonomies/pets/taxonomy.yaml:12:13:")
    )


def test_named_files_and_folders(
    make_repo: MakeRepo, capsys: CapSys, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo()
    monkeypatch.chdir(repo)
    assert main(["validate", "taxonomies/pets/taxonomy.yaml"]) == 0
    assert main(["validate", "taxonomies"]) == 0
    assert capsys.readouterr().out.count("1 file checked: no problems found") == 2


def test_missing_path_is_a_usage_error(
    make_repo: MakeRepo, capsys: CapSys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(make_repo())
    assert main(["validate", "taxonomies/nope.yaml"]) == 2
    out, err = capsys.readouterr()
    assert err == "taxops: no such file or folder: taxonomies/nope.yaml\n"
    assert out == ""


def test_no_repository_is_a_usage_error(
    tmp_path: Path, capsys: CapSys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["validate"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("taxops: no governance repository here")
    assert "hint:" in err
    assert "Traceback" not in err


def test_repo_option_pointing_elsewhere_is_a_usage_error(tmp_path: Path, capsys: CapSys) -> None:
    assert main(["validate", "--repo", str(tmp_path)]) == 2
    assert "is not a governance repository" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["validate", "--no-such-option"],
        ["validate", "--format", "xml"],
        ["no-such-command"],
        ["validate", "--max-file-size", "nan"],
        ["validate", "--max-file-size", "inf"],
        ["validate", "--max-file-size", "-1"],
        ["validate", "--max-file-size", "ten"],
    ],
)
def test_bad_arguments_exit_2_with_usage(argv: list[str], capsys: CapSys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: taxops")
    assert "taxops: error:" in err


def test_no_command_prints_help_and_exits_2(capsys: CapSys) -> None:
    assert main([]) == 2
    assert capsys.readouterr().out.startswith("usage: taxops")


def test_main_help_lists_commands_and_exit_codes(capsys: CapSys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = " ".join(capsys.readouterr().out.split())  # argparse wraps long lines
    assert "Governance-as-code" in out
    assert "exit codes:" in out
    for command in commands():
        assert command.name in out
        assert " ".join(command.summary.split()) in out


def test_the_registry_is_the_commands() -> None:
    """Each entry names its module's command and shows its summary; every
    command module is registered."""
    assert [(e.name, e.summary) for e in REGISTRY] == [(c.name, c.summary) for c in commands()]
    folder = Path(__file__).resolve().parents[2] / "tooling" / "taxops" / "cli" / "commands"
    modules = {p.stem for p in folder.glob("*.py") if "\nCOMMAND = " in p.read_text()}
    assert modules == {e.module for e in REGISTRY}


def test_help_and_one_command_load_only_what_they_need() -> None:
    """``taxops --help`` imports no command module; ``taxops migrate --help``
    imports migrate's alone, and none of what other commands need."""
    code = (
        "import sys\n"
        "from taxops.cli.main import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith(('taxops', 'sqlglot', "
        "'git', 'pyoxigraph', 'mkdocs', 'duckdb', 'jinja2', 'markdown_it', 'openpyxl')))), "
        "file=sys.stderr)"
    )

    def loaded(*argv: str) -> set[str]:
        done = subprocess.run(
            [sys.executable, "-c", code, *argv], capture_output=True, text=True, check=True
        )
        return set(done.stderr.split())

    at_help = loaded("--help")
    assert not {m for m in at_help if m.startswith("taxops.cli.commands.")}
    heavy = {"sqlglot", "git", "pyoxigraph", "mkdocs", "duckdb", "taxops.models.guideline"}
    assert not at_help & heavy
    migrate = loaded("migrate", "--help")
    commands_loaded = {m for m in migrate if m.startswith("taxops.cli.commands.")}
    assert commands_loaded <= {"taxops.cli.commands.migrate", "taxops.cli.commands.common"}
    assert not migrate & {"sqlglot", "git", "pyoxigraph", "mkdocs", "taxops.models.guideline"}


def test_a_migration_loads_no_sql_generator_git_or_site(tmp_path: Path) -> None:
    """A real ``taxops migrate`` run (the example dataset, from its provenance to
    the newest release) imports none of what other commands need: its SQL is
    DuckDB's, quoted without sqlglot; no git, no repository-wide validation, no
    site."""
    root = Path(__file__).resolve().parents[2]
    modules = taxops_modules(
        "migrate", "examples/datasets/support-tickets-2025.csv", "-o", str(tmp_path / "out.csv"),
        "--no-progress", cwd=root,
    )  # fmt: skip
    assert (tmp_path / "out.csv").is_file()
    unwanted = ("sqlglot", "git", "pyoxigraph", "mkdocs", "taxops.validate", "taxops.repository")
    assert not [m for m in modules if m.split(".")[0] in unwanted or m in unwanted]
    assert not [m for m in modules if m.startswith("taxops.site")]


@pytest.mark.parametrize("command", commands(), ids=[e.name for e in REGISTRY])
def test_every_command_has_help(command: object, capsys: CapSys) -> None:
    name = command.name  # type: ignore[attr-defined]
    with pytest.raises(SystemExit) as exc:
        main([name, "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: taxops {name}")
    first_line = command.description.splitlines()[0]  # type: ignore[attr-defined]
    assert " ".join(first_line.split()) in " ".join(out.split())


def test_version(capsys: CapSys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out == f"taxops {__version__}\n"


def test_installed_command_runs() -> None:
    """The console script pip installs, not just the function behind it."""
    script = Path(sys.executable).with_name("taxops")
    if not script.exists():
        pytest.skip("taxops is not installed as a script next to this Python")
    result = subprocess.run(
        [str(script), "--help"], check=False, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: taxops")


def test_json_format_end_to_end(make_repo: MakeRepo, capsys: CapSys) -> None:
    repo = make_repo(pets=BROKEN_TAXONOMY, birds=BROKEN_TAXONOMY.replace("id: pets", "id: birds"))
    assert main(["validate", "--repo", str(repo), "--format", "json"]) == 1
    body = json.loads(capsys.readouterr().out)
    assert body["summary"] == {"files": 2, "error": 2, "warning": 0, "info": 0}
    assert [d["location"] for d in body["diagnostics"]] == [
        {"path": "taxonomies/birds/taxonomy.yaml", "line": 12, "column": 13},
        {"path": "taxonomies/pets/taxonomy.yaml", "line": 12, "column": 13},
    ]


def test_github_format_end_to_end(make_repo: MakeRepo, capsys: CapSys) -> None:
    repo = make_repo(pets=BROKEN_TAXONOMY)
    assert main(["validate", "--repo", str(repo), "--format", "github"]) == 1
    (line,) = capsys.readouterr().out.splitlines()
    assert line.startswith(
        "::error file=taxonomies/pets/taxonomy.yaml,line=12,col=13,title=taxops [unknown-parent]::"
    )


def test_github_format_when_clean_prints_nothing(make_repo: MakeRepo, capsys: CapSys) -> None:
    assert main(["validate", "--repo", str(make_repo()), "--format", "github"]) == 0
    assert capsys.readouterr().out == ""


def test_only_errors_fail_a_run() -> None:
    """Warnings and notes are shown but leave the exit code at 0."""
    from taxops.diagnostics import Diagnostic, Severity, has_errors

    warning = Diagnostic("w", Severity.WARNING, "m")
    assert not has_errors([warning, Diagnostic("i", Severity.INFO, "m")])
    assert has_errors([warning, Diagnostic("e", Severity.ERROR, "m")])


def test_a_file_that_cannot_be_written_is_a_usage_error(tmp_path: Path, capsys: CapSys) -> None:
    occupied = tmp_path / "schemas"
    occupied.write_text("not a folder", encoding="utf-8")
    assert main(["schema", "--output", str(occupied)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("taxops: ") and str(occupied) in err
    assert "Traceback" not in err
