"""The JSON API under /api: the same data as the pages."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Query

from ... import search as _search
from .. import queries
from ..site import Site, found


def router(site: Site) -> APIRouter:
    r = APIRouter(prefix="/api", tags=["api"])
    db = site.db

    @r.get("/stories")
    async def api_stories() -> list[dict[str, Any]]:
        """Every story with its number of events and date span."""
        return queries.story_list(db)

    @r.get("/stories/{story_id}")
    async def api_story(
        story_id: str, offset: int = Query(0, ge=0), limit: int | None = Query(None, ge=1)
    ) -> dict[str, Any]:
        """One story, its number of events (total) and its events in timeline order (all of them, or
        ``limit`` from ``offset``)."""
        return found(queries.story_data(db, story_id, offset, limit), f"chuỗi sự kiện {story_id!r}")

    @r.get("/events")
    async def api_events(limit: int = Query(20, ge=1, le=500)) -> list[dict[str, Any]]:
        """The latest events (by date)."""
        return queries.latest_events(db, limit)

    @r.get("/events/{event_id}")
    async def api_event(event_id: str) -> dict[str, Any]:
        """One event: date, summary (each sentence with its source article), articles, copies."""
        return found(queries.event_data(db, event_id), f"sự kiện {event_id!r}")

    @r.get("/articles/{article_id:path}")
    async def api_article(article_id: str) -> dict[str, Any]:
        """One clean article with the lines removed from it and why."""
        return found(queries.article_data(db, article_id), f"bài báo {article_id!r}")

    @r.get("/search")
    async def api_search(
        q: str = "",
        date_from: str | None = Query(None, alias="from"),
        date_to: str | None = Query(None, alias="to"),
        source: str | None = None,
        page_no: int = Query(1, alias="page", ge=1, le=1000),
    ) -> dict[str, Any]:
        """Accent-insensitive search, phrases first; ``from``/``to`` keep articles published, or reporting
        an event dated, in the window (422 if not a date); snippet_html is escaped text with matches in
        <mark>."""
        try:
            res = queries.run_search(db, site.indexes, q, date_from, date_to, source or None, page_no)
        except _search.DateError as exc:
            raise HTTPException(422, str(exc)) from exc
        return {
            "query": res.query,
            "total": res.total,
            "message": res.message,
            "hits": [
                {
                    "id": h.id,
                    "title": h.title,
                    "source": h.source,
                    "published": h.published,
                    "score": h.score,
                    "exact": h.exact,
                    "snippet_html": h.snippet_html,
                }
                for h in res.hits
            ],
        }

    return r
