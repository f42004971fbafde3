"""Migration SQL for engines taxops does not run itself (Spark for a
two-billion-row archive, a warehouse). One canonical form, built as a sqlglot
syntax tree and written in each dialect, with the map inlined as a VALUES table:

1. ``CREATE TABLE <output>``: the migrated rows (label rewritten where the map is
   direct; kept where it is keep; unlabeled rows unchanged);
2. ``CREATE TABLE <review>``: the rows a human must relabel (the map says review,
   or the label is not in the old version), with ``taxops_reason`` (what the
   reviewer decides, as in ``taxops migrate``) and ``taxops_candidates``
   (candidate labels joined by ``|``);
3. a check that migrated + review = input.

Values match labels as in ``taxops migrate``: exactly first (a kept value is
written back unchanged), else once surrounding spaces are trimmed, else, when
the ids ignore case, once lower-cased (only where one id has that lower case).
Each is a join on a unique key, so no row is ever duplicated. SQL tables have no
order: keep a key column to sort by. A list (array) label column, as ``taxops
migrate --multi-label`` relabels it, is built by :mod:`taxops.engines.sql_lists`
(``multi_label=True``); the map, the names, the checks and the header are shared.

Nothing the user gives (table and column names, labels) is pasted into SQL
text: names become quoted identifiers and labels string literals in the tree,
and sqlglot writes each with the quoting rules of the dialect (doubled quotes,
backslash escapes in Spark and BigQuery). A name that does not come back
unchanged from its own SQL, or that holds a control character, is refused, and
so is a label that does not read back as exactly one string literal
(:func:`_guard`, the check before a script is written). The
header comments carry values made inert (one line, control characters shown
as escapes).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from taxops import escaping
from taxops.diagnostics import TaxopsError
from taxops.engines import sql_lists
from taxops.migration.model import MigrationMap, Mode
from taxops.migration.values import SPACES, UNKNOWN_LABEL, entry_reason, repairs_by_lower_case

if TYPE_CHECKING:
    from sqlglot import exp

DIALECTS = ("duckdb", "spark", "bigquery", "snowflake", "postgres")
_MAP_COLUMNS = ["old_label", "new_label", "needs_review", "candidates", "repair_key", "reason"]


def migration_sql(
    migration: MigrationMap,
    *,
    dialect: str,
    table: str,
    label_column: str,
    columns: Sequence[str],
    output_table: str | None = None,
    review_table: str | None = None,
    multi_label: bool = False,
) -> str:
    """The script for ``dialect``; ``columns`` are the table's columns in order.
    Table names are dotted (``catalog.schema.table``): each part is quoted.
    ``multi_label``: the label column holds a list of labels (an array), see
    :mod:`taxops.engines.sql_lists`."""
    from sqlglot import exp

    if dialect not in DIALECTS:
        raise TaxopsError(
            f"unknown SQL dialect '{dialect}'", f"choose one of: {', '.join(DIALECTS)}"
        )
    several = [e.label for e in migration if e.mode is Mode.DIRECT and len(e.targets) > 1]
    if several and not multi_label:
        raise TaxopsError(
            f"the map gives items carrying {', '.join(several[:3])} several labels at once; "
            "a column of one label per row cannot hold them",
            "pass --multi-label to relabel a list (array) column",
        )
    if label_column not in columns:
        raise TaxopsError(
            f"the label column '{escaping.terminal(label_column)}' is not among the columns: "
            f"{', '.join(escaping.terminal(c) for c in columns)}"
        )
    suffix = "_v" + str(migration.to_version).replace(".", "_")
    source = _table_parts(table, "--table", dialect)
    output = (
        _table_parts(output_table, "--output-table", dialect)
        if output_table
        else [*source[:-1], source[-1] + suffix]
    )
    review = (
        _table_parts(review_table, "--review-table", dialect)
        if review_table
        else [*source[:-1], source[-1] + "_review" + suffix]
    )
    for column in columns:
        _check_name(column, "column", dialect)
    for entry in migration:
        for value in (entry.label, *entry.targets):
            _check_literal(value, dialect)

    def col(name: str, qualifier: str = "t") -> exp.Column:
        """A column of the table (its name quoted: it is the user's) or of the
        map (``e``, ``r``: our own names, unquoted like the VALUES alias that
        declares them)."""
        return exp.column(exp.to_identifier(name, quoted=qualifier == "t"), qualifier)

    def label() -> exp.Column:
        return col(label_column)

    def either(name: str) -> Any:
        """The map's column from the exact match (e), else from the repair (r)."""
        return exp.func("COALESCE", col(name, "e"), col(name, "r"))

    def trimmed() -> exp.Trim:
        """The value without surrounding spaces, as taxops migrate trims them."""
        return _trim(label())

    unlabeled = exp.paren(exp.or_(label().is_(exp.null()), trimmed().eq(exp.Literal.string(""))))
    by_lower = {ident: low for low, ident in repairs_by_lower_case(migration).items()}
    insensitive = migration.id_case == "insensitive"
    rows: list[tuple[Any, ...]] = [_map_row(e, by_lower, insensitive) for e in migration]
    if not rows:
        rows = [(None, None, False, None, None, None)]
    targets = sql_lists.target_rows(migration) if multi_label else []

    repaired: exp.Func = trimmed()
    if insensitive:
        repaired = exp.func("LOWER", repaired)
    found = either("old_label")
    # Exact match first (e); only a value that matched nothing is repaired (r),
    # on repair_key, unique per id (NULL where a repair would be ambiguous).
    exact_on = label().eq(col("old_label", "e"))
    repair_on = exp.and_(col("old_label", "e").is_(exp.null()), repaired.eq(col("repair_key", "r")))

    def joined(query: exp.Select, map_values: Callable[[], exp.Values]) -> exp.Select:
        return (
            query.with_(
                "taxops_map", as_=exp.select("*").from_(map_values(), copy=False), copy=False
            )
            .from_(_table(source, "t"), copy=False)
            .join(
                exp.to_table("taxops_map").as_("e"),
                on=exact_on.copy(),
                join_type="left",
                copy=False,
            )
            .join(
                exp.to_table("taxops_map").as_("r"),
                on=repair_on.copy(),
                join_type="left",
                copy=False,
            )
        )

    def one_label(map_values: Callable[[], exp.Values]) -> tuple[exp.Select, exp.Select]:
        """One label per row: each row joined to the map once (exact, then repaired)."""
        new_label = exp.Case(
            ifs=[exp.If(this=found.copy().is_(exp.null()), true=label())],
            default=either("new_label"),
        )
        migrated = joined(
            exp.select(
                *(
                    new_label.copy().as_(exp.to_identifier(c, quoted=True))
                    if c == label_column
                    else col(c)
                    for c in columns
                )
            ),
            map_values,
        ).where(
            exp.or_(
                unlabeled.copy(),
                exp.paren(
                    exp.and_(
                        exp.not_(found.copy().is_(exp.null())), exp.not_(either("needs_review"))
                    )
                ),
            ),
            copy=False,
        )
        reason = exp.Case(
            ifs=[exp.If(this=found.copy().is_(exp.null()), true=exp.Literal.string(UNKNOWN_LABEL))],
            default=either("reason"),
        )
        to_review = joined(
            exp.select(
                exp.Column(this=exp.Star(), table=exp.to_identifier("t")),
                reason.as_("taxops_reason"),
                either("candidates").as_("taxops_candidates"),
            ),
            map_values,
        ).where(
            exp.and_(
                exp.not_(unlabeled.copy()),
                exp.paren(exp.or_(found.copy().is_(exp.null()), either("needs_review"))),
            ),
            copy=False,
        )
        return migrated, to_review

    def statements(rows: list[tuple[Any, ...]], targets: list[tuple[Any, ...]]) -> list[Any]:
        """The script's statements with ``rows`` as the map (``targets``: its
        targets, for a list column)."""

        def map_values() -> exp.Values:
            """The map as a VALUES list, built for each statement that holds it:
            a tree of 150,000 rows is never copied (sqlglot's builders copy the
            whole query at each step unless told not to: 118 s and 3.3 GB for a
            150,000-label map)."""
            return exp.values(rows, alias="v", columns=_MAP_COLUMNS)

        if multi_label:
            migrated, to_review = sql_lists.statements(
                dialect=dialect,
                mapping=map_values,
                targets=lambda: exp.values(targets, alias="g", columns=sql_lists.TARGET_COLUMNS),
                source=_table(source, "t"),
                label=label,
                columns=columns,
                label_column=label_column,
                repaired=lambda value: (
                    exp.func("LOWER", _trim(value)) if insensitive else _trim(value)
                ),
            )
        else:
            migrated, to_review = one_label(map_values)
        return [
            exp.Create(this=_table(output), kind="TABLE", expression=migrated),
            exp.Create(this=_table(review), kind="TABLE", expression=to_review),
            exp.select(
                exp.EQ(
                    this=exp.Add(this=count(output), expression=count(review)),
                    expression=count(source),
                ).as_("taxops_rows_add_up")
            ),
        ]

    def count(parts: list[str]) -> exp.Subquery:
        return exp.Subquery(this=exp.select(exp.func("COUNT", exp.Star())).from_(_table(parts)))

    literals = _guard(statements(rows[:1], targets[:1]), [*rows, *targets], dialect)
    body = _written_row_by_row(statements, [rows, targets], literals, dialect) or [
        s.sql(dialect=dialect, pretty=True, copy=False) for s in statements(rows, targets)
    ]
    return _header(migration, dialect, table, label_column, output, review, multi_label) + (
        ";\n\n".join(body) + ";\n"
    )


def _guard(skeleton: list[Any], rows: Sequence[tuple[Any, ...]], dialect: str) -> dict[str, str]:
    """The last guard before a script is written: what parsing the whole script
    back would say, at a small part of its cost (for a 150,000-label map the
    parse took about 50 s of the command's 60):

    - ``skeleton``, the statements with a one-row map, parses back to as many
      statements: no name changed the parse (it cannot happen through the tree;
      this is the last guard);
    - every text of the map's ``rows`` is written as one string literal that
      reads back as exactly that text: no label ends its literal early.

    A VALUES list is its rows' literals between fixed punctuation, so with both
    true the whole script parses as the skeleton does. Returns each text's
    literal as the dialect writes it (and as it was read back)."""
    import sqlglot
    from sqlglot import TokenType, exp
    from sqlglot.dialects.dialect import Dialect

    text = ";\n".join(s.sql(dialect=dialect, pretty=True, copy=False) for s in skeleton)
    if len(sqlglot.parse(text, read=dialect)) != len(skeleton):
        raise TaxopsError(f"a name cannot be written safely in {dialect} SQL")
    values = list(dict.fromkeys(v for row in rows for v in row if isinstance(v, str)))
    if not values:
        return {}
    written = exp.Tuple(expressions=[exp.Literal.string(v) for v in values]).sql(dialect=dialect)
    try:
        tokens = Dialect.get_or_raise(dialect).tokenize(written)
    except sqlglot.errors.SqlglotError:
        tokens = []
    literals = tokens[1:-1:2]
    exact = (
        len(tokens) == 2 * len(values) + 1
        and tokens[0].token_type is TokenType.L_PAREN
        and tokens[-1].token_type is TokenType.R_PAREN
        and all(t.token_type is TokenType.COMMA for t in tokens[2:-1:2])
        and all(t.token_type is TokenType.STRING for t in literals)
        and [t.text for t in literals] == values
    )
    if not exact:
        wrong = next((v for v, t in zip(values, literals, strict=False) if t.text != v), values[-1])
        raise TaxopsError(
            f"the label '{escaping.terminal(wrong)}' cannot be written as a {dialect} string",
            "rename the label in the taxonomy, or migrate with taxops migrate",
        )
    return {v: written[t.start : t.end + 1] for v, t in zip(values, literals, strict=True)}


def _written_row_by_row(
    build: Callable[..., list[Any]],
    tables: list[list[tuple[Any, ...]]],
    literals: dict[str, str],
    dialect: str,
) -> list[str] | None:
    """The statements ``build(*tables)`` makes, written with each VALUES
    table's rows put in by this function rather than by sqlglot. sqlglot
    builds a node for every cell and writes it through its generator: for a
    classification's 89,000 labels a DuckDB script took 14 s and a BigQuery
    one over a minute, twice the map (the migrated rows and the review rows
    each hold it).

    The statements are written by sqlglot once with three rows of unique
    markers per table. Where the markers sit gives how this dialect writes a
    table's first row, every later row and what separates them (BigQuery
    writes the rows as STRUCTs, naming the columns in each); each real row is
    then that shape with its cells written in: a text as the literal
    :func:`_guard` read back as exactly that text, a null, a flag or a number
    as sqlglot writes it. None when the markers are not found as expected
    (a name that holds one, a row written in another shape): the caller
    writes the statements through sqlglot."""
    import itertools
    import secrets

    from sqlglot import exp

    # Short, so that a row of markers fits a line as a row of short labels does.
    tag = "t" + secrets.token_hex(2)
    placeholders = [
        [tuple(f"{tag}{k}{r}{c}" for c in range(len(table[0]))) for r in range(3)] if table else []
        for k, table in enumerate(tables)
    ]
    texts = [s.sql(dialect=dialect, pretty=True, copy=False) for s in build(*placeholders)]
    cells: dict[Any, str] = {None: exp.null().sql(dialect=dialect)}
    for flag in (True, False):
        cells[(bool, flag)] = exp.Boolean(this=flag).sql(dialect=dialect)

    def cell(value: Any) -> str:
        if value is None:
            return cells[None]
        if isinstance(value, bool):
            return cells[(bool, value)]
        if isinstance(value, str):
            return literals[value]
        if type(value) is int:
            return str(value) if value >= 0 else exp.Literal.number(value).sql(dialect=dialect)
        raise TypeError(value)

    written = []
    for text in texts:
        for k, table in enumerate(tables):
            if not table:
                continue
            marks = [
                [exp.Literal.string(m).sql(dialect=dialect) for m in row] for row in placeholders[k]
            ]
            at = text.find(marks[0][0])
            while at >= 0:
                spans: list[list[tuple[int, int]]] = []
                cursor = at
                for row in marks:
                    found: list[tuple[int, int]] = []
                    for mark in row:
                        start = text.find(mark, cursor)
                        if start < 0 or (found and start < found[-1][1]):
                            return None
                        cursor = start + len(mark)
                        found.append((start, cursor))
                    spans.append(found)
                shapes = [[text[a[1] : b[0]] for a, b in itertools.pairwise(row)] for row in spans]
                between = [text[spans[r][-1][1] : spans[r + 1][0][0]] for r in (0, 1)]
                if shapes[1] != shapes[2] or between[0] != between[1]:
                    return None
                if any(tag in piece for piece in [*shapes[0], *shapes[1], *between]):
                    return None  # a marker of another row where a row's own text should be
                try:
                    rendered = between[0].join(
                        _row(values, shapes[0] if r == 0 else shapes[1], cell)
                        for r, values in enumerate(table)
                    )
                except (KeyError, TypeError):
                    return None
                text = text[:at] + rendered + text[spans[2][-1][1] :]
                at = text.find(marks[0][0], at + len(rendered))
        if tag in text:
            return None
        written.append(text)
    return written


def _row(values: tuple[Any, ...], shape: list[str], cell: Callable[[Any], str]) -> str:
    """A row's cells, written, with the text between them as the dialect has it."""
    out = [cell(values[0])]
    for between, value in zip(shape, values[1:], strict=True):
        out.append(between)
        out.append(cell(value))
    return "".join(out)


def _trim(value: Any) -> exp.Trim:
    """``value`` without surrounding spaces, as taxops migrate trims them (a
    bare SQL ``TRIM`` removes only the space)."""
    from sqlglot import exp

    return exp.Trim(this=value, expression=exp.Literal.string(SPACES))


def split_statements(script: str, dialect: str = "duckdb") -> list[str]:
    """The script's statements without comments (for engines that run one at a
    time), split by the parser, not by text, so no quoted name can split one."""
    import sqlglot

    return [s.sql(dialect=dialect) for s in sqlglot.parse(script, read=dialect) if s is not None]


def _map_row(
    entry: Any, by_lower: dict[str, str], insensitive: bool
) -> tuple[str, str | None, bool, str | None, str | None, str | None]:
    """One row of the map: old label, new label, needs review, candidates, the
    key a trimmed (and, when ids ignore case, lower-cased) value repairs to, and
    the review reason (what the reviewer decides, as in taxops migrate)."""
    review = entry.mode is Mode.REVIEW
    key = by_lower.get(entry.label) if insensitive else entry.label
    return (
        entry.label,
        None if review else entry.targets[0],
        review,
        "|".join(entry.targets) if review else None,
        key,
        entry_reason(entry.action) if review else None,
    )


def _table(parts: list[str], alias: str | None = None) -> Any:
    from sqlglot import exp

    names = [exp.to_identifier(p, quoted=True) for p in parts]
    table = exp.Table(this=names[-1])
    if len(names) > 1:
        table.set("db", names[-2])
    if len(names) > 2:
        table.set("catalog", names[-3])
    return table.as_(alias) if alias else table


def _table_parts(name: str, option: str, dialect: str) -> list[str]:
    """``catalog.schema.table`` into its parts, each checked."""
    parts = name.split(".")
    if len(parts) > 3:
        raise TaxopsError(
            f"{option} '{escaping.terminal(name)}' has more than three parts",
            "give TABLE, SCHEMA.TABLE or CATALOG.SCHEMA.TABLE (dots separate the parts)",
        )
    for part in parts:
        _check_name(part, f"{option} part", dialect)
    return parts


def _check_name(name: str, what: str, dialect: str) -> None:
    """Refuse a name no dialect should see (empty, control or invisible
    characters) or one that does not survive quoting in ``dialect``."""
    import sqlglot
    from sqlglot import exp

    shown = escaping.terminal(name)
    if not name.strip() or escaping.has_unsafe_characters(name):
        raise TaxopsError(
            f"{what} '{shown}' is empty or holds a control or invisible character; "
            "it cannot be a SQL name",
            "give the name as the table shows it, without line breaks or hidden characters",
        )
    quoted = exp.to_identifier(name, quoted=True).sql(dialect=dialect)
    try:
        back = sqlglot.parse_one(f"SELECT {quoted}", read=dialect).expressions[0]
    except sqlglot.errors.SqlglotError:
        back = None
    if not isinstance(back, exp.Column) or back.name != name:
        raise TaxopsError(
            f"{what} '{shown}' cannot be quoted in {dialect} SQL",
            "rename the table or column, or migrate with taxops migrate",
        )


def _check_literal(value: str, dialect: str) -> None:
    if "\x00" in value:
        raise TaxopsError(
            f"the label '{escaping.terminal(value)}' holds a NUL character, "
            f"which {dialect} strings cannot hold",
            "fix the label id in the taxonomy",
        )


def _header(
    migration: MigrationMap,
    dialect: str,
    table: str,
    label_column: str,
    output: list[str],
    review: list[str],
    multi_label: bool,
) -> str:
    """Comment lines: every value one line, with nothing that ends the comment."""

    def inert(value: object) -> str:
        return escaping.sql_comment(value)

    counts = migration.summary()
    lines = [
        f"taxops migration script: {inert(migration.taxonomy)} {inert(migration.from_version)} -> "
        f"{inert(migration.to_version)} ({dialect})",
        f"Relabels {inert(table)}.{inert(label_column)} "
        f"({'a list of labels' if multi_label else 'one label'} per row); generated by "
        "taxops migration-script, edit the map in",
        "the taxonomy, not here. Actions: "
        + ", ".join(f"{n} {a}" for a, n in counts.items() if n)
        + ".",
        f"1. {inert('.'.join(output))}: migrated rows. 2. {inert('.'.join(review))}: rows a "
        "human must relabel",
        "   (taxops_reason: what the reviewer decides: the action of the map (split, narrowed,",
        "   became-group, reused, review, unmapped) or unknown-label; taxops_candidates:",
        "   the labels, as a list)." if multi_label else "   labels joined by '|').",
        "3. true when migrated + review = input.",
        "SQL tables have no row order: sort by a key column.",
    ]
    # Our own words pass the same filter as the values (no quote in a comment).
    return "".join(f"-- {inert(line)}\n" for line in lines) + "\n"
