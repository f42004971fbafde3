"""Every label gets a page of its own, whatever its id: slugs keep their readable
names; published codes never share a page (``A00.0`` and ``a00.0`` on a
case-insensitive disk) or pick its path (``/``, ``..``)."""

from __future__ import annotations

import pytest
from taxops.site.urls import label_page_name

IDS = [
    "vehicle.truck_heavy", "150", "1604", "A00.0", "a00.0", "E88.29", "010121", "31-33",
    "I10-I1A", "80DV8O", "80dv8o", "weiß_schwarz", "../../etc/passwd", "a/b", "..", ".hidden",
    "CON", "x" * 200, "A B",
]  # fmt: skip


def test_slugs_keep_their_names() -> None:
    assert label_page_name("vehicle.truck_heavy") == "vehicle.truck_heavy"
    assert label_page_name("31-33") == "31-33"


@pytest.mark.parametrize("label_id", IDS)
def test_a_page_name_is_a_plain_file_name(label_id: str) -> None:
    name = label_page_name(label_id)
    assert name and len(name) <= 100
    assert "/" not in name and "\\" not in name and ".." not in name
    assert not name.startswith(".")
    assert name == name.lower()  # one file per page on a case-insensitive disk


def test_no_two_ids_share_a_page() -> None:
    names = [label_page_name(i) for i in IDS]
    assert len(set(names)) == len(names)
