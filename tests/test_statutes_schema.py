"""Shape of every top-level instrument file: loads, unique ids, ordered dates, enums, gap notes."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections import Counter

import pytest

from refparse import instrument_files, raw_versions
from socins_cli.law.load import build_law
from socins_cli.law.model import COMPLETENESS, CONFIDENCE

FILES = instrument_files()
VERSIONS = raw_versions()


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_instrument_file_loads(path):
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    assert isinstance(doc.get("instrument"), dict), f"{path.name}: no [instrument] table"
    assert doc.get("version"), f"{path.name}: no [[version]]"


def test_whole_corpus_loads(law):
    assert law.instruments


def test_instrument_ids_unique():
    ids = [tomllib.loads(p.read_text(encoding="utf-8"))["instrument"]["id"] for p in FILES]
    dup = [i for i, n in Counter(ids).items() if n > 1]
    assert not dup, f"instrument ids used by more than one file: {dup}"


def test_loader_rejects_duplicate_instrument_id(tmp_path):
    body = '[instrument]\nid = "x"\ntitle_zh = "x"\ntitle_en = "x"\n[[version]]\nid = "1"\neffective = 2000-01-01\ncompleteness = "whole"\nconfidence = "high"\n'
    (tmp_path / "a.toml").write_text(body, encoding="utf-8")
    (tmp_path / "b.toml").write_text(body, encoding="utf-8")
    with pytest.raises(Exception, match="unique"):
        build_law(tmp_path)


@pytest.mark.parametrize("inst_id", sorted({k.split("@")[0] for k, _ in VERSIONS}))
def test_versions_ordered_and_not_overlapping(inst_id, law):
    inst = law.instrument(inst_id)
    ids = [v.id for v in inst.versions]
    assert len(ids) == len(set(ids)), f"{inst_id}: version ids repeat: {ids}"
    for v in inst.versions:
        if v.repealed is not None:
            assert v.effective < v.repealed, f"{inst_id}@{v.id}: effective {v.effective} not before repealed {v.repealed}"
        if v.adopted is not None:
            assert v.adopted <= v.effective, f"{inst_id}@{v.id}: adopted {v.adopted} after effective {v.effective}"
    for earlier, later in zip(inst.versions, inst.versions[1:]):
        assert earlier.repealed is not None, f"{inst_id}@{earlier.id} has no repealed date but {later.id} follows it"
        assert earlier.repealed <= later.effective, (
            f"{inst_id}: {earlier.id} (to {earlier.repealed}) overlaps {later.id} (from {later.effective})"
        )


@pytest.mark.parametrize("key,raw", VERSIONS, ids=[k for k, _ in VERSIONS])
def test_version_fields(key, raw):
    assert isinstance(raw.get("effective"), dt.date), f"{key}: effective must be a TOML date"
    assert raw.get("completeness") in COMPLETENESS, f"{key}: completeness {raw.get('completeness')!r}"
    assert raw.get("confidence") in CONFIDENCE, f"{key}: confidence {raw.get('confidence')!r}"
    if raw["completeness"] != "whole":
        assert raw.get("completeness_note"), f"{key}: not whole, so completeness_note is required"
    if raw["confidence"] != "high":
        assert raw.get("confidence_note"), f"{key}: not high confidence, so confidence_note is required"
    if raw.get("date_certain") is False:
        assert raw.get("date_note"), f"{key}: date_certain = false needs a date_note saying how the date was inferred"


@pytest.mark.parametrize("key,raw", VERSIONS, ids=[k for k, _ in VERSIONS])
def test_article_numbers_unique_within_version(key, raw):
    numbers = [str(a.get("number")) for a in raw.get("article") or []]
    dup = [n for n, c in Counter(numbers).items() if c > 1]
    assert not dup, f"{key}: article numbers repeat: {dup}"
    for a in raw.get("article") or []:
        paras = a.get("paragraphs")
        assert isinstance(paras, list) and paras and all(isinstance(p, str) and p for p in paras), (
            f"{key}: article {a.get('number')} needs a non-empty list of non-empty paragraphs"
        )
        label = a.get("label", "")
        assert not label or paras[0].startswith(label), f"{key}: article {a.get('number')} does not begin with its label {label!r}"


@pytest.mark.parametrize("unit, value, wrong", [
    ("year", 63, False), ("year", 15.5, False), ("year", 15.3333, False), ("year", 60.3, True), ("year", -1, True),
    ("share", 0.16, False), ("share", 1.5, True), ("month", 36, False), ("month", 2.5, True),
    ("month", "1965-01", False), ("month", "1965-13", True), ("yuan a month", float("nan"), True),
])
def test_a_parameter_number_must_be_finite_and_in_its_units_range(unit, value, wrong):
    from socins_cli.law.schema import parameter_value_problem

    assert (parameter_value_problem(unit, value) is not None) is wrong
