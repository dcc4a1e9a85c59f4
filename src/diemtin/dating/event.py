"""Event dates: the date of the happening one article reports (its lead's date, or the bounds its
background dates give), and the date of an event from its articles' dates."""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

from ..models import Article, TemporalExpression
from ..text import normalize, split_sentences
from .expressions import _FUTURE, _PAST, _scan
from .infer import _infer_reference_split, _is_history
from .knowledge import _apply_knowledge, _intersect
from .reference import Reference, _iso, _safe_date, _short, _value_for, parse_reference, vn_date
from .resolve import _REPORTING, _Dated, _dated_mentions, _expression, _in_quote, _Resolved

_BEFORE_MARK = re.compile(r"\btrước đó\b", re.I)


def _commemorated(body: str, d: _Dated) -> bool:
    """A date in brackets of an anniversary sentence: "kỷ niệm 75 năm ngày Thương binh Liệt sỹ
    (27/7/1947 27/7/2022)" (a crawled page without the dash) names the day remembered, not the day of
    the happening reported (an exhibition opened for it); read as the event's date it put one report
    75 years before the others' (abmusu-train)."""
    start = d.men.start
    return _is_history(d.sentence) and body.rfind("(", 0, start) > body.rfind(")", 0, start)


# The words before a date that make it an origin — when someone was born or something began: "sinh ngày
# 9-7-1912", "thành lập năm 1930", "ra đời ngày". A report of the news is not dated by them, and they do
# not bound it either: a 2022 anniversary piece read "sau 9/7/1912" spread its story over 110 years.
_ORIGIN_BEFORE = re.compile(
    r"\b(?:sinh|thành lập|ra đời|sáng lập|khai sinh|mất|qua đời|hy sinh)"
    r"\s*(?:vào\s*)?(?:ngày|năm|tháng)?\s*$",
    re.I,
)


def _recent_year(dated: Sequence[_Dated], ref: Reference) -> int | None:
    """The latest year the text speaks from: its reference's earliest year, its explicit past years
    outside sentences about the past at large, and span ends ("(9-7-1912 - 9-7-2022)")."""
    years = [ref.lo.year] if ref.lo is not None else []
    for d in dated:
        if d.men.future or d.until:
            continue
        if d.men.kind == "span" and "end" in d.men.extra:
            years.append(int(str(d.men.extra["end"])[:4]))
        elif d.men.year and not _is_history(d.sentence):
            years.append(d.men.year)
    return max(years, default=None)


def _background(body: str, d: _Dated, recent: int | None) -> bool:
    """A past date the text recalls, not the news's: an origin ("sinh ngày 9-7-1912"), or a dated year
    in a sentence about the past at large ("kỷ niệm", "thành lập", "lịch sử") more than a year before
    the latest year the text speaks from. It neither dates the event nor bounds it from below."""
    if not d.men.year or d.men.kind == "span" or d.men.future:
        return False
    if _ORIGIN_BEFORE.search(body[max(0, d.men.start - 25) : d.men.start]):
        return True
    return _is_history(d.sentence) and recent is not None and d.men.year < recent - 1


def _after_text(d: _Dated, ref: Reference) -> bool:
    """A date after the day the text was written (its publication date, or the crawl it was in by): a
    plan or a deadline ("từ ngày 8/1/2014, Yahoo Mail sẽ ...", "trình lên UBND TP trước ngày 25/10"),
    not the day of the news, which has happened by then."""
    at = ref.exact or ref.by
    return at is not None and d.res.lo is not None and d.res.lo > at


# Words before a year that make it a plan's horizon or start, not a year a report is made in: "đến năm
# 2030", "tầm nhìn 2045", "giai đoạn 2026-2030", "Từ năm 2031 trở đi sẽ ...". Looked ahead to, such a
# year bounds the text only trivially (a 2022 plan for 2030 is written before 2031) and stretched a
# story's span to 2031. Not "dự kiến"/"dự báo": "GDP năm 2022 dự kiến tăng 6%" is a forecast for the
# year the report is written in (session 6).
_HORIZON_BEFORE = re.compile(
    r"\b(?:từ|đến|tới|trước|tầm nhìn|mục tiêu|kế hoạch|chiến lược|phấn đấu|giai đoạn|định hướng)\b"
    r"[^.;,]{0,12}$",
    re.I,
)


def _far_past(d: _Dated, ref: Reference, recent: int | None) -> bool:
    """A day written with its year more than a year before the text's known date: recalled background,
    not the day of the news ("từ ngày 1/1/2017" in a page of 2022, "vụ tai nạn ngày 26/9/2014" in a
    report of 2016). A year-less day the text itself puts in an older year (a weekday, a month named
    with its year) says the page is old, and stays its day."""
    at = _known_date(ref, recent)
    return (
        bool(d.men.year) and at is not None and d.res.hi is not None and (at - d.res.hi).days > _FAR_PAST_DAYS
    )


def _known_date(ref: Reference, recent: int | None) -> date | None:
    """The date a text is known to be of, for telling recalled dates from the news: its publication
    date; or its crawl date, but no later than the end of the latest year the text speaks from. A crawl
    date says only that the page existed by then: an archive crawled in 2026 holds pages of 2016 whose
    "ngày 14/11/2016" is their news, not a recollection (the seeds given ``--as-of`` their crawl day lost
    it, and a 2016 call was merged into a 2020 one)."""
    if ref.exact is not None:
        return ref.exact
    if ref.by is None:
        return None
    if recent is not None and recent < ref.by.year:
        return min(ref.by, date(recent, 12, 31))
    return ref.by


def _horizon(body: str, d: _Dated) -> bool:
    return d.men.kind in ("year", "monthyear") and bool(
        _HORIZON_BEFORE.search(body[max(0, d.men.start - 30) : d.men.start])
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
# Sentences that open on what came before the news: "Trước đó, ...", "Hồi ...", "Lần ...", and a meeting
# named as an earlier one ("Tại cuộc điện đàm đầu tiên hôm 28/1" in a report of the third). A meeting
# not so named is where the news was said ("Tại cuộc tọa đàm ... tổ chức sáng ngày 1/7, PGS.TS ... cho
# biết"): every "Tại cuộc ..." lead was background until session 10, which left an abmusu event undated.
_BACKGROUND = re.compile(
    r"^\W*(trước đó|trước đây|hồi|cũng trong|lần"
    r"|tại cuộc\b[^,.;]{0,40}?\b(?:đầu tiên|trước|trước đó|gần nhất|gần đây nhất|lần trước)\b)",
    re.I,
)


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


def article_date(article: Article, as_of: date | None = None) -> TemporalExpression | None:
    """The date of the happening one article reports (its lead date, or the bounds its background dates
    give): ``date_event``'s per-article step.

    ``as_of`` is the batch's as-of date (the day it was crawled, ``Options.as_of``): the text existed by
    then, and it closes terms still running. Without it nothing reads the machine's calendar (running
    terms end on the day the knowledge table was checked).

    Memoised by the article's content (title, text, lead, publication date, date anchors, removed lines)
    and ``as_of``: grouping dates every article and the event stage dates them again. The result is a
    fresh copy.
    """
    h = hashlib.blake2b(digest_size=16)
    parts = (article.title, article.text, article.lead or "", article.published or "", str(as_of or ""))
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    for x in article.anchors:
        h.update(f"{x.kind}\x01{x.field}\x01{x.value}\x00".encode("utf-8", "surrogatepass"))
    h.update(b"\x02")
    for r in article.removed:
        h.update(f"{r.text}\x01{r.reason}\x00".encode("utf-8", "surrogatepass"))
    key = h.digest()
    with _ARTICLE_DATES_LOCK:  # Dask workers may run several threads
        hit = key in _ARTICLE_DATES
        if hit:
            _ARTICLE_DATES.move_to_end(key)
            t = _ARTICLE_DATES[key]
    if not hit:
        t = _article_event(article, as_of)
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


def _anchor_day(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def crawl_bound(article: Article, as_of: date | None = None) -> tuple[date, str] | None:
    """The earliest day by which the page is known to exist, and what says so: its ``crawled`` anchors
    (WARC-Date, HTTP Date/Last-Modified, a JSONL crawl field, the file's mtime) and the batch's as-of."""
    found = [(d, x.field) for x in article.anchors if x.kind == "crawled" and (d := _anchor_day(x.value))]
    if as_of is not None:
        found.append((as_of, "--as-of"))
    return min(found) if found else None


# How the one-line evidence names an anchor's field (a JSON field or header keeps its own name).
_ANCHOR_NAMES = {
    "html-meta": "thẻ meta của trang",
    "sidecar": "tệp thông tin kèm theo",
    "page": "giờ đăng in trên trang",
    "mtime": "giờ sửa tệp",
}


def _anchor_name(field: str) -> str:
    return _ANCHOR_NAMES.get(field, field)


def _published_basis(article: Article) -> str:
    """ "ngày đăng", naming the anchor it came from unless that is the plain ``published`` field."""
    field = next(
        (x.field for x in article.anchors if x.kind == "published" and x.value == article.published), ""
    )
    return f"ngày đăng ({_anchor_name(field)})" if field and field != "published" else "ngày đăng"


def _by_crawl(ref: Reference, by: date, field: str) -> Reference:
    """The text's own evidence (``ref``) bounded by a crawl date: written by then. Evidence that says it
    was written later (a misread year) gives way to the crawl, which is a fact."""
    field = _anchor_name(field)
    label = f"ngày thu thập {vn_date(by)} ({field})"
    why = f"viết không muộn hơn {label}"
    if ref.lo is not None and ref.lo > by:
        why += f"; bỏ căn cứ trong bài ({ref.why}) vì muộn hơn ngày thu thập"
        ref = Reference()
    elif ref.why:
        why = f"{ref.why}; {why}"
    years = tuple(y for y in ref.years if y <= by.year)
    windows = _intersect(ref.windows, ((date.min, by),)) if ref.windows else ()
    hi = min(ref.hi, by) if ref.hi is not None else by
    basis = f"ngày thu thập ({field} {vn_date(by)})"
    return Reference(ref.lo, hi, years, why, windows, by=by, basis=basis)


def _article_event(article: Article, as_of: date | None = None) -> TemporalExpression | None:
    body, related = _split_body(article)
    pub = _published_reference(article.published)
    title = normalize(article.title or "")
    # Both are normalised: the knowledge step reads their sentences (title's first, as "title\nbody").
    sentences = split_sentences(title) + split_sentences(body)
    crawl = crawl_bound(article, as_of)
    now = crawl[0] if crawl else None  # closes running terms (None: the knowledge table's checked day)
    if pub is not None:
        pub = replace(pub, basis=_published_basis(article)) if pub.basis == "ngày đăng" else pub
        ref = _apply_knowledge(pub, "", now, sentences=sentences)
    else:
        ref = _infer_reference_split(body, related, title, now, sentences, now)
        if crawl is not None:
            ref = _by_crawl(ref, *crawl)
        ref = _glossed_day(body, ref) or ref
    # A crawl date reads a year-less day as its latest occurrence up to the crawl, within the periods:
    # one reading, not one per candidate year.
    if not ref.windows or ref.exact is not None or len(ref.years) < 2 or ref.by is not None:
        return _event_in(body, ref)
    return _event_over_years(body, ref)


# A relative day glossed with its date: "Mail ngày hôm nay, 9/10, người dùng ...", "Sáng qua (8/10)".
_GLOSS = re.compile(
    r"^(?:(?:rạng sáng|sáng sớm|sáng|trưa|chiều|tối|đêm|khuya)\s+)?(?:ngày\s+)?"
    r"(hôm nay|hôm qua|hôm kia|nay|qua)\b",
    re.I,
)
_GLOSS_OFFSET = {"hôm nay": 0, "nay": 0, "hôm qua": 1, "qua": 1, "hôm kia": 2}


def _glossed_day(body: str, ref: Reference) -> Reference | None:
    """The day the text was written, when it glosses a relative day with its date ("ngày hôm nay, 9/10",
    "hôm qua (8/10)") and no publication date is known: every other relative word in it ("Yahoo hôm nay
    đã ...") then counts from that day. The gloss's year is read as any other day's (crawl, text)."""
    for d in _dated_mentions(body, ref):
        m = _GLOSS.match(d.men.text.strip())
        if d.men.kind != "daymonth" or not m or d.res.lo is None or d.res.lo != d.res.hi:
            continue
        if _in_quote(body, d.men.start):  # a quotation's "hôm qua" counts from the day it was said
            continue
        w = d.res.lo + timedelta(days=_GLOSS_OFFSET[m.group(1).lower()])
        if (ref.by is not None and w > ref.by) or (ref.lo is not None and w < ref.lo):
            continue
        why = f"ngày viết bài {vn_date(w)} theo '{d.men.text.strip()}'"
        return Reference(w, w, (w.year,), f"{ref.why}; {why}" if ref.why else why, (), ref.by, why)
    return None


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
        t = _event_in(body, Reference(sub[0][0], sub[-1][1], (y,), ref.why, sub, ref.by, ref.basis))
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
    days = {t.value[5:] for _, t in found if t.value and len(t.value) == 10}
    day = days.pop() if len(days) == 1 and all(t.value and len(t.value) == 10 for _, t in found) else None
    where = first.note.split(";")[0] if first.note else first.text
    basis = ref.basis or "căn cứ trong bài"
    if first.day is None and not (first.value and len(first.value) == 10):  # bounds, not a day
        note = f"{where}; trong khoảng {vn_date(lo)} – {vn_date(hi)} (theo {basis})"
    else:
        note = f"{where}; chưa rõ năm (có thể {years.replace(', ', ' hoặc ')}, theo {basis})"
    return replace(
        first,
        value=_value_for(lo, hi),
        earliest=lo.isoformat(),
        latest=hi.isoformat(),
        evidence=evidence,
        note=note,
        day=day,
    )


def _event_in(body: str, ref: Reference) -> TemporalExpression | None:
    """The event date of one article body read against ``ref``."""
    dated = _dated_mentions(body, ref)
    day_kinds = ("full", "daymonth", "dayrange", "relday", "weekday")
    # The lead: the first two sentences that read like prose (a short caption line is skipped), less
    # background sentences ("Trước đó, ...") and photo captions inlined in the text ("... hôm 6-10 - Ảnh:").
    prose = [i for i, s in enumerate(split_sentences(body)) if len(s.split()) >= 8]
    recent = _recent_year(dated, ref)

    def days_in(idx: Sequence[int]) -> list[_Dated]:
        return [
            d
            for d in dated
            if d.index in idx
            and d.men.kind in day_kinds
            and not _BACKGROUND.match(d.sentence)
            and not _CAPTION_AFTER.match(body, d.men.end)
            and not _commemorated(body, d)
            and not d.until
            and not _after_text(d, ref)
            and not _background(body, d, recent)
            and not _far_past(d, ref, recent)
        ]

    lead = days_in(prose[:2])
    where = "phần mở đầu"
    if not lead:
        # A lead that states no day (a feature-style opening) is often followed by the day of the news
        # in the next sentences ("Và cuốn sách đã chính thức lên kệ vào ngày 22/10"): the first past
        # day there that resolves, under the same filters as the lead's, not one looked ahead to, and
        # written without its year as news writes the day of the news (a full date there is recalled:
        # "theo Nghị định ngày 15/3/2022", "từ ngày 01/01/2015, Luật ... quy định").
        body_days = days_in(prose[2 : 2 + _BODY_SENTENCES])
        lead = [d for d in body_days if d.res.lo is not None and not d.men.future and not d.men.year][:1]
        where = "thân bài"
    refnote = f" [{ref.why}]" if ref.why else ""
    if lead:
        pick = _news_day(lead, ref)
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
                    res = _Resolved(a, b, res.why + f"; sau {f.strftime('%d/%m/%Y')} ('Trước đó')", res.basis)
        why = f"'{pick.men.text.strip()}' ở {where} ('{_short(pick.sentence)}'); {res.why}"
        if where != "phần mở đầu":
            why = f"phần mở đầu không nêu ngày; {why}"
        ev = _expression(body, pick.men, res)
        ev.evidence = why + (refnote if res.lo is not None and ref.why and ref.why not in res.why else "")
        ev.note = _note(pick, res, ref, where)
        ev.day = _open_day(pick, res)
        if _unanchored(pick, ref):
            # "thứ Năm" counted from a day of writing known only within bounds (between the day "Covid-19"
            # was named and the crawl, or within a year): its earliest reading says nothing ("2020-02-06 –
            # 2022-07-28"), its latest bounds.
            ev.earliest, ev.value = None, None
        return ev
    # No date in the lead: the article reports something new, so it happened after the past dates it
    # mentions as background and no later than its own date or the first date it looks ahead to.
    return _bounds_from_background(body, dated, ref, day_kinds, recent)


# Prose sentences after the lead read for the day of the news when the lead states none. Chosen on half
# A of vmds-dev only (``bench/dating_eval.py --sweep-body``, TIME withheld, --as-of): events with a day
# 36 (none read), 37 (1), 39 (2, 3), 40 (4, 5), 41 (6), 42 with the first wrong day (8). 4: the gain
# beyond is one event, and each further sentence is likelier to hold a recalled day.
_BODY_SENTENCES = 4

# Kinds that say the day of the news without a year: "hôm qua", "sáng nay", "ngày 13/4", "thứ Hai".
_NEWS_DAY = ("relday", "daymonth", "dayrange", "weekday")
# A full date this far before publication, in a lead that also says the day of the news, is recalled
# background (a past crash, a decree's date), not the day reported: news leads are about the last days.
_BACKGROUND_DAYS = 7


def _news_day(lead: Sequence[_Dated], ref: Reference) -> _Dated:
    """The lead's date of the news. A day written with its year opening the lead ("26/9/2014", or days
    listed with their year: "giám định lại thương tích ... vào các ngày 7, 10, 11 và 12/12/2021") is
    passed over for a later day the lead states without a year ("Sáng qua", "Sáng 21/7", "ngày 13/4"),
    which is how leads write the day of the news: the year-ful date is recalled background, or the
    matter the news is about. Until session 10 only a single full date was passed over, and a sapo's
    list of December days dated a report of "Sáng 21/7" to December 2021 (abmusu-train)."""
    pick = lead[0]
    if pick.res.lo is None:
        # "Hôm qua" with no date of writing to count from: a day the lead states resolves better.
        return next((d for d in lead if d.res.lo is not None and d.men.kind in _NEWS_DAY), pick)
    if pick.men.kind not in ("full", "dayrange") or not pick.men.year or pick.res.hi is None:
        return pick
    ex = ref.exact
    if ex is not None and pick.res.hi >= ex - timedelta(days=_BACKGROUND_DAYS):
        return pick
    for d in lead:
        if d is pick or d.men.kind not in _NEWS_DAY or d.men.year or d.men.future:
            continue
        if d.res.lo is not None and d.res.lo > pick.res.hi:
            return d
    return pick


def _open_day(d: _Dated, res: _Resolved) -> str | None:
    """ "MM-DD" when the chosen mention gives a day and month whose year stays open."""
    men = d.men
    if men.kind not in ("daymonth", "dayrange") or men.year or not men.day or not men.month:
        return None
    if res.lo is not None and res.hi is not None and res.lo.year == res.hi.year:
        return None
    return f"{men.month:02d}-{men.day:02d}"


def _note(d: _Dated, res: _Resolved, ref: Reference, where: str = "phần mở đầu") -> str:
    """The one-line evidence a reader sees: the words chosen, where, and what the year rests on."""
    men = d.men
    head = f"{men.text.strip()} trong {where}"
    # What the year rests on: the resolution's own basis when the text, not the reference, gave it
    # ("năm nêu trong cùng câu", "căn cứ trong bài" under a crawl date), else the reference's.
    basis = res.basis or ref.basis or "căn cứ trong bài"
    if res.lo is None or res.hi is None:
        relative = men.kind in ("relday", "week", "weekday", "relmonth", "ago")
        return f"{head}; {'chưa rõ ngày viết bài' if relative else 'chưa rõ năm'}"
    if men.year or men.kind in ("full", "span", "year", "monthyear"):
        return head
    if men.kind in ("relday", "week", "weekday", "relmonth", "ago"):
        if ref.exact is None and res.lo == res.hi:  # counted from another day ("tính theo ngày phát biểu")
            return f"{head}; {res.why}"
        if ref.exact is None:  # counted from a day of writing known only within bounds
            return f"{head}; chưa rõ ngày viết bài" + (f", không muộn hơn {basis}" if ref.by else "")
        return f"{head}; tính từ {basis} {vn_date(ref.exact)}"
    if res.lo.year == res.hi.year:
        return f"{head}; năm {res.lo.year} theo {basis}"
    return f"{head}; chưa rõ năm (có thể {res.lo.year}–{res.hi.year}, theo {basis})"


def _looks_ahead(d: _Dated) -> bool:
    """A mention looked ahead to. In a sentence with both past and future cues the nearer cue decides:
    "Nửa đầu năm 2022 đã trôi qua nhưng ... mới giải ngân được 27% kế hoạch" looks back (it put a mid-2022
    report "trước 30/4/2022"), "Ngân hàng Thế giới vừa công bố ... năm 2022 dự kiến đạt 7,5%" ahead."""
    if not d.men.future:
        return False
    if not d.men.past:
        return True
    start = d.send - len(d.sentence)
    a, b = d.men.start - start, d.men.end - start

    def gap(rx: re.Pattern[str]) -> int:
        return min(
            (min(abs(m.start() - b), abs(a - m.end())) for m in rx.finditer(d.sentence)), default=1 << 30
        )

    return gap(_FUTURE) <= gap(_PAST)


# Mentions counted from the day of writing ("cuối tuần", "năm sau", "tháng tới", "hôm qua").
_RELATIVE = ("relday", "week", "weekday", "relmonth", "relyear", "relmonthyear", "ago")


def _unanchored(d: _Dated, ref: Reference) -> bool:
    """A relative mention counted from a day of writing that a crawl date bounds but the text does not give:
    read over the text's possible days (a year, or since "Covid-19" was named), its earliest reading says
    nothing a reader can use ("sau trưa hôm qua" → "2021-12-31 – 2022-07-31"). Without a crawl date the
    same range is all that says the text's year, and is kept."""
    lo, hi = d.res.lo, d.res.hi
    return (
        d.men.kind in _RELATIVE
        and ref.exact is None
        and ref.by is not None
        and lo is not None
        and hi is not None
        and (hi - lo).days > 7
    )


def _ahead_bound(d: _Dated, ref: Reference) -> date | None:
    """The latest the text can be, given a date it looks ahead to: the day before it, or the end of a
    named month or year ("GDP năm 2022 dự kiến tăng 6%", "Fed sẽ tăng lãi suất vào tháng 7"): a forecast
    for a year or a month is made before it ends, often within it (mid-2022 reports read as written by
    2021). A period marked as the next one ("tháng 9 tới", "năm sau") is still wholly ahead."""
    if d.res.lo is None:
        return None
    if d.men.kind in _RELATIVE and ref.exact is None and d.res.hi is not None:
        # Counted from a day of writing known only within bounds, "cuối tuần" may be any weekend of
        # them: only its latest bounds the event (its earliest put a 2022 page "trước 15/2/2020").
        return d.res.hi - timedelta(days=1)
    named = d.men.kind in ("year", "month", "monthyear") and not re.search(r"\b(tới|sau)\b", d.men.text, re.I)
    if named and not d.until and d.res.hi is not None:
        return d.res.hi
    return d.res.lo - timedelta(days=1)


# A past day more than this before the text's known date (its publication date or crawl date) is
# recalled background, not a lower bound of the news: a year, as ``_background`` takes a history
# sentence's year more than a year before the text's latest.
_FAR_PAST_DAYS = 366


def _bounds_from_background(
    body: str, dated: Sequence[_Dated], ref: Reference, day_kinds: tuple[str, ...], recent: int | None
) -> TemporalExpression | None:
    """An event not dated in its lead: after the latest earlier date, before the first date ahead.
    Origins and old dates of sentences about the past (``_background``) are not bounds, nor a plan's
    horizon (``_horizon``), nor a date after the text's own (``_after_text``: a plan or a deadline
    bounds the event only from beyond the reference, which bounds it better)."""
    rlo, rhi = ref.lo, ref.hi
    past_txt = [
        d
        for d in dated
        if d.men.kind in day_kinds
        and not d.men.future
        and not d.until
        and not _after_text(d, ref)
        and not _background(body, d, recent)
    ]
    # A period's end is ahead of its start; a date after the text's own is ahead of it.
    ahead_txt = [
        d for d in dated if (_looks_ahead(d) or d.until or _after_text(d, ref)) and not _horizon(body, d)
    ]
    # Resolved mentions count only on the right side of the text's own date. A relative one counted from a
    # day of writing known only within bounds ("sau trưa hôm qua" read over a year) bounds nothing from
    # below that the text's own date does not: it gave "2021-12-31 – 2022-07-31" for a page of 2022.
    past = [
        d
        for d in past_txt
        if d.res.lo and d.res.hi and (rhi is None or d.res.hi <= rhi) and not _unanchored(d, ref)
    ]
    ahead = [d for d in ahead_txt if d.res.lo and (rlo is None or d.res.lo > rlo)]
    last_past = max(past, key=lambda d: d.res.hi or date.min) if past else None
    first_ahead = min(ahead, key=lambda d: d.res.lo or date.max) if ahead else None
    if ref.lo is None:  # nothing resolves: name what the text says, in text order
        last_past = last_past or (past_txt[-1] if past_txt else None)
        first_ahead = first_ahead or (ahead_txt[0] if ahead_txt else None)
    far = None
    at = _known_date(ref, recent)
    if last_past and at and last_past.res.lo and (at - last_past.res.lo).days > _FAR_PAST_DAYS:
        # Recalled, not a bound worth a reader's time: "sau 1/1/2017" in a crawl of 31/7/2022 made the
        # event (and its one-event story) read "2017-01-01 – 2022-07-31"; a relative day read over the
        # years a text may be of ("trưa hôm qua", from the day Covid-19 was named) likewise.
        far, last_past = last_past, None
    lo = last_past.res.lo if last_past else None
    hi_opts = [x for x in (_ahead_bound(first_ahead, ref) if first_ahead else None, rhi) if x]
    hi = min(hi_opts) if hi_opts else None
    if lo and hi and lo > hi:  # contradictory cues: keep only what the text's own date says
        first_ahead, hi = None, rhi
        if hi and lo > hi:
            last_past, lo = None, None
    anchor = last_past or first_ahead
    short = ["phần mở đầu không nêu ngày"]
    if last_past:
        short.append(f"sau {_mid_line(last_past.men.text)}")
    if first_ahead:
        short.append(f"trước {_mid_line(first_ahead.men.text)}")
    if hi is not None and hi == rhi and (ref.exact is not None or ref.by is not None):
        short.append(f"không muộn hơn {ref.basis}")
    parts = ["phần mở đầu không nêu ngày"]
    if far:
        parts.append(
            f"'{far.men.text.strip()}' được nhắc như việc đã qua, quá xa ngày viết bài, không làm mốc"
        )
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
        note="; ".join(x for x in short if x),
    )


def _mid_line(text: str) -> str:
    """A mention's words as they read inside the one-line evidence: a capital its sentence opened on is
    not carried into the line ("Năm 2017, Nga và Mỹ sẽ ..." read "trước Năm 2017" in a seed's line); a
    capital inside it ("thứ Hai", "tháng Mười") and an acronym's stay."""
    text = text.strip()
    word = text.split(" ", 1)[0]
    if word[:1].isupper() and word[1:].islower():
        return text[0].lower() + text[1:]
    return text


def _width(t: TemporalExpression) -> float:
    if t.earliest is None or t.latest is None:
        return float("inf")
    return (date.fromisoformat(t.latest) - date.fromisoformat(t.earliest)).days


def date_event(articles: Sequence[Article], as_of: date | None = None) -> TemporalExpression | None:
    """When the event happened: a value and/or range with the evidence text, or None.

    Each article's lead date (or, without one, the bounds its background dates give) is computed; the
    most precise one wins, then the one most articles agree on, then the earlier-listed article, so
    that the result does not depend on chance.
    """
    return event_date_from([article_date(art, as_of) for art in articles])


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
