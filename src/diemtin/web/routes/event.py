"""An event's page: its summary (each sentence linked to its article), articles and copies."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from .. import queries
from ..site import Site, found


def router(site: Site) -> APIRouter:
    r = APIRouter()

    @r.get("/event/{event_id}", response_class=HTMLResponse, include_in_schema=False)
    async def event_page(event_id: str) -> HTMLResponse:
        e = found(queries.event_data(site.db, event_id), f"sự kiện {event_id!r}")
        return site.page("event.html.j2", event=e)

    return r
