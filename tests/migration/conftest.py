"""Small taxonomies built in code, for the migration tests."""

from __future__ import annotations

from typing import Any

import pytest
from taxops.models.taxonomy import Taxonomy


def make_taxonomy(
    version: str, labels: list[dict[str, Any]], kind: str = "single-label"
) -> Taxonomy:
    """A taxonomy from label dicts: ``{"id": "a"}`` gets ``name`` from its id."""
    return Taxonomy.model_validate(
        {
            "taxops": "taxonomy/1",
            "id": "demo",
            "title": "Demo",
            "version": version,
            "kind": kind,
            "owners": ["@demo"],
            "labels": [{"name": lbl["id"].upper(), **lbl} for lbl in labels],
        }
    )


@pytest.fixture
def taxonomy():  # type: ignore[no-untyped-def]
    return make_taxonomy


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "spark: needs pyspark and Java (one local[*] session per run)"
    )


@pytest.fixture(scope="session")
def spark(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """One small local Spark session for the whole test run. Missing pyspark
    skips on a laptop but fails in CI (CI=true), where the spark extra is installed."""
    import os

    try:
        from pyspark.sql import SparkSession
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail(
                "pyspark is not installed: CI installs it with pip install -e '.[test,spark]'"
            )
        pytest.skip("pyspark is not installed (pip install -e '.[spark]')")
    warehouse = tmp_path_factory.mktemp("spark-warehouse")
    session = (
        SparkSession.builder.master("local[*]")
        .appName("taxops-tests")
        .config("spark.driver.memory", "512m")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.sql.warehouse.dir", str(warehouse))
        .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={warehouse}")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def _postgres_bin(name: str) -> str | None:
    """A PostgreSQL server program: on PATH, or where Debian's package puts it."""
    import glob
    import shutil

    found = shutil.which(name)
    if found:
        return found
    installed = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return installed[-1] if installed else None


@pytest.fixture(scope="session")
def postgres():  # type: ignore[no-untyped-def]
    """One throwaway PostgreSQL server for the whole run (a Unix socket in a temp
    dir, no TCP, trust auth), and a function that runs SQL through ``psql`` and
    returns its unaligned output lines. Missing PostgreSQL skips on a laptop but
    fails in CI (CI=true), where ``.ci/run`` installs it. The server refuses to
    run as root: then it runs as ``nobody``."""
    import os
    import shutil
    import subprocess

    initdb, pg_ctl, psql = (_postgres_bin(n) for n in ("initdb", "pg_ctl", "psql"))
    if not (initdb and pg_ctl and psql):
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL is not installed: .ci/run installs it (apt postgresql)")
        pytest.skip("PostgreSQL is not installed (apt install postgresql)")
    import tempfile
    from pathlib import Path

    # Not under pytest's own temp folder: ``nobody`` could not traverse it.
    home = Path(tempfile.mkdtemp(prefix="taxops-postgres-"))
    data = home / "data"
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(home, "nobody")
        as_user = ["runuser", "-u", "nobody", "--"]
    subprocess.run(
        [*as_user, initdb, "-D", str(data), "-U", "taxops", "--auth=trust", "-E", "UTF8"],
        check=True, capture_output=True,
    )  # fmt: skip
    options = f"-k {home} -c listen_addresses='' -p 5432"
    start = [*as_user, pg_ctl, "-D", str(data), "-o", options, "-l", str(home / "log"), "-w"]
    subprocess.run([*start, "start"], check=True, capture_output=True)

    def run(sql: str) -> list[str]:
        done = subprocess.run(
            [psql, "-h", str(home), "-U", "taxops", "-d", "postgres", "-X", "-q", "-A", "-t",
             "-v", "ON_ERROR_STOP=1"],
            input=sql, text=True, capture_output=True, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        return done.stdout.splitlines()

    yield run
    subprocess.run([*as_user, pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"], check=False)
    shutil.rmtree(home, ignore_errors=True)
