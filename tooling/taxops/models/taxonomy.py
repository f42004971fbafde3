"""The taxonomy: the label set a dataset is labeled with, and how labels relate.

A label's ``id`` is what datasets store. It never changes and is never reused: a
label that is no longer used stays in the file as a ``retired`` tombstone that says
what replaces it. Everything else (display name, definition, parent, aliases) may
change, and the compatibility rules say what each change costs.

Shapes are checked here; relations between labels (parents exist, no cycles,
replacements resolve) are checked by :mod:`taxops.checks.taxonomy`, so each
finding gets its own rule id and a message naming the labels involved.
"""

from __future__ import annotations

import enum
import itertools
import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator

from taxops.models.common import Strict
from taxops.models.declarations import Narrowing, Redirect, since
from taxops.models.ids import IdPreset, IdRule, IdsField, id_rule
from taxops.models.versioning import Scheme, VersioningField, VersioningPolicy, policy_of
from taxops.versioning.versions import Version, parse_version, version_text

TAXONOMY_FORMAT = "taxonomy/1"


class TaxonomyKind(str, enum.Enum):
    """How items are labeled with this taxonomy."""

    SINGLE_LABEL = "single-label"
    """Exactly one label per item, from a flat list."""
    MULTI_LABEL = "multi-label"
    """Any number of labels per item."""
    HIERARCHICAL = "hierarchical"
    """One label per item, from a tree; ``leaf_only`` says whether inner labels may be used."""

    @property
    def exclusive(self) -> bool:
        """Whether an item carries exactly one label (consumers assume a closed set)."""
        return self is not TaxonomyKind.MULTI_LABEL


class Status(str, enum.Enum):
    """A label's lifecycle. ``deprecated``: still valid on existing data, not for new
    work. ``retired``: no longer valid; kept as a tombstone so its id is never reused."""

    ACTIVE = "active"
    DEPRECATED = "deprecated"
    RETIRED = "retired"


class Replacement(str, enum.Enum):
    """How items carrying a deprecated or retired label move on."""

    DIRECT = "direct"
    """A machine may relabel: every item gets the label(s) in ``replaced_by``."""
    REVIEW = "review"
    """A human must decide, among ``replaced_by`` when given (e.g. a split)."""
    PARENT = "parent"
    """Items fall back to the label's parent (coarser, but machine-decidable)."""


class Compatibility(str, enum.Enum):
    """Which changes a new version may make, as a schema registry defines it.

    ``backward``: data labeled with the previous version can be carried to the new
    one. ``forward``: consumers built for the previous version still understand the
    new one. ``full``: both. ``*-transitive``: against every released version, not
    only the last. ``none``: only semver is enforced.
    """

    BACKWARD = "backward"
    BACKWARD_TRANSITIVE = "backward-transitive"
    FORWARD = "forward"
    FORWARD_TRANSITIVE = "forward-transitive"
    FULL = "full"
    FULL_TRANSITIVE = "full-transitive"
    NONE = "none"


class AttributeType(str, enum.Enum):
    BOOL = "bool"
    ENUM = "enum"
    TEXT = "text"
    INTEGER = "integer"
    NUMBER = "number"


class Attribute(Strict):
    """A property annotated alongside a label (``occluded``, ``severity``)."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    """Attribute key as stored in the annotations, snake_case."""
    type: AttributeType
    """Value type: bool, enum (one of ``options``), text, integer or number."""
    options: tuple[str, ...] = ()
    """Allowed values of an ``enum`` attribute, in display order."""
    required: bool = False
    """Whether every annotation with this label must set the attribute."""
    description: str | None = None
    """What the attribute means, for labelers."""


class Label(Strict):
    """One label of the taxonomy."""

    id: str
    """Stable id stored in datasets, exactly as written: a slug
    (``vehicle.truck``) or a published code (``A00.0``), as the taxonomy's
    ``ids:`` says. Never changed or reused; to rename, change ``name``. Quote
    codes that look like numbers (``id: '010121'``)."""
    name: str = Field(min_length=1)
    """Display name shown to labelers."""
    parent: str | None = None
    """Id of the parent label (hierarchical taxonomies)."""
    definition: str | None = None
    """What the label means, in one or two plain sentences."""
    aliases: tuple[str, ...] = ()
    """Other names labelers or older tools use for this label."""
    status: Status = Status.ACTIVE
    """Lifecycle: active, deprecated (not for new work) or retired (tombstone)."""
    replaced_by: tuple[str, ...] = ()
    """For deprecated and retired labels: the label(s) that take over."""
    replacement: Replacement | None = None
    """How items move to ``replaced_by``: direct (a machine relabels), review (a
    human decides) or parent (fall back to the parent). Default: direct for one
    replacement, review for several."""
    note: str | None = None
    """Why the label was deprecated or retired, for reviewers and labelers."""
    since: Version | None = None
    """Taxonomy version that introduced the label."""
    attributes: tuple[Attribute, ...] = ()
    """Properties annotated with this label."""
    narrowed: tuple[Narrowing, ...] = ()
    """Versions in which part of this label's meaning moved to other labels (the
    label stays valid; items labeled with it before may belong elsewhere)."""
    became_group: tuple[Redirect, ...] = ()
    """The version in which this label became a group: it stays in the tree, is no
    longer assignable, and its items go to one child or to review among children."""
    reused: tuple[Redirect, ...] = ()
    """Versions in which this id took another meaning: where the items that
    carried its old meaning go."""
    backward: tuple[Redirect, ...] = ()
    """Where this label's items go when a dataset is migrated back to the version
    before ``version`` (when the official table says so; otherwise derived)."""

    def is_group_at(self, version: Version) -> bool:
        """Whether the label is a group that items cannot carry in ``version``."""
        return bool(since(self.became_group, version))

    @property
    def replacement_mode(self) -> Replacement | None:
        """The effective replacement mode (explicit, or derived from ``replaced_by``)."""
        if self.replacement is not None:
            return self.replacement
        if not self.replaced_by:
            return None
        return Replacement.DIRECT if len(self.replaced_by) == 1 else Replacement.REVIEW


#: The fields in which a label makes a crosswalk declaration (carried from
#: version to version, as tombstones are).
DECLARATIONS = ("narrowed", "became_group", "reused", "backward")

#: Labels read per chunk when building columns.
_COLUMN_CHUNK = 8192
#: The label field behind each column of :class:`LabelColumns`, in its order.
_COLUMN_FIELDS = (
    "id", "name", "parent", "status", "aliases", "replaced_by", "replacement", "attributes"
)  # fmt: skip


@dataclass(frozen=True)
class LabelColumns:
    """The labels' fields, one list per field, in file order."""

    ids: list[str]
    names: list[str]
    parents: list[str | None]
    statuses: list[Status]
    aliases: list[tuple[str, ...]]
    replaced_by: list[tuple[str, ...]]
    replacements: list[Replacement | None]
    attributes: list[tuple[Attribute, ...]]
    declaring: bool
    """Whether any label carries a crosswalk declaration."""

    @classmethod
    def of(cls, labels: Sequence[Label]) -> LabelColumns:
        """Every label read once, in chunks, so the row tuples waiting to be
        transposed are a few MB, not 50. Each more pass over 200,000 models costs
        about 0.05 s of memory reads alone, so one pass reads every field: from
        the model's ``__dict__`` (where Pydantic keeps a model's field values,
        set or defaulted), a plain dict lookup per field where an attribute
        read first searches the class and its bases (0.15 s against 0.22 s)."""
        # The declarations (DECLARATIONS) are read in the same pass, kept only as
        # whether any label has one (most taxonomies have none).
        read = operator.itemgetter(*_COLUMN_FIELDS, *DECLARATIONS)
        columns: list[list[Any]] = [[] for _ in _COLUMN_FIELDS]
        declaring = False
        for start in range(0, len(labels), _COLUMN_CHUNK):
            rows = list(map(read, map(vars, labels[start : start + _COLUMN_CHUNK])))
            read_columns = list(zip(*rows, strict=True))
            for column, values in zip(columns, read_columns, strict=False):
                column += values
            declaring = declaring or any(map(any, read_columns[len(columns) :]))
        ids, names, parents, statuses, aliases, replaced_by, replacements, attributes = columns
        return cls(
            ids, names, parents, statuses, aliases, replaced_by, replacements, attributes, declaring
        )

    @cached_property
    def attribute_shapes(self) -> frozenset[tuple[AttributeType, int]]:
        """Each attribute's type and number of options, the distinct pairs (a
        handful): what the attribute checks screen on, read in C in one pass
        over the attributes."""
        flat = list(itertools.chain.from_iterable(self.attributes))
        types = map(operator.attrgetter("type"), flat)
        options = map(len, map(operator.attrgetter("options"), flat))
        return frozenset(zip(types, options, strict=True))

    @cached_property
    def all_active(self) -> bool:
        """Whether every label is active (no tombstones to follow). Counted by
        identity in C: a set of 200,000 statuses hashes each in Python."""
        return self.statuses.count(Status.ACTIVE) == len(self.statuses)


class Taxonomy(Strict):
    """A versioned label set and the rules for labeling with it."""

    taxops: Literal["taxonomy/1"]
    """File format marker: this file is a taxonomy, format version 1."""
    id: str = Field(pattern=r"^[a-z][a-z0-9_-]*$", max_length=100)
    """Stable id of the taxonomy (kebab-case), used by guidelines, policies and datasets."""
    title: str = Field(min_length=1)
    """Human title."""
    versioning: VersioningField = Scheme.SEMVER
    """How versions are written and what each change requires: ``semver`` (the
    default; a ``bumps:`` table may set the team's own policy) or ``calver``
    (calendar versions that only have to increase)."""
    version: Version
    """Version of this taxonomy: MAJOR.MINOR.PATCH (semver), or a calendar
    version such as '2024.1' or '2016.09.01' (calver; quote it)."""
    kind: TaxonomyKind
    """single-label, multi-label or hierarchical."""
    leaf_only: bool = False
    """Hierarchical only: items may carry only labels without children."""
    owners: tuple[str, ...] = Field(min_length=1)
    """Who approves changes: emails or @team handles."""
    description: str | None = None
    """What the taxonomy is for: the model it trains, the data it labels."""
    compatibility: Compatibility = Compatibility.BACKWARD
    """Which changes a new version may make without a major bump being required."""
    ids: IdsField = IdPreset.SLUG
    """The shape of label ids: ``slug`` (lowercase dotted, the default), ``code``
    (a published code as it is: ``150``, ``A00.0``, ``31-33``) or
    ``{pattern: REGEX, case: sensitive|insensitive}``."""
    labels: tuple[Label, ...] = Field(min_length=1)
    """The labels, including deprecated and retired ones."""

    @field_validator("version", mode="before")
    @classmethod
    def _in_its_scheme(cls, value: object, info: ValidationInfo) -> Version:
        """The version as the declared scheme writes it (``versioning`` is
        validated first: it is declared before ``version``)."""
        declared = info.data.get("versioning", Scheme.SEMVER)
        scheme = policy_of(declared).scheme.value
        if isinstance(value, Version):
            return parse_version(str(value), scheme)
        return parse_version(version_text(value, scheme), scheme)

    @cached_property
    def policy(self) -> VersioningPolicy:
        """The versioning policy in full (scheme and bump table)."""
        return policy_of(self.versioning)

    @cached_property
    def id_rule(self) -> IdRule:
        """What an id of this taxonomy may look like, and when two are the same."""
        return id_rule(self.ids)

    @cached_property
    def columns(self) -> LabelColumns:
        """The labels' fields as columns, read in one pass: checks over 200,000
        labels work on whole columns (sets, joins, C-level scans) instead of
        reading each label's fields again in each check."""
        return LabelColumns.of(self.labels)

    @cached_property
    def index(self) -> dict[str, int]:
        """Position of each label id in ``labels`` (first occurrence wins;
        duplicates are a separate finding). Computed once: checks, diffs and maps
        all look labels up by id."""
        ids = self.columns.ids
        index = dict(zip(ids, range(len(ids)), strict=True))  # in C: the usual case
        if len(index) < len(ids):  # an id repeats: keep its first place, in file order
            index = {}
            for i, label_id in enumerate(ids):
                index.setdefault(label_id, i)
        return index

    @cached_property
    def declaring(self) -> list[int]:
        """Positions of the labels that make crosswalk declarations (``narrowed``,
        ``became_group``, ``reused``, ``backward``): the few a comparison reads
        for them, without reading every label."""
        if not self.columns.declaring:  # most taxonomies: known from the columns' pass
            return []
        none = ((),) * len(DECLARATIONS)  # each declaration field defaults to ()
        read = operator.attrgetter(*DECLARATIONS)
        return [i for i, found in enumerate(map(read, self.labels)) if found != none]

    @cached_property
    def _by_id(self) -> dict[str, Label]:
        labels = self.labels
        return {label_id: labels[i] for label_id, i in self.index.items()}

    def by_id(self) -> Mapping[str, Label]:
        """Labels by id (first occurrence wins). Built once per model: a lookup
        table rebuilt per call, in a loop, made a diff quadratic."""
        return self._by_id

    def children(self) -> dict[str | None, list[Label]]:
        """Labels grouped by parent id (``None`` for roots), in file order."""
        groups: dict[str | None, list[Label]] = {}
        for label in self.labels:
            groups.setdefault(label.parent, []).append(label)
        return groups
