"""Traditional characters folded to their simplified forms, so a search finds either.

Some sources are held as published, in traditional characters (a Hubei
notice quoted in ``maternity-merger-2019`` reads 生育保險); a user types
simplified ones, or the other way round. Search compares both sides in
simplified form, converted by OpenCC's ``t2s`` tables, and ``cite``
reads a citation written in traditional characters (社會保險法第十條) in
simplified ones. Only those import this module, ``cite`` only for a
citation that does not read as given: loading OpenCC costs some tens of
milliseconds, which no other command should pay.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s").convert


def simplified(text: str) -> str:
    """``text`` in simplified forms, one character for one, so positions in it are positions in ``text``.

    OpenCC converts some phrases as wholes; where that changes the length,
    each character is converted alone instead.
    """
    convert = _t2s()
    out = convert(text)
    if len(out) == len(text):
        return out
    return "".join(c if len(s := convert(c)) != 1 else s for c in text)
