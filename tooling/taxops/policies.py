"""The policy files of a repository, indexed: vendors, SLAs, quality plans, the
privacy policy, the datasets registry, dataset specs and workflows.

Filled by :func:`taxops.repository.assemble` from checked files (for the
cross-file checks and the site), or by :func:`load_policies` straight from
``policies/`` (for commands that need only the policies: ``impact``,
``migrate``, ``redact``). Lookups by id return the first file declaring it;
duplicates are a cross-file finding of their own.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from taxops.diagnostics import Location, TaxopsError, has_errors

if TYPE_CHECKING:  # the models load with the first policy file: a repository may have none
    from pydantic import BaseModel

    from taxops.governed import Governed
    from taxops.models.dataset_spec import DatasetSpec
    from taxops.models.datasets import Dataset, DatasetRegistry
    from taxops.models.privacy import Privacy
    from taxops.models.quality_plan import QualityPlan
    from taxops.models.sla import Sla
    from taxops.models.vendor import Vendor
    from taxops.models.workflow import Workflow

POLICIES_FOLDER = "policies"
#: The marker of the datasets registry.
REGISTRY = "datasets/1"


@dataclass(frozen=True)
class Registered:
    """A dataset of the registry, with the file and list position it is declared at."""

    dataset: Dataset
    registry: Governed[DatasetRegistry]
    index: int

    def locate(self, key: str, *, at: str = "value") -> Location:
        """Where ``key`` of this dataset's entry is."""
        return self.registry.doc.locate(("datasets", self.index, key), at=at)


#: Each policy model (``module:Class``, named so that filing one loads no
#: other) and the list of :class:`Policies` it is filed in.
_FILED = {
    "taxops.models.vendor:Vendor": "vendors",
    "taxops.models.sla:Sla": "slas",
    "taxops.models.quality_plan:QualityPlan": "quality_plans",
    "taxops.models.privacy:Privacy": "privacy",
    "taxops.models.datasets:DatasetRegistry": "registries",
    "taxops.models.dataset_spec:DatasetSpec": "specs",
    "taxops.models.workflow:Workflow": "workflows",
}


@dataclass
class Policies:
    vendors: list[Governed[Vendor]] = field(default_factory=list)
    slas: list[Governed[Sla]] = field(default_factory=list)
    quality_plans: list[Governed[QualityPlan]] = field(default_factory=list)
    privacy: list[Governed[Privacy]] = field(default_factory=list)
    registries: list[Governed[DatasetRegistry]] = field(default_factory=list)
    specs: list[Governed[DatasetSpec]] = field(default_factory=list)
    workflows: list[Governed[Workflow]] = field(default_factory=list)

    def add(self, governed: Governed[BaseModel]) -> bool:
        """File a valid policy under its kind; False when it is not a policy."""
        model = type(governed.model)
        listing = _FILED.get(f"{model.__module__}:{model.__qualname__}")
        if listing is None:
            return False
        getattr(self, listing).append(governed)
        return True

    def all(self) -> list[Governed[BaseModel]]:
        """Every policy file."""
        return [g for listing in _FILED.values() for g in getattr(self, listing)]

    # --- lookups ------------------------------------------------------------

    def vendor(self, vendor_id: str) -> Governed[Vendor] | None:
        return next((v for v in self.vendors if v.model.id == vendor_id), None)

    def sla(self, sla_id: str) -> Governed[Sla] | None:
        return next((s for s in self.slas if s.model.id == sla_id), None)

    def workflow(self, workflow_id: str) -> Governed[Workflow] | None:
        return next((w for w in self.workflows if w.model.id == workflow_id), None)

    def quality_plan(self, taxonomy_id: str) -> Governed[QualityPlan] | None:
        return next((q for q in self.quality_plans if q.model.taxonomy == taxonomy_id), None)

    @property
    def privacy_policy(self) -> Governed[Privacy] | None:
        return self.privacy[0] if self.privacy else None

    def datasets(self) -> list[Registered]:
        """Every registered dataset, in file and list order."""
        return [
            Registered(dataset, registry, i)
            for registry in self.registries
            for i, dataset in enumerate(registry.model.datasets)
        ]

    def dataset(self, dataset_id: str) -> Registered | None:
        return next((r for r in self.datasets() if r.dataset.id == dataset_id), None)

    def dataset_at(self, root: Path, path: Path) -> Registered | None:
        """The registered dataset whose location is the file ``path`` (however
        the path is written): a file named by its path is still that dataset,
        with its taxonomy, version, class and SLA."""
        target = path.resolve()
        return next(
            (
                r
                for r in self.datasets()
                if not r.dataset.is_remote and (root / r.dataset.location).resolve() == target
            ),
            None,
        )

    def sla_for(
        self, taxonomy: str, *, vendor: str | None = None, workflow: str | None = None
    ) -> Sla | None:
        """The SLA work on ``taxonomy`` runs under: the one of ``vendor`` (and
        ``workflow``) covering it, or, without a vendor, the only SLA covering it."""
        covering = [
            s.model
            for s in self.slas
            if s.model.covers(taxonomy, workflow) and vendor in (None, s.model.vendor)
        ]
        if workflow is not None:  # an SLA for this very workflow beats a catch-all one
            covering.sort(key=lambda s: s.workflow != workflow)
            covering = [s for s in covering if s.workflow == covering[0].workflow]
        return covering[0] if len(covering) == 1 else None

    def sla_of(self, registered: Dataset) -> Sla | None:
        """The SLA a registered dataset's labeling runs under."""
        if registered.sla is not None:
            found = self.sla(registered.sla)
            return found.model if found else None
        if registered.vendor is None:
            return None
        return self.sla_for(
            registered.taxonomy, vendor=registered.vendor, workflow=registered.workflow
        )


def load_policies(root: Path, kinds: Collection[str] | None = None) -> Policies:
    """The valid policy files under ``root/policies`` (invalid ones are skipped:
    ``taxops validate`` reports them); with ``kinds``, only the files of those
    kinds (their ``taxops:`` marker, e.g. ``datasets/1``) are validated, the
    others' models never loaded."""
    policies = Policies()
    folder = root / POLICIES_FOLDER
    paths = sorted(folder.rglob("*.y*ml")) if folder.is_dir() else []
    if not paths:
        return policies
    from taxops.documents import KINDS
    from taxops.governed import Governed
    from taxops.loading import load_yaml
    from taxops.repo_layout import display_path, leaves_repository

    for path in paths:
        if leaves_repository(path, root):  # validate reports it: file-outside-repository
            continue
        doc, _ = load_yaml(path, display_path(path, root))
        kind = KINDS.get(str(doc.data.get("taxops"))) if doc is not None else None
        if doc is None or kind is None or (kinds is not None and kind.format not in kinds):
            continue
        # Only for a file of a kind asked for: the checks' module loads the
        # taxonomy models and the release cache, a tenth of a second that
        # every migrate of a repository with (other) policies paid.
        from taxops.file_check import validate_document

        model, problems = validate_document(doc, kind)
        if model is not None and not has_errors(problems):
            policies.add(Governed(path, doc.path, doc, model))
    return policies


def dataset_file(
    root: Path,
    name: str,
    elsewhere: str,
    kinds: Collection[str] | None = None,
    *,
    folders: bool = False,
) -> tuple[Path, Dataset | None, Policies | None]:
    """The file a command works on: ``name`` when it is a file, else the file of
    the registered dataset of that id; with the registered dataset (by id, or
    because the file is its location) and the policies (of ``kinds`` only, when
    given: the datasets registry is always read). ``elsewhere`` is the hint when
    the dataset is not a local file. ``folders``: a folder of part files is a
    dataset too (what Spark reads and writes)."""
    if kinds is not None:
        kinds = {REGISTRY, *kinds}
    given = Path(name)
    if given.is_file() or (folders and given.is_dir()):
        policies = load_policies(root, kinds)
        at = policies.dataset_at(root, given)
        return given, at.dataset if at else None, policies
    registered, policies = registered_dataset(root, str(name), kinds)  # a Path from argparse too
    d = registered.dataset
    if d.is_remote:
        raise TaxopsError(
            f"dataset '{d.id}' is at {d.location}, which taxops cannot read here", elsewhere
        )
    path = root / d.location
    if not (path.is_file() or (folders and path.is_dir())):
        raise TaxopsError(f"dataset '{d.id}': no file at {d.location}")
    return path, d, policies


def registered_dataset(
    root: Path, dataset_id: str, kinds: Collection[str] | None = None
) -> tuple[Registered, Policies]:
    """A registered dataset by id, or an error listing the registered ones
    (with the policies of ``kinds``, see :func:`load_policies`)."""
    policies = load_policies(root, kinds)
    found = policies.dataset(dataset_id)
    if found is None:
        known = ", ".join(r.dataset.id for r in policies.datasets()) or "none"
        raise TaxopsError(
            f"'{dataset_id}' is neither a file nor a registered dataset",
            f"registered datasets (policies/datasets.yaml): {known}",
        )
    return found, policies
