"""Per-article signals shared by deduplication and event grouping: tokens, names, reported dates, years.

Everything here is a pure function of one article, so it can be computed on any worker and cached by
the caller. Names and dates are cheap surface cues (capitalised syllable runs, numeric day/month
forms) rather than a full NER/dating pass: grouping needs them for thousands of articles, and only
needs to know whether two articles report the *same* day, people and year, not the exact calendar date.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from . import dating
from . import text as vtext
from .models import Article

# A day/month written numerically: "30/3", "ngày 23-10", "hôm 28/1/2017". The dotted form ("23.10")
# only counts after a day word, because "2.5" is usually a number.
_DAY_WORD = r"(?:ngày|hôm|sáng|chiều|tối|trưa|đêm|rạng sáng|hôm nay|hôm_nay)"
_DM = re.compile(r"(?<![\d/.,-])(\d{1,2})\s?[/-]\s?(\d{1,2})(?:\s?[/-]\s?((?:19|20)\d\d))?(?![\d/-]|[.,]\d)")
_DM_DOT = re.compile(_DAY_WORD + r"\s+(\d{1,2})\.(\d{1,2})(?:\.((?:19|20)\d\d))?(?!\d)", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
# Words that start a sentence with a capital but are not names ("Theo", "Ông", "Bà" titles are kept
# out of names so that "ông Trump" and "Trump" match).
_NOT_NAME = frozenset(
    [
        "theo",
        "ông",
        "bà",
        "anh",
        "chị",
        "tại",
        "trong",
        "khi",
        "sau",
        "trước",
        "với",
        "và",
        "các",
        "những",
        "một",
        "hai",
        "ba",
        "cũng",
        "đây",
        "đó",
        "này",
        "ngày",
        "hôm",
        "tuy",
        "nhưng",
        "nếu",
        "do",
        "vì",
        "ảnh",
        "nguồn",
        "tin",
        "video",
        "clip",
    ]
)

# Capitalised parts of titles and office names, not names ("Tổng thống", "Thủ tướng", "Bộ trưởng").
_TITLE_WORDS = frozenset(["tổng", "thủ", "bộ", "chủ", "phó", "thống", "tướng", "trưởng", "tịch"])


@dataclass(slots=True, frozen=True)
class ArticleFeatures:
    """Signals of one article: tokens for similarity, and what it reports (names, days, years)."""

    id: str
    tokens: tuple[str, ...]  # lower-cased syllables of title + body
    title_tokens: tuple[str, ...]
    names: frozenset[str]  # lower-cased capitalised runs from the title and lead ("vladimir putin")
    days: frozenset[tuple[int, int]]  # (day, month) pairs written in the title and lead
    years: frozenset[int]  # 4-digit years written in the title and lead
    lead_day: tuple[int, int] | None  # "ngày 30/3" in the first body sentence: the happening's own day
    latest_year: int | None  # the latest 4-digit year written anywhere in the article


def lead(article: Article, sentences: int = 3) -> str:
    """Title plus the first sentences of the body: where Vietnamese news states who, what and when."""
    sents = vtext.split_sentences(article.text)[:sentences]
    return "\n".join([article.title, *sents])


def reported_days(text: str) -> set[tuple[int, int]]:
    """(day, month) pairs written numerically in ``text``; impossible pairs (31/2, 0/5) are ignored."""
    out: set[tuple[int, int]] = set()
    for rx in (_DM, _DM_DOT):
        for m in rx.finditer(text):
            d, mo = int(m.group(1)), int(m.group(2))
            if 1 <= d <= 31 and 1 <= mo <= 12 and not (mo == 2 and d > 29):
                out.add((d, mo))
    return out


def reported_days_in_order(text: str) -> list[tuple[int, int]]:
    """(day, month) pairs in the order they are written (first mention first)."""
    found: list[tuple[int, tuple[int, int]]] = []
    for rx in (_DM, _DM_DOT):
        for m in rx.finditer(text):
            d, mo = int(m.group(1)), int(m.group(2))
            if 1 <= d <= 31 and 1 <= mo <= 12 and not (mo == 2 and d > 29):
                found.append((m.start(), (d, mo)))
    return [dm for _, dm in sorted(found)]


def reported_years(text: str) -> set[int]:
    return {int(y) for y in _YEAR.findall(text)}


def names(text: str) -> set[str]:
    """Lower-cased names: capitalised runs minus leading titles and sentence words ("Ông Putin" → "putin")."""
    out: set[str] = set()
    for phrase in vtext.capitalized_phrases(text):
        words = [w for w in re.split(r"[\s_]+", phrase.lower()) if w]
        while words and words[0] in _NOT_NAME:
            words = words[1:]
        if words and not any(ch.isdigit() for ch in words[0]):
            out.add(" ".join(words))
    return out


def name_syllables(text: str) -> set[str]:
    """Lower-cased syllables of names ("Tổng thống Mỹ Joe Biden" → {"mỹ", "joe", "biden"}).

    Looser than ``names``: "Putin", "V.Putin" and "Vladimir Putin" share "putin" however the run around
    them was capitalised, which is what linking events of one story needs.
    """
    out: set[str] = set()
    for phrase in vtext.capitalized_phrases(text):
        for w in re.split(r"[\s_.]+", phrase.lower()):
            w = w.strip("\"“”'‘’()[],;:!?-–")
            if len(w) > 1 and w not in _NOT_NAME and w not in _TITLE_WORDS and not w.isdigit():
                out.add(w)
    return out


def extract(article: Article) -> ArticleFeatures:
    """All signals of one article."""
    head = lead(article)
    return ArticleFeatures(
        id=article.id,
        tokens=tuple(vtext.syllables(article.title + "\n" + article.text)),
        title_tokens=tuple(vtext.syllables(article.title)),
        names=frozenset(names(head)),
        days=frozenset(reported_days(head)),
        years=frozenset(reported_years(head)),
        lead_day=lead_day(article),
        latest_year=max(reported_years(article.title + "\n" + article.text), default=None),
    )


# "ngày 30/3", "Hôm 28-1", "sáng 23.10": a day written with a day word, as Vietnamese news states the
# day of the happening in its first sentence.
_LEAD_DAY = re.compile(
    _DAY_WORD + r"\s+(?:qua\s*\(|nay\s*\()?(\d{1,2})\s?[/.-]\s?(\d{1,2})(?![\d]|[.,]\d)", re.I
)


def lead_day(article: Article) -> tuple[int, int] | None:
    """The day/month written with a day word in the first sentence of the body, if any."""
    sents = vtext.split_sentences(article.text)
    if not sents:
        return None
    m = _LEAD_DAY.search(sents[0])
    if not m:
        return None
    d, mo = int(m.group(1)), int(m.group(2))
    return (d, mo) if 1 <= d <= 31 and 1 <= mo <= 12 else None


def event_date(article: Article) -> tuple[tuple[date, date] | None, tuple[int, int] | None]:
    """What dating says of the happening the article reports: the days it can fall in (its date or
    honest range), and the day/month written in the expression it chose ("ngày 30/3"), if any."""
    when = dating.date_event([article])
    if when is None:
        return None, None
    lo = _first_day(when.earliest or when.value)
    hi = _last_day(when.latest or when.value)
    days = reported_days_in_order(when.text)
    return ((lo, hi) if lo and hi and lo <= hi else None), (days[0] if days else None)


def _first_day(value: str | None) -> date | None:
    m = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value or "")
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        return None


def _last_day(value: str | None) -> date | None:
    m = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value or "")
    if not m:
        return None
    y, mo = int(m.group(1)), int(m.group(2) or 12)
    try:
        return date(y, mo, int(m.group(3) or calendar.monthrange(y, mo)[1]))
    except ValueError:
        return None
