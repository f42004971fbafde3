"""Reading governed files: safe YAML parsing with positions kept for every node."""

from taxops.loading.yaml_source import (
    DEFAULT_MAX_BYTES,
    PARTIAL_LOCATE_BYTES,
    YamlDocument,
    decode,
    load_yaml,
    parse_yaml,
    read_bounded,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "PARTIAL_LOCATE_BYTES",
    "YamlDocument",
    "decode",
    "load_yaml",
    "parse_yaml",
    "read_bounded",
]
