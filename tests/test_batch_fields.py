"""``--brief`` and ``--fields``: batch rows people choose, checked on the shipped examples."""

from __future__ import annotations

import csv
import io
import json

import pytest

from cli_helpers import REPO, run
from socins_cli.batch.fields import brief, citation_ref, lookup

EXAMPLES = REPO / "examples"
SCHEMES = ("employee-pension", "resident-pension", "public-sector-pension", "employee-medical", "resident-medical",
           "work-injury", "unemployment", "maternity", "occupational-injury")


def test_examples_ship_the_same_people_in_four_forms():
    csv_rows = list(csv.DictReader(open(EXAMPLES / "people.csv", encoding="utf-8")))
    gb_rows = list(csv.DictReader(open(EXAMPLES / "people-gb18030.csv", encoding="gb18030")))
    jsonl_rows = [json.loads(line) for line in open(EXAMPLES / "people.jsonl", encoding="utf-8")]
    assert len(csv_rows) == len(gb_rows) == len(jsonl_rows) >= 200
    assert csv_rows == gb_rows
    assert [r["person_id"] for r in csv_rows] == [r["person_id"] for r in jsonl_rows]
    assert (EXAMPLES / "census.parquet").stat().st_size > 0
    assert any("省" in r["province"] for r in gb_rows)  # Chinese names, so the encoding matters


def test_brief_rows_average_at_most_1400_bytes_and_keep_every_scheme_with_the_contracts_fields():
    r = run("check", "--input", "examples/people.csv", "--brief", "-q")
    assert r.code == 0, r.err
    lines = r.out.encode("utf-8").splitlines()
    assert len(lines) == 300
    assert sum(len(line) for line in lines) / len(lines) <= 1400
    first = json.loads(lines[0])
    assert set(first["schemes"]) == set(SCHEMES)
    schemes = [s for line in lines for s in json.loads(line).get("schemes", {}).values()]
    # The contract: per scheme status, settled, payers, citation labels, in every row.
    assert schemes and all(set(s) == {"status", "settled", "payers", "citations"} for s in schemes)
    assert {s["settled"] for s in schemes} == {True, False} and any(s["payers"] == [] for s in schemes)
    assert "notes" not in json.dumps(first)


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_brief_csv_of_a_file_with_no_people_is_the_header_a_one_row_file_starts_with(tmp_path, fmt):
    """As the full CSV does: a reader of an empty result still learns its columns."""
    header = "person_id,category,sex,birth\n"
    (tmp_path / "none.csv").write_text(header, encoding="utf-8")
    (tmp_path / "one.csv").write_text(header + "p1,flexible,male,1980-01\n", encoding="utf-8")
    none = run("check", "--input", str(tmp_path / "none.csv"), "--brief", "--format", fmt, "-q")
    one = run("check", "--input", str(tmp_path / "one.csv"), "--brief", "--format", fmt, "-q")
    assert none.code == one.code == 0, none.err + one.err
    assert none.out.splitlines() == one.out.splitlines()[:1]
    assert none.out.startswith("person_id") and "employee-pension.status" in none.out


def test_brief_flexible_worker_cites_sil_10_2_unpinned_when_the_2018_version_is_in_force():
    record = json.loads(run("check", "--category", "flexible", "--as-of", "2024-06-30", "-f", "json").out)
    from socins_cli.law.load import load_law

    from socins_cli.batch.fields import _in_force

    row = brief(record, _in_force(load_law()))
    assert row["schemes"]["employee-pension"] == {"status": "voluntary", "settled": True, "payers": ["individual"],
                                                  "citations": ["sil:10:2", "sil:12:3"]}
    assert row["schemes"]["maternity"]["settled"] is False and row["schemes"]["maternity"]["payers"] == []
    assert brief(record)["schemes"]["employee-pension"]["citations"] == ["sil@2018:10:2", "sil@2018:12:3"]


def test_brief_names_the_partial_sources_its_citations_rest_on():
    record = json.loads(run("check", "--category", "flexible", "--as-of", "2024-06-30", "-f", "json").out)
    assert "maternity-merger-2019@2019" in brief(record)["partial_sources"]


def test_citation_refs_follow_the_statutes_reference_form():
    assert citation_ref({"instrument": "sil", "version": "2018", "article": "10", "paragraph": 2}) == "sil@2018:10:2"
    assert citation_ref({"instrument": "hukou-2025", "version": "2025", "fact": "n"}, "2025") == "hukou-2025#n"
    assert citation_ref({"instrument": "retire-2024", "version": "2024", "table": "annex-3"}) == "retire-2024@2024/annex-3"


def test_fields_csv_gives_exactly_the_named_columns():
    r = run("check", "--input", "examples/people.csv", "--fields", "person_id,employee-pension.status", "--format", "csv",
            "-q")
    assert r.code == 0, r.err
    rows = list(csv.reader(io.StringIO(r.out)))
    assert rows[0] == ["person_id", "employee-pension.status"]
    assert len(rows) == 301
    assert {row[1] for row in rows[1:]} <= {"mandatory", "voluntary", "pilot", "not-eligible"}


def test_fields_jsonl_keys_in_the_order_named_for_retirement():
    r = run("retirement", "--input", "examples/people.jsonl", "--fields",
            "retirement_month,person_id,statutory_age.years,person.sex", "-q")
    assert r.code == 0, r.err
    first = json.loads(r.out.splitlines()[0])
    assert list(first) == ["retirement_month", "person_id", "statutory_age.years", "person.sex"]


def test_fields_from_parquet_and_gb18030_inputs():
    for path in ("examples/census.parquet", "examples/people-gb18030.csv"):
        r = run("check", "--input", path, "--fields", "person_id,maternity.status", "-q")
        assert r.code == 0, (path, r.err)
        assert len(r.out.splitlines()) == 300


@pytest.mark.parametrize("path", ["examples/people.jsonl", "examples/people.csv", "examples/census.parquet"])
def test_a_person_attribute_as_a_field_is_its_normalised_value_and_an_option_exits_2_in_every_format(path):
    """A bare attribute is read as the person, never carried: it was null in every JSON Lines row."""
    r = run("check", "--input", path, "--fields", "person_id,category,person.category", "--format", "csv", "-q")
    assert r.code == 0, r.err
    rows = list(csv.DictReader(io.StringIO(r.out)))
    assert len(rows) == 300 and all(row["category"] == row["person.category"] for row in rows)
    assert {row["category"] for row in rows} <= {"employee", "civil-servant", "self-employed", "part-time",
                                                 "flexible", "platform", "resident", ""}
    assert any(row["category"] for row in rows)
    r = run("retirement", "--input", path, "--fields", "sex,birth,person.sex,person.birth", "--format", "jsonl", "-q")
    got = [json.loads(line) for line in r.out.splitlines()]
    assert got and all((g["sex"], g["birth"]) == (g["person.sex"], g["person.birth"]) for g in got)
    assert any(g["birth"] for g in got)
    r = run("check", "--input", path, "--fields", "-q")
    assert r.code == 2 and r.out == "" and '"-q"' in r.err


def test_unknown_field_exits_2_listing_the_allowed_ones():
    r = run("check", "--input", "examples/people.csv", "--fields", "person_id,employee-pension.colour", "-q")
    assert r.code == 2
    assert "employee-pension.colour" in r.err and "employee-pension.status" in r.err and "person_id" in r.err
    assert r.out == ""


def test_fields_keep_a_failed_row_in_place_with_its_error():
    rows = "person_id,category,birth\nA,flexible,1980-01\nB,astronaut,1980-01\n"
    r = run("check", "--input", "-", "--input-format", "csv", "--fields", "person_id,line,error,maternity.status",
            "--format", "csv", "-q", stdin=rows)
    assert r.code == 2
    out = list(csv.DictReader(io.StringIO(r.out)))
    assert [o["person_id"] for o in out] == ["A", "B"]
    assert out[1]["line"] == "3" and "astronaut" in out[1]["error"] and out[1]["maternity.status"] == ""


@pytest.mark.parametrize("args", [("--brief",), ("--fields", "as_of")])
def test_brief_and_fields_are_refused_for_one_person(args):
    r = run("check", "--category", "flexible", *args)
    assert r.code == 2 and "--input" in r.err


def test_lookup_reads_scheme_fields_and_dotted_paths():
    record = {"person_id": "x", "person": {"sex": "male"}, "schemes": [{"scheme": "maternity", "status": "pilot"}]}
    assert lookup(record, "maternity.status", "check") == "pilot"
    assert lookup(record, "person.sex", "check") == "male"
    assert lookup(record, "person_id", "check") == "x"


def _projected(rows, job_name: str, fmt: str, fields=None, brief_rows=False, through_jsonl=False) -> bytes:
    """What a Projection writes for ``rows``: from the answers on the row path, or parsed back from full JSON Lines."""
    import datetime

    from socins_cli.batch.fields import Projection
    from socins_cli.batch.jobs import make_job
    from socins_cli.batch.rows import run_batch
    from socins_cli.law.load import load_law

    law = load_law()
    out = io.BytesIO()
    projection = Projection(out, job_name, fmt, fields=fields, brief_rows=brief_rows, law=law)
    job, on = make_job(job_name, law), datetime.date(2025, 6, 30)
    if through_jsonl:
        full = io.BytesIO()
        run_batch(list(enumerate(rows, 1)), job, full, "jsonl", default_as_of=on)
        projection.write(full.getvalue())
    else:
        run_batch(list(enumerate(rows, 1)), job, projection, "jsonl", default_as_of=on)
    projection.close()
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "tsv"])
@pytest.mark.parametrize("job_name,fields,brief_rows", [
    ("check", None, True),
    ("check", ["person_id", "employee-pension.status", "maternity.citations", "as_of", "person.category",
               "error", "inequities"], False),  # not line: full JSON Lines give it error records only
    ("retirement", ["person_id", "retirement_month", "statutory_age.years", "person.sex", "error"], False),
])
def test_answers_shaped_once_per_answer_match_the_rows_parsed_back_from_json_lines(fmt, job_name, fields, brief_rows):
    rows = [json.loads(line) for line in open(EXAMPLES / "people.jsonl", encoding="utf-8")]
    rows[3] = {**rows[3], "score": 1.5, "tags": ["a", 2], "flag": None}  # carried values that are not text
    rows[5] = {**rows[5], "partial_sources": "mine"}  # a carried column a brief row also names
    rows[7] = {**rows[7], "maternity.status": "=1"}  # a dotted carried column, and a cell to neutralise
    rows[9] = {**rows[9], "birth": "1990-13"}  # a failed row keeps its place
    rows[0] = {**rows[0], "sex": "x"}  # the first row fails: the columns come from its error record
    shaped = _projected(rows, job_name, fmt, fields, brief_rows)
    parsed_back = _projected(rows, job_name, fmt, fields, brief_rows, through_jsonl=True)
    if brief_rows and fmt != "jsonl":  # full JSON Lines give no answered row its line: parsed back, it is blank
        shaped = _blank_answered_lines(shaped, "\t" if fmt == "tsv" else ",", len(rows))
    assert shaped == parsed_back
    assert len(shaped.splitlines()) == len(rows) + (fmt != "jsonl")


def _blank_answered_lines(data: bytes, delimiter: str, count: int) -> bytes:
    """Brief CSV rows with the ``line`` cell of each answered row checked (its input line) and then emptied."""
    records = list(csv.reader(io.StringIO(data.decode("utf-8"), newline=""), delimiter=delimiter))
    where, failed = records[0].index("line"), records[0].index("error")
    assert len(records) == count + 1
    for number, record in enumerate(records[1:], 1):
        assert record[where] == str(number)  # every row, answered or failed, says its line as the full CSV does
        if not record[failed]:
            record[where] = ""
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n" if delimiter == "\t" else "\r\n").writerows(records)
    return out.getvalue().encode("utf-8")


FIRST_UNREADABLE = {
    "jsonl": 'oops\n{"person_id": "a", "category": "employee", "as_of": "2020-01-01"}\n',
    "csv": "person_id,category,as_of\na,employee,2020-01-01,EXTRA\nb,employee,2020-01-01\n",
}


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
@pytest.mark.parametrize("out", ["jsonl", "csv"])
def test_fields_with_a_carried_column_survive_a_first_row_that_cannot_be_read(fmt, out):
    """The header (or, in JSON Lines, no row) decides which columns exist: every row yields its row or error."""
    r = run("check", "--input", "-", "--input-format", fmt, "--fields", "person_id,line,error,employee-pension.status",
            "--format", out, "-q", stdin=FIRST_UNREADABLE[fmt])
    assert r.code == 2, r.err
    rows = [json.loads(line) for line in r.out.splitlines()] if out == "jsonl" else list(
        csv.DictReader(io.StringIO(r.out)))
    assert len(rows) == 2 and rows[0]["error"] and not rows[1]["error"], rows
    assert [row["person_id"] for row in rows] == ["" if out == "csv" else None, "a" if fmt == "jsonl" else "b"]


def test_fields_name_a_carried_column_the_first_json_row_lacks():
    rows = '{"category": "employee", "as_of": "2020-01-01"}\n{"person_id": "b", "category": "flexible", "as_of": "2020-01-01"}\n'
    r = run("check", "--input", "-", "--fields", "person_id,person.category", "-q", stdin=rows)
    assert r.code == 0, r.err
    assert [json.loads(line) for line in r.out.splitlines()] == [
        {"person_id": None, "person.category": "employee"}, {"person_id": "b", "person.category": "flexible"}]
    typo = run("check", "--input", "-", "--fields", "person_id,employee-pension.colour", "-q", stdin=rows)
    assert typo.code == 2 and "employee-pension.colour" in typo.err and typo.out == ""


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_brief_csv_carried_columns_come_from_the_header_or_a_readable_row(fmt):
    r = run("check", "--input", "-", "--input-format", fmt, "--brief", "--format", "csv", "-q",
            stdin=FIRST_UNREADABLE[fmt])
    rows = list(csv.DictReader(io.StringIO(r.out)))
    assert r.code == 2 and len(rows) == 2, r.err
    assert rows[1]["person_id"] == ("a" if fmt == "jsonl" else "b") and rows[1]["employee-pension.status"]


def test_brief_csv_keeps_later_rows_carried_values_in_extra_as_the_full_csv_does():
    rows = ('{"category": "employee", "as_of": "2020-01-01"}\n'
            '{"person_id": "b", "category": "flexible", "as_of": "2020-01-01"}\n')
    brief_csv = list(csv.DictReader(io.StringIO(run("check", "--input", "-", "--brief", "--format", "csv", "-q",
                                                    stdin=rows).out)))
    full_csv = list(csv.DictReader(io.StringIO(run("check", "--input", "-", "--format", "csv", "-q", stdin=rows).out)))
    assert [row["extra"] for row in brief_csv] == [row["extra"] for row in full_csv] == ["", '{"person_id":"b"}']


@pytest.mark.parametrize("path", ["examples/people.jsonl", "examples/people.csv", "examples/census.parquet"])
def test_fields_line_is_every_rows_line_not_only_a_failed_ones(path):
    r = run("check", "--input", path, "--fields", "person_id,line,error", "-q")
    assert r.code == 0, r.err
    lines = [json.loads(row)["line"] for row in r.out.splitlines()]
    first = 2 if path.endswith(".csv") else 1  # a CSV's header is its line 1
    assert lines == list(range(first, first + 300))


@pytest.mark.parametrize("projection", [["--brief"], ["--fields", "line,error,employee-pension.status"]])
def test_a_projected_csv_error_cell_reads_as_the_full_csv_writes_it(projection):
    """One row, one error text: the full CSV's error cell, the stderr summary and a --brief or --fields cell alike
    (a JSON value in an error line reads as JSON: ["a"], true, not Python's ['a'], True)."""
    rows = 'category,employers,waiver\nx,1,\nemployee,"[""a""]",\nresident,,true\nemployee,1,\n'
    full = list(csv.DictReader(io.StringIO(run("check", "--input", "-", "--input-format", "csv", "--format", "csv",
                                               stdin=rows).out)))
    r = run("check", "--input", "-", "--input-format", "csv", "--format", "csv", *projection, stdin=rows)
    projected = list(csv.DictReader(io.StringIO(r.out)))
    assert r.code == 2 and len(full) == len(projected) == 4
    assert [p["error"] for p in projected] == [f["error"] for f in full]
    assert projected[0]["error"].startswith('category "x": ') and projected[1]["error"].startswith('employers "[')
    assert projected[2]["error"].startswith('waiver "true": ') and projected[3]["error"] == ""
    assert r.err.rstrip().endswith(full[0]["error"])


@pytest.mark.parametrize("source", ["people.csv", "people.jsonl"])
def test_brief_csv_rows_say_their_line_as_the_full_csv_rows_do(source, tmp_path):
    """Joining brief rows back to their input by ``line`` works for answered rows too, not only failed ones."""
    text = (EXAMPLES / source).read_text(encoding="utf-8").splitlines()
    text[4] = "bad,flexible,,female,2004-13,,,,,," if source.endswith(".csv") else '{"person_id": "bad", "birth": "x"}'
    path = tmp_path / source
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    kept = {}
    for brief_rows in (True, False):
        r = run("check", "--input", str(path), "--format", "csv", "-q", *(["--brief"] if brief_rows else []))
        kept[brief_rows] = [(row["line"], row["error"]) for row in csv.DictReader(io.StringIO(r.out))]
    assert kept[True] == kept[False]
    assert all(line for line, _ in kept[True]) and any(error for _, error in kept[True])


@pytest.mark.parametrize("args", [("--brief", "--format", "csv"), ("--brief",), ("--format", "csv"), ()])
def test_a_carried_partial_sources_column_is_kept_as_input_partial_sources_beside_the_brief_rows_own(args, tmp_path):
    """A brief row says partial_sources itself: a carried column of that name had been overwritten by it."""
    path = tmp_path / "rows.jsonl"
    path.write_text('{"person_id": "a", "category": "flexible", "partial_sources": "mine"}\n', encoding="utf-8")
    r = run("check", "--input", str(path), "--as-of", "2026-06-01", "-q", *args)
    assert r.code == 0, r.err
    row = next(csv.DictReader(io.StringIO(r.out))) if "csv" in args else json.loads(r.out.splitlines()[0])
    assert row["input.partial_sources"] == "mine"
    if "--brief" in args:
        assert "hukou-2025@2025" in row["partial_sources"]
