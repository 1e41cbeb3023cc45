"""The law's vocabulary, as ``statutes/corpus/vocabulary.toml`` declares it.

The schemes (ids in output order, with their Chinese names), the statuses
and payers an answer is given in, the category inequity findings compare
with and the topics a finding may name instead of a scheme are data, so
adding a scheme is an edit of the statutes folder, never of Python. A rule,
addendum or finding naming a word this file lacks is a validation error.

``of(law)`` reads the vocabulary of a loaded law; the module attributes
(``SCHEMES``, ``SCHEME_NAMES``, ``STATUSES``, ``PAYERS``, ``COMPARED``,
``TOPICS``) are those of the statutes folder in use (``law.statutes_dir``),
for the faces that name the words before any law is loaded (column names,
help texts).
"""

from __future__ import annotations

import functools

import msgspec

from socins_cli.errors import DataError

VOCABULARY_FILE = "corpus/vocabulary"


class Vocabulary(msgspec.Struct, frozen=True):
    scheme_names: dict  # scheme id -> its Chinese name, in output order
    statuses: tuple
    payers: tuple
    compared: str
    topics: tuple

    @property
    def schemes(self) -> tuple:
        return tuple(self.scheme_names)


def from_data(raw: dict | None) -> Vocabulary:
    """The vocabulary in a parsed ``corpus/vocabulary.toml`` (already checked against its schema)."""
    if raw is None:
        raise DataError(f"statutes/{VOCABULARY_FILE}.toml", "(file)", None,
                        "the vocabulary (schemes, statuses, payers, topics) is missing")
    return Vocabulary(
        scheme_names={s["id"]: s["name_zh"] for s in raw["scheme"]},
        statuses=tuple(raw["answer"]["statuses"]),
        payers=tuple(raw["answer"]["payers"]),
        compared=raw["findings"]["compared"],
        topics=tuple(raw["findings"]["topics"]),
    )


def of(law) -> Vocabulary:
    """The vocabulary the law was loaded with."""
    return from_data(law.data.get(VOCABULARY_FILE))


@functools.lru_cache(maxsize=4)
def _in_folder(root: str) -> Vocabulary:
    from pathlib import Path

    from socins_cli.law.load import read_toml
    from socins_cli.law.schema import SchemaProblem, decode

    rel = VOCABULARY_FILE + ".toml"
    path = Path(root) / rel
    try:
        data = path.read_bytes()
    except OSError:
        return from_data(None)
    raw = read_toml(Path(root), rel, data)
    try:
        decode(rel, raw)
    except SchemaProblem as exc:
        raise DataError(rel, exc.key, exc.value, exc.allowed) from None
    return from_data(raw)


def current() -> Vocabulary:
    """The vocabulary of the statutes folder in use (``--statutes``, ``$SOCINS_STATUTES`` or the shipped one)."""
    from socins_cli.law.load import statutes_dir

    return _in_folder(str(statutes_dir()))


_ATTRIBUTES = {"SCHEMES": "schemes", "SCHEME_NAMES": "scheme_names", "STATUSES": "statuses", "PAYERS": "payers",
               "COMPARED": "compared", "TOPICS": "topics"}


def __getattr__(name: str):
    """``SCHEMES`` and the other words, read from the statutes folder in use when first asked for."""
    if name in _ATTRIBUTES:
        return getattr(current(), _ATTRIBUTES[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
