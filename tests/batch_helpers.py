"""Fake jobs and in-memory runs for the batch tests (no law needed)."""

from __future__ import annotations

import csv
import io

import orjson

from socins_cli.batch.run import run_batch
from socins_cli.batch.read import Source, read_rows
from socins_cli.batch.resolve import Job


def _evaluate_by_place(person):
    """Depends on category, province and whether as_of is 2020 or later; notes hold CSV-hostile text."""
    recent = person.as_of.year >= 2020
    return {
        "as_of": person.as_of.isoformat(),
        "person": person.as_dict(),
        "answer": f"{person.category}/{person.province}/{'recent' if recent else 'old'}",
        "notes": '=cmd|"/c calc"!A1, a "quoted", two\nlines',
        "flags": [person.category, "x"],
        "settled": recent,
    }


PLACE_JOB = Job(
    name="place",
    evaluate=_evaluate_by_place,
    key_a=lambda p: (p.category, p.province, p.as_of.year >= 2020),
    key_b=lambda p: (),
    columns=("answer", "notes", "flags", "settled"),
    flatten=lambda d: {"answer": d["answer"], "notes": d["notes"], "flags": d["flags"], "settled": d["settled"]},
    output_keys=("as_of", "person", "answer", "notes", "flags", "settled"),
    require_category=True,
    column_types={"settled": "bool"},
)


def _evaluate_by_age(person):
    """Depends on sex, birth year and category: a key that reads B attributes."""
    year = person.birth.year if person.birth else None
    return {"as_of": person.as_of.isoformat(), "person": person.as_dict(),
            "answer": f"{person.sex}/{year}/{person.category}", "decade": year // 10 * 10 if year else None}


AGE_JOB = Job(
    name="age",
    evaluate=_evaluate_by_age,
    key_a=lambda p: p.category,
    key_b=lambda p: (p.sex, p.birth.year if p.birth else None),
    columns=("answer", "decade"),
    flatten=lambda d: dict(d),
    output_keys=("as_of", "person", "answer", "decade"),
    column_types={"decade": "int"},
)


def run_bytes(data: bytes, job: Job, in_fmt: str = "jsonl", out_fmt: str = "jsonl", encoding: str = "auto",
              bom: bool = False, **kw):
    """Run a batch over ``data`` (as if read from stdin); returns (counts, output bytes)."""
    source = Source("-", encoding, stdin=io.BytesIO(data))
    out = io.BytesIO()
    counts = run_batch(read_rows(source, in_fmt), job, out, out_fmt, bom=bom, **kw)
    return counts, out.getvalue()


def jsonl_records(output: bytes) -> list[dict]:
    return [orjson.loads(line) for line in output.splitlines()]


def csv_records(output: bytes, delimiter: str = ",") -> list[dict]:
    text = output.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))


def jsonl_bytes(rows) -> bytes:
    return b"".join(orjson.dumps(r) + b"\n" for r in rows)


def csv_bytes(rows, columns, delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    for r in rows:
        writer.writerow(["" if r.get(c) is None else r.get(c) for c in columns])
    return buf.getvalue().encode(encoding)
