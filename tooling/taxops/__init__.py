"""taxops: governance-as-code for AI data-labeling operations."""

__version__ = "0.1.0"
