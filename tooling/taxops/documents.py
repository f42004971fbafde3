"""The kinds of governed file, in one registry: each names its format marker, the
folder it lives in, its model and its in-file checks. Guidelines and policies are
added here beside taxonomies; nothing else needs to learn a new kind."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from taxops.checks.guideline import check_guideline
from taxops.checks.policy import check_vendor
from taxops.checks.taxonomy import check_taxonomy
from taxops.checks.waivers import check_waivers
from taxops.diagnostics import Diagnostic
from taxops.loading import YamlDocument
from taxops.models.guideline import GUIDELINE_FORMAT, Guideline
from taxops.models.policy import VENDOR_FORMAT, Vendor
from taxops.models.taxonomy import TAXONOMY_FORMAT, Taxonomy
from taxops.models.waivers import WAIVERS_FORMAT, Waivers

#: The top-level key that says what a governed file is: ``taxops: taxonomy/1``.
MARKER = "taxops"


@dataclass(frozen=True)
class DocumentKind:
    name: str
    format: str
    folder: str
    model: type[BaseModel]
    check: Callable[[Any, YamlDocument], list[Diagnostic]]

    @property
    def marker_line(self) -> str:
        return f"{MARKER}: {self.format}"


KINDS: dict[str, DocumentKind] = {
    kind.format: kind
    for kind in (
        DocumentKind("taxonomy", TAXONOMY_FORMAT, "taxonomies", Taxonomy, check_taxonomy),
        DocumentKind("guideline", GUIDELINE_FORMAT, "guidelines", Guideline, check_guideline),
        DocumentKind("waivers", WAIVERS_FORMAT, "policies", Waivers, check_waivers),
        DocumentKind("vendor", VENDOR_FORMAT, "policies", Vendor, check_vendor),
    )
}


def kind_for_folder(folder: str) -> DocumentKind | None:
    return next((k for k in KINDS.values() if k.folder == folder), None)


def governed_folders() -> list[str]:
    return sorted({k.folder for k in KINDS.values()} | {"taxonomies", "guidelines", "policies"})
