"""A story's page: its events in timeline order, drawn as an SVG timeline and listed."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import HTMLResponse

from ... import report
from .. import queries
from ..site import Site, found

STORY_PAGE = 100  # events per story page (its SVG timeline is 170 px per event)


def timeline_svg_points(events: list[dict[str, Any]]) -> dict[str, Any]:
    """Positions for the story's SVG timeline: one dot per event, left to right in timeline order.

    Titles alternate between two rows, so that 170 px an event holds a 24-character title next to its
    neighbours'; the end labels grow inwards so that none is cut at the drawing's edge; a range is shown
    by its years ("2017–2026"), the list below gives it in full."""
    n = len(events)
    width = max(640, 170 * n)
    step = (width - 120) / max(1, n - 1)
    points = []
    for i, e in enumerate(events):
        lo, hi = (e.get("date_range") or [None, None])[:2]
        if e.get("date"):
            label = e["date"]
        elif lo and hi:
            label = lo[:4] if lo[:4] == hi[:4] else f"{lo[:4]}–{hi[:4]}"
        else:
            label = "?"
        x = 60 + (i * step if n > 1 else (width - 120) / 2)
        points.append(
            {
                **e,
                "x": x,
                "label": label,
                "anchor": report.svg_anchor(i, n),
                "title_y": 88 if i % 2 == 0 else 108,
            }
        )
    return {"width": width, "height": 150, "points": points}


def router(site: Site) -> APIRouter:
    r = APIRouter()

    @r.get("/story/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    async def story_page(story_id: str, page_no: int = Query(1, alias="page", ge=1)) -> HTMLResponse:
        # One page of STORY_PAGE events (timeline and list): a story of 8,500 events on one page took
        # ~0.5 s to render (a 1.4-million-pixel SVG), blocking every other request of the worker.
        offset = (page_no - 1) * STORY_PAGE
        s = found(queries.story_data(site.db, story_id, offset, STORY_PAGE), f"chuỗi sự kiện {story_id!r}")
        pages = max(1, -(-s["total"] // STORY_PAGE))
        if page_no > pages:
            raise HTTPException(404, f"Chuỗi sự kiện {story_id!r} chỉ có {pages} trang.")
        return site.page(
            "story.html.j2", story=s, svg=timeline_svg_points(s["events"]), page_no=page_no, pages=pages,
            first=(page_no - 1) * STORY_PAGE + 1,
        )  # fmt: skip

    return r
