"""What keeps batch memory flat: equal answers and equal echo pieces are held once, not once per key.

A million rows meet tens of thousands of keys but few distinct answers; each
test below fails when the thing it names is copied per key again.
"""

from __future__ import annotations

import dataclasses
import io

from batch_helpers import PLACE_JOB
from socins_cli.batch.jobs import check_job
from socins_cli.batch.resolve import A_ATTRIBUTES, Resolver
from socins_cli.batch.write import DelimitedSink, JsonlSink
from socins_cli.law.load import load_law
from socins_cli.person import CATEGORIES, PROVINCES, make_person

AS_OF = "2026-06-01"


def _a(category, province):
    """The A half of a batch key: category and province given, as_of the test's date, the rest unset."""
    return tuple({"category": category, "province": province, "as_of": AS_OF}.get(k) for k in A_ATTRIBUTES)


def _fresh(text: str) -> str:
    """An equal string that is another object, as each parsed row gives."""
    return "".join(list(text))


def test_a_check_job_holds_one_scheme_answer_per_scheme_key():
    """An employee's schemes do not read the province: every province's answer holds the same scheme entries."""
    law = load_law()
    job = check_job(law)
    for category in CATEGORIES:
        relation = "labor" if category == "platform" else None
        results = [job.evaluate(make_person(category=category, relation=relation, province=province, sex="male",
                                            birth="1980-01", as_of=AS_OF)) for province in sorted(PROVINCES)[:8]]
        shared = [all(r["schemes"][i] is results[0]["schemes"][i] for r in results)
                  for i in range(len(results[0]["schemes"]))]
        if category == "employee":
            assert all(shared)
        assert any(shared)  # some scheme of every category reads no province


def test_keys_with_equal_answers_hold_one_rendered_answer():
    """Provinces are in the key but not in the answer: every province's key holds the same rendered object."""
    job = dataclasses.replace(PLACE_JOB, evaluate=lambda p: {"answer": p.category, "notes": "n" * 500})
    sink = JsonlSink(io.BytesIO(), job.echo_keys)
    resolver = Resolver(job, sink.render)
    provinces = sorted(PROVINCES)[:10]
    answers = []
    for province in provinces:
        a, b = resolver.parts(_a("employee", province), (None, None, None))
        answers.append(resolver.rendered(a, b))
    assert len(resolver.results) == len(provinces)
    assert all(answer is answers[0] for answer in answers)
    whole = sink.render({"answer": "employee", "notes": "n" * 500})[1]
    assert resolver.held < whole + len(provinces) * 200  # one answer's cost, then a key's


def test_parts_of_one_province_share_its_echo_piece_and_raw_text():
    resolver = Resolver(PLACE_JOB, dict)
    parts = [resolver.parts(_a(category, _fresh("guangdong")), (None, None, None))[0]
             for category in ("employee", "flexible")]
    assert parts[0].core is not parts[1].core
    assert parts[0].json_province is parts[1].json_province
    keys = [next(k for k in part.core.parts if k == "guangdong") for part in parts]
    assert keys[0] is keys[1]


def test_csv_attribute_cells_are_shared_by_core_and_by_province():
    sink = DelimitedSink(io.BytesIO(), PLACE_JOB.columns, PLACE_JOB.flatten)
    sink.set_carried([])
    resolver = Resolver(PLACE_JOB, sink.render)

    def cells(category, province):
        a, b = resolver.parts(_a(category, province), ("female", None, None))
        sink._attributes(a, b)
        return a.memo

    gd, bj, other = cells("employee", "guangdong"), cells("employee", "beijing"), cells("flexible", "guangdong")
    assert gd[0] is bj[0] and gd[2] is bj[2]  # one core
    assert gd[1] is other[1]  # one province
    assert "".join(gd).count("guangdong") == 1 and "employee" in gd[0]


def test_brief_rows_hold_answers_without_their_prose():
    """``--brief`` rows read no notes: what a brief batch holds per answer keeps none (a full one parsed back is
    some 40 KB of objects, once per distinct answer and worker); ``--fields`` may ask for notes and keeps them."""
    from socins_cli.batch.fields import Projection

    law = load_law()
    job = check_job(law)
    answer = job.evaluate(make_person(category="flexible", sex="female", birth="1980-01", province="guangdong",
                                      as_of=AS_OF))
    answer = {k: v for k, v in answer.items() if k not in job.echo_keys}
    brief = Projection(io.BytesIO(), "check", "jsonl", brief_rows=True, law=law).row_sink(job)
    held, _ = brief.render(answer)
    assert held["schemes"] and all(set(s) == {"scheme", "status", "settled", "payers", "citations"} & set(s)
                                   and "notes" not in s for s in held["schemes"])
    assert held["inequities"] and all(set(i) == {"id"} for i in held["inequities"])
    assert "warnings" not in held
    fields = Projection(io.BytesIO(), "check", "jsonl", fields=["employee-pension.notes"], law=law).row_sink(job)
    assert all("notes" in s for s in fields.render(answer)[0]["schemes"])
