"""The search page."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from ... import search as _search
from .. import queries
from ..site import Site


def router(site: Site) -> APIRouter:
    r = APIRouter()

    async def search_page(request: Request) -> HTMLResponse:
        # A plain Starlette route (not in the API schema): FastAPI's validation of five query parameters
        # cost ~0.1 ms of a search page's ~1.2 ms. Same parameters and checks as /api/search.
        params = request.query_params
        q, date_from, date_to = params.get("q", ""), params.get("from") or "", params.get("to") or ""
        source = params.get("source") or ""
        try:
            page_no = int(params.get("page") or 1)
        except ValueError:
            page_no = 0
        if not 1 <= page_no <= 1000:
            raise HTTPException(422, "Số trang (page) phải là một số từ 1 đến 1000.")
        status = 200
        try:
            res = queries.run_search(
                site.db, site.indexes, q, date_from or None, date_to or None, source or None, page_no
            )
        except _search.DateError as exc:  # the form again, with the message, as the API's 422
            res, status = _search.Results(q, 0, message=str(exc)), 422
        return site.page(
            "search.html.j2", status, q=q, res=res, date_from=date_from, date_to=date_to, source=source,
            sources=site.db.memo("sources", queries.sources), page_no=page_no,
        )  # fmt: skip

    r.add_route("/search", search_page, methods=["GET"], include_in_schema=False)
    return r
