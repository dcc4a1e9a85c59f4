"""Pure ASGI middleware of the web server: security headers, one request per event-loop turn, and the
response cache. Pure ASGI rather than Starlette's BaseHTTPMiddleware, which costs about a millisecond a
request (it shows under load)."""

from __future__ import annotations

import asyncio
from collections import OrderedDict, deque
from pathlib import Path
from typing import Any

from .. import store

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


class SecurityHeaders:
    """Adds CSP and friends to every response."""

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


class HeadAsGet:
    """Answers HEAD as GET without the body (FastAPI's routes answer GET only, and HEAD got 405): the
    status and headers, Content-Length included, are the GET response's."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_head(message: Any) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return  # swallow the body; only its last message ends the response
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_head)


# Host names a browser uses for this machine: the server answers only requests naming one of them by
# default, so that a web page from elsewhere cannot read the API through a DNS name rebound to
# 127.0.0.1 (DNS rebinding); ``diemtin serve --allowed-host`` adds names.
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1", "[::1]")


class Turns:
    """Gives each request its own turn of the event loop, first come first served.

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
    """Keeps whole successful GET responses in an LRU bounded in bytes, keyed by path and query string,
    and emptied whenever the store changes (``PRAGMA data_version``).

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
