"""The server's read-only view of the store: one SQLite connection per worker thread, whole-store memos
kept per data version, and the in-memory search index kept in step with the store."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any, TypeVar

from .. import search as _search
from .. import store

T = TypeVar("T")


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
        state, version = self._state(), data_version(conn)
        state.index, state.version = _search.SearchIndex.build(conn), version

    def get(self, conn: sqlite3.Connection) -> _search.SearchIndex | None:
        """The index, or None while the one for the store as ``conn`` sees it is being built."""
        state = self._state()
        version = data_version(conn)
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


def data_version(conn: sqlite3.Connection) -> int:
    """SQLite's counter of commits by other connections, as this connection sees it."""
    return int(conn.execute("PRAGMA data_version").fetchone()[0])
