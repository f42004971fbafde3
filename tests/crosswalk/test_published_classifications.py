"""Real published classifications, in their own codes, through crosswalk
import, check, migration-map and migrate: NAICS 2012 -> 2017 with the Census
Bureau's official concordance, and three editions of the Google product
taxonomy, whose 2021 edition subdivides categories that were leaves."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
import yaml_rs
from taxops.cli.main import main
from taxops.history import migration_map
from taxops.migration import Action, Mode

from .published import DATA, concordance, google_categories, google_yaml, naics_yaml

CONCORDANCE = DATA / "naics" / "concordance_2017_to_2012.csv"
GOOGLE = ("2015-02-19", "2019-07-10", "2021-09-21")
#: Leaves of 2019 that the 2021 edition subdivides.
SUBDIVIDED = {"1581": "Skirts", "5343": "Kimonos", "5673": "Kimono Outerwear"}


def _repo(root: Path, taxonomy: str, releases: dict[str, str], working: tuple[str, str]) -> Path:
    folder = root / "taxonomies" / taxonomy
    (folder / "releases").mkdir(parents=True)
    for version, text in releases.items():
        (folder / "releases" / f"{version}.yaml").write_text(text, encoding="utf-8")
    (folder / "taxonomy.yaml").write_text(working[1], encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def naics(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = _repo(
        tmp_path_factory.mktemp("naics"),
        "naics",
        {"2012": naics_yaml("2012", "2012")},
        ("2017", naics_yaml("2017", "2017")),
    )
    assert (
        main(["crosswalk", "import", str(CONCORDANCE), "--taxonomy", "naics", "--repo", str(root)])
        == 0
    )
    return root


def test_naics_map_splits_direct_and_review_exactly_as_the_concordance(naics: Path) -> None:
    """Per 2012 code of the concordance: kept when it maps to itself only, direct
    when it has one successor (a merge or a new code), review among its
    successors when it has several (a split)."""
    migration = migration_map(naics, "naics", "2012", "2017")
    table = concordance()
    compared = {"keep": 0, "direct": 0, "review": 0}
    for code, targets in table.items():
        if code not in migration:
            continue  # the concordance names 21 codes the Census code lists do not have
        entry = migration[code]
        if targets == [code]:
            want = "keep"
        elif len(targets) == 1:
            want = "direct"
        else:
            want = "review"
        assert (entry.mode.value, set(entry.targets)) == (want, set(targets)), code
        compared[want] += 1
    assert compared == {"keep": 1016, "direct": 24, "review": 4}
    # Every 2012 code whose items all go to one 2017 code that several feed (a
    # merge) is relabeled by machine ('rename' where it is the only code that
    # goes there whole, the others being splits).
    fed: dict[str, int] = {}
    for targets in table.values():
        for t in targets:
            fed[t] = fed.get(t, 0) + 1
    merged = [c for c, t in table.items() if len(t) == 1 and fed[t[0]] > 1 and c in migration]
    assert len(merged) == 16
    assert {migration[c].mode for c in merged} == {Mode.DIRECT}
    assert {migration[c].action for c in merged} == {Action.MERGE, Action.RENAME}


def test_naics_groups_the_table_does_not_name_follow_their_sub_codes(naics: Path) -> None:
    migration = migration_map(naics, "naics", "2012", "2017")
    assert (migration["21111"].mode, migration["21111"].targets) == (
        Mode.REVIEW,
        ("21112", "21113"),
    )
    assert (migration["5171"].mode, migration["5171"].targets) == (Mode.DIRECT, ("5173",))
    assert not [e.label for e in migration if e.action is Action.UNMAPPED]


def test_naics_check_agrees_and_taxops_check_passes(
    naics: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["crosswalk", "check", str(CONCORDANCE), "--taxonomy", "naics", "--repo", str(naics)])
        == 0
    )
    assert "agrees with the table, code by code" in capsys.readouterr().out
    assert main(["check", "--repo", str(naics)]) == 0


def test_naics_tombstones_fix_wrote_take_the_table_as_missing_codes_do(
    naics: Path, tmp_path: Path
) -> None:
    """``taxops fix`` first (a tombstone with ``replacement: review`` for each
    code 2017 dropped), then the concordance: the same map as the table alone
    writes, groups the table names only by their sub-codes included."""
    root = _repo(
        tmp_path,
        "naics",
        {"2012": naics_yaml("2012", "2012")},
        ("2017", naics_yaml("2017", "2017")),
    )
    assert main(["fix", "--repo", str(root)]) == 0
    assert (
        main(["crosswalk", "import", str(CONCORDANCE), "--taxonomy", "naics", "--repo", str(root)])
        == 0
    )
    ours = migration_map(root, "naics", "2012", "2017")
    theirs = migration_map(naics, "naics", "2012", "2017")
    assert {e.label: (e.mode, set(e.targets)) for e in ours} == {
        e.label: (e.mode, set(e.targets)) for e in theirs
    }
    assert (ours["21111"].mode, ours["21111"].targets) == (Mode.REVIEW, ("21112", "21113"))
    working = yaml_rs.loads(
        (root / "taxonomies" / "naics" / "taxonomy.yaml").read_text(encoding="utf-8")
    )
    group = next(label for label in working["labels"] if label["id"] == "21111")
    assert group["note"] == "derived by taxops crosswalk import from the rows of its sub-codes"


def test_naics_backward_map_reads_a_merge_as_a_review_among_its_sources(naics: Path) -> None:
    back = migration_map(naics, "naics", "2017", "2012")
    assert back["335220"].mode is Mode.REVIEW
    assert set(back["335220"].targets) == {"335221", "335222", "335224", "335228"}
    assert (back["541714"].mode, back["541714"].targets) == (Mode.DIRECT, ("541711",))
    assert back["111110"].mode is Mode.KEEP


def test_naics_migrate_keeps_codes_byte_for_byte_and_reviews_the_splits(
    naics: Path, tmp_path: Path
) -> None:
    rows = [
        ("1", "111110"),  # unchanged
        ("2", "211111"),  # split into 211120 and 211130
        ("3", "335221"),  # merged into 335220
        ("4", "31-33"),  # a range code, unchanged
        ("5", "541712"),  # split
        ("6", "51711"),  # a group the table does not name, merged through its sub-codes
    ]
    src = tmp_path / "companies.csv"
    src.write_text("id,naics\n" + "".join(f"{i},{c}\n" for i, c in rows), encoding="utf-8")
    out = tmp_path / "out.csv"
    args = ["migrate", str(src), "--repo", str(naics), "--taxonomy", "naics", "--from", "2012"]
    assert (
        main([*args, "--to", "2017", "--label-column", "naics", "-o", str(out), "--no-progress"])
        == 0
    )
    assert out.read_text(encoding="utf-8") == "id,naics\n1,111110\n3,335220\n4,31-33\n6,51731\n"
    review = list(
        csv.DictReader(io.StringIO((tmp_path / "out.review.csv").read_text(encoding="utf-8")))
    )
    assert [(r["id"], r["_taxops_candidates"]) for r in review] == [
        ("2", "211120|211130"),
        ("5", "541713|541715"),
    ]


# -- Google product taxonomy ---------------------------------------------------


@pytest.fixture(scope="module")
def google(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Releases 2015 and 2019, and the 2021 edition as published (no declarations)."""
    return _repo(
        tmp_path_factory.mktemp("google"),
        "google-products",
        {d: google_yaml(d, d) for d in GOOGLE[:2]},
        (GOOGLE[2], google_yaml(GOOGLE[2], GOOGLE[2])),
    )


@pytest.fixture(scope="module")
def google_declared(google: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same, with the subdivided leaves declared groups through a table."""
    root = tmp_path_factory.mktemp("google-declared") / "repo"
    shutil.copytree(google, root)
    table = _subdivision_table(root.parent / "subdivided.csv")
    assert (
        main(
            [
                "crosswalk",
                "import",
                str(table),
                "--taxonomy",
                "google-products",
                "--repo",
                str(root),
            ]
        )
        == 0
    )
    return root


def _subdivision_table(path: Path) -> Path:
    """The publisher's word on the subdivided leaves, as a two-column table."""
    children = [(c, p) for c, _, p in google_categories("2021-09-21") if p in SUBDIVIDED]
    path.write_text(
        "old,new\n" + "".join(f"{parent},{child}\n" for child, parent in children), encoding="utf-8"
    )
    return path


def test_google_subdivided_leaves_become_groups_through_a_table(
    google: Path, google_declared: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    main(["check", "--repo", str(google)])
    assert capsys.readouterr().out.count("[leaf-became-parent]") == len(SUBDIVIDED)
    assert main(["check", "--repo", str(google_declared)]) == 0
    after = capsys.readouterr().out
    assert "[leaf-became-parent]" not in after
    assert after.count("[label-became-group]") == len(SUBDIVIDED)

    migration = migration_map(google_declared, "google-products", "2015-02-19", "2021-09-21")
    skirts = migration["1581"]
    assert (skirts.action, skirts.mode, skirts.targets) == (
        Action.BECAME_GROUP,
        Mode.REVIEW,
        ("6229", "6228", "2331"),
    )
    moving = {e.label for e in migration if e.mode is not Mode.KEEP}
    assert moving == set(SUBDIVIDED)
    assert migration["3951"].renamed == ("Football Pants", "American Football Pants")


def test_google_map_as_sssom_is_a_valid_mapping_set_that_agrees_with_the_version(
    google_declared: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    google = google_declared
    sssom_parsers = pytest.importorskip("sssom.parsers")
    out = tmp_path / "map.sssom.tsv"
    args = ["migration-map", "google-products", "--from", "2019-07-10", "--to", "2021-09-21"]
    assert main([*args, "--format", "sssom", "-o", str(out), "--repo", str(google)]) == 0
    msdf = sssom_parsers.parse_sssom_table(str(out))
    # The reference implementation's own checks: JSON Schema, prefixes declared,
    # CURIEs well formed. fail_on_error raises on the first problem.
    validators = pytest.importorskip("sssom.validators")
    validators.validate(msdf, fail_on_error=True)
    frame = msdf.df
    assert len(frame) == len(google_categories("2019-07-10")) + 11 - len(SUBDIVIDED)
    skirts = frame[frame["subject_id"] == "google_products_v2019_07_10:1581"]
    assert set(skirts["predicate_id"]) == {"skos:narrowMatch"}
    assert set(skirts["object_label"]) == {"Knee-Length Skirts", "Long Skirts", "Mini Skirts"}
    capsys.readouterr()
    check = [
        "crosswalk",
        "check",
        str(out),
        "--taxonomy",
        "google-products",
        "--from",
        "2019-07-10",
    ]
    assert main([*check, "--repo", str(google)]) == 0, capsys.readouterr().out
