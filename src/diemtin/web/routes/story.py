"""A story's page: its events in timeline order, drawn as an SVG timeline and listed."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import HTMLResponse

from .. import queries, timeline
from ..site import Site, found

STORY_PAGE = 100  # events per story page (timeline and list)


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
        summaries = queries.event_summaries(site.db, [e["id"] for e in s["events"]])
        return site.page(
            "story.html.j2", story=s, card=queries.story_card(site.db, story_id), summaries=summaries,
            svg=timeline.layout(s["events"]), svg_narrow=timeline.layout(s["events"], timeline.NARROW),
            page_no=page_no, pages=pages, first=offset + 1,
        )  # fmt: skip

    return r
