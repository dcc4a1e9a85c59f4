"""Resolving mentions to dates: one function per mention kind, and the mentions of a text resolved in
their sentence's context (an anaphoric year, a quote's own day, a deadline)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ..models import TemporalExpression
from ..text import normalize, split_sentences
from .expressions import _Mention, _scan
from .infer import _current_years, infer_reference
from .reference import (
    Reference,
    _add_months,
    _in_windows,
    _iso,
    _month_end,
    _safe_date,
    _value_for,
    parse_reference,
)

# --------------------------------------------------------------------------------------------------
# Resolution


@dataclass(slots=True)
class _Resolved:
    lo: date | None
    hi: date | None
    why: str
    basis: str = ""  # what a year-less date's year rests on, for the one-line evidence ("" : the reference's)


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


def _rwhy(ref: Reference) -> str:
    return ref.why or "ngày tham chiếu"


def _full(men: _Mention, ref: Reference) -> _Resolved:
    x = date(men.year or 1, men.month or 1, men.day or 1)
    return _Resolved(x, x, "ngày đầy đủ nêu trong bài")


def _span(men: _Mention, ref: Reference) -> _Resolved:
    a = date(men.year or 1, men.month or 1, men.day or 1)
    return _Resolved(a, date.fromisoformat(men.extra["end"]), "khoảng ngày, năm lấy theo ngày kết thúc")


def _day_month(men: _Mention, ref: Reference) -> _Resolved:
    """A day ("ngày 30/3", "22-23/04"): in its stated year, else nearest an exact reference, else on that
    day of each candidate year (narrowed by known periods and a stated weekday)."""
    rwhy = _rwhy(ref)
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
    crawl = _near_crawl(d1, mo, men, ref)
    if crawl is not None:
        near, moved, since = crawl
        if not moved:
            why = f"năm suy ra từ {rwhy} (lần gần nhất trước đó)"
            return _Resolved(near, _safe_date(near.year, mo, d2), why)
        # The text rules out the crawl's year (its dates, a term of office, a weekday): the page is not
        # of the crawl's year, and the year rests on the text, not on the crawl date. One year the text
        # allows is the day's; several (``since``: "13/4" next to "Tổng thống Mỹ Joe Biden" crawled in
        # 2026) leave the year open over them, as without a crawl date: taking the latest was a guess
        # ("năm 2024 theo căn cứ trong bài" for the seeds, session 10).
        if since is not None:
            why = f"năm không nêu; {rwhy}; bài cho phép từ năm {since} đến năm {near.year}"
            return _Resolved(_safe_date(since, mo, d1), _safe_date(near.year, mo, d2), why, moved)
        why = f"năm suy ra từ {rwhy} (lần gần nhất trước ngày thu thập mà bài cho phép)"
        return _Resolved(near, _safe_date(near.year, mo, d2), why, moved)
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
    # With a crawl date the years here are the text's own (the crawl's reading did not fit them).
    return _Resolved(span[0], span[1], why, "căn cứ trong bài" if ref.by is not None else ref.basis)


# How far back a year-less day is looked for before a crawl date when the text rules out the nearest
# occurrence and names no earliest year: a weekday repeats on a date within 6 years (11 at most).
_CRAWL_YEARS_BACK = 11


def _near_crawl(d: int, mo: int, men: _Mention, ref: Reference) -> tuple[date, str, int | None] | None:
    """A year-less day read against a crawl date (``ref.by``): its occurrence nearest the crawl, a past
    one preferred (``_nearest``), if that falls in the years and periods the text's own evidence allows
    and on the weekday it names; else the latest earlier occurrence that does. A crawl holds pages of
    the days before it: the page's "27/8" is the 27/8 before the crawl, not one a year earlier, unless
    the text ties it to another year. Returns the day; when the text moved it off the crawl's reading,
    what did ("căn cứ trong bài", "thứ nêu trong bài"; "" when it did not); and, when it was moved, the
    earliest earlier year the text allows as well (None when the text leaves only this one): "13/4" next
    to "Tổng thống Mỹ Joe Biden" in a crawl of 2026 is 13/4/2024, the latest of 2021-2024, a guess."""
    if ref.by is None:
        return None
    x = _nearest(d, mo, ref.by, men.future, men.past)
    if (
        x is not None
        and x > ref.by
        and men.future
        and (ref.lo is None or x >= ref.lo)
        and (ref.hi is None or ref.hi >= ref.by)
    ):
        # Looked ahead to ("tháng 9 tới" in a crawl of 31/7/2022): after the text, so after the periods
        # its own date lies in; walking back into them put it in September 2021. Only when the text may
        # be as late as the crawl: a page whose own dates end years before it (an archive crawled
        # today) looks ahead from its own year ("dự định điện đàm vào ngày 12/2" of 2022, not 2027).
        return x, "", None
    start = x.year if x is not None else ref.by.year
    floor = ref.lo.year if ref.lo is not None else min(ref.years, default=start - _CRAWL_YEARS_BACK)
    moved = ""
    found: date | None = None
    earliest: int | None = None
    for y in range(start, max(floor, start - _CRAWL_YEARS_BACK) - 1, -1):
        xy = _safe_date(y, mo, d)
        if xy is None:
            continue
        fits = not (ref.years and y not in ref.years) and not (ref.lo is not None and xy < ref.lo)
        if fits and ref.windows and not _in_windows(xy, ref.windows):
            fits = False
        if not fits:
            moved = moved or "căn cứ trong bài"
            continue
        if men.weekday is not None and xy.weekday() != men.weekday:  # "thứ Hai (13/4)"
            moved = moved or "thứ nêu trong bài"
            continue
        if found is None:
            found = xy
            if not moved:
                return xy, "", None
        else:
            earliest = y
    if found is None:
        return None
    # An earlier year the text allows too, when the text bounds its years from below (else every year
    # back to _CRAWL_YEARS_BACK would "fit", which says nothing).
    bounded = ref.lo is not None or bool(ref.years)
    return found, moved, earliest if bounded and earliest is not None else None


def _month(men: _Mention, ref: Reference) -> _Resolved:
    """A month ("tháng 6/2021", "đầu tháng 6", "tháng 7 tới"): in its stated year, else the nearest one."""
    rwhy = _rwhy(ref)
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
    crawl = _near_crawl(min(15, _month_end(2001, mo).day), mo, men, ref)
    if crawl is not None:
        a, b = mspan(crawl[0].year)
        return _Resolved(a, b, f"năm suy ra từ {rwhy} (lần gần nhất trước đó)")
    span = _span_years(ref.years, mspan)
    if span is None:
        return _Resolved(None, None, "năm không rõ: bài không nêu năm và không suy ra được")
    return _Resolved(span[0], span[1], f"năm suy ra từ {rwhy}")


def _rel_month_year(men: _Mention, ref: Reference) -> _Resolved:
    """A month of a year named relatively ("tháng 11 năm ngoái")."""
    mo, p = men.month or 1, men.part or (1, 31)

    def rmy(y: int) -> tuple[date, date]:
        end = _month_end(y + men.offset, mo)
        return date(end.year, mo, min(p[0], end.day)), date(end.year, mo, min(p[1], end.day))

    return _rel(_span_years(ref.years, rmy), f"tính theo {_rwhy(ref)}")


def _year(men: _Mention, ref: Reference) -> _Resolved:
    y = men.year or 1
    p = men.part or (1, 12)
    return _Resolved(date(y, p[0], 1), _month_end(y, p[1]), "năm nêu trong bài")


def _rel_year(men: _Mention, ref: Reference) -> _Resolved:
    """A relative year ("năm ngoái", "cuối năm nay"): the reference's years, shifted."""
    p = men.part or (1, 12)
    span = _span_years(ref.years, lambda y: (date(y + men.offset, p[0], 1), _month_end(y + men.offset, p[1])))
    return _rel(span, f"tính theo {_rwhy(ref)}")


def _rel_month(men: _Mention, ref: Reference) -> _Resolved:
    """A relative month ("tháng trước", "đầu tháng"): the reference's month, shifted."""
    p = men.part or (1, 31)

    def rm(d: date) -> tuple[date, date]:
        y, mo = _add_months(d, men.offset)
        end = _month_end(y, mo)
        return date(y, mo, min(p[0], end.day)), date(y, mo, min(p[1], end.day))

    return _rel(_shift_span(ref, rm), f"tính theo {_rwhy(ref)}")


def _rel_day(men: _Mention, ref: Reference) -> _Resolved:
    """A relative day ("hôm qua", "sáng nay"): the reference's day, shifted."""
    return _rel(_shift_span(ref, lambda d: (d + timedelta(men.offset),) * 2), f"tính theo {_rwhy(ref)}")


def _ago(men: _Mention, ref: Reference) -> _Resolved:
    """A count back ("3 ngày trước", "cách đây 2 tuần"): so many units before the reference."""
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

    return _rel(_shift_span(ref, ago), f"tính theo {_rwhy(ref)}")


def _week(men: _Mention, ref: Reference) -> _Resolved:
    """A week ("tuần trước", "cuối tuần qua", bare "cuối tuần")."""
    off, part = men.offset, men.part or (0, 6)
    ex = ref.exact
    if men.extra.get("bare") and part == (5, 6) and ex is not None and ex.weekday() < 5:
        # Bare "cuối tuần" read on a weekday: the weekend just past if the clause is past, else ahead.
        off = -1 if men.past and not men.future else 0

    def wk(d: date) -> tuple[date, date]:
        # "tuần qua" (the week gone by) written on a weekend is the week now ending.
        o = 0 if men.extra.get("qua") and d.weekday() >= 5 else off
        return _week_span(d, o, part)

    return _rel(_shift_span(ref, wk), f"tính theo {_rwhy(ref)}")


def _weekday(men: _Mention, ref: Reference) -> _Resolved:
    """A weekday ("thứ Hai", "thứ Năm tuần trước", "Chủ nhật tới"): the one nearest the reference."""
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

    return _rel(_shift_span(ref, wday), f"tính theo {_rwhy(ref)}")


# One resolver per mention kind (expressions.py's rules make the kinds).
_RESOLVERS: dict[str, Callable[[_Mention, Reference], _Resolved]] = {
    "full": _full,
    "span": _span,
    "daymonth": _day_month,
    "dayrange": _day_month,
    "month": _month,
    "monthyear": _month,
    "relmonthyear": _rel_month_year,
    "year": _year,
    "relyear": _rel_year,
    "relmonth": _rel_month,
    "relday": _rel_day,
    "ago": _ago,
    "week": _week,
    "weekday": _weekday,
}


def _resolve(men: _Mention, ref: Reference) -> _Resolved:
    """Turn a mention into a date range using the reference; explain how."""
    fn = _RESOLVERS.get(men.kind)
    return fn(men, ref) if fn else _Resolved(None, None, "không nhận dạng được")


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
        # With a crawl date, a full date of another day ("dưới mức giá ngày 24/3/2020") does not give its
        # year to the sentence's year-less days: the crawl reads them (a 2022 page was dated 17/6/2020).
        own = _current_years(s, [m for m in mens if ref.by is None or m.kind != "full"])
        sref = ref
        # Anaphoric year: "từ đầu tháng 4/2022, tính đến ngày 5/5" — a year-less date in a sentence whose
        # stated year is the text's latest is in that year (used only without a publication date).
        if ref.exact is None and own and max(own) == ymax:
            y = max(own)
            why = f"năm {y} nêu trong cùng câu"
            sref = Reference(date(y, 1, 1), date(y, 12, 31), (y,), why, basis="năm nêu trong cùng câu")
        stated = [m.year for m in mens if m.kind == "year" and m.year and not m.future]
        # The month named with its year in the same sentence: "từ đầu tháng 11/2013 ... Hà Giang (ngày
        # 2/11), Lai Châu (ngày 9/11)" — its days are of that month, whatever the reference says (read
        # against a 1/11/2013 publication with the past bias, 9/11 became 9/11/2012).
        month_years = {(m.month, m.year) for m in mens if m.kind == "monthyear" and m.month and m.year}
        for men in mens:
            r = sref if men.kind in _YEARLESS else ref
            my = [y for mo, y in month_years if mo == men.month]
            if men.kind in ("daymonth", "dayrange") and len(my) == 1:
                y = my[0]
                r = Reference(
                    date(y, 1, 1),
                    date(y, 12, 31),
                    (y,),
                    f"tháng {men.month}/{y} nêu trong cùng câu",
                    basis="tháng nêu trong cùng câu",
                )
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
