"""Finding a vendor policy in a repository (``policies/**/*.yaml`` marked
``taxops: vendor/1``), for the relabel impact and the PR report."""

from __future__ import annotations

from pathlib import Path

from taxops.diagnostics import TaxopsError, has_errors
from taxops.documents import KINDS
from taxops.loading import load_yaml
from taxops.models.policy import VENDOR_FORMAT, Vendor
from taxops.validate import validate_document


def find_vendor(root: Path, vendor_id: str | None, taxonomy: str) -> Vendor | None:
    """The vendor policy named, or the only one that labels this taxonomy."""
    found: list[Vendor] = []
    for path in sorted((root / "policies").rglob("*.y*ml")) if (root / "policies").is_dir() else []:
        doc, _ = load_yaml(path)
        if doc is None or doc.data.get("taxops") != VENDOR_FORMAT:
            continue
        model, problems = validate_document(doc, KINDS[VENDOR_FORMAT])
        if isinstance(model, Vendor) and not has_errors(problems):
            found.append(model)
    if vendor_id:
        match = [v for v in found if v.id == vendor_id]
        if not match:
            known = ", ".join(v.id for v in found) or "none"
            raise TaxopsError(
                f"no valid vendor policy '{vendor_id}' under policies/", f"known vendors: {known}"
            )
        return match[0]
    serving = [v for v in found if not v.taxonomies or taxonomy in v.taxonomies]
    return serving[0] if len(serving) == 1 else None
