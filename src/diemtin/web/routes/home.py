"""The front page: stories and the latest events."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from .. import queries
from ..site import Site

TOP = 12  # stories shown whole (summary, latest events); the rest are listed by title


def router(site: Site) -> APIRouter:
    r = APIRouter()

    # Handlers are async: each is a few milliseconds of CPU under the GIL, so a thread pool would only
    # add a hand-off per request (FastAPI runs plain ``def`` handlers in threads).
    @r.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def home() -> HTMLResponse:
        stories = queries.front_page(site.db)
        return site.page(
            "home.html.j2", top=stories[:TOP], rest=stories[TOP:], events=queries.latest_events(site.db)
        )

    return r
