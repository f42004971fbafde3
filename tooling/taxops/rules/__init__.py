"""The compatibility rule catalogue: one module per rule, named after what it
detects; the module docstring is the rule's documentation. ``RULES`` is the
registry; ``rules_markdown()`` renders the reference page."""

from taxops.rules.base import Bump, Direction, Rule, RuleContext
from taxops.rules.docs import rules_markdown
from taxops.rules.registry import ALIASES, BY_KIND, RULES, resolve

__all__ = [
    "ALIASES",
    "BY_KIND",
    "RULES",
    "Bump",
    "Direction",
    "Rule",
    "RuleContext",
    "resolve",
    "rules_markdown",
]
