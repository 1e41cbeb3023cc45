"""The Python API returns what the commands print with ``--format json``, and raises what they report."""

from __future__ import annotations

import datetime as _dt
import json

import pytest

from cli_helpers import REPO, run
from socins_cli import api
from socins_cli.errors import DataError, InputError, NotInForceError

GAO = str(REPO / "reforms" / "gao-platform-workers-as-employees.toml")

#: (api function, its keyword arguments, the same question on the command line)
CASES = [
    ("check", dict(category="employee", as_of="2026-06-01"),
     ["check", "--category", "employee", "--as-of", "2026-06-01"]),
    ("check", dict(category="flexible", sex="female", birth="1975-03", province="guangdong", as_of="2026-06-01"),
     ["check", "--category", "flexible", "--sex", "female", "--birth", "1975-03", "--province", "guangdong",
      "--as-of", "2026-06-01"]),
    ("check", dict(category="platform", relation="incomplete", province="广东", industry="food-delivery",
                   platform="美团", as_of="2026-06-01", explain=True, quote=True),
     ["check", "--category", "platform", "--relation", "incomplete", "--province", "广东", "--industry",
      "food-delivery", "--platform", "美团", "--as-of", "2026-06-01", "--explain", "--quote"]),
    ("cite", dict(citation="社会保险法第十条第二款", as_of="2026-06-01"),
     ["cite", "社会保险法第十条第二款", "--as-of", "2026-06-01"]),
    ("history", dict(instrument="sil", article="64"), ["history", "sil", "64"]),
    ("show", dict(instrument="社会保险法", article="第十条", version="2010"), ["show", "社会保险法", "第十条", "--version", "2010"]),
    ("list_instruments", dict(as_of="2026-06-01"), ["list", "--as-of", "2026-06-01"]),
    ("check", dict(category="employee", waiver=True, as_of="2026-06-01"),
     ["check", "--category", "employee", "--waiver", "--as-of", "2026-06-01"]),
    ("check", dict(category="flexible", income=6000, as_of="2030-06-01",
                   reform=["han-unemployment-income-threshold", "han-retirement-age-women-flexible-workers"]),
     ["check", "--category", "flexible", "--income", "6000", "--as-of", "2030-06-01",
      "--reform", "han-unemployment-income-threshold", "--reform", "han-retirement-age-women-flexible-workers"]),
    ("inequities", dict(as_of="2030-06-01", income="6000", reform="han-unemployment-income-threshold"),
     ["inequities", "--as-of", "2030-06-01", "--income", "6000", "--reform", "han-unemployment-income-threshold"]),
    ("check", dict(category="platform", relation="incomplete", as_of="2028-06-01", reform=GAO),
     ["check", "--category", "platform", "--relation", "incomplete", "--as-of", "2028-06-01", "--reform", GAO]),
    ("retirement", dict(sex="female", birth="1975-03", category="flexible", as_of="2026-06-01"),
     ["retirement", "--sex", "female", "--birth", "1975-03", "--category", "flexible", "--as-of", "2026-06-01"]),
    ("retirement", dict(sex="male", birth="1970-05", as_of="2026-06-01"),
     ["retirement", "--sex", "male", "--birth", "1970-05", "--as-of", "2026-06-01"]),
    ("retirement", dict(sex="female", birth="1972-01", female_track="cadre", as_of="2024-06-01"),
     ["retirement", "--sex", "female", "--birth", "1972-01", "--female-track", "cadre", "--as-of", "2024-06-01"]),
    ("compare", dict(category=["employee", "flexible", "platform:incomplete"], as_of="2026-06-01"),
     ["compare", "--category", "employee", "--category", "flexible", "--category", "platform:incomplete",
      "--as-of", "2026-06-01"]),
    ("compare", dict(category=["employee", "platform"], relation="civil", sex="male", birth="1980-01",
                     as_of="2027-03-01"),
     ["compare", "--category", "employee", "--category", "platform", "--relation", "civil", "--sex", "male",
      "--birth", "1980-01", "--as-of", "2027-03-01"]),
    ("inequities", dict(as_of="2026-06-01"), ["inequities", "--as-of", "2026-06-01"]),
    ("inequities", dict(as_of="2026-06-01", category="flexible", scheme="work-injury", quote=True),
     ["inequities", "--as-of", "2026-06-01", "--category", "flexible", "--scheme", "work-injury", "--quote"]),
    ("timeline", dict(start="2010-01-01", end="2026-06-01", category="platform", relation="incomplete",
                      province="guangdong", industry="food-delivery"),
     ["timeline", "--from", "2010-01-01", "--to", "2026-06-01", "--category", "platform", "--relation",
      "incomplete", "--province", "guangdong", "--industry", "food-delivery"]),
    ("show", dict(instrument="sil", article="10", version="2010"), ["show", "sil", "10", "--version", "2010"]),
    ("show", dict(instrument="sil", article=64, as_of="2019-06-01", paragraph=1),
     ["show", "sil", "64", "--as-of", "2019-06-01", "--paragraph", "1"]),
    ("show", dict(instrument="retire-2024"), ["show", "retire-2024"]),
    ("search", dict(query="灵活就业人员", instrument="sil"), ["search", "灵活就业人员", "--instrument", "sil"]),
    ("search", dict(query="灵活就业人员", as_of="2012-01-01", all_versions=True),
     ["search", "灵活就业人员", "--as-of", "2012-01-01", "--all-versions"]),
    ("diff", dict(instrument="sil", before="2010", after="2018", substantive=True),
     ["diff", "sil", "2010", "2018", "--substantive"]),
    ("diff", dict(instrument="sil", before=_dt.date(2015, 1, 1), after="2020-01-01"),
     ["diff", "sil", "2015-01-01", "2020-01-01"]),
    ("list_instruments", dict(), ["list"]),
    ("list_instruments", dict(as_of="2012-01-01"), ["list", "--as-of", "2012-01-01"]),
    ("reforms", dict(), ["reforms"]),
    ("validate", dict(), ["validate"]),
    ("reforms", dict(effect=True, as_of=_dt.date(2030, 6, 1)), ["reforms", "--effect", "--as-of", "2030-06-01"]),
]


@pytest.mark.parametrize("name,kwargs,argv", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_api_equals_the_commands_json(name, kwargs, argv):
    done = run(*argv, "--format", "json")
    assert done.code == 0, done.err
    assert getattr(api, name)(**kwargs) == json.loads(done.out)


def test_search_without_hits_is_an_empty_list_where_the_command_exits_1():
    done = run("search", "不存在的短语", "--as-of", "2026-12-01", "--format", "json")
    assert done.code == 1
    found = api.search(query="不存在的短语", as_of="2026-12-01")
    assert found == json.loads(done.out) == {"query": "不存在的短语", "hits": [], "not_held": found["not_held"],
                                             "drafts_not_held": []}
    assert "oi-pilot-2021 2021" in found["not_held"]  # the 2021 pilot's texts: a summary only


def test_search_names_the_versions_in_force_it_could_not_search():
    """wiir 2003 was in force 2004-01-01 to 2010-12-31, and its text is not held: finding nothing there is not
    the law's silence, and both the JSON and stderr say so."""
    done = run("search", "工伤", "--instrument", "wiir", "--as-of", "2010-06-01", "--format", "json")
    assert done.code == 1 and "not searched, as their text is not held: wiir 2003" in done.err
    assert json.loads(done.out) == api.search(query="工伤", instrument="wiir", as_of="2010-06-01") == {
        "query": "工伤", "hits": [], "not_held": ["wiir 2003"], "drafts_not_held": []}


def test_search_of_every_version_still_names_the_versions_whose_text_is_not_held():
    """``--all-versions`` searches every version held, but the summary-only ones (hukou-2025, the very notice on
    户籍; wiir 2003, sicr 1999, whose texts are not held) are still not searched: the JSON and stderr say so, as a
    search of one day does, and the draft stays apart."""
    done = run("search", "户籍", "--all-versions", "--format", "json")
    assert done.code == 0, done.err
    found = api.search(query="户籍", all_versions=True)
    assert json.loads(done.out) == found
    assert {"hukou-2025 2025", "wiir 2003", "sicr 1999"} <= set(found["not_held"])
    assert found["drafts_not_held"] == ["msl-draft-2025 2025"]
    assert "not searched, as their text is not held: hukou-2025 2025" in done.err and "--all-versions" in done.err
    assert "msl-draft-2025 2025 (a draft, with no legal force" in done.err


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "table"])
def test_a_search_with_hits_in_other_instruments_still_names_those_it_could_not_search(fmt):
    """On 2010-01-01 the work-injury regulation (2003) and the contribution regulation (1999) were in force, their
    texts not held: hits in the Labour Law must not hide that the 工伤 of those two was never searched."""
    done = run("search", "工伤", "--as-of", "2010-01-01", "--format", fmt)
    assert done.code == 0 and done.out
    assert "not searched, as their text is not held: sicr 1999, wiir 2003" in done.err


def test_sil10_para2_flexible_worker_may_join_employee_pension_through_the_api():
    result = api.check(category="flexible", as_of=_dt.date(2026, 6, 1))
    pension = next(s for s in result["schemes"] if s["scheme"] == "employee-pension")
    assert pension["status"] == "voluntary" and pension["payers"] == ["individual"]
    assert {"instrument": "sil", "version": "2018", "article": "10", "paragraph": 2}.items() <= \
        pension["citations"][0].items()
    assert result["as_of"] == "2026-06-01"


def test_api_results_are_plain_json_values():
    def plain(value) -> bool:
        if isinstance(value, dict):
            return all(isinstance(k, str) and plain(v) for k, v in value.items())
        if isinstance(value, list):
            return all(plain(v) for v in value)
        return value is None or isinstance(value, (str, int, float, bool))

    assert plain(api.timeline(start="2020-01-01", end="2026-01-01", category="flexible"))
    assert plain(api.retirement(sex="male", birth="1970-05", as_of="2026-06-01"))


ERRORS = [
    ("check", dict(category="employe", as_of="2026-06-01"), InputError, "category", "employe",
     ["check", "--category", "employe", "--as-of", "2026-06-01"]),
    ("check", dict(as_of="2026-06-01"), InputError, "category", None, ["check", "--as-of", "2026-06-01"]),
    ("check", dict(category="platform", as_of="2026-06-01"), InputError, "relation", None,
     ["check", "--category", "platform", "--as-of", "2026-06-01"]),
    ("retirement", dict(sex="female", birth="1990-13"), InputError, "birth", "1990-13",
     ["retirement", "--sex", "female", "--birth", "1990-13"]),
    ("compare", dict(category=["employee"], relation="civil"), InputError, "relation", "civil",
     ["compare", "--category", "employee", "--relation", "civil"]),
    ("timeline", dict(start="2026-01-01", end="2020-01-01", category="flexible"), InputError, "end", "2020-01-01",
     ["timeline", "--from", "2026-01-01", "--to", "2020-01-01", "--category", "flexible"]),
    ("inequities", dict(scheme="pensions"), InputError, "scheme", "pensions", ["inequities", "--scheme", "pensions"]),
    ("show", dict(instrument="sil", article="999"), NotInForceError, "article", "999", ["show", "sil", "999"]),
    ("show", dict(instrument="sil", article="10", as_of="2005-01-01"), NotInForceError, None, None,
     ["show", "sil", "10", "--as-of", "2005-01-01"]),
    ("search", dict(query=" "), InputError, "query", " ", ["search", " "]),
    ("diff", dict(instrument="sil", before="2010", after="1999"), InputError, None, "1999",
     ["diff", "sil", "2010", "1999"]),
]


@pytest.mark.parametrize("name,kwargs,kind,field,value,argv", ERRORS, ids=[f"{e[0]}-{i}" for i, e in enumerate(ERRORS)])
def test_api_raises_the_error_the_command_reports(name, kwargs, kind, field, value, argv):
    with pytest.raises(kind) as raised:
        getattr(api, name)(**kwargs)
    err = raised.value
    if field is not None:
        assert err.field == field
    if value is not None:
        assert err.value == value
    assert err.allowed
    done = run(*argv, "--format", "json")
    assert done.code == 2 and done.out == ""
    # the API names its arguments (relation, end, version); the command, its options (--relation, --to, --version)
    assert "--" not in str(err)
    field_said, allowed_said = getattr(err, "option_words", (err.field, err.allowed))
    as_said = type(err)(field_said, err.value, allowed_said)
    said = as_said.describe("--" + field_said.replace("_", "-")) if err.value is None else str(as_said)
    assert done.err == f"socins: error: {said}\n"


@pytest.mark.parametrize("name,kwargs,field", [
    ("search", dict(query=123), "query"),
    ("search", dict(query="灵活", instrument=5), "instrument"),
    ("cite", dict(citation=123), "citation"),
    ("show", dict(instrument=["sil"], article="10"), "instrument"),
    ("diff", dict(instrument=1, before="2010", after="2018"), "instrument"),
])
def test_an_argument_that_is_not_text_is_an_input_error_naming_it(name, kwargs, field):
    with pytest.raises(InputError) as raised:
        getattr(api, name)(**kwargs)
    assert raised.value.field == field and raised.value.allowed.startswith("expected text")


def test_a_folder_that_is_no_statutes_folder_is_a_data_error(tmp_path):
    """An existing folder without the law is broken data, named as socins validate names it (not by a rules file
    it lacks); a folder that does not exist is bad input (below)."""
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataError) as raised:
        api.list_instruments(statutes=tmp_path / "empty")
    assert raised.value.key == "path" and raised.value.exit_code == 3
    assert "instrument files (*.toml) at its top level; none found" in str(raised.value)


def test_statutes_that_fail_validation_are_a_data_error_too(tmp_path):
    """The README: broken statutes data raises a DataError (exit 3), a rule citing an article no version has included."""
    from cli_helpers import copy_statutes

    folder = copy_statutes(tmp_path)
    rules = folder / "rules" / "eligibility.toml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(text.replace('cite = ["sil:10:3"]', 'cite = ["sil:999:1"]', 1), encoding="utf-8")
    with pytest.raises(DataError) as raised:
        api.show(instrument="sil", article="10", statutes=str(folder))
    assert raised.value.exit_code == 3 and "sil:999" in str(raised.value)


def test_an_unreadable_reform_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError):
        api.check(category="employee", as_of="2026-06-01", reform=str(tmp_path / "none.toml"))


def test_the_api_imports_no_command_line_no_sdk_and_no_arrow():
    import subprocess
    import sys

    code = ("import sys; from socins_cli import api; api.check(category='employee', as_of='2026-06-01'); "
            "api.show(instrument='sil', article='10'); "
            "print(sorted(m for m in ('typer', 'rich', 'click', 'mcp', 'pyarrow') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("article", [None, "", " "])
def test_history_without_an_article_says_it_is_required_never_none(article):
    with pytest.raises(InputError) as caught:
        api.history(instrument="sil", article=article)
    assert caught.value.field == "article"
    # as the command says of an empty argument (socins show sil ""): empty, not missing
    assert str(caught.value).startswith("article is required" if article is None else f'article "{article}": is empty')
    assert "None" not in str(caught.value)


def test_a_paragraph_given_as_text_is_read_or_refused_not_a_crash():
    assert api.show(instrument="sil", article="10", paragraph="2")["paragraph"] == 2
    with pytest.raises(InputError) as raised:
        api.show(instrument="sil", article="10", paragraph="x")
    assert raised.value.field == "paragraph"


def test_a_birth_given_as_a_date_is_read_as_its_month_as_a_parquet_date_is():
    """The README: dates may be ``datetime.date``; a birth is a month (the day does not move a retirement month)."""
    by_date = api.retirement(sex="male", birth=_dt.date(1970, 5, 17), as_of="2026-06-01")
    assert by_date == api.retirement(sex="male", birth="1970-05", as_of="2026-06-01")
    assert api.check(category="employee", sex="male", birth=_dt.date(1950, 1, 31),
                     as_of=_dt.date(2026, 6, 1))["person"]["birth"] == "1950-01"
    assert api.compare(category=["employee", "flexible"], sex="female", birth=_dt.date(1975, 3, 9), as_of="2026-06-01") \
        == api.compare(category=["employee", "flexible"], sex="female", birth="1975-03", as_of="2026-06-01")


def test_employers_beyond_any_count_is_bad_input_in_every_face(tmp_path):
    """2**64 employers had passed validation and crashed on writing the answer (a traceback, exit 1)."""
    huge = str(2**64)
    r = run("check", "--category", "employee", "--employers", huge, "--as-of", "2026-06-01")
    assert r.code == 2 and r.err.count("\n") == 1 and "Traceback" not in r.err
    assert r.err.startswith(f'socins: error: employers "{huge}": expected a whole number of employers, 0 to ')
    with pytest.raises(InputError) as err:
        api.check(category="employee", employers=2**64, as_of="2026-06-01")
    assert err.value.field == "employers"
    rows = tmp_path / "rows.csv"
    rows.write_text(f"category,employers,as_of\nemployee,{huge},2026-06-01\nemployee,1,2026-06-01\n", encoding="utf-8")
    r = run("check", "--input", str(rows), "--format", "jsonl", "-q")
    records = [json.loads(line) for line in r.out.splitlines()]
    assert r.code == 2 and len(records) == 2
    assert records[0]["error"]["field"] == "employers" and "schemes" in records[1]


@pytest.mark.parametrize("call", [
    lambda: api.check(category="employee", reform=5),
    lambda: api.check(category="employee", reform=[5]),
    lambda: api.compare(category=5),
    lambda: api.show(instrument="sil", article={"a": 1}),
    lambda: api.show(instrument="sil", article=""),
    lambda: api.history(instrument="sil", article=["10"]),
    lambda: api.diff(instrument="sil", before=None, after="2018"),
], ids=["reform-int", "reform-list-of-int", "compare-category-int", "show-article-dict", "show-article-empty",
        "history-article-list", "diff-before-none"])
def test_arguments_of_the_wrong_kind_are_input_errors_naming_them(call):
    """A wrong-typed argument had raised a bare TypeError, or been looked up as its Python repr ("{'a': 1}")."""
    with pytest.raises(InputError) as err:
        call()
    assert err.value.field in ("reform", "category", "article", "before") and "\n" not in str(err.value)
    assert "None" not in str(err.value) and "{'" not in str(err.value)


def test_diff_takes_a_datetime_as_its_day():
    assert api.diff(instrument="sil", before=_dt.datetime(2012, 1, 1), after="2018") == \
        api.diff(instrument="sil", before="2012-01-01", after="2018")


def test_a_statutes_folder_that_does_not_exist_is_bad_input_as_on_the_command_line(tmp_path):
    missing = tmp_path / "no-such-folder"
    r = run("show", "sil", "10", "--statutes", str(missing))
    assert r.code == 2
    with pytest.raises(InputError) as err:
        api.show(instrument="sil", article="10", statutes=missing)
    assert err.value.field == "statutes" and "expected an existing statutes folder" in str(err.value)


@pytest.mark.parametrize("name,kwargs,argv", [
    ("cite", dict(citation="社会保险法第十条\n第十二条"), ["cite", "社会保险法第十条\n第十二条"]),
    ("check", dict(category="employee\x01\t"), ["check", "--category", "employee\x01\t"]),
    ("history", dict(instrument="sil", article="1\r0"), ["history", "sil", "1\r0"]),
], ids=["newline", "control", "return"])
def test_an_error_message_is_the_one_line_the_command_prints(name, kwargs, argv):
    """A line break or control character in the input had come back raw in the message, which then spanned lines;
    the command escapes them. The value itself is kept as given."""
    with pytest.raises(InputError) as raised:
        getattr(api, name)(**kwargs)
    done = run(*argv)
    assert done.code == 2 and done.err.count("\n") == 1
    assert done.err == f"socins: error: {raised.value}\n"
    assert raised.value.value == list(kwargs.values())[-1]


def test_reforms_lists_every_shipped_overlay_with_its_title_source_and_date():
    """The overlays' ids had been reachable only as an MCP enum: no title, source or date."""
    listed = api.reforms()
    assert listed["note"] == "proposals, not law"
    gao = next(r for r in listed["reforms"] if r["id"] == "gao-platform-workers-as-employees")
    assert gao["effective"] == "2028-01-01" and gao["source"]["paper"] == "gao-ai-era" and gao["title"]
    with pytest.raises(InputError) as raised:
        api.reforms(as_of="2030-13-01")  # a bad date is refused with or without effect, as the command refuses it
    assert raised.value.field == "as_of"


def test_validate_reports_a_broken_folder_as_the_command_prints_it_and_raises_nothing(tmp_path):
    """The command prints its verdict as JSON and exits 3; the API returns that verdict (as search returns no hits)."""
    from cli_helpers import copy_statutes

    folder = copy_statutes(tmp_path)
    rules = folder / "rules" / "eligibility.toml"
    rules.write_text(rules.read_text(encoding="utf-8").replace('cite = ["sil:10:3"]', 'cite = ["sil:999:1"]', 1),
                     encoding="utf-8")
    done = run("validate", str(folder), "--format", "json")
    assert done.code == 3
    found = api.validate(statutes=folder)
    assert found == json.loads(done.out) and found["ok"] is False and found["problems"]
    assert any("sil:999" in line for line in found["problems"])
    missing = tmp_path / "no-such-folder"  # not a folder at all: bad input (exit 2), as --statutes is
    assert run("validate", str(missing), "--format", "json").code == 2
    with pytest.raises(InputError, match="expected an existing statutes folder"):
        api.validate(statutes=missing)


def test_validate_of_a_loaded_law_checks_the_folder_it_was_loaded_from():
    assert api.validate(law=api.load()) == api.validate() == {**api.validate(), "ok": True, "problems": []}


MEMO = REPO / "examples" / "citations-memo.md"


def test_cite_checks_a_memo_file_or_text_as_cite_file_does():
    """The check to run before filing (cite --file --since) had no API: a program could only resolve one citation."""
    argv = ["cite", "--file", str(MEMO), "--since", "2015-01-01", "--as-of", "2026-06-01", "--format", "json"]
    done = run(*argv)
    assert done.code == 1  # one citation of the memo does not resolve
    from_file = api.cite(file=MEMO, since="2015-01-01", as_of="2026-06-01")
    assert from_file == json.loads(done.out)
    assert from_file["summary"]["unresolved"] == 1 and from_file["citations"][0]["line"] == 3
    piped = run("cite", "--file", "-", "--since", "2015-01-01", "--as-of", "2026-06-01", "--format", "json",
                stdin=MEMO.read_text(encoding="utf-8"))
    from_text = api.cite(memo=MEMO.read_text(encoding="utf-8"), since=_dt.date(2015, 1, 1), as_of="2026-06-01")
    assert from_text == {**json.loads(piped.out), "file": None}  # no file was read: the text was given
    assert api.cite(file=str(MEMO), as_of="2026-06-01")["since"] is None


@pytest.mark.parametrize("kwargs,field", [
    (dict(), "citation"),
    (dict(citation="社会保险法第十条", memo="社会保险法第十条"), "citation"),
    (dict(memo="社会保险法第十条", file=str(MEMO)), "file"),
    (dict(citation="社会保险法第十条", since="2015-01-01"), "since"),
    (dict(memo=5), "memo"),
    (dict(memo="x", since="2015-13-01"), "since"),
])
def test_cite_takes_one_citation_or_one_memo(kwargs, field):
    with pytest.raises(InputError) as raised:
        api.cite(**kwargs)
    assert raised.value.field == field and "None" not in str(raised.value)


def test_a_memo_file_that_cannot_be_read_is_an_input_error(tmp_path):
    with pytest.raises(InputError) as raised:
        api.cite(file=tmp_path / "none.md")
    assert raised.value.field == "file" and "cannot be read" in str(raised.value)


@pytest.mark.parametrize("call, says", [
    (lambda: api.check(category="platform", as_of="2026-06-01"), "needs relation labor|incomplete|civil"),
    (lambda: api.timeline(start="2026-01-01", end="2020-01-01", category="flexible"),
     'end "2020-01-01": must not be before start 2026-01-01'),
    (lambda: api.diff(instrument="sil", before="2010", after="2099"), 'after "2099"'),
    (lambda: api.show(instrument="sil", article="10", version="2010", as_of="2020-01-01"),
     "give either version or as_of, not both"),
    (lambda: api.cite(citation="社会保险法第十条至第十二条"), "check them all with: cite(memo='社会保险法第十条至第十二条')"),
    (lambda: api.compare(category=[]), "give at least one category (e.g. category [employee, flexible])"),
    (lambda: api.timeline(start="2000-01-01", end="2020-01-01", category="employee", birth="2021-01"),
     'birth "2021-01": must not be after end 2020-01-01'),
])
def test_api_errors_name_its_arguments_not_the_commands_options(call, says):
    """An API or MCP caller was told to give --relation, --from or --version, which it cannot (audit M3)."""
    with pytest.raises(InputError) as err:
        call()
    assert says in str(err.value) and "--" not in str(err.value)



def test_reforms_says_a_date_without_effect_changes_nothing():
    """The list names every shipped overlay whatever the date: ``--as-of`` alone had been accepted in silence."""
    assert api.reforms(as_of="2030-01-01") == api.reforms()
    r = run("reforms", "--as-of", "2030-01-01", "--format", "json")
    assert r.code == 0 and json.loads(r.out) == api.reforms()
    assert "socins: warning: --as-of 2030-01-01 changes nothing without --effect" in r.err
