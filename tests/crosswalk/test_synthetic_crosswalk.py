"""A synthetic crosswalk through the whole path: `taxops crosswalk import`
writes its declarations (a narrowed code, a leaf that became a group, a reused
code, merges, splits and a many-to-many cluster), the map gives the expected
entry per code forwards and backwards, and `taxops migrate` (real DuckDB), the
SQL script and the Python script put exactly the rows of narrowed, split and
subdivided codes in the review queue, row by row."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from taxops.cli.main import main
from taxops.engines.python_script import python_script
from taxops.engines.sql_script import migration_sql, split_statements
from taxops.history import migration_map
from taxops.migration import clusters

DATA = Path(__file__).parent / "data" / "synthetic"

#: label -> (action, mode, targets), 1.0.0 -> 2.0.0.
FORWARD = {
    "goods": ("keep", "keep", ("goods",)),
    "goods.food": ("keep", "keep", ("goods.food",)),
    "goods.drink": ("keep", "keep", ("goods.drink",)),
    "goods.toys": ("narrowed", "review", ("goods.toys", "goods.games")),
    "goods.books": ("became-group", "review", ("goods.books.print", "goods.books.ebook")),
    "goods.gadgets": ("reused", "direct", ("goods.electronics",)),
    "goods.devices": ("merge", "direct", ("goods.gadgets",)),
    "services": ("keep", "keep", ("services",)),
    "services.repair": ("split", "review", ("services.fix_home", "services.fix_auto")),
    "services.maint": ("split", "review", ("services.fix_home", "services.fix_auto")),
    "services.cleaning": ("merge", "direct", ("services.care",)),
    "services.laundry": ("merge", "direct", ("services.care",)),
    "services.legal": ("split", "review", ("services.law_family", "services.law_business")),
    "services.travel": ("keep", "keep", ("services.travel",)),
}

#: label -> (action, mode, targets), 2.0.0 -> 1.0.0, for the labels in use.
BACKWARD = {
    "goods.food": ("keep", "keep", ("goods.food",)),
    "goods.toys": ("keep", "keep", ("goods.toys",)),
    "goods.games": ("merge", "direct", ("goods.toys",)),
    "goods.books.print": ("merge", "direct", ("goods.books",)),
    "goods.books.ebook": ("merge", "direct", ("goods.books",)),
    "goods.gadgets": ("rename", "direct", ("goods.devices",)),
    "goods.electronics": ("rename", "direct", ("goods.gadgets",)),
    "services.fix_home": ("split", "review", ("services.repair", "services.maint")),
    "services.fix_auto": ("split", "review", ("services.repair", "services.maint")),
    "services.care": ("split", "review", ("services.cleaning", "services.laundry")),
    "services.law_family": ("merge", "direct", ("services.legal",)),
    "services.law_business": ("merge", "direct", ("services.legal",)),
    "services.travel": ("keep", "keep", ("services.travel",)),
}

#: The codes whose items a human must relabel.
REVIEWED = {"goods.toys", "goods.books", "services.repair", "services.maint", "services.legal"}


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository with release 1.0.0 and the publisher's 2.0.0, into which the
    crosswalk is imported once."""
    root = tmp_path_factory.mktemp("shop")
    folder = root / "taxonomies" / "shop"
    (folder / "releases").mkdir(parents=True)
    shutil.copy(DATA / "old.yaml", folder / "releases" / "1.0.0.yaml")
    shutil.copy(DATA / "new.yaml", folder / "taxonomy.yaml")
    assert main(_import(root)) == 0
    return root


def _import(root: Path) -> list[str]:
    return [
        "crosswalk",
        "import",
        str(DATA / "crosswalk.csv"),
        "--taxonomy",
        "shop",
        "--repo",
        str(root),
    ]


def _entries(migration) -> dict[str, tuple[str, str, tuple[str, ...]]]:  # type: ignore[no-untyped-def]
    return {e.label: (e.action.value, e.mode.value, e.targets) for e in migration}


def test_import_keeps_comments_and_is_idempotent(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (repo / "taxonomies/shop/taxonomy.yaml").read_text(encoding="utf-8")
    assert text.startswith("# The 2.0.0 edition, as the publisher ships it")
    assert "name: Games  # new: took part of goods.toys" in text
    assert "narrowed:" in text and "became_group:" in text and "reused:" in text
    capsys.readouterr()
    assert main(_import(repo)) == 0
    assert "nothing written" in capsys.readouterr().out
    assert (repo / "taxonomies/shop/taxonomy.yaml").read_text(encoding="utf-8") == text
    assert main(["validate", "--repo", str(repo)]) == 0
    # The declarations satisfy taxops check (compatibility: none; declared reuse
    # accepted by the taxonomy's ids policy, and still reported).
    capsys.readouterr()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    assert main(["check", "--repo", str(repo)]) == 0
    out = capsys.readouterr().out
    assert "warning [retired-id-reused] label id `goods.gadgets` is reused, as declared" in out
    assert "[migration-unmapped-label]" not in out


def test_forward_map_gives_the_expected_entry_per_code(repo: Path) -> None:
    assert _entries(migration_map(repo, "shop", "1.0.0", "2.0.0")) == FORWARD


def test_backward_map_gives_the_expected_entry_per_code(repo: Path) -> None:
    found = _entries(migration_map(repo, "shop", "2.0.0", "1.0.0"))
    assert {k: v for k, v in found.items() if k in BACKWARD} == BACKWARD
    # Every label of 2.0.0 has an entry, tombstones and groups included.
    assert set(found) >= {"goods.books", "services.repair", "services.legal"}


def test_clusters_show_the_many_to_many_correspondence(repo: Path) -> None:
    found = {
        (c.shape, c.old, c.new) for c in clusters(migration_map(repo, "shop", "1.0.0", "2.0.0"))
    }
    assert (
        "n:n",
        ("services.repair", "services.maint"),
        ("services.fix_home", "services.fix_auto"),
    ) in found
    assert ("n:1", ("services.cleaning", "services.laundry"), ("services.care",)) in found
    assert ("1:n", ("services.legal",), ("services.law_family", "services.law_business")) in found


def test_check_agrees_and_then_names_the_code_that_disagrees(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = DATA / "crosswalk.csv"
    assert main(["crosswalk", "check", str(table), "--taxonomy", "shop", "--repo", str(repo)]) == 0
    assert "agrees with the table" in capsys.readouterr().out
    edited = tmp_path / "edited.csv"
    edited.write_text(
        table.read_text(encoding="utf-8").replace(
            "services.care,services.laundry,", "services.travel,services.laundry,"
        ),
        encoding="utf-8",
    )
    assert main(["crosswalk", "check", str(edited), "--taxonomy", "shop", "--repo", str(repo)]) == 1
    out = capsys.readouterr().out
    assert "1 codes disagree" in out
    assert (
        "services.laundry: table says -> services.travel; 2.0.0 says -> services.care (merge)"
        in out
    )


def _dataset(path: Path) -> list[tuple[str, str]]:
    """Three rows per 1.0.0 code in use, interleaved."""
    codes = [c for c in FORWARD if "." in c]
    rows = [(f"r{i}", codes[i % len(codes)]) for i in range(3 * len(codes))]
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "label"])
        writer.writerows(rows)
    return rows


#: Commands that read the release and the working version: each file once.
READ_ONCE = {
    "crosswalk check": ["crosswalk", "check", str(DATA / "crosswalk.csv"), "--taxonomy", "shop"],
    "migration-map --format sssom": [
        "migration-map", "shop", "--from", "1.0.0", "--to", "2.0.0", "--format", "sssom",
    ],
}  # fmt: skip


@pytest.mark.parametrize("command", sorted(READ_ONCE))
def test_each_version_is_read_once(
    repo: Path, command: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """These commands read the versions, then built the map from a fresh read:
    the working file was validated twice (1.3 s of 5 for an 89,000-code
    classification)."""
    import taxops.file_check

    read: list[str] = []
    check_file = taxops.file_check.check_file

    def counted(path: Path, *args: object, **kwargs: object) -> object:
        read.append(Path(path).name)
        return check_file(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(taxops.file_check, "check_file", counted)
    argv = [*READ_ONCE[command], "--repo", str(repo)]
    if command.startswith("migration-map"):
        argv += ["-o", str(tmp_path / "map.sssom.tsv")]
    assert main(argv) == 0
    assert sorted(read) == ["1.0.0.yaml", "taxonomy.yaml"]


def test_migrate_reviews_exactly_the_rows_of_narrowed_and_split_codes(
    repo: Path, tmp_path: Path
) -> None:
    src = tmp_path / "listings.csv"
    rows = _dataset(src)
    out = tmp_path / "out.csv"
    args = [
        "migrate",
        str(src),
        "--repo",
        str(repo),
        "--taxonomy",
        "shop",
        "--from",
        "1.0.0",
        "--to",
        "2.0.0",
    ]
    assert main([*args, "--label-column", "label", "-o", str(out), "--no-progress"]) == 0
    with open(out, newline="", encoding="utf-8") as f:
        migrated = [(r["id"], r["label"]) for r in csv.DictReader(f)]
    with open(tmp_path / "out.review.csv", newline="", encoding="utf-8") as f:
        review = [(r["id"], r["label"], r["_taxops_candidates"]) for r in csv.DictReader(f)]
    expected_migrated = [(i, FORWARD[c][2][0]) for i, c in rows if c not in REVIEWED]
    expected_review = [(i, c, "|".join(FORWARD[c][2])) for i, c in rows if c in REVIEWED]
    assert migrated == expected_migrated
    assert review == expected_review


def test_sql_and_python_scripts_review_the_same_rows(repo: Path, tmp_path: Path) -> None:
    migration = migration_map(repo, "shop", "1.0.0", "2.0.0")
    src = tmp_path / "listings.csv"
    rows = _dataset(src)
    expected_review = sorted(i for i, c in rows if c in REVIEWED)

    con = duckdb.connect()
    con.execute("CREATE TABLE listings (id VARCHAR, label VARCHAR)")
    con.executemany("INSERT INTO listings VALUES (?, ?)", rows)
    sql = migration_sql(
        migration, dialect="duckdb", table="listings", label_column="label", columns=["id", "label"]
    )
    migrated_sql, review_sql, check_sql = split_statements(sql)
    con.execute(migrated_sql)
    con.execute(review_sql)
    assert con.execute(check_sql).fetchall() == [(True,)]
    assert [
        r[0] for r in con.execute("SELECT id FROM listings_review_v2_0_0 ORDER BY id").fetchall()
    ] == expected_review
    relabeled = dict(con.execute("SELECT id, label FROM listings_v2_0_0").fetchall())
    assert relabeled == {i: FORWARD[c][2][0] for i, c in rows if c not in REVIEWED}

    script = tmp_path / "migrate.py"
    script.write_text(python_script(migration), encoding="utf-8")
    out = tmp_path / "script-out.csv"
    subprocess.run(
        [sys.executable, str(script), str(src), str(out), "--label-column", "label"],
        check=True,
        capture_output=True,
    )
    with open(tmp_path / "script-out.review.csv", newline="", encoding="utf-8") as f:
        assert sorted(r["id"] for r in csv.DictReader(f)) == expected_review


def test_impact_counts_the_review_the_crosswalk_costs(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "listings.csv"
    rows = _dataset(src)
    args = [
        "impact",
        "shop",
        "--dataset",
        str(src),
        "--label-column",
        "label",
        "--from",
        "1.0.0",
        "--to",
        "2.0.0",
    ]
    assert main([*args, "--repo", str(repo), "--format", "json"]) == 0
    import json

    result = json.loads(capsys.readouterr().out)
    assert result["items_needing_review"] == sum(1 for _, c in rows if c in REVIEWED)


def test_the_labelers_briefing_says_what_changed_in_meaning(repo: Path, tmp_path: Path) -> None:
    site = tmp_path / "site-repo"
    shutil.copytree(repo, site)
    (site / "mkdocs.yml").write_text(
        "site_name: Shop guidelines\ndocs_dir: site/docs\nsite_dir: site-build\n"
        "theme: {name: material, font: false}\nplugins: [search, taxops]\n",
        encoding="utf-8",
    )
    (site / "site/docs").mkdir(parents=True)
    (site / "site/docs/index.md").write_text("# Shop\n", encoding="utf-8")
    assert main(["site", "build", "--repo", str(site)]) == 0
    html = (site / "site-build/shop/changes/1.0.0-to-2.0.0/index.html").read_text(encoding="utf-8")
    assert 'id="meaning-changed"' in html
    assert (
        "<code>goods.toys</code>: narrowed: part of what it covered now belongs to another label"
        in html
    )
    assert "<code>goods.gadgets</code>: now means something else" in html
    books = re.search(r"<tr><td>.*?<code>goods.books</code>.*?</tr>", html, re.DOTALL)
    assert books is not None and "tx-badge--group" in books.group(0)
    assert "choose for each item between" in books.group(0)


def test_a_closed_pipe_does_not_stop_the_import_half_way(tmp_path: Path) -> None:
    """`taxops crosswalk import ... | head -1`: the file is written all the same."""
    folder = tmp_path / "taxonomies" / "shop"
    (folder / "releases").mkdir(parents=True)
    shutil.copy(DATA / "old.yaml", folder / "releases" / "1.0.0.yaml")
    shutil.copy(DATA / "new.yaml", folder / "taxonomy.yaml")
    taxops = Path(sys.executable).with_name("taxops")
    command = f"'{taxops}' {' '.join(_import(tmp_path)[:-2])} --repo '{tmp_path}' | head -c 1"
    subprocess.run(["sh", "-c", command], check=True, capture_output=True)
    assert "narrowed:" in (folder / "taxonomy.yaml").read_text(encoding="utf-8")


def _fresh(tmp_path: Path) -> Path:
    folder = tmp_path / "taxonomies" / "shop"
    (folder / "releases").mkdir(parents=True)
    shutil.copy(DATA / "old.yaml", folder / "releases" / "1.0.0.yaml")
    shutil.copy(DATA / "new.yaml", folder / "taxonomy.yaml")
    return tmp_path


def test_the_table_routes_what_taxops_fix_sent_to_review(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`taxops check` says to run `taxops fix`, which keeps each removed code
    as a tombstone whose items go to review among every label. The table, read
    after, says where they go: each such tombstone takes the table's labels,
    and the import names it."""
    root = _fresh(tmp_path)
    assert main(["fix", "--repo", str(root)]) == 0
    path = root / "taxonomies/shop/taxonomy.yaml"
    assert "replacement: review" in path.read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(_import(root)) == 0
    out = capsys.readouterr().out
    assert "replaced (" in out and "replacement: review -> direct to services.care" in out
    migration = migration_map(root, "shop", "1.0.0", "2.0.0")
    assert _entries(migration) == FORWARD
    capsys.readouterr()
    assert main(["crosswalk", "check", str(DATA / "crosswalk.csv"), "--taxonomy", "shop",
                 "--repo", str(root)]) == 0  # fmt: skip
    assert "agrees with the table" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("declared", "named"),
    [
        ("replaced_by: [services.travel]", "(replaced_by: services.travel)"),
        ("replacement: parent", "(replacement: parent)"),  # a decision, not a placeholder
    ],
)
def test_a_tombstone_that_says_otherwise_is_named_even_when_nothing_is_written(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], declared: str, named: str
) -> None:
    root = tmp_path / "copy"
    shutil.copytree(repo, root)
    path = root / "taxonomies/shop/taxonomy.yaml"
    text = path.read_text(encoding="utf-8")
    edited = re.sub(r"replaced_by: \[services\.care\]", declared, text, count=1)
    assert edited != text
    path.write_text(edited, encoding="utf-8")
    capsys.readouterr()
    assert main(_import(root)) == 0
    out = capsys.readouterr().out
    assert "already says what the table says" not in out
    assert "1 declarations in the file say otherwise than the table" in out
    assert named in out
    assert path.read_text(encoding="utf-8") == edited
