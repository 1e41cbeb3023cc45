"""A retirement answer filled from its rendered form is, byte for byte, the answer rendered whole.

Batches render one form per form key (``retirement_form``) and fill each
birth's figures into it; this walks every interval of the law's dates, every
group, sex and female track, and births around the delayed cohorts. The
parameter values read at the retirement date are looked up once per span of
months between their start dates; the last tests hold that to a lookup per
month.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import io

import pytest

from socins_cli.engines import retirement as engine
from socins_cli.batch.arrow import _Flat
from socins_cli.batch.jobs import retirement_job
from socins_cli.batch.resolve import HOLE
from socins_cli.batch.write import DelimitedSink, JsonlSink
from socins_cli.dates import Month
from socins_cli.errors import InputError
from socins_cli.person import make_person

PEOPLE = [("male", None), ("female", None), ("female", "worker"), ("female", "cadre")]
CATEGORIES = [None, "employee", "civil-servant", "flexible", "resident", "platform"]


def _births():
    for year in range(1948, 1990):
        step = 1 if 1960 <= year <= 1977 else 5
        for month in range(1, 13, step):
            yield f"{year}-{month:02d}"


def _dates(law):
    rules = engine._rules_of(law)
    days = sorted(set(rules.boundaries))
    return days  # each interval of the law, from its first day


def _people(law):
    """Every interval of the law x group x sex and female track x births around the delayed cohorts."""
    for on in _dates(law):
        for category in CATEGORIES:
            for sex, track in PEOPLE:
                if track and category not in (None, "employee", "civil-servant"):
                    continue
                relation = "labor" if category == "platform" else None
                for birth in _births():
                    if Month.parse(birth) > Month.of(on):
                        continue
                    yield make_person(category=category, relation=relation, sex=sex, female_track=track,
                                      birth=birth, as_of=on)


def _sink(kind, law):
    if kind == "jsonl":
        return JsonlSink(io.BytesIO(), ("as_of", "person"))
    job = retirement_job(law)
    return DelimitedSink(io.BytesIO(), job.columns, job.flatten, "," if kind == "csv" else "\t")


@pytest.mark.parametrize("kind", ["jsonl", "csv", "tsv"])
def test_filled_forms_are_the_answers_rendered_whole(law, kind):
    sink = _sink(kind, law)
    forms, checked, filled = {}, 0, 0
    for person in _people(law):
        try:
            whole = engine.retirement_core(law, person)
        except InputError as err:
            with pytest.raises(InputError) as raised:
                engine.retirement_form(law, person, HOLE)
            assert str(raised.value) == str(err)
            continue
        made = engine.retirement_form(law, person, HOLE)
        checked += 1
        if made is None:  # no track: no month in the answer, rendered whole in a batch too
            assert whole["retirement_month"] is None
            continue
        key, figures, make = made
        form = forms.get(key)
        if form is None:
            form = forms[key] = sink.form(make(), figures, HOLE)
        assert form is not None, (kind, key)  # every figure of a retirement answer sits in text
        expected = "".join(sink.render(whole)[0]) if kind != "jsonl" else b"".join(sink.render(whole)[0])
        got = "".join(sink.fill(form, figures)[0]) if kind != "jsonl" else b"".join(sink.fill(form, figures)[0])
        assert got == expected, person
        filled += 1
    assert filled > 10_000 and len(forms) < filled / 10, (filled, len(forms))


def test_filled_flat_forms_are_the_typed_columns_of_the_answers_whole(law):
    """The Parquet path fills each birth's figures into forms flattened once (found by a former per A key and
    sex/track): the columns of the whole answer."""
    job = retirement_job(law)
    evaluated = []

    def evaluate(person):
        evaluated.append(person)
        return job.evaluate(person)

    by_former = _Flat(dataclasses.replace(job, evaluate=evaluate))
    whole = _Flat(dataclasses.replace(job, former=None))
    checked = whole_only = 0
    for person in _people(law):
        at = (job.key_a(person), person.sex, person.female_track)  # what besides birth the answer reads
        try:
            expected = whole.answer(person)
        except InputError as err:
            with pytest.raises(InputError) as raised:
                by_former.answer(person, at)
            assert str(raised.value) == str(err)
            continue
        assert [(type(v), v) for v in by_former.answer(person, at)] == [(type(v), v) for v in expected], person
        checked += 1
        whole_only += engine.retirement_form(law, person, HOLE) is None  # no track: no month to fill
    forms = by_former._formed.forms
    assert checked > 10_000 and 0 < len(forms) < checked / 10, (checked, len(forms))
    assert 0 < len(by_former._formed.formers) < checked / 10
    assert len(evaluated) == whole_only < checked / 2  # the others were filled from forms, not answered whole


def test_a_start_date_applies_from_the_first_retirement_month_whose_first_day_is_on_or_after_it():
    assert engine._first_month_from(_dt.date(2030, 1, 1)) == Month(2030, 1).index
    assert engine._first_month_from(_dt.date(2030, 1, 2)) == Month(2030, 2).index
    assert engine._first_month_from(_dt.date(2030, 12, 31)) == Month(2031, 1).index


def test_spans_give_the_values_a_direct_lookup_at_the_retirement_date_gives(law):
    """``_shape`` looks parameter values up once per span of retirement months: the same as per month."""
    rules = engine._rules_of(law)
    for on in _dates(law):
        for category in CATEGORIES:
            for sex, track in PEOPLE:
                if track and category not in (None, "employee", "civil-servant"):
                    continue
                person = make_person(category=category, relation="labor" if category == "platform" else None,
                                     sex=sex, female_track=track, birth="1950-01", as_of=on)
                key = engine._key(rules, person, on)
                plan = engine._plan(law, rules, key, on)
                if plan.core is not None or plan.require is not None:
                    continue
                for retire in range(Month(2000, 1).index, Month(2080, 12).index, 7):
                    birth = Month.from_index(retire - plan.track.original_months)
                    form, figures = engine._shape(law, rules, plan, birth, on, key[5])
                    retirement = Month.parse(figures["month"]).index
                    direct = engine._at_retirement(law, rules, plan, retirement, on, key[5])
                    assert form[1:] == direct, (on, category, sex, track, retire)
