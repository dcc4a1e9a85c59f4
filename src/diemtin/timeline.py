"""Order a story's events in time, placing undated or year-less events honestly.

Each event is placed by the interval its date allows: an exact day is a one-day interval, a month or a
year (``2016``) or a range (``date_range``) spans its days. Events sort by the interval's earliest day,
then its latest day (the more precise first), then id, so exact dates and ranges interleave
consistently. The earliest bound, not the midpoint, leads because a year range's lower bound comes from
the text's own evidence (a year it mentions, "Covid-19") while its upper bound is often only "no later
than publication", which would drag the midpoint of an old event towards the present. An event with
only one bound sorts at that bound.

Events with no date at all come last; among them, one whose title, summary or date evidence writes a
year sorts by the latest such year (a general, weak "no earlier than" signal: reports recall past
years, rarely future ones), the rest by id; within those, a day and month known without the year
("27/8, chưa rõ năm", ``Event.day``) orders by that day. Nothing is guessed into ``Event.date``: the
order is the only output, and the report marks undated events as such.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from datetime import date

from .models import Event

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


def _bounds(value: str) -> tuple[date, date] | None:
    """First and last day of an ISO date at any precision (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD[T...]``)."""
    m = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value.strip())
    if not m:
        return None
    y = int(m.group(1))
    try:
        if m.group(3):
            d = date(y, int(m.group(2)), int(m.group(3)))
            return d, d
        if m.group(2):
            mo = int(m.group(2))
            return date(y, mo, 1), date(y, mo, calendar.monthrange(y, mo)[1])
        return date(y, 1, 1), date(y, 12, 31)
    except ValueError:
        return None


def interval(event: Event) -> tuple[date, date] | None:
    """The days the event's date allows, or None when nothing is known."""
    lo_s, hi_s = event.date_range
    lo = _bounds(lo_s) if lo_s else None
    hi = _bounds(hi_s) if hi_s else None
    exact = _bounds(event.date) if event.date else None
    if lo and hi:
        return lo[0], hi[1]
    if exact:
        return exact
    if lo:
        return lo[0], lo[0]
    if hi:
        return hi[1], hi[1]
    return None


def _mentioned_year(event: Event) -> int | None:
    text = " ".join([event.title, event.date_evidence or "", *(s.text for s in event.summary)])
    years = [int(y) for y in _YEAR.findall(text)]
    return max(years) if years else None


def order_events(events: Sequence[Event]) -> list[str]:
    """Event ids in date order; events with no known date go last (see the module docstring)."""

    def key(e: Event) -> tuple[int, float, int, int, str]:
        span = interval(e)
        if span is not None:
            lo, hi = span[0].toordinal(), span[1].toordinal()
            return (0, float(lo), hi, 0, e.id)
        # A day and month known without the year ("27/8, chưa rõ năm") orders by that day within the
        # year it is placed in (or among the undated), so a story's 25/8 comes before its 27/8.
        md = int(e.day.replace("-", "")) if e.day and re.fullmatch(r"\d\d-\d\d", e.day) else 0
        year = _mentioned_year(e)
        if year is not None:
            return (1, float(year), md, 0, e.id)
        return (2, 0.0, md, 0, e.id)

    return [e.id for e in sorted(events, key=key)]
