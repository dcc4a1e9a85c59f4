"""The order of a front page: stories ranked by coverage and recency, as a reader of a news aggregator
expects (the web home page, digest.md and digest.html use it alike).

A story's coverage is how many articles and how many outlets report it; its recency is how close its
latest known date is to the newest date in the whole digest (not to today: a crawl of 2022 is read as
of its own last day). Stories of one undated article say least and come last.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

# Recency halves the story's bonus every HALF_LIFE days behind the newest story: a story of the newest
# day counts double its coverage, one a month older 1.5x, a year older ~1x. A chosen shape, not fitted
# (no labelled front pages to fit it on): coverage decides among stories of the same weeks.
HALF_LIFE = 30.0


@dataclass(slots=True)
class StoryStats:
    """What the ranking needs of one story."""

    id: str
    articles: int  # articles reporting its events
    outlets: int  # distinct outlets among them
    first: str | None  # earliest of its events' own dates (``story_dates``)
    last: str | None  # latest of them


def story_dates(dates: Iterable[str | None]) -> tuple[str | None, str | None]:
    """A story's first and last dates: the earliest and latest of its events' own dates (``Event.date``,
    at the precision known: a day, a month or a year), or None when no event has one.

    An event whose date stays open over several years (only ``date_range``) does not stretch its story:
    its bounds are what is known of it, not when it happened. A running term of office closed at the
    knowledge table's checked day made the seeds' story read "2016 – 2026-06-30", and a year recalled in
    the text ("sau năm 2017") up to a crawl date made one-event stories read "2017-01-01 – 2022-07-31".
    """
    known = [d for d in dates if d]
    return (min(known), max(known)) if known else (None, None)


def when_span(first: str | None, last: str | None) -> str:
    """A story's dates as a reader sees them: one day, an honest span, or "chưa rõ ngày"."""
    if first and last:
        return first if first == last else f"{first} – {last}"
    return first or last or "chưa rõ ngày"


def _day(value: str) -> date | None:
    parts = [*value[:10].split("-"), "01", "01"][:3]
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None


def score(s: StoryStats, newest: date | None) -> float:
    """Coverage (log articles + log outlets), doubled for a story of the newest day, fading with age."""
    coverage = math.log2(1 + s.articles) + math.log2(1 + s.outlets)
    last = _day(s.last) if s.last else None
    if last is None or newest is None:
        return coverage  # undated: no recency bonus
    age = max(0, (newest - last).days)
    return float(coverage * (1 + 0.5 ** (age / HALF_LIFE)))


def rank(stories: list[StoryStats]) -> list[str]:
    """Story ids, front page first: by score; a story of one undated article after every other."""
    days = [d for s in stories if s.last and (d := _day(s.last))]
    newest = max(days) if days else None

    def key(s: StoryStats) -> tuple[bool, float, str, str]:
        lone_undated = s.articles <= 1 and not (s.first or s.last)
        return (lone_undated, -score(s, newest), "" if s.last is None else _neg(s.last), s.id)

    return [s.id for s in sorted(stories, key=key)]


def _neg(text: str) -> str:
    """A string that sorts in the reverse order of ``text`` (dates: newest first on a tie)."""
    return "".join(chr(0x10FFFF - ord(c)) for c in text)
