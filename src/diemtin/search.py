"""Accent-insensitive full-text search over a store (SQLite FTS5, BM25 ranking).

Queries are never passed to FTS5 as written: they are split into words (letters and digits only),
"quoted phrases" and ``word*`` prefixes, and each token is re-quoted, so FTS5 operators (NEAR, OR,
parentheses, column filters) and SQL in the input are just words. Matching runs on folded columns
("điện đàm" -> "dien dam", "đ" -> "d"; Cyrillic/Greek letters that look Latin inside a Latin word, as
"Сhuyên" with a Cyrillic С, are folded too, in the store and in the query).

Ranking knows phrases: the words typed next to each other are looked for next to each other, and not
across a sentence or clause boundary ("đầu tiên, tôi" does not hold "tiên tôi": see _BREAK). Results
come in tiers: first the articles holding the most of the query's adjacent word pairs in its reading,
then the most pairs folded ("dien dam" held as "điện đàm"), then those holding every word as written,
then the rest; within a tier, BM25 over the folded words (a title match weighs 3x a body match). The
reading is the query as typed when it has diacritics; typed without any, it is the written form the
corpus uses most for those adjacent syllables (``restore``: "ha noi" -> "hà nội", "dien bien" ->
"diễn biến" but "dien bien phu" -> "điện biên phủ"). "điện đàm" thus puts the articles that say
"điện đàm" above "Đàm Vĩnh Hưng ... điện", and "dien dam" does the same.
"""

from __future__ import annotations

import datetime as _dt
import heapq
import html
import itertools
import json
import math
import re
import sqlite3
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .store import fold_aligned
from .text import fold_lookalikes, normalize

# A "phrase", or a run of word characters optionally followed by * (prefix search).
_TOKEN = re.compile(r'"([^"]*)"|(\w+)(\*?)')
_WORD = re.compile(r"\w+")
MAX_TERMS = 32  # longer queries are cut: BM25 over 30+ terms is noise and costs time
# Prefix terms cost FTS5 a walk over every indexed word they start (a one-letter prefix: a large share
# of the vocabulary, and 32 of them took 1.6 s a query): a prefix must have 2 letters or more (a shorter
# one is searched as a word), and only the first MAX_PREFIXES prefixes of a query are prefixes.
MIN_PREFIX_CHARS = 2
MAX_PREFIXES = 3
SNIPPET_CHARS = 220
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class QueryError(ValueError):
    """A query or filter that cannot be run; the message says what to change."""


class DateError(QueryError):
    """A date filter that is not a date (``2013-13``): a usage error, not an empty result."""


@dataclass(slots=True)
class Term:
    words: list[str]  # several words = a phrase
    prefix: bool = False


@dataclass(slots=True)
class Hit:
    id: str
    title: str
    source: str | None
    published: str | None
    score: float
    exact: bool
    snippet_html: str  # escaped text with the matches in <mark>


@dataclass(slots=True)
class Results:
    query: str
    total: int
    hits: list[Hit] = field(default_factory=list)
    message: str | None = None  # why there are no results, when the query had nothing to search


def parse(query: str) -> list[Term]:
    """Words, "phrases" and word* prefixes of a user query; everything else is dropped. A prefix
    shorter than ``MIN_PREFIX_CHARS``, or after the first ``MAX_PREFIXES``, is searched as a word. The
    query is normalised as ingest normalises articles (NFC, tone placement: "hoà" -> "hòa") and its
    lookalike letters are folded as the store's search columns are."""
    terms: list[Term] = []
    prefixes = 0
    for m in _TOKEN.finditer(fold_lookalikes(normalize(query))):
        if m.group(1) is not None:
            words = _WORD.findall(m.group(1))
            if words:
                terms.append(Term(words))
        else:
            prefix = bool(m.group(3)) and len(m.group(2)) >= MIN_PREFIX_CHARS and prefixes < MAX_PREFIXES
            prefixes += prefix
            terms.append(Term([m.group(2)], prefix=prefix))
        if len(terms) == MAX_TERMS:
            break
    return terms


def _fts(terms: list[Term], fold: bool) -> str:
    """An FTS5 query from parsed terms: each token double-quoted (inner quotes doubled), ANDed."""
    parts = []
    for t in terms:
        words = [fold_aligned(w).lower() if fold else w.lower() for w in t.words]
        phrase = " ".join(words).replace('"', '""')
        parts.append(f'"{phrase}"' + ("*" if t.prefix else ""))
    return " AND ".join(parts)


def runs(terms: list[Term]) -> list[list[str]]:
    """The query's runs of two or more consecutive plain words (as typed, case kept): the words typed
    next to each other ("dien dam Putin" -> [dien, dam, Putin]); a phrase or a prefix ends a run (a
    quoted phrase is matched as a phrase already)."""
    out: list[list[str]] = []
    run: list[str] = []
    for t in [*terms, Term([])]:
        if len(t.words) == 1 and not t.prefix:
            run.append(t.words[0])
            continue
        if len(run) > 1:
            out.append(run)
        run = []
    return out


def pairs(terms: list[Term]) -> list[tuple[str, str]]:
    """The query's adjacent word pairs (lowercased, as written), run after run."""
    return [(a.lower(), b.lower()) for run in runs(terms) for a, b in itertools.pairwise(run)]


def capitalized(a: str, b: str) -> bool:
    """Both words start with a capital: typed so, a pair names something ("Dien Bien" the province, not
    "diễn biến"), and its reading is taken from the pairs the corpus writes capitalized."""
    return a[:1].isupper() and b[:1].isupper()


# Adjacency. Two words are adjacent when only spaces separate them ("điện đàm"), or only punctuation
# with no space at all ("COVID-19", "TP.HCM", "7/2022"). A gap holding a line break, or punctuation
# next to a space (", ", ". ", " - ", "” “"), is a sentence or clause boundary: a phrase does not cross
# it ("đầu tiên, tôi" does not hold "tiên tôi"; "Theo Hãng" is no phrase of "Ảnh: AFP. Theo Hãng").
# FTS5's phrases ignore punctuation, so both rankers check adjacency themselves, by this one rule:
# _SEQUENCE (the index's build) yields the words and the breaking gaps of a text; _JOIN (the FTS5
# ranker's check of its candidates) is the gap that keeps two words adjacent.
_BREAK = r"[\W_]*?(?:\n|\s(?:[^\w\s]|_)|(?:[^\w\s]|_)\s)[\W_]*"
_SEQUENCE = re.compile(r"[^\W_]+|" + _BREAK)
_JOIN = r"(?:[^\S\n]+|(?:[^\w\s]|_)+)"


def restore(tables: list[dict[tuple[str, str], int]]) -> list[str | None]:
    """The reading of a run of words typed without diacritics that the corpus uses most: ``tables[i]``
    counts the articles holding each written form of the run's i-th adjacent pair ("hà nội": 412,
    "hà nói": 1); the reading maximises the sum over pairs of log(1 + count) (a chain of the most
    frequent pairs that agree on their shared word), ties to the alphabetically first. None for a word
    no written pair holds. "ha noi" -> [hà, nội]; "dien dam" -> [điện, đàm]. (Counts of the pairs
    written capitalized, for a pair typed so: ``capitalized``.)"""
    n = len(tables) + 1
    cands: list[list[str | None]] = []
    for i in range(n):
        forms = {p[1] for p in tables[i - 1]} if i else set()
        forms |= {p[0] for p in tables[i]} if i < n - 1 else set()
        cands.append([*sorted(forms)] if forms else [None])
    # Best reading of positions i.. given the form at i: (minus score, forms), smallest first.
    best: dict[str | None, tuple[float, tuple[str, ...]]] = {x: (0.0, (x or "",)) for x in cands[-1]}
    for i in range(n - 2, -1, -1):
        table, nxt = tables[i], best
        best = {}
        for x in cands[i]:
            options = []
            for y, (score, tail) in nxt.items():
                gain = math.log1p(table.get((x, y), 0)) if x is not None and y is not None else 0.0
                options.append((score - gain, (x or "", *tail)))
            best[x] = min(options)
    words = min(best.values())[1]
    return [w or None for w in words]


def has_diacritics(text: str) -> bool:
    return fold_aligned(text) != text


_FILTER_NAMES = {"from": "Từ ngày", "to": "Đến ngày"}


def check_date(value: str | None, name: str) -> str | None:
    """``value`` if it is a date as YYYY, YYYY-MM or YYYY-MM-DD that exists (no month 13, no 30 February),
    None if empty; otherwise a ``DateError`` saying so in Vietnamese."""
    if value is None or value == "":
        return None
    label = _FILTER_NAMES.get(name, name)
    if _DATE.match(value):
        y, m, d = [*value.split("-"), "01", "01"][:3]
        try:
            _dt.date(int(y), int(m), int(d))
            return value
        except ValueError:
            pass
    raise DateError(
        f"{label} ({name}): “{value}” không phải là ngày hợp lệ; hãy viết YYYY, YYYY-MM hoặc YYYY-MM-DD"
        " (ví dụ 2022, 2022-08 hoặc 2022-08-27)."
    )


def search(
    conn: sqlite3.Connection,
    query: str,
    *,
    date_from: str | None = None,
    date_to: str | None = None,
    source: str | None = None,
    limit: int = 20,
    offset: int = 0,
    index: SearchIndex | None = None,
) -> Results:
    """Articles matching ``query`` (accent-insensitive), best first, with highlighted snippets.

    ``index`` (``SearchIndex.build(conn)``, kept by a long-running caller such as the web server) ranks
    plain-word queries in memory, with the same BM25 scores as FTS5; phrases, prefixes and words it
    does not hold are ranked by FTS5 (the same results, only dearer).
    """
    date_from = check_date(date_from, "from")
    date_to = check_date(date_to, "to")
    terms = parse(query)
    if not terms:
        return Results(query, 0, message="Hãy nhập từ khoá để tìm.")
    limit = max(1, min(limit, 100))
    offset = max(0, offset)
    exact = any(has_diacritics(w) for t in terms for w in t.words)
    try:
        ranked = None
        if index is not None:
            # The exact query's words, as _fts writes them (one word per term: the index takes no phrase).
            exact_words = [t.words[0].lower() for t in terms] if exact else None
            ranked = index.rank(terms, exact_words, date_from, date_to, source, limit + offset)
        if ranked is None:
            ranked = _rank_fts(conn, terms, exact, date_from, date_to, source, limit + offset)
        total, top = ranked
        page = top[offset : offset + limit]
        rows = _page_rows(conn, [rid for rid, _, _ in page])
    except sqlite3.OperationalError as exc:
        # Quoting makes this unreachable for ordinary input; keep the promise of no traceback anyway.
        raise QueryError(f"Không chạy được truy vấn này ({exc}).") from exc
    pattern = _patterns(terms)
    hits = []
    for rid, score, exact in page:
        r = rows.get(rid)
        if r is None:  # deleted between the two queries (another connection committed)
            continue
        # The stored folded text (text_f, offset-aligned with text) saves folding each hit again.
        snip = snippet(r[4], terms, folded=r[5], pattern=pattern)
        hits.append(Hit(r[0], r[1], r[2], r[3], score, exact, snip))
    return Results(query, total, hits, None if total else "Không tìm thấy kết quả nào.")


Ranked = tuple[int, list[tuple[int, float, bool]]]  # number of matches; (rowid, score, exact), best first


# An article's events' dates, for the date filters: the earliest start and the latest end of the events
# it reports (or is a copy in), an exact date counting as both.
_EVENT_SPANS = """
    SELECT article, min(lo) AS lo, max(hi) AS hi FROM (
        SELECT ea.article AS article, coalesce(e.date_start, e.date, e.date_end) AS lo,
               coalesce(e.date_end, e.date, e.date_start) AS hi
        FROM event_articles ea JOIN events e ON e.id = ea.event
        UNION ALL
        SELECT ap.copy, coalesce(e.date_start, e.date, e.date_end), coalesce(e.date_end, e.date, e.date_start)
        FROM also_published ap JOIN events e ON e.id = ap.event
    ) WHERE lo IS NOT NULL GROUP BY article"""


def _phrase(words: tuple[str, ...] | list[str], fold: bool) -> str:
    """An FTS5 phrase of ``words`` (folded or as written), double-quoted with inner quotes doubled."""
    ws = [fold_aligned(w).lower() if fold else w.lower() for w in words]
    return '"' + " ".join(ws).replace('"', '""') + '"'


def _rank_fts(
    conn: sqlite3.Connection,
    terms: list[Term],
    exact: bool,
    date_from: str | None,
    date_to: str | None,
    source: str | None,
    k: int,
) -> Ranked:
    """The number of matches and the best ``k`` of them, ranked by FTS5: the tiers of the module's
    docstring (adjacent pairs as written, pairs folded, every word as written), then BM25."""
    params: dict[str, object] = {"q": "{title_f text_f} : (" + _fts(terms, fold=True) + ")"}
    filters = []
    # A date filter keeps an article published in the window, or reporting an event dated in it (its
    # date, or a range that overlaps it): "gia vang --from 2022" finds 2022's gold prices in articles
    # that give no publication date. "2021-04" as an end covers the whole month: compare on the prefix.
    pub, ev, span = [], [], ""
    if date_from:
        pub.append("a.published >= :from")
        ev.append("s.hi >= :from")
        params["from"] = date_from
    if date_to:
        pub.append("substr(a.published, 1, :tolen) <= :to")
        ev.append("substr(s.lo, 1, :tolen) <= :to")
        params["to"] = date_to
        params["tolen"] = len(date_to)
    if pub:
        filters.append(f"(({' AND '.join(pub)}) OR ({' AND '.join(ev)}))")
        span = f" LEFT JOIN ({_EVENT_SPANS}) s ON s.article = a.id"
    if source:
        filters.append("a.source = :source COLLATE NOCASE")
        params["source"] = source
    exact_sql = "0"
    if exact:
        exact_sql = "(f.rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH :exact))"
        params["exact"] = "{title text} : (" + _fts(terms, fold=False) + ")"
    # The articles table is joined only when a filter needs it, so the rows carry (rowid, rank) only.
    if filters:
        base = (
            f"FROM articles_fts f JOIN articles a ON a.rowid = f.rowid{span}"
            f" WHERE f.articles_fts MATCH :q AND {' AND '.join(filters)}"
        )
    else:
        base = "FROM articles_fts f WHERE f.articles_fts MATCH :q"
    # f.rank is BM25 weighted per column (store migration 2): a title match counts 3x a body match.
    rows = conn.execute(f"SELECT f.rowid, f.rank, {exact_sql} {base}", params).fetchall()
    if not rows:
        return 0, []
    held = _held_pairs_fts(conn, terms, exact, {r[0] for r in rows})
    m = len(pairs(terms)) + 1

    def key(r: tuple[int, float, int]) -> tuple[int, float, int]:
        nw, ne, nf = held.get(r[0], (0, 0, 0))
        return -(((nw * m + ne) * m + nf) * 2 + r[2]), r[1], r[0]

    top = heapq.nsmallest(k, rows, key=key)  # ORDER BY tier DESC, rank, rowid LIMIT k
    return len(rows), [(int(r[0]), float(r[1]), bool(r[2])) for r in top]


def _held_pairs_fts(
    conn: sqlite3.Connection, terms: list[Term], exact: bool, matching: set[int]
) -> dict[int, tuple[int, int, int]]:
    """Per article holding any of the query's adjacent pairs: (runs of 3+ words held whole in the
    reading, pairs held in the reading, pairs held folded), counted as ``SearchIndex`` counts them. FTS5
    finds the articles holding each folded pair as a phrase (across punctuation too); their title and
    text are then scanned for the pair under the adjacency rule (_JOIN), which gives the written forms
    the reading is chosen from (``restore``). A query typed with diacritics is read as typed: only the
    ``matching`` articles are scanned then (a reading needs every holder's forms counted)."""
    qruns = runs(terms)
    if not qruns:
        return {}
    fpairs = sorted({(_fold_word(a), _fold_word(b)) for run in qruns for a, b in itertools.pairwise(run)})
    holders: dict[int, list[int]] = {}  # article -> the folded pairs (numbers in fpairs) FTS5 says it holds
    for i, (a, b) in enumerate(fpairs):
        for (rowid,) in conn.execute(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?",
            ("{title_f text_f} : " + _phrase((a, b), fold=False),),
        ):
            if not exact or rowid in matching:
                holders.setdefault(rowid, []).append(i)
    # Per folded pair, per article: the written forms held, each with whether it is written capitalized.
    found: dict[tuple[str, str], dict[int, set[tuple[str, str, bool]]]] = {p: {} for p in fpairs}
    # The word boundary before the first word is checked by a lookbehind placed after its letters, so
    # that the regex engine skips ahead to those letters (as _patterns does: ~15x faster here).
    patterns = [
        re.compile(rf"({re.escape(a)})(?<![^\W_]{re.escape(a)})(?={_JOIN}({re.escape(b)})(?![^\W_]))")
        for a, b in fpairs
    ]
    cur = conn.cursor()
    cur.row_factory = None
    # Title and text as written (c0, c1) and folded (c2, c3, offset-aligned) from FTS5's content table.
    texts: dict[int, list[tuple[str, str]]] = {}
    for rowid, *cols in cur.execute(
        "SELECT id, c0, c1, c2, c3 FROM articles_fts_content WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(holders)),),
    ):
        texts[rowid] = [(cols[0], _lower_aligned(cols[2])), (cols[1], _lower_aligned(cols[3]))]
        for written, low in texts[rowid]:
            for i in holders[rowid]:
                for m in patterns[i].finditer(low):
                    x, y = written[m.start(1) : m.end(1)], written[m.start(2) : m.end(2)]
                    found[fpairs[i]].setdefault(rowid, set()).add((x.lower(), y.lower(), capitalized(x, y)))
    out: dict[int, tuple[int, int, int]] = {}
    for run in qruns:
        fp = list(itertools.pairwise([_fold_word(w) for w in run]))
        if exact:
            reading: list[str | None] = [w.lower() for w in run]
        else:
            tables = []
            for p, (a, b) in zip(fp, itertools.pairwise(run), strict=True):
                df: dict[tuple[str, str], int] = {}
                caps: dict[tuple[str, str], int] = {}
                for forms in found[p].values():
                    for pair in {(x, y) for x, y, _ in forms}:
                        df[pair] = df.get(pair, 0) + 1
                    for pair in {(x, y) for x, y, cap in forms if cap}:
                        caps[pair] = caps.get(pair, 0) + 1
                tables.append(caps if capitalized(a, b) and caps else df)
            reading = restore(tables)
        in_reading: list[set[int]] = []
        for p, rx, ry in zip(fp, reading, reading[1:], strict=False):
            in_reading.append(set())
            for rowid, forms in found[p].items():
                nw, ne, nf = out.get(rowid, (0, 0, 0))
                held = (rx, ry, False) in forms or (rx, ry, True) in forms
                out[rowid] = (nw, ne + held, nf + 1)
                if held:
                    in_reading[-1].add(rowid)
        if len(run) < 3 or None in reading:
            continue
        # A run of 3+ words: of the articles holding each of its pairs in the reading, those holding
        # it whole ("làm bài thi", not "làm bài" here and "bài thi" there).
        first = re.escape(_fold_word(run[0]))
        whole = re.compile(
            rf"({first})(?<![^\W_]{first})"
            + "".join(f"{_JOIN}({re.escape(_fold_word(w))})" for w in run[1:])
            + r"(?![^\W_])"
        )
        for rowid in set.intersection(*in_reading):
            if any(
                [written[m.start(g) : m.end(g)].lower() for g in range(1, len(run) + 1)] == reading
                for written, low in texts[rowid]
                for m in _overlapping(whole, low)
            ):
                nw, ne, nf = out[rowid]
                out[rowid] = (nw + 1, ne, nf)
    return out


def _overlapping(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """Every match of ``pattern`` in ``text``, overlapping ones included (a run of repeated words)."""
    pos = 0
    while (m := pattern.search(text, pos)) is not None:
        yield m
        pos = m.start() + 1


def _fold_word(word: str) -> str:
    """A query word as the folded columns hold it (lowercased, no diacritics)."""
    return fold_aligned(word).lower()


def _page_rows(conn: sqlite3.Connection, rowids: list[int]) -> dict[int, tuple[Any, ...]]:
    """id, title, source, published, text and folded text of the page's articles, by rowid."""
    if not rowids:
        return {}
    marks = ",".join("?" * len(rowids))
    cur = conn.cursor()
    cur.row_factory = None
    cur.execute(
        # text_f straight from FTS5's content table (column c3; ~25 % cheaper than through the FTS5
        # table, which opens a cursor per row).
        "SELECT a.rowid, a.id, a.title, a.source, a.published, a.text, t.c3 FROM articles a"
        f" JOIN articles_fts_content t ON t.id = a.rowid WHERE a.rowid IN ({marks})",
        rowids,
    )
    return {r[0]: r[1:] for r in cur}


# BM25 as FTS5 computes it (fts5_aux.c, fts5Bm25Function) with the column weights of the store's rank
# (store migration 2: title, text, title_f, text_f = 0, 0, 3, 1). tests/test_search.py checks that the
# index's scores equal FTS5's.
K1, B = 1.2, 0.75
TITLE_WEIGHT, TEXT_WEIGHT = 3.0, 1.0
_TOKEN_CHARS = re.compile(r"[^\W_]+")  # unicode61's tokens: runs of letters and digits


def _varints(blob: bytes) -> list[int]:
    """The SQLite varints of an FTS5 ``docsize`` record (one token count per column)."""
    out, value, n = [], 0, 0
    for byte in blob:
        n += 1
        if n == 9:  # the 9th byte of a varint carries 8 bits
            out.append((value << 8) | byte)
            value, n = 0, 0
        elif byte & 0x80:
            value = (value << 7) | (byte & 0x7F)
        else:
            out.append((value << 7) | byte)
            value, n = 0, 0
    return out


class _Postings:
    """Per term, the sorted positions of the articles holding it, and a weight per article (CSC)."""

    def __init__(self, vocab: dict[str, int], matrix: Any, weights: bool = True) -> None:
        matrix = matrix.tocsc()  # scipy.sparse, articles x terms
        matrix.sort_indices()
        self.vocab = vocab
        self.indptr: np.ndarray[Any, np.dtype[np.int64]] = matrix.indptr.astype(np.int64)
        self.indices: np.ndarray[Any, np.dtype[np.int32]] = matrix.indices.astype(np.int32)
        self.data: np.ndarray[Any, np.dtype[np.float64]] = (
            matrix.data.astype(np.float64) if weights else np.zeros(0)
        )

    def span(self, term: int) -> slice:
        return slice(int(self.indptr[term]), int(self.indptr[term + 1]))

    def locate(
        self, term: int, cand: np.ndarray[Any, np.dtype[np.int32]]
    ) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
        """Which of the (sorted) candidate positions hold ``term`` (a boolean mask), and for those, where
        in the term's postings (``pos[mask]``: offsets into ``span(term)``)."""
        docs = self.indices[self.span(term)]
        if not len(docs):
            return np.zeros(len(cand), dtype=bool), np.zeros(len(cand), dtype=np.intp)
        pos = np.minimum(np.searchsorted(docs, cand), len(docs) - 1)
        return docs[pos] == cand, pos

    def holding(self, term: int, cand: np.ndarray[Any, np.dtype[np.int32]]) -> np.ndarray[Any, Any]:
        """Which of the (sorted) candidate positions hold ``term``, as a boolean mask."""
        return self.locate(term, cand)[0]


Int64s = np.ndarray[Any, np.dtype[np.int64]]


class _Pairs:
    """Which articles hold each pair of adjacent words: pair keys (``first * n_words + second``, word
    numbers of a vocabulary) sorted, and per key the sorted positions of the articles holding it."""

    def __init__(self, keys: Int64s, docs: np.ndarray[Any, Any], width: int) -> None:
        # ``keys`` and ``docs``: one entry per (pair, article), sorted by key then article, no repeats.
        self.width = width
        start = np.flatnonzero(np.concatenate([[True], keys[1:] != keys[:-1]])) if len(keys) else keys
        self.keys = keys[start]
        self.indptr = np.append(start, len(keys)).astype(np.int64)
        self.docs = docs.astype(np.int32)

    def holding(
        self, first: int, second: int, cand: np.ndarray[Any, np.dtype[np.int32]]
    ) -> np.ndarray[Any, Any]:
        """Which of the (sorted) candidate positions hold ``first`` right before ``second``."""
        key = first * self.width + second
        i = int(np.searchsorted(self.keys, key))
        if i >= len(self.keys) or self.keys[i] != key:
            return np.zeros(len(cand), dtype=bool)
        docs = self.docs[self.indptr[i] : self.indptr[i + 1]]
        pos = np.minimum(np.searchsorted(docs, cand), len(docs) - 1)
        return np.asarray(docs[pos] == cand)


def _pair_index(keys: Int64s, docs: np.ndarray[Any, Any], n: int, width: int) -> _Pairs:
    """``_Pairs`` from one (key, article position) entry per adjacent pair of words, repeats included."""
    both = np.sort(keys * max(n, 1) + docs)  # by key, then article
    # Repeats dropped by hand: np.unique hashes unsorted int64s (numpy 2), ~10x slower than this.
    both = both[np.concatenate([[True], both[1:] != both[:-1]])] if len(both) else both
    return _Pairs(both // max(n, 1), both % max(n, 1), width)


class SearchIndex:
    """BM25 over the folded title and text, in memory (numpy), for a process that answers many searches.

    FTS5 computes BM25 for every matching row (a docsize lookup and a position-list walk each, ~2 µs): a
    common syllable matches a quarter of a 10,000-article store, so ranking cost ~5 ms a query. Here
    a query is a few vectorised operations over the matching terms' postings (each term's BM25 part per
    article, computed at build time from frequencies weighted title 3, text 1), ~0.2 ms; which matches
    are exact (the query's diacritics as written) comes from the postings of the unfolded words. Built
    from the store
    (~3 s of CPU for 10,000 articles: one pass with unicode61's token pattern over the text as
    written, giving the counts and the adjacent pairs; the folded postings are its columns merged by
    folded word); a caller rebuilds it when the store changes (``PRAGMA data_version``).
    """

    def __init__(
        self,
        # folded word -> articles, TITLE_WEIGHT * tf_title + TEXT_WEIGHT * tf_text (then, once built,
        # the term's BM25 part: _term_scores)
        folded: _Postings,
        exact: _Postings,  # lowercased word as written -> articles holding it in title or text
        rowids: np.ndarray[Any, np.dtype[np.int64]],
        doclen: np.ndarray[Any, np.dtype[np.float64]],
        published: np.ndarray[Any, Any],
        sources: np.ndarray[Any, Any],
        folded_pairs: _Pairs,  # adjacent folded words (word numbers of ``folded.vocab``)
        exact_pairs: _Pairs,  # adjacent words as written, lowercased (word numbers of ``exact.vocab``)
        capitalized_pairs: _Pairs,  # those of them written both capitalized somewhere in the article
        # Every title's and text's words (numbers of ``exact.vocab``, -1 at a break) as int32 bytes,
        # and where each column of each article starts in it (titles, then texts): for runs of 3+ words.
        sequence: tuple[bytes, Int64s],
        event_lo: np.ndarray[Any, Any],  # earliest start of the article's events; "" where none
        event_hi: np.ndarray[Any, Any],  # latest end of them
        forms: tuple[Int64s, Int64s],  # per folded word, the written words folding to it (CSR: ptr, ids)
    ) -> None:
        self.folded = folded
        self.forms_ptr, self.forms = forms
        self.words = list(exact.vocab)  # written words by number
        self.exact = exact
        self.folded_pairs = folded_pairs
        self.exact_pairs = exact_pairs
        self.capitalized_pairs = capitalized_pairs
        self.sequence, self.segments = sequence
        self.event_lo = event_lo
        self.event_hi = event_hi
        self.rowids = rowids
        self.doclen = doclen
        n = len(rowids)
        self.avgdl = float(doclen.sum()) / n if n else 1.0
        self.published = published  # "" where unknown
        self.sources = sources  # ASCII-lowercased (SQLite's NOCASE); "\0" where unknown
        self._term_scores()

    @classmethod
    def build(cls, conn: sqlite3.Connection) -> SearchIndex:
        """The index of every article in the store (read in one transaction: one consistent snapshot)."""
        from scipy import sparse

        own = not conn.in_transaction
        if own:
            conn.execute("BEGIN")
        try:
            rows = conn.execute(
                "SELECT a.rowid, a.published, a.source, d.sz FROM articles a"
                " JOIN articles_fts_docsize d ON d.id = a.rowid ORDER BY a.rowid"
            ).fetchall()
            n = len(rows)

            def column(name: str) -> Iterator[str]:
                # Streamed from FTS5's content table (c0 title, c1 text, rowid order), not held in a
                # list: the build's peak memory is then the vectorizer's, not the whole store's text.
                cur = conn.cursor()
                cur.row_factory = None
                yield from (r[0] for r in cur.execute(f"SELECT {name} FROM articles_fts_content ORDER BY id"))

            # One pass over title and text as written (lowercased, unicode61's tokens, and the gaps that
            # break adjacency: _SEQUENCE): each word or break as a vocabulary number, kept in order in a
            # compact array (10,000 articles hold ~5 million words), from which come both the
            # per-article counts and the adjacent pairs. Hand-written rather than scikit-learn's
            # CountVectorizer, which gives the counts but not the order: a second tokenising pass for
            # the pairs doubled the build's CPU.
            vocab: dict[str, int] = {}
            seq, seg = array("i"), array("i")
            for i, doc in enumerate(itertools.chain(column("c0"), column("c1"))):
                before = len(seq)
                seq.extend([vocab.setdefault(t, len(vocab)) for t in _SEQUENCE.findall(doc)])
                seg.extend(itertools.repeat(i, len(seq) - before))
            spans = dict(conn.execute(
                "SELECT a.rowid, s.lo || '|' || s.hi FROM articles a"
                f" JOIN ({_EVENT_SPANS}) s ON s.article = a.id"
            ).fetchall())  # fmt: skip
        finally:
            if own:
                conn.execute("COMMIT")
        # Words lowercased and numbered apart from breaks (a break: -1, kept in the sequence between its
        # two words); whether each word as written starts with a capital.
        lower: dict[str, int] = {}
        renumber = np.array(
            [lower.setdefault(t.lower(), len(lower)) if _TOKEN_CHARS.match(t) else -1 for t in vocab],
            dtype=np.int64,
        )
        caps = np.array([t[:1].isupper() for t in vocab], dtype=bool)
        words = list(lower)
        written = np.frombuffer(seq, dtype=np.int32) if len(seq) else np.zeros(0, dtype=np.int32)
        seq_ids, seq_caps = renumber[written], caps[written]
        segs_all = np.frombuffer(seg, dtype=np.int32) if len(seg) else np.zeros(0, dtype=np.int32)
        # Adjacent pairs: two words next to each other in the sequence (no break between) of one column
        # of one article (a title's last word and its text's first are not adjacent).
        ok = (seq_ids[:-1] >= 0) & (seq_ids[1:] >= 0) & (segs_all[1:] == segs_all[:-1])
        cap = (seq_caps[:-1] & seq_caps[1:])[ok]
        first, second, art = seq_ids[:-1][ok], seq_ids[1:][ok], segs_all[:-1][ok] % max(n, 1)
        is_tok = seq_ids >= 0
        ids, segs = seq_ids[is_tok], segs_all[is_tok]
        counts = sparse.csr_matrix(
            (np.ones(len(ids)), (segs, ids)), shape=(2 * n, len(words)), dtype=np.float64
        )  # repeated (article, word) entries are summed: the counts
        title, text = counts[:n], counts[n:]
        # Merge the columns of words that fold alike ("đàm", "đâm", "dam" -> "dam") with a 0/1 matrix.
        fvocab: dict[str, int] = {}
        fcol = np.array([fvocab.setdefault(fold_aligned(w), len(fvocab)) for w in words], dtype=np.int64)
        merge = sparse.csr_matrix(
            (np.ones(len(words)), (np.arange(len(words)), fcol)), shape=(len(words), len(fvocab))
        )
        exact_pairs = _pair_index(first * len(words) + second, art, n, len(words))
        capitalized_pairs = _pair_index((first * len(words) + second)[cap], art[cap], n, len(words))
        folded_pairs = _pair_index(fcol[first] * len(fvocab) + fcol[second], art, n, len(fvocab))
        rowid_list = [r[0] for r in rows]
        lo = np.array([spans.get(r, "|").split("|")[0] for r in rowid_list], dtype=str)
        hi = np.array([spans.get(r, "|").split("|")[1] for r in rowid_list], dtype=str)
        return cls(
            _Postings(fvocab, (TITLE_WEIGHT * title + TEXT_WEIGHT * text) @ merge),
            _Postings({w: i for i, w in enumerate(words)}, title + text, weights=False),
            np.array([r[0] for r in rows], dtype=np.int64),
            # FTS5's document length: the tokens of all four columns (docsize record).
            np.array([sum(_varints(r[3])) for r in rows], dtype=np.float64),
            np.array([r[1] or "" for r in rows], dtype=str),
            np.array([_ascii_lower(r[2]) if r[2] is not None else "\0" for r in rows], dtype=str),
            folded_pairs,
            exact_pairs,
            capitalized_pairs,
            (seq_ids.astype(np.int32).tobytes(), np.searchsorted(segs_all, np.arange(2 * n + 1))),
            lo,
            hi,
            (np.concatenate([[0], np.cumsum(np.bincount(fcol, minlength=len(fvocab)))]).astype(np.int64),
             np.argsort(fcol, kind="stable").astype(np.int64)),
        )  # fmt: skip

    def _term_scores(self) -> None:
        """Turn the folded postings' weighted frequencies into each term's BM25 part per article.

        FTS5's bm25() sums, per query term, max(idf, 1e-6) * f * (K1 + 1) / (f + K1 * (1 - B + B * dl /
        avgdl)); idf depends on the term's document count, the rest on the article: neither on the
        query, so the part is computed once here (the same float operations, so the same values) and a
        query only gathers and adds them."""
        fp, n = self.folded, len(self.rowids)
        norm = K1 * (1 - B + B * self.doclen / self.avgdl)
        df = np.diff(fp.indptr)
        # math.log as before, not np.log (whose vectorised log may differ in the last bit), once per
        # distinct document count: a few hundred values.
        counts, which = np.unique(df, return_inverse=True)
        idf = np.array([max(math.log((n - c + 0.5) / (c + 0.5)), 1e-6) for c in counts.tolist()])[which]
        f = fp.data
        fp.data = np.repeat(idf, df) * ((f * (K1 + 1.0)) / (f + norm[fp.indices]))

    def __len__(self) -> int:
        return len(self.rowids)

    def _holds(self, art: int, pattern: bytes) -> bool:
        """Whether the title or the text of the article at position ``art`` holds the words of
        ``pattern`` (int32 word numbers) one after the other, no break between."""
        n = len(self.rowids)
        for seg in (art, art + n):
            start, end = int(self.segments[seg]) * 4, int(self.segments[seg + 1]) * 4
            while (at := self.sequence.find(pattern, start, end)) >= 0:
                if at % 4 == 0:  # on a word's boundary, not across two words' bytes
                    return True
                start = at + 1
        return False

    def _pair_table(self, fa: int, fb: int, capitalized: bool) -> dict[tuple[str, str], int]:
        """How many articles hold each written form of the folded pair (``fa``, ``fb``) adjacent (and
        written capitalized, if ``capitalized`` and any article writes it so)."""
        if capitalized:
            table = self._count_pairs(self.capitalized_pairs, fa, fb)
            if table:
                return table
        return self._count_pairs(self.exact_pairs, fa, fb)

    def _count_pairs(self, ep: _Pairs, fa: int, fb: int) -> dict[tuple[str, str], int]:
        """How many articles each pair of ``ep`` whose words fold to (``fa``, ``fb``) is held by."""
        a = self.forms[self.forms_ptr[fa] : self.forms_ptr[fa + 1]]
        b = self.forms[self.forms_ptr[fb] : self.forms_ptr[fb + 1]]
        keys = (a[:, None] * ep.width + b[None, :]).ravel()
        if not len(ep.keys) or not len(keys):
            return {}
        i = np.minimum(np.searchsorted(ep.keys, keys), len(ep.keys) - 1)
        hit = ep.keys[i] == keys
        df = (ep.indptr[i + 1] - ep.indptr[i])[hit]
        words = self.words
        return {
            (words[k // ep.width], words[k % ep.width]): d
            for k, d in zip(keys[hit].tolist(), df.tolist(), strict=True)
        }

    def rank(
        self,
        terms: list[Term],
        exact_words: list[str] | None,
        date_from: str | None,
        date_to: str | None,
        source: str | None,
        k: int,
    ) -> Ranked | None:
        """As ``_rank_fts``, or None when this index cannot answer (a phrase, a prefix, a word it does
        not hold: FTS5 then decides, which for an unknown word is quick). ``exact_words``: the query's
        words as written (lowercased) when exact matches rank first."""
        fp = self.folded
        cols = []
        for t in terms:
            if t.prefix or len(t.words) != 1:
                return None
            word = fold_aligned(t.words[0]).lower()
            col = fp.vocab.get(word)
            if col is None or not _TOKEN_CHARS.fullmatch(word):
                return None
            cols.append(col)
        # Rarest term first: the candidates only shrink. Positions are in rowid order. Each term's BM25
        # part (``_term_scores``) is gathered as the candidates are found, and kept in step with them.
        by_df = sorted(set(cols), key=lambda c: fp.indptr[c + 1] - fp.indptr[c])
        span = fp.span(by_df[0])
        cand = fp.indices[span]
        parts = {by_df[0]: fp.data[span]}
        for col in by_df[1:]:
            found, pos = fp.locate(col, cand)
            cand = cand[found]
            parts = {c: part[found] for c, part in parts.items()}
            parts[col] = fp.data[fp.span(col)][pos[found]]
        keep = None
        if date_from or date_to:
            # Published in the window, or reporting an event dated in it (as _rank_fts).
            pub, lo, hi = self.published[cand], self.event_lo[cand], self.event_hi[cand]
            keep, ev = pub != "", hi != ""
            if date_from:
                keep, ev = keep & (pub >= date_from), ev & (hi >= date_from)
            if date_to:
                keep = keep & (pub.astype(f"<U{len(date_to)}") <= date_to)
                ev = ev & (lo.astype(f"<U{len(date_to)}") <= date_to)
            keep = keep | ev
        if source:
            src = self.sources[cand] == _ascii_lower(source)
            keep = src if keep is None else keep & src
        if keep is not None:
            cand = cand[keep]
            parts = {c: part[keep] for c, part in parts.items()}
        if not len(cand):
            return 0, []
        # FTS5's bm25() sums the terms' parts in query order (a repeated term counts each time); the
        # rank is minus the sum.
        score = np.zeros(len(cand))
        for col in cols:
            score += parts[col]
        rank = -score
        exact = np.zeros(len(cand), dtype=bool)
        if exact_words:
            exact[:] = True
            for w in exact_words:
                ecol = self.exact.vocab.get(w)
                exact &= False if ecol is None else self.exact.holding(ecol, cand)
        # The tiers (module docstring): adjacent pairs held in the reading (as typed, or restored from
        # the corpus when typed without diacritics), pairs held folded, every word as written; one
        # number, compared first.
        n_pairs = 0
        nf = np.zeros(len(cand), dtype=np.int64)
        ne = np.zeros(len(cand), dtype=np.int64)
        nw = np.zeros(len(cand), dtype=np.int64)
        for run in runs(terms):
            fcols = [fp.vocab[_fold_word(w)] for w in run]
            reading = (
                [w.lower() for w in run]
                if exact_words
                else restore(
                    [
                        self._pair_table(fa, fb, capitalized(a, b))
                        for (fa, fb), (a, b) in zip(
                            itertools.pairwise(fcols), itertools.pairwise(run), strict=True
                        )
                    ]
                )
            )
            for (fa, fb), x, y in zip(itertools.pairwise(fcols), reading, reading[1:], strict=False):
                n_pairs += 1
                nf += self.folded_pairs.holding(fa, fb, cand)
                ea = self.exact.vocab.get(x) if x is not None else None
                eb = self.exact.vocab.get(y) if y is not None else None
                if ea is not None and eb is not None:
                    ne += self.exact_pairs.holding(ea, eb, cand)
            ids = [self.exact.vocab.get(w) if w is not None else None for w in reading]
            if len(run) >= 3 and None not in ids:
                # A run of 3+ words held whole, among the articles holding each of its pairs.
                every = np.ones(len(cand), dtype=bool)
                for a, b in itertools.pairwise(ids):
                    every &= self.exact_pairs.holding(a, b, cand)  # type: ignore[arg-type]
                pattern = np.array(ids, dtype=np.int32).tobytes()
                for i in np.flatnonzero(every).tolist():
                    nw[i] += self._holds(int(cand[i]), pattern)
        m = n_pairs + 1
        tier = ((nw * m + ne) * m + nf) * 2 + exact
        rowids = self.rowids[cand]
        # ORDER BY tier DESC, rank, rowid: the best tier's best k, then the next tier's...
        best = np.zeros(0, dtype=np.intp)
        for t in np.unique(tier)[::-1]:
            best = np.concatenate([best, _best(np.flatnonzero(tier == t), rank, rowids, k - len(best))])
            if len(best) >= k:
                break
        top = [(int(rowids[i]), float(rank[i]), bool(exact[i])) for i in best]
        return len(cand), top


def _best(
    sel: np.ndarray[Any, np.dtype[np.intp]],
    rank: np.ndarray[Any, np.dtype[np.float64]],
    rowids: np.ndarray[Any, np.dtype[np.int64]],
    k: int,
) -> np.ndarray[Any, np.dtype[np.intp]]:
    """The ``k`` best of ``sel`` by (rank, rowid); only those are sorted."""
    if len(sel) > k > 0:
        kth = np.partition(rank[sel], k - 1)[k - 1]
        sel = sel[rank[sel] <= kth]  # the k best and any ties with the k-th
    return sel[np.lexsort((rowids[sel], rank[sel]))][:k]


def _ascii_lower(text: str) -> str:
    """Lowercase A-Z only, as SQLite's NOCASE collation compares."""
    return text.translate(_ASCII_LOWER)


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _patterns(terms: list[Term]) -> re.Pattern[str]:
    """A regex finding the terms (folded, lowercased) as whole words, or word prefixes.

    Each alternative starts with its first word's letters and checks the word boundary before it with
    a lookbehind placed after them: the regex engine can then skip ahead to the possible first
    letters instead of trying the boundary at every position (~3x faster over a snippet's window)."""
    alts = []
    for t in terms:
        words = [re.escape(fold_aligned(w).lower()) for w in t.words]
        body = r"\W+".join(words)
        alts.append(
            rf"{words[0]}(?<!\w{words[0]}){body[len(words[0]) :]}" + (r"\w*" if t.prefix else r"(?!\w)")
        )
    return re.compile("|".join(alts))


def _lower_aligned(text: str) -> str:
    """``text.lower()`` keeping one character per character (``"İ".lower()`` is two)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(lc := c.lower()) != 1 else lc for c in text)


def snippet(
    text: str,
    terms: list[Term],
    width: int = SNIPPET_CHARS,
    *,
    folded: str | None = None,
    pattern: re.Pattern[str] | None = None,
) -> str:
    """An escaped window of ``text`` around the first match, every match wrapped in <mark>.

    Done in Python rather than with FTS5's snippet(): matches are found on the folded text, and folding
    keeps offsets (``fold_aligned``), so the marks land on the original, accented words. ``folded`` is
    ``fold_aligned(text)`` when the caller has it; ``pattern`` is ``_patterns(terms)``.
    """
    if pattern is None:
        pattern = _patterns(terms)
    if folded is None or len(folded) != len(text):
        folded = fold_aligned(text)
    folded = _lower_aligned(folded)
    first = pattern.search(folded)
    start = 0 if first is None else max(0, first.start() - width // 3)
    if start:
        # Start on a word boundary.
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 30 else start
    end = min(len(text), start + width)
    # The window with the matches between two control characters, escaped in one call, then the
    # controls become the tags (one escape per snippet instead of two per match: ~2x cheaper). Article
    # text holding those controls has them shown as U+FFFD (same length, so offsets stay aligned).
    if "\x00" in text or "\x01" in text:
        text = text.replace("\x00", "\ufffd").replace("\x01", "\ufffd")
    out: list[str] = []
    pos = start
    for m in pattern.finditer(folded, start, end):
        out += (text[pos : m.start()], "\x00", text[m.start() : m.end()], "\x01")
        pos = m.end()
    out.append(text[pos:end])
    body = html.escape("".join(out)).replace("\x00", "<mark>").replace("\x01", "</mark>")
    return ("…" if start else "") + body + ("…" if end < len(text) else "")
