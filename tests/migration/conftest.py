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
