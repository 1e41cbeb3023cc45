"""The Python API: each function returns what its command prints with ``--format json``, as Python objects.

Keyword arguments are named as the command's options (``--female-track`` is
``female_track``, ``--as-of`` is ``as_of``; ``socins timeline --from/--to``
is ``start``/``end``, ``socins diff FROM TO`` is ``before``/``after``), take
the same values as text (a ``datetime.date`` is accepted where a date is
asked), and are normalised and checked as the command does. Bad input
raises the error the command reports on stderr, naming the function's
arguments where the command names its options (``relation``, ``end``,
not ``--relation``, ``--to``): ``InputError`` (with
``field``, ``value``, ``allowed``; its subclass ``NotInForceError`` for a
version or article that does not exist on that date), or ``DataError`` when
the statutes data is broken. Nothing is printed.

The result is passed through the same JSON encoding the command prints, so
it holds only dicts, lists, strings, numbers, booleans and None, and
``json.dumps`` of it equals the command's output (up to layout)::

    >>> from socins_cli import api
    >>> api.check(category="flexible", as_of="2026-06-01")["schemes"][0]["status"]
    'voluntary'

Every function loads the shipped statutes (once per process: the law is
cached) unless ``statutes`` names another statutes folder or ``law`` gives
a loaded ``Law``. ``check_arrow`` and ``retirement_arrow`` answer whole
Arrow record batches (see their docstrings).
"""

from __future__ import annotations

import datetime as _dt
import functools
import inspect
import os
import re
from typing import Iterable

import orjson

from socins_cli.errors import InputError

__all__ = ["check", "retirement", "compare", "inequities", "timeline", "reforms", "validate", "show", "search", "diff",
           "list_instruments", "history", "cite", "check_arrow", "retirement_arrow", "load"]


@functools.cache
def _patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """The patterns an error's wording is rewritten with (``_in_argument_words``), compiled when an error first
    needs them: most calls raise none, and every command imports this module.

    ``--as-of`` and the other options an error may name, written as the command line takes them; an option given
    again and again in an example (--category employee --category flexible), which is one list argument here; the
    command line's way to check a range or list of citations, which ``cite(memo=...)`` is here.
    """
    return (re.compile(r"(?<![\w-])--([a-z][a-z-]*)"),
            re.compile(r"--([a-z][a-z-]*) ([\w:|.-]+)((?: --\1 [\w:|.-]+)+)"),
            re.compile(r"echo '(.*)' \| socins cite --file -"))


def _in_argument_words(renames: dict | None = None):
    """Make the function's errors name its arguments (``relation``, ``start``), not the command's options
    (``--relation``, ``--from``): what a Python or MCP caller can give. ``renames`` maps an option's name to the
    argument's where they differ (``{"from": "start"}``). The command line's own wording stays on the error
    (``option_words``: field and allowed), for the command to print."""
    renames = renames or {}

    def decorate(function):
        @functools.cache
        def arguments() -> tuple[set, set, set]:
            """Its argument names, the required ones and the flags: read at the first call, not at import."""
            parameters = inspect.signature(function).parameters
            return (set(parameters) | set(renames.values()),
                    {n for n, p in parameters.items() if p.default is inspect.Parameter.empty},
                    {n for n, p in parameters.items() if isinstance(p.default, bool)})

        def argument(m: re.Match, text: str) -> str:
            name = renames.get(m[1], m[1].replace("-", "_"))
            # not within a command a message quotes (see socins check --explain)
            return name if name in arguments()[0] and "socins " not in text[max(0, m.start() - 40):m.start()] else m[0]

        @functools.wraps(function)
        def call(*args, **kwargs):
            _, required, flags = arguments()
            try:
                # empty text is bad input here as on the command line (sex="", version=""), not left out
                refuse_empty({k: v for k, v in kwargs.items() if k not in required})
                refuse_empty({k: v for k, v in kwargs.items() if k in required}, required=True)
                for name in flags.intersection(kwargs):  # explain="no" had turned the trace on
                    if not isinstance(kwargs[name], bool):
                        raise InputError(name, kwargs[name], "expected True or False")
                return function(*args, **kwargs)
            except InputError as exc:
                field = renames.get(exc.field, exc.field)
                option, repeated, memo_hint = _patterns()
                allowed = repeated.sub(lambda m: "--{0} [{1}]".format(
                    m[1], ", ".join([m[2], *m[3].split(f" --{m[1]} ")[1:]])), exc.allowed)
                allowed = option.sub(lambda m: argument(m, allowed), allowed)
                allowed = memo_hint.sub(lambda m: f"cite(memo='{m[1]}')", allowed)
                if (field, allowed) != (exc.field, exc.allowed) and not hasattr(exc, "option_words"):
                    exc.option_words = (exc.field, exc.allowed)
                    exc.field, exc.allowed = field, allowed
                    exc.args = (exc.describe(field),)
                raise
        return call
    return decorate


_LOADED: dict = {}  # statutes folder -> Law: loaded once per process, so the rules compiled on it (Law.view) last


def load(statutes=None, law=None):
    """The law to answer from: ``law`` as given, else the statutes folder ``statutes`` (default: the shipped one).

    A folder is loaded once per process (a long-lived process that must see
    edited statutes passes ``law=socins_cli.law.load.load_law(path)``).
    """
    if law is not None:
        return law
    key = None if statutes is None else str(statutes)
    found = _LOADED.get(key)
    if found is None:
        from socins_cli.law.load import load_law

        if key is not None and not os.path.isdir(key):  # a path mistyped is bad input, as --statutes says
            raise InputError("statutes", key, "expected an existing statutes folder")

        found = _LOADED[key] = load_law(statutes)
    return found


def plain(result):
    """``result`` as the command's JSON reads back: tuples become lists, dates text, keys strings."""
    from socins_cli.formats import dumps_json

    return orjson.loads(dumps_json(result, pretty=False))


def _text(value):
    """A date given as a ``datetime.date`` as the command line would give it; anything else unchanged."""
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return value.isoformat()
    return value


def _birth(value):
    """A birth given as a ``datetime.date`` (or a timestamp) read as its month, as a Parquet date column is (a
    timestamp with a time zone in China's, ``dates.day_in_china``); anything else unchanged."""
    if isinstance(value, _dt.datetime):
        from socins_cli.dates import day_in_china

        value = day_in_china(value)
    if isinstance(value, _dt.date):
        return f"{value.year:04d}-{value.month:02d}"
    return value


def _day(value, field: str) -> _dt.date | None:
    """An optional date option (``--as-of``) parsed as the command parses it."""
    from socins_cli.dates import parse_date

    return None if value is None else parse_date(_text(value), field)


def _whole_number(value, field: str) -> int | None:
    """A paragraph (款) number given as 2 or "2"; anything else is an InputError naming it."""
    if value is None or (type(value) is int and value >= 1):
        return value
    if isinstance(value, str) and value.strip().isdecimal():  # not isdigit: int() cannot read ², a digit
        try:
            number = int(value)
        except ValueError:  # more digits than Python reads (4,300): no paragraph has that number
            number = 0
        if number >= 1:
            return number
    raise InputError(field, value, "expected a whole number, 1 or more")


def _reformed(law, reform):
    """The law with the overlays applied in order: one path or shipped id, or a list of them."""
    from socins_cli.engines.reform import apply_reforms

    refs = [reform] if isinstance(reform, (str, os.PathLike)) else reform
    if not isinstance(refs, (list, tuple)) or not all(isinstance(r, (str, os.PathLike)) for r in refs):
        raise InputError("reform", reform, "expected an overlay's id or path, or a list of them (socins reforms)")
    return apply_reforms(law, list(refs))


def _warned(law, result: dict, as_of: _dt.date, cited=()) -> dict:
    """``result`` with the lines ``warnings`` must carry: partial sources it cites, a date after the last review."""
    from socins_cli.law.coverage import answer_warnings

    lines = answer_warnings(law, as_of, cited)
    if lines:  # no empty list where nothing is to be said: the JSON stays as it was
        held = result.setdefault("warnings", [])
        held.extend(line for line in lines if line not in held)
    return result


def _warned_sides(law, result: dict, as_of: _dt.date) -> dict:
    """A side-by-side answer (``--reform``) with the lines each side must carry, as an answer without it does."""
    for side in ("law", "reformed"):
        if isinstance(result.get(side), dict):
            _warned(law, result[side], as_of)
    return result


def refuse_empty(options: dict, required: bool = False) -> None:
    """An option or argument given as empty text (``as_of=""``, an unset ``"$D"``) is bad input, not left out.

    Taken as absent, it had answered for today, or for nobody's birth, without a word (a batch cell, by
    contrast, may be empty: the row does not say).
    """
    for name, value in options.items():
        values = value if isinstance(value, (list, tuple)) else (value,)
        for v in values:
            if isinstance(v, str) and not v.strip():
                raise InputError(name, v, "is empty: give a value" + ("" if required else ", or leave it out"))


def _person(law, require_category: bool, **attributes):
    from socins_cli.person import make_person

    refuse_empty(attributes)
    attributes["birth"] = _birth(attributes.get("birth"))
    return make_person(**{k: _text(v) for k, v in attributes.items()}, require_category=require_category)


# -- the person commands ----------------------------------------------------------------------------------

@_in_argument_words()
def check(*, category=None, relation=None, sex=None, birth=None, female_track=None, province=None, industry=None,
          platform=None, employers=None, income=None, waiver=None, as_of=None, explain: bool = False,
          quote: bool = False,
          reform=None, statutes=None, law=None) -> dict:
    """``socins check``: every scheme for one person on ``as_of`` (default: today), with citations and findings.

    With ``reform`` (a reform overlay file) the result is the side-by-side
    object of ``socins check --reform``: ``law``, ``reformed``, ``differences``.
    """
    law = load(statutes, law)
    person = _person(law, True, category=category, relation=relation, sex=sex, birth=birth,
                     female_track=female_track, province=province, industry=industry, platform=platform,
                     employers=employers, income=income, waiver=waiver, as_of=as_of)
    if reform:
        from socins_cli.engines.reform_sides import side_by_side_check

        return plain(_warned_sides(law, side_by_side_check(law, _reformed(law, reform), person, explain=explain,
                                                           quote=quote), person.as_of))
    from socins_cli.engines.answers import check as check_person

    return plain(_warned(law, check_person(law, person, explain=explain, quote=quote), person.as_of))


@_in_argument_words()
def retirement(*, sex=None, birth=None, female_track=None, category=None, relation=None, province=None,
               industry=None, platform=None, employers=None, income=None, waiver=None, as_of=None,
               reform=None, statutes=None, law=None) -> dict:
    """``socins retirement``: statutory age and month, flexible window, minimum contribution years.

    ``province`` ... ``waiver`` are checked and echoed in ``person`` as in ``check``; no retirement rule reads them.
    """
    law = load(statutes, law)
    person = _person(law, False, category=category, relation=relation, sex=sex, birth=birth,
                     female_track=female_track, province=province, industry=industry, platform=platform,
                     employers=employers, income=income, waiver=waiver, as_of=as_of)
    if reform:
        from socins_cli.engines.reform_sides import side_by_side_retirement

        return plain(_warned_sides(law, side_by_side_retirement(law, _reformed(law, reform), person), person.as_of))
    from socins_cli.engines.retirement import retirement as retire

    return plain(_warned(law, retire(law, person), person.as_of))


@_in_argument_words()
def compare(*, category: str | Iterable[str] = (), relation=None, sex=None, birth=None, female_track=None,
            province=None, industry=None, platform=None, employers=None, income=None, waiver=None, as_of=None,
            reform=None,
            statutes=None, law=None) -> dict:
    """``socins compare``: categories side by side; ``category`` is one spec or a list of them (``platform:civil``)."""
    law = load(statutes, law)
    specs = [category] if isinstance(category, str) else category or ()
    if not isinstance(specs, (list, tuple)) or not all(isinstance(c, str) for c in specs):
        raise InputError("category", category, "expected a category spec or a list of them (employee, platform:civil)")
    people = category_specs(specs, relation, dict(
        sex=sex, birth=_birth(birth), female_track=female_track, province=province, industry=industry,
        platform=platform, employers=employers, income=income, waiver=waiver))
    on = _as_of(as_of)
    if reform:
        from socins_cli.engines.reform_sides import side_by_side_compare

        return plain(_warned_sides(law, side_by_side_compare(law, _reformed(law, reform), people, on), on))
    from socins_cli.engines.compare import compare as compare_people

    result = compare_people(law, people, on)
    cited = ((c, row["scheme"]) for row in result["rows"] for cell in row["by_category"] for c in cell["citations"])
    return plain(_warned(law, result, on, cited))


def category_specs(specs: list[str], relation, shared: dict) -> list[dict]:
    """One attribute dict per ``--category``; ``--relation`` fills in platform categories given without one."""
    from socins_cli.engines.inequities import parse_spec

    if not specs:
        raise InputError("category", None, "give at least one --category (e.g. --category employee --category flexible)")
    out = []
    used_relation = False
    given: dict = {}  # (category, relation) -> the spec that named it first
    for spec in specs:
        parsed = parse_spec(spec)
        if parsed["category"] == "platform" and parsed["relation"] is None and relation is not None:
            parsed["relation"] = relation
            used_relation = True
        named = (parsed["category"], parsed["relation"])
        if named in given:  # 灵活就业人员 beside flexible: one column compared with itself
            raise InputError("category", spec, f"names the category {given[named]} names already; give each once")
        given[named] = spec
        out.append({**shared, **parsed})
    if relation is not None and not used_relation:
        raise InputError("relation", relation, "applies only to a --category platform given without a relation")
    return out


@_in_argument_words()
def inequities(*, as_of=None, category: str | None = None, scheme: str | None = None, quote: bool = False,
               income=None, reform=None, statutes=None, law=None) -> dict:
    """``socins inequities``: the findings that hold on ``as_of``, optionally of one category or scheme."""
    from socins_cli.engines.eligibility import quote_text

    from socins_cli.person import normalise_field

    law = load(statutes, law)
    on = _as_of(as_of)
    income = normalise_field("income", income)
    if reform:
        from socins_cli.engines.reform_sides import side_by_side_inequities

        reformed = _reformed(law, reform)
        result = _warned_sides(law, side_by_side_inequities(law, reformed, on, category=category, scheme=scheme,
                                                            income=income), on)
        sides = ((result["law"]["inequities"], law), (result["reformed"]["inequities"], reformed))
    else:
        from socins_cli.engines.inequities import inequities as findings

        result = findings(law, on, category=category, scheme=scheme, income=income)
        _warned(law, result, on, ((c, f["id"]) for f in result["inequities"] for c in f["citations"]))
        sides = ((result["inequities"], law),)
    if quote:
        for found, which in sides:
            for f in found:
                for c in f["citations"]:
                    c["text"] = quote_text(which, c)
    return plain(result)


@_in_argument_words({"from": "start", "to": "end"})
def timeline(*, start, end, category=None, relation=None, sex=None, birth=None, female_track=None, province=None,
             industry=None, platform=None, employers=None, income=None, waiver=None, reform=None, statutes=None,
             law=None) -> dict:
    """``socins timeline --from START --to END``: each scheme's changes over the span, and on which day."""
    from socins_cli.dates import Month, parse_date

    for field, value, which in (("from", start, "first"), ("to", end, "last")):
        if value is None:  # named as missing, as every other required option is
            raise InputError(field, None, f"is required: the {which} day of the span, YYYY-MM-DD")
    law = load(statutes, law)
    first, last = parse_date(_text(start), "from"), parse_date(_text(end), "to")
    if birth not in (None, "") and Month.parse(_text(_birth(birth))).first_day() > last:  # said against the span's
        # end, not against the as_of the person is made on
        raise InputError("birth", _text(_birth(birth)), f"must not be after --to {last.isoformat()}")
    person = _person(law, True, category=category, relation=relation, sex=sex, birth=birth,
                     female_track=female_track, province=province, industry=industry, platform=platform,
                     employers=employers, income=income, waiver=waiver, as_of=last)
    if reform:
        from socins_cli.engines.reform_sides import side_by_side_timeline

        return plain(_warned_sides(law, side_by_side_timeline(law, _reformed(law, reform), person, first, last), last))
    from socins_cli.engines.timeline import timeline as changes

    result = changes(law, person, first, last)
    cited = ((c, s["scheme"]) for s in result["schemes"] for change in s["changes"] for c in change["citations"])
    return plain(_warned(law, result, last, cited))


def _as_of(value) -> _dt.date:
    from socins_cli.dates import today

    return today() if value is None else _day(value, "as_of")


@_in_argument_words()
def reforms(*, effect: bool = False, as_of=None, statutes=None, law=None) -> dict:
    """``socins reforms``: the shipped overlays (ids, titles, sources, dates, what they touch); with ``effect``, the
    inequity findings each removes, narrows or leaves on ``as_of`` (default: today), as ``--effect`` gives them."""
    from socins_cli.engines.reform_effect import listing

    on = _as_of(as_of)  # a bad date is refused with or without effect
    return plain(listing(load(statutes, law), on, effect))


def validate(*, statutes=None, law=None) -> dict:
    """``socins validate``: a statutes folder checked afresh (the one ``law`` was loaded from, else ``statutes``, else
    the shipped one). A broken folder is a verdict, not an exception: ``ok`` false and every problem listed, where
    the command prints the same and exits 3."""
    from socins_cli.law.validate import report, validate as validate_folder

    if law is None and statutes is not None and not os.path.isdir(statutes):  # bad input, as for the other functions
        raise InputError("statutes", str(statutes), "expected an existing statutes folder")
    return plain(report(*validate_folder(statutes if law is None else law.root)))


# -- the text commands ------------------------------------------------------------------------------------

@_in_argument_words()
def show(*, instrument: str, article=None, version: str | None = None, as_of=None, paragraph: int | None = None,
         statutes=None, law=None) -> dict:
    """``socins show``: an article exactly as enacted (``article`` None: the instrument's overview).

    With ``version``, ``in_force_on_as_of`` says whether that version is in force today; where it is not,
    ``as_of_version`` names the one that is (null if none) and ``warning`` says so, as ``cite`` does for a
    pinned version.
    """
    from socins_cli.law import text

    from socins_cli.law.citation import show_arguments

    law = load(statutes, law)
    on = _day(as_of, "as_of")
    version = None if version is None else _version_id(version)
    paragraph = _whole_number(paragraph, "paragraph")
    asked = version
    instrument, article, paragraph, version = show_arguments(
        law, instrument, _article_arg(article, required=False), paragraph, version)
    # a citation pinning a version (工会法（2021年修正）第二条) with as_of: the pinned text, said of that day as cite
    # says it, not "give either version or as_of" of a version the caller never gave
    pinned_on = on if asked is None and version is not None else None
    if pinned_on is not None:
        on = None
    if article is None:
        return plain(text.describe_instrument(law, instrument, version, on))
    result = text.show(law, instrument, str(article), version=version, as_of=on, paragraph=paragraph)
    if version is not None:  # a version named may not be today's law: said, as cite says it of a pinned one
        named = law.version(instrument, result["version"])
        result.update(text.named_version_on(law.instrument(instrument), named, pinned_on or _as_of(None),
                                            "the version the citation names" if asked is None else "the version asked for"))
    return plain(result)


@_in_argument_words()
def search(*, query: str, instrument: str | None = None, as_of=None, all_versions: bool = False,
           statutes=None, law=None) -> dict:
    """``socins search``: ``{"query", "hits", "not_held", "drafts_not_held"}``; no hit is an empty list (the
    command exits 1).

    ``not_held`` names the versions in force that day (every version, with
    ``all_versions``) whose text socins does not hold (``wiir 2003``): their
    words cannot be found; ``drafts_not_held`` the same for drafts before the
    house that day (any draft, with ``all_versions``), which have no legal
    force (``msl-draft-2025 2025``).
    """
    from socins_cli.law import text

    law = load(statutes, law)
    on = _day(as_of, "as_of")
    _must_be_text(query, "query", "the text to find")
    if instrument:
        law.instrument(instrument)
    hits = list(text.search(law, query, instrument, on, all_versions))
    unheld, drafts = text.unsearched(law, instrument, on, all_versions)
    return plain({"query": query, "hits": hits, "not_held": unheld, "drafts_not_held": drafts})


@_in_argument_words({"from": "before", "to": "after"})
def diff(*, instrument: str, before, after, substantive: bool = False, statutes=None, law=None) -> dict:
    """``socins diff INSTRUMENT BEFORE AFTER``: article-level changes; each side a version id or a date."""
    from socins_cli.law import diff as versions

    law = load(statutes, law)
    return plain(versions.diff_versions(law, instrument, _version_arg(before, "from"), _version_arg(after, "to"),
                                        substantive_only=substantive))


@_in_argument_words()
def list_instruments(*, as_of=None, statutes=None, law=None) -> dict:
    """``socins list``: ``{"instruments": [...]}``, one row per version (only those in force on ``as_of``)."""
    from socins_cli.law import text

    law = load(statutes, law)
    rows = list(text.list_instruments(law, _day(as_of, "as_of")))
    return plain({"instruments": rows, "groups": text.instrument_groups(law, rows)})


@_in_argument_words()
def history(*, instrument: str, article, as_of=None, statutes=None, law=None) -> dict:
    """``socins history INSTRUMENT ARTICLE``: the article in every version, each change said and weighed."""
    from socins_cli.law.citation import article_reference
    from socins_cli.law.history import article_history

    article = _article_arg(article, required=True)  # said as missing, not looked up as the article "None"
    law = load(statutes, law)
    number, paragraph = article_reference(article)
    result = article_history(law, instrument, number, _day(as_of, "as_of"))
    if paragraph is not None:  # 第十条第二款: the history is the article's; say so, the paragraph is not dropped unseen
        result.setdefault("warnings", []).insert(0, f"history follows the whole article {number}; paragraph "
                                                    f"{paragraph} is within each version's text")
    return plain(result)


@_in_argument_words()
def cite(*, citation: str | None = None, as_of=None, memo: str | None = None, file=None, since=None, statutes=None,
         law=None) -> dict:
    """``socins cite TEXT``: a Chinese citation (社会保险法第十条第二款) resolved to the text in force on ``as_of``.

    A citation of an article or paragraph the version in force lacks raises
    ``NotInForceError`` (the command exits 1); one that cannot be read, ``InputError``.

    Given a memo instead, as its text (``memo``) or its ``file``, ``socins cite --file``: every citation in it
    checked, with its line, and with ``since`` what became of the provision it named that day. A citation that
    fails is a record with ``ok`` false, not an exception (the command exits 1); ``file`` is null for a text.
    """
    from socins_cli.law.citation import CitationReader, resolve

    law = load(statutes, law)
    if citation is None or memo is not None or file is not None:
        return _memo(law, citation, memo, file, _as_of(as_of), since)
    _must_be_text(citation, "citation", "a citation such as 社会保险法第十条第二款")
    if since is not None:
        raise InputError("since", since, "goes with a memo (memo or file): one citation is resolved on as_of")
    return plain(resolve(law, CitationReader(law).parse(citation), _as_of(as_of)))


def _memo(law, citation, memo, file, on: _dt.date, since) -> dict:
    """``cite`` of a whole memo: its text or its file, never beside a single citation."""
    from socins_cli.law.citation import check_memo, read_memo

    if citation is not None:
        raise InputError("citation", citation, "give a citation, or a memo to check (memo or file), not both")
    if memo is None and file is None:
        raise InputError("citation", None, "is required: a citation such as 社会保险法第十条第二款, or a memo's text "
                                           "(memo) to check every citation in it")
    if memo is not None and file is not None:
        raise InputError("file", file, "give the memo as text (memo) or as a file, not both")
    since = None if since is None else _day(since, "since")  # a bad day is said before any file is read
    if file is not None:
        if not isinstance(file, (str, os.PathLike)):
            raise InputError("file", file, "expected a path to a memo (UTF-8 text)")
        file = os.fspath(file)
        memo = read_memo(file)
    _must_be_text(memo, "memo", "the text of a memo")
    return plain(check_memo(law, memo, on, since, file))


def _article_arg(value, required: bool):
    """An article given as text (10, 第十条) or a whole number, as its text; None where it may be left out."""
    if value is None and not required:
        return None
    allowed = "an article number (10, 第十条)"
    if value is None:
        raise InputError("article", None, "is required: " + allowed)
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise InputError("article", value, "expected text or a whole number: " + allowed)
    if not str(value).strip():
        raise InputError("article", value, "is empty: give " + allowed)
    return str(value)


def _version_arg(value, field: str) -> str:
    """A side of ``diff``: a version id or a date (text, or a ``datetime.date``), as its text."""
    allowed = "a version id (2018) or a date (2019-01-01)"
    if value is None:
        raise InputError(field, None, "is required: " + allowed)
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, bool) or not isinstance(value, (str, int, _dt.date)):
        raise InputError(field, value, "expected " + allowed)
    if not str(value).strip():
        raise InputError(field, value, "is empty: give " + allowed)
    return _version_id(_text(value))


def _version_id(value) -> str:
    """A version id as given, its characters of either width read alike (２０１８ as 2018), as cite reads a year."""
    from socins_cli.law.text import fold

    return fold(str(value))


def _must_be_text(value, field: str, what: str) -> None:
    """An argument that must be a string (from Python or an MCP client) is one, else an InputError naming it."""
    if not isinstance(value, str):
        raise InputError(field, value, "expected text: " + what)


# -- whole record batches -----------------------------------------------------------------------------------

@_in_argument_words()
def check_arrow(batch, *, as_of=None, first_line: int = 1, statutes=None, law=None):
    """``socins check --input rows.parquet --output out.parquet`` on one Arrow record batch.

    Rows in (person attributes as columns under their own names; any other
    column is carried), answer columns out: a ``pyarrow.RecordBatch`` with
    the columns, types and values the Parquet output has. ``line`` numbers
    the rows from ``first_line``; ``as_of`` is the date for rows without
    one (default: today). A bad row is a row with ``error`` set, never an
    exception. Pure: no file is read or written, so it suits an engine's
    map over batches (Spark ``mapInArrow``, Dask ``map_partitions``, Ray
    ``map_batches``); answers are cached per thread, keyed by content.
    """
    return _arrow("check", batch, as_of, first_line, statutes, law)


@_in_argument_words()
def retirement_arrow(batch, *, as_of=None, first_line: int = 1, statutes=None, law=None):
    """``socins retirement --input rows.parquet --output out.parquet`` on one Arrow record batch (as ``check_arrow``)."""
    return _arrow("retirement", batch, as_of, first_line, statutes, law)


def _arrow(job_name: str, batch, as_of, first_line: int, statutes, law):
    from socins_cli.batch.arrow import answer_batch

    law = load(statutes, law)
    return answer_batch(job_name, law, batch, _day(as_of, "as_of"), first_line)
