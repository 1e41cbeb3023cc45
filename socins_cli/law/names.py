"""What an instrument is called: its id in any case, its Chinese titles, and the short names people cite it by.

Names come from the data alone: each instrument's ``title_zh``, each
version's ``title_zh``, the optional ``short_names`` of its file, and each of
these without the state name that opens the titles of national laws
(中华人民共和国社会保险法 is cited as 社会保险法, 实施《中华人民共和国社会保险法》
若干规定 as 实施《社会保险法》若干规定). A name two instruments share at
the same rank names neither: asking by it is an error that lists both.
"""

from __future__ import annotations

import unicodedata

from socins_cli.law.model import Instrument

#: Opens the title of every national law; citations usually leave it out.
STATE_NAME = "中华人民共和国"

#: Title quotes (书名号), dropped before names are compared: 《社会保险法》 and 社会保险法 are one name.
TITLE_QUOTES = frozenset("《》〈〉")

# Ranks: a full title beats a short name beats a derived form, so that a derived
# form never takes a name another instrument holds as its title.
TITLE, SHORT, DERIVED = 0, 1, 2


def name_key(text: str) -> str:
    """The form names are compared in: width-folded, title quotes and whitespace dropped."""
    out = []
    for c in text:
        if c in TITLE_QUOTES or c.isspace():
            continue
        folded = unicodedata.normalize("NFKC", c)
        out.append(folded if len(folded) == 1 else c)
    return "".join(out)


def instrument_names(inst: Instrument) -> list[tuple[str, int]]:
    """Every (name key, rank) an instrument is known by."""
    titles = [inst.title_zh] + [v.title_zh for v in inst.versions if v.title_zh]
    named = [(t, TITLE) for t in titles] + [(s, SHORT) for s in inst.short_names]
    out = []
    for name, rank in named:
        key = name_key(name)
        out.append((key, rank))
        without_state = key.replace(STATE_NAME, "")
        if without_state and without_state != key:  # 实施《中华人民共和国社会保险法》若干规定 → 实施社会保险法若干规定
            out.append((without_state, DERIVED if rank == TITLE else rank))
    return out


def build_name_index(instruments: dict[str, Instrument]) -> dict[str, tuple[str, ...]]:
    """Name key -> the ids of the instruments holding it at the best rank (more than one: ambiguous)."""
    best: dict[str, tuple[int, list[str]]] = {}
    for inst_id in sorted(instruments):
        for key, rank in instrument_names(instruments[inst_id]):
            held = best.get(key)
            if held is None or rank < held[0]:
                best[key] = (rank, [inst_id])
            elif rank == held[0] and inst_id not in held[1]:
                held[1].append(inst_id)
    return {key: tuple(ids) for key, (_, ids) in best.items()}


def validate_names(law) -> list[str]:
    """Problem lines for names two instruments share at the same rank: asking by such a name answers nothing."""
    problems = []
    for key, ids in sorted(law.names().items()):
        if len(ids) > 1:
            files = ", ".join(law.files.get(i, i) for i in ids)
            problems.append(f"{files}: instrument name = \"{key}\": names more than one instrument ({', '.join(ids)}); "
                            "give each a distinct title or short name")
    return problems
