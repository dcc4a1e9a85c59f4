"""Every SQL query of the web server, shared by the HTML pages and the JSON API: plain dicts out, None
for an id that is not in the store (the routes turn that into a 404)."""

from __future__ import annotations

import sqlite3
from typing import Any

from .. import frontpage, report, store
from .. import search as _search
from .db import Db, SearchIndexes


def sources(c: sqlite3.Connection) -> list[str]:
    """Every outlet named by an article (the search form's choices)."""
    return list(store.sources(c))


def story_list(db: Db) -> list[dict[str, Any]]:
    """Every story with its number of events and first and last dates, in the store's story order."""
    return [dict(r) for r in db.memo("stories", story_rows)]


def story_rows(c: sqlite3.Connection) -> list[dict[str, Any]]:
    rows = c.execute(
        "SELECT s.id, s.title, count(se.event) AS n, min(e.date) AS first, max(e.date) AS last"
        " FROM stories s LEFT JOIN story_events se ON se.story = s.id"
        " LEFT JOIN events e ON e.id = se.event GROUP BY s.id ORDER BY s.pos"
    ).fetchall()
    return [dict(r) for r in rows]


def front_page(db: Db) -> list[dict[str, Any]]:
    """Every story in front-page order (``frontpage.rank``): title, honest dates, numbers of events,
    articles and outlets, its two-sentence summary and its three latest events. Made once per data
    version (a pass over every story's events)."""
    return db.memo("front", _front_page)


def _front_page(c: sqlite3.Connection) -> list[dict[str, Any]]:
    events = story_events(c)
    arts: dict[str, set[str]] = {}
    for story, article in c.execute(
        "SELECT se.story, ea.article FROM story_events se JOIN event_articles ea ON ea.event = se.event"
    ):
        arts.setdefault(story, set()).add(article)
    summaries: dict[str, list[dict[str, str]]] = {}
    for story, text, article in c.execute(
        "SELECT story, text, article FROM story_summaries ORDER BY story, pos"
    ):
        summaries.setdefault(story, []).append({"text": text, "article": article})
    cards, stats = {}, []
    for r in c.execute("SELECT id, title FROM stories ORDER BY pos"):
        evs = events.get(r["id"], [])
        first, last = frontpage.story_dates(e["date"] for e in evs)
        st = frontpage.StoryStats(
            r["id"], len(arts.get(r["id"], ())), len({o for e in evs for o in e["sources"]}), first, last
        )
        stats.append(st)
        summary = summaries.get(r["id"]) or []
        if not summary and len(evs) == 1:  # a one-event story's summary is its event's
            summary = [
                {"text": t, "article": a}
                for t, a in c.execute(
                    "SELECT text, article FROM summaries WHERE event = ? ORDER BY pos LIMIT 2",
                    (evs[0]["id"],),
                )
            ]
        cards[r["id"]] = {
            "id": r["id"], "title": r["title"], "events": len(evs), "articles": st.articles,
            "outlets": st.outlets, "when": frontpage.when_span(st.first, st.last), "summary": summary[:2],
            "latest": list(reversed(evs[-3:])),
        }  # fmt: skip
    return [cards[sid] for sid in frontpage.rank(stats)]


def story_card(db: Db, story_id: str) -> dict[str, Any] | None:
    """The story's front-page card (title, dates, counts, summary), from the memoised front page."""
    cards = db.memo("front_by_id", lambda c: {card["id"]: card for card in front_page(db)})
    return cards.get(story_id)


def event_summaries(db: Db, ids: list[str]) -> dict[str, list[dict[str, str]]]:
    """Each event's summary sentences (text and article), for the events ``ids``."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    out: dict[str, list[dict[str, str]]] = {}
    for event, text, article in db.conn().execute(
        f"SELECT event, text, article FROM summaries WHERE event IN ({marks}) ORDER BY event, pos", ids
    ):
        out.setdefault(event, []).append({"text": text, "article": article})
    return out


def latest_events(db: Db, limit: int = 20) -> list[dict[str, Any]]:
    """The latest ``limit`` events by date (undated last)."""
    if limit == 20:  # the home page's: a sort over every event (~2 ms), made once per data version
        return db.memo("latest", lambda c: _latest_events(c, 20))
    return _latest_events(db.conn(), limit)


def _latest_events(c: sqlite3.Connection, limit: int) -> list[dict[str, Any]]:
    rows = c.execute(
        "SELECT id, title, date, date_start, date_end, day, sources FROM events"
        " ORDER BY date IS NULL, date DESC, pos LIMIT ?",
        (limit,),
    )
    return [
        {
            "id": r["id"],
            "title": r["title"],
            "date": r["date"],
            "when": report.when_text(r["date"], r["date_start"], r["date_end"], r["day"]),
            "sources": store._json_list(r["sources"]),
        }
        for r in rows
    ]


def article_brief(c: sqlite3.Connection, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Title (and whether it is derived from the body), outlet, date and URL of each article of ``ids``
    that the store holds."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    rows = c.execute(
        f"SELECT id, title, title_derived, source, published, url FROM articles WHERE id IN ({marks})", ids
    )
    return {r["id"]: {**dict(r), "title_derived": bool(r["title_derived"])} for r in rows}


def story_data(db: Db, story_id: str, offset: int = 0, limit: int | None = None) -> dict[str, Any] | None:
    """The story with ``total`` (its number of events) and the events ``offset`` to ``offset + limit``
    (all by default) in timeline order."""
    s = db.conn().execute("SELECT id, title FROM stories WHERE id = ?", (story_id,)).fetchone()
    if s is None:
        return None
    evs = db.memo("story_events", story_events).get(story_id, [])
    end = len(evs) if limit is None else offset + limit
    return {"id": s["id"], "title": s["title"], "total": len(evs), "events": evs[offset:end]}


def story_events(c: sqlite3.Connection) -> dict[str, list[dict[str, Any]]]:
    """Every story's events in timeline order, made once per data version (at start-up, then on the first
    request after a change): a story can hold thousands of events (8,500 of the 10k-article load
    store's), ~50 ms to join, decode and sort, which each page of it would otherwise pay."""
    out: dict[str, list[dict[str, Any]]] = {}
    # One join rather than load_event per event. The digest's timeline order (timeline.order_events:
    # dates and honest ranges placed by what is known), then the story's own order; ordering by the
    # exact date alone put every event with only a range ("2017-04-03 – 2026-06-30") last.
    rows = c.execute(
        "SELECT se.story, e.id, e.title, e.date, e.date_start, e.date_end, e.day, e.sources, e.kind"
        " FROM story_events se"
        " JOIN events e ON e.id = se.event"
        " ORDER BY se.story, e.timeline_pos IS NULL, e.timeline_pos, e.date IS NULL, e.date, se.pos"
    )
    for story, eid, title, date, lo, hi, day, srcs, kind in rows:
        out.setdefault(story, []).append(
            {
                "id": eid,
                "title": title,
                "date": date,
                "date_range": [lo, hi],
                "when": report.when_text(date, lo, hi, day),
                "sources": store._json_list(srcs),
                "kind": report.kind_label(kind),
            }
        )
    return out


def event_data(db: Db, event_id: str) -> dict[str, Any] | None:
    """One event: date and its evidence, summary sentences with their articles, articles, copies."""
    c = db.conn()
    e = store.load_event(c, event_id)
    if e is None:
        return None
    arts = article_brief(c, e.articles + [s.article for s in e.summary])
    story = c.execute(
        "SELECT s.id, s.title FROM story_events se JOIN stories s ON s.id = se.story WHERE se.event = ?",
        (event_id,),
    ).fetchone()
    return {
        "id": e.id,
        "title": e.title,
        "date": e.date,
        "date_range": list(e.date_range),
        "when": report.format_when(e),
        "day": e.day,
        "date_evidence": e.date_evidence,
        "sources": e.sources,
        "kind": report.kind_label(e.kind),
        "story": story[0] if story else None,
        "story_title": story[1] if story else None,
        # Each sentence with the title and outlet of its article (the page's tooltip names the article,
        # never its internal id).
        "summary": [
            {
                "text": s.text,
                "article": s.article,
                "title": arts.get(s.article, {}).get("title"),
                "source": arts.get(s.article, {}).get("source"),
            }
            for s in e.summary
        ],
        "articles": [arts[a] for a in e.articles if a in arts],
        "also_published_by": [
            {"article": arts.get(k, {"id": k}), "copies": [arts.get(x, {"id": x}) for x in copies]}
            for k, copies in e.also_published_by.items()
        ],
    }


def article_data(db: Db, article_id: str) -> dict[str, Any] | None:
    """One clean article, the lines removed from it and why, and the events it reports."""
    c = db.conn()
    a = store.get_article(c, article_id)
    if a is None:
        return None
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
        "title_derived": a.title_derived,
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
    db: Db,
    indexes: SearchIndexes,
    q: str,
    date_from: str | None,
    date_to: str | None,
    source: str | None,
    page_no: int,
) -> _search.Results:
    """One page of 20 search results; a query that cannot be used gives a message, no hits. A date
    filter that is not a date raises ``search.DateError`` (the routes answer 422)."""
    c = db.conn()
    try:
        res = _search.search(
            c, q, date_from=date_from, date_to=date_to, source=source, limit=20,
            offset=(page_no - 1) * 20, index=indexes.get(c),
        )  # fmt: skip
    except _search.DateError:
        raise
    except _search.QueryError as exc:
        return _search.Results(q, 0, message=str(exc))
    return res
