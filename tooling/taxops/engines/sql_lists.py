"""The multi-label form of the migration SQL (:mod:`taxops.engines.sql_script`):
a label column that holds a list of labels (an array), as ``taxops migrate
--multi-label`` relabels it.

A row's fate depends only on its list, so the work is done once per distinct
list, then joined back to the rows on it (a unique key: no row is duplicated or
lost, migrated + review = input):

1. ``taxops_lists``: the distinct non-NULL lists (BigQuery cannot group arrays:
   there the key is the list's JSON text);
2. ``taxops_entries``: each list unnested with every value's position;
3. ``taxops_matched``: each value matched to an old label exactly, else
   trimmed, else lower-cased where ids ignore case (the same joins as one label
   per row), and ranked: unknown (0), sent to review by the map (1), or fine (2;
   NULL, empty and blank values are dropped, as taxops migrate drops them);
4. ``taxops_why``: the list's review reason, ``unknown-label`` when any value is
   unknown, else the map's action for its first reviewed value;
5. ``taxops_labels``: every value's target labels in order (position, then the
   target's place in the map entry), each label kept at its first occurrence:
   the new list of a migrated row, the candidates of a review row.

Ordered aggregation is the one construct written per dialect: Spark has no
``ARRAY_AGG(... ORDER BY ...)``, so there the labels are gathered as (position,
label) structs, sorted, and projected back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from taxops.migration.model import MigrationMap
from taxops.migration.values import SPACES, UNKNOWN_LABEL

TARGET_COLUMNS = ["old_label", "target_pos", "target"]


def target_rows(migration: MigrationMap) -> list[tuple[str | None, int, str | None]]:
    """One row per target of every map entry (the new labels of a kept or
    direct label, the candidates of one sent to review), in the entry's order."""
    rows: list[tuple[str | None, int, str | None]] = [
        (entry.label, i, target) for entry in migration for i, target in enumerate(entry.targets)
    ]
    return rows or [(None, 0, None)]


def statements(
    *,
    dialect: str,
    mapping: Callable[[], Any],
    targets: Callable[[], Any],
    source: Any,
    label: Callable[[], Any],
    columns: Sequence[str],
    label_column: str,
    repaired: Callable[[Any], Any],
) -> tuple[Any, Any]:
    """The migrated rows' and the review rows' SELECTs. ``mapping()`` makes
    the map as a VALUES table (one row per old label), ``targets()`` the map's
    targets as one (:func:`target_rows`, aliased ``g``): each statement gets its
    own, and neither is ever copied (a 20,000-label map copied at each builder
    step took 37 s). ``source`` is the user's table aliased ``t``, ``label()``
    its label column, ``repaired(x)`` the value a non-exact ``x`` is matched on."""
    from sqlglot import exp

    def col(name: str, qualifier: str | None = None) -> exp.Column:
        return exp.column(name, qualifier)

    def key_of(value: Any) -> Any:
        return exp.JSONFormat(this=value) if dialect == "bigquery" else value

    def same(a: Any, b: Any) -> Any:
        """Keys are never NULL (NULL lists are not in taxops_lists), so a plain
        equality joins: every engine can hash it (Postgres cannot hash ``IS NOT
        DISTINCT FROM``), and lists holding NULL entries compare equal in each
        (checked on DuckDB and Spark by the tests)."""
        return exp.EQ(this=a, expression=b)

    present = exp.not_(label().is_(exp.null()))
    if dialect == "bigquery":
        lists = (
            exp.select(
                key_of(label()).as_("taxops_key"), exp.AnyValue(this=label()).as_("taxops_list")
            )
            .from_(source.copy())
            .where(present)
            .group_by(key_of(label()))
        )
    else:
        lists = (
            exp.select(label().as_("taxops_key"), label().as_("taxops_list"))
            .from_(source.copy())
            .where(present)
            .distinct()
        )
    unnest = exp.Unnest(
        expressions=[col("taxops_list", "l")],
        alias=exp.TableAlias(
            this=exp.to_identifier("x"), columns=[exp.to_identifier("taxops_value")]
        ),
        offset=exp.to_identifier("taxops_pos"),
    )
    entries = (
        exp.select(
            col("taxops_key", "l"),
            # Text, as the map's labels are (Snowflake's FLATTEN gives VARIANTs).
            exp.cast(col("taxops_value", "x"), "VARCHAR").as_("taxops_value"),
            col("taxops_pos", "x"),
        )
        .from_(exp.to_table("taxops_lists").as_("l"))
        .join(unnest, join_type="cross")
    )
    value = col("taxops_value", "n")
    found = exp.func("COALESCE", col("old_label", "e"), col("old_label", "r"))
    blank = exp.or_(
        value.is_(exp.null()),
        exp.Trim(this=value.copy(), expression=exp.Literal.string(SPACES)).eq(
            exp.Literal.string("")
        ),
    )
    rank = exp.Case(
        ifs=[
            exp.If(
                this=found.is_(exp.null()),
                true=exp.Case(ifs=[exp.If(this=blank, true=exp.Literal.number(2))]).else_(
                    exp.Literal.number(0)
                ),
            ),
            exp.If(
                this=exp.func("COALESCE", col("needs_review", "e"), col("needs_review", "r")),
                true=exp.Literal.number(1),
            ),
        ],
        default=exp.Literal.number(2),
    )
    reason = exp.Case(
        ifs=[exp.If(this=found.is_(exp.null()), true=exp.Literal.string(UNKNOWN_LABEL))],
        default=exp.func("COALESCE", col("reason", "e"), col("reason", "r")),
    )
    matched = (
        exp.select(
            col("taxops_key", "n"),
            col("taxops_pos", "n"),
            found.copy().as_("taxops_label"),
            rank.as_("taxops_rank"),
            reason.as_("taxops_reason"),
        )
        .from_(exp.to_table("taxops_entries").as_("n"))
        .join(
            exp.to_table("taxops_map").as_("e"),
            on=value.copy().eq(col("old_label", "e")),
            join_type="left",
        )
        .join(
            exp.to_table("taxops_map").as_("r"),
            on=exp.and_(
                col("old_label", "e").is_(exp.null()),
                repaired(value.copy()).eq(col("repair_key", "r")),
            ),
            join_type="left",
        )
    )

    def first(partition: list[Any], order: list[Any]) -> exp.Window:
        return exp.Window(
            this=exp.func("ROW_NUMBER"),
            partition_by=partition,
            order=exp.Order(expressions=[exp.Ordered(this=o) for o in order]),
        )

    why = (
        exp.select(col("taxops_key"), col("taxops_reason"))
        .from_(
            exp.select(
                col("taxops_key", "m"),
                col("taxops_reason", "m"),
                first(
                    [col("taxops_key", "m")], [col("taxops_rank", "m"), col("taxops_pos", "m")]
                ).as_("taxops_nth"),
            )
            .from_(exp.to_table("taxops_matched").as_("m"))
            .where(col("taxops_rank", "m") < 2)
            .subquery("w")
        )
        .where(col("taxops_nth").eq(1))
    )
    ranked = (
        exp.select(
            col("taxops_key", "m"),
            col("taxops_pos", "m"),
            col("target_pos", "g"),
            col("target", "g"),
            first(
                [col("taxops_key", "m"), col("target", "g")],
                [col("taxops_pos", "m"), col("target_pos", "g")],
            ).as_("taxops_nth"),
        )
        .from_(exp.to_table("taxops_matched").as_("m"))
        .join(
            exp.to_table("taxops_targets").as_("g"),
            on=col("taxops_label", "m").eq(col("old_label", "g")),
        )
    )
    labels = (
        exp.select(
            col("taxops_key"),
            _ordered_list(dialect, col("target"), [col("taxops_pos"), col("target_pos")]).as_(
                "taxops_labels"
            ),
        )
        .from_(ranked.subquery("k"))
        .where(col("taxops_nth").eq(1))
        .group_by(col("taxops_key"))
    )
    fates = (
        exp.select(col("taxops_key", "l"), col("taxops_reason", "w"), col("taxops_labels", "s"))
        .from_(exp.to_table("taxops_lists").as_("l"))
        .join(
            exp.to_table("taxops_labels").as_("s"),
            on=same(col("taxops_key", "l"), col("taxops_key", "s")),
            join_type="left",
        )
        .join(
            exp.to_table("taxops_why").as_("w"),
            on=same(col("taxops_key", "l"), col("taxops_key", "w")),
            join_type="left",
        )
    )
    empty: Any = exp.Array(expressions=[])
    if dialect != "snowflake":  # Snowflake's ARRAY_AGG gives an untyped ARRAY
        empty = exp.cast(empty, exp.DataType.build("ARRAY<VARCHAR>"))
    new_list = exp.func("COALESCE", col("taxops_labels", "f"), empty)

    def joined(query: exp.Select) -> exp.Select:
        """``query`` over the user's table, the CTEs and the fates joined,
        built in place (``copy=False``): the query holds the map."""
        ctes = [
            ("taxops_map", exp.select("*").from_(mapping(), copy=False)),
            ("taxops_targets", exp.select("*").from_(targets(), copy=False)),
            ("taxops_lists", lists.copy()),
            ("taxops_entries", entries.copy()),
            ("taxops_matched", matched.copy()),
            ("taxops_why", why.copy()),
            ("taxops_labels", labels.copy()),
            ("taxops_fates", fates.copy()),
        ]
        for name, body in ctes:
            query = query.with_(name, as_=body, copy=False)
        return query.from_(source.copy(), copy=False).join(
            exp.to_table("taxops_fates").as_("f"),
            on=same(key_of(label()), col("taxops_key", "f")),
            join_type="left",
            copy=False,
        )

    relabeled = exp.Case(
        ifs=[exp.If(this=label().is_(exp.null()), true=label())], default=new_list.copy()
    )
    migrated = joined(
        exp.select(
            *(
                relabeled.copy().as_(exp.to_identifier(c, quoted=True))
                if c == label_column
                else exp.column(exp.to_identifier(c, quoted=True), "t")
                for c in columns
            )
        )
    ).where(col("taxops_reason", "f").is_(exp.null()), copy=False)
    review = joined(
        exp.select(
            exp.Column(this=exp.Star(), table=exp.to_identifier("t")),
            col("taxops_reason", "f").as_("taxops_reason"),
            new_list.copy().as_("taxops_candidates"),
        )
    ).where(exp.not_(col("taxops_reason", "f").is_(exp.null())), copy=False)
    return migrated, review


def _ordered_list(dialect: str, value: Any, order: list[Any]) -> Any:
    """``ARRAY_AGG(value ORDER BY order)``; in Spark, which cannot order an
    aggregate, the values gathered with their order as structs, sorted, and
    projected back."""
    from sqlglot import exp

    if dialect != "spark":
        # Positions are never NULL, so where NULLs sort does not matter: say
        # BigQuery's own default, which sqlglot then writes without a warning.
        nulls_first = dialect == "bigquery"
        return exp.ArrayAgg(
            this=exp.Order(
                this=value,
                expressions=[exp.Ordered(this=o, nulls_first=nulls_first) for o in order],
            )
        )
    fields = [f"o{i}" for i in range(len(order))]
    struct = exp.Struct(
        expressions=[
            *(o.as_(f) for o, f in zip(order, fields, strict=True)),
            value.as_("v"),
        ]
    )
    gathered = exp.ArraySort(this=exp.func("COLLECT_LIST", struct))
    item = exp.to_identifier("taxops_s")
    return exp.Transform(
        this=gathered,
        expression=exp.Lambda(
            this=exp.Dot(this=exp.column(item), expression=exp.to_identifier("v")),
            expressions=[item],
        ),
    )
