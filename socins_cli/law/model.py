"""The law as frozen values: instruments, their versions, articles, facts, citations.

These are what ``socins_cli.law.load`` builds from ``statutes/`` and what every
engine reads. Nothing here knows a particular instrument.
"""

from __future__ import annotations

import datetime as _dt

import msgspec

COMPLETENESS = ("whole", "partial", "summary-only")
CONFIDENCE = ("high", "medium-high", "medium", "medium-low", "low")
#: What an instrument is (``[instrument].kind``); ``proposal`` is a reform overlay (``--reform``).
KINDS = ("law", "regulation", "decision", "measures", "resolution", "notice", "opinion", "guidance",
         "judicial-interpretation", "draft", "proposal")


_ITEM_NUMERALS = frozenset("一二三四五六七八九十")


def opens_with_item(line: str) -> bool:
    """Whether ``line`` opens with an item mark, ``（一）`` or ``(一)``: Chinese numerals in matching brackets.

    Plain string tests, not a pattern: compiling one with these characters
    costs every command ~0.4 ms at import.
    """
    for opening, closing in (("（", "）"), ("(", ")")):
        if line.startswith(opening):
            end = line.find(closing, 1)
            return end > 1 and all(c in _ITEM_NUMERALS for c in line[1:end])
    return False


class Article(msgspec.Struct, frozen=True):
    """One article (or numbered part) exactly as enacted.

    ``paragraphs`` are the verbatim lines of the text; the first begins with the
    article's own heading (``第十条 …``), so ``text`` is them joined by ``\\n``.
    A line that opens with an item mark (``（一）``) belongs to the paragraph
    (款) before it, so paragraph numbers in citations count 款, not lines.
    """

    number: str
    label: str
    paragraphs: tuple[str, ...]
    sha256: str
    chapter: str | None = None
    note: str | None = None
    #: the section (节) of the chapter the article stands in: 第一节 集体合同
    section: str | None = None
    #: provisions of the article a later instrument ended while the version stays in force:
    #: {"from": "YYYY-MM-DD", "by": a citation reference, "what": which provisions, in the ending text's words}
    ceased: dict | None = None

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)

    def paragraph_of_line(self) -> tuple[int, ...]:
        """For each line, the number of the paragraph (款) it belongs to."""
        out, current = [], 0
        for i, line in enumerate(self.paragraphs):
            if i == 0 or not opens_with_item(line):
                current += 1
            out.append(current)
        return tuple(out)

    @property
    def paragraph_count(self) -> int:
        return self.paragraph_of_line()[-1]

    def paragraph_lines(self, paragraph: int) -> tuple[str, ...]:
        """The lines of paragraph (款) ``paragraph``, its items included."""
        return tuple(l for l, p in zip(self.paragraphs, self.paragraph_of_line()) if p == paragraph)

    def paragraph_texts(self) -> tuple[str, ...]:
        """Each paragraph (款) as one text, its item lines joined to it by ``\\n``: what ``-p N`` and citations number.

        Joined by ``\\n`` they give ``text`` again, as the lines do.
        """
        out: list[list[str]] = []
        for line, p in zip(self.paragraphs, self.paragraph_of_line()):
            if p > len(out):
                out.append([])
            out[-1].append(line)
        return tuple("\n".join(lines) for lines in out)


class Fact(msgspec.Struct, frozen=True):
    """Material from a secondary or summary-only source: never statute text."""

    id: str
    text: str
    kind: str  # quotation | paraphrase | summary
    source: str
    confidence: str
    article: str | None = None  # the article of the version a quotation is of, where the data says so
    item: int | None = None     # and its item (项)


def marked_days(in_force: dict, first_certain: bool = True, last_certain: bool = True) -> tuple[str, str | None]:
    """An ``in_force`` span's first and last days as text (the last None while in force), ``?`` on an inferred one."""
    last = in_force["to"]
    return (in_force["from"] + ("" if first_certain else "?"),
            None if last is None else last + ("" if last_certain else "?"))


class Version(msgspec.Struct, frozen=True):
    """One text of an instrument and the days it is in force: [effective, repealed)."""

    instrument: str
    id: str
    effective: _dt.date
    repealed: _dt.date | None
    completeness: str
    confidence: str
    source: str
    reference: str | None
    completeness_note: str | None = None
    confidence_note: str | None = None
    adopted: _dt.date | None = None
    date_certain: bool = True
    date_note: str | None = None
    #: False where the version after it starts on an inferred date: its last day in force is inferred too
    end_certain: bool = True
    title_zh: str | None = None
    note: str | None = None
    articles: tuple[Article, ...] = ()
    facts: tuple[Fact, ...] = ()
    tables: dict = msgspec.field(default_factory=dict)
    #: the instrument that made this text, where known: {"title_zh", optional "adopted", "document_number", "note"}
    amended_by: dict | None = None

    def in_force_on(self, on: _dt.date) -> bool:
        return self.effective <= on and (self.repealed is None or on < self.repealed)

    def article(self, number: str) -> Article | None:
        for art in self.articles:
            if art.number == number:
                return art
        return None

    def fact(self, fact_id: str) -> Fact | None:
        for fact in self.facts:
            if fact.id == fact_id:
                return fact
        return None

    @property
    def in_force(self) -> dict:
        """``from`` and ``to`` are the first and last days in force (``to`` null while in force)."""
        last = self.repealed - _dt.timedelta(days=1) if self.repealed else None
        return {"from": self.effective.isoformat(), "to": last.isoformat() if last else None}

    @property
    def marked_span(self) -> tuple[str, str | None]:
        """``in_force``'s first and last days as text, each with ``?`` where it is inferred, as ``list`` marks them."""
        return marked_days(self.in_force, self.date_certain, self.end_certain)

    @property
    def is_gapped(self) -> bool:
        """True where the text held is incomplete or not of high confidence."""
        return self.completeness != "whole" or self.confidence != "high"


class Instrument(msgspec.Struct, frozen=True):
    id: str
    title_zh: str
    title_en: str
    kind: str
    issuer: str
    versions: tuple[Version, ...]
    document_number: str | None = None
    summary: str | None = None
    #: names people cite it by beyond its titles (``short_names`` in its file)
    short_names: tuple[str, ...] = ()

    def version(self, version_id: str) -> Version | None:
        for v in self.versions:
            if v.id == version_id:
                return v
        return None

    @property
    def has_legal_force(self) -> bool:
        """False for a draft or a proposal: its dates say when it was before the house, never when it bound anyone."""
        return self.kind not in ("draft", "proposal")

    @property
    def is_draft(self) -> bool:
        """A draft law (``kind = "draft"``): its citations and ``show`` say ``"draft": true``. A reform overlay's
        proposal is no draft: its citations say ``"proposal": true`` (``engines.reform_sides``)."""
        return self.kind == "draft"

    def standing_on(self, on: _dt.date) -> str:
        """How a version chosen for ``on`` stands that day, as messages say it: a draft is never in force."""
        if not self.has_legal_force:
            return f"a {self.kind} on {on.isoformat()}, with no legal force"
        return f"in force on {on.isoformat()}"

    def version_on(self, on: _dt.date) -> Version | None:
        """The version in force on ``on``: the latest effective on or before it, unless repealed by then."""
        found = None
        for v in self.versions:
            if v.effective <= on:
                found = v
        if found is not None and found.repealed is not None and on >= found.repealed:
            return None
        return found


class Citation(msgspec.Struct, frozen=True, gc=False):
    """A resolved pointer into the law: instrument, version, article, paragraph (or a fact/table)."""

    instrument: str
    version: str
    article: str | None = None
    paragraph: int | None = None
    fact: str | None = None
    table: str | None = None
    completeness: str = "whole"
    confidence: str = "high"  # the version's, as ``show`` gives it
    #: a fact's own confidence (its source's), which may differ from its version's
    fact_confidence: str | None = None
    #: cites a draft (``kind = "draft"``): shown, as context, never as law in force (``"draft": true`` in JSON)
    draft: bool = False

    def as_dict(self) -> dict:
        out: dict = {"instrument": self.instrument, "version": self.version}
        if self.article is not None:
            out["article"] = self.article
        elif self.fact is not None or self.table is not None:
            # The contract's citation has an article; a fact's or a table's is what `socins show` takes for it
            # (`show oi-pilot-2025 '#who-pays'`, `show retire-2024 annex-1`).
            out["article"] = f"#{self.fact}" if self.fact is not None else self.table
        if self.paragraph is not None:
            out["paragraph"] = self.paragraph
        if self.fact is not None:
            out["fact"] = self.fact
            out["statute_text"] = False
            out["fact_confidence"] = self.fact_confidence
        if self.table is not None:
            out["table"] = self.table
        if self.completeness != "whole":
            out["completeness"] = self.completeness
        if self.confidence != "high":
            out["confidence"] = self.confidence
        if self.draft:
            out["draft"] = True
        return out

    def label(self) -> str:
        """Human form: ``sil 2018 art. 10 para 2``."""
        parts = [self.instrument, self.version]
        if self.article is not None:
            parts.append(article_label(self.article))
        if self.paragraph is not None:
            parts.append(f"para {self.paragraph}")
        if self.fact is not None:
            parts.append(f"fact {self.fact} (not statute text)")
        if self.table is not None:
            parts.append(f"table {self.table}")
        return " ".join(parts)


def is_part(c: dict) -> bool:
    """A citation of a fact or an annex table, whose ``article`` only names it for ``socins show``."""
    return "fact" in c or "table" in c


def listed_citations(entry: dict) -> list[dict]:
    """A scheme entry's citations as a plain format or a flat cell lists them: its citations, then the wording
    quoted for a version whose text is not held (``wording``; its label says so: ``wording of version 2010,
    quoted for version 2003``). JSON keeps the two apart."""
    return [*entry.get("citations", ()), *entry.get("wording", ())]


def article_label(number) -> str:
    """An article as a label names it: ``art. 10``; a part of a document named, not numbered (``item-2``,
    ``preamble``), by its name alone."""
    number = str(number)
    return f"art. {number}" if number.replace(".", "").isdigit() else number


def citation_label(c: dict) -> str:
    """A citation dict as people read it: ``sil 2018 art. 10 para 2``; a fact is marked as not statute text."""
    parts = [c["instrument"], c["version"]]
    if "article" in c and not is_part(c):
        parts.append(article_label(c["article"]))
    if "paragraph" in c:
        parts.append(f"para {c['paragraph']}")
    if "fact" in c:
        parts.append(f"#{c['fact']} (not statute text)")
    if "table" in c:
        parts.append(f"table {c['table']}")
    if "stands_in" in c:
        parts.append(f"(wording of version {c['version']}, quoted for version {c['stands_in']}: its text is not held)")
    return " ".join(parts)
