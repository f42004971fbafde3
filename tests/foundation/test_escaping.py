"""Each output context's escaping, as a table: the hostile value, the context,
and exactly what must come out."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st
from taxops import escaping

CASES: list[tuple[Callable[[str], str], str, str]] = [
    # Terminal: one value, one line, no escape sequences, nothing invisible.
    (escaping.terminal, "Car", "Car"),
    (escaping.terminal, "weiß_schwarz", "weiß_schwarz"),
    (escaping.terminal, "x\n::error file=a::pwned", "x\\n::error file=a::pwned"),
    (escaping.terminal, "x\r\n::add-mask::secret", "x\\r\\n::add-mask::secret"),
    (
        escaping.terminal,
        "\x1b]8;;http://evil\x07click\x1b]8;;\x07",
        "\\x1b]8;;http://evil\\x07click\\x1b]8;;\\x07",
    ),
    (escaping.terminal, "\x1b[2J\x1b[31mred", "\\x1b[2J\\x1b[31mred"),
    (escaping.terminal, "a\x00b\x7fc\x9bd", "a\\x00b\\x7fc\\x9bd"),
    (escaping.terminal, "admin\u202etxt.exe", "admin\\u202etxt.exe"),
    (escaping.terminal, "C\u200bar", "C\\u200bar"),
    (escaping.terminal, "\ufeffbom", "\\ufeffbom"),
    (escaping.terminal, "tag\U000e0041", "tag\\U000e0041"),
    # HTML text and attributes.
    (
        escaping.html_text,
        "Charged <img src=x onerror=alert(1)>",
        "Charged &lt;img src=x onerror=alert(1)&gt;",
    ),
    (
        escaping.html_text,
        "</title><script>x</script>",
        "&lt;/title&gt;&lt;script&gt;x&lt;/script&gt;",
    ),
    (escaping.html_text, "\" onmouseover='a'", "&quot; onmouseover=&#x27;a&#x27;"),
    # Markdown inline: no live syntax, no HTML, no mentions, one line.
    (escaping.markdown_inline, "</details>", "&lt;/details&gt;"),
    (escaping.markdown_inline, "![x](http://e/x.png)", "\\!\\[x\\]\\(http://e/x\\.png\\)"),
    (escaping.markdown_inline, "cc @northwind/ops", "cc &#64;northwind/ops"),
    (escaping.markdown_inline, "a | b", "a \\| b"),
    (escaping.markdown_inline, "line\n# Heading", "line \\# Heading"),
    (
        escaping.markdown_inline,
        "<!-- taxops-report -->",
        "&lt;\\!\\-\\- taxops\\-report \\-\\-&gt;",
    ),
    # Markdown code spans: never closed early.
    (escaping.markdown_code, "vehicle.truck", "`vehicle.truck`"),
    (escaping.markdown_code, "a`b", "``a`b``"),
    (escaping.markdown_code, "`x", "`` `x ``"),
    (escaping.markdown_code, "a|b", "`a\\|b`"),
    # ...and a value whose raw source would still carry markup, a marker or a mention.
    (
        escaping.markdown_code,
        "<!-- taxops-report -->",
        "<code>&lt;\\!\\-\\- taxops\\-report \\-\\-&gt;</code>",
    ),
    (escaping.markdown_code, "@org/team", "<code>&#64;org/team</code>"),
    (escaping.markdown_code, "a&b", "<code>a&amp;b</code>"),
    # CSV cells a reviewer opens in a spreadsheet.
    (escaping.csv_cell, '=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
    (escaping.csv_cell, "+1 555", "'+1 555"),
    (escaping.csv_cell, "-2", "'-2"),
    (escaping.csv_cell, "@SUM(A1)", "'@SUM(A1)"),
    (escaping.csv_cell, "\t=1", "'\t=1"),
    (escaping.csv_cell, "billing.refund", "billing.refund"),
    (escaping.csv_cell, "a=b", "a=b"),
    (escaping.csv_cell, "'=1", "''=1"),
    (escaping.csv_cell, "'quoted", "''quoted"),
    # XML text (JUnit): characters XML cannot hold become visible.
    (escaping.xml_text, "a\x01b<c>&", "a\\x01b&lt;c&gt;&amp;"),
    # XML through a serializer that escapes markup itself: only characters.
    (escaping.xml_chars, "a\x01b<c>\n\x1b[31m", "a\\x01b<c>\\n\\x1b[31m"),
    (escaping.xml_chars, "x\ufffe", "x\\ufffe"),
    # JSON text: what json.dumps leaves raw but a terminal obeys or hides.
    (escaping.json_text, '"a\x9b2J\u202eb"', '"a\\u009b2J\\u202eb"'),
    (escaping.json_text, '"tag\U000e0041"', '"tag\\udb40\\udc41"'),
    (escaping.json_text, '"weiß"', '"weiß"'),
    # GitHub workflow command parts.
    (escaping.github_data, "50% off\n::error::x", "50%25 off%0A::error::x"),
    (escaping.github_data, "bell\x07", "bell\\x07"),
    (escaping.github_property, "a:b,c", "a%3Ab%2Cc"),
]


@pytest.mark.parametrize(("escape", "value", "expected"), CASES)
def test_escaping(escape: Callable[[str], str], value: str, expected: str) -> None:
    assert escape(value) == expected


@pytest.mark.parametrize("value", [v for _, v, _ in CASES])
def test_terminal_output_is_one_line_without_controls(value: str) -> None:
    out = escaping.terminal(value)
    assert "\n" not in out and "\r" not in out and "\x1b" not in out
    assert not escaping.has_unsafe_characters(out)


@pytest.mark.parametrize("value", [v for _, v, _ in CASES])
def test_xml_text_always_parses(value: str) -> None:
    root = ET.fromstring(f'<a b="{escaping.xml_text(value)}">{escaping.xml_text(value)}</a>')
    assert root.tag == "a"


@pytest.mark.parametrize("value", [v for _, v, _ in CASES])
def test_json_text_reads_back_the_same_values(value: str) -> None:
    document = json.dumps({"v": value}, ensure_ascii=False)
    out = escaping.json_text(document)
    assert json.loads(out) == {"v": value}
    assert not re.search("[\x7f-\x9f\u200b-\u200f\u202a-\u202e]", out)


def test_terminal_lines_keeps_our_line_breaks_and_escapes_the_values() -> None:
    name = "x\n::error file=a::pwned\x1b]8;;http://e\x07"
    out = escaping.terminal_lines([f"label {name}", "  second line"])
    assert out.splitlines() == [
        "label x\\n::error file=a::pwned\\x1b]8;;http://e\\x07",
        "  second line",
    ]
    assert escaping.terminal_lines([]) == ""


def test_csv_cell_survives_a_csv_round_trip() -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([escaping.csv_cell("=1+1"), escaping.csv_cell("ok")])
    assert next(csv.reader(io.StringIO(buffer.getvalue()))) == ["'=1+1", "ok"]


@pytest.mark.parametrize("dialect", ["duckdb", "spark", "bigquery", "snowflake", "postgres"])
@pytest.mark.parametrize(
    "value", ["it's", 'x"y', "a`b", "back\\slash", "x'; DROP TABLE t; --", "ü€", "*/", "\n"]
)
def test_sql_literals_and_identifiers_round_trip_in_every_dialect(dialect: str, value: str) -> None:
    import sqlglot
    from sqlglot import exp

    parsed = sqlglot.parse_one(
        f"SELECT {escaping.sql_literal(value, dialect)} AS {escaping.sql_identifier(value, dialect)}",
        read=dialect,
    )
    [alias] = parsed.expressions
    assert isinstance(alias, exp.Alias)
    assert alias.this.this == value and alias.alias == value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("tickets\nDROP TABLE t; --", "tickets\\nDROP TABLE t; --"),
        ("a\u2028b\u2029c\x85d", "a\\u2028b\\u2029c\\x85d"),
        ("x */ y /* z", "x * / y / * z"),
        # No quote in a comment: DuckDB would read what follows as in a string.
        ('it\'s "x" `y`', "it\u2019s \u201dx\u201d \u2019y\u2019"),
    ],
)
def test_comment_values_stay_on_their_line(value: str, expected: str) -> None:
    assert escaping.sql_comment(value) == expected


@pytest.mark.parametrize(
    "value", ["=1", "'=1", "''=1", "'", "''", "'abc", "abc", "", "-", "@x", "a'b"]
)
def test_csv_cell_value_undoes_csv_cell_exactly(value: str) -> None:
    assert escaping.csv_cell_value(escaping.csv_cell(value)) == value


@given(st.text())
def test_duckdb_literals_are_what_sqlglot_writes(value: str) -> None:
    from sqlglot import exp

    assert escaping.sql_literal(value) == exp.Literal.string(value).sql(dialect="duckdb")


@given(st.text())
def test_duckdb_identifiers_are_what_sqlglot_writes(name: str) -> None:
    from sqlglot import exp

    assert escaping.sql_identifier(name) == exp.to_identifier(name, quoted=True).sql(
        dialect="duckdb"
    )
