"""The engines as batch jobs: ``check_job(law)`` and ``retirement_job(law)``.

A job is the engine's answer without its echo (``check_core``,
``retirement_core``), its key in two halves (what a result depends on
besides the person echo: ``key_a`` from category ... as_of, ``key_b`` from
sex, female_track, birth) and the flat columns of CSV/Parquet output. The
flat columns leave out the echo: the batch writer puts the normalised
attributes (``category`` ... ``as_of``) in front of them.

check: per scheme ``<scheme>.status``, ``.payers``, ``.settled``,
``.citations``, ``.rule``, ``.notes``; then ``inequities`` (finding ids) and
``warnings``. retirement: the engine's own flat columns (``FLAT_COLUMNS``)
without the echo. Lists are joined with ``"; "``; citations read
``sil 2018 art. 10 para 2``.
"""

from __future__ import annotations

from socins_cli.batch.resolve import Job
from socins_cli.law import vocabulary
from socins_cli.batch.write import cell_text
from socins_cli.law.model import citation_label

_ECHO = ("as_of", "person")
_PER_SCHEME = ("status", "payers", "settled", "citations", "rule", "notes")


def check_job(law) -> Job:
    from socins_cli.engines import answers

    schemes = vocabulary.of(law).schemes
    columns = tuple(f"{s}.{f}" for s in schemes for f in _PER_SCHEME) + ("inequities", "warnings")

    seen: dict = {}  # id(entry) -> (entry, its cells): batches share scheme entries between results

    def scheme_cells(s: dict) -> tuple:
        found = seen.get(id(s))
        if found is None or found[0] is not s:  # the entry itself is held, so its id is not reused
            if len(seen) >= 4096:
                seen.clear()
            sid = s["scheme"]
            payers = s.get("payers")
            # Lists as the text of their cell, joined once per entry: every result sharing it shares the text.
            values = (s.get("status"), None if payers is None else cell_text(payers), s.get("settled"),
                      "; ".join(citation_label(c) for c in s.get("citations", ())), s.get("rule"), s.get("notes"))
            found = seen[id(s)] = (s, tuple((f"{sid}.{f}", v) for f, v in zip(_PER_SCHEME, values)))
        return found[1]

    def flatten(data: dict) -> dict:
        """Flat cells; an entry's cells are worked out once while it lives (read them, do not change them)."""
        flat = {}
        for s in data.get("schemes", ()):
            flat.update(scheme_cells(s))
        flat["inequities"] = [i.get("id") for i in data.get("inequities", ())]
        flat["warnings"] = data.get("warnings")
        return flat

    return Job(
        name="check",
        # the echo is the batch's to write; the entries are only read (rendered), so shared
        evaluate=lambda person: answers.check_core(law, person, person.as_of, shared=True),
        key_a=lambda person: answers.check_key_a(law, person),
        key_b=lambda person: answers.check_key_b(law, person),
        columns=columns,
        flatten=flatten,
        output_keys=("as_of", "person", "schemes", "inequities", "warnings"),
        echo_keys=_ECHO,
        require_category=True,
        column_types={f"{s}.settled": "bool" for s in schemes},
    )


def retirement_job(law) -> Job:
    from socins_cli.engines import retirement as engine

    echo_columns = {"as_of", "category", "relation", "sex", "birth", "female_track"}
    columns = tuple(c for c in engine.FLAT_COLUMNS if c not in echo_columns)

    def flatten(data: dict) -> dict:
        return engine.flatten(data)

    return Job(
        name="retirement",
        evaluate=lambda person: engine.retirement_core(law, person),  # the echo is the batch's to write
        key_a=lambda person: engine.retirement_key_a(person, law),
        key_b=engine.retirement_key_b,
        former=lambda person, hole: engine.retirement_former(law, person, hole),
        columns=columns,
        flatten=flatten,
        output_keys=("as_of", "person", "rule", "track", "track_label", "original_age", "statutory_age",
                     "delay_months", "retirement_month", "earliest_flexible_month", "latest_flexible_month",
                     "minimum_contribution_years", "settled", "notes", "citations", "alternatives"),
        echo_keys=_ECHO,
        require_category=False,
        column_types={"original_age": "int", "statutory_age_years": "int", "statutory_age_months": "int",
                      "delay_months": "int", "minimum_contribution_years": "float", "settled": "bool"},
    )


JOBS = {"check": check_job, "retirement": retirement_job}


def make_job(name: str, law) -> Job:
    return JOBS[name](law)
