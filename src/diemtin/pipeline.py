"""The one place that wires the stages: ingest → clean → dedup → events → dating + summarize →
stories → timeline.

Stages are pure functions over the data classes in ``models``; an ``Executor`` decides where the
per-item work runs (in this process, or on Dask workers), so the same pipeline runs either way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO, Protocol, TypeVar

from . import clean, dating, dedup, events, ingest, summarize, timeline
from .models import Article, Digest, Event, RawDocument, Skipped

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

    summary_length: int = 80  # syllables per event summary (a short paragraph, 2-4 sentences)
    executor: Executor = field(default_factory=InProcessExecutor)
    progress: Progress | None = None


def read(paths: Iterable[str], stdin: BinaryIO | None = None) -> tuple[list[RawDocument], list[Skipped]]:
    """Ingest stage: every readable document, and every input skipped with its reason."""
    docs: list[RawDocument] = []
    skipped: list[Skipped] = []
    for item in ingest.read_inputs(paths, stdin=stdin):
        (skipped if isinstance(item, Skipped) else docs).append(item)  # type: ignore[arg-type]
    return docs, skipped


def drop_empty(articles: Sequence[Article]) -> tuple[list[Article], list[Skipped]]:
    """Articles left with no body after cleaning are reported as skipped, not digested."""
    kept = [a for a in articles if a.text.strip()]
    empty = [
        Skipped(a.path, f"{a.path}: no article text left after removing boilerplate")
        for a in articles
        if not a.text.strip()
    ]
    return kept, empty


def _event_for(group: tuple[str, list[Article], int]) -> Event:
    """Per-event work (dating, summary): runs on whichever executor the pipeline was given."""
    eid, members, length = group
    ev = Event(id=eid, title=events.event_title(members), articles=[a.id for a in members])
    when = dating.date_event(members)
    if when is not None:
        ev.date = when.value
        ev.date_range = (when.earliest, when.latest)
        ev.date_evidence = when.evidence or when.text
    ev.summary = summarize.summarize(members, length=length)
    ev.sources = sorted({s for a in members if (s := a.source)})
    return ev


def build_digest(articles: Sequence[Article], options: Options | None = None) -> Digest:
    """Corpus stages over cleaned articles: duplicates, events, dates, summaries, stories, timeline."""
    opts = options or Options()
    by_id = {a.id: a for a in articles}
    dups = dedup.find_duplicates(articles)
    copy_of = {d: g.canonical for g in dups for d in g.duplicates}
    canonical = [a for a in articles if a.id not in copy_of]
    groups = events.group_events(canonical)
    work = [(f"e{i + 1}", [by_id[aid] for aid in ids], opts.summary_length) for i, ids in enumerate(groups)]
    if opts.progress:
        opts.progress("events", 0, len(work))
    evs = opts.executor.map(_event_for, work)
    for ev in evs:
        # Copies join their canonical article's event: the event lists every outlet that ran it.
        for g in dups:
            if g.canonical in ev.articles:
                ev.articles.extend(g.duplicates)
                ev.also_published_by[g.canonical] = list(g.duplicates)
                ev.sources = sorted(set(ev.sources) | {s for d in g.duplicates if (s := by_id[d].source)})
    if opts.progress:
        opts.progress("events", len(work), len(work))
    stories = events.group_stories(evs, by_id)
    order = timeline.order_events(evs)
    return Digest(articles=list(articles), events=evs, stories=stories, timeline=order, duplicates=dups)


def run(paths: Iterable[str], options: Options | None = None, stdin: BinaryIO | None = None) -> Digest:
    """The whole pipeline over files, folders or "-" (stdin)."""
    opts = options or Options()
    docs, skipped = read(paths, stdin=stdin)
    if opts.progress:
        opts.progress("clean", 0, len(docs))
    articles, empty = drop_empty(clean.clean_documents(docs))
    skipped.extend(empty)
    if opts.progress:
        opts.progress("clean", len(docs), len(docs))
    digest = build_digest(articles, opts)
    digest.skipped = skipped
    return digest
