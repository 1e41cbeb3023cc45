"""Properties of every check, on generated people and dates."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from socins_cli.engines.answers import check, check_key, check_row
from socins_cli.engines.eligibility import PAYERS, SCHEMES, STATUSES, interval_index
from socins_cli.errors import InputError
from socins_cli.person import CATEGORIES, INDUSTRIES, RELATIONS, make_person

PROVINCES = ("beijing", "tianjin", "guangdong", "henan", "zhejiang", "xinjiang", None)
PLATFORMS = ("美团", "饿了么", "滴滴出行", "顺丰同城", "满帮省省", "货拉拉", "UU跑腿", "meituan", None)


@st.composite
def people(draw):
    category = draw(st.sampled_from(CATEGORIES))
    relation = draw(st.sampled_from(RELATIONS)) if category == "platform" else None
    day = draw(st.dates(min_value=dt.date(1995, 1, 1), max_value=dt.date(2035, 12, 31)))
    employed = category in ("employee", "civil-servant") or relation == "labor"  # 0 employers contradicts them
    no_employer = category in ("self-employed", "resident")  # a waiver is agreed with an employer
    employers = draw(st.sampled_from((None, 1, 2, 5) if employed else (None, 0) if no_employer else (None, 0, 1, 2, 5)))
    return make_person(
        category=category, relation=relation, as_of=day,
        province=draw(st.sampled_from(PROVINCES)),
        industry=draw(st.sampled_from(INDUSTRIES + (None,))),
        platform=draw(st.sampled_from(PLATFORMS)),
        employers=employers,
        waiver=draw(st.sampled_from((None,) if no_employer or employers == 0 else (None, True))),  # so does employers 0
        # sex and track: whether past the statutory retirement age is read from them with the birth
        sex=draw(st.sampled_from((None, "male", "female"))),
        # a birth from 1940 to the day asked about: the resident pension's rules test the age (16)
        birth=draw(st.one_of(st.none(), st.builds(lambda months: f"{months // 12:04d}-{months % 12 + 1:02d}",
                                                  st.integers(1940 * 12, day.year * 12 + day.month - 1)))),
    )


SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(person=people())
def test_every_scheme_appears_exactly_once_in_contract_order(law, person):
    result = check(law, person)
    assert [s["scheme"] for s in result["schemes"]] == list(SCHEMES)
    assert result["as_of"] == person.as_of.isoformat()
    assert result["person"] == person.as_dict()
    # the findings listed are those `socins inequities` holds for the person's category that day
    from socins_cli.engines.inequities import inequities, spec_of

    listed = {f["id"] for f in result["inequities"]}
    spec = spec_of(person)
    if spec is None or spec == "employee":
        assert listed == set()
    else:
        held = {f["id"] for f in inequities(law, person.as_of, category=spec)["inequities"]}
        assert listed <= held


@SETTINGS
@given(person=people())
def test_statuses_and_payers_are_the_contracts(law, person):
    for s in check(law, person)["schemes"]:
        assert s["status"] in STATUSES
        assert s["payers"] == sorted(set(s["payers"]), key=PAYERS.index)
        if s["status"] == "not-eligible":
            assert s["payers"] == []
        assert isinstance(s["settled"], bool) and isinstance(s["notes"], str) and s["notes"]


@SETTINGS
@given(person=people())
def test_a_date_before_an_instrument_took_effect_never_cites_it(law, person):
    """Every version cited is in force that day; held wording quoted for one whose text is not held is given apart
    (``wording``) and says which version it stands in for."""
    on = person.as_of
    for s in check(law, person)["schemes"]:
        for c in s["citations"]:
            inst = law.instruments[c["instrument"]]
            assert inst.versions[0].effective <= on, (s["scheme"], c)
            assert "stands_in" not in c and law.version(c["instrument"], c["version"]).in_force_on(on), (s["scheme"], c)
        for c in s.get("wording", ()):
            in_force = law.instruments[c["instrument"]].version_on(on)
            assert in_force is not None and in_force.id == c["stands_in"], (s["scheme"], c)
            assert in_force.completeness == "summary-only", (s["scheme"], c)


@SETTINGS
@given(person=people())
def test_every_citation_resolves_to_an_article_of_the_cited_version(law, person):
    for s in check(law, person)["schemes"]:
        for c in s["citations"]:
            version = law.version(c["instrument"], c["version"])
            if "fact" in c:
                assert version.fact(c["fact"]) is not None
                continue
            article = version.article(c["article"])
            assert article is not None, c
            if "paragraph" in c:
                assert 1 <= c["paragraph"] <= len(article.paragraphs), c


@SETTINGS
@given(person=people())
def test_a_summary_only_source_never_settles_an_answer(law, person):
    result = check(law, person)
    for s in result["schemes"]:
        if any(c.get("completeness") == "summary-only" for c in s["citations"]):
            assert s["settled"] is False
    cited = {(c["instrument"], c["version"]) for s in result["schemes"] for c in s["citations"]
             if c.get("completeness", "whole") != "whole" or c.get("confidence", "high") != "high"}
    for inst, version in cited:
        assert any(w.startswith(f"{inst} {version} ") for w in result["warnings"])


@SETTINGS
@given(person=people(), shift=st.integers(min_value=-400, max_value=400))
def test_equal_check_keys_give_equal_answers(law, person, shift):
    other_day = person.as_of + dt.timedelta(days=shift)
    try:
        other = make_person(**{**person.as_dict(), "as_of": other_day})
    except InputError:  # born after the shifted day
        assume(False)
    if check_key(law, person) == check_key(law, other):
        a, b = check(law, person), check(law, other)
        assert a["schemes"] == b["schemes"]
        assert a["inequities"] == b["inequities"]
    else:
        # keys differ only where a date boundary lies between the two days (of the rules or of the findings),
        from socins_cli.engines.inequities import findings_key

        from socins_cli.engines.eligibility import age_band, past_retirement_age

        # or the person reaches an age a rule tests, or the statutory retirement month, between them
        assert (interval_index(law, person.as_of) != interval_index(law, other_day)
                or findings_key(law, person) != findings_key(law, other)
                or age_band(law, person.birth, person.as_of) != age_band(law, other.birth, other.as_of)
                or past_retirement_age(law, person, person.as_of) != past_retirement_age(law, other, other.as_of))


@SETTINGS
@given(person=people(), other=people())
def test_equal_check_keys_give_equal_answers_whatever_else_differs(law, person, other):
    """The key reads only what the rules a person of that category can meet read (not the province of an
    employee), and each scheme's memo only what that scheme's rules read: equal keys, equal answers."""
    try:
        other = make_person(**{**other.as_dict(), "category": person.category, "relation": person.relation,
                               "as_of": person.as_of})
    except InputError:  # other's employers or waiver contradict person's category (0 employers for an employee)
        assume(False)
    if check_key(law, person) == check_key(law, other):
        a, b = check(law, person), check(law, other)
        assert a["schemes"] == b["schemes"]
        assert a["inequities"] == b["inequities"]
    # the memoised answer equals the one weighed rule by rule (explain does not use the memo)
    plain = [{k: v for k, v in s.items() if k != "trace"} for s in check(law, other, explain=True)["schemes"]]
    assert check(law, other)["schemes"] == plain


@SETTINGS
@given(person=people())
def test_explain_weighs_rules_in_order_and_the_last_weighed_decides(law, person):
    plain = check(law, person)
    explained = check(law, person, explain=True)
    for p, e in zip(plain["schemes"], explained["schemes"]):
        trace = e.pop("trace")
        assert p == e
        addenda = [t for t in trace if t.get("addendum")]
        assert trace[len(trace) - len(addenda):] == addenda  # weighed after the rule that decides
        trace = trace[:len(trace) - len(addenda)]
        applied = [t for t in trace if t["applied"]]
        if e["rule"] and not e["rule"].startswith("unmatched"):
            assert applied and applied[-1]["rule"] == e["rule"] and trace[-1] is applied[-1]
            assert len(applied) == 1
        else:
            assert applied == []
        assert all(t["why"] for t in trace)


@SETTINGS
@given(person=people())
def test_check_row_equals_check_of_the_normalised_person(law, person):
    row = {**person.as_dict(), "person_id": "x"}
    assert check_row(law, row) == check(law, person)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(person=people())
def test_each_scheme_answer_is_the_same_on_both_sides_of_a_day_its_rules_do_not_read(law, person):
    """A scheme's key counts the date by the scheme's own change days (``eligibility._scheme_change_days``):
    its answer does not change on a day of the law that only other schemes' rules read (a batch answers
    those days once). Checked on both sides of every day on which some answer may change."""
    from socins_cli.engines.eligibility import answer_scheme, compiled, scheme_key

    for day in compiled(law).boundaries:
        if person.birth is not None and person.birth.first_day() >= day:
            continue  # not born yet the day before
        before = make_person(**{**person.as_dict(), "as_of": day - dt.timedelta(days=1)})
        after = make_person(**{**person.as_dict(), "as_of": day})
        for scheme in SCHEMES:
            if scheme_key(law, before, scheme) == scheme_key(law, after, scheme):
                assert answer_scheme(law, before, scheme, before.as_of) == answer_scheme(law, after, scheme, after.as_of)


def test_a_rider_named_by_a_coverage_table_keeps_each_scheme_answer_across_the_days_its_rules_do_not_read(law):
    """As above, for a rider of every coverage-table row (its province, industry and platform), every relation."""
    from socins_cli.engines.eligibility import answer_scheme, compiled, scheme_key

    comp = compiled(law)
    rows = [row for table in comp.tables.values() for row in table.rows if row.industries and row.platforms]
    assert rows
    for row in rows:
        for relation in RELATIONS:
            rider = {"category": "platform", "relation": relation, "province": row.province,
                     "industry": sorted(row.industries)[0], "platform": sorted(row.platforms)[0]}
            for day in comp.boundaries:
                before, after = (make_person(**rider, as_of=d) for d in (day - dt.timedelta(days=1), day))
                for scheme in ("occupational-injury", "work-injury"):
                    if scheme_key(law, before, scheme) == scheme_key(law, after, scheme):
                        assert answer_scheme(law, before, scheme, before.as_of) == \
                            answer_scheme(law, after, scheme, after.as_of), (row.province, relation, day, scheme)


def test_a_scheme_keys_on_the_days_of_what_its_rules_cite_not_every_instrument(law):
    """The resident pension rests on sil and the 2014 opinion: a day on which only the Labour Contract Law, the
    Medical Security Law or a platform pilot changes leaves its key (and answer) as it was."""
    from socins_cli.engines.eligibility import compiled, scheme_key

    comp = compiled(law)
    own = set(comp.scheme_boundaries["resident-pension"])
    assert own < set(comp.boundaries)
    others = sorted(set(comp.boundaries) - own)
    assert others
    resident = {"category": "resident", "sex": "female", "birth": "1970-05"}
    for day in others:
        before = make_person(**resident, as_of=day - dt.timedelta(days=1))
        assert scheme_key(law, before, "resident-pension") == scheme_key(law, make_person(**resident, as_of=day),
                                                                         "resident-pension")


def test_provinces_the_pilot_table_never_names_share_one_key_and_one_answer(law):
    """The occupational-injury pilot (statutes/tables/occupational-injury-pilot.toml) reads a platform
    worker's province only through the rows that name one: every province no rule or row names gets the
    answer of any other such province, so a batch answers them once; named provinces keep their own keys."""
    from socins_cli.engines.eligibility import compiled, scheme_key
    from socins_cli.person import PROVINCES as ALL_PROVINCES

    comp = compiled(law)
    named = {row.province for table in comp.tables.values() for row in table.rows}
    named |= {p for rules in comp.by_scheme.values() for r in rules for w in r.when for p in w.get("province", ())}
    unnamed = [p for p in ALL_PROVINCES if p not in named]
    assert named and len(unnamed) >= 2

    def rider(province):
        return make_person(category="platform", relation="incomplete", province=province, industry="food-delivery",
                           platform="美团", as_of=dt.date(2025, 12, 31))

    first = rider(unnamed[0])
    for province in unnamed[1:]:
        other = rider(province)
        assert scheme_key(law, other, "occupational-injury") == scheme_key(law, first, "occupational-injury")
        assert check_key(law, other) == check_key(law, first)
        assert check(law, other)["schemes"] == check(law, first)["schemes"]
    keys = {scheme_key(law, rider(p), "occupational-injury") for p in sorted(named)}
    assert len(keys) == len(named)


@SETTINGS
@given(person=people())
def test_scheme_keys_are_each_schemes_own_key(law, person):
    """A batch asks ``scheme_keys`` (each attribute told apart once for all schemes): the same as asking each scheme."""
    from socins_cli.engines.eligibility import compiled, scheme_key, scheme_keys

    assert scheme_keys(law, person) == [scheme_key(law, person, s) for s in compiled(law).schemes]
