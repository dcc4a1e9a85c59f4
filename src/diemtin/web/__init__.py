"""The web UI over a store: server-rendered pages (Jinja2) and a JSON API under /api (FastAPI).

Every asset is served from this package (no CDN); every piece of article text is escaped by Jinja2's
autoescaping, and a Content-Security-Policy that allows only this site's own scripts backs that up.
"""

from __future__ import annotations

import asyncio
import gc
import os
import sqlite3
import threading
from collections import OrderedDict, deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import Any, TypeVar
from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, select_autoescape
from jinja2.filters import FILTERS as DEFAULT_FILTERS

from .. import report, store
from .. import search as _search

HERE = Path(__file__).resolve().parent
T = TypeVar("T")
STORY_PAGE = 100  # events per story page (its SVG timeline is 170 px per event)
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


class Db:
    """One read-only connection per worker thread (sqlite3 connections must not be shared)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.local = threading.local()

    def conn(self) -> sqlite3.Connection:
        c: sqlite3.Connection | None = getattr(self.local, "conn", None)
        if c is None:
            c = store.connect(self.path, readonly=True)
            self.local.conn = c
        return c

    def memo(self, name: str, compute: Callable[[sqlite3.Connection], T]) -> T:
        """``compute(conn)``, recomputed only when the store changed (per thread: data_version numbers
        are per connection). For whole-store aggregates: the outlets of the search form (a DISTINCT
        over every article) and the story list (a GROUP BY over every event) cost milliseconds."""
        c = self.conn()
        version = c.execute("PRAGMA data_version").fetchone()[0]
        memos: dict[str, tuple[int, Any]] = self.local.__dict__.setdefault("memos", {})
        hit = memos.get(name)
        if hit is None or hit[0] != version:
            hit = memos[name] = (version, compute(c))
        value: T = hit[1]
        return value


class SearchIndexes:
    """The server's in-memory search index (``search.SearchIndex``), kept in step with the store without
    stalling the event loop: when the store changes, a thread builds the new index (~1-2 s of CPU per
    10,000 articles, which in a handler would hold every request of the worker that long) while
    searches are ranked by FTS5, which reads the store as it is (the same results, a few ms dearer).

    Per thread, like ``Db.memo``: data_version numbers are per connection."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.local = threading.local()

    def _state(self) -> SimpleNamespace:
        # A plain object per thread, which the builder thread can fill in (a threading.local attribute
        # set from the builder would land in the builder's own view of it).
        state: SimpleNamespace | None = getattr(self.local, "state", None)
        if state is None:
            state = self.local.state = SimpleNamespace(index=None, version=None, builder=None, failed=None)
        return state

    def build_now(self, conn: sqlite3.Connection) -> None:
        """Build the index in this thread (start-up: before the first request)."""
        state, version = self._state(), _data_version(conn)
        state.index, state.version = _search.SearchIndex.build(conn), version

    def get(self, conn: sqlite3.Connection) -> _search.SearchIndex | None:
        """The index, or None while the one for the store as ``conn`` sees it is being built."""
        state = self._state()
        version = _data_version(conn)
        if state.version == version:
            index: _search.SearchIndex | None = state.index
            return index
        builder: threading.Thread | None = state.builder
        if (builder is None or not builder.is_alive()) and state.failed != version:
            state.builder = threading.Thread(
                target=self._build, args=(state, version), name="search-index", daemon=True
            )
            state.builder.start()
        return None

    def _build(self, state: SimpleNamespace, version: int) -> None:
        # Its own connection; the build reads one snapshot, at or after ``version`` (if the store changed
        # again meanwhile, the next request sees another version and starts another build).
        try:
            conn = store.connect(self.path, readonly=True)
            try:
                index = _search.SearchIndex.build(conn)
            finally:
                conn.close()
        except (sqlite3.Error, store.StoreError):
            state.failed = version  # FTS5 goes on answering; no rebuild loop on a broken store
            return
        state.index = index  # before the version: a reader that sees the version sees this index
        state.version = version


def _data_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA data_version").fetchone()[0])


_JINJA_URLENCODE = DEFAULT_FILTERS["urlencode"]


def _urlencode(value: Any) -> str:
    """Jinja's ``urlencode`` (a string is percent-encoded keeping "/", the same result), without its
    wrapper's cost on the string case: a search page quotes 20 article ids."""
    if isinstance(value, str):
        return quote(value, safe="/")
    return str(_JINJA_URLENCODE(value))


def _timeline_svg_points(events: list[dict[str, Any]]) -> dict[str, Any]:
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


class SecurityHeaders:
    """Pure ASGI middleware adding CSP and friends to every response (Starlette's BaseHTTPMiddleware
    costs about a millisecond a request, which shows under load)."""

    HEADERS: tuple[tuple[bytes, bytes], ...] = (
        (b"content-security-policy", CSP.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
    )

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *self.HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class Turns:
    """Pure ASGI middleware giving each request its own turn of the event loop, first come first served.

    Handlers are CPU work with no real wait in them, so the loop serves, in one iteration, every request
    that is ready: ~25 x 1.2 ms under 50 clients on 2 workers. uvloop (libuv >= 1.45) accepts one new
    connection per iteration, so a burst of new connections was accepted one per such round: the k-th
    waited k rounds for its first answer (0.4-0.9 s, the one-pass benchmark's p99). Here a request that
    finds another one running waits on a future, woken (next iteration) when the running one ends: an
    iteration is then one request, and new connections are accepted between requests. A handler that
    awaits real I/O keeps its turn while it waits: the handlers here only compute; static files (which
    await a thread for file reads) are not queued."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.busy = False
        self.waiting: deque[asyncio.Future[None]] = deque()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope.get("path", "").startswith("/static/"):
            await self.app(scope, receive, send)
            return
        if self.busy or self.waiting:
            turn = asyncio.get_running_loop().create_future()
            self.waiting.append(turn)
            try:
                await turn
            except asyncio.CancelledError:
                if turn.done() and not turn.cancelled():  # woken, then cancelled: pass the turn on
                    self._next()
                raise
        self.busy = True
        try:
            await self.app(scope, receive, send)
        finally:
            self._next()

    def _next(self) -> None:
        """End the current turn: wake the first live waiter (it runs in the next loop iteration), or stay
        busy until the next iteration, so that requests made ready in this one wait their turn."""
        while self.waiting:
            turn = self.waiting.popleft()
            if not turn.done():
                turn.set_result(None)  # stays busy: the turn passes straight to it
                return
        asyncio.get_running_loop().call_soon(self._idle)

    def _idle(self) -> None:
        if self.waiting:
            self._next()
        else:
            self.busy = False


class ResponseCache:
    """Pure ASGI middleware keeping whole successful GET responses in an LRU bounded in bytes, keyed by
    path and query string, and emptied whenever the store changes (``PRAGMA data_version``).

    The store is read-only to the server, so a page depends only on its URL and the store's contents;
    a hit costs tens of microseconds instead of milliseconds (search, home and story pages are the
    dear ones). Hand-written rather than a library: the bound is in bytes and the validity check is
    SQLite's data version, which no general-purpose cache offers.
    """

    PREFIXES = ("/api/", "/search", "/story/", "/event/", "/article/")
    MAX_ENTRY = 1 << 20  # bigger responses are not kept

    def __init__(self, app: Any, db_path: Path, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.size = 0
        self.entries: OrderedDict[tuple[str, bytes], tuple[int, list[Any], bytes]] = OrderedDict()
        # The event loop's own connection, used only to ask whether another connection has committed.
        self.conn = store.connect(db_path, readonly=True) if max_bytes > 0 else None
        self.version: int | None = None
        self.hits = self.misses = 0

    def _current(self) -> int:
        """The store's data version; everything is dropped if it changed since the last request."""
        assert self.conn is not None
        version = int(self.conn.execute("PRAGMA data_version").fetchone()[0])
        if version != self.version:
            self.entries.clear()
            self.size = 0
            self.version = version
        return version

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if (
            self.conn is None
            or scope.get("method") != "GET"
            or not (path == "/" or path.startswith(self.PREFIXES))
        ):
            await self.app(scope, receive, send)
            return
        version = self._current()
        key = (path, scope.get("query_string", b""))
        entry = self.entries.get(key)
        if entry is not None:
            self.hits += 1
            self.entries.move_to_end(key)
            status, headers, body = entry
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        self.misses += 1
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def keep(message: Any) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                # Not kept if the store changed while this response was being made.
                done = not message.get("more_body")
                if done and start.get("status") == 200 and self.version == version:
                    self._put(key, start, b"".join(chunks))
            await send(message)

        await self.app(scope, receive, keep)

    def _put(self, key: tuple[str, bytes], start: dict[str, Any], body: bytes) -> None:
        if len(body) > self.MAX_ENTRY:
            return
        self.entries[key] = (int(start["status"]), list(start.get("headers", [])), body)
        self.size += len(body)
        while self.size > self.max_bytes and self.entries:
            _, (_, _, old) = self.entries.popitem(last=False)
            self.size -= len(old)


def app_from_env() -> FastAPI:
    """Factory for ``uvicorn --workers N`` (each worker process builds its own app): the store and the
    cache size come from ``DIEMTIN_DB`` and ``DIEMTIN_CACHE_MB``."""
    return create_app(os.environ["DIEMTIN_DB"], cache_mb=float(os.environ.get("DIEMTIN_CACHE_MB", "64")))


def create_app(db_path: str | Path, cache_mb: float = 64) -> FastAPI:
    """The FastAPI application serving the store at ``db_path`` (opened read-only); ``cache_mb`` bounds
    the response cache (0: none)."""
    db = Db(Path(db_path))
    db.conn()  # fail now, with a clear message, if the store is missing or not a store

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # Build the search index before the first request rather than during it (in the event loop's
        # thread, where the handlers will find it); ``serve --workers N`` builds one per worker. The
        # templates (compiling one costs ~5 ms) and the whole-store memos are made now too.
        indexes.build_now(db.conn())
        db.memo("sources", _sources)
        db.memo("stories", _story_rows)
        db.memo("story_events", _story_events)
        latest_events()
        for name in env.list_templates():
            env.get_template(name)
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
        docs_url=None,  # Swagger UI and ReDoc load from a CDN: no /docs, the schema is at /api/openapi.json
        redoc_url=None,
    )
    # Templates ship with the package: no per-render check of their files (auto_reload) is needed.
    env = Environment(
        loader=PackageLoader("diemtin.web", "templates"),
        autoescape=select_autoescape(default=True),
        auto_reload=False,
    )
    env.filters["urlencode"] = _urlencode
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    # Added first, so it sits inside SecurityHeaders: cached responses get the headers too.
    app.add_middleware(ResponseCache, db_path=Path(db_path), max_bytes=int(cache_mb * (1 << 20)))
    app.add_middleware(SecurityHeaders)
    app.add_middleware(Turns)  # outermost: one request per loop iteration (see Turns)

    def page(name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        return HTMLResponse(env.get_template(name).render(**ctx), status_code=status)

    # ---------------------------------------------------------------- data (shared by pages and API)

    indexes = SearchIndexes(Path(db_path))

    def search_index() -> _search.SearchIndex | None:
        return indexes.get(db.conn())

    def _sources(c: sqlite3.Connection) -> list[str]:
        return list(store.sources(c))

    def story_list() -> list[dict[str, Any]]:
        return [dict(r) for r in db.memo("stories", _story_rows)]

    def _story_rows(c: sqlite3.Connection) -> list[dict[str, Any]]:
        rows = c.execute(
            "SELECT s.id, s.title, count(se.event) AS n, min(e.date) AS first, max(e.date) AS last"
            " FROM stories s LEFT JOIN story_events se ON se.story = s.id"
            " LEFT JOIN events e ON e.id = se.event GROUP BY s.id ORDER BY s.pos"
        ).fetchall()
        return [dict(r) for r in rows]

    def latest_events(limit: int = 20) -> list[dict[str, Any]]:
        if limit == 20:  # the home page's: a sort over every event (~2 ms), made once per data version
            return db.memo("latest", lambda c: _latest_events(c, 20))
        return _latest_events(db.conn(), limit)

    def _latest_events(c: sqlite3.Connection, limit: int) -> list[dict[str, Any]]:
        rows = c.execute(
            "SELECT id, title, date, date_start, date_end, sources FROM events"
            " ORDER BY date IS NULL, date DESC, pos LIMIT ?",
            (limit,),
        )
        return [
            {
                "id": r["id"],
                "title": r["title"],
                "date": r["date"],
                "when": report.when_text(r["date"], r["date_start"], r["date_end"]),
                "sources": store._json_list(r["sources"]),
            }
            for r in rows
        ]

    def article_brief(ids: list[str]) -> dict[str, dict[str, Any]]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = db.conn().execute(
            f"SELECT id, title, source, published, url FROM articles WHERE id IN ({marks})", ids
        )
        return {r["id"]: dict(r) for r in rows}

    def story_data(story_id: str, offset: int = 0, limit: int | None = None) -> dict[str, Any]:
        """The story with ``total`` (its number of events) and the events ``offset`` to ``offset + limit``
        (all by default) in timeline order."""
        c = db.conn()
        s = c.execute("SELECT id, title FROM stories WHERE id = ?", (story_id,)).fetchone()
        if s is None:
            raise HTTPException(404, f"no story {story_id!r}")
        evs = db.memo("story_events", _story_events).get(story_id, [])
        end = len(evs) if limit is None else offset + limit
        return {"id": s["id"], "title": s["title"], "total": len(evs), "events": evs[offset:end]}

    def _story_events(c: sqlite3.Connection) -> dict[str, list[dict[str, Any]]]:
        """Every story's events in timeline order, made once per data version (at start-up, then on the first
        request after a change): a story can hold thousands of events (8,500 of the 10k-article load
        store's), ~50 ms to join, decode and sort, which each page of it would otherwise pay."""
        out: dict[str, list[dict[str, Any]]] = {}
        # One join rather than load_event per event. The digest's timeline order (timeline.order_events:
        # dates and honest ranges placed by what is known), then the story's own order; ordering by the
        # exact date alone put every event with only a range ("2017-04-03 – 2026-06-30") last.
        rows = c.execute(
            "SELECT se.story, e.id, e.title, e.date, e.date_start, e.date_end, e.sources FROM story_events se"
            " JOIN events e ON e.id = se.event"
            " ORDER BY se.story, e.timeline_pos IS NULL, e.timeline_pos, e.date IS NULL, e.date, se.pos"
        )
        for story, eid, title, date, lo, hi, sources in rows:
            out.setdefault(story, []).append(
                {
                    "id": eid,
                    "title": title,
                    "date": date,
                    "date_range": [lo, hi],
                    "when": report.when_text(date, lo, hi),
                    "sources": store._json_list(sources),
                }
            )
        return out

    def event_data(event_id: str) -> dict[str, Any]:
        e = store.load_event(db.conn(), event_id)
        if e is None:
            raise HTTPException(404, f"no event {event_id!r}")
        arts = article_brief(e.articles + [s.article for s in e.summary])
        story = db.conn().execute("SELECT story FROM story_events WHERE event = ?", (event_id,)).fetchone()
        return {
            "id": e.id,
            "title": e.title,
            "date": e.date,
            "date_range": list(e.date_range),
            "date_evidence": e.date_evidence,
            "sources": e.sources,
            "story": story[0] if story else None,
            "summary": [{"text": s.text, "article": s.article} for s in e.summary],
            "articles": [arts[a] for a in e.articles if a in arts],
            "also_published_by": [
                {"article": arts.get(c, {"id": c}), "copies": [arts.get(x, {"id": x}) for x in copies]}
                for c, copies in e.also_published_by.items()
            ],
        }

    def article_data(article_id: str) -> dict[str, Any]:
        c = db.conn()
        a = store.get_article(c, article_id)
        if a is None:
            raise HTTPException(404, f"no article {article_id!r}")
        events = [
            dict(r)
            for r in c.execute(
                "SELECT e.id, e.title FROM event_articles ea JOIN events e ON e.id = ea.event"
                " WHERE ea.article = ?",
                (article_id,),
            )
        ]
        return {
            "id": a.id,
            "title": a.title,
            "source": a.source,
            "published": a.published,
            "url": a.url,
            "path": a.path,
            "paragraphs": a.paragraphs,
            "credits": a.credits,
            "removed": [{"text": r.text, "reason": r.reason} for r in a.removed],
            "events": events,
        }

    def run_search(
        q: str, date_from: str | None, date_to: str | None, source: str | None, page_no: int
    ) -> _search.Results:
        try:
            res = _search.search(
                db.conn(), q, date_from=date_from, date_to=date_to, source=source, limit=20,
                offset=(page_no - 1) * 20, index=search_index(),
            )  # fmt: skip
        except _search.QueryError as exc:
            return _search.Results(q, 0, message=str(exc))
        return res

    # ---------------------------------------------------------------- pages
    # Handlers are async: each is a few milliseconds of CPU under the GIL, so a thread pool would only
    # add a hand-off per request (FastAPI runs plain ``def`` handlers in threads).

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def home() -> HTMLResponse:
        return page("home.html.j2", stories=story_list(), events=latest_events())

    @app.get("/story/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    async def story_page(story_id: str, page_no: int = Query(1, alias="page", ge=1)) -> HTMLResponse:
        # One page of STORY_PAGE events (timeline and list): a story of 8,500 events on one page took
        # ~0.5 s to render (a 1.4-million-pixel SVG), blocking every other request of the worker.
        s = story_data(story_id, (page_no - 1) * STORY_PAGE, STORY_PAGE)
        pages = max(1, -(-s["total"] // STORY_PAGE))
        if page_no > pages:
            raise HTTPException(404, f"story {story_id!r} has {pages} page(s)")
        return page(
            "story.html.j2", story=s, svg=_timeline_svg_points(s["events"]), page_no=page_no, pages=pages,
            first=(page_no - 1) * STORY_PAGE + 1,
        )  # fmt: skip

    @app.get("/event/{event_id}", response_class=HTMLResponse, include_in_schema=False)
    async def event_page(event_id: str) -> HTMLResponse:
        return page("event.html.j2", event=event_data(event_id))

    @app.get("/article/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    async def article_page(article_id: str) -> HTMLResponse:
        return page("article.html.j2", article=article_data(article_id))

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
            raise HTTPException(422, "page: expected a number from 1 to 1000")
        res = run_search(q, date_from or None, date_to or None, source or None, page_no)
        return page(
            "search.html.j2", q=q, res=res, date_from=date_from, date_to=date_to, source=source,
            sources=db.memo("sources", _sources), page_no=page_no,
        )  # fmt: skip

    app.router.add_route("/search", search_page, methods=["GET"], include_in_schema=False)

    @app.exception_handler(HTTPException)
    async def not_found(request: Request, exc: HTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        return page("error.html.j2", status=exc.status_code, message=str(exc.detail))

    # ---------------------------------------------------------------- JSON API

    @app.get("/api/stories", tags=["api"])
    async def api_stories() -> list[dict[str, Any]]:
        """Every story with its number of events and date span."""
        return story_list()

    @app.get("/api/stories/{story_id}", tags=["api"])
    async def api_story(
        story_id: str, offset: int = Query(0, ge=0), limit: int | None = Query(None, ge=1)
    ) -> dict[str, Any]:
        """One story, its number of events (total) and its events in timeline order (all of them, or
        ``limit`` from ``offset``)."""
        return story_data(story_id, offset, limit)

    @app.get("/api/events", tags=["api"])
    async def api_events(limit: int = Query(20, ge=1, le=500)) -> list[dict[str, Any]]:
        """The latest events (by date)."""
        return latest_events(limit)

    @app.get("/api/events/{event_id}", tags=["api"])
    async def api_event(event_id: str) -> dict[str, Any]:
        """One event: date, summary (each sentence with its source article), articles, copies."""
        return event_data(event_id)

    @app.get("/api/articles/{article_id}", tags=["api"])
    async def api_article(article_id: str) -> dict[str, Any]:
        """One clean article with the lines removed from it and why."""
        return article_data(article_id)

    @app.get("/api/search", tags=["api"])
    async def api_search(
        q: str = "",
        date_from: str | None = Query(None, alias="from"),
        date_to: str | None = Query(None, alias="to"),
        source: str | None = None,
        page_no: int = Query(1, alias="page", ge=1, le=1000),
    ) -> dict[str, Any]:
        """Accent-insensitive search; snippet_html is escaped text with matches in <mark>."""
        res = run_search(q, date_from, date_to, source or None, page_no)
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

    return app
