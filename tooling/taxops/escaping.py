"""One place for each output context: how a value from a user's file is made
inert before it reaches a terminal, a CI log, Markdown, HTML, XML, or a CSV cell.

Label names, definitions, ids and file names are data, never markup or
commands. A label named ``x\\n::error::pwned`` must not become a GitHub workflow
command, ``<img onerror=...>`` must not run in a browser or a PR comment, and
``=HYPERLINK(...)`` must not become a formula in a reviewer's spreadsheet. Each
function below escapes for exactly one context; callers pick the context of the
text they are building, and escape every interpolated value, not the result.

What is escaped, and why:

- *Control characters* (C0, DEL, C1): a newline starts a new log line (which
  GitHub Actions reads as a command), ESC starts a terminal escape sequence (OSC
  sets the window title or a hyperlink, CSI moves the cursor), NUL truncates.
- *Invisible and bidirectional formatting characters* (zero-width spaces and
  joiners, bidi embeddings, overrides and isolates, the BOM): they make text read
  differently from what it is ("Trojan Source", CVE-2021-42574).

Both are shown as visible ``\\xNN`` / ``\\uNNNN`` escapes rather than dropped,
so a reviewer sees that something was there.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

#: C0 controls, DEL and C1 controls.
_CONTROL = "\x00-\x1f\x7f-\x9f"
#: Invisible or direction-changing format characters (Unicode category Cf that
#: matter for display): soft hyphen, Arabic letter mark, Mongolian vowel
#: separator, zero-width space/non-joiner/joiner, LRM/RLM, bidi embeddings and
#: overrides, word joiner and invisible operators, bidi isolates, BOM/ZWNBSP,
#: interlinear annotation and tag characters.
_INVISIBLE = (
    "\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"
    "\ufeff\ufff9-\ufffb\U000e0000-\U000e007f"
)
_UNSAFE = re.compile(f"[{_CONTROL}{_INVISIBLE}]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code == 0x0A:
        return "\\n"
    if code == 0x0D:
        return "\\r"
    if code == 0x09:
        return "\\t"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def has_unsafe_characters(text: str) -> bool:
    """Whether ``text`` holds control, invisible or bidi formatting characters
    (what :func:`terminal` would escape)."""
    return _UNSAFE.search(text) is not None


def terminal(text: object) -> str:
    """One value on one line of terminal or log output: control, invisible and
    bidi characters become visible escapes (``\\n``, ``\\x1b``, ``\\u202e``),
    so a value can neither start a new line (a CI workflow command) nor send an
    escape sequence to the terminal."""
    value = str(text)
    if value.isascii() and value.isprintable():
        return value  # the common case, at C speed: nothing to escape
    return _UNSAFE.sub(_visible, value)


#: The longest line taxops prints to a terminal or CI log. A value can be
#: megabytes long (a 3 MB label in a dataset, a 20 MB attribute in an imported
#: config): printed whole it floods the log and hides everything around it.
LONGEST_LINE = 2000


def clip(text: str, limit: int = LONGEST_LINE) -> str:
    """``text`` shortened to about ``limit`` characters by leaving out its
    middle, which is said: the start says what a message is about and the end
    often why (``'xxxx…' is longer than 200 characters``). Machine outputs
    (JSON, the files written) keep every value whole."""
    if len(text) <= limit:
        return text
    keep = max(limit - 40, 2)
    head, tail = text[: keep * 3 // 5], text[len(text) - keep * 2 // 5 :]
    return f"{head} … [{len(text) - len(head) - len(tail):,} characters left out] … {tail}"


def short(value: object, limit: int = 60) -> str:
    """One value quoted inside a line (a label a dataset holds, a cell): escaped
    as by :func:`terminal` and cut after ``limit`` characters, saying how long
    it was. A dataset's cell can hold megabytes."""
    text = terminal(value)
    return text if len(text) <= limit else f"{text[:limit]}... ({len(str(value)):,} characters)"


def shell_word(text: object) -> str:
    """One word of a shell command taxops suggests (a path with a space or a
    ``;`` in it): quoted for a POSIX shell, then made safe for the terminal."""
    import shlex

    return terminal(shlex.quote(str(text)))


def terminal_lines(lines: Iterable[object]) -> str:
    """Lines of terminal output, each laid out by taxops with values in it: each
    line goes through :func:`terminal`, so a value can neither end its line (a
    newline in a name) nor drive the terminal, and the line breaks are ours; a
    line longer than :data:`LONGEST_LINE` is :func:`clip` ped. Ends with a
    newline when there is any line."""
    out = "\n".join(clip(terminal(line)) for line in lines)
    return out + "\n" if out else ""


def html_text(text: object) -> str:
    """A value placed in HTML text or a quoted attribute: ``& < > " '`` become
    entities, and unsafe characters are made visible as in :func:`terminal`."""
    return html.escape(terminal(text), quote=True)


#: Characters with a meaning in CommonMark/GitHub Markdown inline text.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~])")


def markdown_inline(text: object) -> str:
    """A value placed in Markdown inline text (a sentence, a list item or a table
    cell of a PR comment): one line, no live syntax. Markdown punctuation is
    backslash-escaped, HTML is turned into entities (GitHub renders raw HTML in
    comments, so ``</details>`` or ``<img>`` would be live), and ``@`` becomes
    an entity so ``@team`` notifies nobody. Newlines become spaces: a value never
    opens a block (a heading, a fence, a quote)."""
    one_line = " ".join(terminal(text).replace("\\n", " ").replace("\\r", " ").split())
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", one_line)
    return (
        escaped.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("@", "&#64;")
        .replace('"', "&quot;")
    )


#: Characters that stay in the raw text of a code span: harmless when rendered,
#: but a bot reading the comment's source (a marker comment ``<!-- ... -->``,
#: an ``@team``) or a reviewer's mail client would still see them.
_RAW_IN_CODE = re.compile(r"[<>@&]")


def markdown_code(text: object) -> str:
    """A value shown as inline code in Markdown (label ids): fenced with enough
    backticks that none inside can close it, on one line. Inside a code span
    nothing is live, except that GitHub still reads ``|`` as a table separator,
    so it is escaped. A value holding ``<``, ``>``, ``@`` or ``&`` is written as
    a ``<code>`` element with entities instead: in a code span those characters
    stay in the comment's source, where a copy of a marker comment or a mention
    would still be found by tools that read it."""
    if _RAW_IN_CODE.search(str(text)):
        return f"<code>{markdown_inline(text)}</code>"
    value = " ".join(terminal(text).split()).replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", value)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if value.startswith("`") or value.endswith("`") or not value else ""
    return f"{fence}{pad}{value}{pad}{fence}"


#: A cell starting with one of these is read as a formula by spreadsheet
#: programs (OWASP "CSV injection"); tab and carriage return as well, since
#: some programs strip them before looking.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
#: Cells that get the protective apostrophe: formulas, and values that already
#: begin with an apostrophe (so that reading the file back is exact: ``'=x``
#: and ``=x`` stay two different values).
PROTECTED_START = (*FORMULA_START, "'")


def csv_cell(text: str) -> str:
    """A value written to a CSV meant to be opened in a spreadsheet (the review
    queue): a cell that would be read as a formula gets a leading apostrophe,
    which spreadsheets show as text and do not display. Only for files people
    open; a migrated dataset keeps its values unchanged. A value that already
    begins with an apostrophe gets one more, so :func:`csv_cell_value` can undo
    exactly what was added (and the spreadsheet still shows the value as it is)."""
    if text.startswith(PROTECTED_START):
        return "'" + text
    return text


def csv_cell_value(cell: str) -> str:
    """The value :func:`csv_cell` was given, read back from a file people edited
    (decided review rows returning to the dataset, an audit sample): the
    apostrophe it added is removed. Exact inverse of :func:`csv_cell`, because
    that also protects values that already begin with an apostrophe."""
    if cell.startswith("'") and cell[1:].startswith(PROTECTED_START):
        return cell[1:]
    return cell


#: Characters XML 1.0 cannot hold at all, even as character references.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: object) -> str:
    """A value in XML text or an attribute (JUnit reports): characters XML 1.0
    forbids become visible escapes, the rest is entity-escaped."""
    value = _XML_ILLEGAL.sub(_visible, str(text))
    return html.escape(value, quote=True)


_XML_UNSAFE = re.compile(f"[{_CONTROL}{_INVISIBLE}\ufffe\uffff]")


def xml_chars(text: object) -> str:
    """A value handed to an XML serializer that escapes markup itself
    (ElementTree, for JUnit reports): control, invisible and bidi characters
    become visible as in :func:`terminal` (XML 1.0 cannot hold most controls at
    all, and a CI page would show the rest raw), and so do the two non-characters
    XML forbids. ``< > &`` are left to the serializer."""
    value = str(text)
    if value.isascii() and value.isprintable():
        return value
    return _XML_UNSAFE.sub(_visible, value)


#: What a document may hold raw and a YAML emitter writes raw, but a terminal
#: would obey or hide (ruamel.yaml and PyYAML count bidi controls and
#: invisible characters printable; line breaks and tabs are the document's own).
_DOCUMENT_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_INVISIBLE}\u2028\u2029]")


def yaml_allows_raw_unicode(document: str) -> bool:
    """Whether a YAML document written with non-ASCII characters kept raw is
    safe to show: it holds no control, invisible or bidi character. When it
    does, the caller writes it again with ``allow_unicode`` off, so every
    non-ASCII character is a ``\\uXXXX`` escape in a double-quoted scalar:
    the same values when parsed, and a reviewer sees what is there."""
    return _DOCUMENT_UNSAFE.search(document) is None


def xml_document(document: str) -> str:
    """An XML document a library wrote, made safe to show and to load: controls
    XML 1.0 cannot hold at all (ESC, BEL...) become visible ``\\xNN`` text (the
    document was invalid with them), the rest of :data:`_DOCUMENT_UNSAFE`
    (C1 controls, bidi and invisible characters) character references, which
    a parser reads as the same characters. Only values hold such characters, so
    the markup is untouched."""
    return _DOCUMENT_UNSAFE.sub(_xml_reference, document)


def _xml_reference(match: re.Match[str]) -> str:
    code = ord(match.group())
    return _visible(match) if code < 0x20 and code != 0x0D else f"&#x{code:x};"


def turtle_document(document: str) -> str:
    """A Turtle (RDF) document a library wrote: every character of
    :data:`_DOCUMENT_UNSAFE` becomes a ``\\uXXXX`` escape, which Turtle allows
    in any string or IRI (the only places such a character can be) and reads
    as the same character."""
    return _DOCUMENT_UNSAFE.sub(_turtle_escape, document)


def _turtle_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}"


#: What a JSON document may hold raw but a terminal would obey or hide: DEL, C1
#: controls (a C1 CSI starts an escape sequence), invisible and bidi characters.
#: ``json.dumps`` already escapes C0 controls and quotes.
_JSON_UNSAFE = re.compile(f"[\x7f-\x9f{_INVISIBLE}\u2028\u2029]")


def json_text(document: str) -> str:
    """A JSON document written to a terminal or log: the characters above become
    ``\\uXXXX`` escapes. They can only occur inside JSON strings, where the
    escape means the same character, so a parser reads exactly the same values."""
    if document.isascii():
        return document  # nothing above DEL: nothing to escape
    return _JSON_UNSAFE.sub(_json_escape, document)


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code > 0xFFFF:  # a surrogate pair, as JSON spells characters beyond the BMP
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


_UNSAFE_BUT_NEWLINES = re.compile(f"[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f{_INVISIBLE}]")


def github_data(text: object) -> str:
    """The message part of a GitHub Actions workflow command (``::error ...::``):
    the runner decodes ``%25``, ``%0D`` and ``%0A``, so a newline stays inside the
    one annotation instead of starting a new command; other control and
    invisible characters are made visible as in :func:`terminal`."""
    value = _UNSAFE_BUT_NEWLINES.sub(_visible, str(text))
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: object) -> str:
    """A property value of a workflow command (``file=``, ``title=``): as
    :func:`github_data`, plus ``:`` and ``,``, which end a property."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


def sql_comment(text: object) -> str:
    """A value in a ``--`` comment line of a generated SQL or Python script: one
    line (line breaks, including U+2028/U+2029 and NEL, shown as escapes), no
    invisible characters, and no ``*/`` or ``/*`` that a block comment around it
    would take as its end or start. Quotes become typographic ones (U+2019, U+201D): a
    quote in a block comment makes DuckDB (2.0) read the rest of the script as
    inside a string when it replaces Unicode spaces, so the no-break and
    ideographic spaces of a later literal (the spaces every engine trims) were
    silently turned into plain ones."""
    value = terminal(text).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    value = value.replace("'", "\u2019").replace('"', "\u201d").replace("`", "\u2019")
    return value.replace("*/", "* /").replace("/*", "/ *")


def sql_literal(text: str, dialect: str = "duckdb") -> str:
    """A string literal in ``dialect``'s SQL, written by sqlglot from a literal
    node (doubled quotes; backslashes escaped where the dialect reads escapes,
    as Spark and BigQuery do). Never paste a value between quotes by hand.

    DuckDB's own literal is written here directly: it is what sqlglot writes for
    it (quotes doubled, nothing else; a test checks the two agree), and a
    migration builds dozens of them before any other SQL is needed, so importing
    sqlglot for them cost every ``taxops migrate`` a noticeable part of its start."""
    if dialect == "duckdb":
        return "'" + text.replace("'", "''") + "'"
    from sqlglot import exp

    return exp.Literal.string(text).sql(dialect=dialect)


def sql_identifier(name: str, dialect: str = "duckdb") -> str:
    """A quoted identifier (a table or column name) in ``dialect``'s SQL. DuckDB's
    is written directly, as its literal is (:func:`sql_literal`)."""
    if dialect == "duckdb":
        return '"' + name.replace('"', '""') + '"'
    from sqlglot import exp

    return exp.to_identifier(name, quoted=True).sql(dialect=dialect)
