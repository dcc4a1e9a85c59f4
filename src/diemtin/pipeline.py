"""The one place that wires the stages: ingest → clean → dedup → events → dating + summarize →
stories → timeline.

Stages are pure functions over the data classes in ``models``; an ``Executor`` decides where the
per-item work runs (in this process, or on Dask workers), so the same pipeline runs either way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import BinaryIO, Protocol, TypeVar

from . import cache as memo
from . import clean, dating, dedup, events, features, ingest, stories, summarize, timeline
from .models import Article, Digest, Event, RawDocument, Skipped, SummarySentence, TemporalExpression

T = TypeVar("T")
R = TypeVar("R")


class Executor(Protocol):
    """Where per-item stage work runs. ``map`` must preserve order."""

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> list[R]: ...


class InProcessExecutor:
    """Runs everything in the calling process (the default)."""

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
        return [fn(x) for x in items]


Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass(slots=True)
class Options:
    """Knobs of one run; defaults are what the CLI uses."""

    summary_length: int = 80  # syllables per event summary (a short paragraph, 2-4 sentences); 0: none
    # The batch's as-of date (when it was crawled): every page existed by then. It is the only "today"
    # the pipeline knows: nothing reads the machine's calendar, so the same input and as_of give the
    # same digest on any day (docs/dating.md).
    as_of: date | None = None
    # Each input file's modification time is the day it was crawled (a folder saved by a crawler):
    # a ``crawled`` date anchor of its articles (``ingest.mtime_anchor``).
    mtime_is_crawl_date: bool = False
    executor: Executor = field(default_factory=InProcessExecutor)
    progress: Progress | None = None
    # Per-article and per-event results of earlier runs (``cache``: a store keeps them between ingests);
    # the digest is the same with or without.
    cache: memo.Cache | None = None


def read(
    paths: Iterable[str], stdin: BinaryIO | None = None, executor: Executor | None = None
) -> tuple[list[RawDocument], list[Skipped]]:
    """Ingest stage: every readable document, and every input skipped with its reason.

    With an executor whose workers see this machine's files (``local``: worker processes here), files
    are read and decoded there in chunks; ids are assigned here, in input order, so the result is the
    same as reading them one by one.
    """
    docs: list[RawDocument] = []
    skipped: list[Skipped] = []
    if executor is None or not getattr(executor, "local", False):
        found: Iterable[RawDocument | Skipped] = ingest.read_inputs(paths, stdin=stdin)
    else:
        items = ingest.discover_items(paths)
        files = [it for it in items if isinstance(it, str) and it != "-"]
        done = dict(zip(files, _on(executor, _read_chunk, files), strict=True))
        found = ingest.assign_ids(
            (
                d
                for it in items
                for d in (done[it] if isinstance(it, str) and it in done else ingest.read_item(it, stdin))
            ),
            {},
        )
    for item in found:
        (skipped if isinstance(item, Skipped) else docs).append(item)  # type: ignore[arg-type]
    return docs, skipped


def _read_chunk(files: list[str]) -> list[list[RawDocument | Skipped]]:
    return [ingest.read_item(f) for f in files]


def drop_empty(articles: Sequence[Article]) -> tuple[list[Article], list[Skipped]]:
    """Articles left with no body after cleaning are reported as skipped, not digested."""
    kept = [a for a in articles if a.text.strip()]
    empty = [
        Skipped(a.path, f"{a.path}: no article text left after removing boilerplate")
        for a in articles
        if not a.text.strip()
    ]
    return kept, empty


# Items per executor task: a Dask task costs about a millisecond to schedule, so 10k one-article tasks
# would cost more than the work; a few hundred per task still spreads a large run over every worker.
CHUNK = 256


def _chunks(items: Sequence[T]) -> list[list[T]]:
    return [list(items[i : i + CHUNK]) for i in range(0, len(items), CHUNK)]


def _on(executor: Executor, fn: Callable[[list[T]], list[R]], items: Sequence[T]) -> list[R]:
    """``fn`` over chunks of ``items`` on the executor, results flattened back into item order."""
    return [r for part in executor.map(fn, _chunks(items)) for r in part]


def _cached(
    executor: Executor,
    cache: memo.Cache | None,
    kind: memo.Kind[R],
    keys: Sequence[str] | None,
    fn: Callable[[list[T]], list[R]],
    items: Sequence[T],
) -> list[R]:
    """``_on(executor, fn, items)``, taking from ``cache`` the results held under the items' ``keys``
    and putting the ones computed here."""
    if cache is None or keys is None:
        return _on(executor, fn, items)
    found = cache.get(kind, keys)
    missing = [i for i, k in enumerate(keys) if k not in found]
    computed = dict(
        zip((keys[i] for i in missing), _on(executor, fn, [items[i] for i in missing]), strict=True)
    )
    cache.put(kind, computed)
    return [found[k] if k in found else computed[k] for k in keys]


def _clean_chunk(job: list[tuple[RawDocument, frozenset[str]]]) -> list[Article]:
    return [clean.clean_document(doc, rep) for doc, rep in job]


def clean_all(docs: Sequence[RawDocument], executor: Executor | None = None) -> list[Article]:
    """``clean.clean_documents`` with the per-document work on the executor (same result): the
    corpus-level signal (lines an outlet repeats across pages) is computed here, over all documents."""
    reps = clean.repeated_lines(docs)
    return _on(executor or InProcessExecutor(), _clean_chunk, list(zip(docs, reps, strict=True)))


def _date_chunk(job: list[tuple[Article, date | None]]) -> list[TemporalExpression | None]:
    return [_article_date(a, as_of) for a, as_of in job]


def _article_date(article: Article, as_of: date | None) -> TemporalExpression | None:
    """``dating.article_date``, or no date when the article's dates run past what ``datetime.date``
    holds (a stored ``published`` of 9999-12-31 with "ngày mai" in the text): one article must never
    stop the events of a whole store from being computed (the store would stay out of date)."""
    try:
        return dating.article_date(article, as_of)
    except (OverflowError, ValueError):
        return None


def _features_chunk(job: list[Article]) -> list[features.ArticleFeatures]:
    return [features.extract(a) for a in job]


# One event's work item: id, canonical member articles, summary length, their dates, their copies.
EventJob = tuple[str, list[Article], int, list[TemporalExpression | None], list[Article]]


def _events_chunk(groups: list[EventJob]) -> list[tuple[Event, stories.EventSignals]]:
    return [_event_for(g) for g in groups]


def _event_for(group: EventJob) -> tuple[Event, stories.EventSignals]:
    """Per-event work: date from the members' article dates, summary of the members only, and what
    linking events into stories needs of every report (copies included)."""
    eid, members, length, dates, copies = group
    ev = Event(id=eid, title=events.event_title(members), articles=[a.id for a in members])
    if len(members) == 1 and features.reads_as_commentary(members[0]):
        ev.kind = "commentary"  # an opinion, analysis or advice piece: its own event, shown as such
    when = dating.event_date_from(dates)
    if when is not None:
        ev.date = when.value
        ev.date_range = (when.earliest, when.latest)
        ev.date_evidence = when.note or when.evidence or when.text
        ev.date_reasoning = when.evidence or None
        ev.day = when.day
    # 0: none (evaluation)
    ev.summary = summarize.summarize(summary_input(members), length=length) if length > 0 else []
    ev.sources = sorted({s for a in members if (s := a.source)})
    return ev, stories.event_signals(members + copies)


# The summarizer compares every sentence of an event with every other (memory and time grow with the
# square of the sentences: 30,000 took 7.7 GB). It reads at most this much of one article and of one
# event, from the start (the lead carries a news article; the longest article in VietnameseMDS and
# AbMuSu has 16,475 characters, the largest AbMuSu cluster far less than the event budget, so no summary
# there changes); past that, memory stays near 200 MB.
SUMMARY_ARTICLE_CHARS = 50_000
SUMMARY_EVENT_CHARS = 200_000


def summary_input(members: Sequence[Article]) -> list[Article]:
    """The members as the summarizer sees them: each cut to ``SUMMARY_ARTICLE_CHARS`` at a paragraph
    end, and articles taken in order while the event's ``SUMMARY_EVENT_CHARS`` last."""
    out: list[Article] = []
    left = SUMMARY_EVENT_CHARS
    for a in members:
        if left <= 0:
            break
        cap = min(SUMMARY_ARTICLE_CHARS, left)
        if len(a.text) > cap:
            cut = a.text.rfind("\n", 0, cap)
            a = replace(a, text=a.text[: cut if cut > 0 else cap])
        out.append(a)
        left -= len(a.text)
    return out


def build_digest(articles: Sequence[Article], options: Options | None = None) -> Digest:
    """Corpus stages over cleaned articles: duplicates, events, dates, summaries, stories, timeline.

    Per-article and per-event work (shingle signatures, article dates, dating + summary of each event)
    runs in chunks on ``options.executor``; each article is dated once, and grouping and the event
    stage share those dates. Corpus-wide steps (LSH, grouping, stories) run here.
    """
    opts = options or Options()
    ex = opts.executor
    by_id = {a.id: a for a in articles}
    # Content keys of the articles when results are cached (``cache``: what each result depends on).
    key_of = {a.id: memo.article_key(a) for a in articles} if opts.cache is not None else None

    def progress(stage: str, done: int, total: int) -> None:
        if opts.progress:
            opts.progress(stage, done, total)

    progress("duplicates", 0, len(articles))
    akeys = [key_of[a.id] for a in articles] if key_of is not None else None
    dups = dedup.find_duplicates(
        articles, _cached(ex, opts.cache, memo.SIGNATURES, akeys, dedup.signatures, articles)
    )
    progress("duplicates", len(articles), len(articles))
    copy_of = {d: g.canonical for g in dups for d in g.duplicates}
    canonical = [a for a in articles if a.id not in copy_of]
    progress("dates", 0, len(canonical))
    dkeys = [memo.date_key(key_of[a.id], opts.as_of) for a in canonical] if key_of is not None else None
    dated = _cached(ex, opts.cache, memo.DATES, dkeys, _date_chunk, [(a, opts.as_of) for a in canonical])
    dates = dict(zip((a.id for a in canonical), dated, strict=True))
    progress("dates", len(canonical), len(canonical))
    ckeys = [key_of[a.id] for a in canonical] if key_of is not None else None
    # Grouping features are held only while grouping runs (every article's syllables: ~100 MB at 10k).
    feats = {f.id: f for f in _cached(ex, opts.cache, memo.FEATURES, ckeys, _features_chunk, canonical)}
    groups = events.group_events(canonical, dates=dates, features=feats)
    del feats
    canonical_of = {g.canonical: g for g in dups}
    # Copies join their canonical article's event: the event lists every outlet that ran it (in the
    # order of ``dups``, i.e. by canonical id, whatever the event's article order).
    copies = [
        sorted((canonical_of[a] for a in ids if a in canonical_of), key=lambda g: g.canonical)
        for ids in groups
    ]
    work: list[EventJob] = [
        (
            f"e{i + 1}",
            [by_id[aid] for aid in ids],
            opts.summary_length,
            [dates[aid] for aid in ids],
            [by_id[d] for g in copies[i] for d in g.duplicates],
        )
        for i, ids in enumerate(groups)
    ]
    ekeys = (
        [
            memo.event_key([key_of[a.id] for a in job[1]], [key_of[a.id] for a in job[4]], job[2], opts.as_of)
            for job in work
        ]
        if key_of is not None
        else None
    )
    progress("events", 0, len(work))
    built = _cached(ex, opts.cache, memo.EVENTS, ekeys, _events_chunk, work)
    for (ev, _), job in zip(built, work, strict=True):
        ev.id = job[0]  # a cached event was made under the id of its position then
    evs = [ev for ev, _ in built]
    for ev, dup_groups in zip(evs, copies, strict=True):
        for g in dup_groups:
            ev.articles.extend(g.duplicates)
            ev.also_published_by[g.canonical] = list(g.duplicates)
            ev.sources = sorted(set(ev.sources) | {s for d in g.duplicates if (s := by_id[d].source)})
    # One spelling per outlet across the digest ("vov.vn" from a credit and "VOV.VN" from a dateline are
    # one outlet, in one event or in two): every source maps to its outlet's spelling here, once.
    spelling = {clean.outlet_name_key(n): n for n in clean.outlet_names(a.source or "" for a in articles)}
    for ev in evs:
        ev.sources = sorted({spelling.get(clean.outlet_name_key(s), s) for s in ev.sources})
    progress("events", len(work), len(work))
    linked = stories.link_stories(evs, by_id, signals={ev.id: sig for ev, sig in built})
    skeys = (
        [
            memo.story_key(members, members.index(central), [key_of[a] for e in members for a in e.articles])
            for members, central in linked
        ]
        if key_of is not None
        else None
    )

    def describe(part: list[tuple[list[Event], Event]]) -> list[tuple[str, list[SummarySentence]]]:
        # Here, not on the executor: titles read the events' articles, which the workers do not hold.
        return [stories.describe_story(members, central, by_id) for members, central in part]

    described = _cached(InProcessExecutor(), opts.cache, memo.STORIES, skeys, describe, linked)
    threads = stories.as_stories(linked, described)
    order = timeline.order_events(evs)
    as_of = opts.as_of.isoformat() if opts.as_of else None
    return Digest(
        articles=list(articles), events=evs, stories=threads, timeline=order, duplicates=dups, as_of=as_of
    )


def run(paths: Iterable[str], options: Options | None = None, stdin: BinaryIO | None = None) -> Digest:
    """The whole pipeline over files, folders or "-" (stdin)."""
    opts = options or Options()
    docs, skipped = read(paths, stdin=stdin, executor=opts.executor)
    if opts.mtime_is_crawl_date:
        for d in docs:
            if (anchor := ingest.mtime_anchor(d.path)) is not None:
                d.anchors.append(anchor)
    if opts.progress:
        opts.progress("clean", 0, len(docs))
    articles, empty = drop_empty(clean_all(docs, opts.executor))
    skipped.extend(empty)
    if opts.progress:
        opts.progress("clean", len(docs), len(docs))
    digest = build_digest(articles, opts)
    digest.skipped = skipped
    return digest
