"""``socins mcp``: the Python API (``socins_cli.api``) as a Model Context Protocol server over stdio.

Built on the official SDK (``mcp`` 2.x, extra ``socins[mcp]``), imported only
here, so no other command pays for it. Each tool is an API function under
its command's name; its arguments are the API's keyword arguments, and their
JSON schemas take their ids from the vocabulary the engines check against
(``person.CATEGORIES``, the vocabulary of ``statutes/corpus/vocabulary.toml``, the encoded instruments), so
the schema and the answers cannot drift apart. A result is the command's
JSON as structured content (and as text, for clients that read only text).
Bad input is an error result carrying the one line the command prints on
stderr, in the API's words (its arguments, not the command's options); the server goes on. Resources: ``socins://instruments`` (the list)
and every article, ``socins://{instrument}/{version}/{article}``.

A schema never forbids what the tool answers: where the engines take only
the ids (``scheme``, ``female_track``, ``reform``) they are an enum; where
they take the Chinese labels a command takes too (灵活就业人员, 广东, …) the ids
are ``examples``. An optional argument admits null, taken as left out.
"""

from __future__ import annotations

import collections
import inspect
import json
import threading
from typing import Annotated, Any

from socins_cli import api
from socins_cli.errors import InputError, SocinsError, one_line

INSTRUCTIONS = (
    "socins answers Chinese social-insurance law (社会保险法 and its implementing rules) from encoded "
    "statute text: which schemes a person must or may join on a date, who pays, under which articles, and "
    "whether the law settles it (settled: false marks an open question, explained in notes). Every answer "
    "cites instrument, version, article and paragraph; quote them with the show tool."
)


def _sdk():
    """The SDK's names, or one line saying how to install it."""
    try:
        from mcp.server.mcpserver import MCPServer
        from mcp.server.mcpserver.exceptions import ResourceNotFoundError
        from mcp.server.mcpserver.resources import FunctionResource
        from mcp.types import CallToolResult, TextContent
        from pydantic import WithJsonSchema
    except ImportError:
        raise InputError("command", "mcp", "needs the Model Context Protocol SDK: pip install 'socins[mcp]' (from a clone: pip install '.[mcp]')") from None
    return MCPServer, ResourceNotFoundError, FunctionResource, CallToolResult, TextContent, WithJsonSchema


def _labelled(ids, labels: dict) -> str:
    """``employee (职工), flexible (灵活就业人员), …``: each id with the first Chinese label the engines accept for it."""
    first: dict = {}
    for label, key in labels.items():
        if not label.isascii():
            first.setdefault(key, label)
    return ", ".join(f"{i} ({first[i]})" if i in first else i for i in ids)


def parameters(law) -> dict[str, dict]:
    """Every argument a tool may take: its JSON schema, enums from the engines' vocabulary."""
    from socins_cli import person
    from socins_cli.law import vocabulary

    def choice(ids, text: str) -> dict:
        return {"type": "string", "enum": list(ids), "description": text}

    def named(ids, text: str) -> dict:
        # the engines take the Chinese names too: the ids are examples, not an enum a validating client holds them to
        return {"type": "string", "examples": list(ids), "description": text}

    def text(description: str, **extra) -> dict:
        return {"type": "string", "description": description, **extra}

    specs = list(person.CATEGORIES) + [f"platform:{r}" for r in person.RELATIONS]
    words = vocabulary.of(law)
    schemes = ", ".join(f"{s} ({name})" for s, name in words.scheme_names.items())
    return {
        "category": named(person.CATEGORIES, "Worker category (社会保险法 wording), as its id or its Chinese term: "
                          + _labelled(person.CATEGORIES, person.CATEGORY_LABELS) + "."),
        "category_spec": named(specs, "Only findings concerning this worker category, as its id or its Chinese term; "
                               "a platform worker's relation may be given as platform:labor|incomplete|civil. "
                               + _labelled(person.CATEGORIES, person.CATEGORY_LABELS) + "."),
        "categories": {"type": "array", "minItems": 1, "items": {"type": "string", "examples": specs},
                       "description": "Categories to compare side by side, as ids or Chinese terms; a platform "
                                      "worker's relation may be given as platform:labor|incomplete|civil. "
                                      + _labelled(person.CATEGORIES, person.CATEGORY_LABELS) + "."},
        "relation": named(person.RELATIONS, "A platform worker's relation under the 2021 guidance "
                          "(新就业形态劳动者), as its id or its Chinese term: "
                          + _labelled(person.RELATIONS, person.RELATION_LABELS) + "."),
        "sex": named(person.SEXES, "male (男) or female (女)."),
        "birth": text("Birth month, YYYY-MM.", pattern=r"^\d{4}-\d{1,2}$"),
        "female_track": choice(person.FEMALE_TRACKS, "A woman in employment's original retirement age: "
                               "worker (女工人, 50) or cadre (女干部, 55)."),
        "province": named(person.PROVINCES, "Province (省级行政区) as its pinyin id; the Chinese name, "
                           "e.g. 广东, is accepted too. " + ", ".join(f"{p} ({n})" for p, n in person.PROVINCES.items())
                           + "."),
        "industry": named(person.INDUSTRIES, "A platform worker's industry, as its id or its Chinese term: "
                           + _labelled(person.INDUSTRIES, person.INDUSTRY_LABELS) + "."),
        "platform": text("The platform enterprise (平台企业), by its Chinese name, e.g. 美团."),
        "employers": {"type": "integer", "minimum": 0, "maximum": person.MOST_EMPLOYERS,
                      "description": "Number of employers (用人单位) the person works for."},
        "waiver": {"type": "boolean", "description": "The employee agreed with the employer to forgo social insurance "
                                                      "or to take cash instead (约定不缴纳社会保险费)."},
        "income": {"type": "number", "minimum": 0, "description": "Monthly income in yuan (月收入); read only by "
                                                                  "reform overlays that test it."},
        "as_of": text("The law in force on this date, YYYY-MM-DD (default: today).", format="date"),
        "start": text("First day of the span (--from), YYYY-MM-DD.", format="date"),
        "end": text("Last day of the span (--to), YYYY-MM-DD.", format="date"),
        "effect": {"type": "boolean", "description": "For each overlay, the inequity findings it removes, narrows or "
                                                      "leaves on as_of (slower: every finding is asked twice)."},
        "explain": {"type": "boolean", "description": "Add to each scheme the trace of every rule weighed."},
        "quote": {"type": "boolean", "description": "Add the text of every cited article (or fact)."},
        "scheme": choice(words.schemes + words.topics, "Only findings on this scheme or topic: "
                         + schemes + ", or " + ", ".join(words.topics) + "."),
        "instrument": named(sorted(law.instruments), "Instrument id (sil: 社会保险法), or its Chinese title or short "
                            "name; the list resource socins://instruments gives each one's title, versions and dates."),
        "article": text("Article number (第N条), e.g. 10; omitted: the instrument's overview."),
        "history_article": text("Article number (第N条), e.g. 64 or 第六十四条, read in the version in force on as_of."),
        "version": text("Version id, e.g. 2010 or 2018 (default: the version in force on as_of)."),
        "paragraph": {"type": "integer", "minimum": 1, "description": "Also single out this paragraph (款)."},
        "citation": text("A citation as written in Chinese: the instrument's title or short name, 第N条, 第N款, "
                         "第N项 (Chinese or Arabic numerals), e.g. 社会保险法第十条第二款."),
        "memo": text("The text of a memo (备忘录), brief or opinion: every citation of an encoded instrument in it is "
                     "checked, instead of one citation."),
        "since": text("With memo: also say what became of each cited provision since this date (renumbered, "
                      "changed, removed), YYYY-MM-DD.", format="date"),
        "query": text("Text to find; full- and half-width marks match each other."),
        "all_versions": {"type": "boolean", "description": "Search every version, in force or not."},
        "before": text("The earlier side: a version id (2010) or a date (2015-01-01)."),
        "after": text("The later side: a version id (2018) or a date (2020-01-01)."),
        "substantive": {"type": "boolean", "description": "Only changes beyond punctuation, whitespace and width."},
        "reform": {"type": "array", "items": {"type": "string", "enum": reform_ids()},
                   "description": "Reform overlays (proposals from the papers, not law) to apply in order, by id (the "
                                  "reforms tool lists them): the answer is then the law and the law as reformed side "
                                  "by side, with each difference."},
    }


def nullable(schema: dict) -> dict:
    """``schema`` admitting null too: an optional argument sent as null is taken as left out (its default)."""
    out = {**schema, "type": [schema["type"], "null"]}
    if "enum" in schema:  # an enum holds its own: null must be among its values to pass
        out["enum"] = [*schema["enum"], None]
    return out


def reform_ids() -> list[str]:
    """The shipped reform overlays' ids (``socins reforms``)."""
    from socins_cli.engines.reform import shipped

    return [raw.get("reform", {}).get("id", path.stem) for path, raw in shipped()]


PERSON = ("category", "relation", "sex", "birth", "female_track", "province", "industry", "platform", "employers",
          "income", "waiver", "as_of")

#: tool -> (API function, its arguments, what it answers). ``name!``: required; ``name=schema``: the argument
#: ``name`` with the schema of ``schema`` (compare's ``category`` is a list of specs).
TOOLS = {
    "check": ("check", ("category!",) + PERSON[1:] + ("explain", "quote", "reform"),
              "Which of the nine schemes a person must (应当参加) or may (可以参加) join on a date, who pays, "
              "the articles that say so, settled or not, and the inequity findings that concern them."),
    # sex and birth required, as the API refuses a call without them (and category for timeline): the schema says so
    "retirement": ("retirement", ("category", "relation", "sex!", "birth!") + PERSON[4:] + ("reform",),
                   "Statutory retirement age (法定退休年龄) and month under the 2024 reform (渐进式延迟法定退休年龄) "
                   "or before it, the flexible early/late window, minimum contribution years."),
    "compare": ("compare", ("category=categories!",) + PERSON[1:] + ("reform",),
                "Categories side by side, scheme by scheme, then retirement age and contribution rate; every "
                "difference flagged and linked to its inequity finding."),
    "inequities": ("inequities", ("as_of", "category=category_spec", "scheme", "quote", "income", "reform"),
                   "The findings of unequal treatment (不平等待遇) between worker categories and employees (职工) "
                   "that hold on a date, each with evidence on both sides."),
    "timeline": ("timeline", ("start!", "end!", "category!") + PERSON[1:-1] + ("reform",),
                 "How one person's schemes change between two dates, and on which day each change comes."),
    "reforms": ("reforms", ("effect", "as_of"),
                "The reform overlays shipped with socins (proposals from the papers, not law), the ids the reform "
                "argument takes: title, source, date, what each touches; with effect, the inequity findings each "
                "removes, narrows or leaves on as_of (read only with effect)."),
    "validate": ("validate", (),
                 "Checks the statutes folder the server answers from: schema, dates, citations, pinned text hashes; "
                 "ok, every problem, and how many instruments and articles it holds."),
    "show": ("show", ("instrument!", "article", "version", "as_of", "paragraph"),
             "An article (条) exactly as enacted, in a version or as in force on a date, with its paragraphs (款) "
             "and the days the version is in force."),
    "search": ("search", ("query!", "instrument", "as_of", "all_versions"),
               "Full-text search over the encoded instruments (the versions in force on as_of)."),
    "diff": ("diff", ("instrument!", "before!", "after!", "substantive"),
             "Article-level differences between two versions of an instrument, or the versions in force on two "
             "dates."),
    "history": ("history", ("instrument!", "article=history_article!", "as_of"),
                "One article (条) in every version of its instrument: the days each is in force, whether it changed "
                "and whether substantively, and the instrument that made each version where known; renumbering is "
                "followed."),
    "cite": ("cite", ("citation", "memo", "as_of", "since"),
             "A Chinese citation (引用), e.g. 社会保险法第十条第二款 or 《劳动合同法》第六十八条, resolved to the version "
             "in force on as_of and its text; an article or paragraph that version lacks is an error. Or, given "
             "memo instead, every citation in that text checked, each with its line and whether it resolves, and "
             "with since, whether what it cites changed since that day: a check to run before filing."),
    # Named after the command (``socins list``); the API function is ``list_instruments`` (``list`` is Python's).
    "list": ("list_instruments", ("as_of",),
             "The encoded instruments: versions, dates, completeness and confidence of the texts."),
}


def argument_problem(params, schemas: dict) -> str | None:
    """The one line a ``tools/call`` gets for arguments its tool does not take, leaves out or gives as the wrong kind.

    The SDK would drop an unknown argument silently (a misspelled ``asOf`` was
    answered for today), answer a missing one with its validation report, and
    pass a true/false or a number on unchecked.
    """
    if not isinstance(params, dict) or params.get("name") not in TOOLS:
        return None
    name, arguments = params["name"], params.get("arguments")
    if arguments is None:  # "arguments": null, as a client sends no arguments: none given, each required one named
        arguments = {}
    if not isinstance(arguments, dict):
        return f"arguments {json.dumps(arguments, ensure_ascii=False)[:200]}: expected an object of the tool's arguments"
    allowed = {arg: schema or arg for arg, _, schema in (spec.rstrip("!").partition("=") for spec in TOOLS[name][1])}
    for key, value in arguments.items():
        if key not in allowed:
            return f'argument "{key}": tool {name} takes {", ".join(allowed) or "no arguments"}'
        wanted = _value_problem(key, value, schemas[allowed[key]])
        if wanted is not None:
            return f"argument {key} {json.dumps(value, ensure_ascii=False)}: expected {wanted}"
    for spec in TOOLS[name][1]:
        arg = spec.rstrip("!").partition("=")[0]
        if spec.endswith("!") and arguments.get(arg) is None:
            return f'argument "{arg}": is required; {schemas[allowed[arg]].get("description", "")}'.rstrip("; ")
    return None


def _value_problem(key: str, value, schema: dict) -> str | None:
    """What the argument ``key`` should be, where ``value`` is not of its schema's kind or not among its ids."""
    wanted = _kind_problem(schema.get("type"), value, schema.get("items", {}).get("type"))
    if wanted is None and key in ONLY_LISTED and value is not None:
        unknown = [v for v in value if v not in schema["items"]["enum"]]
        wanted = f"ids of shipped overlays ({', '.join(schema['items']['enum'])})" if unknown else None
    return wanted


#: Arguments whose values must be among the schema's own: an overlay the API takes may be a file's path, which
#: a client of the server must not make it read (its first key would come back in the error).
ONLY_LISTED = frozenset({"reform"})

#: An array's items, as its expected value says them.
_ITEMS = {"string": "a list of strings", "integer": "a list of whole numbers", "number": "a list of numbers"}


def _kind_problem(kind: str | None, value, items: str | None = None) -> str | None:
    """What a value of the schema's type would be, where this one is not; an array's items are checked for their
    own type (a text, and what it says, is the API's to judge: its line names what the text should be)."""
    if value is None or kind not in ("boolean", "integer", "number", "array"):
        return None
    if kind == "array":
        fits = (lambda v: type(v) is str) if items == "string" else (lambda v: _kind_problem(items, v) is None)
        return None if type(value) is list and all(map(fits, value)) else _ITEMS.get(items, "a list")
    if kind == "boolean":
        return None if type(value) is bool else "true or false"
    if type(value) is int or (kind == "number" and type(value) is float):
        return None
    return "a whole number" if kind == "integer" else "a number"


def build_server(law=None, busy: list | None = None):
    """The MCP server: one tool per entry of ``TOOLS``, and the resources; ``busy[0]`` counts the requests it is
    answering (``serve`` waits for them at the end of stdin)."""
    MCPServer, ResourceNotFoundError, FunctionResource, CallToolResult, TextContent, WithJsonSchema = _sdk()
    from socins_cli import __version__
    from socins_cli.formats import dumps_json

    law = api.load(law=law)
    schemas = parameters(law)
    server = MCPServer("socins", instructions=INSTRUCTIONS, version=__version__, log_level="WARNING")

    async def strict_arguments(ctx, call_next):
        if ctx.method != "tools/call":
            return await call_next(ctx)
        problem = argument_problem(ctx.params, schemas)
        if problem is not None:  # an argument's name is the client's text: one line, as every error is
            return CallToolResult(content=[TextContent(type="text", text=one_line(problem))], is_error=True)
        return await call_next(ctx)

    server.middleware.append(strict_arguments)
    if busy is not None:
        async def counted(ctx, call_next):
            busy[0] += 1
            try:
                return await call_next(ctx)
            finally:
                busy[0] -= 1

        server.middleware.insert(0, counted)
    one_at_a_time = threading.Lock()  # the SDK runs each call on a thread; the engines' caches are not shared safely

    def answer(function, arguments: dict, required: frozenset):
        # An argument given as null is left out, so the API's default applies; a required one is passed on,
        # so the API says it is required, in the line the command prints.
        try:
            with one_at_a_time:
                result = function(**{k: v for k, v in arguments.items() if v is not None or k in required}, law=law)
        except SocinsError as err:
            return CallToolResult(content=[TextContent(type="text", text=str(err))], is_error=True)
        return CallToolResult(content=[TextContent(type="text", text=dumps_json(result, pretty=False).decode())],
                              structured_content=result)

    for name, (function_name, names, description) in TOOLS.items():
        function = getattr(api, function_name)
        params = []
        for spec in names:
            arg, _, schema = spec.rstrip("!").partition("=")
            required_here = spec.endswith("!")
            shown = schemas[schema or arg] if required_here else nullable(schemas[schema or arg])
            kind = Annotated[Any, WithJsonSchema(shown)]
            default = inspect.Parameter.empty if required_here else None
            params.append(inspect.Parameter(arg, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=kind))

        required = frozenset(spec.rstrip("!").partition("=")[0] for spec in names if spec.endswith("!"))

        def tool(_function=function, _required=required, **arguments):
            return answer(_function, arguments, _required)

        tool.__signature__ = inspect.Signature(params, return_annotation=CallToolResult)
        tool.__name__ = name
        server.add_tool(tool, name=name, description=description)

    def article_json(instrument: str, version: str, article: str) -> str:
        try:
            with one_at_a_time:
                found = api.show(instrument=instrument, article=article, version=version, law=law)
        except SocinsError as err:
            raise ResourceNotFoundError(str(err)) from None
        return dumps_json(found, pretty=False).decode()

    server.resource("socins://instruments", name="instruments", mime_type="application/json",
                    description="The encoded instruments, one row per version (socins list).")(
        lambda: dumps_json(api.list_instruments(law=law), pretty=False).decode())
    server.resource("socins://{instrument}/{version}/{article}", name="article", mime_type="application/json",
                    description="An article exactly as enacted in one version (socins show I A --version V).")(
        article_json)
    for inst_id in sorted(law.instruments):
        inst = law.instruments[inst_id]
        for v in inst.versions:
            for art in v.articles:
                uri = f"socins://{inst_id}/{v.id}/{art.number}"
                server.add_resource(FunctionResource(
                    uri=uri, name=f"{inst_id} {v.id} {art.label or art.number}", mime_type="application/json",
                    description=f"{v.title_zh or inst.title_zh} {art.label or art.number} ({v.id})",
                    fn=lambda i=inst_id, ver=v.id, a=art.number: article_json(i, ver, a)))
    return server


def serve(law=None) -> None:
    """Answer MCP requests on stdin/stdout until the client closes stdin and every request read is answered."""
    busy = [0]
    server = build_server(law, busy)  # first: without the SDK, the one line that says how to install it
    import anyio
    from mcp.server.stdio import stdio_server

    wire = _Wire.claim(busy)

    async def run() -> None:
        async with stdio_server(stdin=wire, stdout=wire) as (read_stream, write_stream):
            low = server._lowlevel_server
            await low.run(read_stream, write_stream, low.create_initialization_options())

    try:
        anyio.run(run)
    finally:
        wire.release()


#: How long the server waits, once stdin has ended, for answers to the requests it read (a tool call takes
#: milliseconds; a request the server never answers must not hold it for ever), and how long, with no request
#: being answered and nothing written, before it takes the rest as never to be answered.
DRAIN_SECONDS = 60.0
IDLE_SECONDS = 3.0


class _Wire:
    """Standard input and output as the SDK's stdio transport reads and writes them, with three changes.

    Why: the SDK (mcp 2.3, python-sdk issue #2678) ends the session as soon
    as stdin ends and cancels the requests still being answered, so a client
    that writes its requests and closes stdin (``socins mcp < requests.jsonl``)
    got no answer to the last of them. Here the end of stdin waits until
    every request read has its response written (at most ``DRAIN_SECONDS``;
    ``IDLE_SECONDS`` once no request is being answered and nothing written). A line that
    is not JSON gets the JSON-RPC parse error (-32700), and one that is not a
    message the SDK answers (a batch, a number, a request whose params are
    not an object) the invalid-request or invalid-params error, where the SDK
    answered nothing.

    While serving, fd 0 reads /dev/null and fd 1 writes to stderr (as the
    SDK arranges for its own streams), so nothing but protocol reaches the wire.
    """

    def __init__(self, wire_in, wire_out, restore, busy: list):
        self._in, self._out, self._restore, self._busy = wire_in, wire_out, restore, busy
        self._pending: collections.Counter = collections.Counter()  # ids of requests read and not yet answered
        self._wrote = None  # set when a message is written, while the end of stdin waits

    @classmethod
    def claim(cls, busy: list) -> "_Wire":
        import os
        import sys

        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        saved_in, saved_out = os.dup(0), os.dup(1)
        wire_in, wire_out = os.fdopen(os.dup(0), "rb", buffering=0), os.fdopen(os.dup(1), "wb")
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        os.dup2(2, 1)

        def restore() -> None:
            os.dup2(saved_in, 0)
            os.dup2(saved_out, 1)
            for fd in (saved_in, saved_out):
                os.close(fd)

        return cls(wire_in, wire_out, restore, busy)

    def release(self) -> None:
        for stream in (self._out, self._in):
            try:
                stream.close()
            except OSError:
                pass
        self._restore()

    # -- stdin: ``async for line in wire`` ----------------------------------------
    def __aiter__(self):
        return self

    async def __anext__(self) -> str:
        import anyio

        while True:
            line = await anyio.to_thread.run_sync(self._in.readline, abandon_on_cancel=True)
            if not line:
                await self._drain()
                raise StopAsyncIteration
            text = line.decode("utf-8", errors="replace")
            if text.strip() and self._taken(text):
                return text

    def _taken(self, text: str) -> bool:
        """Whether the SDK is to read this line; if not, its error is answered here."""
        try:
            message = json.loads(text)
        except ValueError as err:
            return self._refuse(None, -32700, f"Parse error: {one_line(str(err))}")
        if not isinstance(message, dict):
            what = "a batch (MCP sends one message a line)" if isinstance(message, list) else "not an object"
            return self._refuse(None, -32600, f"Invalid Request: {what}")
        request = message.get("id")
        method, params = message.get("method"), message.get("params")
        if method is None and ("result" in message or "error" in message):
            return True  # the client's answer to a request of the server's
        problem = _invalid(message, method, params)
        if problem is not None:
            if "id" in message:  # a notification gets no answer, even an error
                self._refuse(request, *problem)
            return False
        if _allowed_id(request):
            self._pending[request] += 1
        elif method == "notifications/cancelled":  # a request its client gave up: no answer due
            cancelled = params.get("requestId") if isinstance(params, dict) else None
            if _allowed_id(cancelled):
                self._answered(cancelled)
        return True

    def _refuse(self, request, code: int, message: str) -> bool:
        self._write({"jsonrpc": "2.0", "id": request if _allowed_id(request) else None,
                     "error": {"code": code, "message": message}})
        return False

    async def _drain(self) -> None:
        """Wait for the answers to the requests read, while answers still come."""
        import time

        import anyio

        deadline = time.monotonic() + DRAIN_SECONDS
        while self._pending and time.monotonic() < deadline:
            self._wrote = anyio.Event()
            with anyio.move_on_after(min(IDLE_SECONDS, deadline - time.monotonic())):
                await self._wrote.wait()
            if not self._wrote.is_set() and not self._busy[0]:
                return  # nothing answered or being answered: what is left the SDK will not answer

    def _answered(self, request) -> None:
        if self._pending[request] > 1:
            self._pending[request] -= 1
        else:
            self._pending.pop(request, None)

    # -- stdout: ``await wire.write(text)``, ``await wire.flush()`` ---------------
    async def write(self, text: str) -> None:
        self._out.write(text.encode("utf-8"))
        try:
            message = json.loads(text)
        except ValueError:
            return
        if isinstance(message, dict) and "method" not in message and _allowed_id(message.get("id")):
            self._answered(message["id"])
        if self._wrote is not None:
            self._wrote.set()

    async def flush(self) -> None:
        self._out.flush()

    def _write(self, message: dict) -> None:
        self._out.write(json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n")
        self._out.flush()


def _invalid(message: dict, method, params) -> tuple | None:
    """(code, message) of the JSON-RPC error a request or notification the SDK would drop unanswered calls for."""
    if message.get("jsonrpc") != "2.0":
        return -32600, 'Invalid Request: jsonrpc must be "2.0"'
    if "id" in message and not _allowed_id(message["id"]):
        return -32600, "Invalid Request: id must be a string or an integer"
    if not isinstance(method, str):
        return -32600, "Invalid Request: " + ("no method" if method is None else "method must be a string")
    if "params" in message and not isinstance(params, dict):
        return -32602, "Invalid params: params must be an object"
    return None


def _allowed_id(value) -> bool:
    """An id MCP allows: a string or an integer (not a boolean)."""
    return isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))
