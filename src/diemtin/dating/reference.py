"""What is known about the date a text was written (``Reference``), and small date helpers."""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class Reference:
    """What is known about the text's own date: exactly (``lo == hi``), a window, or nothing.

    ``years`` are the candidate publication years; a year-less "ngày 30/3" is read in each of them
    (Vietnamese news omits the year of dates in the year of publication), so one candidate year gives
    a precise date and several give an honest range. ``windows`` (from the knowledge table: office terms,
    era terms) are the periods the text's date lies in, when known finer than whole years. ``by`` is a
    crawl date (WARC-Date, ``--as-of``, ...): the text existed by then, and a year-less day is read as
    its latest occurrence up to it. ``basis`` says in a few words what the year rests on, for the
    one-line evidence a reader sees ("ngày đăng", "ngày thu thập 31/8/2022 (WARC-Date)").
    """

    lo: date | None = None
    hi: date | None = None
    years: tuple[int, ...] = ()
    why: str = ""
    windows: tuple[tuple[date, date], ...] = ()
    by: date | None = None
    basis: str = ""

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
        return Reference(d, d, (y,), f"ngày đăng {d.isoformat()}", basis="ngày đăng")
    if m.group(2):
        mo = int(m.group(2))
        return Reference(
            date(y, mo, 1), _month_end(y, mo), (y,), f"tháng đăng {y}-{mo:02d}", basis="tháng đăng"
        )
    return Reference(date(y, 1, 1), date(y, 12, 31), (y,), f"năm đăng {y}", basis="năm đăng")


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


def _in_windows(x: date, windows: Sequence[tuple[date, date]]) -> bool:
    return any(a <= x <= b for a, b in windows)


def _short(s: str, n: int = 60) -> str:
    s = s.strip()
    return s if len(s) <= n else s[: n - 1].rstrip() + "…"


def vn_date(d: date) -> str:
    """A day as Vietnamese text writes it: 13/4/2021."""
    return f"{d.day}/{d.month}/{d.year}"
