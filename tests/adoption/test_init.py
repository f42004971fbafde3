"""``taxops init`` in an empty folder gives a repository that passes ``taxops
check`` and ``taxops site build --strict`` at once, whose site opens on a home
page with a navigation a labeler reads (short titles, no product reference);
it never overwrites a file; ``--from`` starts from an imported taxonomy."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from taxops.cli.main import main

ROOT = Path(__file__).resolve().parents[2]


def nav_titles(index: Path) -> list[str]:
    html = index.read_text(encoding="utf-8")
    primary = html[html.index("md-sidebar--primary") : html.index("md-sidebar--secondary")]
    titles = [t.strip() for t in re.findall(r'class="md-ellipsis">\s*([^<]+?)\s*<', primary)]
    return [t for i, t in enumerate(titles) if i == 0 or t != titles[i - 1]]  # Home's own toc


def test_init_passes_check_and_builds_a_site_for_labelers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["init", str(tmp_path)]) == 0
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 0
    assert main(["site", "build", "--strict"]) == 0
    titles = nav_titles(tmp_path / "site-build" / "index.html")
    assert titles[0] == "Home"
    section = titles.index("Comment toxicity")
    assert titles[section + 1 : section + 8] == [
        "Overview", "Decision guide", "Edge cases", "Quiz", "Flashcards", "Cheat sheet", "Changelog",
    ]  # fmt: skip
    assert not any(":" in t for t in titles)  # never "Changelog: Comment toxicity"
    assert not (tmp_path / "site-build" / "reference").exists()
    assert "/.taxops/" in (tmp_path / ".gitignore").read_text().splitlines()
    assert {p.name for p in (tmp_path / "schemas").iterdir()} >= {
        "taxonomy.schema.json", "guideline.schema.json", "vendor.schema.json",
    }  # fmt: skip


def test_init_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: Ours\nplugins: [search, taxops]\n")
    assert main(["init", str(tmp_path)]) == 0
    assert (tmp_path / "mkdocs.yml").read_text().startswith("site_name: Ours")
    assert "kept 1 existing file(s) as they are (init never overwrites): mkdocs.yml" in (
        capsys.readouterr().err
    )
    guideline = tmp_path / "guidelines" / "comment-toxicity.yaml"
    guideline.write_text(guideline.read_text() + "# our edit\n")
    assert main(["init", str(tmp_path)]) == 0
    assert guideline.read_text().endswith("# our edit\n")


def test_init_adds_no_starter_to_a_repository_with_taxonomies(tmp_path: Path) -> None:
    folder = tmp_path / "taxonomies" / "ours"
    folder.mkdir(parents=True)
    (folder / "taxonomy.yaml").write_text("taxops: taxonomy/1\n")
    assert main(["init", str(tmp_path)]) == 0
    assert not (tmp_path / "taxonomies" / "comment-toxicity").exists()
    assert (tmp_path / ".github" / "workflows" / "taxonomy-check.yml").is_file()


@pytest.mark.parametrize(("fmt", "name"), [("label-studio", "config.xml"), ("skos", "t.ttl")])
def test_init_from_an_export_checks_and_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str, name: str
) -> None:
    exported = tmp_path / name
    to = "label-studio" if fmt == "label-studio" else "skos"
    assert (
        main(["export", "support-intents", "--to", to, "-o", str(exported), "--repo", str(ROOT)])
        == 0
    )
    repo = tmp_path / "repo"
    assert (
        main(["init", str(repo), "--from", str(exported), "--format", fmt, "--owner", "@support"])
        == 0
    )
    taxonomy = (repo / "taxonomies" / "support-intents" / "taxonomy.yaml").read_text()
    assert "billing.charge_dispute" in taxonomy and "@support" in taxonomy
    assert not (repo / "taxonomies" / "comment-toxicity").exists()
    monkeypatch.chdir(repo)
    assert main(["check"]) == 0
    assert main(["site", "build", "--strict"]) == 0


def test_the_next_steps_are_commands_that_run_as_printed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A folder with a space and a ';' is one quoted word of the suggested 'cd'
    (unquoted, the shell would run what follows the ';'); in the folder itself
    there is nothing to change to."""
    import shlex
    import subprocess

    folder = tmp_path / "team repo; touch pwned"
    assert main(["init", str(folder)]) == 0
    [step] = [line for line in capsys.readouterr().out.splitlines() if "taxops check" in line]
    cd = step.strip().split(" && ")[0]
    assert shlex.split(cd) == ["cd", str(folder)]
    subprocess.run(["sh", "-c", f"{cd} && pwd"], cwd=tmp_path, check=True, capture_output=True)
    assert not (tmp_path / "pwned").exists()
    monkeypatch.chdir(folder)
    assert main(["init", "."]) == 0
    [step] = [line for line in capsys.readouterr().out.splitlines() if "taxops check" in line]
    assert step.strip().startswith("taxops check &&")


def test_init_from_a_publishers_edition_takes_its_year_as_the_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Journey 7 starts with init --from the publisher's file: its year is the
    first (calendar) version, and the result checks and builds at once."""
    order = tmp_path / "icd10cm_order_2025.txt"
    order.write_text(
        "".join(
            f"{n:05d} {code:<7} {flag} {title:<60} {title}\n"
            for n, (code, flag, title) in enumerate(
                [("A00", 0, "Cholera"), ("A000", 1, "Cholera due to Vibrio cholerae 01"),
                 ("A001", 1, "Cholera due to Vibrio cholerae 01, biovar eltor")],
                start=1,
            )
        ),
        encoding="utf-8",
    )  # fmt: skip
    repo = tmp_path / "repo"
    argv = ["init", str(repo), "--from", str(order), "--taxonomy", "icd-10-cm"]
    assert main([*argv, "--version", "2025"]) == 0
    taxonomy = (repo / "taxonomies" / "icd-10-cm" / "taxonomy.yaml").read_text(encoding="utf-8")
    assert "version: '2025'\n" in taxonomy and "versioning: calver\n" in taxonomy
    assert "leaf_only: true\n" in taxonomy
    monkeypatch.chdir(repo)
    assert main(["check"]) == 0
    assert main(["site", "build", "--strict"]) == 0
    capsys.readouterr()
    assert main(["init", str(tmp_path / "other"), "--version", "2025"]) == 2
    assert "--sheet, --lang, --code-levels and --version go with --from" in capsys.readouterr().err


def test_init_from_padded_codes_takes_the_digits_of_each_level(tmp_path: Path) -> None:
    source = tmp_path / "unspsc.csv"
    source.write_text("Code,Title\n10000000,Live Plant\n10100000,Live animals\n", encoding="utf-8")
    repo = tmp_path / "repo"
    argv = ["init", str(repo), "--from", str(source), "--code-levels", "2,2,2,2"]
    assert main(argv) == 0
    taxonomy = (repo / "taxonomies" / "unspsc" / "taxonomy.yaml").read_text(encoding="utf-8")
    assert "- id: '10100000'\n  name: Live animals\n  parent: '10000000'\n" in taxonomy
