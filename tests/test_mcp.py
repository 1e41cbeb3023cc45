"""``socins mcp`` driven by the MCP SDK's own client over real stdio: a subprocess, as an MCP client starts it."""

from __future__ import annotations

import json
import os
import sys

import pytest

from cli_helpers import REPO, run
from socins_cli import api

pytest.importorskip("mcp", reason="the MCP SDK is not installed: pip install 'socins[mcp]'")

import anyio  # noqa: E402  (the SDK's own dependency)
from mcp import Client  # noqa: E402
from mcp.client.stdio import StdioServerParameters  # noqa: E402

EIGHT = {"check", "retirement", "compare", "inequities", "timeline", "show", "search", "diff"}


def _session(body):
    """Run ``body(client)`` against a fresh ``python -m socins_cli mcp`` subprocess."""
    params = StdioServerParameters(command=sys.executable, args=["-m", "socins_cli", "mcp"], cwd=str(REPO),
                                   env={k: v for k, v in os.environ.items() if k.startswith(("SOCINS_", "PYTHON"))})

    async def main():
        with anyio.fail_after(60):
            async with Client(params) as client:
                return await body(client)

    return anyio.run(main)


def _cli_json(*argv) -> dict:
    done = run(*argv, "--format", "json")
    assert done.code == 0, done.err
    return json.loads(done.out)


def test_tools_cover_the_commands_and_their_schemas_name_the_attributes_and_their_ids():
    async def body(client):
        return (await client.list_tools()).tools

    tools = {t.name: t for t in _session(body)}
    assert EIGHT <= set(tools) and "list" in tools and "list_instruments" not in tools  # named after the command
    check = tools["check"].input_schema
    assert check["required"] == ["category"]
    assert {"category", "relation", "sex", "birth", "female_track", "province", "industry", "platform", "employers",
            "as_of"} <= set(check["properties"])
    assert "flexible" in check["properties"]["category"]["examples"] and "灵活就业人员" in \
        check["properties"]["category"]["description"]
    assert "work-injury" in tools["inequities"].input_schema["properties"]["scheme"]["enum"]  # ids only: an enum
    assert "sil" in tools["show"].input_schema["properties"]["instrument"]["examples"]
    assert tools["compare"].input_schema["properties"]["category"]["items"]["examples"][-1] == "platform:civil"
    assert "query" in tools["search"].input_schema["required"]


def test_check_equals_the_commands_json_and_a_bad_category_leaves_the_server_answering():
    argv = dict(category="platform", relation="incomplete", province="guangdong", industry="food-delivery",
                platform="美团", as_of="2026-06-01")

    async def body(client):
        good = await client.call_tool("check", argv)
        bad = await client.call_tool("check", {"category": "employe", "as_of": "2026-06-01"})
        after = await client.call_tool("retirement", {"sex": "female", "birth": "1975-03", "category": "flexible",
                                                      "as_of": "2026-06-01"})
        return good, bad, after

    good, bad, after = _session(body)
    assert not good.is_error
    expected = _cli_json("check", "--category", "platform", "--relation", "incomplete", "--province", "guangdong",
                         "--industry", "food-delivery", "--platform", "美团", "--as-of", "2026-06-01")
    assert good.structured_content == expected
    assert json.loads(good.content[0].text) == expected
    assert bad.is_error
    assert bad.content[0].text == 'category "employe": expected one of ' \
        "employee|civil-servant|self-employed|part-time|flexible|platform|resident"
    done = run("check", "--category", "employe", "--as-of", "2026-06-01")
    assert done.err == f"socins: error: {bad.content[0].text}\n"
    assert not after.is_error
    assert after.structured_content == _cli_json("retirement", "--sex", "female", "--birth", "1975-03",
                                                 "--category", "flexible", "--as-of", "2026-06-01")


def test_sil10_show_carries_the_articles_text_and_the_text_tools_equal_the_commands():
    async def body(client):
        return [await client.call_tool(name, args) for name, args in (
            ("show", {"instrument": "sil", "article": "10", "as_of": "2026-06-01"}),
            ("search", {"query": "灵活就业人员", "instrument": "sil", "as_of": "2026-06-01"}),
            ("diff", {"instrument": "sil", "before": "2010", "after": "2018", "substantive": True}),
            ("compare", {"category": ["employee", "flexible"], "as_of": "2026-06-01"}),
            ("show", {"instrument": "sil", "article": "10", "as_of": "2005-01-01"}),
        )]

    show, search, diff, compare, too_early = _session(body)
    assert show.structured_content["text"].startswith("第十条 职工应当参加基本养老保险")
    assert "其他灵活就业人员可以参加基本养老保险" in show.structured_content["text"]
    assert show.structured_content == _cli_json("show", "sil", "10", "--as-of", "2026-06-01")
    assert search.structured_content == _cli_json("search", "灵活就业人员", "--instrument", "sil", "--as-of",
                                                  "2026-06-01")
    assert diff.structured_content == _cli_json("diff", "sil", "2010", "2018", "--substantive")
    assert compare.structured_content == _cli_json("compare", "--category", "employee", "--category", "flexible",
                                                   "--as-of", "2026-06-01")
    assert too_early.is_error and too_early.content[0].text.startswith("as_of")


def test_arguments_not_text_or_null_are_the_commands_error_lines_and_the_server_goes_on():
    async def body(client):
        return [await client.call_tool(name, args) for name, args in (
            ("search", {"query": 123}),
            ("cite", {"citation": 123}),
            ("show", {"instrument": 5, "article": "10"}),
            ("history", {"instrument": "sil", "article": None}),
            ("show", {"instrument": "sil", "article": "10", "as_of": "2026-06-01"}),
        )]

    query, citation, instrument, article, after = _session(body)
    assert query.is_error and query.content[0].text == "query 123: expected text: the text to find"
    assert citation.is_error and citation.content[0].text.startswith("citation 123: expected text")
    assert instrument.is_error and instrument.content[0].text.startswith("instrument 5: expected text")
    assert article.is_error and article.content[0].text.startswith('argument "article": is required')
    assert not after.is_error


def test_an_argument_the_tool_does_not_take_or_a_boolean_that_is_not_one_is_an_error_not_ignored():
    """A misspelled as_of (asOf) had been dropped, and the answer given for today."""
    async def body(client):
        return [await client.call_tool(name, args) for name, args in (
            ("check", {"category": "employee", "asOf": "2012-01-01"}),
            ("check", {"category": "employee", "explain": "maybe"}),
            ("check", {"category": "employee", "explain": True, "as_of": "2012-01-01"}),
        )]

    misspelled, maybe, fine = _session(body)
    assert misspelled.is_error and misspelled.content[0].text.startswith('argument "asOf": tool check takes category,')
    assert "\n" not in misspelled.content[0].text and "as_of" in misspelled.content[0].text
    assert maybe.is_error and maybe.content[0].text == 'argument explain "maybe": expected true or false'
    assert not fine.is_error and fine.structured_content["as_of"] == "2012-01-01"


def test_a_required_argument_left_out_is_the_commands_one_line_not_a_validation_report():
    async def body(client):
        return [await client.call_tool(name, args) for name, args in (("check", {}), ("show", {"article": "10"}))]

    check, show = _session(body)
    assert check.is_error and check.content[0].text.startswith('argument "category": is required; Worker category')
    assert show.is_error and show.content[0].text.startswith('argument "instrument": is required')
    assert "\n" not in check.content[0].text + show.content[0].text


def test_a_number_or_boolean_of_the_wrong_kind_is_an_error_result_not_a_crash():
    """show's paragraph "2" had crashed the tool (a traceback on the server's stderr); 1 passed for true."""
    async def body(client):
        return [await client.call_tool(name, args) for name, args in (
            ("show", {"instrument": "sil", "article": "10", "paragraph": "2"}),
            ("check", {"category": "employee", "explain": 1}),
            ("show", {"instrument": "sil", "article": "10", "paragraph": 2}),
        )]

    text, one, fine = _session(body)
    assert text.is_error and text.content[0].text == 'argument paragraph "2": expected a whole number'
    assert one.is_error and one.content[0].text == "argument explain 1: expected true or false"
    assert not fine.is_error


def test_the_tools_take_reform_overlays_as_the_api_does():
    async def body(client):
        tools = {t.name: t for t in (await client.list_tools()).tools}
        answer = await client.call_tool("retirement", {"sex": "female", "birth": "1980-05", "category": "flexible",
                                                       "as_of": "2030-06-01",
                                                       "reform": ["han-retirement-age-women-flexible-workers"]})
        return tools, answer

    tools, answer = _session(body)
    for name in ("check", "retirement", "compare", "inequities", "timeline"):
        assert "han-retirement-age-women-flexible-workers" in \
            tools[name].input_schema["properties"]["reform"]["items"]["enum"], name
    assert not answer.is_error
    assert answer.structured_content == _cli_json("retirement", "--sex", "female", "--birth", "1980-05", "--category",
                                                  "flexible", "--as-of", "2030-06-01", "--reform",
                                                  "han-retirement-age-women-flexible-workers")


def test_resources_list_the_instruments_and_every_article():
    async def body(client):
        listed = (await client.list_resources()).resources
        article = await client.read_resource("socins://sil/2010/10")
        instruments = await client.read_resource("socins://instruments")
        return listed, article, instruments

    listed, article, instruments = _session(body)
    uris = {str(r.uri) for r in listed}
    assert {"socins://instruments", "socins://sil/2018/10", "socins://sil/2010/64"} <= uris
    assert json.loads(article.contents[0].text) == _cli_json("show", "sil", "10", "--version", "2010")
    assert json.loads(instruments.contents[0].text) == _cli_json("list")


def test_nothing_but_protocol_on_stdout():
    """A request line in, only JSON-RPC lines out (a stray print would break every client)."""
    init = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                       "clientInfo": {"name": "test", "version": "0"}}}
    done = run("mcp", stdin=json.dumps(init) + "\n")
    lines = [line for line in done.out.splitlines() if line.strip()]
    assert lines, done.err
    for line in lines:
        assert json.loads(line)["jsonrpc"] == "2.0"


def test_without_the_sdk_socins_mcp_says_how_to_install_it(tmp_path):
    fake = tmp_path / "mcp"
    fake.mkdir()
    (fake / "__init__.py").write_text("raise ImportError('no SDK here')\n")
    done = run("mcp", stdin="", env={"PYTHONPATH": str(tmp_path)})
    assert done.code == 2 and done.out == ""
    assert done.err == "socins: error: command \"mcp\": needs the Model Context Protocol SDK: " \
                       "pip install 'socins[mcp]' (from a clone: pip install '.[mcp]')\n"


def test_reform_over_mcp_takes_only_shipped_ids_and_reads_no_file_a_client_names(tmp_path):
    """An overlay the API takes may be a path: over MCP a client could make the server read any file and send back
    its first key in the error."""
    secret = tmp_path / "secret.toml"
    secret.write_text('secret = "hunter2"\n', encoding="utf-8")

    async def body(client):
        return [await client.call_tool("check", {"category": "employee", "reform": value})
                for value in ([str(secret)], 5, [5], ["han-retirement-age-women-flexible-workers"])]

    path, number, numbers, shipped = _session(body)
    assert path.is_error and "hunter2" not in path.content[0].text
    assert path.content[0].text.startswith(f'argument reform ["{secret}"]: expected ids of shipped overlays (')
    assert number.is_error and number.content[0].text == "argument reform 5: expected a list of strings"
    assert numbers.is_error and numbers.content[0].text == "argument reform [5]: expected a list of strings"
    assert not shipped.is_error


def test_an_error_result_is_the_one_line_the_command_prints_with_line_breaks_escaped():
    """A line break in a citation, or in an argument's name, had come back raw, so the error text spanned two lines."""
    async def body(client):
        return (await client.call_tool("cite", {"citation": "社会保险法第十条\n第十二条"}),
                await client.call_tool("check", {"category": "employee", "as\nof": "2026-06-01"}))

    answer, misnamed = _session(body)
    assert misnamed.is_error and misnamed.content[0].text.startswith('argument "as\\nof": tool check takes category,')
    done = run("cite", "社会保险法第十条\n第十二条")
    assert answer.is_error and "\n" not in answer.content[0].text
    assert done.code == 2 and done.err == f"socins: error: {answer.content[0].text}\n"


def test_reforms_lists_the_overlays_the_reform_argument_takes_and_their_effect_as_the_api_does():
    async def body(client):
        tools = {t.name: t for t in (await client.list_tools()).tools}
        return tools, [await client.call_tool("reforms", args) for args in ({}, {"effect": True,
                                                                              "as_of": "2026-06-01"})]

    tools, (listed, effect) = _session(body)
    assert not listed.is_error and listed.structured_content == api.reforms()
    assert [r["id"] for r in listed.structured_content["reforms"]] == \
        tools["check"].input_schema["properties"]["reform"]["items"]["enum"]
    assert not effect.is_error and effect.structured_content == api.reforms(effect=True, as_of="2026-06-01")
    assert json.loads(effect.content[0].text) == effect.structured_content


def test_validate_checks_the_statutes_the_server_answers_from_and_takes_no_path():
    """A client must not make the server read a folder it names: the tool takes no argument."""
    async def body(client):
        return [await client.call_tool("validate", args) for args in ({}, {"statutes": "/etc"})]

    verdict, path = _session(body)
    assert not verdict.is_error and verdict.structured_content == api.validate() == _cli_json("validate")
    assert path.is_error and path.content[0].text == 'argument "statutes": tool validate takes no arguments'


def test_cite_checks_a_memo_given_as_text_and_reads_no_file_a_client_names():
    memo = (REPO / "examples" / "citations-memo.md").read_text(encoding="utf-8")

    async def body(client):
        return [await client.call_tool("cite", args) for args in (
            {"memo": memo, "since": "2015-01-01", "as_of": "2026-06-01"},
            {"file": str(REPO / "examples" / "citations-memo.md")},
        )]

    checked, file = _session(body)
    assert not checked.is_error
    assert checked.structured_content == api.cite(memo=memo, since="2015-01-01", as_of="2026-06-01")
    assert checked.structured_content["summary"]["citations"] == len(checked.structured_content["citations"]) > 1
    assert file.is_error and file.content[0].text.startswith('argument "file": tool cite takes citation, ')


#: Calls the tools answer, with values their descriptions promise: Chinese names, a platform relation in a
#: category spec, an optional argument sent as null.
ACCEPTED = [
    ("check", {"category": "灵活就业人员", "province": "广东", "as_of": "2026-06-01", "relation": None, "explain": None,
               "reform": None}),
    ("check", {"category": "platform", "relation": "劳动关系", "industry": "外卖", "sex": "男", "birth": "1970-01",
               "province": "粤", "as_of": "2026-06-01"}),
    ("inequities", {"category": "platform:incomplete", "as_of": "2026-06-01", "scheme": None}),
    ("compare", {"category": ["职工", "灵活就业人员"], "as_of": "2026-06-01", "employers": None}),
    ("show", {"instrument": "社会保险法", "article": "10", "version": None, "paragraph": None}),
    ("search", {"query": "灵活就业人员", "instrument": None, "all_versions": None}),
    ("retirement", {"sex": "female", "birth": "1975-3", "category": "灵活就业人员", "as_of": "2026-06-01"}),
]


def test_the_schemas_admit_every_value_the_tools_answer_and_reform_stays_closed():
    """A client that validates arguments against the schema (many do) could not send 广东 or platform:incomplete,
    nor null for an optional argument, though the server answers them."""
    import jsonschema

    async def body(client):
        tools = {t.name: t.input_schema for t in (await client.list_tools()).tools}
        return tools, [await client.call_tool(name, args) for name, args in ACCEPTED]

    schemas, answers = _session(body)
    for (name, args), answer in zip(ACCEPTED, answers):
        jsonschema.validate(args, schemas[name])
        assert not answer.is_error, (name, answer.content[0].text)
    for name, schema in schemas.items():
        for prop, sub in schema["properties"].items():
            if prop not in schema.get("required", ()):
                jsonschema.validate(None, sub)  # left out, as its default says
    assert "flexible" in schemas["check"]["properties"]["category"]["examples"]
    assert "platform:civil" in schemas["inequities"]["properties"]["category"]["examples"]
    for bad in (["/etc/passwd"], ["reforms/gao-platform-workers-as-employees.toml"], "gao-national-pension"):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({"category": "employee", "reform": bad}, schemas["check"])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"category": None}, schemas["check"])  # required: null is not left out


def _piped(*messages) -> list[dict]:
    """``socins mcp < file``: the messages written at once and stdin closed, as a script sends them."""
    init = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                       "clientInfo": {"name": "test", "version": "0"}}}
    lines = [json.dumps(init), json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}),
             *(m if isinstance(m, str) else json.dumps(m, ensure_ascii=False) for m in messages)]
    done = run("mcp", stdin="\n".join(lines) + "\n")
    assert done.code == 0, done.err
    return [json.loads(line) for line in done.out.splitlines() if line.strip()]


def _call(request_id, name: str, **arguments) -> dict:
    return {"jsonrpc": "2.0", "id": request_id, "method": "tools/call",
            "params": {"name": name, "arguments": arguments}}


def test_requests_piped_before_stdin_ends_are_all_answered():
    """The SDK alone ended the session at stdin's end and dropped the tool calls still running (python-sdk #2678)."""
    out = _piped(_call(2, "show", instrument="sil", article="10"),
                 _call(3, "check", category="employee", birth="1980-01", sex="male", as_of="2026-06-01"),
                 _call("four", "retirement", sex="female", birth="1975-03", female_track="worker"))
    by_id = {m.get("id"): m for m in out}
    assert set(by_id) == {1, 2, 3, "four"}, out
    article = json.loads(by_id[2]["result"]["content"][0]["text"])
    assert article["article"] == "10" and article["instrument"] == "sil"
    checked = json.loads(by_id[3]["result"]["content"][0]["text"])
    assert {s["scheme"]: s["status"] for s in checked["schemes"]}["employee-pension"] == "mandatory"
    assert "retirement_month" in json.loads(by_id["four"]["result"]["content"][0]["text"])


def test_a_line_that_is_not_json_gets_the_parse_error_and_the_server_goes_on():
    out = _piped("garbage not json", _call(2, "show", instrument="sil", article="10"))
    parse_errors = [m for m in out if "error" in m and m["id"] is None]
    assert [m["error"]["code"] for m in parse_errors] == [-32700], out
    assert any(m.get("id") == 2 and "result" in m for m in out), out


def test_lines_the_sdk_would_drop_get_their_json_rpc_errors_and_repeated_ids_both_answers():
    """A request whose params are not an object, a batch, a number, a message with no method: each had had no
    answer (and held the server at stdin's end); two requests sharing an id both get theirs."""
    out = _piped({"jsonrpc": "2.0", "id": 9, "method": "tools/call", "params": "x"}, "[1, 2]", "42",
                 {"jsonrpc": "2.0", "id": 11},
                 _call(5, "show", instrument="sil", article="10"), _call(5, "show", instrument="sil", article="11"))
    errors = {(m["id"], m["error"]["code"]) for m in out if "error" in m}
    assert errors == {(9, -32602), (None, -32600), (11, -32600)}
    assert len([m for m in out if "error" in m and m["id"] is None]) == 2
    shown = [json.loads(m["result"]["content"][0]["text"])["article"] for m in out if m.get("id") == 5]
    assert sorted(shown) == ["10", "11"]


def test_a_request_without_jsonrpc_or_with_an_id_mcp_does_not_allow_gets_its_error_and_notifications_none():
    out = _piped({"jsonrpc": "2.0", "id": True, "method": "ping"}, {"id": 7, "method": "ping"},
                 {"jsonrpc": "2.0", "id": 1.5, "method": "ping"}, {"jsonrpc": "2.0", "method": 5},
                 {"jsonrpc": "2.0", "method": "notifications/x", "params": "bad"}, {"jsonrpc": "2.0", "id": 8, "method": "ping"})
    assert [(m["id"], m["error"]["code"]) for m in out if "error" in m] == [(None, -32600), (7, -32600), (None, -32600)]
    assert {"jsonrpc": "2.0", "id": 8, "result": {}} in out


def test_arguments_null_or_not_an_object_get_one_line_not_a_validation_report():
    """``"arguments": null`` had got the SDK's multi-line pydantic report (Field required … errors.pydantic.dev)."""
    replies = _piped({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "check", "arguments": None}},
                     {"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "check", "arguments": [1]}},
                     {"jsonrpc": "2.0", "id": 4, "method": "tools/call", "params": {"name": "list", "arguments": None}})
    by_id = {r.get("id"): r for r in replies}
    texts = [by_id[i]["result"]["content"][0]["text"] for i in (2, 3)]
    assert all(by_id[i]["result"]["isError"] for i in (2, 3)), replies
    assert texts[0].startswith('argument "category": is required') and texts[1].startswith("arguments [1]: expected an object")
    assert not any("\n" in t or "pydantic" in t for t in texts)
    listed = by_id[4]["result"]
    assert not listed.get("isError") and "instruments" in json.loads(listed["content"][0]["text"])
