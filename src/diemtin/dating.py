"""Vietnamese temporal expressions and event dates.

``extract_dates`` finds date mentions ("ngày 30/3", "13/4/2021", "22-23/04", "tháng 6/2021", "cuối năm
ngoái", "hôm qua", "thứ Hai tuần trước", "15:06' - 14/11/2016", ...) and normalises each to an ISO value at
the precision the text supports, with an ``earliest``/``latest`` range and the evidence for it.
``date_event`` picks, for the articles of one event, the date the happening occurred or is scheduled
(not the publication date), inferring a missing year only from the article's own evidence.

Hand-written rather than a library: general date parsers (dateparser and the like) turn a string into
one datetime, filling a missing year from today; here a missing year must come from the article's own
evidence or stay unknown, with a range and the reason, and Vietnamese forms such as "hôm 28/1",
"22-23/04", "cuối năm ngoái" or "thứ Năm tuần trước" must be found in running text. The rules are
documented in docs/dating.md.
"""

from __future__ import annotations

import calendar
import functools
import hashlib
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from importlib import resources

from .models import Article, TemporalExpression
from .text import normalize, split_sentences

__all__ = [
    "Reference",
    "article_date",
    "date_event",
    "event_date_from",
    "extract_dates",
    "infer_reference",
    "parse_reference",
]


# --------------------------------------------------------------------------------------------------
# Reference: what is known about the date the text was written (its publication date)


@dataclass(frozen=True, slots=True)
class Reference:
    """What is known about the text's own date: exactly (``lo == hi``), a window, or nothing.

    ``years`` are the candidate publication years; a year-less "ngày 30/3" is read in each of them
    (Vietnamese news omits the year of dates in the year of publication), so one candidate year gives
    a precise date and several give an honest range. ``windows`` (from the knowledge table: office terms,
    era terms) are the periods the text's date lies in, when known finer than whole years.
    """

    lo: date | None = None
    hi: date | None = None
    years: tuple[int, ...] = ()
    why: str = ""
    windows: tuple[tuple[date, date], ...] = ()

    @property
    def exact(self) -> date | None:
        return self.lo if self.lo is not None and self.lo == self.hi else None


UNKNOWN = Reference()


def parse_reference(value: str | None) -> Reference:
    """A reference from ISO text: "2021-04-13" (or a datetime), "2021-04" or "2021"; None → unknown."""
    if not value:
        return UNKNOWN
    v = value.strip()
    m = re.match(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", v)
    if not m:
        raise ValueError(f"reference date {value!r}: expected ISO 8601 (YYYY-MM-DD, YYYY-MM or YYYY)")
    y = int(m.group(1))
    if m.group(3):
        d = date(y, int(m.group(2)), int(m.group(3)))
        return Reference(d, d, (y,), f"ngày đăng {d.isoformat()}")
    if m.group(2):
        mo = int(m.group(2))
        return Reference(date(y, mo, 1), _month_end(y, mo), (y,), f"tháng đăng {y}-{mo:02d}")
    return Reference(date(y, 1, 1), date(y, 12, 31), (y,), f"năm đăng {y}")


# --------------------------------------------------------------------------------------------------
# Small date helpers


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _add_months(d: date, k: int) -> tuple[int, int]:
    n = d.year * 12 + (d.month - 1) + k
    return n // 12, n % 12 + 1


def _value_for(lo: date | None, hi: date | None) -> str | None:
    """The most precise ISO value every date in [lo, hi] shares: day, month, year, or None."""
    if lo is None or hi is None:
        return None
    if lo == hi:
        return lo.isoformat()
    if (lo.year, lo.month) == (hi.year, hi.month):
        return f"{lo.year:04d}-{lo.month:02d}"
    if lo.year == hi.year:
        return f"{lo.year:04d}"
    return None


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


# --------------------------------------------------------------------------------------------------
# Vocabulary (NFC, matched case-insensitively)

_D = r"(0?[1-9]|[12]\d|3[01])"
_M = r"(0?[1-9]|1[0-2])"
_Y = r"((?:1[89]|20)\d{2})"
# Words that introduce a day: "ngày 30/3", "hôm 28/1", "tối 12/2", "rạng sáng 5/6", "từ 1/3", "(22/10)".
_DAY_MARK = (
    r"(?:(?:rạng sáng|sáng|trưa|chiều|tối|đêm|hôm|ngày hôm)\s+(?:nay|qua|mai)|ngày|hôm|sáng|trưa|chiều|tối|"
    r"đêm|khuya|rạng sáng|sáng sớm|từ|đến|tới|vào|hồi|trước|sau|nay|qua|"
    r"thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ nhật|cn)"
)
# Followed by a unit, it is a count or a measure ("2-3 ngày", "5/7 người", "3 đến 5-7 ngày"), not a date.
_NOT_UNIT = (
    r"(?!\s*(?:%|tỷ|triệu|nghìn|ngàn|giờ|phút|điểm|bàn|km|m\b|ngày|tuần|tháng|năm|lần|người|tiếng|độ|"
    r"kg|tấn|ha\b|usd|đồng))"
)
_NB = r"(?<![\w/.,-])"  # not glued to a preceding number or word
_NA = r"(?![\w/]|[.,-]\d)"  # not continued by more digits ("30/3/2021" is one date, "1.920" a number)
# Future cues of a clause. "tới" is not one by itself (it is also the preposition "to"); "tháng 7 tới"
# and "tuần tới" are read by their own rules.
_FUTURE = re.compile(r"\b(sẽ|dự kiến|dự định|sắp|chuẩn bị|kế hoạch|lên lịch|hẹn)\b", re.I)
# A date compared against ("cao hơn mức 2,58% của năm 2021", "so với cùng kỳ năm 2021") is a past
# reference even in a sentence that forecasts: "GDP năm 2022 dự kiến đạt 6,5%, cao hơn ... năm 2021".
_COMPARED = re.compile(r"(?:\bso với|\b(?:cao|thấp|nhiều|ít|lớn|nhỏ|tăng|giảm) hơn)\b[^.;]{0,25}$", re.I)
_PAST = re.compile(r"\b(đã|vừa|từng|hồi|qua)\b", re.I)
_WEEKDAYS = {"hai": 0, "ba": 1, "tư": 2, "năm": 3, "sáu": 4, "bảy": 5, "2": 0, "3": 1, "4": 2, "5": 3}
_WEEKDAYS |= {"6": 4, "7": 5, "chủ nhật": 6, "cn": 6}
_MONTH_WORDS = {
    "giêng": 1, "một": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7,
    "tám": 8, "chín": 9, "mười": 10, "mười một": 11, "mười hai": 12, "chạp": 12,
}  # fmt: skip
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
# Parts of a month / year. The boundaries are conventions (a third each), kept wide on purpose.
_PART_MONTH = {"đầu": (1, 10), "thượng tuần": (1, 10), "giữa": (11, 20), "trung tuần": (11, 20)}
_PART_MONTH |= {"cuối": (21, 31), "hạ tuần": (21, 31)}
_PART_YEAR = {"đầu": (1, 4), "giữa": (5, 8), "cuối": (9, 12)}
_REL_DAY = {
    "hôm nay": 0, "ngày hôm nay": 0, "nay": 0, "hôm qua": -1, "ngày hôm qua": -1, "qua": -1,
    "hôm kia": -2, "ngày hôm kia": -2, "ngày mai": 1, "mai": 1, "ngày kia": 2, "ngày mốt": 2, "mốt": 2,
}  # fmt: skip
_REL_WEEK = {"này": 0, "nay": 0, "trước": -1, "qua": -1, "vừa qua": -1, "tới": 1, "sau": 1}
_REL_YEAR = {"nay": 0, "này": 0, "ngoái": -1, "trước": -1, "qua": -1, "kia": -2, "tới": 1, "sau": 1}
_ORDINAL_NOUNS = re.compile(
    r"(lần|cuộc|người|vòng|kỳ|khóa|khoá|phiên|số|hạng|lượt|đợt|bàn|trận|ván|ngày|tuần|năm|tháng|"
    r"chiếc|điều|phần|bước|giai đoạn|nhiệm kỳ|mùa|đứng|xếp|là)\s*$",
    re.I,
)


# --------------------------------------------------------------------------------------------------
# Mentions: what the text says, before resolution against a reference


@dataclass(slots=True)
class _Mention:
    kind: str
    start: int
    end: int
    text: str
    day: int | None = None
    day2: int | None = None
    month: int | None = None
    year: int | None = None
    offset: int = 0  # relative words: days / weeks / months / years from the reference
    part: tuple[int, int] | None = None  # sub-range (days of a month / months of a year / days of a week)
    weekday: int | None = None
    future: bool = False
    past: bool = False
    extra: dict[str, str] = field(default_factory=dict)


_Handler = Callable[[re.Match[str]], "_Mention | None"]
# (pattern, handler, needs): every match of the pattern satisfies each of ``needs``, a set of tokens one
# of which it contains (lower-cased; DIGIT: an ASCII digit, DIGIT_SEP: digits around a "/", "." or "-",
# as every numeric date has). A rule is not run on a sentence that cannot satisfy them: most sentences
# have no date, and running every unanchored pattern over all of them was most of the dating time. The
# output is the same; only searches that cannot match are skipped.
_RULES: list[tuple[re.Pattern[str], _Handler, tuple[frozenset[str], ...]]] = []
DIGIT = "0-9"
DIGIT_SEP = "0/0"
_ASCII_DIGIT = re.compile(r"[0-9]")
_DIGIT_SEP = re.compile(r"\d\s*[/.\-]\s*\d")


def _rule(pattern: str, *needs: str | tuple[str, ...]) -> Callable[[_Handler], _Handler]:
    if not needs:
        raise ValueError(f"rule {pattern!r}: name the strings every match contains")
    sets = tuple(frozenset((n,) if isinstance(n, str) else n) for n in needs)

    def deco(fn: _Handler) -> _Handler:
        _RULES.append((re.compile(pattern, re.I), fn, sets))
        return fn

    return deco


def _i(s: str | None) -> int | None:
    return int(s) if s else None


def _weekday_of(word: str | None) -> int | None:
    if not word:
        return None
    return _WEEKDAYS.get(re.sub(r"^thứ\s+", "", word.strip().lower()))


_WD = r"(?:(thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ nhật)\s*(?:,\s*|\(\s*)?(?:ngày\s+)?)?"


@_rule(
    r"\b" + _Y + r"-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?",
    DIGIT_SEP,
)
def _iso_date(m: re.Match[str]) -> _Mention | None:
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if _safe_date(y, mo, d) is None:
        return None
    return _Mention("full", m.start(), m.end(), m.group(0), day=d, month=mo, year=y)


# Metadata timestamps ("15:06' - 14/11/2016", "12.06.2023 | 17:24 PM") and full dates ("13/4/2021",
# "30-3-2021", "ngày 13 tháng 4 năm 2021"), optionally with a weekday ("thứ Hai, 13/4/2021").
@_rule(
    r"(?:\d{1,2}[:h]\d{2}'?\s*(?:[-|,]\s*)?)?" + _WD + _NB + _D + r"\s*([/.-])\s*" + _M + r"\s*\3\s*" + _Y
    + r"(?:\s*[|,-]?\s*\d{1,2}:\d{2}(?:\s*[AP]M)?)?(?!\d)",
    DIGIT_SEP,
)  # fmt: skip
def _full_numeric(m: re.Match[str]) -> _Mention | None:
    d, mo, y = int(m.group(2)), int(m.group(4)), int(m.group(5))
    if _safe_date(y, mo, d) is None:
        return None
    return _Mention(
        "full", m.start(), m.end(), m.group(0), day=d, month=mo, year=y, weekday=_weekday_of(m.group(1))
    )


@_rule(
    _WD + r"\bngày\s+" + _D + r"\s+tháng\s+" + _M + r"(?:\s*(?:năm|,)\s*" + _Y + r")?\b",
    DIGIT,
    "ngày",
    "tháng",
)
def _written(m: re.Match[str]) -> _Mention | None:
    d, mo, y = int(m.group(2)), int(m.group(3)), _i(m.group(4))
    if _safe_date(y or 2000, mo, d) is None:
        return None
    kind = "full" if y else "daymonth"
    return _Mention(
        kind, m.start(), m.end(), m.group(0), day=d, month=mo, year=y, weekday=_weekday_of(m.group(1))
    )


# Day ranges: "22-23/04", "ngày 7 và 8/7/2022", "từ 20 đến 26-10", "20-21 và 22/10/2013".
@_rule(
    r"(?:\bngày\s+)?" + _NB + _D + r"(?:\s*(?:-|–)\s*\d{1,2}(?=\s*(?:và|,)))?\s*(-|–|và|đến|,)\s*(?:ngày\s+)?"
    + _D + r"\s*([/.-])\s*" + _M + r"(?:\s*\4\s*" + _Y + r")?" + _NA + _NOT_UNIT,
    DIGIT_SEP,
)  # fmt: skip
def _day_range(m: re.Match[str]) -> _Mention | None:
    d1, join, d2, sep, mo, y = (
        int(m.group(1)),
        m.group(2),
        int(m.group(3)),
        m.group(4),
        int(m.group(5)),
        _i(m.group(6)),
    )
    if d2 <= d1 or (sep != "/" and join in ("-", "–")) or _safe_date(2000, mo, d2) is None:
        return None
    if join == "," and not m.group(0).lower().startswith("ngày"):
        return None  # "5, 7/10" is a list of numbers unless it reads "ngày 20, 21/10"
    return _Mention("dayrange", m.start(), m.end(), m.group(0), day=d1, day2=d2, month=mo, year=y)


# Spans: "từ ngày 22/7 - 22/10/2022", "từ 1/10/2021 đến 30/6/2022": the start takes the end's year.
@_rule(
    _NB + _D + r"\s*/\s*" + _M + r"(?:\s*/\s*" + _Y + r")?\s*(?:-|–|đến(?:\s+hết)?)\s*(?:ngày\s+)?"
    + _D + r"\s*/\s*" + _M + r"\s*/\s*" + _Y + _NA,
    DIGIT_SEP,
)  # fmt: skip
def _span(m: re.Match[str]) -> _Mention | None:
    d1, m1, y1, d2, m2, y2 = (_i(g) for g in m.groups())
    assert d1 and m1 and d2 and m2 and y2
    end = _safe_date(y2, m2, d2)
    y = y1 or (y2 if (m1, d1) <= (m2, d2) else y2 - 1)
    start = _safe_date(y, m1, d1)
    if start is None or end is None or start > end:
        return None
    men = _Mention("span", m.start(), m.end(), m.group(0), day=d1, month=m1, year=y)
    men.extra["end"] = end.isoformat()
    return men


# Day and month, no year. "/" is accepted after a day word or bare when it cannot be a fraction
# (day > month, not "24/7"); "-" and "." only after a day word ("ngày 23-10", "hôm 21.10"), since
# bare they are scores, ranges and decimals.
@_rule(
    r"(?:\b(" + _DAY_MARK + r")\s*(?:\(\s*|,\s*)?(?:ngày\s+)?)?" + _NB + _D + r"\s*([/.-])\s*" + _M + _NA
    + _NOT_UNIT,
    DIGIT_SEP,
)  # fmt: skip
def _day_month(m: re.Match[str]) -> _Mention | None:
    mark, d, sep, mo = m.group(1), int(m.group(2)), m.group(3), int(m.group(4))
    if _safe_date(2000, mo, d) is None:  # leap year: 29/2 is a date
        return None
    paren = m.string[max(0, m.start() - 1) : m.start()] == "(" and m.string[m.end() : m.end() + 1] == ")"
    if not mark and not (paren and sep == "/") and (sep != "/" or d <= mo or (d, mo) == (24, 7)):
        return None
    # A list of bare pairs is a score line ("6/1, 3/6, 7/6"), not dates.
    if not mark and (
        re.match(r"\s*[,;]\s*\d{1,2}/\d{1,2}\b", m.string[m.end() :])
        or re.search(r"\b\d{1,2}/\d{1,2}\s*[,;]\s*$", m.string[: m.start()])
    ):
        return None
    wd = _weekday_of(mark) if mark and mark.lower().startswith(("thứ", "chủ", "cn")) else None
    return _Mention("daymonth", m.start(), m.end(), m.group(0), day=d, month=mo, weekday=wd)


# Month (and year): "tháng 6/2021", "tháng 1.2013", "tháng 6 năm 2021", "đầu tháng 6", "cuối tháng Mười",
# "tháng 7 tới"; parts of a month map to day ranges.
@_rule(
    r"(?:\b(đầu|giữa|cuối|thượng tuần|trung tuần|hạ tuần)\s+)?\btháng\s+(" + _M[1:-1]
    + r"|mười một|mười hai|giêng|chạp|một|hai|ba|tư|bốn|năm|sáu|bảy|tám|chín|mười)\b"
    + r"(?:\s*(?:/|\.|-|năm)\s*" + _Y + r"\b)?"
    + r"(\s+(?:tới|sau|này|trước|qua|vừa qua|năm\s+(?:nay|ngoái|trước|tới|sau)))?",
    "tháng",
)  # fmt: skip
def _month(m: re.Match[str]) -> _Mention | None:
    part, word, y, rel = m.group(1), m.group(2), _i(m.group(3)), (m.group(4) or "").strip().lower()
    if word.isdigit():
        mo = int(word)
    else:
        # Month names in words only when capitalised ("tháng Mười"): "tháng năm" is also "months and years".
        if not word[0].isupper():
            return None
        mo = _MONTH_WORDS[word.lower()]
    if y is None and word.lower() == "năm":
        return None
    pm = _PART_MONTH[part.lower()] if part else None
    men = _Mention("monthyear" if y else "month", m.start(), m.end(), m.group(0), month=mo, year=y, part=pm)
    if rel.startswith("năm"):  # "tháng 11 năm ngoái": a month of the reference year shifted
        men.kind = "relmonthyear"
        men.offset = _REL_YEAR[rel.split()[-1]]
        return men
    men.future = rel in ("tới", "sau")
    men.past = rel in ("trước", "qua", "vừa qua")
    return men


# Relative month: "tháng này", "tháng trước", "đầu tháng tới", bare "đầu tháng" (of the reference month).
@_rule(
    r"\b(?:(đầu|giữa|cuối)\s+)?tháng\s+(này|nay|trước|qua|vừa qua|tới|sau)\b"
    r"|\b(đầu|giữa|cuối)\s+tháng\b(?!\s+\d)",
    "tháng",
)
def _rel_month(m: re.Match[str]) -> _Mention | None:
    part = (m.group(1) or m.group(3) or "").lower()
    rel = (m.group(2) or "này").lower()
    men = _Mention("relmonth", m.start(), m.end(), m.group(0), offset=_REL_WEEK[rel])
    men.part = _PART_MONTH[part] if part else None
    return men


# Years: "năm 2017", "đầu năm 2021", "cuối năm ngoái", "năm nay", "năm tới", "quý I/2021", "3 năm trước".
@_rule(
    r"(?:\b(\d{1,2}|sáu|chín)\s+tháng\s+(đầu|cuối)\s+|\b(đầu|giữa|cuối)\s+)?năm\s+" + _Y + r"\b", DIGIT, "năm"
)
def _year(m: re.Match[str]) -> _Mention | None:
    n, side, part, y = m.group(1), m.group(2), m.group(3), int(m.group(4))
    men = _Mention("year", m.start(), m.end(), m.group(0), year=y)
    if n:  # "6 tháng đầu năm 2022": January to June
        k = {"sáu": 6, "chín": 9}.get(n.lower()) or int(n)
        if not 1 <= k <= 12:
            return None
        men.part = (1, k) if side.lower() == "đầu" else (13 - k, 12)
    else:
        men.part = _PART_YEAR[part.lower()] if part else None
    return men


@_rule(r"(?<!\d\s)(?<!\d)\b(?:(đầu|giữa|cuối)\s+)?năm\s+(nay|ngoái|kia|tới|sau)\b", "năm")
def _rel_year(m: re.Match[str]) -> _Mention | None:
    part = m.group(1)
    if not part and re.search(
        r"\b(nhiều|mấy|vài|các|những|bao|mọi|hàng|bao nhiêu)\s*$", m.string[: m.start()], re.I
    ):
        return None  # "từ nhiều năm nay": for years now, a duration
    men = _Mention("relyear", m.start(), m.end(), m.group(0), offset=_REL_YEAR[m.group(2).lower()])
    men.part = _PART_YEAR[part.lower()] if part else None
    return men


@_rule(r"\bquý\s+(iv|iii|ii|i|[1-4])\s*(?:/|năm|-)\s*" + _Y + r"\b", DIGIT, "quý")
def _quarter(m: re.Match[str]) -> _Mention | None:
    q = _ROMAN[m.group(1).lower()]
    men = _Mention("year", m.start(), m.end(), m.group(0), year=int(m.group(2)))
    men.part = (3 * q - 2, 3 * q)
    return men


# "3 ngày trước", "cách đây 2 tuần", "hai năm trước".
_NUM_WORDS = {
    "một": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "năm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
    "mười": 10,
}


@_rule(
    r"\b(?:cách đây\s+(\d{1,3}|một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười)\s+(ngày|tuần|tháng|năm)"
    r"|(\d{1,3}|một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười)\s+(ngày|tuần|tháng|năm)\s+(trước|nữa))\b"
    # "3 ngày trước khi ...", "3 năm sau Đại hội": relative to another event, not to the text's date.
    r"(?!\s+(?:khi|đó|lúc|ngày|hôm))",
    ("ngày", "tuần", "tháng", "năm"),
)
def _ago(m: re.Match[str]) -> _Mention | None:
    num = m.group(1) or m.group(3)
    unit = (m.group(2) or m.group(4)).lower()
    n = int(num) if num.isdigit() else _NUM_WORDS[num.lower()]
    sign = 1 if (m.group(5) or "").lower() == "nữa" else -1
    return _Mention("ago", m.start(), m.end(), m.group(0), offset=sign * n, extra={"unit": unit})


# Relative days: "hôm nay", "hôm qua", "sáng nay", "tối mai", "đêm qua", "ngày mai", "rạng sáng nay".
@_rule(
    r"\b(?:(?:rạng sáng|sáng sớm|sáng|trưa|chiều|tối|đêm|khuya)\s+(nay|qua|mai|hôm qua|hôm nay)"
    r"|(ngày hôm nay|ngày hôm qua|ngày hôm kia|hôm nay|hôm qua|hôm kia|ngày mai|ngày kia|ngày mốt))\b"
    r"(?!\s*(?:\(|,\s*)?(?:ngày\s+)?\d{1,2}\s*[/.-]\s*\d)",  # "hôm nay (22/10)": the date itself wins
    ("nay", "qua", "ma", "hôm", "ngày"),
)
def _rel_day(m: re.Match[str]) -> _Mention | None:
    word = (m.group(1) or m.group(2)).lower()
    return _Mention("relday", m.start(), m.end(), m.group(0), offset=_REL_DAY[word])


# Weeks: "tuần trước", "tuần này", "tuần tới", "cuối tuần qua", "đầu tuần", bare "cuối tuần".
@_rule(
    r"\b(?:(đầu|giữa|cuối)\s+)?tuần\s+(này|nay|trước|qua|vừa qua|tới|sau)\b|\b(đầu|giữa|cuối)\s+tuần\b",
    "tuần",
)
def _week(m: re.Match[str]) -> _Mention | None:
    part = (m.group(1) or m.group(3) or "").lower()
    rel = m.group(2).lower() if m.group(2) else ""
    if m.start() >= 4 and re.search(r"\d\s*$", m.string[: m.start()]):
        return None  # "3 tuần qua" is a duration, not a date
    span = {"đầu": (0, 1), "giữa": (1, 3), "cuối": (5, 6)}.get(part, (0, 6))
    men = _Mention("week", m.start(), m.end(), m.group(0), offset=_REL_WEEK[rel] if rel else 0, part=span)
    men.extra["bare"] = "" if rel else "1"
    men.extra["qua"] = "1" if rel in ("qua", "vừa qua") else ""
    return men


# Weekday names: "thứ Hai", "hôm thứ sáu", "thứ Năm tuần trước", "Chủ nhật tới". "Thứ hai" is also the
# ordinal "second" ("lần thứ hai", "Thứ hai, ..."), so a lower-case or sentence-initial name needs a day
# word before it or a week word after it.
@_rule(
    r"(?:\b(hôm|vào|ngày|sáng|trưa|chiều|tối|đêm|từ|đến|tới|hồi|khuya|rạng sáng)\s+)?"
    r"\b(thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ nhật)\b(?!\s*[/.-]?\s*\d)"
    r"(?:\s+(tuần\s+(?:này|trước|qua|tới|sau)|tuần\s+vừa\s+qua|vừa qua|này|tới|trước|qua|đầu tuần))?",
    ("thứ", "nhật"),
)
def _weekday(m: re.Match[str]) -> _Mention | None:
    mark, name, rel = m.group(1), m.group(2), (m.group(3) or "").lower()
    before = m.string[max(0, m.start() - 30) : m.start()]
    is_word_upper = name.split()[-1][:1].isupper()
    sentence_start = not before.strip() or before.rstrip()[-1:] in ".!?:\n"
    # "Chủ nhật" (Sunday) is never an ordinal; "thứ Hai" alone must be capitalised, mid-sentence, and not
    # follow an ordinal noun ("lần thứ Hai").
    bare = not (mark or rel) and name.lower() != "chủ nhật"
    if bare and (not is_word_upper or sentence_start or _ORDINAL_NOUNS.search(before)):
        return None
    wd = _weekday_of(name)
    if wd is None:
        return None
    off = 0
    if rel:
        off = -1 if ("trước" in rel or "qua" in rel) else 1 if ("tới" in rel or "sau" in rel) else 0
    men = _Mention("weekday", m.start(), m.end(), m.group(0), weekday=wd, offset=off)
    men.extra["rel"] = rel
    return men


def _scan(text: str) -> list[_Mention]:
    """All mentions, longest first where they overlap, in text order (fresh copies: callers shift them)."""
    return [replace(m, extra=dict(m.extra)) for m in _scan_cached(text)]


_NEEDS = frozenset(n for _, _, needs in _RULES for alts in needs for n in alts) - {DIGIT, DIGIT_SEP}


# One article's sentences are scanned by several steps (year inference, knowledge, the lead, the event
# in each candidate year), and an event's articles again by grouping: the scan is memoised per sentence.
# A pure function of its argument, so the cache is safe on any worker; bounded, so memory stays flat.
@functools.lru_cache(maxsize=16384)
def _scan_cached(text: str) -> tuple[_Mention, ...]:
    low = _fold(text)
    present = {n for n in _NEEDS if n in low}
    if _ASCII_DIGIT.search(text):
        present.add(DIGIT)
        if _DIGIT_SEP.search(text):
            present.add(DIGIT_SEP)
    found: list[_Mention] = []
    for pat, fn, needs in _RULES:
        if any(alts.isdisjoint(present) for alts in needs):
            continue
        for m in pat.finditer(text):
            men = fn(m)
            if men is not None and men.end > men.start:
                found.append(men)
    found.sort(key=lambda x: (-(x.end - x.start), x.start))
    taken: list[_Mention] = []
    for men in found:
        if all(men.end <= t.start or men.start >= t.end for t in taken):
            taken.append(men)
    taken.sort(key=lambda x: x.start)
    for men in taken:
        if men.text.count("(") > men.text.count(")") and text[men.end : men.end + 1] == ")":
            men.end += 1  # "hôm nay (22/10)": keep the parenthesis whole
            men.text += ")"
        ctx = _clause(text, men.start, men.end)
        men.future = men.future or (
            bool(_FUTURE.search(ctx)) and not _COMPARED.search(text, max(0, men.start - 30), men.start)
        )
        men.past = men.past or bool(_PAST.search(ctx))
        # Trim a leading connective captured as a day marker ("vào ngày 12/2" is reported as "ngày 12/2").
        lead = re.match(r"(?:vào|từ|đến|tới|trước|sau|hồi)\s+(?=\S)", men.text, re.I)
        if lead and men.kind in ("daymonth", "full", "dayrange", "weekday"):
            men.start += lead.end()
            men.text = men.text[lead.end() :]
    return tuple(taken)


def _clause(text: str, start: int, end: int) -> str:
    """The clause around a mention (between commas/semicolons/sentence ends), for tense cues."""
    lo = max(text.rfind(c, 0, start) for c in ".;!?\n")
    hi_candidates = [i for c in ".;!?\n" if (i := text.find(c, end)) != -1]
    hi = min(hi_candidates) if hi_candidates else len(text)
    return text[lo + 1 : start] + " " + text[end:hi]


# --------------------------------------------------------------------------------------------------
# Resolution


@dataclass(slots=True)
class _Resolved:
    lo: date | None
    hi: date | None
    why: str


def _nearest(d: int, mo: int, ref: date, future: bool, past: bool = False) -> date | None:
    """The occurrence of day/month nearest the reference; past is likelier in news, unless marked future."""
    best: tuple[float, date] | None = None
    for y in (ref.year - 1, ref.year, ref.year + 1):
        x = _safe_date(y, mo, d)
        if x is None:
            continue
        delta = (x - ref).days
        # A future date counts 3x its distance (news reports what happened) and a past clause ("đã",
        # "vừa") all but rules it out; a past date counts 3x when the clause looks ahead ("sẽ", "dự kiến").
        if delta > 0 and not future:
            # (a day or two ahead is tolerated: the reference may be a late crawl or aggregator time)
            cost = delta * (1000.0 if past and delta > 2 else 3.0)
        elif delta < 0 and future and not past:
            cost = -delta * 3.0
        else:
            cost = abs(delta)
        if best is None or cost < best[0]:
            best = (cost, x)
    return best[1] if best else None


def _span_years(
    years: Sequence[int], f: Callable[[int], tuple[date, date] | None]
) -> tuple[date, date] | None:
    spans = [s for y in years if (s := f(y)) is not None]
    if not spans:
        return None
    return min(s[0] for s in spans), max(s[1] for s in spans)


def _shift_span(ref: Reference, f: Callable[[date], tuple[date, date]]) -> tuple[date, date] | None:
    """Apply a relative rule to both ends of the reference window and take the span."""
    if ref.lo is None or ref.hi is None:
        return None
    a, b = f(ref.lo), f(ref.hi)
    return min(a[0], b[0]), max(a[1], b[1])


def _week_span(d: date, offset: int, part: tuple[int, int]) -> tuple[date, date]:
    monday = d - timedelta(days=d.weekday()) + timedelta(weeks=offset)
    return monday + timedelta(days=part[0]), monday + timedelta(days=part[1])


def _resolve(men: _Mention, ref: Reference) -> _Resolved:
    """Turn a mention into a date range using the reference; explain how."""
    k = men.kind
    rwhy = ref.why or "ngày tham chiếu"
    if k == "full":
        x = date(men.year or 1, men.month or 1, men.day or 1)
        return _Resolved(x, x, "ngày đầy đủ nêu trong bài")
    if k == "span":
        a = date(men.year or 1, men.month or 1, men.day or 1)
        return _Resolved(a, date.fromisoformat(men.extra["end"]), "khoảng ngày, năm lấy theo ngày kết thúc")
    if k in ("daymonth", "dayrange"):
        d1, d2, mo = men.day or 1, men.day2 or men.day or 1, men.month or 1
        if men.year:
            lo, hi = _safe_date(men.year, mo, d1), _safe_date(men.year, mo, d2)
            return _Resolved(lo, hi, "ngày đầy đủ nêu trong bài")
        ex = ref.exact
        if ex is not None:
            first = _nearest(d1, mo, ex, men.future, men.past)
            if first is None:
                return _Resolved(None, None, "không phải ngày có trên lịch")
            last = _safe_date(first.year, mo, d2)
            return _Resolved(first, last, f"năm suy ra từ {rwhy} (lấy ngày gần nhất)")
        years = list(ref.years)
        if ref.windows:  # only the years whose day falls in a known period (e.g. a term of office)
            fit = [y for y in years if (xd := _safe_date(y, mo, d1)) and _in_windows(xd, ref.windows)]
            years = fit or years
        if men.weekday is not None:  # "thứ Hai (13/4)": only years where 13/4 is a Monday
            fit = [y for y in years if (xd := _safe_date(y, mo, d1)) and xd.weekday() == men.weekday]
            if fit:
                years = fit
        span = _span_years(
            years, lambda y: (a, b) if (a := _safe_date(y, mo, d1)) and (b := _safe_date(y, mo, d2)) else None
        )
        if span is None:
            return _Resolved(None, None, "năm không rõ: bài không nêu năm và không suy ra được")
        why = f"năm không nêu; {rwhy}" if len(years) > 1 else f"năm suy ra từ {rwhy}"
        return _Resolved(span[0], span[1], why)
    if k in ("month", "monthyear"):
        mo = men.month or 1
        part = men.part or (1, 31)

        def mspan(y: int) -> tuple[date, date]:
            end = _month_end(y, mo)
            return date(y, mo, min(part[0], end.day)), date(y, mo, min(part[1], end.day))

        if men.year:
            a, b = mspan(men.year)
            return _Resolved(a, b, "tháng và năm nêu trong bài")
        ex = ref.exact
        if ex is not None:
            near = _nearest(min(15, _month_end(ex.year, mo).day), mo, ex, men.future, men.past)
            y = near.year if near else ex.year
            if men.future and date(y, mo, 1) < date(ex.year, ex.month, 1):
                y += 1
            if men.past and date(y, mo, 1) > date(ex.year, ex.month, 1):
                y -= 1
            a, b = mspan(y)
            return _Resolved(a, b, f"năm suy ra từ {rwhy}")
        span = _span_years(ref.years, mspan)
        if span is None:
            return _Resolved(None, None, "năm không rõ: bài không nêu năm và không suy ra được")
        return _Resolved(span[0], span[1], f"năm suy ra từ {rwhy}")
    if k == "relmonthyear":
        mo, p = men.month or 1, men.part or (1, 31)

        def rmy(y: int) -> tuple[date, date]:
            end = _month_end(y + men.offset, mo)
            return date(end.year, mo, min(p[0], end.day)), date(end.year, mo, min(p[1], end.day))

        return _rel(_span_years(ref.years, rmy), f"tính theo {rwhy}")
    if k == "year":
        y = men.year or 1
        p = men.part or (1, 12)
        return _Resolved(date(y, p[0], 1), _month_end(y, p[1]), "năm nêu trong bài")
    if k == "relyear":
        p = men.part or (1, 12)
        span = _span_years(
            ref.years, lambda y: (date(y + men.offset, p[0], 1), _month_end(y + men.offset, p[1]))
        )
        return _rel(span, f"tính theo {rwhy}")
    if k == "relmonth":
        p = men.part or (1, 31)

        def rm(d: date) -> tuple[date, date]:
            y, mo = _add_months(d, men.offset)
            end = _month_end(y, mo)
            return date(y, mo, min(p[0], end.day)), date(y, mo, min(p[1], end.day))

        return _rel(_shift_span(ref, rm), f"tính theo {rwhy}")
    if k == "relday":
        return _rel(_shift_span(ref, lambda d: (d + timedelta(men.offset),) * 2), f"tính theo {rwhy}")
    if k == "ago":
        unit, n = men.extra["unit"], men.offset

        def ago(d: date) -> tuple[date, date]:
            if unit == "ngày":
                x = d + timedelta(days=n)
                return x, x
            if unit == "tuần":
                return _week_span(d, n, (0, 6))
            if unit == "tháng":
                y, mo = _add_months(d, n)
                return date(y, mo, 1), _month_end(y, mo)
            return date(d.year + n, 1, 1), date(d.year + n, 12, 31)

        return _rel(_shift_span(ref, ago), f"tính theo {rwhy}")
    if k == "week":
        off, part = men.offset, men.part or (0, 6)
        ex = ref.exact
        if men.extra.get("bare") and part == (5, 6) and ex is not None and ex.weekday() < 5:
            # Bare "cuối tuần" read on a weekday: the weekend just past if the clause is past, else ahead.
            off = -1 if men.past and not men.future else 0

        def wk(d: date) -> tuple[date, date]:
            # "tuần qua" (the week gone by) written on a weekend is the week now ending.
            o = 0 if men.extra.get("qua") and d.weekday() >= 5 else off
            return _week_span(d, o, part)

        return _rel(_shift_span(ref, wk), f"tính theo {rwhy}")
    if k == "weekday":
        wd, off, rel = men.weekday or 0, men.offset, men.extra.get("rel", "")

        def wday(d: date) -> tuple[date, date]:
            if "tuần" in rel:  # "thứ Năm tuần trước": that weekday in the named week
                x = _week_span(d, off, (wd, wd))[0]
            elif off > 0 or (men.future and not men.past and off == 0 and "này" not in rel):
                x = d + timedelta(days=(wd - d.weekday()) % 7 or 7)  # the next one
            elif "này" in rel:
                x = _week_span(d, 0, (wd, wd))[0]
            else:
                x = d - timedelta(days=(d.weekday() - wd) % 7)  # the latest one, today included
            return x, x

        return _rel(_shift_span(ref, wday), f"tính theo {rwhy}")
    return _Resolved(None, None, "không nhận dạng được")


def _rel(span: tuple[date, date] | None, why: str) -> _Resolved:
    if span is None:
        return _Resolved(None, None, "mốc tương đối, nhưng không rõ thời điểm viết bài")
    return _Resolved(span[0], span[1], why)


def _expression(text: str, men: _Mention, res: _Resolved, offset: int = 0) -> TemporalExpression:
    return TemporalExpression(
        text=men.text.strip(),
        value=_value_for(res.lo, res.hi),
        earliest=_iso(res.lo),
        latest=_iso(res.hi),
        start=men.start + offset,
        end=men.end + offset,
        evidence=res.why,
    )


# --------------------------------------------------------------------------------------------------
# Year inference from the text's own evidence

_YEAR_FUTURE = re.compile(r"\b(sẽ|dự kiến|sắp)\b", re.I)
_LAST_YEAR = re.compile(r"\b(đầu|giữa|cuối)?\s*năm\s+(ngoái|nay)\b", re.I)
_BEFORE_MARK = re.compile(r"\btrước đó\b", re.I)


# Sentences about the past at large: their full dates ("kỷ niệm ngày sinh (19/5/1890)") say nothing
# about when the text was written, except the end of a span ("(2/9/1945 - 2/9/2023)").
_HISTORY = re.compile(
    r"kỷ niệm|ngày sinh|sinh ngày|sinh năm|thành lập|lịch sử|truyền thống|năm ngày|ra đời", re.I
)


@functools.lru_cache(maxsize=16384)
def _is_history(sentence: str) -> bool:
    """A sentence about the past at large (memoised: every sentence is asked several times)."""
    return _HISTORY.search(sentence) is not None


def _current_years(sentence: str, mens: Sequence[_Mention]) -> list[int]:
    """Years of the sentence's explicit past dates that can speak for the text's own date."""
    ends = [int(m.extra["end"][:4]) for m in mens if m.kind == "span" and not m.future]
    if _is_history(sentence):
        return ends
    return ends + [
        m.year for m in mens if m.year and m.kind in ("full", "monthyear", "span") and not m.future
    ]


def _stated_years(sentence: str, mens: Sequence[_Mention]) -> list[tuple[int, str]]:
    """Years the sentence states as the time it speaks from (rule 5 of ``_infer_from_dates``)."""
    return [
        (m.year, sentence)
        for m in mens
        if m.kind == "year"
        and m.year
        and not m.future
        and not m.part
        and not _PLAN_BEFORE.search(sentence[max(0, m.start - 30) : m.start])
        and not _is_history(sentence)
    ]


# Words before a year that make it a plan's horizon, not a year the text speaks from: "đến năm 2030",
# "tầm nhìn 2045", "mục tiêu năm 2025", "giai đoạn 2021 - 2025", "từ năm 2023 đến hết năm 2030" (a
# programme's start, often ahead: "từ" is both "since" and "from", so it is not used).
_PLAN_BEFORE = re.compile(
    r"\b(?:từ|đến|tới|trước|tầm nhìn|mục tiêu|kế hoạch|chiến lược|phấn đấu|giai đoạn|dự kiến|dự báo)\b"
    r"[^.;]*$",
    re.I,
)


def infer_reference(
    text: str, related: Sequence[date] = (), context: str = "", today: date | None = None
) -> Reference:
    """Candidate years and periods of the text's own date, from its own evidence (no publication date).

    The text's dates (``_infer_from_dates``) are narrowed by the knowledge table: office holders named
    with their role and era terms found in ``context`` (e.g. the title) and ``text`` (docs/dating.md).
    ``today`` closes terms still running (default: the current date).
    """
    ref = _infer_from_dates(text, related, context)
    return _apply_knowledge(ref, (context + "\n" + text) if context else text, today, soft_upper=True)


def _infer_reference_split(
    text: str, related: Sequence[date], context: str, today: date, sentences: Sequence[str]
) -> Reference:
    """``infer_reference`` for normalised ``text`` and ``context`` whose sentences (context's, then
    text's) the caller has split already."""
    ref = _infer_from_dates(text, related, context)
    return _apply_knowledge(ref, "", today, soft_upper=True, sentences=sentences)


def _infer_from_dates(text: str, related: Sequence[date] = (), title: str = "") -> Reference:
    """Candidate years of the text's own date, from its evidence only (no publication date known).

    Rules (each a general property of news text, see docs/dating.md):
    1. the text's full dates (past) bound it from below, and its latest one is at most a year old:
       a year-less "ngày 11/2" in a text whose full dates are all in Y or earlier is in Y or Y+1;
    2. "Năm Y, ... sẽ ..." (a year spoken of in the future) means the text was written before Y;
    3. "cuối/đầu/giữa năm ngoái" (or "năm nay") matching a full date in that part of year Y gives Y+1 (Y);
    4. ``related``: timestamps of the article's related-headline list (weak: those are older articles);
    5. a year the text (or ``title``) states, not as a plan or the future ("Năm 2022 là năm đánh dấu
       ...", "Chương trình ... năm 2022"), bounds it from below; when that is later than rule 1's years,
       rule 1 read an old date (a 1997 anniversary, a 2004 tsunami) and gives no years.
    """
    sentences = split_sentences(text)
    full_years: list[int] = []
    full_dates: list[date] = []
    lo_year: int | None = None
    hi_year: int | None = None
    why: list[str] = []
    stated: list[tuple[int, str]] = []
    for s in split_sentences(title) if title else []:
        stated.extend(_stated_years(s, _scan(s)))
    for s in sentences:
        mens = _scan(s)
        full_years.extend(_current_years(s, mens))
        stated.extend(_stated_years(s, mens))
        for men in mens:
            if men.kind in ("full", "monthyear") and men.year and not men.future and not _is_history(s):
                full_dates.append(date(men.year, men.month or 1, men.day or 1 if men.kind == "full" else 1))
            if men.kind != "year" or not men.year or men.part or not men.future or not _YEAR_FUTURE.search(s):
                continue
            # "Năm 2017, X sẽ ..." opens on the year: written before it. "X sẽ ... năm 2015": by then.
            head = re.match(r"[“\"'\-\s]*(?:trong |sang )?năm\s+" + str(men.year) + r"\b", s, re.I)
            if head or _YEAR_FUTURE.search(s, 0, men.start):
                bound = men.year - 1 if head else men.year
                if hi_year is None or bound < hi_year:
                    hi_year = bound
                    why.append(f"viết trước năm {bound + 1} ('{_short(s)}')")
    cands: set[int] | None = None
    if full_years:
        ymax = max(full_years)
        cands = {ymax, ymax + 1}
        lo_year = ymax
        why.insert(
            0, f"ngày đầy đủ muộn nhất trong bài thuộc năm {ymax}, nên bài viết năm {ymax} hoặc {ymax + 1}"
        )
    if stated:
        ys, ss = max(stated)
        if cands is not None and ys > max(cands):
            # Rule 1 read an old date: what is left is a lower bound, which a year set cannot hold.
            return Reference(why=f"bài nêu năm {ys} ('{_short(ss)}'), muộn hơn mọi ngày đầy đủ trong bài")
        if lo_year is None or ys > lo_year:
            lo_year = ys
            why.append(f"bài nêu năm {ys} ('{_short(ss)}'), nên viết từ năm {ys}")
    if related:
        r = max(related)
        if lo_year is None or r.year > lo_year:
            lo_year = r.year
        why.append(f"tin liên quan ghi ngày muộn nhất {r.strftime('%d/%m/%Y')} (căn cứ yếu)")
    if cands is None and lo_year is not None and hi_year is not None and 0 <= hi_year - lo_year <= 1:
        cands = set(range(lo_year, hi_year + 1))
    if cands is None:
        return Reference(why="; ".join(why))
    bounded = {y for y in cands if (lo_year is None or y >= lo_year) and (hi_year is None or y <= hi_year)}
    cands = bounded or cands
    # Rule 3: "cuối năm ngoái" that matches a full date in the last months of year Y: the text is of Y+1.
    if len(cands) > 1:
        for s in sentences:
            for m in _LAST_YEAR.finditer(s):
                if not m.group(1):
                    # A bare "năm ngoái" ("so với cùng kỳ năm ngoái") matches a full date anywhere in a
                    # year, the current year's included: it moved mid-2022 texts to 2023.
                    continue
                part = _PART_YEAR[m.group(1).lower()]
                shift = 1 if m.group(2).lower() == "ngoái" else 0
                hits = {d.year + shift for d in full_dates if part[0] <= d.month <= part[1]}
                if len(hits & cands) == 1:
                    (y,) = hits & cands
                    cands = {y}
                    why.append(f"'{m.group(0).strip()}' khớp với một ngày đầy đủ năm {y - shift}")
                    break
            if len(cands) == 1:
                break
    years = tuple(sorted(cands))
    lo = date(years[0], 1, 1)
    if related and max(related).year == years[0] and len(years) == 1:
        lo = max(related)
    return Reference(lo, date(years[-1], 12, 31), years, "căn cứ trong bài (" + "; ".join(why) + ")")


# --------------------------------------------------------------------------------------------------
# World knowledge: office terms and era terms (src/diemtin/data/eras.json, see docs/dating.md)
#
# A text that calls someone by a role and name ("Tổng thống Mỹ Joe Biden") is written while that person
# holds the office; one that says "Covid-19" is written after the word existed. Each such match bounds
# the text's own date to a union of periods; the article's constraints are intersected.

_Period = tuple[date, date | None]  # end None: still in office


@dataclass(frozen=True, slots=True)
class _Holder:
    office: str
    person: str
    roles: frozenset[str]  # casefolded role strings of the office
    names: frozenset[str]  # casefolded name variants
    terms: tuple[_Period, ...]
    elect: tuple[_Period, ...]


@dataclass(frozen=True, slots=True)
class _Era:
    terms: tuple[str, ...]
    start: date
    note: str


@dataclass(frozen=True, slots=True)
class _Knowledge:
    holders: tuple[_Holder, ...]
    eras: tuple[_Era, ...]
    role_re: re.Pattern[str]
    era_re: re.Pattern[str]
    # Lower-cased first words of the roles / era terms: a sentence holding none of them cannot match
    # (empty: no gate). Checking a few substrings is far cheaper than the two long alternations.
    role_gate: tuple[str, ...] = ()
    era_gate: tuple[str, ...] = ()


def _first_words(phrases: Iterable[str]) -> tuple[str, ...]:
    """Lower-cased first words (up to a space or dot) of ``phrases``; () when one has none."""
    firsts = {re.split(r"[\s.]", p.strip(), maxsplit=1)[0].lower() for p in phrases}
    return () if "" in firsts else tuple(sorted(firsts))


def _fold(text: str) -> str:
    """Lower case for substring gates, with the few letters that ``re.I`` also equates with i and s."""
    low = text.lower()
    if "ı" in low or "ſ" in low or "ẛ" in low:
        low = low.replace("ı", "i").replace("ſ", "s").replace("ẛ", "ṡ")
    return low


def _words_re(s: str, elect: bool = False) -> str:
    """A phrase as a regex: any run of spaces between words, "D. Trump" = "D.Trump"; with ``elect``, an
    optional "(vừa) đắc cử" after any word ("Tổng thống đắc cử Mỹ", "Tổng thống Mỹ đắc cử")."""
    sep = r"(?:\s+(?:vừa\s+|mới\s+)?đắc\s+cử)?\s+" if elect else r"\s+"
    words = [re.escape(w).replace(r"\.", r"\.\s*") for w in s.split()]
    return sep.join(words) + (r"(?:\s+(?:vừa\s+|mới\s+)?đắc\s+cử)?" if elect else "")


def _by_len(xs: set[str]) -> list[str]:
    """Longest first, then alphabetical: regex alternation takes the first that matches."""
    return sorted(xs, key=lambda x: (-len(x), x))


def _key(s: str) -> str:
    return re.sub(r"[\s.]+", " ", normalize(s).casefold()).strip()


def _period(p: Sequence[str | None], where: str) -> _Period:
    if len(p) != 2 or not p[0]:
        raise ValueError(f"{where}: a period is [start, end|null], got {p!r}")
    a, b = date.fromisoformat(p[0]), date.fromisoformat(p[1]) if p[1] else None
    if b is not None and b < a:
        raise ValueError(f"{where}: period ends before it starts: {p!r}")
    return a, b


@functools.lru_cache(maxsize=1)
def _knowledge() -> _Knowledge:
    """The shipped knowledge table, parsed once (immutable, so the cache is safe on any worker)."""
    ref = resources.files("diemtin").joinpath("data/eras.json")
    where = "diemtin/data/eras.json"
    try:
        raw = json.loads(ref.read_text(encoding="utf-8"))
        holders: list[_Holder] = []
        roles: set[str] = set()
        names: set[str] = set()
        for off in raw["offices"]:
            oroles = [normalize(r) for r in off["roles"]]
            roles.update(oroles)
            for h in off["holders"]:
                hn = [normalize(n) for n in h["names"]]
                names.update(hn)
                w = f"{where}: {off['office']} / {h['person']}"
                holders.append(
                    _Holder(
                        off["office"],
                        h["person"],
                        frozenset(_key(r) for r in oroles),
                        frozenset(_key(n) for n in hn),
                        tuple(_period(p, w) for p in h["terms"]),
                        tuple(_period(p, w) for p in h.get("elect", [])),
                    )
                )
        eras = tuple(
            _Era(tuple(normalize(t) for t in e["terms"]), date.fromisoformat(e["start"]), e.get("note", ""))
            for e in raw["eras"]
        )
    except (OSError, KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{where}: bad knowledge table ({exc})") from exc
    role_alt = "|".join(_words_re(r, elect=True) for r in _by_len(roles))
    name_alt = "|".join(_words_re(n) for n in _by_len(names))
    # ROLE [đắc cử] [,] [ông|bà] NAME, not glued to a longer word on either side.
    role_re = re.compile(
        r"(?<![\w])(?P<role>"
        + role_alt
        + r")\s*,?\s*(?:(?:ông|bà|ngài)\s+)?(?P<name>"
        + name_alt
        + r")(?![\w-])",
        re.I,
    )
    terms = _by_len({t for e in eras for t in e.terms})
    era_re = re.compile(r"(?<![\w-])(?:" + "|".join(_words_re(t) for t in terms) + r")(?![\w])", re.I)
    return _Knowledge(
        tuple(holders),
        eras,
        role_re,
        era_re,
        _first_words(roles),
        _first_words(t for e in eras for t in e.terms),
    )


# Before the role: a former / late / vice / would-be holder, or an administration spoken of ("dưới thời
# Tổng thống X", "chính quyền Tổng thống X") — none says the text is written during the term.
_NOT_NOW_BEFORE = re.compile(
    r"\b(cựu|nguyên|cố|phó|quyền|ứng cử viên|ứng viên|thời|chính quyền|nội các|người tiền nhiệm|"
    r"tiền nhiệm|kế nhiệm)\s*$",
    re.I,
)
# After the name: "Tổng thống Mỹ Barack Obama khi đó", "(lúc bấy giờ)".
_NOT_NOW_AFTER = re.compile(
    r"^\s*[,(]?\s*(khi đó|lúc đó|lúc bấy giờ|khi ấy|lúc ấy|thời đó|thời điểm đó|thời điểm ấy|hồi đó|"
    r"vào thời điểm đó|trước đây|trước đó)\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class _Constraint:
    """One piece of evidence: the text is written within the union of ``periods``."""

    text: str
    periods: tuple[tuple[date, date], ...]
    label: str  # "nhiệm kỳ 2021-01-20–2025-01-20", "sau 2020-02-11: tên do WHO / ICTV đặt ..."


def _closed(periods: Sequence[_Period], today: date) -> tuple[tuple[date, date], ...]:
    return tuple((a, b or today) for a, b in periods if a <= (b or today))


def _fmt_periods(periods: Sequence[tuple[date, date]], today: date) -> str:
    return ", ".join(f"{a.isoformat()}–{b.isoformat() if b != today else 'nay'}" for a, b in periods)


def _knowledge_constraints(
    text: str, today: date, sentences: Sequence[str] | None = None
) -> list[_Constraint]:
    """Role+name and era-term evidence in ``text``, in text order (``today`` closes ongoing terms).

    ``sentences``: ``split_sentences(normalize(text))`` when the caller has them (then ``text`` is unused).
    """
    kn = _knowledge()
    if sentences is None:
        sentences = split_sentences(normalize(text))
    out: list[_Constraint] = []
    for s in sentences:
        low = _fold(s)
        roles = not kn.role_gate or any(g in low for g in kn.role_gate)
        eras = not kn.era_gate or any(g in low for g in kn.era_gate)
        if not (roles or eras):
            continue
        years = [m.year for m in _scan(s) if m.year]
        for m in kn.role_re.finditer(s) if roles else ():
            if _NOT_NOW_BEFORE.search(s[: m.start()]) or _NOT_NOW_AFTER.match(s[m.end() :]):
                continue
            role, name = _key(m.group("role")), _key(m.group("name"))
            elect = "đắc cử" in role
            base = _key(re.sub(r"\s*(?:vừa\s+|mới\s+)?đắc\s+cử", "", m.group("role"), flags=re.I))
            hits = [h for h in kn.holders if base in h.roles and name in h.names]
            periods: list[_Period] = []
            for h in hits:
                periods.extend(h.elect if elect and h.elect else h.terms)
            closed = tuple(sorted(set(_closed(periods, today))))
            if not closed:
                continue
            # A sentence dated by its own year ("Năm 2009, Tổng thống Mỹ Barack Obama ...", "Ngày 13/4/2021,
            # ...") names the office as of that year, not as of writing; its date is evidence enough.
            if years:
                continue
            kind = "giai đoạn đắc cử" if elect else "nhiệm kỳ"
            out.append(_Constraint(m.group(0).strip(), closed, f"{kind} {_fmt_periods(closed, today)}"))
        for m in kn.era_re.finditer(s) if eras else ():
            t = _key(m.group(0))
            era = next(e for e in kn.eras if t in {_key(x) for x in e.terms})
            if era.start <= today:
                label = f"sau {era.start.isoformat()}" + (f": {era.note}" if era.note else "")
                out.append(_Constraint(m.group(0).strip(), ((era.start, today),), label))
    return out


def _intersect(
    a: Sequence[tuple[date, date]], b: Sequence[tuple[date, date]]
) -> tuple[tuple[date, date], ...]:
    out = [(max(x[0], y[0]), min(x[1], y[1])) for x in a for y in b]
    return tuple(sorted(p for p in out if p[0] <= p[1]))


def _narrow(
    start: tuple[tuple[date, date], ...], cons: Sequence[_Constraint]
) -> tuple[tuple[tuple[date, date], ...], list[_Constraint], list[_Constraint]]:
    """Intersect ``start`` with the constraints in order; those that would empty it are set aside."""
    windows = start
    used: list[_Constraint] = []
    skipped: list[_Constraint] = []
    for c in cons:
        if any(u.periods == c.periods for u in used + skipped):
            continue  # the same person or era named again
        narrowed = _intersect(windows, c.periods)
        if narrowed:
            windows = narrowed
            used.append(c)
        else:
            skipped.append(c)
    return windows, used, skipped


def _apply_knowledge(
    ref: Reference,
    text: str,
    today: date | None = None,
    soft_upper: bool = False,
    sentences: Sequence[str] | None = None,
) -> Reference:
    """Narrow a non-exact reference with the knowledge table's evidence in ``text``.

    Constraints are intersected in text order; one that contradicts those before it (or the text's own
    dates) is left out and said so, rather than failing or inventing a date. With ``soft_upper`` (a
    reference inferred from the text's dates, whose upper bound "at most a year after its latest full
    date" is a habit of news, not a fact), a term that contradicts only that upper bound wins over it.
    """
    if ref.exact is not None:
        return ref
    today = today or date.today()
    cons = _knowledge_constraints(text, today, sentences)
    if not cons:
        return ref
    hi = ref.hi or today
    start: tuple[tuple[date, date], ...] = ref.windows or (((ref.lo or date.min), hi),)
    if ref.years and not ref.windows:
        start = _intersect(start, tuple((date(y, 1, 1), date(y, 12, 31)) for y in ref.years))
    windows, used, skipped = _narrow(start, cons)
    base_why = ref.why
    if skipped and soft_upper and ref.lo is not None:
        relaxed = ((ref.lo, max(today, ref.lo)),)
        w2, u2, s2 = _narrow(relaxed, cons)
        if len(s2) < len(skipped):
            start, windows, used, skipped = relaxed, w2, u2, s2
            base_why = f"sau {ref.lo.isoformat()} (theo các ngày trong bài, không giới hạn trong một năm)"
    notes = [f"'{c.text}' ({c.label}) mâu thuẫn, bỏ qua" for c in skipped]
    if windows == start:  # nothing narrowed: the text's own dates already say as much
        return replace(ref, why="; ".join(x for x in (ref.why, *notes) if x))
    # Name only the evidence that matters: a constraint the others already imply is left out of the why.
    needed = [
        c
        for c in used
        if functools.reduce(_intersect, (u.periods for u in used if u is not c), start) != windows
    ]
    why = "; ".join(x for x in (base_why, *(f"'{c.text}' ({c.label})" for c in needed), *notes) if x)
    years = tuple(sorted({y for a, b in windows for y in range(a.year, b.year + 1)}))
    return Reference(windows[0][0], windows[-1][1], years, why, windows)


def _in_windows(x: date, windows: Sequence[tuple[date, date]]) -> bool:
    return any(a <= x <= b for a, b in windows)


def _short(s: str, n: int = 60) -> str:
    s = s.strip()
    return s if len(s) <= n else s[: n - 1].rstrip() + "…"


# --------------------------------------------------------------------------------------------------
# Public API: expressions


def extract_dates(text: str, reference: str | None = None) -> list[TemporalExpression]:
    """Temporal expressions in ``text``, resolved against ``reference`` (ISO date) when relative.

    Without a reference, year-less and relative expressions are resolved against what the text itself
    shows about its own date (``infer_reference``); with none, they get ``value=None`` and no range.
    """
    text = normalize(text)
    ref = parse_reference(reference) if reference else infer_reference(text)
    return [_expression(text, d.men, d.res) for d in _dated_mentions(text, ref)]


@dataclass(slots=True)
class _Dated:
    men: _Mention
    res: _Resolved
    sentence: str
    index: int
    send: int = 0  # where the sentence ends in the text
    until: bool = False  # the end of a period or a deadline ("kéo dài đến hết ngày 31/10"), see _UNTIL


_YEARLESS = ("daymonth", "dayrange", "month", "relyear", "relmonthyear")

# The words before a date that make it the end of a period or a deadline, not the day of the happening:
# "Trưng bày kéo dài đến hết ngày 31/10/2022", "được sử dụng đến hết ngày", "gửi ý kiến trước ngày
# 5/7/2022", "chậm nhất là ngày". Read as the event's date it put an exhibition opened in July on
# 31 October (abmusu-train). Not: "tính đến hết ngày 5/7" or a sentence-initial "Đến hết ngày 8/5, X đã"
# (a count as of a day, reported after it), "kéo dài từ đầu tháng 4 đến giữa tháng 5" (a past span),
# a bare "trước ngày 22/12" (what happened before a day, background).
_UNTIL = re.compile(
    r"(?:\b(?:kéo dài|diễn ra|mở cửa|áp dụng|hiệu lực|gia hạn|sử dụng|lưu hành|thực hiện|triển khai|"
    r"tiếp nhận|gửi|nộp|hoàn thành|hoàn tất|đăng ký)\b(?:(?!\b(?:từ|tính)\b)[^.;:]){0,30}?"
    r"\b(?:(?:đến|tới)(?:\s+(?:hết|trước))?|trước)"
    r"|\b(?:chậm nhất|muộn nhất|hạn chót|thời hạn)(?:\s+(?:là|vào|đến|trước))*)"
    r"\s*(?:ngày|hôm)?\s*$",
    re.I,
)


def _dated_mentions(text: str, ref: Reference) -> list[_Dated]:
    """Every mention of ``text`` (offsets into it), resolved in its sentence's context."""
    sentences = list(_sentence_spans(text))
    scanned: list[list[_Mention]] = []
    for off, s in sentences:
        mens = _scan(s)
        for men in mens:
            men.start += off
            men.end += off
        scanned.append(mens)

    ymax = max(
        (y for (_, s), mens in zip(sentences, scanned, strict=True) for y in _current_years(s, mens)),
        default=None,
    )
    out: list[_Dated] = []
    for idx, ((off, s), mens) in enumerate(zip(sentences, scanned, strict=True)):
        own = _current_years(s, mens)
        sref = ref
        # Anaphoric year: "từ đầu tháng 4/2022, tính đến ngày 5/5" — a year-less date in a sentence whose
        # stated year is the text's latest is in that year (used only without a publication date).
        if ref.exact is None and own and max(own) == ymax:
            y = max(own)
            sref = Reference(date(y, 1, 1), date(y, 12, 31), (y,), f"năm {y} nêu trong cùng câu")
        stated = [m.year for m in mens if m.kind == "year" and m.year and not m.future]
        for men in mens:
            r = sref if men.kind in _YEARLESS else ref
            if men.kind == "relyear" and stated and re.search(r"cùng kỳ\s*$", s[: men.start - off], re.I):
                # "6 tháng đầu năm 2022 ... so với cùng kỳ năm ngoái": last year of the period just named.
                y = max(stated)
                r = Reference(date(y, 1, 1), date(y, 12, 31), (y,), f"giai đoạn năm {y} nêu trong câu")
            until = bool(_UNTIL.search(text[max(0, men.start - 60) : men.start]))
            out.append(_Dated(men, _resolve_in_context(text, men, r, out), s, idx, off + len(s), until))
    return out


def _resolve_in_context(text: str, men: _Mention, ref: Reference, before: Sequence[_Dated]) -> _Resolved:
    """Relative words inside a quotation are relative to the day the quote was said, not to publication:
    the latest earlier date followed by a reporting verb ("Ngày 11/2, ông Peskov cho hay ...")."""
    if men.kind in ("relday", "week", "weekday") and _in_quote(text, men.start):
        for d in reversed(before):
            nxt = min((x.men.start for x in before if x.men.start > d.men.end), default=len(text))
            said = _REPORTING.search(text[d.men.end : min(nxt, men.start, d.send)])
            if said and d.res.lo is not None and d.res.lo == d.res.hi and d.men.kind in ("full", "daymonth"):
                anchor = d.res.lo
                return _resolve(
                    men,
                    Reference(anchor, anchor, (anchor.year,), f"ngày phát biểu ({anchor.isoformat()})"),
                )
    return _resolve(men, ref)


def _commemorated(body: str, d: _Dated) -> bool:
    """A date in brackets of an anniversary sentence: "kỷ niệm 75 năm ngày Thương binh Liệt sỹ
    (27/7/1947 27/7/2022)" (a crawled page without the dash) names the day remembered, not the day of
    the happening reported (an exhibition opened for it); read as the event's date it put one report
    75 years before the others' (abmusu-train)."""
    start = d.men.start
    return _is_history(d.sentence) and body.rfind("(", 0, start) > body.rfind(")", 0, start)


def _in_quote(text: str, pos: int) -> bool:
    before = text[:pos]
    opens = before.count("“") - before.count("”")
    return opens > 0 or before.count('"') % 2 == 1


def _sentence_spans(body: str) -> Iterator[tuple[int, str]]:
    pos = 0
    for s in split_sentences(body):
        i = body.find(s, pos)
        if i < 0:
            i = pos
        yield i, s
        pos = i + len(s)


# Reporting verbs: "Ngày 11/2, ông X cho hay ... vào ngày 12/2": the first date is when it was said.
_REPORTING = re.compile(
    r"\b(cho biết|cho hay|thông báo|tuyên bố|đưa tin|xác nhận|công bố|loan báo|nói)\b", re.I
)


# --------------------------------------------------------------------------------------------------
# Event dates

# Lines that open a portal's link lists: what follows is not the article.
_BLOCK_HEAD = re.compile(
    r"^\s*(tin|bài|video)\s+(liên quan|cùng chuyên mục|cùng chủ đề|khác|mới|mới nhất|mới hơn|cũ hơn|"
    r"đọc nhiều|xem nhiều|nổi bật)\b|^\s*(xem tin theo ngày|xem thêm|đọc thêm|có thể bạn quan tâm)\b",
    re.I,
)
_RELATED_HEAD = re.compile(r"^\s*(tin|bài)\s+(liên quan|cùng chủ đề)\b", re.I)
_TIMESTAMP_LINE = re.compile(
    r"^\s*(?:\d{1,2}:\d{2}'?\s*[-|]\s*)?(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?:\s*[|-]\s*\d{1,2}:\d{2}.*)?\s*$"
)
_END_MARK = re.compile(r"\./\.\s*$|/\.\s*$")
_CAPTION_AFTER = re.compile(r"[^.\n]{0,20}?[-–(]\s*(Ảnh|Nguồn|Video)\s*:", re.I)
_BACKGROUND = re.compile(r"^\W*(trước đó|trước đây|hồi|cũng trong|tại cuộc|lần)", re.I)


def _split_body(article: Article) -> tuple[str, list[date]]:
    """The article's own body and the timestamps of its related-headline list.

    Robust to a clean stage that has not removed the boilerplate: the body stops at the Vietnamese
    end mark "./." or at the first link-list header.
    """
    lines = [ln for ln in article.text.split("\n") if ln.strip()]
    if article.lead and article.lead.strip() and (not lines or article.lead.strip() not in lines[0]):
        lines.insert(0, article.lead.strip())
    body: list[str] = []
    rest: list[str] = []
    for i, ln in enumerate(lines):
        if _BLOCK_HEAD.match(ln):
            rest = lines[i:]
            break
        body.append(ln)
        if _END_MARK.search(ln):
            rest = lines[i + 1 :]
            break
    related: list[date] = []
    in_related = False
    # Lines in document order: the rest of the page, then what cleaning removed (with its reason).
    for ln, reason in [(x, "") for x in rest] + [(r.text, r.reason) for r in article.removed]:
        if _BLOCK_HEAD.match(ln):
            in_related = bool(_RELATED_HEAD.match(ln))
            continue
        m = _TIMESTAMP_LINE.match(ln)
        tagged = re.search(r"related|liên quan", reason, re.I) is not None
        if (
            (in_related or tagged)
            and m
            and (x := _safe_date(int(m.group(3)), int(m.group(2)), int(m.group(1))))
        ):
            related.append(x)
    return normalize("\n".join(body)), related


def _published_reference(published: str | None) -> Reference | None:
    """The publication date as a reference: ISO as the model says, or a dd/mm/yyyy stamp as crawled."""
    if not published or not published.strip():
        return None
    try:
        return parse_reference(published)
    except ValueError:
        full = [m for m in _scan(normalize(published)) if m.kind == "full" and m.year]
        if not full:
            return None
        d = date(full[0].year or 1, full[0].month or 1, full[0].day or 1)
        return Reference(d, d, (d.year,), f"ngày đăng {d.isoformat()}")


def article_date(article: Article, today: date | None = None) -> TemporalExpression | None:
    """The date of the happening one article reports (its lead date, or the bounds its background dates
    give): ``date_event``'s per-article step.

    Memoised by the article's content (title, text, lead, publication date, removed lines) and ``today``:
    grouping dates every article and the event stage dates them again. The result is a fresh copy.
    """
    today = today or date.today()
    h = hashlib.blake2b(digest_size=16)
    for part in (article.title, article.text, article.lead or "", article.published or "", today.isoformat()):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    for r in article.removed:
        h.update(f"{r.text}\x01{r.reason}\x00".encode("utf-8", "surrogatepass"))
    key = h.digest()
    with _ARTICLE_DATES_LOCK:  # Dask workers may run several threads
        hit = key in _ARTICLE_DATES
        if hit:
            _ARTICLE_DATES.move_to_end(key)
            t = _ARTICLE_DATES[key]
    if not hit:
        t = _article_event(article, today)
        with _ARTICLE_DATES_LOCK:
            _ARTICLE_DATES[key] = t
            if len(_ARTICLE_DATES) > _ARTICLE_DATES_MAX:
                _ARTICLE_DATES.popitem(last=False)
    return replace(t) if t is not None else None


# Least recently used first. 16-byte keys and small results: 200k entries stay under ~100 MB, and a
# whole 100k-article run fits, so grouping's pass and the event stage's pass share every result.
_ARTICLE_DATES: OrderedDict[bytes, TemporalExpression | None] = OrderedDict()
_ARTICLE_DATES_MAX = 200_000
_ARTICLE_DATES_LOCK = threading.Lock()


def _article_event(article: Article, today: date | None = None) -> TemporalExpression | None:
    body, related = _split_body(article)
    pub = _published_reference(article.published)
    title = normalize(article.title or "")
    # Both are normalised: the knowledge step reads their sentences (title's first, as "title\nbody").
    sentences = split_sentences(title) + split_sentences(body)
    if pub is not None:
        ref = _apply_knowledge(pub, "", today, sentences=sentences)
    else:
        ref = _infer_reference_split(body, related, title, today or date.today(), sentences)
    if not ref.windows or ref.exact is not None or len(ref.years) < 2:
        return _event_in(body, ref)
    return _event_over_years(body, ref)


def _event_over_years(body: str, ref: Reference) -> TemporalExpression | None:
    """The event read in each candidate year of the knowledge periods, then the union of the readings.

    Reading year by year keeps related cues together ("after 3/4, before July" holds within one year);
    a year whose reading falls outside the periods (13/4 after a term ended on 20/1) is dropped.
    """
    found: list[tuple[int, TemporalExpression]] = []
    for y in ref.years:
        sub = _intersect(ref.windows, ((date(y, 1, 1), date(y, 12, 31)),))
        if not sub:
            continue
        t = _event_in(body, Reference(sub[0][0], sub[-1][1], (y,), ref.why, sub))
        if t is None or t.earliest is None or t.latest is None:
            continue
        lo, hi = date.fromisoformat(t.earliest), date.fromisoformat(t.latest)
        clipped = _intersect(sub, ((lo, hi),))
        if clipped:
            found.append(
                (y, replace(t, earliest=clipped[0][0].isoformat(), latest=clipped[-1][1].isoformat()))
            )
    if not found:
        return _event_in(body, replace(ref, windows=()))
    if len(found) == 1:
        t = found[0][1]
        return replace(
            t, value=_value_for(date.fromisoformat(t.earliest or ""), date.fromisoformat(t.latest or ""))
        )
    first, last = found[0][1], found[-1][1]
    lo, hi = date.fromisoformat(first.earliest or ""), date.fromisoformat(last.latest or "")
    years = ", ".join(str(y) for y, _ in found)
    evidence = (
        f"{first.text}; năm không nêu — {ref.why}; có thể vào năm {years} "
        f"(sớm nhất {lo.isoformat()}, muộn nhất {hi.isoformat()}); "
        + first.evidence.replace(f" [{ref.why}]", "").replace(ref.why, "các giai đoạn trên")
    )
    return replace(
        first, value=_value_for(lo, hi), earliest=lo.isoformat(), latest=hi.isoformat(), evidence=evidence
    )


def _event_in(body: str, ref: Reference) -> TemporalExpression | None:
    """The event date of one article body read against ``ref``."""
    dated = _dated_mentions(body, ref)
    day_kinds = ("full", "daymonth", "dayrange", "relday", "weekday")
    # The lead: the first two sentences that read like prose (a short caption line is skipped), less
    # background sentences ("Trước đó, ...") and photo captions inlined in the text ("... hôm 6-10 - Ảnh:").
    lead_idx = [i for i, s in enumerate(split_sentences(body)) if len(s.split()) >= 8][:2]
    lead = [
        d
        for d in dated
        if d.index in lead_idx
        and d.men.kind in day_kinds
        and not _BACKGROUND.match(d.sentence)
        and not _CAPTION_AFTER.match(body, d.men.end)
        and not _commemorated(body, d)
        and not d.until
    ]
    refnote = f" [{ref.why}]" if ref.why else ""
    if lead:
        pick = lead[0]
        same = [d for d in lead if d.index == pick.index and d is not pick]
        for later in same:
            between = body[pick.men.end : later.men.start]
            before = body[max(0, later.men.start - 12) : later.men.start].lower()
            vao = re.search(r"\bvào\s*(ngày|hôm|sáng|tối)?\s*$", before)
            if _REPORTING.search(between) and vao:
                pick = later  # "Ngày 11/2, X cho hay ... vào ngày 12/2": the happening is the later date
                break
        res = pick.res
        # Background dates ("Trước đó, ngày 7/12/2021") happened before the event: drop years that
        # would put the event before them.
        if res.lo and res.hi and res.lo != res.hi and pick.men.kind in ("daymonth", "dayrange"):
            floor = [
                d.res.lo
                for d in dated
                if d.res.lo and d.men.kind == "full" and _BEFORE_MARK.search(d.sentence)
            ]
            if floor:
                f = max(floor)
                years = [
                    y
                    for y in range(res.lo.year, res.hi.year + 1)
                    if (x := _safe_date(y, pick.men.month or 1, pick.men.day or 1)) and x >= f
                ]
                if years and len(years) < res.hi.year - res.lo.year + 1:
                    a = _safe_date(years[0], pick.men.month or 1, pick.men.day or 1)
                    b = _safe_date(years[-1], pick.men.month or 1, pick.men.day2 or pick.men.day or 1)
                    res = _Resolved(a, b, res.why + f"; sau {f.strftime('%d/%m/%Y')} ('Trước đó')")
        why = f"'{pick.men.text.strip()}' ở phần mở đầu ('{_short(pick.sentence)}'); {res.why}"
        ev = _expression(body, pick.men, res)
        ev.evidence = why + (refnote if res.lo is not None and ref.why and ref.why not in res.why else "")
        return ev
    # No date in the lead: the article reports something new, so it happened after the past dates it
    # mentions as background and no later than its own date or the first date it looks ahead to.
    return _bounds_from_background(dated, ref, day_kinds)


def _ahead_bound(d: _Dated) -> date | None:
    """The latest the text can be, given a date it looks ahead to: the day before it, or the end of a
    named month or year ("GDP năm 2022 dự kiến tăng 6%", "Fed sẽ tăng lãi suất vào tháng 7"): a forecast
    for a year or a month is made before it ends, often within it (mid-2022 reports read as written by
    2021). A period marked as the next one ("tháng 9 tới", "năm sau") is still wholly ahead."""
    if d.res.lo is None:
        return None
    named = d.men.kind in ("year", "month", "monthyear") and not re.search(r"\b(tới|sau)\b", d.men.text, re.I)
    if named and not d.until and d.res.hi is not None:
        return d.res.hi
    return d.res.lo - timedelta(days=1)


def _bounds_from_background(
    dated: Sequence[_Dated], ref: Reference, day_kinds: tuple[str, ...]
) -> TemporalExpression | None:
    """An event not dated in its lead: after the latest earlier date, before the first date ahead."""
    rlo, rhi = ref.lo, ref.hi
    past_txt = [d for d in dated if d.men.kind in day_kinds and not d.men.future and not d.until]
    ahead_txt = [d for d in dated if d.men.future or d.until]  # a period's end is ahead of its start
    # Resolved mentions count only on the right side of the text's own date.
    past = [d for d in past_txt if d.res.lo and d.res.hi and (rhi is None or d.res.hi <= rhi)]
    ahead = [d for d in ahead_txt if d.res.lo and (rlo is None or d.res.lo > rlo)]
    last_past = max(past, key=lambda d: d.res.hi or date.min) if past else None
    first_ahead = min(ahead, key=lambda d: d.res.lo or date.max) if ahead else None
    if ref.lo is None:  # nothing resolves: name what the text says, in text order
        last_past = last_past or (past_txt[-1] if past_txt else None)
        first_ahead = first_ahead or (ahead_txt[0] if ahead_txt else None)
    lo = last_past.res.lo if last_past else None
    hi_opts = [x for x in (_ahead_bound(first_ahead) if first_ahead else None, rhi) if x]
    hi = min(hi_opts) if hi_opts else None
    if lo and hi and lo > hi:  # contradictory cues: keep only what the text's own date says
        first_ahead, hi = None, rhi
        if hi and lo > hi:
            last_past, lo = None, None
    anchor = last_past or first_ahead
    parts = ["phần mở đầu không nêu ngày"]
    if last_past:
        parts.append(f"sau '{last_past.men.text.strip()}' (được nhắc như việc đã qua)")
    if first_ahead:
        what = "hạn hoặc ngày kết thúc nêu trong bài" if first_ahead.until else "được nhắc như việc sắp tới"
        parts.append(f"trước '{first_ahead.men.text.strip()}' ({what})")
    if lo is None and hi is None:
        if anchor is None:
            return None
        parts.append("năm không rõ: bài không nêu năm và không suy ra được")
    elif ref.why:
        parts.append(f"không muộn hơn thời điểm viết bài [{ref.why}]")
    return TemporalExpression(
        text=anchor.men.text.strip() if anchor else "",
        value=_value_for(lo, hi),
        earliest=_iso(lo),
        latest=_iso(hi),
        start=anchor.men.start if anchor else 0,
        end=anchor.men.end if anchor else 0,
        evidence="; ".join(parts),
    )


def _width(t: TemporalExpression) -> float:
    if t.earliest is None or t.latest is None:
        return float("inf")
    return (date.fromisoformat(t.latest) - date.fromisoformat(t.earliest)).days


def date_event(articles: Sequence[Article]) -> TemporalExpression | None:
    """When the event happened: a value and/or range with the evidence text, or None.

    Each article's lead date (or, without one, the bounds its background dates give) is computed; the
    most precise one wins, then the one most articles agree on, then the earlier-listed article, so
    that the result does not depend on chance.
    """
    return event_date_from([article_date(art) for art in articles])


def event_date_from(dates: Sequence[TemporalExpression | None]) -> TemporalExpression | None:
    """``date_event`` from its articles' ``article_date`` results (in article order), when a pipeline
    has dated the articles already, e.g. on its executor."""
    found = [(i, t) for i, t in enumerate(dates) if t is not None]
    if not found:
        return None
    votes: dict[tuple[str | None, str | None, str | None], int] = {}
    for _, t in found:
        votes[(t.value, t.earliest, t.latest)] = votes.get((t.value, t.earliest, t.latest), 0) + 1
    _, _, _, best = min((_width(t), -votes[(t.value, t.earliest, t.latest)], i, t) for i, t in found)
    return best
