"""Data engines: where migration maps meet datasets (DuckDB on one machine,
emitted SQL and scripts elsewhere). The only place that touches dataset files."""
