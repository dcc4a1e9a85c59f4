"""An article's page: the clean text, and the lines removed from it on demand."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from .. import queries
from ..site import Site, found


def router(site: Site) -> APIRouter:
    r = APIRouter()

    @r.get("/article/{article_id:path}", response_class=HTMLResponse, include_in_schema=False)
    async def article_page(article_id: str) -> HTMLResponse:
        a = found(queries.article_data(site.db, article_id), f"bài báo {article_id!r}")
        return site.page("article.html.j2", article=a)

    return r
