"""Reading governed files: safe YAML parsing with positions kept for every node."""

from taxops.loading.yaml_source import (
    DEFAULT_MAX_BYTES,
    YamlDocument,
    gc_paused,
    load_yaml,
    parse_yaml,
)

__all__ = ["DEFAULT_MAX_BYTES", "YamlDocument", "gc_paused", "load_yaml", "parse_yaml"]
