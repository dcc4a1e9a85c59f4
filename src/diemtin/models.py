"""Plain data classes that pass between pipeline stages.

Every stage takes and returns these (or lists of them), so the same stage can run in-process or on a
Dask worker: they hold only strings, numbers, lists and nested dataclasses, and pickle cheaply.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(slots=True)
class RemovedLine:
    """A line that cleaning dropped from an article, with the rule that dropped it."""

    text: str
    reason: str


@dataclass(slots=True)
class DateAnchor:
    """A date the input carries about a page, with where it came from (docs/dating.md, "Date anchors").

    ``kind`` is ``"published"`` (the page's own publication date: a JSONL ``published``/``pubDate``/...
    field, HTML metadata, a sidecar's TIME, the page's printed time) or ``"crawled"`` (a date by which
    the page existed: WARC-Date, the HTTP ``Date``/``Last-Modified`` headers, a JSONL ``crawled_at``/
    ``timestamp``/..., the file's modification time, the batch's ``--as-of``). ``field`` names the
    field or header it was read from; ``value`` is ISO 8601.
    """

    kind: str
    field: str
    value: str


@dataclass(slots=True)
class RawDocument:
    """One input record as read, before cleaning: text already decoded and Unicode-normalised.

    ``lines`` is the document body as the crawler saved it (title line excluded when ``title`` was
    taken from it). Metadata fields are ``None`` when the input did not carry them.
    """

    path: str
    lines: list[str]
    title: str | None = None
    id: str | None = None
    url: str | None = None
    source: str | None = None
    published: str | None = None
    format: str = "txt"
    # Lines that the reader itself already set aside (e.g. HTML boilerplate trafilatura dropped).
    removed: list[RemovedLine] = field(default_factory=list)
    # The sapo (standfirst) when the input marks one (a page's lead paragraph, a SUMMARY field); when
    # it is part of the saved text it is also ``lines``' first non-blank line.
    lead: str | None = None
    title_derived: bool = False  # no title in the input: ``title`` is the body's first sentence
    anchors: list[DateAnchor] = field(default_factory=list)  # every date the input carries


@dataclass(slots=True)
class Article:
    """A cleaned article: its own title and body, and a record of everything removed."""

    id: str
    path: str
    title: str
    text: str  # clean body; paragraphs separated by "\n"
    source: str | None = None  # the outlet ("VOV.VN", "TTXVN", "vov.vn", "Tuổi Trẻ", ...)
    published: str | None = None  # ISO 8601 date or datetime when known
    url: str | None = None
    removed: list[RemovedLine] = field(default_factory=list)
    credits: list[str] = field(default_factory=list)  # raw credit/dateline strings ("Theo vov.vn")
    # The sapo / standfirst when the input marks one (a page's lead paragraph, a SUMMARY field); it is
    # then also the first paragraph of ``text``.
    lead: str | None = None
    title_derived: bool = False  # the input had no title: ``title`` is the body's first sentence
    anchors: list[DateAnchor] = field(default_factory=list)  # every date the input carries (dating's)

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.text.split("\n") if p.strip()]


@dataclass(slots=True)
class Sentence:
    """A sentence of an article, with its position (used for traceability and ordering)."""

    text: str
    article: str  # article id
    index: int  # position among the article's sentences, 0-based
    paragraph: int = 0


@dataclass(slots=True)
class SummarySentence:
    """One summary sentence and the article it was taken from."""

    text: str
    article: str


@dataclass(slots=True)
class TemporalExpression:
    """A date mention found in text, normalised.

    ``value`` is ISO 8601 at the precision known (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``) or ``None``
    when only a range is known (e.g. day and month without a year); ``earliest``/``latest`` bound it.
    """

    text: str
    value: str | None
    earliest: str | None
    latest: str | None
    start: int = 0  # character offsets in the source text
    end: int = 0
    evidence: str = ""  # why this value / range, the full reasoning ("năm suy ra từ ngày đăng ...")
    # The same in one line a reader takes in ("ngày 13/4 trong phần mở đầu; năm 2021 theo ngày đăng").
    note: str = ""
    # "MM-DD" when the text gives the day and month but the year stays open ("27/8, chưa rõ năm").
    day: str | None = None


@dataclass(slots=True)
class DuplicateGroup:
    """Near-identical or syndicated copies of one story; ``canonical`` is the original."""

    canonical: str
    duplicates: list[str] = field(default_factory=list)
    credits: dict[str, list[str]] = field(default_factory=dict)  # article id -> credits seen


@dataclass(slots=True)
class Event:
    """One happening, reported by one or more articles."""

    id: str
    title: str
    articles: list[str]
    date: str | None = None
    date_range: tuple[str | None, str | None] = (None, None)
    # One line a reader takes in; the full reasoning (every cue and anchor) is ``date_reasoning``.
    date_evidence: str | None = None
    date_reasoning: str | None = None
    day: str | None = None  # "MM-DD" when the day and month are known but not the year ("27/8")
    summary: list[SummarySentence] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # outlets reporting it
    also_published_by: dict[str, list[str]] = field(default_factory=dict)  # canonical -> copies
    # "report": the articles report an occurrence; "commentary": an opinion, analysis, explainer or
    # feature that reports none (its own event, shown in its story apart from the reports).
    kind: str = "report"


@dataclass(slots=True)
class Story:
    """A thread of related events (shared people, places, topic)."""

    id: str
    title: str  # what the thread is about: its shared keyphrase and names, not one event's headline
    events: list[str]
    summary: list[SummarySentence] = field(default_factory=list)  # two sentences, each from an article


@dataclass(slots=True)
class Skipped:
    """An input that could not be used, and why (reported at the end of a run)."""

    path: str
    reason: str
    # "error": unreadable or empty; "metadata": a key-value metadata file ("sidecar" when its fields
    # went to the article file beside it); "summary": a reference summary file, not an article.
    kind: str = "error"


@dataclass(slots=True)
class Digest:
    """Everything one run produces: the contract behind ``digest.json``."""

    articles: list[Article] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)
    timeline: list[str] = field(default_factory=list)
    duplicates: list[DuplicateGroup] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    as_of: str | None = None  # the batch's as-of date (``Options.as_of``), ISO, when one was given

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract: fields may be added later, never removed or renamed."""
        return {
            "articles": [
                {
                    "id": a.id,
                    "path": a.path,
                    "title": a.title,
                    "title_derived": a.title_derived,
                    "lead": a.lead,
                    "source": a.source,
                    "published": a.published,
                    "url": a.url,
                    "text": a.text,
                    "credits": list(a.credits),
                    "removed": [asdict(r) for r in a.removed],
                    "anchors": [asdict(x) for x in a.anchors],
                }
                for a in self.articles
            ],
            "events": [
                {
                    "id": e.id,
                    "title": e.title,
                    "date": e.date,
                    "date_range": list(e.date_range),
                    "date_evidence": e.date_evidence,
                    "date_reasoning": e.date_reasoning,
                    "day": e.day,
                    "articles": list(e.articles),
                    "sources": list(e.sources),
                    "also_published_by": {k: list(v) for k, v in e.also_published_by.items()},
                    "summary": [asdict(s) for s in e.summary],
                    "kind": e.kind,
                }
                for e in self.events
            ],
            "stories": [asdict(s) for s in self.stories],
            "timeline": list(self.timeline),
            "duplicates": [asdict(d) for d in self.duplicates],
            "skipped": [asdict(s) for s in self.skipped],
            "as_of": self.as_of,
        }
