"""Fill an instrument file's articles from its reference text, verbatim.

    python tools/import_reference.py statutes/sil.toml [more.toml …] [--check]
                                     [--reference-dir ../shared/reference/texts]

The instrument file is both input and output: its metadata, facts, tables
and per-article notes are kept as written; for every version whose
``completeness`` is ``whole`` and which names a ``reference``, the articles
are rewritten from that reference (``tools/reference.py``) with their
sha256 (an article's ``reference_split`` joins lines the copy broke
mid-sentence; a part without a 第N条 heading, such as a preamble, is kept
as written), and ``source``, ``completeness_note``, ``confidence_note`` and
``confidence`` are copied from the reference header. Versions that are not
whole are written back untouched. ``--check`` writes nothing and exits 1
when a file's data (its TOML values, not its comments or layout) are not
what the tool would write. Writing reformats the whole file: hand-written
comments are not kept.

No TOML writer is installed, so the file is formatted here: one
``[[version.article]]`` block per article with one paragraph per line.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import re
import sys
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reference import (ARTICLE_RE, confidence_level, default_reference_dir, parse_file,  # noqa: E402
                       reference_dir_or_exit, rejoin)

REPO = Path(__file__).resolve().parent.parent
DEFAULT_REFERENCE_DIR = default_reference_dir(REPO)
ARTICLE_KEYS = ("number", "label", "chapter", "section", "paragraphs", "sha256")
HEADER = (
    "# Articles of versions with completeness \"whole\" are written by tools/import_reference.py\n"
    "# from the reference text the version names; edit metadata and notes here, then re-run it.\n"
)


def article_sha256(paragraphs) -> str:
    return hashlib.sha256("\n".join(paragraphs).encode("utf-8")).hexdigest()


# -- TOML formatting --------------------------------------------------------

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def toml_string(s: str) -> str:
    out = []
    for ch in s:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def toml_key(k: str) -> str:
    return k if _BARE_KEY.match(k) else toml_string(k)


def toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return toml_string(v)
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, (_dt.date, _dt.datetime, _dt.time)):
        return v.isoformat()
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{toml_key(k)} = {toml_value(x)}" for k, x in v.items()) + " }" if v else "{}"
    raise TypeError(f"cannot write {type(v).__name__} as TOML")


def _pairs(table: dict, skip=()) -> list[str]:
    lines = []
    for k, v in table.items():
        if k in skip:
            continue
        if isinstance(v, list) and v and all(isinstance(x, str) for x in v) and k == "paragraphs":
            lines.append(f"{toml_key(k)} = [")
            lines.extend(f"  {toml_string(x)}," for x in v)
            lines.append("]")
        else:
            lines.append(f"{toml_key(k)} = {toml_value(v)}")
    return lines


def _is_table_array(v) -> bool:
    return isinstance(v, list) and bool(v) and all(isinstance(x, dict) for x in v)


def format_instrument(doc: dict) -> str:
    """The whole file: [instrument], then each [[version]] with its arrays of tables."""
    unknown = set(doc) - {"instrument", "version"}
    if unknown:
        raise ValueError(f"unexpected top-level keys: {sorted(unknown)}")
    out = [HEADER.rstrip("\n"), "", "[instrument]", *_pairs(doc["instrument"])]
    for version in doc.get("version", []):
        subarrays = [k for k, v in version.items() if _is_table_array(v)]
        out += ["", "[[version]]", *_pairs(version, skip=subarrays)]
        for key in subarrays:
            for item in version[key]:
                out += ["", f"[[version.{toml_key(key)}]]", *_pairs(item)]
    return "\n".join(out) + "\n"


# -- import -----------------------------------------------------------------

def import_version(version: dict, reference_dir: Path, log) -> dict:
    """The version with articles and header fields taken from its reference (whole versions only)."""
    if version.get("completeness") != "whole" or not version.get("reference"):
        return version
    ref = parse_file(reference_dir / version["reference"])
    header = ref.header
    for field in ("source", "completeness", "confidence"):
        if not isinstance(header.get(field), str):
            raise ValueError(f"{version['reference']}: header has no single-line {field}")
    if not header["completeness"].startswith("whole"):
        raise ValueError(f"{version['reference']}: completeness {header['completeness']!r} is not whole")
    existing = {str(a.get("number")): a for a in version.get("article", [])}
    # Parts without a 第N条 heading (a preamble) are outside what the parser reads: kept as written,
    # ahead of the articles; the tests check that they occur verbatim in the reference.
    articles = [a for n, a in existing.items() if not ARTICLE_RE.match(a.get("label", "") + " ")]
    for a in articles:
        existing.pop(str(a["number"]))
    for ra in ref.by_number().values():
        old = existing.pop(ra.number, {})
        paragraphs = rejoin(ra.paragraphs, old.get("reference_split", ()))
        if old and list(old.get("paragraphs", [])) != list(paragraphs):
            log(f"{version['reference']}: article {ra.number} rewritten from the reference")
        art = {"number": ra.number, "label": ra.label}
        if ra.chapter:
            art["chapter"] = ra.chapter
        if ra.section:
            art["section"] = ra.section
        art["paragraphs"] = list(paragraphs)
        art["sha256"] = article_sha256(paragraphs)
        art.update({k: v for k, v in old.items() if k not in ARTICLE_KEYS})
        articles.append(art)
    for number in existing:
        log(f"{version['reference']}: article {number} is not in the reference and was dropped")
    new = {}
    for k, v in version.items():
        if k not in ("article",):
            new[k] = v
    new["source"] = header["source"]
    new["completeness_note"] = header["completeness"]
    new["confidence"] = confidence_level(header["confidence"])
    new["confidence_note"] = header["confidence"]
    # keep sub-arrays (facts, tables) after the articles
    ordered = {k: v for k, v in new.items() if not _is_table_array(v)}
    ordered["article"] = articles
    ordered.update({k: v for k, v in new.items() if _is_table_array(v)})
    return ordered


def render(path: Path, reference_dir: Path, log=lambda msg: None) -> str:
    with open(path, "rb") as fh:
        doc = tomllib.load(fh)
    doc["version"] = [import_version(v, reference_dir, log) for v in doc.get("version", [])]
    text = format_instrument(doc)
    if tomllib.loads(text) != doc:  # the formatter must round-trip exactly
        raise AssertionError(f"{path}: formatted TOML does not read back as written")
    return text


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--reference-dir", type=Path, default=DEFAULT_REFERENCE_DIR)
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file would change")
    args = ap.parse_args(argv)
    reference_dir_or_exit(args.reference_dir, "import_reference.py")
    stale = 0
    for path in args.files:
        current = path.read_text(encoding="utf-8")
        if HEADER.splitlines()[0] not in current:
            # The others (the 2024 decision, whose reference holds the 办法 too; the 1978 resolutions; the partial
            # texts) are encoded by hand, and tests/test_corpus_reference.py compares their every article with the
            # reference: skipped, said, and no part of the exit status (``--check statutes/*.toml`` checks the rest).
            print(f"{path}: skipped, not an instrument this tool writes (its articles are encoded by hand; "
                  "tests/test_corpus_reference.py compares them with the reference)", file=sys.stderr)
            continue
        text = render(path, args.reference_dir, log=lambda m: print(m, file=sys.stderr))
        if current == text:
            continue
        if args.check:
            # The data are what counts: a file whose values are as imported passes, whatever its comments
            # and layout (the statutes' files carry hand-written comments the formatter does not write).
            if tomllib.loads(current) == tomllib.loads(text):
                continue
            stale += 1
            print(f"{path}: not as imported from its reference", file=sys.stderr)
        else:
            stale += 1
            path.write_text(text, encoding="utf-8")
            print(f"{path}: written", file=sys.stderr)
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
