"""The rule catalogue: every rule taxops check can report, by id.

The registry is explicit (a module is listed here or it is not a rule): adding a
rule is writing its module and adding one line below. Each entry carries the
rule's default severity, the semver bump it requires, the compatibility
directions it can break, the change kinds it claims and its documentation (the
module docstring).
"""

from __future__ import annotations

from collections.abc import Iterable
from types import ModuleType

from taxops.changes import ChangeKind
from taxops.rules import (
    alias_added,
    alias_removed,
    attribute_added,
    attribute_description_changed,
    attribute_made_optional,
    attribute_made_required,
    attribute_option_added,
    attribute_option_removed,
    attribute_removed,
    attribute_retyped,
    baseline_unreadable,
    compatibility_relaxed,
    declaration_edited,
    definition_changed,
    kind_changed,
    label_added,
    label_became_group,
    label_deprecated,
    label_id_changed,
    label_moved,
    label_narrowed,
    label_reactivated,
    label_removed,
    label_retired,
    label_split,
    labels_merged,
    labels_reordered,
    leaf_became_parent,
    leaf_only_disabled,
    leaf_only_enabled,
    metadata_changed,
    migration_unmapped_label,
    name_changed,
    note_changed,
    release_modified,
    release_unrecorded,
    release_version_mismatch,
    replacement_changed,
    required_attribute_added,
    retired_id_reused,
    reused_id_routed,
    since_changed,
    taxonomy_added,
    taxonomy_id_changed,
    taxonomy_removed,
    tombstone_removed,
    undeclared_rename,
    version_bump_too_small,
    version_decreased,
    version_unchanged,
    waiver_expired,
    waiver_unused,
)
from taxops.rules.base import Rule

#: Rules about one change between two versions, in catalogue order.
CHANGE_RULE_MODULES: tuple[ModuleType, ...] = (
    label_added,
    label_removed,
    tombstone_removed,
    label_deprecated,
    label_retired,
    label_id_changed,
    labels_merged,
    label_split,
    label_narrowed,
    label_became_group,
    reused_id_routed,
    declaration_edited,
    label_reactivated,
    replacement_changed,
    label_moved,
    leaf_became_parent,
    name_changed,
    alias_added,
    alias_removed,
    definition_changed,
    note_changed,
    since_changed,
    attribute_added,
    required_attribute_added,
    attribute_removed,
    attribute_retyped,
    attribute_option_added,
    attribute_option_removed,
    attribute_made_required,
    attribute_made_optional,
    attribute_description_changed,
    kind_changed,
    leaf_only_enabled,
    leaf_only_disabled,
    taxonomy_id_changed,
    metadata_changed,
    compatibility_relaxed,
    labels_reordered,
)

#: Rules the check pipeline reports itself: renames, reuses, versions, releases, waivers.
PROCESS_RULE_MODULES: tuple[ModuleType, ...] = (
    undeclared_rename,
    retired_id_reused,
    migration_unmapped_label,
    version_bump_too_small,
    version_unchanged,
    version_decreased,
    release_modified,
    release_unrecorded,
    release_version_mismatch,
    taxonomy_added,
    taxonomy_removed,
    baseline_unreadable,
    waiver_expired,
    waiver_unused,
)


def _register(modules: Iterable[ModuleType]) -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for module in modules:
        rule: Rule = module.RULE
        # The module docstring is the documentation: attach it once, here.
        object.__setattr__(rule, "doc", module.__doc__ or "")
        if rule.id in rules:
            raise RuntimeError(f"rule id {rule.id} registered twice")
        rules[rule.id] = rule
    return rules


RULES: dict[str, Rule] = _register((*CHANGE_RULE_MODULES, *PROCESS_RULE_MODULES))

#: Former rule ids, kept working in waivers: old id -> current id.
ALIASES: dict[str, str] = {alias: rule.id for rule in RULES.values() for alias in rule.aliases}

#: The rules that read each kind of change (the coverage map).
BY_KIND: dict[ChangeKind, tuple[Rule, ...]] = {
    kind: tuple(r for r in RULES.values() if kind in r.kinds) for kind in ChangeKind
}


def resolve(rule_id: str) -> Rule | None:
    """The rule with this id or former id."""
    return RULES.get(rule_id) or RULES.get(ALIASES.get(rule_id, ""))
