"""What an answer rests on, said in one line each: partial sources, and law after the last review.

``check`` already warns when a cited source is partial or summary-only;
``compare``, ``inequities`` and ``timeline`` say the same through
``source_warnings``. ``review_warning`` says when a date lies after the
corpus was last reviewed (``statutes/corpus/review.toml``): law made after
that day is not encoded, so an answer for a later day may be out of date.
"""

from __future__ import annotations

import datetime as _dt
from typing import Iterable

from socins_cli.errors import DataError

REVIEW_FILE = "corpus/review"


def review_date(law) -> _dt.date | None:
    """The day the corpus was last reviewed, or None where a statutes folder does not say."""
    raw = law.data.get(REVIEW_FILE)
    if raw is None:
        return None
    value = (raw.get("review") or {}).get("date")
    try:
        return _dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise DataError(f"{REVIEW_FILE}.toml", "review.date", value, "expected a date as a string, \"YYYY-MM-DD\"") from None


def review_warning(law, as_of: _dt.date) -> str | None:
    """The line that says an answer for ``as_of`` may miss law made after the last review."""
    reviewed = review_date(law)
    if reviewed is None or as_of <= reviewed:
        return None
    return (f"as_of {as_of.isoformat()} is after {reviewed.isoformat()}, when the encoded law was last reviewed: "
            "law made or changed since then is not encoded")


def source_warnings(law, cited: Iterable[tuple[dict, str]]) -> list[str]:
    """One line per cited version that is partial, summary-only or of less than high confidence.

    ``cited`` pairs a citation with what it supports (a scheme, a finding);
    the lines read as ``check``'s: ``hukou-2025 2025 is summary-only
    (confidence low); it decides or supports: <scheme id>``.
    """
    supports: dict = {}
    for c, what in cited:
        version = law.instruments.get(c["instrument"]) and law.version(c["instrument"], c["version"])
        if version is None or not version.is_gapped:
            continue
        entry = supports.setdefault((c["instrument"], c["version"]), (version, []))
        if what not in entry[1]:
            entry[1].append(what)
    return [f"{inst} {ver} is {v.completeness} (confidence {v.confidence}); it decides or supports: {', '.join(names)}"
            for (inst, ver), (v, names) in supports.items()]


def retirement_cited(result: dict) -> list[tuple[dict, str]]:
    """A retirement answer's citations, each with what it supports (the other reading's too), for
    ``source_warnings``."""
    cited = [(c, "retirement-age") for c in result.get("citations", ())]
    for other in result.get("alternatives") or ():
        cited += [(c, "retirement-age (other reading)") for c in other.get("citations", ())]
    return cited


def answer_warnings(law, as_of: _dt.date, cited: Iterable[tuple[dict, str]]) -> list[str]:
    """Everything an answer for ``as_of`` should say about what it rests on: partial sources, then a late date."""
    late = review_warning(law, as_of)
    return source_warnings(law, cited) + ([late] if late else [])


def validate_review(law) -> list[str]:
    """A review file, if there is one, holds a real date."""
    try:
        review_date(law)
    except DataError as exc:
        return [str(exc)]
    return []
