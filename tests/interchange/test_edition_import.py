"""``taxops import FILE --into ID``: a publisher's new edition merged into a
taxonomy's working version, keeping everything the team wrote. Checked on a
small file that holds every case, then on NAICS 2012 -> 2017 from the Census
Bureau's own tables: the journey by commands gives the map the concordance
gives a hand-built 2017 file."""

from __future__ import annotations

from pathlib import Path

import pytest
from crosswalk.published import DATA, naics_yaml
from editions import released_import
from taxops.cli.main import main
from taxops.history import migration_map

HEADER = """\
# Our copy of the published classification. Do not edit codes by hand.
taxops: taxonomy/1
id: codes
title: Diagnosis codes (team edition)  # our title, not the publisher's
versioning: calver
version: '2024'  # the edition's year
kind: hierarchical
ids: code
owners: ['@coding-team']
compatibility: none
labels:
"""

WORKING = (
    HEADER
    + """\
  - id: A00
    name: Infections
  - id: A00.0
    name: Cholera
    # our labelers asked for this one
    definition: Acute infection of the small intestine, as our guideline explains it.
    aliases: [cholera classic]
  - id: A00.1
    name: Typhoid
    parent: A00
  - id: A00.9
    name: Old code
    parent: A00
    status: retired
    replaced_by: [A00.1]
  - id: A01
    name: Viral infections
  - id: A01.0
    name: Measles
    parent: A01
  - id: A01.1
    name: Mumps
    parent: A01
"""
)


def _repo(tmp_path: Path, working: str = WORKING) -> Path:
    folder = tmp_path / "taxonomies" / "codes"
    folder.mkdir(parents=True)
    (folder / "taxonomy.yaml").write_text(working, encoding="utf-8")
    return tmp_path


def _edition(tmp_path: Path, rows: str) -> Path:
    path = tmp_path / "edition.csv"
    path.write_text("code,title,parent,status\n" + rows, encoding="utf-8")
    return path


#: The next edition: A00.0 moves under A00 and A00.1 is renamed (its place and
#: name are the publisher's); A01.1 is gone; A01.2 is new.
EDITION = """\
A00,Infections,,
A00.0,Cholera,A00,
A00.1,Typhoid fever,A00,
A01,Viral infections,,
A01.0,Measles,A01,
A01.2,Rubella,A01,
"""


def _into(repo: Path, edition: Path, *extra: str) -> int:
    return main(["import", str(edition), "--into", "codes", "--repo", str(repo), *extra])


def _working(repo: Path) -> str:
    return (repo / "taxonomies" / "codes" / "taxonomy.yaml").read_text(encoding="utf-8")


def test_an_edition_keeps_the_header_and_what_the_team_wrote(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = _repo(tmp_path)
    assert _into(repo, _edition(tmp_path, EDITION), "--version", "2025") == 0
    text = _working(repo)
    # The header as it was, but for the version (its quotes and comment kept).
    assert text.startswith(HEADER.replace("version: '2024'", "version: '2025'"))
    assert (
        "  - id: A00.0\n"
        "    name: Cholera\n"
        "    parent: A00\n"
        "    definition: Acute infection of the small intestine, as our guideline explains it.\n"
        "    aliases: [cholera classic]\n"
    ) in text.replace("aliases:\n    - cholera classic", "aliases: [cholera classic]")
    # Unchanged labels keep their lines; the edition's order; a label it does
    # not have stays after the label it followed, as a tombstone.
    ids = [line.split(": ", 1)[1] for line in text.splitlines() if line.startswith("  - id:")]
    assert ids == ["A00", "A00.0", "A00.1", "A00.9", "A01", "A01.0", "A01.1", "A01.2"]
    assert (
        "  - id: A01.1\n    name: Mumps\n    parent: A01\n    status: retired\n"
        "    replacement: review\n"
    ) in text
    assert "  - id: A01.0\n    name: Measles\n    parent: A01\n" in text
    assert "  - id: A00.1\n    name: Typhoid fever\n    parent: A00\n" in text
    assert "    status: retired\n    replaced_by: [A00.1]\n" in text
    err = capsys.readouterr().err
    assert "5 unchanged" not in err and "3 unchanged" in err
    assert "1 added (A01.2)" in err and "1 renamed (A00.1)" in err and "1 moved (A00.0)" in err
    assert "1 retired by the edition (now tombstones, replacement: review) (A01.1)" in err
    assert "1 tombstones of earlier versions kept" in err
    assert main(["validate", "--repo", str(repo)]) == 0


def test_the_same_edition_twice_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = _repo(tmp_path)
    edition = _edition(tmp_path, EDITION)
    assert _into(repo, edition) == 0
    first = _working(repo)
    capsys.readouterr()
    assert _into(repo, edition) == 0
    assert _working(repo) == first
    assert "already has this edition: nothing to change" in capsys.readouterr().err


def test_diff_shows_the_edits_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = _repo(tmp_path)
    assert _into(repo, _edition(tmp_path, EDITION), "--diff") == 1
    assert _working(repo) == WORKING
    out = capsys.readouterr().out
    assert "+    status: retired" in out and "+  - id: A01.2" in out
    assert "+    name: Typhoid fever" in out


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(
            "A00,Infections,,\nA00.9,Old code back,A00,\n",
            "  - id: A00.9\n    name: Old code back\n    parent: A00\n",
            id="a tombstone's code back in use",
        ),
        pytest.param(
            "A00,Infections,,\nA00.1,Typhoid,A00,deprecated\n",
            "  - id: A00.1\n    name: Typhoid\n    parent: A00\n    status: deprecated\n"
            "    replacement: review\n",
            id="the edition deprecates a code",
        ),
        pytest.param(
            "A00,Infections,,\nA00.0,Cholera,,\nA00.1,Typhoid,A00,\n",
            "    name: Cholera\n    # our labelers asked for this one\n",
            id="a label as it was keeps its comment",
        ),
    ],
)
def test_what_a_label_of_both_becomes(tmp_path: Path, rows: str, expected: str) -> None:
    repo = _repo(tmp_path)
    assert _into(repo, _edition(tmp_path, rows)) == 0
    assert expected in _working(repo)
    assert main(["validate", "--repo", str(repo)]) == 0


def test_a_working_version_saved_on_windows_stays_so(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    path = repo / "taxonomies" / "codes" / "taxonomy.yaml"
    path.write_bytes(WORKING.replace("\n", "\r\n").encode())
    assert _into(repo, _edition(tmp_path, EDITION)) == 0
    raw = path.read_bytes()
    assert b"\n" not in raw.replace(b"\r\n", b"")  # every line ends in CR LF
    assert raw.startswith(HEADER.replace("\n", "\r\n").encode())
    assert b"  - id: A01.0\r\n    name: Measles\r\n    parent: A01\r\n" in raw
    assert main(["validate", "--repo", str(repo)]) == 0


def test_an_edition_that_drops_thousands_of_codes_in_a_row(tmp_path: Path) -> None:
    labels = "".join(f"  - id: C{i:05d}\n    name: Code {i}\n" for i in range(3000))
    repo = _repo(tmp_path, HEADER + labels)
    assert _into(repo, _edition(tmp_path, "C00000,Code 0,,\nC99999,New code,,\n")) == 0
    text = _working(repo)
    ids = [line.split(": ", 1)[1] for line in text.splitlines() if line.startswith("  - id:")]
    assert ids == [f"C{i:05d}" for i in range(3000)] + ["C99999"]
    assert text.count("    status: retired\n    replacement: review\n") == 2999


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--into", "cods"], "did you mean 'codes'"),
        (["--into", "codes", "--id", "other"], "--into keeps the working version's id"),
        (["--diff"], "--diff goes with --into"),
        (["--into", "../codes"], "no taxonomy '../codes'"),
    ],
)
def test_what_cannot_be_imported_into_is_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    repo = _repo(tmp_path)
    edition = _edition(tmp_path, EDITION)
    assert main(["import", str(edition), "--repo", str(repo), *argv]) == 2
    assert message in capsys.readouterr().err
    assert _working(repo) == WORKING


def test_a_working_version_with_errors_is_left_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = WORKING.replace("    parent: A01\n", "    parent: A99\n", 1)
    repo = _repo(tmp_path, broken)
    assert _into(repo, _edition(tmp_path, EDITION)) == 2
    err = capsys.readouterr().err
    assert "taxonomies/codes/taxonomy.yaml:" in err  # the finding, at its line
    assert "has errors; the edition was not imported" in err
    assert _working(repo) == broken


def test_an_edition_that_would_not_validate_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = _repo(tmp_path)
    assert (
        _into(repo, _edition(tmp_path, "A00,Infections,,\nB01,Other,A00,\n"), "--version", "x") == 1
    )
    assert "does not validate; nothing was written" in capsys.readouterr().err
    assert _working(repo) == WORKING


def test_naics_2017_by_commands_maps_as_the_concordance_says(tmp_path: Path) -> None:
    """The journey of a team following NAICS: the 2012 edition imported from
    the Census Bureau's table and released, the 2017 table imported into it,
    ``fix``, then the concordance: the map is the one a hand-built 2017 file
    with the same concordance gives, and ``check`` passes."""
    naics = DATA / "naics"
    repo = tmp_path / "repo"
    run = ["--repo", str(repo)]
    released_import(repo, naics / "naics_2012.csv", "naics", "--id", "naics", "--version", "2012")
    edition = naics / "naics_2017.csv"
    assert main(["import", str(edition), "--into", "naics", "--version", "2017", *run]) == 0
    assert main(["fix", *run]) == 0
    table = naics / "concordance_2017_to_2012.csv"
    assert main(["crosswalk", "import", str(table), "--taxonomy", "naics", *run]) == 0
    assert main(["check", *run]) == 0

    by_hand = tmp_path / "by-hand"
    folder = by_hand / "taxonomies" / "naics"
    (folder / "releases").mkdir(parents=True)
    (folder / "releases" / "2012.yaml").write_text(naics_yaml("2012", "2012"), encoding="utf-8")
    (folder / "taxonomy.yaml").write_text(naics_yaml("2017", "2017"), encoding="utf-8")
    assert (
        main(["crosswalk", "import", str(table), "--taxonomy", "naics", "--repo", str(by_hand)])
        == 0
    )

    ours = migration_map(repo, "naics", "2012", "2017")
    theirs = migration_map(by_hand, "naics", "2012", "2017")
    assert len(ours) == len(theirs) == 2229
    assert {e.label: (e.mode, set(e.targets)) for e in ours} == {
        e.label: (e.mode, set(e.targets)) for e in theirs
    }


def test_a_dated_edition_sets_its_own_version(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Google's product taxonomy names each edition by its date: the 2021
    edition imported into the 2019 one makes the working version 2021.09.21,
    with the categories it subdivides (Skirts) now parents of new codes."""
    google = DATA / "google"
    repo = tmp_path / "repo"
    (repo / "taxonomies").mkdir(parents=True)
    run = ["--repo", str(repo)]
    first = google / "taxonomy-with-ids.en-US.2019-07-10.txt"
    assert main(["import", str(first), "--id", "products", "--owner", "@catalogue", *run]) == 0
    assert main(["release", *run]) == 0
    capsys.readouterr()
    edition = google / "taxonomy-with-ids.en-US.2021-09-21.txt"
    assert main(["import", str(edition), "--into", "products", *run]) == 0
    assert "; version 2021.09.21" in capsys.readouterr().err
    text = (repo / "taxonomies" / "products" / "taxonomy.yaml").read_text(encoding="utf-8")
    assert "version: 2021.09.21\n" in text and "owners:\n- '@catalogue'\n" in text
    assert "parent: '1581'\n" in text  # Skirts, a leaf in 2019, has sub-categories
    assert main(["validate", *run]) == 0
