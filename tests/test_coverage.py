"""Answers say what they rest on: partial sources, law after the last review; timeline folds version moves; validate stays in its folder."""

from __future__ import annotations

import csv
import io
import json
import shutil


from cli_helpers import REPO, run
from socins_cli.law.coverage import review_date
from socins_cli.engines.timeline import fold_version_changes


def test_the_shipped_corpus_states_its_review_date(law):
    assert review_date(law) is not None


def test_check_after_the_review_date_warns_that_later_law_is_not_encoded(law):
    reviewed = review_date(law).isoformat()
    late = json.loads(run("check", "--category", "flexible", "--as-of", "2099-12-31", "-f", "json").out)
    assert any(f"after {reviewed}" in w and "not encoded" in w for w in late["warnings"])
    early = json.loads(run("check", "--category", "flexible", "--as-of", "2026-06-01", "-f", "json").out)
    assert not any("not encoded" in w for w in early["warnings"])


def test_retirement_after_the_review_date_warns_on_stderr_and_in_json():
    r = run("retirement", "--sex", "male", "--birth", "1970-01", "--as-of", "2040-01-01", "-f", "json")
    assert any("not encoded" in w for w in json.loads(r.out)["warnings"])
    r = run("retirement", "--sex", "male", "--birth", "1970-01", "--as-of", "2040-01-01", "-f", "markdown")
    assert "not encoded" in r.err


def test_compare_resting_on_the_summary_only_hukou_notice_says_so():
    # resident-medical for a flexible worker in 2026 rests on hukou-2025, known only from summaries.
    args = ("compare", "--category", "employee", "--category", "flexible", "--as-of", "2026-01-01")
    out = json.loads(run(*args, "-f", "json").out)
    assert any(w.startswith("hukou-2025 2025 is summary-only") and "resident-medical" in w for w in out["warnings"])
    assert "hukou-2025 2025 is summary-only" in run(*args, "-f", "table").err


def test_inequities_resting_on_partial_sources_say_so():
    out = json.loads(run("inequities", "--as-of", "2026-01-01", "-f", "json").out)
    assert any(w.startswith("maternity-merger-2019 2019 is partial") and "maternity-exclusion" in w
               for w in out["warnings"])


def test_timeline_resting_on_partial_sources_says_so():
    out = json.loads(run("timeline", "--category", "flexible", "--from", "2018-01-01", "--to", "2026-01-01",
                         "-f", "json").out)
    assert any(w.startswith("maternity-merger-2019 2019 is partial") for w in out["warnings"])


def test_timeline_folds_the_sil_2018_version_change_into_one_row():
    """In the rows people read (table, CSV, markdown); JSON Lines keeps every change with its citation objects."""
    out = run("timeline", "--category", "flexible", "--from", "2018-01-01", "--to", "2026-01-01", "-f", "csv").out
    rows = list(csv.DictReader(io.StringIO(out)))
    on_the_day = [r for r in rows if r["date"] == "2018-12-29"]
    assert len(on_the_day) == 1
    assert on_the_day[0]["changed"] == "version" and on_the_day[0]["citations"] == "sil 2010 → 2018"
    assert len(on_the_day[0]["scheme"].split("; ")) == 9
    # 2019-03-25: maternity cites a new instrument (the merger opinion): a real change keeps its row
    assert [r["scheme"] for r in rows if r["date"] == "2019-03-25"] == ["maternity"]
    lines = [json.loads(line) for line in run("timeline", "--category", "flexible", "--from", "2018-01-01", "--to",
                                              "2026-01-01", "-f", "jsonl").out.splitlines()]
    assert len([r for r in lines if r["date"] == "2018-12-29"]) == 9


def test_fold_keeps_a_change_of_article_or_status():
    def cite(version, article):
        return {"instrument": "sil", "version": version, "article": article}

    rows = [
        {"date": "2010-01-01", "scheme": "a", "changed": ["start"], "citations": [cite("2010", "10")]},
        {"date": "2010-01-01", "scheme": "b", "changed": ["start"], "citations": [cite("2010", "10")]},
        {"date": "2018-12-29", "scheme": "a", "changed": ["citations"], "citations": [cite("2018", "10")]},
        {"date": "2018-12-29", "scheme": "b", "changed": ["citations"], "citations": [cite("2018", "11")]},
    ]
    folded = fold_version_changes(rows)
    assert [(r["date"], r["scheme"]) for r in folded] == [
        ("2010-01-01", "a"), ("2010-01-01", "b"), ("2018-12-29", ["a"]), ("2018-12-29", "b")]


def test_validate_a_folder_that_is_not_a_statutes_folder_reads_nothing_under_it(tmp_path):
    nested = tmp_path / "some" / "project"
    nested.mkdir(parents=True)
    (nested / "pyproject.toml").write_text("this is [not valid toml", encoding="utf-8")
    r = run("validate", str(tmp_path), "-f", "json")
    assert r.code == 3
    problems = json.loads(r.out)["problems"]
    assert problems == [f"{tmp_path}: path = \"{tmp_path}\": expected a statutes folder, with instrument files "
                        "(*.toml) at its top level; none found"]


def test_validate_of_a_path_that_names_no_folder_is_bad_input_as_statutes_is(tmp_path):
    """Exit 2 as `--statutes` gives for it (a usage error); a folder that exists but fails validation exits 3."""
    missing = tmp_path / "nowhere"
    r = run("validate", str(missing))
    assert (r.code, r.out) == (2, "") and r.err == f'socins: error: path "{missing}": expected an existing statutes folder\n'
    assert run("show", "sil", "10", "--statutes", str(missing)).code == 2


def test_validate_ignores_folders_a_statutes_folder_does_not_define(tmp_path):
    dest = tmp_path / "statutes"
    shutil.copytree(REPO / "statutes", dest)
    (dest / "drafts").mkdir()
    (dest / "drafts" / "broken.toml").write_text("[[[", encoding="utf-8")
    r = run("validate", str(dest), "-f", "json")
    assert r.code == 0, r.out


def test_validate_refuses_a_review_date_that_is_not_a_date(tmp_path):
    dest = tmp_path / "statutes"
    shutil.copytree(REPO / "statutes", dest)
    (dest / "corpus" / "review.toml").write_text('[review]\ndate = "soon"\n', encoding="utf-8")
    r = run("validate", str(dest), "-f", "json")
    assert r.code == 3
    assert any("review.date" in p for p in json.loads(r.out)["problems"])
