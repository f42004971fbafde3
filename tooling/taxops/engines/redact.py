"""Redact a CSV, TSV, JSON-lines or Parquet file by the privacy policy's rules,
streaming with DuckDB, rows in input order.

How it stays streamed and bounded (measured in ``benchmarks/redact.py``):

1. The source is read by DuckDB (CSV and TSV as text, so every untouched value
   is written back as it was read); its text columns get their class's rules
   (:func:`taxops.redaction.plan.field_plan`). A JSON-lines field holding
   nested values (an object, a list) is redacted as its JSON text and written
   back as JSON: an email inside ``{"owner": {"email": ...}}`` is masked, not
   passed through because the field is not text. A Parquet field holding a list
   or struct is redacted the same way and cast back to its own type.
2. One query (:func:`taxops.redaction.sql.redaction_query`) finds each rule's
   candidates with RE2, validates them in SQL (Luhn, mod 97, libphonenumber's
   patterns), replaces them and counts them, column-wide; nothing runs in
   Python per row. It is copied once into a columnar scratch file beside the
   output.
3. The counts are summed from the scratch file (only the count columns are
   read), and the redacted columns are copied into the output format.

DuckDB's memory limit (default 512 MB) bounds the peak whatever the file's size.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from taxops.diagnostics import TaxopsError
from taxops.engines.dataset_input import CsvDialect, csv_relation, resolve_dialect
from taxops.engines.duckdb_run import Progress, run_query
from taxops.engines.job import DEFAULT_MEMORY_LIMIT
from taxops.engines.paths import read_path, write_path
from taxops.escaping import sql_identifier, sql_literal, terminal_lines
from taxops.models.privacy import Privacy
from taxops.redaction.plan import field_plan
from taxops.redaction.sql import count_columns, redaction_query

REPORT_SCHEMA = "taxops/redaction-report/1"
FORMATS = ("csv", "tsv", "jsonl", "parquet")
_DELIMITERS = {"csv": ",", "tsv": "\t"}


def source_sql(path: Path, fmt: str, dialect: CsvDialect | None = None) -> str:
    """The file as a DuckDB relation; CSV and TSV as text throughout, read in
    their own dialect (sniffed when not given: a semicolon export is not one
    column of a comma CSV) with the header's names exactly as written."""
    p = read_path(path)  # a path is that file, never a glob pattern
    if fmt in ("csv", "tsv"):
        return csv_relation(path, dialect or resolve_dialect(path, fmt))
    if fmt == "jsonl":
        return f"read_json({p}, format = 'newline_delimited')"
    if fmt == "parquet":
        return f"read_parquet({p})"
    raise TaxopsError(f"taxops redacts {', '.join(FORMATS)} files, not {fmt}")


def copy_options(fmt: str, dialect: CsvDialect | None = None) -> str:
    """DuckDB COPY options writing ``fmt``; a CSV or TSV in the dialect it was read in."""
    if fmt in ("csv", "tsv"):
        delimiter = dialect.delimiter if dialect else _DELIMITERS[fmt]
        quote = (dialect.quote if dialect else "") or '"'
        return (
            f"FORMAT csv, HEADER true, DELIMITER {sql_literal(delimiter)}, "
            f"QUOTE {sql_literal(quote)}"
        )
    return {"jsonl": "FORMAT json", "parquet": "FORMAT parquet"}[fmt]


def redact_file(
    source: Path,
    fmt: str,
    output: Path,
    policy: Privacy,
    data_class: str,
    *,
    dataset_id: str | None = None,
    skip: Sequence[str] = (),
    delimiter: str | None = None,
    encoding: str | None = None,
    progress: Progress | None = None,
    memory_limit: str | None = None,
    threads: int | None = None,
) -> dict[str, Any]:
    """Write ``source`` redacted to ``output`` (same format) and return the report:
    rows, and what was masked per field and rule. ``skip``: columns never
    redacted (the label column: a CSV whose sniffed dialect does not show it in
    the header is read in the format's default one). ``delimiter``, ``encoding``: a
    CSV's or TSV's, when known (else sniffed; UTF-8); the output keeps the input's
    delimiter and quoting, in UTF-8."""
    import duckdb

    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = true")
    con.execute("SET enable_progress_bar = true")
    con.execute("SET enable_progress_bar_print = false")
    con.execute(f"SET memory_limit = {sql_literal(memory_limit or DEFAULT_MEMORY_LIMIT)}")
    con.execute(f"SET temp_directory = {sql_literal(tempfile.gettempdir())}")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    dialect = None
    if fmt in ("csv", "tsv"):
        dialect = resolve_dialect(
            source, fmt, delimiter, encoding, label_column=next(iter(skip), None)
        )
    relation = source_sql(source, fmt, dialect)
    try:
        described = con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()
    except duckdb.Error as exc:
        raise TaxopsError(f"DuckDB cannot read {source}: {str(exc).splitlines()[0]}") from None
    columns = [str(row[0]) for row in described]
    nested = {str(row[0]) for row in described if _is_nested(str(row[1]))}
    text = [str(row[0]) for row in described if str(row[1]) == "VARCHAR" or row[0] in nested]
    named = field_plan(policy, text, data_class, dataset_id=dataset_id, skip=skip)
    nested &= {f.field for f in named}
    types = {str(row[0]): str(row[1]) for row in described}
    if nested and fmt not in ("jsonl", "parquet"):
        raise TaxopsError(
            f"{source}: taxops redacts text fields, and "
            + ", ".join(f"'{n}'" for n in sorted(nested))
            + " of the fields it must redact hold nested values (lists or structs)",
            "write those fields as text, or the file as JSON lines, then redact it",
        )
    # The query sees the fields by position (f0, f1...): a user's field named
    # like a variable of the redaction SQL ('m', 'c', 'acc') cannot capture it.
    alias = {c: f"__taxops_f{i}" for i, c in enumerate(columns)}
    relation = "(SELECT {} FROM {})".format(
        ", ".join(
            # A nested value is redacted as its JSON text.
            f"{f'to_json({sql_identifier(c)})::VARCHAR' if c in nested else sql_identifier(c)}"
            f" AS {alias[c]}"
            for c in columns
        ),
        relation,
    )
    plan = [replace(f, field=alias[f.field]) for f in named]
    query = redaction_query(relation, list(alias.values()), plan, policy)
    counted = count_columns(plan)
    scratch = output.with_name(f".{output.name}.redact-scratch.parquet")
    try:
        run_query(
            con,
            f"COPY ({query}) TO {write_path(scratch)} (FORMAT parquet)",
            "redact",
            progress,
        )
        scanned = f"read_parquet({read_path(scratch)})"
        totals = [0] * len(counted)
        if counted:
            sums = ", ".join(f"coalesce(sum({sql_identifier(c)}), 0)" for c, _, _ in counted)
            totals = list(con.execute(f"SELECT {sums} FROM {scanned}").fetchone() or totals)
        shown = ", ".join(
            (_nested_back(alias[c], fmt, types[c]) if c in nested else alias[c])
            + f" AS {sql_identifier(c)}"
            for c in columns
        )
        rows = run_query(
            con,
            f"COPY (SELECT {shown} FROM {scanned}) TO {write_path(output)} ({copy_options(fmt, dialect)})",
            "write",
            progress,
        )[0][0]
    finally:
        scratch.unlink(missing_ok=True)
        con.close()
    original = {alias[f.field]: f for f in named}
    counted = [(c, original[f.field], rule) for c, f, rule in counted]
    return _report(source, data_class, int(rows), named, counted, totals)


def _nested_back(column: str, fmt: str, type_name: str) -> str:
    """A nested field redacted as JSON text, as its format holds it: JSON (JSON
    lines), or its own type again (Parquet; the masks are text inside strings)."""
    if fmt == "parquet":
        return f"CAST(CAST({column} AS JSON) AS {type_name})"
    return f"CAST({column} AS JSON)"


def _is_nested(type_name: str) -> bool:
    """Whether a DuckDB type holds values inside values (a list, struct, map)."""
    return type_name.endswith("]") or type_name.startswith(("STRUCT", "MAP", "UNION", "JSON"))


def _report(
    source: Path,
    data_class: str,
    rows: int,
    plan: Sequence[Any],
    counted: Sequence[Any],
    totals: Sequence[int],
) -> dict[str, Any]:
    fields: dict[str, dict[str, Any]] = {
        f.field: {"field": f.field, "data_class": f.data_class, "rules": []} for f in plan
    }
    for (_, field, rule), n in zip(counted, totals, strict=True):
        fields[field.field]["rules"].append(
            {"detect": rule.detect, "mask": rule.mask_template, "masked": int(n)}
        )
    return {
        "schema": REPORT_SCHEMA,
        "dataset": str(source),
        "data_class": data_class,
        "rows": rows,
        "masked": sum(int(n) for n in totals),
        "fields": list(fields.values()),
    }


def report_text(report: dict[str, Any]) -> str:
    """What was masked, per field and rule, for the terminal."""
    from taxops.escaping import terminal

    lines = [
        f"{terminal(report['dataset'])}: {report['rows']:,} rows, class "
        f"'{terminal(report['data_class'])}': {report['masked']:,} values masked"
    ]
    for field in report["fields"]:
        parts = ", ".join(f"{r['detect']} {r['masked']:,}" for r in field["rules"])
        lines.append(f"  {terminal(field['field'])} ({terminal(field['data_class'])}): {parts}")
    if not report["fields"]:
        lines.append("  no field's class has redaction rules: copied unchanged")
    return terminal_lines(lines)  # each line escaped and clipped
