"""SQLite store: articles, removed lines, duplicates, events, stories and summaries in one file.

Ingest is incremental and idempotent: every input file is tracked by path and content hash, each file is
written in its own transaction, and the corpus stages (duplicates, events, stories, summaries) are then
recomputed from the stored articles and swapped in one transaction. A ``derived_dirty`` flag, set in the
same transaction as any article change and cleared with the derived tables, makes a run killed at any
point (SIGKILL included) converge to the same store when it is run again: WAL journaling keeps the file
consistent, and the flag says the derived tables still have to be brought up to date.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from pathlib import Path

from . import cache as memo
from . import clean, pipeline
from . import ingest as reader
from .models import (
    Article,
    DateAnchor,
    Digest,
    DuplicateGroup,
    Event,
    RemovedLine,
    Skipped,
    Story,
    SummarySentence,
)
from .text import fold_diacritics, fold_lookalikes

# Ordered migrations: migration i (0-based) brings the schema from user_version i to i + 1. Never edit a
# released migration; append a new one.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE inputs (
        path TEXT PRIMARY KEY,
        hash TEXT NOT NULL,
        articles INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE articles (
        rowid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        input TEXT NOT NULL REFERENCES inputs(path) ON DELETE CASCADE,
        ord INTEGER NOT NULL,
        path TEXT NOT NULL,
        title TEXT NOT NULL,
        text TEXT NOT NULL,
        source TEXT,
        published TEXT,
        url TEXT,
        credits TEXT NOT NULL DEFAULT '[]',
        lead TEXT
    );
    CREATE INDEX articles_input ON articles(input, ord);
    CREATE INDEX articles_published ON articles(published);
    CREATE INDEX articles_source ON articles(source COLLATE NOCASE);
    CREATE TABLE removed (
        article INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE,
        pos INTEGER NOT NULL,
        text TEXT NOT NULL,
        reason TEXT NOT NULL,
        PRIMARY KEY (article, pos)
    );
    -- Title and text as written (exact matches) and folded ("điện đàm" -> "dien dam") for
    -- accent-insensitive search; rowid = articles.rowid.
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, title_f, text_f, tokenize = 'unicode61 remove_diacritics 0'
    );
    CREATE TABLE duplicate_groups (
        id INTEGER PRIMARY KEY,
        canonical TEXT NOT NULL,
        credits TEXT NOT NULL DEFAULT '{}'
    );
    CREATE TABLE duplicates (
        grp INTEGER NOT NULL REFERENCES duplicate_groups(id) ON DELETE CASCADE,
        pos INTEGER NOT NULL,
        article TEXT NOT NULL,
        PRIMARY KEY (grp, pos)
    );
    CREATE TABLE events (
        id TEXT PRIMARY KEY,
        pos INTEGER NOT NULL,
        title TEXT NOT NULL,
        date TEXT,
        date_start TEXT,
        date_end TEXT,
        date_evidence TEXT,
        sources TEXT NOT NULL DEFAULT '[]',
        timeline_pos INTEGER
    );
    CREATE INDEX events_date ON events(date);
    CREATE TABLE event_articles (
        event TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        pos INTEGER NOT NULL,
        article TEXT NOT NULL,
        PRIMARY KEY (event, pos)
    );
    CREATE INDEX event_articles_article ON event_articles(article);
    CREATE TABLE also_published (
        event TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        canonical TEXT NOT NULL,
        pos INTEGER NOT NULL,
        copy TEXT NOT NULL,
        PRIMARY KEY (event, canonical, pos)
    );
    CREATE TABLE summaries (
        event TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        pos INTEGER NOT NULL,
        text TEXT NOT NULL,
        article TEXT NOT NULL,
        PRIMARY KEY (event, pos)
    );
    CREATE TABLE stories (
        id TEXT PRIMARY KEY,
        pos INTEGER NOT NULL,
        title TEXT NOT NULL
    );
    CREATE TABLE story_events (
        story TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
        pos INTEGER NOT NULL,
        event TEXT NOT NULL,
        PRIMARY KEY (story, pos)
    );
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    INSERT INTO meta VALUES ('derived_dirty', '0');
    """,
    # 2: BM25 as the FTS5 table's rank (weights title, text, title_f, text_f): ORDER BY rank is ranked
    # inside FTS5, about a third faster than calling bm25() per row from SQL.
    """
    INSERT INTO articles_fts (articles_fts, rank) VALUES ('rank', 'bm25(0.0, 0.0, 3.0, 1.0)');
    """,
    # 3: an event's kind (report or commentary) and a story's two-sentence summary. Stored digests
    # made before lack both: marked dirty, so the next ingest recomputes them.
    """
    ALTER TABLE events ADD COLUMN kind TEXT NOT NULL DEFAULT 'report';
    CREATE TABLE story_summaries (
        story TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
        pos INTEGER NOT NULL,
        text TEXT NOT NULL,
        article TEXT NOT NULL,
        PRIMARY KEY (story, pos)
    );
    UPDATE meta SET value = '1' WHERE key = 'derived_dirty' AND EXISTS (SELECT 1 FROM stories);
    """,
    # 4: ``given``, the id an article's input gave it (or its content id): two inputs may give the same
    # one, and ``_rekey`` then decides which keeps it, whatever the order they came in. ``generation``
    # counts article changes, so that a refresh computed from an older snapshot is not committed.
    """
    ALTER TABLE articles ADD COLUMN given TEXT;
    UPDATE articles SET given = id;
    CREATE INDEX articles_given ON articles(given);
    INSERT OR IGNORE INTO meta VALUES ('generation', '0');
    """,
    # 5: the dates each input carries about an article (``Article.anchors``, JSON), an event's full date
    # reasoning (``date_evidence`` is now its one-line summary) and its day known without the year.
    # Stored digests made before lack them: marked dirty, so the next ingest recomputes them.
    """
    ALTER TABLE articles ADD COLUMN anchors TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE events ADD COLUMN date_reasoning TEXT;
    ALTER TABLE events ADD COLUMN day TEXT;
    UPDATE meta SET value = '1' WHERE key = 'derived_dirty' AND EXISTS (SELECT 1 FROM events);
    """,
    # 6: whether an article's title is its body's first sentence (``Article.title_derived``: the input had
    # none), so that pages read from the store mark it as the reports do. Articles stored before were
    # read with their input's title line, or a derived title not recorded as such: 0 until re-ingested.
    """
    ALTER TABLE articles ADD COLUMN title_derived INTEGER NOT NULL DEFAULT 0;
    """,
    # 7: results of per-article and per-event work (``cache``: signatures, dates, event summaries and
    # story signals) under keys hashing their inputs and the code version, reused by the next refresh.
    """
    CREATE TABLE cache (
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        value BLOB NOT NULL,
        PRIMARY KEY (kind, key)
    );
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
DERIVED_TABLES = ("summaries", "also_published", "event_articles", "story_summaries", "story_events",
                  "stories", "events", "duplicates", "duplicate_groups")  # fmt: skip


class StoreError(ValueError):
    """A store file that cannot be used; the message names it and says why."""


class _FoldTable(dict[int, str]):
    """``str.translate`` table folding one character at a time, filled on first sight of a character
    (a lazily built table: translate() is ~50x faster than folding each character in Python)."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        f = fold_diacritics(ch)
        # Keep one character per character, so offsets in the folded text are offsets in the original.
        self[code] = out = f if len(f) == 1 else ch
        return out


_FOLD = _FoldTable()


def fold_aligned(text: str) -> str:
    """``fold_diacritics`` character by character, so offsets in the result are offsets in ``text``."""
    return text.translate(_FOLD)


def connect(db: str | Path, readonly: bool = False) -> sqlite3.Connection:
    """Open (creating and migrating when writable) a store; autocommit mode, transactions are explicit."""
    path = Path(db)
    if readonly:
        if path.is_dir():
            raise StoreError(f"{db}: is a folder, not a store file")
        if not path.is_file():
            raise StoreError(f"{db}: no such store (create it with `diemtin ingest PATH --db {db}`)")
        conn = sqlite3.connect(
            f"file:{path}?mode=ro", uri=True, isolation_level=None, check_same_thread=False
        )
    else:
        if path.is_dir():
            raise StoreError(f"{db}: is a folder; give a store file (e.g. {path / 'diemtin.db'})")
        if not path.parent.is_dir():
            raise StoreError(f"{db}: folder {path.parent} does not exist")
        try:
            conn = sqlite3.connect(str(path), isolation_level=None, timeout=30)
        except sqlite3.Error as exc:
            raise StoreError(f"{db}: cannot open ({exc})") from exc
    conn.row_factory = sqlite3.Row
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        if not readonly:
            conn.execute("PRAGMA journal_mode = WAL")
            # NORMAL in WAL mode: a commit appends to the WAL without an fsync (the WAL is synced at
            # checkpoints). A killed process loses nothing committed and the file stays consistent; a
            # power cut may lose the last commits, never consistency. FULL cost an fsync per input file
            # (~10 ms each: 1,000 one-article files took 13 s instead of 3 s).
            conn.execute("PRAGMA synchronous = NORMAL")
            migrate(conn)
        else:
            # Readers (search, the web server) keep more of the FTS index in their own page cache:
            # 32 MiB instead of SQLite's 2 MiB made searches on a 10,000-article store ~10 % cheaper.
            conn.execute("PRAGMA cache_size = -32768")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version != SCHEMA_VERSION:
                raise StoreError(f"{db}: schema version {version}, expected {SCHEMA_VERSION} (run ingest)")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(f"{db}: not a diemtin store ({exc})") from exc
    except StoreError:
        conn.close()
        raise
    return conn


def migrate(conn: sqlite3.Connection) -> int:
    """Apply the migrations the file lacks, each in its own transaction with its version bump."""
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise StoreError(f"store schema version {version} is newer than this diemtin ({SCHEMA_VERSION})")
    for i in range(version, SCHEMA_VERSION):
        # user_version lives in the file header and is written inside the transaction: a crash leaves
        # either the old schema and version or the new ones.
        conn.executescript(f"BEGIN IMMEDIATE;\n{MIGRATIONS[i]}\nPRAGMA user_version = {i + 1};\nCOMMIT;")
    return SCHEMA_VERSION


def file_hash(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


@dataclass(slots=True)
class IngestResult:
    """What one ``ingest`` call did."""

    added: list[str] = field(default_factory=list)  # input paths new to the store
    updated: list[str] = field(default_factory=list)  # input paths whose content changed
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # stored input paths whose file is gone
    skipped: list[Skipped] = field(default_factory=list)
    articles: int = 0  # articles in the store afterwards
    stored: int = 0  # articles written by this call
    events: int = 0
    stories: int = 0
    derived: bool = False  # whether the derived tables were recomputed
    # Per kind of cached work (signature, date, event): (results taken from the store's cache, asked).
    reused: dict[str, tuple[int, int]] = field(default_factory=dict)


def _insert_article(conn: sqlite3.Connection, a: Article, input_path: str, ord_: int) -> str:
    """Insert one article under its given id (or, while another input holds that id, a placeholder id
    that ``_rekey`` replaces); returns the given id."""
    taken = conn.execute("SELECT 1 FROM articles WHERE id = ?", (a.id,)).fetchone() is not None
    cur = conn.execute(
        "INSERT INTO articles (id, input, ord, path, title, text, source, published, url, credits, lead,"
        " given, anchors, title_derived) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        # "\x00\x01" + id: unique among placeholders, since one file's given ids are unique.
        (f"{_PLACEHOLDER}\x01{a.id}" if taken else a.id, input_path, ord_, a.path, a.title, a.text,
         a.source, a.published, a.url, json.dumps(a.credits, ensure_ascii=False), a.lead, a.id,
         json.dumps([asdict(x) for x in a.anchors], ensure_ascii=False), int(a.title_derived)),
    )  # fmt: skip
    rowid = cur.lastrowid
    conn.executemany(
        "INSERT INTO removed (article, pos, text, reason) VALUES (?, ?, ?, ?)",
        [(rowid, i, r.text, r.reason) for i, r in enumerate(a.removed)],
    )
    # The search columns fold lookalike letters ("Сhuyên" with a Cyrillic С is searched as "Chuyên"),
    # one character for one, so offsets in them are still offsets in the article's text.
    title, text = fold_lookalikes(a.title), fold_lookalikes(a.text)
    conn.execute(
        "INSERT INTO articles_fts (rowid, title, text, title_f, text_f) VALUES (?, ?, ?, ?, ?)",
        (rowid, title, text, fold_aligned(title), fold_aligned(text)),
    )
    return a.id


# Ids never hold control characters (``ingest.clean_id`` drops them), so a placeholder starting with
# NUL cannot collide with a real id.
_PLACEHOLDER = "\x00"


def _qualified(given: str, input_path: str, ord_: int) -> str:
    """The id of an article whose given id another input's article holds: the given id and a short hash
    of where it is (input path and position), the same whichever file was ingested first."""
    where = hashlib.sha1(f"{input_path}\0{ord_}".encode("utf-8", "surrogatepass")).hexdigest()
    return f"{given}~{where[:8]}"


def _rekey(conn: sqlite3.Connection, givens: Iterable[str]) -> None:
    """Give each article of these given ids its final id (caller holds the transaction): of the articles
    sharing one given id, the first by input path and position keeps it, the others get ``_qualified``
    ids. A function of what is stored, not of the order files were ingested in; when the holder of an
    id leaves (its file deleted or changed), the next in line takes the plain id back."""
    for given in sorted(set(givens)):
        rows = conn.execute(
            "SELECT rowid, input, ord, id FROM articles WHERE given = ? ORDER BY input, ord", (given,)
        ).fetchall()
        want = [(r[0], given if i == 0 else _qualified(given, r[1], r[2])) for i, r in enumerate(rows)]
        moves = [(rowid, new) for (rowid, new), r in zip(want, rows, strict=True) if r[3] != new]
        # Out of the way first (placeholders are unique: NUL + rowid), then to the final ids.
        conn.executemany(
            "UPDATE articles SET id = ? WHERE rowid = ?", [(f"{_PLACEHOLDER}{rid}", rid) for rid, _ in moves]
        )
        for rowid, new in moves:
            final = new
            while conn.execute("SELECT 1 FROM articles WHERE id = ?", (final,)).fetchone() is not None:
                # Another article's given id is this qualified id (crafted, or a coincidence): lengthen it.
                final += "~" + hashlib.sha1(final.encode("utf-8", "surrogatepass")).hexdigest()[:4]
            conn.execute("UPDATE articles SET id = ? WHERE rowid = ?", (final, rowid))


def _delete_input(conn: sqlite3.Connection, input_path: str) -> list[str]:
    """Remove an input and its articles (caller holds the transaction); returns their given ids."""
    rows = conn.execute("SELECT rowid, given FROM articles WHERE input = ?", (input_path,)).fetchall()
    conn.executemany("DELETE FROM articles_fts WHERE rowid = ?", [(r[0],) for r in rows])
    conn.execute("DELETE FROM inputs WHERE path = ?", (input_path,))  # cascades to articles, removed
    return [r[1] for r in rows]


def _articles_changed(conn: sqlite3.Connection) -> None:
    """Mark the derived tables out of date and count a new generation of articles (caller holds the
    transaction): a refresh computed from an older generation is not committed."""
    conn.execute("UPDATE meta SET value = '1' WHERE key = 'derived_dirty' AND value != '1'")
    conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")


def read_clean(key: str) -> tuple[list[Article], list[Skipped]]:
    """Read and clean one input file (the per-file work that can run in another process)."""
    docs, skipped = pipeline.read([key])
    articles, empty = pipeline.drop_empty(clean.clean_documents(docs))
    return articles, skipped + empty


def ingest_file(
    conn: sqlite3.Connection,
    path: Path,
    digest_hash: str,
    result: IngestResult,
    prepared: tuple[list[Article], list[Skipped]] | None = None,
    as_of: date | None = None,
    mtime: bool = False,
) -> None:
    """Read, clean and store one input file in one transaction (replacing its previous articles);
    ``prepared`` is ``read_clean(str(path))`` when that was done elsewhere. ``as_of`` (the day this
    batch was crawled) is kept with each of its articles as a ``crawled`` anchor: a later ingest of
    another batch does not change what this one's as-of says."""
    key = reader.display_name(path)  # a file name that is not UTF-8 is stored with \xNN escapes
    articles, skipped = prepared if prepared is not None else read_clean(str(path))
    result.skipped.extend(skipped)
    for a in articles:
        if not a.id:
            a.id = reader.content_id(a.title, a.text)
        if as_of is not None:
            a.anchors.append(DateAnchor("crawled", "--as-of", as_of.isoformat()))
        if mtime and (anchor := reader.mtime_anchor(key)) is not None:
            a.anchors.append(anchor)
    conn.execute("BEGIN IMMEDIATE")
    try:
        existed = conn.execute("SELECT 1 FROM inputs WHERE path = ?", (key,)).fetchone() is not None
        givens = _delete_input(conn, key)
        conn.execute("INSERT INTO inputs (path, hash) VALUES (?, ?)", (key, digest_hash))
        # Every article is stored, also one whose id another file gives too (another article, or a copy
        # of the same one: dedup groups copies): ``_rekey`` names them in an order-independent way, and
        # removing one of them from its file never loses the other.
        givens += [_insert_article(conn, a, key, i) for i, a in enumerate(articles)]
        stored = len(articles)
        _rekey(conn, givens)
        conn.execute("UPDATE inputs SET articles = ? WHERE path = ?", (stored, key))
        _articles_changed(conn)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    result.stored += stored
    (result.updated if existed else result.added).append(key)


def _prepared(keys: list[str], jobs: int) -> Iterator[tuple[list[Article], list[Skipped]] | None]:
    """``read_clean`` of each key, in order: in worker processes when ``jobs`` > 1 (reading and
    cleaning are about 60 % of the per-file CPU, the SQLite writes stay in this process), else ``None``
    (done inline by ``ingest_file``)."""
    if jobs <= 1 or len(keys) < 2:
        yield from (None for _ in keys)
        return
    from .executors import exit_with_parent

    with ProcessPoolExecutor(jobs, initializer=exit_with_parent, initargs=(os.getpid(),)) as pool:
        yield from pool.map(read_clean, keys, chunksize=8)


def ingest(
    db: str | Path,
    paths: Iterable[str],
    options: pipeline.Options | None = None,
    on_file: Callable[[str, str], None] | None = None,
    jobs: int = 1,
) -> IngestResult:
    """Store the inputs under ``paths`` (new or changed files only), then bring the derived tables up to
    date. ``on_file(path, status)`` is called for each input ("added", "updated", "unchanged");
    ``jobs`` > 1 reads and cleans files in that many worker processes."""
    result = IngestResult()
    paths = list(paths)  # walked twice: to find the files, then the stored ones that are gone
    conn = connect(db)
    try:
        todo: list[tuple[Path, str, str]] = []  # new or changed files: path, hash, status
        seen: set[Path] = set()
        for item in reader.discover(paths):
            if isinstance(item, Skipped):
                result.skipped.append(item)
                continue
            if item == "-":
                result.skipped.append(
                    Skipped("-", "-: stdin cannot be tracked in a store; save it to a file")
                )
                continue
            # The same file named by a relative or an absolute path is one input.
            path = Path(item).absolute()
            if path in seen:
                continue
            seen.add(path)
            key = reader.display_name(path)
            try:
                if not path.is_file():
                    raise OSError("not a regular file" if path.exists() else "no such file or folder")
                h = file_hash(path)
            except OSError as exc:
                result.skipped.append(Skipped(key, f"{key}: cannot read ({exc})"))
                continue
            row = conn.execute("SELECT hash FROM inputs WHERE path = ?", (key,)).fetchone()
            if row is not None and row[0] == h:
                result.unchanged.append(key)
                if on_file:
                    on_file(key, "unchanged")
            else:
                todo.append((path, h, "updated" if row is not None else "added"))
        # Each file still in its own transaction, in discovery order; only reading and cleaning may run
        # ahead in other processes.
        for (path, h, status), prepared in zip(
            todo, _prepared([str(p) for p, _, _ in todo], jobs), strict=True
        ):
            as_of, mtime = (options.as_of, options.mtime_is_crawl_date) if options else (None, False)
            ingest_file(conn, path, h, result, prepared, as_of, mtime)
            if on_file:
                on_file(reader.display_name(path), status)
        found = set(result.unchanged) | {reader.display_name(p) for p, _, _ in todo}
        for gone in _gone_inputs(conn, paths, found):
            remove_input(conn, gone)
            result.removed.append(gone)
            if on_file:
                on_file(gone, "removed")
        if is_dirty(conn):
            try:
                # The as-of date is kept with the articles it came with (ingest_file), not applied to
                # the articles of earlier batches.
                memory = StoreCache(conn)
                refresh_derived(conn, replace(options, as_of=None) if options else None, cache=memory)
                result.reused = {
                    k: (memory.counts.found.get(k, 0), n) for k, n in memory.counts.asked.items()
                }
            except (sqlite3.Error, StoreError):
                raise
            except Exception as exc:
                # Whatever went wrong, say so in a line: the articles are stored, the store stays marked
                # out of date, and the next ingest tries again (after the bad file is fixed or deleted).
                raise StoreError(
                    f"{db}: updating events and stories failed ({type(exc).__name__}: {exc}); the files"
                    " are stored and the next ingest tries again"
                ) from exc
            result.derived = True
        counts = conn.execute(
            "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM events),"
            " (SELECT count(*) FROM stories)"
        ).fetchone()
        result.articles, result.events, result.stories = (int(x) for x in counts)
    finally:
        conn.close()
    return result


def _gone_inputs(conn: sqlite3.Connection, paths: Iterable[str], seen: set[str]) -> list[str]:
    """Stored inputs under the given paths (a folder, or a file named itself) that are no longer there:
    not found by this run and missing on disk. A file that is there but could not be listed (in a folder
    without read permission) stays: only a file that is gone leaves the store."""
    roots = {str(Path(p).absolute()) for p in paths if p != "-"}
    # A path is under a root when it is the root or one of its prefixes ending before a separator is
    # (set lookups: comparing every stored path with every root cost 0.6 CPU s adding 100 files one by
    # one to a store of 10k).
    folders = {r.rstrip(os.sep) for r in roots}
    gone = []
    for (stored,) in conn.execute("SELECT path FROM inputs ORDER BY path").fetchall():
        if stored in seen:
            continue
        if stored not in roots and not _in_folders(stored, folders):
            continue
        try:
            os.lstat(stored)
        except (FileNotFoundError, NotADirectoryError):
            gone.append(stored)
        except OSError:
            continue  # there, but not reachable now (permissions): keep it
    return gone


def _in_folders(path: str, folders: set[str]) -> bool:
    """Whether a prefix of ``path`` that ends right before a separator is one of ``folders``."""
    i = path.rfind(os.sep)
    while i >= 0:
        if path[:i] in folders:
            return True
        i = path.rfind(os.sep, 0, i)
    return False


def remove_input(conn: sqlite3.Connection, input_path: str) -> None:
    """Remove an input file and its articles from the store, in one transaction."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        _rekey(conn, _delete_input(conn, input_path))
        _articles_changed(conn)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def is_dirty(conn: sqlite3.Connection) -> bool:
    row = conn.execute("SELECT value FROM meta WHERE key = 'derived_dirty'").fetchone()
    return row is not None and row[0] != "0"


def _row_article(
    conn: sqlite3.Connection, r: sqlite3.Row, removed: list[RemovedLine] | None = None
) -> Article:
    """The article of an ``articles`` row; ``removed``: its removed lines when the caller read them
    already (else one query here)."""
    if removed is None:
        removed = [
            RemovedLine(x["text"], x["reason"])
            for x in conn.execute(
                "SELECT text, reason FROM removed WHERE article = ? ORDER BY pos", (r["rowid"],)
            )
        ]
    return Article(
        id=r["id"], path=r["path"], title=r["title"], text=r["text"], source=r["source"],
        published=r["published"], url=r["url"], removed=removed, credits=json.loads(r["credits"]),
        lead=r["lead"], anchors=[DateAnchor(**x) for x in json.loads(r["anchors"])],
        title_derived=bool(r["title_derived"]),
    )  # fmt: skip


def load_articles(conn: sqlite3.Connection) -> list[Article]:
    """Every stored article in input order (path, then position in the file): deterministic, so the
    derived tables do not depend on the order files were ingested in."""
    rows = conn.execute("SELECT * FROM articles ORDER BY input, ord").fetchall()
    # Every removed line in one scan (one query per article was ~10,000 queries at 10k).
    removed: dict[int, list[RemovedLine]] = {}
    rows_removed = conn.execute("SELECT article, text, reason FROM removed ORDER BY article, pos")
    for rowid, text, reason in rows_removed:
        removed.setdefault(rowid, []).append(RemovedLine(text, reason))
    return [_row_article(conn, r, removed.get(r["rowid"], [])) for r in rows]


def get_article(conn: sqlite3.Connection, article_id: str) -> Article | None:
    r = conn.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
    return None if r is None else _row_article(conn, r)


class StoreCache:
    """``cache.Cache`` in the store's ``cache`` table. ``put`` writes at once, in its own transaction
    (an entry is right whenever it is written: its key hashes its inputs); ``prune`` (inside the
    refresh's transaction) drops the entries this refresh did not use, so the table holds what the
    current articles need and no more."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.used: set[tuple[str, str]] = set()
        self.counts = memo.Counts({}, {})

    def get(self, kind: memo.Kind[memo.V], keys: Sequence[str]) -> dict[str, memo.V]:
        out: dict[str, memo.V] = {}
        want = list(dict.fromkeys(keys))
        for i in range(0, len(want), _BATCH):
            part = want[i : i + _BATCH]
            marks = ",".join("?" * len(part))
            rows = self.conn.execute(
                f"SELECT key, value FROM cache WHERE kind = ? AND key IN ({marks})", (kind.name, *part)
            )
            for key, value in rows:
                try:
                    out[key] = kind.decode(bytes(value))
                except memo.DECODE_ERRORS:
                    continue  # damaged: a miss, computed again and written over
        self.used.update((kind.name, k) for k in want)
        self.counts.add(kind, len(want), len(out))
        return out

    def put(self, kind: memo.Kind[memo.V], values: Mapping[str, memo.V]) -> None:
        self.used.update((kind.name, k) for k in values)
        if not values:
            return
        items = list(values.items())
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            for i in range(0, len(items), _BATCH):  # encoded a batch at a time: the bytes of 100k are ~1 GB
                self.conn.executemany(
                    "INSERT OR REPLACE INTO cache (kind, key, value) VALUES (?, ?, ?)",
                    [(kind.name, k, kind.encode(v)) for k, v in items[i : i + _BATCH]],
                )
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    def prune(self) -> None:
        """Delete the entries this refresh did not ask for (caller holds the transaction)."""
        self.conn.execute(
            "CREATE TEMP TABLE IF NOT EXISTS cache_used (kind TEXT, key TEXT, PRIMARY KEY (kind, key))"
        )
        self.conn.execute("DELETE FROM temp.cache_used")
        self.conn.executemany("INSERT INTO temp.cache_used VALUES (?, ?)", sorted(self.used))
        self.conn.execute(
            "DELETE FROM cache WHERE NOT EXISTS"
            " (SELECT 1 FROM temp.cache_used u WHERE u.kind = cache.kind AND u.key = cache.key)"
        )
        self.conn.execute("DELETE FROM temp.cache_used")


_BATCH = 500  # keys per SELECT (SQLite allows 32,766 parameters; smaller batches keep each query light)


def refresh_derived(
    conn: sqlite3.Connection,
    options: pipeline.Options | None = None,
    cached: bool = True,
    cache: StoreCache | None = None,
) -> Digest:
    """Recompute duplicates, events, stories, summaries and timeline from the stored articles and
    replace the derived tables in one transaction, unless another writer changed the articles meanwhile
    (then compute again, a few times at most). With ``cached``, per-article and per-event results of
    earlier refreshes are taken from the store's cache (same digest, ``cache``) and this refresh's are
    kept for the next (in ``cache`` when given: its ``counts`` say how many were found)."""
    opts = options or pipeline.Options()
    memory = (cache or StoreCache(conn)) if cached else None
    if memory is not None:
        opts = replace(opts, cache=memory)
    for _attempt in range(_REFRESH_ATTEMPTS):
        # The articles and their generation from one snapshot (a read transaction) ...
        conn.execute("BEGIN")
        try:
            generation = _generation(conn)
            articles = load_articles(conn)
        finally:
            conn.execute("COMMIT")
        result = pipeline.build_digest(articles, opts)
        conn.execute("BEGIN IMMEDIATE")
        try:
            # ... and committed only if no other writer changed the articles meanwhile (a concurrent
            # ingest): else those would sit in no event, in a store marked up to date. Compute again.
            if _generation(conn) != generation:
                conn.execute("ROLLBACK")
                continue
            for table in DERIVED_TABLES:
                conn.execute(f"DELETE FROM {table}")  # table names are constants
            write_derived(conn, result)
            if memory is not None:
                memory.prune()
            conn.execute("UPDATE meta SET value = '0' WHERE key = 'derived_dirty'")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return result
    # Other writers kept changing the articles: the store stays marked out of date, and the last of them
    # to finish brings it up to date (each ingest refreshes after its own files).
    return result


# Refreshes computed again when another ingest changed the articles meanwhile, before giving way to it.
_REFRESH_ATTEMPTS = 5


def _generation(conn: sqlite3.Connection) -> str:
    row = conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
    return "" if row is None else str(row[0])


def write_derived(conn: sqlite3.Connection, d: Digest) -> None:
    """Insert a digest's corpus-level results (caller holds the transaction)."""
    for g in d.duplicates:
        cur = conn.execute(
            "INSERT INTO duplicate_groups (canonical, credits) VALUES (?, ?)",
            (g.canonical, json.dumps(g.credits, ensure_ascii=False)),
        )
        conn.executemany(
            "INSERT INTO duplicates (grp, pos, article) VALUES (?, ?, ?)",
            [(cur.lastrowid, i, a) for i, a in enumerate(g.duplicates)],
        )
    tpos = {eid: i for i, eid in enumerate(d.timeline)}
    for i, e in enumerate(d.events):
        conn.execute(
            "INSERT INTO events (id, pos, title, date, date_start, date_end, date_evidence, sources,"
            " timeline_pos, kind, date_reasoning, day) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (e.id, i, e.title, e.date, e.date_range[0], e.date_range[1], e.date_evidence,
             json.dumps(e.sources, ensure_ascii=False), tpos.get(e.id), e.kind, e.date_reasoning, e.day),
        )  # fmt: skip
        conn.executemany(
            "INSERT INTO event_articles (event, pos, article) VALUES (?, ?, ?)",
            [(e.id, j, a) for j, a in enumerate(e.articles)],
        )
        conn.executemany(
            "INSERT INTO also_published (event, canonical, pos, copy) VALUES (?, ?, ?, ?)",
            [(e.id, c, j, cp) for c, copies in e.also_published_by.items() for j, cp in enumerate(copies)],
        )
        conn.executemany(
            "INSERT INTO summaries (event, pos, text, article) VALUES (?, ?, ?, ?)",
            [(e.id, j, s.text, s.article) for j, s in enumerate(e.summary)],
        )
    for i, s in enumerate(d.stories):
        conn.execute("INSERT INTO stories (id, pos, title) VALUES (?, ?, ?)", (s.id, i, s.title))
        conn.executemany(
            "INSERT INTO story_events (story, pos, event) VALUES (?, ?, ?)",
            [(s.id, j, e) for j, e in enumerate(s.events)],
        )
        conn.executemany(
            "INSERT INTO story_summaries (story, pos, text, article) VALUES (?, ?, ?, ?)",
            [(s.id, j, x.text, x.article) for j, x in enumerate(s.summary)],
        )


def _json_list(text: str) -> list[str]:
    value = json.loads(text)
    return [str(x) for x in value] if isinstance(value, list) else []


def load_event(conn: sqlite3.Connection, event_id: str) -> Event | None:
    r = conn.execute("SELECT * FROM events WHERE id = ?", (event_id,)).fetchone()
    if r is None:
        return None
    ev = Event(
        id=r["id"], title=r["title"], date=r["date"], date_range=(r["date_start"], r["date_end"]),
        date_evidence=r["date_evidence"], sources=_json_list(r["sources"]), kind=r["kind"],
        date_reasoning=r["date_reasoning"], day=r["day"],
        articles=[x[0] for x in conn.execute(
            "SELECT article FROM event_articles WHERE event = ? ORDER BY pos", (event_id,))],
        summary=[SummarySentence(x[0], x[1]) for x in conn.execute(
            "SELECT text, article FROM summaries WHERE event = ? ORDER BY pos", (event_id,))],
    )  # fmt: skip
    for c, cp in conn.execute(
        "SELECT canonical, copy FROM also_published WHERE event = ? ORDER BY canonical, pos", (event_id,)
    ):
        ev.also_published_by.setdefault(c, []).append(cp)
    return ev


def load_story(conn: sqlite3.Connection, story_id: str) -> Story | None:
    r = conn.execute("SELECT id, title FROM stories WHERE id = ?", (story_id,)).fetchone()
    if r is None:
        return None
    evs = [
        x[0] for x in conn.execute("SELECT event FROM story_events WHERE story = ? ORDER BY pos", (story_id,))
    ]
    summary = [
        SummarySentence(x[0], x[1])
        for x in conn.execute(
            "SELECT text, article FROM story_summaries WHERE story = ? ORDER BY pos", (story_id,)
        )
    ]
    return Story(id=r["id"], title=r["title"], events=evs, summary=summary)


def _ids(conn: sqlite3.Connection, sql: str) -> Iterator[str]:
    for row in conn.execute(sql):
        yield str(row[0])


def load_digest(conn: sqlite3.Connection) -> Digest:
    """The whole stored digest, as ``pipeline.run`` would have returned it."""
    d = Digest(articles=load_articles(conn))
    d.events = [e for eid in _ids(conn, "SELECT id FROM events ORDER BY pos") if (e := load_event(conn, eid))]
    d.stories = [
        s for sid in _ids(conn, "SELECT id FROM stories ORDER BY pos") if (s := load_story(conn, sid))
    ]
    d.timeline = list(
        _ids(conn, "SELECT id FROM events WHERE timeline_pos IS NOT NULL ORDER BY timeline_pos")
    )
    for g in conn.execute("SELECT id, canonical, credits FROM duplicate_groups ORDER BY id").fetchall():
        dups = [
            x[0] for x in conn.execute("SELECT article FROM duplicates WHERE grp = ? ORDER BY pos", (g[0],))
        ]
        d.duplicates.append(DuplicateGroup(canonical=g[1], duplicates=dups, credits=json.loads(g[2])))
    return d


def read_digest(db: str | Path) -> Digest:
    """Open a store read-only and return its digest (``diemtin digest --db``)."""
    conn = connect(db, readonly=True)
    try:
        return load_digest(conn)
    finally:
        conn.close()


def dump(conn: sqlite3.Connection) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows in a stable order: two stores are equal when their dumps are (used by tests
    and the crash-safety check)."""
    queries = {
        "inputs": "SELECT path, hash, articles FROM inputs",
        "articles": "SELECT id, input, ord, path, title, text, source, published, url, credits, lead,"
        " anchors, title_derived FROM articles",
        "removed": "SELECT a.id, r.pos, r.text, r.reason FROM removed r"
        " JOIN articles a ON a.rowid = r.article",
        "articles_fts": "SELECT a.id, f.title, f.text, f.title_f, f.text_f FROM articles_fts f"
        " JOIN articles a ON a.rowid = f.rowid",
        # The generation counts commits, not content: a rerun after a crash counts differently.
        "meta": "SELECT key, value FROM meta WHERE key != 'generation'",
        "duplicates": "SELECT g.canonical, g.credits, d.pos, d.article FROM duplicates d"
        " JOIN duplicate_groups g ON g.id = d.grp",
        "duplicate_groups": "SELECT canonical, credits FROM duplicate_groups",
    }
    for t in DERIVED_TABLES:
        queries.setdefault(t, f"SELECT * FROM {t}")  # constant table names
    out: dict[str, list[tuple[object, ...]]] = {}
    for t, sql in queries.items():
        out[t] = sorted((tuple(r) for r in conn.execute(sql)), key=repr)
    return out


def sources(conn: sqlite3.Connection) -> Sequence[str]:
    return [
        r[0] for r in conn.execute("SELECT DISTINCT source FROM articles WHERE source IS NOT NULL ORDER BY 1")
    ]
