"""Every name a policy file writes resolves: vendors, SLAs, workflows,
taxonomies and their released versions, labels, data classes, datasets, counts
files. Where two files disagree (an SLA for a vendor that does not label the
taxonomy, a spec for another taxonomy than its dataset), the finding is at the
line to fix and names the other file's place (``related``).

Each finding is located at the YAML line of the name; ids declared twice across
files are reported at the second declaration with the first as related."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from taxops.checks.common import IdSuggestions
from taxops.diagnostics import Diagnostic, Location, Severity
from taxops.governed import Governed
from taxops.models.taxonomy import Status, Taxonomy
from taxops.policies import Policies, Registered
from taxops.repository import Repository
from taxops.versioning.versions import Version

Path_ = tuple[str | int, ...]
#: Any valid governed file (the checks read its document and model).
Doc = Governed[Any]


def unknown(
    rule: str,
    message: str,
    where: Location,
    name: str,
    known: Iterable[str] | Known,
    related: Location | None = None,
) -> Diagnostic:
    """A name that resolves to nothing, with the closest known name as the hint."""
    names = known if isinstance(known, Known) else Known(known)
    close = names.closest(name)
    if close:
        hint = f"did you mean '{close}'?"
    elif names.sorted:
        shown = ", ".join(names.sorted[:12]) + (", ..." if len(names.sorted) > 12 else "")
        hint = f"known: {shown}"
    else:
        hint = "there are none yet"
    return Diagnostic(rule, Severity.ERROR, message, where, hint, related=related)


class Known:
    """The names that exist, sorted once, for a check that may report many
    names that do not (a quality plan's targets for labels a new version
    removed): the closest one is searched as :class:`IdSuggestions` searches."""

    def __init__(self, names: Iterable[str]) -> None:
        self.sorted = sorted(set(names))
        self._suggest = IdSuggestions(self.sorted)

    def closest(self, name: str) -> str | None:
        return self._suggest.closest(name, cutoff=0.6)


@dataclass
class Names:
    """What the repository declares, for resolving names."""

    repo: Repository

    @property
    def policies(self) -> Policies:
        return self.repo.policies

    def taxonomy(self, taxonomy_id: str) -> Governed[Taxonomy] | None:
        return self.repo.taxonomies.get(taxonomy_id)

    def releases(self, taxonomy_id: str) -> list[Governed[Taxonomy]]:
        return self.repo.releases.get(taxonomy_id, [])

    def classes(self) -> dict[str, Location]:
        """Data classes of the privacy policy, with the place each is declared."""
        policy = self.policies.privacy_policy
        if policy is None:
            return {}
        return {
            c.id: policy.doc.locate(("classes", i, "id"))
            for i, c in reversed(list(enumerate(policy.model.classes)))
        }


class Resolver:
    """Collects the findings of one repository's names."""

    def __init__(self, repo: Repository) -> None:
        self.names = Names(repo)
        self.found: list[Diagnostic] = []

    def taxonomy(self, doc: Doc, path: Path_, taxonomy_id: str) -> Governed[Taxonomy] | None:
        tax = self.names.taxonomy(taxonomy_id)
        if tax is None:
            self.found.append(
                unknown(
                    "unknown-taxonomy",
                    f"taxonomy '{taxonomy_id}' is not in taxonomies/",
                    doc.doc.locate(path),
                    taxonomy_id,
                    self.names.repo.taxonomies,
                )
            )
        return tax

    def released(
        self, doc: Doc, path: Path_, taxonomy_id: str, version: Version, what: str
    ) -> None:
        """``version`` must be a release of the taxonomy: datasets are labeled against
        frozen versions, and migrations start from one."""
        tax = self.names.taxonomy(taxonomy_id)
        if tax is None:
            return
        releases = self.names.releases(taxonomy_id)
        if any(r.model.version == version for r in releases):
            return
        shown = ", ".join(str(r.model.version) for r in releases) or "none"
        where = doc.doc.locate(path)
        if tax.model.version == version:
            self.found.append(
                Diagnostic(
                    "version-not-released",
                    Severity.ERROR,
                    f"{what} taxonomy '{taxonomy_id}' {version}, which is not released yet",
                    where,
                    f"release it first (taxops release {taxonomy_id}); released: {shown}",
                    related=tax.doc.locate(("version",)),
                )
            )
        else:
            self.found.append(
                Diagnostic(
                    "unknown-taxonomy-version",
                    Severity.ERROR,
                    f"{what} taxonomy '{taxonomy_id}' {version}, which is not a version "
                    f"of it (released: {shown})",
                    where,
                    f"name a file under taxonomies/{taxonomy_id}/releases/",
                    related=tax.doc.locate(("version",)),
                )
            )

    def ref(
        self,
        doc: Doc,
        path: Path_,
        kind: str,
        name: str,
        lookup: Callable[[str], Doc | None],
        known: Iterable[str],
        folder: str,
        shown: str | None = None,
    ) -> Doc | None:
        found = lookup(name)
        if found is None:
            self.found.append(
                unknown(
                    f"unknown-{kind}",
                    f"{shown or kind} '{name}' is not declared under {folder}",
                    doc.doc.locate(path),
                    name,
                    known,
                )
            )
        return found

    def vendor(self, doc: Doc, path: Path_, vendor_id: str) -> Doc | None:
        p = self.names.policies
        return self.ref(
            doc, path, "vendor", vendor_id, p.vendor, (v.model.id for v in p.vendors),
            "policies/ (a 'taxops: vendor/1' file)",
        )  # fmt: skip

    def workflow(self, doc: Doc, path: Path_, workflow_id: str) -> Doc | None:
        p = self.names.policies
        return self.ref(
            doc, path, "workflow", workflow_id, p.workflow, (w.model.id for w in p.workflows),
            "policies/ (a 'taxops: workflow/1' file)",
        )  # fmt: skip

    def sla(self, doc: Doc, path: Path_, sla_id: str) -> Doc | None:
        p = self.names.policies
        return self.ref(
            doc, path, "sla", sla_id, p.sla, (s.model.id for s in p.slas),
            "policies/ (a 'taxops: sla/1' file)", "SLA",
        )  # fmt: skip

    def data_class(self, doc: Doc, path: Path_, class_id: str) -> Location | None:
        classes = self.names.classes()
        if class_id in classes:
            return classes[class_id]
        policy = self.names.policies.privacy_policy
        if policy is None:
            self.found.append(
                Diagnostic(
                    "no-privacy-policy",
                    Severity.ERROR,
                    f"data class '{class_id}' is named, but there is no privacy policy "
                    "declaring data classes",
                    doc.doc.locate(path),
                    "add policies/privacy.yaml ('taxops: privacy/1') with its classes",
                )
            )
            return None
        self.found.append(
            unknown(
                "unknown-data-class",
                f"data class '{class_id}' is not a class of the privacy policy",
                doc.doc.locate(path),
                class_id,
                classes,
                related=policy.doc.locate(("classes",), at="key"),
            )
        )
        return None

    def dataset(self, doc: Doc, path: Path_, dataset_id: str) -> Registered | None:
        p = self.names.policies
        found = p.dataset(dataset_id)
        if found is None:
            self.found.append(
                unknown(
                    "unknown-dataset",
                    f"dataset '{dataset_id}' is not in the datasets registry",
                    doc.doc.locate(path),
                    dataset_id,
                    (r.dataset.id for r in p.datasets()),
                )
            )
        return found


def check_references(repo: Repository) -> list[Diagnostic]:
    """Every name in every policy file resolves, and files that name each other agree."""
    r = Resolver(repo)
    p = repo.policies
    for vendor in p.vendors:
        for i, taxonomy_id in enumerate(vendor.model.taxonomies):
            r.taxonomy(vendor, ("taxonomies", i), taxonomy_id)
    for sla in p.slas:
        _sla(r, sla)
    for plan in p.quality_plans:
        tax = r.taxonomy(plan, ("taxonomy",), plan.model.taxonomy)
        if tax is not None:
            r.found += _plan_labels(plan, tax)
    for policy in p.privacy:
        _privacy(r, policy)
    for registered in p.datasets():
        _dataset(r, registered, repo.root)
    for spec in p.specs:
        _spec(r, spec)
    for workflow in p.workflows:
        _workflow(r, workflow)
    r.found += _declared_once(p)
    return r.found


def _sla(r: Resolver, sla: Doc) -> None:
    s = sla.model
    vendor = r.vendor(sla, ("vendor",), s.vendor)
    if s.workflow is not None:
        r.workflow(sla, ("workflow",), s.workflow)
    for i, taxonomy_id in enumerate(s.taxonomies):
        if r.taxonomy(sla, ("taxonomies", i), taxonomy_id) is None or vendor is None:
            continue
        labels = vendor.model.taxonomies
        if labels and taxonomy_id not in labels:
            r.found.append(
                Diagnostic(
                    "taxonomy-mismatch",
                    Severity.ERROR,
                    f"SLA '{s.id}' covers taxonomy '{taxonomy_id}', which vendor "
                    f"'{s.vendor}' does not label",
                    sla.doc.locate(("taxonomies", i)),
                    f"add '{taxonomy_id}' to the vendor's 'taxonomies:', or remove it here",
                    related=vendor.doc.locate(("taxonomies",), at="key"),
                )
            )


def _plan_labels(plan: Doc, tax: Governed[Taxonomy]) -> Iterator[Diagnostic]:
    """Per-label targets name labels of the taxonomy that are active."""
    by_id = tax.model.by_id()
    active: Known | None = None
    for i, targets in enumerate(plan.model.labels):
        where = plan.doc.locate(("labels", i, "label"))
        label = by_id.get(targets.label)
        if label is None:
            active = active or Known(lb.id for lb in tax.model.labels if lb.status is Status.ACTIVE)
            yield unknown(
                "unknown-label",
                f"label '{targets.label}' is not a label of taxonomy '{tax.model.id}'",
                where,
                targets.label,
                active,
                related=tax.doc.locate(("labels",), at="key"),
            )
        elif label.status is not Status.ACTIVE:
            yield Diagnostic(
                "label-not-active",
                Severity.ERROR,
                f"label '{targets.label}' is {label.status.value} in taxonomy "
                f"'{tax.model.id}' {tax.model.version}: no new work is labeled with it",
                where,
                "move its targets to the label(s) that replace it"
                + (f" ({', '.join(label.replaced_by)})" if label.replaced_by else ""),
                related=tax.doc.locate(("labels", tax.model.index[label.id], "status")),
            )


def _privacy(r: Resolver, policy: Doc) -> None:
    for i, f in enumerate(policy.model.fields):
        if f.dataset is not None:
            r.dataset(policy, ("fields", i, "dataset"), f.dataset)
    for i, data_class in enumerate(policy.model.classes):
        for j, vendor_id in enumerate(data_class.access.vendors or ()):
            r.vendor(policy, ("classes", i, "access", "vendors", j), vendor_id)


def _dataset(r: Resolver, reg: Registered, root: Path | None) -> None:
    d = reg.dataset
    doc = reg.registry
    base: Path_ = ("datasets", reg.index)
    if r.taxonomy(doc, (*base, "taxonomy"), d.taxonomy) is not None:
        r.released(
            doc, (*base, "version"), d.taxonomy, d.version, f"dataset '{d.id}' is labeled with"
        )
    r.data_class(doc, (*base, "data_class"), d.data_class)
    vendor = r.vendor(doc, (*base, "vendor"), d.vendor) if d.vendor is not None else None
    if d.sla is not None:
        sla = r.sla(doc, (*base, "sla"), d.sla)
        if sla is not None and d.vendor is not None and sla.model.vendor != d.vendor:
            r.found.append(
                Diagnostic(
                    "sla-vendor-mismatch",
                    Severity.ERROR,
                    f"dataset '{d.id}' is labeled by '{d.vendor}' under SLA '{d.sla}', "
                    f"which binds vendor '{sla.model.vendor}'",
                    doc.doc.locate((*base, "sla")),
                    f"name an SLA of '{d.vendor}', or the vendor the SLA binds",
                    related=sla.doc.locate(("vendor",)),
                )
            )
    if d.workflow is not None:
        workflow = r.workflow(doc, (*base, "workflow"), d.workflow)
        listed = workflow.model.taxonomies if workflow is not None else ()
        if workflow is not None and listed and d.taxonomy not in listed:
            r.found.append(
                Diagnostic(
                    "taxonomy-mismatch",
                    Severity.ERROR,
                    f"dataset '{d.id}' (taxonomy '{d.taxonomy}') follows workflow "
                    f"'{d.workflow}', which is for {', '.join(repr(t) for t in listed)}",
                    doc.doc.locate((*base, "workflow")),
                    "name a workflow for this taxonomy, or add the taxonomy to the workflow",
                    related=workflow.doc.locate(("taxonomies",), at="key"),
                )
            )
    if vendor is not None and vendor.model.taxonomies and d.taxonomy not in vendor.model.taxonomies:
        r.found.append(
            Diagnostic(
                "taxonomy-mismatch",
                Severity.ERROR,
                f"dataset '{d.id}' (taxonomy '{d.taxonomy}') is assigned to vendor "
                f"'{d.vendor}', which does not label that taxonomy",
                doc.doc.locate((*base, "vendor")),
                f"add '{d.taxonomy}' to the vendor's 'taxonomies:', or assign another vendor",
                related=vendor.doc.locate(("taxonomies",), at="key"),
            )
        )
    if d.counts is not None and root is not None and not (root / d.counts).is_file():
        r.found.append(
            Diagnostic(
                "counts-file-missing",
                Severity.ERROR,
                f"dataset '{d.id}': the counts file '{d.counts}' does not exist",
                doc.doc.locate((*base, "counts")),
                "export a label,count CSV of the dataset there (paths are relative to the "
                "repository root)",
            )
        )


def _spec(r: Resolver, spec: Doc) -> None:
    s = spec.model
    if r.taxonomy(spec, ("taxonomy",), s.taxonomy) is not None:
        r.released(spec, ("version",), s.taxonomy, s.version, f"spec '{s.id}' labels with")
    r.data_class(spec, ("data_class",), s.data_class)
    for i, item in enumerate(s.item_schema):
        if item.data_class is not None:
            r.data_class(spec, ("item_schema", i, "data_class"), item.data_class)
    if s.vendor is not None:
        r.vendor(spec, ("vendor",), s.vendor)
    if s.workflow is not None:
        r.workflow(spec, ("workflow",), s.workflow)
    if s.dataset is not None:
        registered = r.dataset(spec, ("dataset",), s.dataset)
        if registered is not None and registered.dataset.taxonomy != s.taxonomy:
            r.found.append(
                Diagnostic(
                    "taxonomy-mismatch",
                    Severity.ERROR,
                    f"spec '{s.id}' labels with taxonomy '{s.taxonomy}', but its dataset "
                    f"'{s.dataset}' is registered with '{registered.dataset.taxonomy}'",
                    spec.doc.locate(("taxonomy",)),
                    "make the spec and the registry name the same taxonomy",
                    related=registered.locate("taxonomy"),
                )
            )


def _workflow(r: Resolver, workflow: Doc) -> None:
    w = workflow.model
    for i, taxonomy_id in enumerate(w.taxonomies):
        r.taxonomy(workflow, ("taxonomies", i), taxonomy_id)
    for i, stage in enumerate(w.stages):
        if stage.vendor is None:
            continue
        if r.vendor(workflow, ("stages", i, "vendor"), stage.vendor) is None:
            continue
        covered = [
            s
            for s in r.names.policies.slas
            if s.model.vendor == stage.vendor and s.model.workflow in (None, w.id)
        ]
        if not covered:
            r.found.append(
                Diagnostic(
                    "vendor-without-sla",
                    Severity.WARNING,
                    f"stage '{stage.id}' is done by vendor '{stage.vendor}', which has no SLA "
                    f"for workflow '{w.id}'",
                    workflow.doc.locate(("stages", i, "vendor")),
                    f"add an SLA file with 'vendor: {stage.vendor}' and 'workflow: {w.id}', so "
                    "its work is priced and measured",
                )
            )


def _declared_once(p: Policies) -> Iterator[Diagnostic]:
    """Ids are unique across files: two vendor files with one id would make every
    reference to it ambiguous."""
    groups: list[tuple[str, list[tuple[str, Doc, Path_]]]] = [
        ("vendor", [(v.model.id, v, ("id",)) for v in p.vendors]),
        ("SLA", [(s.model.id, s, ("id",)) for s in p.slas]),
        ("workflow", [(w.model.id, w, ("id",)) for w in p.workflows]),
        ("dataset spec", [(s.model.id, s, ("id",)) for s in p.specs]),
        (
            "quality plan for taxonomy",
            [(q.model.taxonomy, q, ("taxonomy",)) for q in p.quality_plans],
        ),
        ("privacy policy", [("", g, ("taxops",)) for g in p.privacy]),
    ]
    for what, entries in groups:
        first: dict[str, tuple[Doc, Path_]] = {}
        for key, governed, path in entries:
            if key not in first:
                first[key] = (governed, path)
                continue
            other, other_path = first[key]
            if other.path == governed.path:
                continue
            name = f" '{key}'" if key else ""
            yield Diagnostic(
                "duplicate-policy",
                Severity.ERROR,
                f"{what}{name} is declared in two files (also in {other.display})",
                governed.doc.locate(path),
                "keep one: merge the files or rename one",
                related=other.doc.locate(other_path),
            )
    seen: dict[str, Registered] = {}
    for reg in p.datasets():
        prior = seen.setdefault(reg.dataset.id, reg)
        if prior is not reg and prior.registry.path != reg.registry.path:
            yield Diagnostic(
                "duplicate-policy",
                Severity.ERROR,
                f"dataset '{reg.dataset.id}' is registered in two files (also in "
                f"{prior.registry.display})",
                reg.locate("id"),
                "keep one entry",
                related=prior.locate("id"),
            )
