"""A story's timeline drawn to scale, readable from 2 to 50 events (and more): the SVG's width follows
the page (no sideways scrolling), events close in time are grouped into one marker with their count, and
date labels are placed in up to three rows so that none overlaps another or runs past the drawing.

Positions are days: an exact date at its day (a year or month alone covers its whole span), an event
known only by a range at the range's start with a faint bar to its end (hollow marker: the date is not
known). The axis spans the exact dates and the ranges' starts; a range's end beyond it is cut at the
edge (a "written before 2026" bound would otherwise squash every known date into a corner).
"""

from __future__ import annotations

from datetime import date
from typing import Any

WIDTH = 900  # viewBox units; the SVG is drawn at the page's width (CSS width: 100%)
NARROW = 380  # a second drawing for phones (CSS shows one): 900 units on a 380 px screen is 5 px text
PAD = 16  # left and right margin
AXIS_Y = 70
GROUP_PX = 22  # markers closer than this are one group
CHAR_PX = 7.0  # width of a label character at the timeline's 11 px font: an estimate, generous (digits
# measured ~6.6 in Chromium's default sans-serif)
LABEL_ROWS = (22, 38, 54)  # date labels above the axis


def _span(value: str | None) -> tuple[int, int] | None:
    """First and last day (ordinals) that a date written as YYYY, YYYY-MM or YYYY-MM-DD covers."""
    if not value:
        return None
    parts = value[:10].split("-")
    try:
        y = int(parts[0])
        if len(parts) == 1:
            return date(y, 1, 1).toordinal(), date(y, 12, 31).toordinal()
        m = int(parts[1])
        if len(parts) == 2:
            end = date(y + (m == 12), m % 12 + 1, 1).toordinal() - 1
            return date(y, m, 1).toordinal(), end
        d = date(y, m, int(parts[2])).toordinal()
        return d, d
    except (ValueError, IndexError):
        return None


def _label(lo: int, hi: int) -> str:
    a, b = date.fromordinal(lo), date.fromordinal(hi)
    if lo == hi:
        return a.isoformat()
    if a.year == b.year and a.month == b.month:
        return f"{a:%Y-%m}"
    if a.year == b.year:
        if (a.month, a.day, b.month, b.day) == (1, 1, 12, 31):
            return str(a.year)
        return f"{a.month:02d}–{b.month:02d}/{a.year}"
    return f"{a.year}–{b.year}"


def layout(events: list[dict[str, Any]], width: int = WIDTH) -> dict[str, Any]:
    """The drawing of ``events`` (dicts with id, title, date, date_range) ``width`` units wide: groups,
    ticks, undated count."""
    placed = []
    for e in events:
        exact = _span(e.get("date"))
        lo_hi = e.get("date_range") or [None, None]
        rlo, rhi = _span(lo_hi[0]), _span(lo_hi[1])
        if exact:
            placed.append((e, exact[0], exact[1], True))
        elif rlo or rhi:
            start, end = (rlo or rhi), (rhi or rlo)
            assert start is not None and end is not None
            placed.append((e, start[0], end[1], False))
    undated = len(events) - len(placed)
    if not placed:
        return {"width": width, "height": 0, "groups": [], "ticks": [], "undated": undated}
    first = min(p[1] for p in placed)
    last = max(p[2] if p[3] else p[1] for p in placed)
    span = max(1, last - first)

    def x(day: int) -> float:
        if last == first:
            return width / 2
        return PAD + (min(max(day, first), last) - first) * (width - 2 * PAD) / span

    # Groups: walk the events by position; one closer than GROUP_PX to the group's first joins it.
    groups: list[dict[str, Any]] = []
    for e, lo, hi, is_exact in sorted(placed, key=lambda p: p[1]):
        px = x(lo)
        if groups and px - groups[-1]["x0"] < GROUP_PX:
            g = groups[-1]
            g["events"].append(e)
            g["lo"], g["hi"] = min(g["lo"], lo), max(g["hi"], hi if is_exact else lo)
            g["exact"] = g["exact"] and is_exact
            g["x1"] = px
            g["bar_end"] = max(g["bar_end"], x(hi))
            continue
        groups.append(
            {"events": [e], "x0": px, "x1": px, "lo": lo, "hi": hi if is_exact else lo, "exact": is_exact,
             "bar_end": x(hi)}
        )  # fmt: skip
    # Labels: each group's dates, in the first row where it clears the previous label of that row and
    # fits inside the drawing (else the tooltip alone carries it).
    row_end = [float("-inf")] * len(LABEL_ROWS)
    for g in groups:
        g["x"] = (g["x0"] + g["x1"]) / 2
        g["n"] = len(g["events"])
        g["r"] = 6 if g["n"] == 1 else min(14, 7 + 2 * len(str(g["n"])) + g["n"] // 10)
        text = _label(g["lo"], g["hi"])
        w = len(text) * CHAR_PX
        left = min(max(g["x"] - w / 2, 0), width - w)  # shifted inwards at the edges, never cut
        g["label"], g["label_y"], g["label_x"] = None, None, left + w / 2
        for i, y in enumerate(LABEL_ROWS):
            if left >= row_end[i] + 6:
                g["label"], g["label_y"] = text, y
                row_end[i] = left + w
                break
        g["tooltip"] = "\n".join(f"{ev.get('when') or ''} — {ev['title']}" for ev in g["events"])
        g["href"] = f"/event/{g['events'][0]['id']}" if g["n"] == 1 else None
        g["anchor"] = f"ev-{g['events'][0]['id']}"
    return {
        "width": width,
        "height": AXIS_Y + 40,
        "axis_y": AXIS_Y,
        "groups": groups,
        "ticks": _ticks(first, last, x, width),
        "undated": undated,
    }


def _ticks(first: int, last: int, x: Any, width: int) -> list[dict[str, Any]]:
    """Year ticks (or month ticks for a span under two years), at most ~10 labelled."""
    a, b = date.fromordinal(first), date.fromordinal(last)
    ticks = []
    if b.year - a.year >= 2:
        step = max(1, (b.year - a.year) * 90 // width)
        for y in range(a.year + 1, b.year + 1, step):
            d = date(y, 1, 1).toordinal()
            ticks.append({"x": x(d), "label": str(y)})
    else:
        months = (b.year - a.year) * 12 + b.month - a.month
        step = max(1, months * 90 // width)
        y, m = a.year, a.month
        for _ in range(0, months, step):
            m += step
            while m > 12:
                y, m = y + 1, m - 12
            d = date(y, m, 1).toordinal()
            if d <= last:
                ticks.append({"x": x(d), "label": f"{m:02d}/{y}"})
    for t in ticks:  # keep tick labels inside the drawing: a centred "11/2013" needs half its width
        half = len(t["label"]) * CHAR_PX / 2
        t["x"] = min(max(t["x"], half), width - half)
    return ticks
