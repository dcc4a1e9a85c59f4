"""Accent-insensitive full-text search over a store (SQLite FTS5, BM25 ranking).

Queries are never passed to FTS5 as written: they are split into words (letters and digits only),
"quoted phrases" and ``word*`` prefixes, and each token is re-quoted, so FTS5 operators (NEAR, OR,
parentheses, column filters) and SQL in the input are just words. Matching runs on folded columns
("điện đàm" -> "dien dam", "đ" -> "d"); when the query itself has diacritics, articles that also match
it as written rank first.
"""

from __future__ import annotations

import html
import re
import sqlite3
from dataclasses import dataclass, field

from .store import fold_aligned

# A "phrase", or a run of word characters optionally followed by * (prefix search).
_TOKEN = re.compile(r'"([^"]*)"|(\w+)(\*?)')
_WORD = re.compile(r"\w+")
MAX_TERMS = 32  # longer queries are cut: BM25 over 30+ terms is noise and costs time
SNIPPET_CHARS = 220
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class QueryError(ValueError):
    """A query or filter that cannot be run; the message says what to change."""


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
    """Words, "phrases" and word* prefixes of a user query; everything else is dropped."""
    terms: list[Term] = []
    for m in _TOKEN.finditer(query):
        if m.group(1) is not None:
            words = _WORD.findall(m.group(1))
            if words:
                terms.append(Term(words))
        else:
            terms.append(Term([m.group(2)], prefix=bool(m.group(3))))
    return terms[:MAX_TERMS]


def _fts(terms: list[Term], fold: bool) -> str:
    """An FTS5 query from parsed terms: each token double-quoted (inner quotes doubled), ANDed."""
    parts = []
    for t in terms:
        words = [fold_aligned(w).lower() if fold else w.lower() for w in t.words]
        phrase = " ".join(words).replace('"', '""')
        parts.append(f'"{phrase}"' + ("*" if t.prefix else ""))
    return " AND ".join(parts)


def has_diacritics(text: str) -> bool:
    return fold_aligned(text) != text


def _check_date(value: str | None, name: str) -> str | None:
    if value is None or value == "":
        return None
    if not _DATE.match(value):
        raise QueryError(f"{name}: expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}")
    return value


def search(
    conn: sqlite3.Connection,
    query: str,
    *,
    date_from: str | None = None,
    date_to: str | None = None,
    source: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> Results:
    """Articles matching ``query`` (accent-insensitive), best first, with highlighted snippets."""
    terms = parse(query)
    if not terms:
        return Results(query, 0, message="Nhập từ khoá để tìm (enter words to search for).")
    date_from = _check_date(date_from, "from")
    date_to = _check_date(date_to, "to")
    limit = max(1, min(limit, 100))
    offset = max(0, offset)
    folded = "{title_f text_f} : (" + _fts(terms, fold=True) + ")"
    exact_q = "{title text} : (" + _fts(terms, fold=False) + ")" if has_diacritics(query) else None
    params: dict[str, object] = {"q": folded, "limit": limit, "offset": offset}
    filters = []
    if date_from:
        filters.append("a.published >= :from")
        params["from"] = date_from
    if date_to:
        # "2021-04" covers the whole month: compare on the prefix of the same length.
        filters.append("substr(a.published, 1, :tolen) <= :to")
        params["to"] = date_to
        params["tolen"] = len(date_to)
    if source:
        filters.append("a.source = :source COLLATE NOCASE")
        params["source"] = source
    exact_sql = "0"
    if exact_q:
        exact_sql = "(f.rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH :exact))"
        params["exact"] = exact_q
    # Cost (10,000 articles, a common word matching ~2,000 of them): the articles table is joined only
    # when a filter needs it, and only the page of hits is joined for its text, so the sorter carries
    # (rowid, rank) pairs rather than whole articles: ~3 ms instead of ~9 ms a query.
    if filters:
        base = (
            "FROM articles_fts f JOIN articles a ON a.rowid = f.rowid"
            f" WHERE f.articles_fts MATCH :q AND {' AND '.join(filters)}"
        )
    else:
        base = "FROM articles_fts f WHERE f.articles_fts MATCH :q"
    # f.rank is BM25 weighted per column (store migration 2): a title match counts 3x a body match.
    sql = (
        "SELECT a.id, a.title, a.source, a.published, a.text, p.score, p.exact, t.text_f FROM"
        f" (SELECT f.rowid AS rid, f.rank AS score, {exact_sql} AS exact {base}"
        "  ORDER BY exact DESC, score, f.rowid LIMIT :limit OFFSET :offset) p"
        " JOIN articles a ON a.rowid = p.rid JOIN articles_fts t ON t.rowid = p.rid"
        " ORDER BY p.exact DESC, p.score, p.rid"
    )
    try:
        total = int(conn.execute(f"SELECT count(*) {base}", params).fetchone()[0])
        rows = conn.execute(sql, params).fetchall() if total > offset else []
    except sqlite3.OperationalError as exc:
        # Quoting makes this unreachable for ordinary input; keep the promise of no traceback anyway.
        raise QueryError(f"cannot run this query ({exc})") from exc
    pattern = _patterns(terms)
    hits = [
        # The stored folded text (text_f, offset-aligned with text) saves folding each hit again.
        Hit(
            r[0],
            r[1],
            r[2],
            r[3],
            float(r[5]),
            bool(r[6]),
            snippet(r[4], terms, folded=r[7], pattern=pattern),
        )
        for r in rows
    ]
    return Results(query, total, hits, None if total else "Không tìm thấy kết quả (no results).")


def _patterns(terms: list[Term]) -> re.Pattern[str]:
    alts = []
    for t in terms:
        words = [re.escape(fold_aligned(w).lower()) for w in t.words]
        body = r"\W+".join(words)
        alts.append(rf"(?<!\w){body}" + (r"\w*" if t.prefix else r"(?!\w)"))
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
    out = ["…" if start else ""]
    pos = start
    for m in pattern.finditer(folded, start, end):
        out.append(html.escape(text[pos : m.start()]))
        out.append("<mark>" + html.escape(text[m.start() : m.end()]) + "</mark>")
        pos = m.end()
    out.append(html.escape(text[pos:end]))
    if end < len(text):
        out.append("…")
    return "".join(out)
