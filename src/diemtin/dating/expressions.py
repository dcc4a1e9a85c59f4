"""Finding date mentions in Vietnamese text: the vocabulary, one rule per form, and the scan.

A mention (``_Mention``) is what the text says ("ngày 30/3", "tuần trước", "năm 2021"), before it is
resolved against a reference date (resolve.py).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from .reference import _safe_date

# --------------------------------------------------------------------------------------------------
# Vocabulary (NFC, matched case-insensitively)

_D = r"(0?[1-9]|[12]\d|3[01])"
_M = r"(0?[1-9]|1[0-2])"
_Y = r"((?:1[89]|20)\d{2})"
# Words that introduce a day: "ngày 30/3", "hôm 28/1", "tối 12/2", "rạng sáng 5/6", "từ 1/3", "(22/10)".
_DAY_MARK = (
    r"(?:(?:rạng sáng|sáng|trưa|chiều|tối|đêm|hôm|ngày hôm)\s+(?:nay|qua|mai)|ngày|hôm|sáng|trưa|chiều|tối|"
    r"đêm|khuya|rạng sáng|sáng sớm|từ|đến|tới|vào|hồi|trước|sau|"
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
# "Kế hoạch" that is no cue that the clause looks ahead: a target reached ("đạt 27,86% kế hoạch", "hoàn
# thành kế hoạch chỉ tiêu của năm 2022") or a body's name ("Bộ Kế hoạch và Đầu tư": "Theo báo cáo của Bộ
# Kế hoạch và Đầu tư ..., ước thanh toán đến ngày 30/6/2022" bounded a July report by 29/6/2022), or a
# plan acted on or issued ("Thực hiện kế hoạch phá án, ngày 13/5, ... bắt quả tang", "ngày 11-7-2022, Bộ
# ban hành kế hoạch": the day is when it was done, not one looked ahead to; session 10, abmusu-train).
_TARGET = re.compile(
    r"(?:%|\b(?:đạt|hoàn thành|vượt))\s*(?:[^.;,%]{0,20}?\s)?kế hoạch\b|\b(?:Bộ|Sở|Vụ|Phòng)\s+Kế hoạch\b"
    r"|\b(?:thực hiện|ban hành|phê duyệt)\s+(?:các\s+|một\s+)?kế hoạch\b",
    re.I,
)
# A date compared against ("cao hơn mức 2,58% của năm 2021", "so với cùng kỳ năm 2021") is a past
# reference even in a sentence that forecasts: "GDP năm 2022 dự kiến đạt 6,5%, cao hơn ... năm 2021", "dự
# kiến đạt trên 60.000 tấn, tăng 5.000 tấn so năm 2021" ("so" without "với", session 10).
_COMPARED = re.compile(r"(?:\bso(?: với)?|\b(?:cao|thấp|nhiều|ít|lớn|nhỏ|tăng|giảm) hơn)\b[^.;]{0,25}$", re.I)
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
    if re.search(r"\btháng\s*$", m.string[: m.start()], re.I):
        return None  # months, not days: "chủ yếu vào tháng 3-5 và 9-12" (March-May, September-December)
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


# A verb of amount right before "đến"/"tới": what follows is how much, not until when. A bare "1/4" there
# is a share ("chiếm đến 1/4 chi phí", "có tới 1/3 số hộ", "giảm tới 1/2"), read as 1 April until session
# 10 (abmusu-train). A share is a fraction below one, so only day < month is read so, and only without
# "ngày": "giảm từ ngày 1/7", "từ 1/7", "kéo dài đến 1/4", "tính đến 1/4", "giảm giá đến 1/7" stay days
# (the word before "đến" is no verb of amount there). A bare fraction after "khoảng", "gần", "hơn", "còn",
# "bằng" was never a day: a bare "d/m" needs day > month.
_AMOUNT_BEFORE = re.compile(
    r"\b(?:chiếm|giảm|tăng|lên|xuống|đạt|có|mất|tốn)\s+$",
    re.I,
)


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
    # A share after a verb of amount: "chiếm đến 1/4 chi phí", "lên tới 1/3 dân số", "giảm tới 1/2".
    if (
        mark
        and mark.lower() in ("đến", "tới")
        and d < mo
        and "ngày" not in m.group(0).lower()
        and _AMOUNT_BEFORE.search(m.string, max(0, m.start() - 12), m.start())
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
            bool(_FUTURE.search(_TARGET.sub(" ", ctx)))
            and not _COMPARED.search(text, max(0, men.start - 30), men.start)
        )
        men.past = men.past or bool(_PAST.search(ctx))
        # Trim a leading connective captured as a day marker ("vào ngày 12/2" is reported as "ngày 12/2").
        lead = re.match(r"(?:vào|từ|đến|tới|trước|sau|hồi)\s+(?=\S)", men.text, re.I)
        if lead and men.kind in ("daymonth", "full", "dayrange", "weekday"):
            men.start += lead.end()
            men.text = men.text[lead.end() :]
    return tuple(taken)


# What ends a clause for tense cues: ";", "!", "?", a line break, and a full stop that is not a decimal
# point or a thousands separator between digits ("kéo dài 1.5 ngày", "tăng 1.920 đồng"): cut there, "Dự
# kiến, hội nghị kéo dài 1.5 ngày, khai mạc ngày 3/9" lost its "Dự kiến" (session 10).
_CLAUSE_END = re.compile(r"[;!?\n]|\.(?!(?<=\d\.)\d)")


def _clause(text: str, start: int, end: int) -> str:
    """The clause around a mention (up to semicolons and sentence ends, commas included), for tense cues."""
    lo = max((m.end() for m in _CLAUSE_END.finditer(text, 0, start)), default=0)
    m = _CLAUSE_END.search(text, end)
    hi = m.start() if m else len(text)
    return text[lo:start] + " " + text[end:hi]


def _fold(text: str) -> str:
    """Lower case for substring gates, with the few letters that ``re.I`` also equates with i and s."""
    low = text.lower()
    if "ı" in low or "ſ" in low or "ẛ" in low:
        low = low.replace("ı", "i").replace("ſ", "s").replace("ẛ", "ṡ")
    return low
