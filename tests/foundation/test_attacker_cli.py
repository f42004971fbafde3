"""Every command, tried as an attacker or a careless user would from the command
line: an output that is an input or a governed file, a name that matches
nothing, a side file (decisions, queue, counts, history, table, sidecar) that
is the wrong file or built to break the reader, a value that tries to forge a
line of output. Each case is data: the files it needs, the arguments, the exit
code and what the message must say. None may end in a traceback (exit 70),
none may print a line a CI runner would obey, and nothing already there may be
changed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from taxops.cli import exit_codes
from taxops.cli.main import main

#: The second version of the starter taxonomy: one label split, so there is
#: something to migrate and review.
V2_EDIT = ("version: 0.1.0", "version: 1.0.0")
SPAM_RETIRED = (
    "  - id: spam\n    name: Spam\n",
    "  - id: spam\n    name: Spam\n    status: retired\n    replaced_by: [acceptable, insult]\n",
)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository made by ``taxops init``, 0.1.0 released, 1.0.0 in the working
    file; copied for each case."""
    root = tmp_path_factory.mktemp("attacker") / "repo"
    assert main(["init", str(root)]) == 0
    assert main(["release", "--repo", str(root)]) == 0
    taxonomy = root / "taxonomies" / "comment-toxicity" / "taxonomy.yaml"
    text = taxonomy.read_text(encoding="utf-8")
    for old, new in (V2_EDIT, SPAM_RETIRED):
        assert old in text
        text = text.replace(old, new)
    taxonomy.write_text(text, encoding="utf-8")
    (root / "ann.csv").write_text("id,text,label\n1,hi,acceptable\n2,buy,spam\n")
    return root


@pytest.fixture
def repo(template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the template, the current folder while the test runs."""
    root = tmp_path / "repo"
    shutil.copytree(template, root)
    monkeypatch.chdir(root)
    return root


@dataclass(frozen=True)
class Case:
    name: str
    argv: list[str]
    #: What the message (or the findings) must say, each in one line.
    says: tuple[str, ...]
    code: int = exit_codes.USAGE
    files: dict[str, str | bytes] = field(default_factory=dict)
    #: Run before the command, in the repository (links, folders).
    setup: Callable[[Path], None] | None = None
    #: What no line of the output may start with.
    never: tuple[str, ...] = ()


def _hard_link(root: Path) -> None:
    os.link(root / "ann.csv", root / "linked.csv")


def _migrated(root: Path) -> None:
    """out/m.csv, migrated from ann.csv by taxops, with its review queue."""
    here = Path.cwd()
    os.chdir(root)
    try:
        assert main([*MIGRATE, "-o", "out/m.csv"]) == 0
    finally:
        os.chdir(here)


def _site_dir(folder: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        config = root / "mkdocs.yml"
        text = config.read_text(encoding="utf-8")
        assert "site_dir: site-build" in text
        config.write_text(text.replace("site_dir: site-build", f"site_dir: {folder}"))

    return edit


def _owner_injection(root: Path) -> None:
    """An owner (and a policy file name) carrying a second CODEOWNERS line."""
    taxonomy = root / "taxonomies" / "comment-toxicity" / "taxonomy.yaml"
    text = taxonomy.read_text(encoding="utf-8")
    assert '  - "@your-team"\n' in text
    taxonomy.write_text(
        text.replace('  - "@your-team"\n', '  - "@your-team\\n* @evil"\n  - "@a #x"\n'),
        encoding="utf-8",
    )
    vendor = root / "policies" / "vendors" / "in-house.yaml"
    shutil.copy(vendor, vendor.with_name("x\n* @evil.yaml"))


def _version_with_newline(root: Path) -> None:
    taxonomy = root / "taxonomies" / "comment-toxicity" / "taxonomy.yaml"
    text = taxonomy.read_text(encoding="utf-8")
    taxonomy.write_text(text.replace("version: 1.0.0", 'version: "1.0.0\\n"'), encoding="utf-8")


def _deep_json(depth: int) -> str:
    return "[" * depth + "]" * depth


APPLY = ["migrate", "out/m.csv", "-o", "out/final.csv", "--apply-review", "d.json"]
MIGRATE = [
    "migrate",
    "ann.csv",
    "--taxonomy",
    "comment-toxicity",
    "--from",
    "0.1.0",
    "--to",
    "1.0.0",
]
IMPACT = ["impact", "comment-toxicity", "--from", "0.1.0", "--to", "1.0.0"]
QUEUE_HEADER = "id,text,label,_taxops_row,_taxops_reason,_taxops_old_label,_taxops_candidates\n"

CASES = [
    # -- an output that is an input, another output, or a governed file ------------
    Case("sample over its export", ["quality", "sample", "ann.csv", "-o", "ann.csv", "--rate", "0.5"],
         ("would overwrite EXPORT (ann.csv)", "never writes over its input")),
    Case("export over a frozen release",
         ["export", "comment-toxicity", "--to", "skos", "-o",
          "taxonomies/comment-toxicity/releases/0.1.0.yaml"],
         ("a governed file of the repository",)),
    Case("redact: copy and report one file",
         ["redact", "ann.csv", "-o", "out/r.csv", "--report", "out/r.csv"],
         ("--output and --report would both be written to",)),
    Case("migrate: output and review one file",
         [*MIGRATE, "-o", "out/m.csv", "--review", "out/m.csv"],
         ("--output and --review would both be written to",)),
    Case("migrate: output differs from the input only in case", [*MIGRATE, "-o", "ANN.csv"],
         ("the migrated dataset would overwrite the input dataset",)),
    Case("migrate: output is a hard link to the input", [*MIGRATE, "-o", "linked.csv"],
         ("the migrated dataset would overwrite the input dataset",), setup=_hard_link),
    Case("migration map over the guideline",
         ["migration-map", "comment-toxicity", "--from", "0.1.0", "--to", "1.0.0",
          "-o", "guidelines/comment-toxicity.yaml"],
         ("a governed file of the repository",)),
    Case("audit: --history is the reviewed file",
         ["quality", "audit", "rev.csv", "--history", "rev.csv"],
         ("--history would overwrite REVIEWED (rev.csv)",),
         files={"rev.csv": "item,label,reviewed_label,verdict\n1,acceptable,,\n"}),
    Case("site_dir: policies (MkDocs empties site_dir)", ["site", "build"],
         ("would be emptied before the build", "lies inside policies"), setup=_site_dir("policies")),
    Case("site_dir: a taxonomy's folder", ["site", "build"],
         ("would be emptied before the build",), setup=_site_dir("taxonomies/comment-toxicity")),
    Case("site_dir: the repository's parent", ["site", "build"],
         ("would be emptied before the build",), setup=_site_dir("..")),
    Case("a NUL in a file name", ["export", "comment-toxicity", "--to", "skos", "-o", "a\x00b"],
         ("cannot be empty or hold NUL",)),
    # -- numbers out of any sensible range: refused by the parser ----------------------
    Case("ops plan --handle-hours inf", ["ops", "plan", "--events", "ev.csv", "--volume", "10",
         "--staff", "1", "--handle-hours", "inf"], ("argument --handle-hours: inf is out of range",)),
    Case("ops plan --handle-hours -1", ["ops", "plan", "--events", "ev.csv", "--volume", "10",
         "--staff", "1", "--handle-hours", "-1"], ("argument --handle-hours: -1 is out of range",)),
    Case("ops plan --volume -5", ["ops", "plan", "--events", "ev.csv", "--volume", "-5",
         "--staff", "1"], ("argument --volume: -5 is out of range",)),
    Case("ops plan --staff nan", ["ops", "plan", "--events", "ev.csv", "--volume", "5",
         "--staff", "nan"], ("argument --staff: nan is out of range",)),
    Case("quality agreement --bootstrap 100000000",
         ["quality", "agreement", "ann.csv", "--bootstrap", "100000000"],
         ("argument --bootstrap: 100000000 is out of range",)),
    Case("redact --threads -3", ["redact", "ann.csv", "-o", "out/r.csv", "--threads", "-3"],
         ("argument --threads: -3 is out of range",)),
    Case("crosswalk --min-confidence 2",
         ["crosswalk", "check", "t.csv", "--taxonomy", "comment-toxicity", "--from", "0.1.0",
          "--to", "1.0.0", "--min-confidence", "2"], ("argument --min-confidence: 2 is out of range",)),
    Case("codeowners with an owner and a file name holding a second line", ["codeowners"],
         ("/policies/vendors/in-house.yaml  @your-team",), code=exit_codes.OK,
         setup=_owner_injection, never=("*", "/taxonomies/")),
    Case("a version with a trailing line break (release wrote '1.0.0\\n.yaml')", ["release"],
         ("no valid taxonomy to release", "taxonomies/ holds: comment-toxicity"), setup=_version_with_newline),
    Case("validate: a version with a trailing line break", ["validate"],
         ("[invalid-version]",), code=exit_codes.FINDINGS, setup=_version_with_newline),
    # -- names that match nothing: an error naming what exists -----------------------
    Case("impact --vendor nosuch", [*IMPACT, "--counts", "c.csv", "--vendor", "in-hose"],
         ("no vendor 'in-hose' under policies/", "did you mean 'in-house'?", "known vendors: 'in-house'"),
         files={"c.csv": "label,count\nspam,3\n"}),
    Case("impact --sla nosuch", [*IMPACT, "--counts", "c.csv", "--sla", "nosuch"],
         ("no valid SLA 'nosuch'", "known SLAs:"), files={"c.csv": "label,count\nspam,3\n"}),
    Case("impact --dataset nosuch", [*IMPACT, "--dataset", "nosuch"],
         ("'nosuch' is neither a file nor a registered dataset", "registered datasets")),
    Case("quality agreement --taxonomy nosuch",
         ["quality", "agreement", "agr.csv", "--taxonomy", "nosuch"],
         ("no taxonomy 'nosuch'", "known taxonomies: 'comment-toxicity'"),
         files={"agr.csv": "item,annotator,label\n1,a,spam\n1,b,spam\n"}),
    Case("quality agreement --version nosuch",
         ["quality", "agreement", "agr.csv", "--taxonomy", "comment-toxicity", "--version", "9.9.9"],
         ("comment-toxicity has no version 9.9.9", "known versions: 0.1.0, 1.0.0"),
         files={"agr.csv": "item,annotator,label\n1,a,spam\n1,b,spam\n"}),
    Case("ops scorecard --taxonomy nosuch", ["ops", "scorecard", "ev.csv", "--taxonomy", "nosuch"],
         ("no taxonomy 'nosuch'",), files={"ev.csv": "task,created\n1,2024-01-01\n"}),
    # -- a value from a file cannot forge a line of output --------------------------
    Case("a column name holding a workflow command, quoted in a hint",
         ["migrate", "evil.csv", "--taxonomy", "comment-toxicity", "--from", "0.1.0",
          "--to", "1.0.0", "-o", "out/e.csv", "--label-column", "nosuch"],
         ("has no column 'nosuch'", "col\\n::error::forged"),
         files={"evil.csv": 'id,"col\n::error::forged",label\n1,x,acceptable\n'}),
    # -- side files that are the wrong file, or built to break the reader -------------
    Case("decisions nested 100,000 deep", APPLY, ("d.json is JSON nested too deeply",),
         files={"d.json": _deep_json(100_000)}, setup=_migrated),
    Case("decisions that are Windows-1252", APPLY, ("d.json is not UTF-8 text",),
         files={"d.json": b'{"taxops": "caf\xe9"}'}, setup=_migrated),
    Case("decisions with a row that is not a number", APPLY,
         ("decision 1 needs a row number and a list of labels",),
         files={"d.json": '{"taxops": "taxops/review-decisions/1", "decisions": '
                          '[{"row": "1e9999", "labels": ["spam"]}]}'}, setup=_migrated),
    Case("a Label Studio export whose tasks are not objects", APPLY,
         ("task 1 of the export is not a JSON object",),
         files={"d.json": '[1, "two", null]'}, setup=_migrated),
    Case("a review queue whose row number was edited",
         ["review", "push", "q.csv", "--to-files", "out"],
         ("q.csv, queued row 1: the row number x1 is not one migrate wrote",),
         files={"q.csv": QUEUE_HEADER + "2,buy,spam,x1,split,spam,acceptable|insult\n"}),
    Case("impact text with a 300,000-character label and a huge count",
         [*IMPACT, "--counts", "c.csv"], ("300,005 characters)", "99,999,999,999,999,999,999,999"),
         code=exit_codes.OK,
         files={"c.csv": "label,count\nspam,99999999999999999999999\n"
                         + "x" * 300_000 + "\u202e\x1b[2J,3\n"}),
    Case("counts that are a binary file", [*IMPACT, "--counts", "c.csv"],
         ("c.csv",), files={"c.csv": b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe"}),
    Case("counts with a 3 MB cell", [*IMPACT, "--counts", "c.csv"],
         ("c.csv",), files={"c.csv": "label,count\n" + "x" * 3_000_000 + ",oops\n"}),
    Case("an audit history line that is not a lot",
         ["quality", "sample", "ann.csv", "-o", "out/s.csv", "--iso", "--aql", "2.5",
          "--history", "h.jsonl"],
         ("h.jsonl, line 2: not a recorded lot",),
         files={"h.jsonl": '{"inspection": "normal", "accept": 1, "reject": 2, "nonconforming": 0}\n'
                           '{"inspection": "normal", "accept": 1e999, "reject": 2, "nonconforming": 0}\n'}),
    Case("a spreadsheet that is not a zip",
         ["crosswalk", "check", "t.xlsx", "--taxonomy", "comment-toxicity", "--from", "0.1.0",
          "--to", "1.0.0"],
         ("cannot read t.xlsx as a spreadsheet",), files={"t.xlsx": "old,new\nspam,insult\n"}),
    Case("a table that is a folder",
         ["crosswalk", "check", "t.csv", "--taxonomy", "comment-toxicity", "--from", "0.1.0",
          "--to", "1.0.0"],
         ("t.csv",), setup=lambda root: (root / "t.csv").mkdir()),
    Case("SKOS that fetches its context from the network",
         ["import", "remote.jsonld", "--from", "skos", "-o", "-"],
         ("refers to a JSON-LD context by address", "never fetches one"),
         files={"remote.jsonld": '{"@context": "http://169.254.169.254/latest/meta-data/", '
                                 '"@id": "x"}'}),
    Case("SKOS in RDF/XML whose entities expand to gigabytes (billion laughs)",
         ["import", "lol.rdf", "-o", "-"],
         ("declares XML entities taxops does not expand", "refers to another entity"),
         files={"lol.rdf": '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a0 "xxxxxxxxxx">'
                + "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10))
                + ']><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                  'xmlns:s="http://www.w3.org/2004/02/skos/core#"><s:Concept rdf:about="urn:a">'
                  '<s:prefLabel>&a9;</s:prefLabel></s:Concept></rdf:RDF>'}),
    Case("SKOS in RDF/XML that reads a local file through an entity",
         ["import", "xxe.rdf", "-o", "-"],
         ("declares XML entities taxops does not expand", "external entity"),
         files={"xxe.rdf": '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                'xmlns:s="http://www.w3.org/2004/02/skos/core#"><s:Concept rdf:about="urn:a">'
                '<s:prefLabel>&x;</s:prefLabel></s:Concept></rdf:RDF>'}),
    Case("validate /dev/zero (its size says 0; it never ends)",
         ["validate", "/dev/zero", "--max-file-size", "1"],
         ("goes on past the limit of 1.0 MB",), code=exit_codes.FINDINGS),
    Case("counts read from /dev/zero", [*IMPACT, "--counts", "/dev/zero"],
         ("/dev/zero is a device, not a file",)),
    Case("import from /dev/zero", ["import", "/dev/zero", "--from", "csv", "-o", "-"],
         ("/dev/zero is a device or a pipe, not a file",)),
    Case("import a folder", ["import", "taxonomies", "--from", "csv", "-o", "-"],
         ("taxonomies is a folder, not a file",)),
    Case("an event log that is a device", ["ops", "scorecard", "/dev/zero"],
         ("/dev/zero is a device or a pipe, not a file",)),
    Case("a CSV category path 5,000 levels deep (ids grow with the square)",
         ["import", "deep.csv", "-o", "-"], ("deep.csv, path 1: 5,000 levels",),
         files={"deep.csv": "category\n" + " > ".join(f"c{i}" for i in range(5000)) + "\n"}),
    Case("a CVAT export nested too deep", ["import", "labels.json", "--from", "cvat", "-o", "-"],
         ("nested too deeply",), files={"labels.json": _deep_json(100_000)}),
    Case("a Label Studio address that is a local file",
         ["review", "pull", "--project", "p", "-o", "out/d.json", "--url", "file:///etc/passwd"],
         ("is not the address of a Label Studio server",)),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_command_lines_are_clear_errors(
    case: Case,
    repo: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = repo
    for name, content in case.files.items():
        path = root / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    if case.setup:
        case.setup(root)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "secret-token")
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}

    try:
        code = main(case.argv)
    except SystemExit as exc:  # argparse refuses the argument itself
        code = int(exc.code or 0)

    out, err = capsys.readouterr()
    assert code == case.code, err
    for text in case.says:
        assert any(text in line for line in (err + out).splitlines()), (text, err[:2000])
    for line in (out + err).splitlines():
        assert not line.lstrip().startswith(("::", *case.never)), line  # no forged line
        assert len(line) <= 2500, line[:200]  # a huge value is clipped
    assert "Traceback" not in err
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]", out + err)  # inert
    after = {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and p in before}
    assert after == before  # nothing that was there is changed


HIDDEN = "def \x1b]0;pwned\x07 \x9b2J \u202e rev \u200b end"
#: Each export format, and how to read the definition back out of it.
EXPORT_READERS: dict[str, Callable[[str], str]] = {
    "label-studio": lambda text: next(
        e.get("hint", "") for e in ET.fromstring(text).iter() if e.get("alias") == "threat"
    ),
    "argilla": lambda text: _json_strings(json.loads(text)),
    "skos": lambda text: _rdf_definition(text, "turtle"),
    "skos-jsonld": lambda text: _rdf_definition(text, "json-ld"),
}


def _json_strings(value: object) -> str:
    if isinstance(value, dict):
        return " ".join(_json_strings(v) for v in value.values())
    if isinstance(value, list):
        return " ".join(_json_strings(v) for v in value)
    return value if isinstance(value, str) else ""


def _rdf_definition(text: str, fmt: str) -> str:
    from rdflib import Graph
    from rdflib.namespace import SKOS

    graph = Graph().parse(data=text, format=fmt)
    return " ".join(str(o) for o in graph.objects(None, SKOS.definition))


@pytest.mark.parametrize("fmt", sorted(EXPORT_READERS))
def test_an_export_printed_to_a_terminal_carries_no_control_and_keeps_the_value(
    fmt: str,
    repo: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A definition written with YAML escapes ("\\e]0;...\\a", a C1 CSI, a bidi
    override) passes validate; exported to stdout it must not retitle or clear
    the terminal, and the tool must read the same definition (XML cannot hold
    ESC or BEL at all: those become visible text there)."""
    root = repo
    taxonomy = root / "taxonomies" / "comment-toxicity" / "taxonomy.yaml"
    text = taxonomy.read_text(encoding="utf-8")
    quoted = json.dumps(HIDDEN)  # a YAML double-quoted scalar with escapes
    text = re.sub(r"(- id: threat\n    name: Threat\n    definition: )>-\n(      .*\n)+",
                  lambda m: m.group(1) + quoted + "\n", text)  # fmt: skip
    assert quoted in text
    taxonomy.write_text(text, encoding="utf-8")
    assert main(["export", "comment-toxicity", "--to", fmt, "--version", "1.0.0"]) == 0
    out = capsys.readouterr().out
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e]", out)
    read = EXPORT_READERS[fmt](out)
    expected = (
        HIDDEN.replace("\x1b", "\\x1b").replace("\x07", "\\x07")
        if fmt == "label-studio"
        else HIDDEN
    )
    assert expected in read, read


@pytest.mark.parametrize(
    "argv",
    [
        ["export", "comment-toxicity", "--to", "coco", "-o", "pipe"],
        [*MIGRATE, "-o", "pipe", "--review", "out/q.csv", "--report", "out/r.json"],
    ],
    ids=["export", "migrate"],
)
def test_an_output_that_is_a_pipe_is_written_as_a_stream_not_replaced(
    argv: list[str], repo: Path
) -> None:
    """``-o /dev/stdout`` or a FIFO: the output is written into it. Renaming a
    finished file over it (the atomic write) replaced the node itself: run as
    root, ``-o /dev/full`` turned the device into a regular file."""
    import stat
    import threading

    root = repo
    pipe = root / "pipe"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()), daemon=True)
    reader.start()
    assert main(argv) == 0
    reader.join(timeout=30)
    assert stat.S_ISFIFO(pipe.stat().st_mode)  # still the pipe
    assert received and received[0].strip()  # and what was written went through it


def test_an_output_that_cannot_be_written_is_named_as_given(
    repo: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for target, says in (("ann.csv/x.json", "cannot write there"), (".", "a folder, not a file")):
        assert main(["export", "comment-toxicity", "--to", "coco", "-o", target]) == 2
        err = capsys.readouterr().err
        assert says in err and target in err and ".tmp" not in err, err


@pytest.mark.parametrize("link_folder", [False, True], ids=["linked-file", "linked-folder"])
def test_a_governed_file_linked_out_of_the_repository_is_not_read(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], link_folder: bool
) -> None:
    """A pull request that adds ``guidelines/pw.yaml -> /some/secret`` must not make
    CI read the secret and echo it in a parse error or an annotation."""
    secret = tmp_path / "outside" / "secret.yaml"
    secret.parent.mkdir()
    secret.write_text("root:x:0:0:TOPSECRET-VALUE:/root:/bin/bash\n  - [", encoding="utf-8")
    if link_folder:
        (repo / "policies" / "leak").symlink_to(secret.parent, target_is_directory=True)
    else:
        (repo / "guidelines" / "pw.yaml").symlink_to(secret)
    code = main(["validate", "--format", "github"])
    out = capsys.readouterr()
    assert "TOPSECRET" not in out.out + out.err
    if not link_folder:  # a linked folder is not walked at all (pathlib follows no folder link)
        assert code == exit_codes.FINDINGS
        assert "file-outside-repository" in out.out
