"""``--fields <scheme>.citations`` is the full CSV's column of that name: where a version's text is not held and
another version's wording is quoted for it (work injury before 2011: wiir 2003, its wording from wiir 2010), the
full CSV lists the quoted wording after the citations, and ``--fields`` had left it out."""

from __future__ import annotations

import csv
import io
import json

from cli_helpers import run

ROW = {"person_id": "P1", "category": "employee", "sex": "male", "birth": "1951-10", "province": "xinjiang",
       "as_of": "2006-02-15"}


def test_fields_citations_equal_the_full_csv_column_with_the_quoted_wording():
    stdin = json.dumps(ROW) + "\n"
    full = run("check", "--input", "-", "--format", "csv", "-q", stdin=stdin)
    assert full.code == 0, full.err
    column = next(csv.DictReader(io.StringIO(full.out)))["work-injury.citations"]
    assert "wording of version 2010" in column  # the case this test is about
    chosen = run("check", "--input", "-", "--format", "csv", "-q", "--fields", "person_id,work-injury.citations",
                 stdin=stdin)
    assert chosen.code == 0, chosen.err
    assert next(csv.DictReader(io.StringIO(chosen.out)))["work-injury.citations"] == column
