"""Inferring the year (and bounds) of a text's own date from its evidence, when no publication date is
known: its full dates, the years it states, what it looks ahead to, and the knowledge table."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from datetime import date

from ..text import split_sentences
from .expressions import _PART_YEAR, _Mention, _scan
from .knowledge import _apply_knowledge
from .reference import Reference, _short

# --------------------------------------------------------------------------------------------------
# Year inference from the text's own evidence

_YEAR_FUTURE = re.compile(r"\b(sẽ|dự kiến|sắp)\b", re.I)
_LAST_YEAR = re.compile(r"\b(đầu|giữa|cuối)?\s*năm\s+(ngoái|nay)\b", re.I)


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
        and (not m.part or m.past)
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
    text: str, related: Sequence[date] = (), context: str = "", as_of: date | None = None
) -> Reference:
    """Candidate years and periods of the text's own date, from its own evidence (no publication date).

    The text's dates (``_infer_from_dates``) are narrowed by the knowledge table: office holders named
    with their role and era terms found in ``context`` (e.g. the title) and ``text`` (docs/dating.md).
    ``as_of`` closes terms still running (default: the day the knowledge table was last checked, never
    the machine's calendar).
    """
    ref = _infer_from_dates(text, related, context)
    return _apply_knowledge(ref, (context + "\n" + text) if context else text, as_of, soft_upper=True)


def _infer_reference_split(
    text: str,
    related: Sequence[date],
    context: str,
    today: date | None,
    sentences: Sequence[str],
    by: date | None = None,
) -> Reference:
    """``infer_reference`` for normalised ``text`` and ``context`` whose sentences (context's, then
    text's) the caller has split already; ``by``: a crawl date the text existed by (rule 1)."""
    ref = _infer_from_dates(text, related, context, by)
    return _apply_knowledge(ref, "", today, soft_upper=True, sentences=sentences)


def _infer_from_dates(
    text: str, related: Sequence[date] = (), title: str = "", by: date | None = None
) -> Reference:
    """Candidate years of the text's own date, from its evidence only (no publication date known).

    Rules (each a general property of news text, see docs/dating.md):
    1. the text's full dates (past) bound it from below, and its latest one is at most a year old:
       a year-less "ngày 11/2" in a text whose full dates are all in Y or earlier is in Y or Y+1. With
       a crawl date ``by`` only the bound stays: the text is of a year from Y to the crawl's (the habit
       "at most a year old" is what a crawl date replaces: a 2022 page quoting a 2020 price was read
       as of 2020 or 2021 in a crawl of 31/7/2022);
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
        lo_year = ymax
        if by is not None and by.year > ymax + 1:
            cands = set(range(ymax, by.year + 1))
            why.insert(0, f"ngày đầy đủ muộn nhất trong bài thuộc năm {ymax}, nên bài viết từ năm {ymax}")
        else:
            cands = {ymax, ymax + 1}
            why.insert(
                0,
                f"ngày đầy đủ muộn nhất trong bài thuộc năm {ymax}, nên bài viết năm {ymax} hoặc {ymax + 1}",
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
    if cands is None and lo_year is not None and by is not None and lo_year <= by.year <= lo_year + 1:
        # A year the text speaks from, and a crawl within the next: "Đưa ra những giải pháp ... năm 2022"
        # in a crawl of 31/7/2022 is of 2022 (the bound alone was lost, and its "tháng 9 tới" read as 2020's).
        cands = set(range(lo_year, by.year + 1))
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
    return Reference(
        lo,
        date(years[-1], 12, 31),
        years,
        "căn cứ trong bài (" + "; ".join(why) + ")",
        basis="các ngày trong bài",
    )
