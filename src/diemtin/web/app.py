"""Wires the web server: the store, the search index, templates, middleware and the routers."""

from __future__ import annotations

import gc
import os
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.trustedhost import TrustedHostMiddleware

from . import queries
from .db import Db, SearchIndexes
from .middleware import HeadAsGet, ResponseCache, SecurityHeaders, Turns
from .routes import api, article, docs, errors, event, home, search, story
from .site import Site, templates

HERE = Path(__file__).resolve().parent


def app_from_env() -> FastAPI:
    """Factory for ``uvicorn --workers N`` (each worker process builds its own app): the store, the
    cache size and the allowed Host names come from ``DIEMTIN_DB``, ``DIEMTIN_CACHE_MB`` and
    ``DIEMTIN_ALLOWED_HOSTS`` (comma-separated)."""
    hosts = os.environ.get("DIEMTIN_ALLOWED_HOSTS")
    return create_app(
        os.environ["DIEMTIN_DB"],
        cache_mb=float(os.environ.get("DIEMTIN_CACHE_MB", "64")),
        allowed_hosts=hosts.split(",") if hosts else None,
    )


def create_app(
    db_path: str | Path, cache_mb: float = 64, allowed_hosts: Sequence[str] | None = None
) -> FastAPI:
    """The FastAPI application serving the store at ``db_path`` (opened read-only); ``cache_mb`` bounds
    the response cache (0: none). ``allowed_hosts``: the Host header names answered (others get 400;
    ``diemtin serve`` passes the loopback names by default); None answers any."""
    db = Db(Path(db_path))
    db.conn()  # fail now, with a clear message, if the store is missing or not a store
    site = Site(db=db, indexes=SearchIndexes(Path(db_path)), env=templates())

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # Build the search index before the first request rather than during it (in the event loop's
        # thread, where the handlers will find it); ``serve --workers N`` builds one per worker. The
        # templates (compiling one costs ~5 ms) and the whole-store memos are made now too.
        site.indexes.build_now(db.conn())
        db.memo("sources", queries.sources)
        db.memo("stories", queries.story_rows)
        db.memo("story_events", queries.story_events)
        queries.latest_events(db)
        queries.front_page(db)
        for name in site.env.list_templates():
            site.env.get_template(name)
        # The ~130,000 objects of start-up (FastAPI, pydantic, scikit-learn...) live as long as the
        # process: out of the collector's sight, a full collection no longer walks them. Each one had
        # paused the event loop for 60-95 ms, under load a p99 of its own.
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            gc.unfreeze()

    app = FastAPI(
        lifespan=lifespan,
        title="diemtin",
        description="Vietnamese news digest: events, stories, summaries and search.",
        openapi_url="/api/openapi.json",
        # Swagger UI and ReDoc load from a CDN: not served; /api/docs is this site's own page (routes.docs).
        docs_url=None,
        redoc_url=None,
    )
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    # Added first, so it sits inside SecurityHeaders: cached responses get the headers too.
    app.add_middleware(ResponseCache, db_path=Path(db_path), max_bytes=int(cache_mb * (1 << 20)))
    app.add_middleware(SecurityHeaders)
    app.add_middleware(Turns)  # one request per loop iteration (see Turns)
    app.add_middleware(HeadAsGet)
    if allowed_hosts is not None:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))  # outermost

    for family in (home, story, event, article, search, api):
        app.include_router(family.router(site))
    app.include_router(docs.router(site, app.openapi))
    errors.install(app, site)
    return app
