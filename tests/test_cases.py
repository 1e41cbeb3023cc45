"""Legal outcome cases written as data (``tests/cases/*.toml``), each run as ``socins … --format json``.

A case is a legal situation a lawyer can read and extend without Python: the
article it rests on (quoted), a person, a date, a command, and the outcome the
text gives. The format and a step-by-step guide are in ``tests/cases/README.md``.

Each case runs through ``socins_cli.cli.app.main``, the entry point of the
``socins`` script, in this process: the same argument parsing, engines and JSON
a user gets. Only what a case states is checked. Two kinds of failure are kept
apart on purpose:

- ``CaseMismatch``: the program's answer differs from the case. A case marked
  ``known_discrepancy`` expects exactly this (strict xfail), so it turns into a
  failure the day the program is put right and the mark must go.
- ``CaseError``: the case itself is wrong (bad TOML, an unknown key, a quote
  that is not in the article it cites, a command that exits with an error the
  case did not expect). These always fail, known discrepancy or not, so that a
  broken case can never pass as an expected failure.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import reference_dir
from socins_cli.cli.app import main
from socins_cli.law.model import citation_label

CASES_DIR = Path(__file__).resolve().parent / "cases"

COMMANDS = ("check", "retirement", "inequities", "compare", "show", "timeline", "diff")
CASE_KEYS = {"name", "command", "args", "as_of", "person", "source", "expect", "known_discrepancy", "exit",
             "error_include"}
SOURCE_KEYS = {"instrument", "version", "article", "paragraph", "table", "fact", "reference", "quote"}


class CaseError(Exception):
    """The case file is malformed or cannot be run as written."""


class CaseMismatch(AssertionError):
    """The program's answer differs from what the case expects."""


@dataclass
class Case:
    file: Path
    name: str
    command: str
    source: dict
    expect: dict
    args: list = field(default_factory=list)
    as_of: str | None = None
    person: dict = field(default_factory=dict)
    known_discrepancy: str | None = None
    exit: int = 0
    error_include: str | None = None

    def argv(self) -> list[str]:
        argv = [self.command, *map(str, self.args)]
        for key, value in self.person.items():
            for one in value if isinstance(value, list) else [value]:
                argv += [f"--{key.replace('_', '-')}", str(one)]
        if self.as_of is not None:
            argv += ["--as-of", str(self.as_of)]
        return argv + ["--format", "json"]

    def where(self) -> str:
        s = self.source
        label = " ".join(str(s[k]) for k in ("instrument", "version") if k in s)
        if "article" in s:
            label += f" art. {s['article']}" if str(s["article"]).isdigit() else f" {s['article']}"
        if "paragraph" in s:
            label += f" para {s['paragraph']}"
        for key in ("table", "fact"):
            if key in s:
                label += f" {key} {s[key]}"
        return f"{label}: 「{s.get('quote', '')}」"


# -- reading the case files --------------------------------------------------------------------------------------

def _case(path: Path, raw: dict, index: int) -> Case:
    where = f"{path.name}, case {index + 1}"
    if not isinstance(raw, dict):
        raise CaseError(f"{where}: a case must be a table ([[case]])")
    unknown = set(raw) - CASE_KEYS
    if unknown:
        raise CaseError(f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(CASE_KEYS)}")
    for key in ("name", "command", "source"):
        if key not in raw:
            raise CaseError(f"{where}: missing {key!r}")
    where = f"{path.name}, case {raw['name']!r}"
    if raw["command"] not in COMMANDS:
        raise CaseError(f"{where}: command {raw['command']!r}; allowed: {', '.join(COMMANDS)}")
    source = raw["source"]
    if not isinstance(source, dict) or set(source) - SOURCE_KEYS:
        raise CaseError(f"{where}: source must be a table with keys among {sorted(SOURCE_KEYS)}")
    if not {"instrument", "version", "quote"} <= set(source) or not {"article", "table", "fact", "reference"} & set(source):
        raise CaseError(f"{where}: source needs instrument, version, quote and one of article, table, fact, reference")
    expect = raw.get("expect", {})
    if not isinstance(expect, dict) or (not expect and "exit" not in raw):
        raise CaseError(f"{where}: nothing expected: add an [case.expect] table (or exit = N)")
    if "known_discrepancy" in raw and not str(raw["known_discrepancy"]).strip():
        raise CaseError(f"{where}: known_discrepancy must explain the disagreement, citing the text")
    if "as_of" in raw and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(raw["as_of"])):
        raise CaseError(f"{where}: as_of {raw['as_of']!r} must be a date YYYY-MM-DD")
    if not isinstance(raw.get("person", {}), dict) or not isinstance(raw.get("args", []), list):
        raise CaseError(f"{where}: person must be a table (person = {{ category = \"employee\" }}), args a list")
    return Case(file=path, name=raw["name"], command=raw["command"], source=source, expect=expect,
                args=list(raw.get("args", [])), as_of=None if "as_of" not in raw else str(raw["as_of"]),
                person=dict(raw.get("person", {})), known_discrepancy=raw.get("known_discrepancy"),
                exit=int(raw.get("exit", 0)), error_include=raw.get("error_include"))


def load_cases(folder: Path = CASES_DIR) -> list[Case | CaseError]:
    """Every case of every file, in file order; a file or case that cannot be read becomes its ``CaseError``."""
    out: list[Case | CaseError] = []
    seen: dict[str, Path] = {}
    for path in sorted(folder.glob("*.toml")):
        try:
            doc = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            out.append(CaseError(f"{path.name}: not valid TOML: {exc}"))
            continue
        if set(doc) != {"case"} or not isinstance(doc["case"], list):
            out.append(CaseError(f"{path.name}: a case file holds only [[case]] tables; found {sorted(doc)}"))
            continue
        for index, raw in enumerate(doc["case"]):
            try:
                case = _case(path, raw, index)
            except CaseError as exc:
                out.append(exc)
                continue
            if case.name in seen:
                out.append(CaseError(f"{path.name}: case name {case.name!r} is also used in {seen[case.name].name}"))
                continue
            seen[case.name] = path
            out.append(case)
    return out


# -- running a case ----------------------------------------------------------------------------------------------

def run_socins(argv: list[str]) -> tuple[int, str, str]:
    """``socins ARGV`` in this process: exit code, stdout, stderr."""
    out, err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8"), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(argv)
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    out.flush()
    return code, out.buffer.getvalue().decode("utf-8"), err.getvalue()


def _normalised(text: str) -> str:
    """Full- and half-width forms alike, no whitespace: a quote survives a copy from any rendering."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def check_quote(case: Case) -> None:
    """The quoted words must stand in the cited article of the cited version (what ``socins show`` prints),
    or, for a source given as ``reference`` (an annex table, a date in a document's header), in that reference
    text — checked where the reference texts are beside the checkout, as the other reference-text tests are."""
    s = case.source
    if "reference" in s:
        _check_reference_quote(case)
    if "article" not in s:
        return
    code, out, err = run_socins(["show", str(s["instrument"]), str(s["article"]), "--version", str(s["version"]),
                                 "--format", "json"])
    if code != 0:
        raise CaseError(f"{case.file.name}, case {case.name!r}: source {case.where()} cannot be shown: {err.strip()}")
    article = json.loads(out)
    text = article["text"]
    if "paragraph" in s:
        paragraphs = article["paragraphs"]
        if not 1 <= int(s["paragraph"]) <= len(paragraphs):
            raise CaseError(f"{case.file.name}, case {case.name!r}: source paragraph {s['paragraph']} does not "
                            f"exist; the article has {len(paragraphs)}")
    if _normalised(s["quote"]) not in _normalised(text):
        raise CaseError(f"{case.file.name}, case {case.name!r}: the quote 「{s['quote']}」 is not in "
                        f"{s['instrument']} {s['version']} art. {s['article']}")


def _check_reference_quote(case: Case) -> None:
    folder = reference_dir()
    if folder is None:
        if os.environ.get("SOCINS_REQUIRE_REFERENCE"):
            raise CaseError("SOCINS_REQUIRE_REFERENCE is set but ../shared/reference/texts is missing")
        return
    path = folder / case.source["reference"]
    if not path.is_file():
        raise CaseError(f"{case.file.name}, case {case.name!r}: reference {case.source['reference']!r} is not in {folder}")
    if _normalised(case.source["quote"]) not in _normalised(path.read_text(encoding="utf-8")):
        raise CaseError(f"{case.file.name}, case {case.name!r}: the quote 「{case.source['quote']}」 is not in "
                        f"{case.source['reference']}")


def label(c: dict) -> str:
    """A citation as the case files write it, the label socins prints (``sil 2018 art. 10 para 2``,
    ``retire-2024 2024 table annex-1``), a fact as ``hukou-2025 2025 #nhsa-notice-2025-fafayan``."""
    return citation_label(c).removesuffix(" (not statute text)")


def _matches(label: str, pattern: str) -> bool:
    """``sil 2018 art. 10`` matches every paragraph of art. 10 (not art. 100); ``sil 2010`` every 2010 article."""
    return label == pattern or label.startswith(pattern + " ")


def view(command: str, data: dict) -> dict:
    """The JSON answer keyed the way case files name things: schemes, findings and tracks by their ids."""
    if command == "check":
        return {**{s["scheme"]: s for s in data["schemes"]}, "findings": [f["id"] for f in data["inequities"]]}
    if command == "inequities":
        return {**{f["id"]: f for f in data["inequities"]}, "findings": [f["id"] for f in data["inequities"]]}
    if command == "compare":
        rows = {}
        for row in data["rows"]:
            fields = {k for b in row["by_category"] for k in b} - {"category", "citations"}
            by_category = {k: {b["category"]: b.get(k) for b in row["by_category"]} for k in fields}
            rows[row["scheme"]] = {**by_category, **row}
        return {**rows, "findings": [f["id"] if isinstance(f, dict) else f for f in data.get("findings", [])]}
    if command == "timeline":
        return {s["scheme"]: {**s, "dates": [c["date"] for c in s["changes"]],
                              "status": {c["date"]: c["status"] for c in s["changes"]},
                              "payers": {c["date"]: c["payers"] for c in s["changes"]}}
                for s in data["schemes"]}
    if command == "diff":
        return {**data, **{c["article"]: c for c in data["changes"]}, "articles": [c["article"] for c in data["changes"]]}
    if command == "retirement":
        return {**data, "alternatives": {a["track"]: a for a in data.get("alternatives", [])}}
    return data


def compare(expected: dict, got: dict, path: str = "") -> list[tuple[str, object, object]]:
    """Every (field, expected, got) that differs; a field the answer does not have is a ``CaseError``."""
    diffs = []
    for key, want in expected.items():
        here = f"{path}.{key}" if path else key
        base, _, mode = key.rpartition("_") if key.endswith(("_include", "_exclude")) else (key, "", "")
        if base not in got:
            raise CaseError(f"expect field {here!r}: the answer has no {base!r}; it has {sorted(got)}")
        have = got[base]
        if base == "citations":
            labels = sorted(label(c) for c in have)
            wanted = [want] if isinstance(want, str) else list(want)
            if not mode and sorted(wanted) != labels:
                diffs.append((here, sorted(wanted), labels))
            elif mode == "include" and [p for p in wanted if not any(_matches(lb, p) for lb in labels)]:
                diffs.append((here, wanted, labels))
            elif mode == "exclude" and [p for p in wanted if any(_matches(lb, p) for lb in labels)]:
                diffs.append((here, f"none of {wanted}", labels))
        elif mode:
            wanted = [want] if isinstance(want, str) else list(want)
            present = [w for w in wanted if w in have]
            if mode == "include" and len(present) != len(wanted):
                diffs.append((here, wanted, have))
            elif mode == "exclude" and present:
                diffs.append((here, f"none of {wanted}", have))
        elif isinstance(want, dict) and isinstance(have, dict):
            diffs += compare(want, have, here)
        elif want != have:
            diffs.append((here, want, have))
    return diffs


def run_case(case: Case) -> None:
    check_quote(case)
    code, out, err = run_socins(case.argv())
    head = f"case {case.name!r} ({case.file.name})\n  rests on {case.where()}\n  ran: socins {' '.join(case.argv())}"
    if code != case.exit:
        # An answer where the case expects a refusal is the program's disagreement with the text;
        # a refusal where the case expects an answer means the case asks something the CLI rejects.
        kind = CaseMismatch if code == 0 else CaseError
        raise kind(f"{head}\n  exit {code}, expected {case.exit}; stderr: {err.strip()}")
    if case.error_include is not None and case.error_include not in err:
        raise CaseMismatch(f"{head}\n  stderr lacks {case.error_include!r}: {err.strip()}")
    if not case.expect:
        return
    try:
        diffs = compare(case.expect, view(case.command, json.loads(out)))
    except CaseError as exc:
        raise CaseError(f"{head}\n  {exc}") from None
    if diffs:
        lines = [f"  {where}:\n    expected {json.dumps(want, ensure_ascii=False)}\n"
                 f"    got      {json.dumps(have, ensure_ascii=False)}" for where, want, have in diffs]
        raise CaseMismatch(head + "\n" + "\n".join(lines))


def _params():
    params = []
    for item in load_cases():
        if isinstance(item, CaseError):
            params.append(pytest.param(item, id=str(item).split(":")[0]))
            continue
        marks = [pytest.mark.xfail(raises=CaseMismatch, strict=True, reason=item.known_discrepancy)] \
            if item.known_discrepancy else []
        params.append(pytest.param(item, id=f"{item.file.stem}: {item.name}", marks=marks))
    return params


@pytest.mark.parametrize("case", _params())
def test_case(case):
    if isinstance(case, CaseError):
        raise case
    run_case(case)


def test_there_are_cases_for_every_command_the_format_names():
    cases = [c for c in load_cases() if isinstance(c, Case)]
    assert {c.command for c in cases} == set(COMMANDS)


# -- the runner itself --------------------------------------------------------------------------------------------

def _write(tmp_path: Path, text: str) -> list:
    (tmp_path / "x.toml").write_text(text, encoding="utf-8")
    return load_cases(tmp_path)


SOURCE = 'source = { instrument = "sil", version = "2018", article = "10", paragraph = 1, quote = "职工应当参加基本养老保险" }'


def test_a_file_that_is_not_toml_is_an_error_naming_it(tmp_path):
    [item] = _write(tmp_path, "[[case]\nname = 1")
    assert isinstance(item, CaseError) and "x.toml: not valid TOML" in str(item)


def test_an_unknown_key_is_an_error_not_a_silent_skip(tmp_path):
    [item] = _write(tmp_path, f'[[case]]\nname = "a"\ncommand = "check"\n{SOURCE}\nasof = "2020-01-01"\n'
                              '[case.expect.employee-pension]\nstatus = "mandatory"\n')
    assert isinstance(item, CaseError) and "unknown key(s) ['asof']" in str(item)


def test_a_case_without_expectations_or_source_is_an_error(tmp_path):
    [item] = _write(tmp_path, f'[[case]]\nname = "a"\ncommand = "check"\n{SOURCE}\n')
    assert isinstance(item, CaseError) and "nothing expected" in str(item)
    [item] = _write(tmp_path, '[[case]]\nname = "a"\ncommand = "check"\n[case.expect]\nfindings = []\n')
    assert isinstance(item, CaseError) and "missing 'source'" in str(item)


def test_a_quote_not_in_the_cited_article_is_an_error(tmp_path):
    [case] = _write(tmp_path, '[[case]]\nname = "a"\ncommand = "check"\nas_of = "2020-01-01"\n'
                              'person = { category = "employee" }\n'
                              'source = { instrument = "sil", version = "2018", article = "10", quote = "应当参加工伤保险" }\n'
                              '[case.expect.employee-pension]\nstatus = "mandatory"\n')
    with pytest.raises(CaseError, match="is not in sil 2018 art. 10"):
        run_case(case)


def test_a_wrong_outcome_is_a_mismatch_that_names_field_expected_got_and_article(tmp_path):
    [case] = _write(tmp_path, f'[[case]]\nname = "a"\ncommand = "check"\nas_of = "2020-01-01"\n{SOURCE}\n'
                              'person = { category = "employee" }\n'
                              '[case.expect.employee-pension]\nstatus = "voluntary"\n'
                              'citations_include = ["sil 2018 art. 10 para 1"]\n')
    with pytest.raises(CaseMismatch) as caught:
        run_case(case)
    message = str(caught.value)
    assert "employee-pension.status" in message and '"voluntary"' in message and '"mandatory"' in message
    assert "sil 2018 art. 10 para 1: 「职工应当参加基本养老保险」" in message
    assert "citations_include" not in message


def test_a_field_the_answer_lacks_is_an_error_not_a_mismatch(tmp_path):
    [case] = _write(tmp_path, f'[[case]]\nname = "a"\ncommand = "check"\nas_of = "2020-01-01"\n{SOURCE}\n'
                              'person = { category = "employee" }\n[case.expect.pension]\nstatus = "mandatory"\n')
    with pytest.raises(CaseError, match="the answer has no 'pension'"):
        run_case(case)


def test_an_unexpected_exit_is_an_error(tmp_path):
    [case] = _write(tmp_path, f'[[case]]\nname = "a"\ncommand = "check"\nas_of = "2020-01-01"\n{SOURCE}\n'
                              'person = { category = "employe" }\n[case.expect.employee-pension]\nstatus = "mandatory"\n')
    with pytest.raises(CaseError, match="exit 2, expected 0"):
        run_case(case)


def test_citation_patterns_match_whole_parts_only():
    assert _matches("sil 2018 art. 10 para 2", "sil 2018 art. 10")
    assert not _matches("sil 2018 art. 100", "sil 2018 art. 10")
    assert _matches("sil 2010 art. 64 para 1", "sil 2010")
    assert not _matches("sil-provisions-2011 2011 art. 9", "sil")
