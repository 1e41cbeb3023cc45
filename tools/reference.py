"""Read the reference texts (``shared/reference/texts/*.md``) into articles.

A reference file is a header between two ``---`` lines (``key: value``
lines, or a bare ``key:`` followed by ``  - item`` lines) and a body:

* ``## 第N章 …`` starts a chapter, and ``### 第N节 …`` a section within it
  (any other ``#`` heading ends the chapter);
* a line ``第N条 …`` (one ASCII space after the label) starts an article;
* every following non-blank line is one paragraph of that article, list
  items such as ``（一）…`` included, until the next article or heading;
* lines that cannot be statute text (markdown bullets ``- ``, quotes ``>``,
  lines opening with a Latin letter such as "Collector's note", an annex
  heading ``附件：``/``附件1:``, table rows with ``|``) end the article and,
  like everything after them up to the next article and like text before
  the first article, are kept as ``loose`` lines: never part of an article.

Paragraphs are the lines exactly as in the file (only the newline is
dropped), so an encoded article can be compared character for character.
The module has no dependencies, so tests and tools can both import it.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path


def default_reference_dir(repo: Path) -> Path:
    """Where the reference texts are: ``SOCINS_REFERENCE_DIR`` (as the tests read it), else ``../shared`` beside the clone."""
    explicit = os.environ.get("SOCINS_REFERENCE_DIR")
    return Path(explicit) if explicit else repo.parent / "shared" / "reference" / "texts"


def reference_dir_or_exit(path: Path, tool: str) -> Path:
    """``path`` if it is a folder; otherwise the tool stops with one line on stderr (exit 2) saying how to point at it."""
    if not path.is_dir():
        sys.stderr.write(f"{tool}: reference texts not found at {path}: give --reference-dir DIR or set "
                         "SOCINS_REFERENCE_DIR\n")
        raise SystemExit(2)
    return path

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMERAL = "[零〇一二两三四五六七八九十百千]+|[0-9]+"

ARTICLE_RE = re.compile(rf"^(?P<label>第(?P<n>{_NUMERAL})条)(?: |$)")
CHAPTER_RE = re.compile(rf"^## (?P<chapter>第(?:{_NUMERAL})章(?: .*)?)$")
SECTION_RE = re.compile(rf"^### (?P<section>第(?:{_NUMERAL})节(?: .*)?)$")
_NOT_STATUTE_RE = re.compile(r"^(?:#|- |> ?|[A-Za-z]|附件(?:[：:]|[0-9一二三四五六七八九十]+))|\|")


def cn_to_int(numeral: str) -> int:
    """``一百零三`` -> 103, ``十`` -> 10; Arabic digits pass through."""
    if numeral.isascii() and numeral.isdigit():
        return int(numeral)
    total, digit = 0, None
    for ch in numeral:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
        else:
            raise ValueError(f"not a Chinese numeral: {numeral!r}")
    return total + (digit or 0)


@dataclass(frozen=True)
class RefArticle:
    number: str          # Arabic, as a string: "10"
    label: str           # as printed: "第十条"
    chapter: str | None  # "第二章 基本养老保险"
    paragraphs: tuple[str, ...]
    line: int            # 1-based line of the article's first paragraph
    section: str | None = None  # "第一节 集体合同", within the chapter

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


@dataclass(frozen=True)
class Reference:
    path: Path
    header: dict
    lines: tuple[str, ...]          # every line of the file, newline dropped
    body_start: int                 # index into ``lines`` of the first body line
    articles: tuple[RefArticle, ...]
    loose: tuple[tuple[int, str], ...] = field(default=())  # (line, text) outside any article

    def numbers(self) -> list[str]:
        return [a.number for a in self.articles]

    def by_number(self) -> dict[str, RefArticle]:
        """Articles keyed by number; a number printed twice is an error, not a choice."""
        out: dict[str, RefArticle] = {}
        for a in self.articles:
            if a.number in out:
                raise ValueError(f"{self.path.name}: article {a.number} appears twice (lines {out[a.number].line}, {a.line})")
            out[a.number] = a
        return out

    def article(self, number: str) -> RefArticle:
        return self.by_number()[str(number)]

    def body_lines(self) -> list[str]:
        """The non-blank lines of the body, in order (for layout-independent containment checks)."""
        return [ln for ln in self.lines[self.body_start:] if ln.strip()]


def parse_header(lines: list[str]) -> tuple[dict, int]:
    """The ``---`` block: returns (header, index of the first body line)."""
    if not lines or lines[0].strip() != "---":
        return {}, 0
    header: dict = {}
    key = None
    for i in range(1, len(lines)):
        line = lines[i]
        if line.strip() == "---":
            return header, i + 1
        m = re.match(r"^([A-Za-z_][A-Za-z0-9_]*):(?: (.*))?$", line)
        if m:
            key = m.group(1)
            header[key] = m.group(2) if m.group(2) is not None else []
        elif key is not None and line.lstrip().startswith("- ") and isinstance(header[key], list):
            header[key].append(line.lstrip()[2:])
        elif key is not None and line.strip():
            prev = header[key]
            header[key] = (prev + " " if isinstance(prev, str) else " ".join(prev) + " ") + line.strip()
    raise ValueError("header opened with --- but never closed")


def parse_text(text: str, path: Path | str = "<text>") -> Reference:
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [ln[:-1] if ln.endswith("\r") else ln for ln in lines]
    header, start = parse_header(lines)
    articles: list[RefArticle] = []
    loose: list[tuple[int, str]] = []
    chapter = section = None
    current: dict | None = None

    def close():
        nonlocal current
        if current is not None:
            articles.append(RefArticle(number=current["number"], label=current["label"], chapter=current["chapter"],
                                       paragraphs=tuple(current["paras"]), line=current["line"],
                                       section=current["section"]))
            current = None

    for i in range(start, len(lines)):
        line = lines[i]
        if not line.strip():
            continue
        m_chapter = CHAPTER_RE.match(line)
        m_section = SECTION_RE.match(line) if chapter else None
        m_article = ARTICLE_RE.match(line)
        if m_section:  # a section (节) of the chapter: the chapter goes on
            close()
            section = m_section.group("section")
            continue
        if m_chapter or line.startswith("#"):
            close()
            chapter = m_chapter.group("chapter") if m_chapter else None
            section = None
            continue
        if m_article:
            close()
            current = {"number": str(cn_to_int(m_article.group("n"))), "label": m_article.group("label"),
                       "chapter": chapter, "section": section, "paras": [line], "line": i + 1}
            continue
        if current is not None and not _NOT_STATUTE_RE.search(line):
            current["paras"].append(line)
            continue
        close()
        loose.append((i + 1, line))
    close()
    return Reference(path=Path(path), header=header, lines=tuple(lines), body_start=start,
                     articles=tuple(articles), loose=tuple(loose))


def parse_file(path: Path | str) -> Reference:
    path = Path(path)
    return parse_text(path.read_text(encoding="utf-8"), path)


_CONFIDENCE = ("medium-high", "medium-low", "high", "medium", "low")


def confidence_level(note: str) -> str:
    """The enum value a header's confidence line opens with (``high — …`` -> ``high``)."""
    for level in _CONFIDENCE:
        if re.match(rf"^{level}(?![A-Za-z-])", note.strip()):
            return level
    raise ValueError(f"confidence line does not open with one of {_CONFIDENCE}: {note!r}")


def rejoin(paragraphs, splits) -> tuple[str, ...]:
    """The lines with each listed line (1-based) joined to the one after it, with nothing between.

    Some copies break a paragraph mid-sentence (the LawRefBook labour law 2018,
    arts. 37 and 89, against the flk text and the earlier versions); an
    article's ``reference_split = [1]`` says so, and the paragraph is held whole.
    """
    out = list(paragraphs)
    for n in sorted(set(splits), reverse=True):
        if not 1 <= n < len(out):
            raise ValueError(f"reference_split {n} is not a line followed by another (article has {len(out)} lines)")
        out[n - 1:n + 1] = [out[n - 1] + out[n]]
    return tuple(out)


def contains_consecutive(haystack: list[str], needle: list[str]) -> bool:
    """True when ``needle`` occurs in ``haystack`` as a run of consecutive items."""
    n = len(needle)
    if n == 0:
        return True
    first = needle[0]
    return any(haystack[i] == first and haystack[i:i + n] == needle for i in range(len(haystack) - n + 1))
