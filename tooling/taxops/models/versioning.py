"""A taxonomy's versioning policy: how its versions are written and what each
change requires of the next one.

``versioning: semver`` (the default): semantic versions, and each change needs
the bump the rule catalogue gives it, unless the team's own policy table says
otherwise (``bumps:``, by rule id or by category). ``versioning: calver``:
calendar versions (``2023``, ``2024.1``, ``2016.09.01``) that only have to
increase; what a change may do is judged by the compatibility mode alone.
What the policy means is worked out in :mod:`taxops.versioning.policy`.
"""

from __future__ import annotations

import enum
from typing import Annotated, Any

from pydantic import Discriminator, Field, Tag

from taxops.models.common import Strict
from taxops.versioning.bumps import Bump


class Scheme(str, enum.Enum):
    """How versions are written."""

    SEMVER = "semver"
    """Semantic versions, MAJOR.MINOR.PATCH: the number says how much changed."""
    CALVER = "calver"
    """Calendar versions (2023, 2024.1, 2016.09.01): the number says when."""


class VersioningPolicy(Strict):
    """The versioning policy in full: the scheme and, for semantic versions, the
    team's own table of which change needs which bump."""

    scheme: Scheme = Scheme.SEMVER
    """``semver`` or ``calver``."""
    bumps: dict[str, Bump] = Field(default_factory=dict)
    """Semantic versions only: the bump a kind of change needs, where the team's
    policy differs from the rule catalogue's (``taxops rules``). Keys are rule
    ids (``label-added: patch``) or categories (``breaking``, ``additive``,
    ``cosmetic``); a rule id wins over its category."""


def _policy_tag(value: Any) -> str:
    return "scheme" if isinstance(value, str | Scheme) else "policy"


#: What ``versioning:`` holds: a scheme name, or the full policy as a mapping.
VersioningField = Annotated[
    Annotated[Scheme, Tag("scheme")] | Annotated[VersioningPolicy, Tag("policy")],
    Discriminator(_policy_tag),
]


def policy_of(value: Scheme | VersioningPolicy) -> VersioningPolicy:
    """The full policy of a ``versioning:`` value."""
    return VersioningPolicy(scheme=value) if isinstance(value, Scheme) else value
