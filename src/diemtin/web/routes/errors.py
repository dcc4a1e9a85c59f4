"""Errors: an HTML page for a page, JSON under /api."""

from __future__ import annotations

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse, Response

from ..site import Site


def install(app: FastAPI, site: Site) -> None:
    """Adds the error handlers to ``app``."""

    @app.exception_handler(HTTPException)
    async def not_found(request: Request, exc: HTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        return site.page("error.html.j2", status=exc.status_code, message=str(exc.detail))
