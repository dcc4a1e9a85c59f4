"""Stories: threads of events linked by shared people, places and topic.

Events are linked when their names overlap and their texts share distinctive bigrams (lower thresholds
than events), each event to at most its ``STORY_NEIGHBOURS`` closest such events; a story is a connected
component of those links. The story title is the title of its most central event
(the event with the highest summed similarity to the story's other events).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from . import features as feat
from . import text as vtext
from .models import Article, Event, Story

# Stories: events sharing names and some wording.
# Set by hand on the seeds (five calls; each links to another at name Jaccard 0.18-0.86 and bigram
# cosine 0.09-0.15) and checked on vmds-dev's 100 gold events: 80 stories, the largest 7 events (US
# surveillance). Counting shared names instead of Jaccard chained 64 of them into one story.
STORY_NAME_JACCARD = 0.15
STORY_SIMILARITY = 0.08
STORY_BLOCK = 2048  # events whose pair scores are computed at once in group_stories (bounds memory)
# Bigrams in more than this fraction of the articles (never fewer than MAX_DF_FLOOR articles) are the
# vocabulary of a kind of news, not of one thread: dropped, as grouping drops its 5 % (4x looser here).
STORY_MAX_DF = 0.2
MAX_DF_FLOOR = 5
# ... and, however large the corpus, a bigram in more than this many articles. A fraction alone lets the
# genre's wording through in a large corpus ("cho biết thêm" in 20k of 100k articles), and single-link
# components then chain unrelated threads. On the generated corpora (bench/scale_quality.py: stories
# scored against the 300 source topics the generator drew from), stories B-cubed F1 / largest story /
# pair-scoring CPU s: 100k, no cap 0.317 / 20,390 of 30,016 events / 120; cap 1,000: 0.801 / 2,021 / 66;
# cap 500: 0.899 / 658 / 41. 10k: 0.590 -> 0.749 (cap 500). 500 is grouping's 5 % at 10k articles. No
# effect below 2,500 articles: the seeds, vmds-dev and abmusu-train stories are unchanged.
STORY_MAX_ARTICLES = 500
# Each event links to at most its 3 most similar events among those passing both thresholds (a link
# counts when either end chose it: a k-nearest-neighbour graph). A thread's events are each other's
# nearest neighbours, so it stays connected; what single links chained through was the many weak links
# of an event to other threads of one genre. Generated corpora (bench/scale_quality.py, stories vs the
# 300 source topics), stories B-cubed F1 / largest story: 10k 0.760 / 154 events -> 0.957 / 49; 100k
# (session 4's events) 0.899 / 658 -> 0.978 / 309; 1k unchanged. 5 neighbours: 0.914 and 0.970;
# mutual neighbours (both ends choose) split a large corpus's threads (100k, k=10: recall 0.78).
STORY_NEIGHBOURS = 3
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)  # odd multiplier: (a, b) and (b, a) hash apart


@dataclass(slots=True, frozen=True)
class EventSignals:
    """What linking needs of one event, computed where the event is built (a worker, in a large run):
    the name syllables of its articles' leads, and per article the hashed syllable bigrams of its text."""

    names: frozenset[str]
    bigrams: tuple[np.ndarray, ...]  # uint64 codes, one per bigram occurrence, one array per article


def event_signals(articles: Sequence[Article]) -> EventSignals:
    """Story signals of one event's articles (canonical reports and their copies)."""
    names: set[str] = set()
    for a in articles:
        names |= feat.name_syllables(feat.lead(a))
    memo: dict[str, int] = {}
    arrays = []
    for a in articles:
        toks = vtext.syllables(a.title + "\n" + a.text)
        # A stable 64-bit hash per syllable (not ``hash``: it differs between worker processes), so
        # that codes made on different workers agree; collisions at 2^-64 do not matter here.
        h = np.fromiter(
            (
                memo[t] if t in memo else memo.setdefault(t, int.from_bytes(_digest(t), "little"))
                for t in toks
            ),
            dtype=np.uint64,
            count=len(toks),
        )
        arrays.append(h[:-1] * _GOLDEN + h[1:] if len(h) >= 2 else np.zeros(0, dtype=np.uint64))
    return EventSignals(frozenset(names), tuple(arrays))


def _digest(token: str) -> bytes:
    return hashlib.blake2b(token.encode(), digest_size=8).digest()


def _tfidf(arrays: Sequence[np.ndarray], owner: Sequence[int], n_events: int) -> sparse.csr_matrix:
    """Per event: the sum of its articles' L2-normalised sublinear TF-IDF bigram vectors, normalised
    (smoothed IDF, as scikit-learn's ``TfidfVectorizer(sublinear_tf=True)``), on hashed codes."""
    n = len(arrays)
    lengths = np.fromiter((len(x) for x in arrays), dtype=np.int64, count=n)
    if n == 0 or lengths.sum() == 0:
        return sparse.csr_matrix((n_events, 1))
    limit = max(MAX_DF_FLOOR, min(STORY_MAX_DF * n, STORY_MAX_ARTICLES))
    m = feat.code_tfidf(np.concatenate(arrays), np.repeat(np.arange(n), lengths), n, limit)
    owners = sparse.csr_matrix((np.ones(n), (np.asarray(owner), np.arange(n))), shape=(n_events, n))
    return feat.l2_rows(sparse.csr_matrix(owners @ m))


def _names_overlap(a: frozenset[str], b: frozenset[str]) -> bool:
    union = a | b
    return bool(union) and len(a & b) / len(union) >= STORY_NAME_JACCARD


def group_stories(
    events: Sequence[Event],
    articles: Mapping[str, Article],
    signals: Mapping[str, EventSignals] | None = None,
) -> list[Story]:
    """Stories: threads of events sharing people, places and topic (connected components).

    ``signals`` are ``event_signals`` of each event's articles by event id, when the caller computed
    them already (the pipeline does, on its executor); otherwise they are computed here.
    """
    evs = sorted(events, key=lambda e: e.id)
    if not evs:
        return []
    sig = [
        signals[e.id]
        if signals is not None and e.id in signals
        else event_signals([articles[a] for a in e.articles if a in articles])
        for e in evs
    ]
    names = [s.names for s in sig]
    n = len(evs)
    # Never the full event-pair matrix: at 100k articles (~37k events sharing common bigrams) even its
    # sparse form is nearly dense (an out-of-memory kill at 24 GB). Pairs are scored a block of rows at a
    # time and only those above the topic threshold are kept; only they can join a story.
    agg = _tfidf([x for s in sig for x in s.bigrams], [k for k, s in enumerate(sig) for _ in s.bigrams], n)
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    src: list[np.ndarray] = []
    dst: list[np.ndarray] = []
    val: list[np.ndarray] = []
    for lo in range(0, n, STORY_BLOCK):
        # Only columns from ``lo`` on: pairs (i < j) once, half the product of the full row block.
        block = (agg[lo : lo + STORY_BLOCK] @ agg[lo:].T).tocoo()
        rows, cols = block.row + lo, block.col + lo
        keep = (block.data >= STORY_SIMILARITY) & (rows < cols)
        ci, cj = rows[keep], cols[keep]
        mask = np.fromiter(
            (_names_overlap(names[i], names[j]) for i, j in zip(ci.tolist(), cj.tolist(), strict=True)),
            dtype=bool,
            count=len(ci),
        )
        src.append(ci[mask])
        dst.append(cj[mask])
        val.append(block.data[keep][mask])
    i_all = np.concatenate(src) if src else np.zeros(0, dtype=np.int64)
    j_all = np.concatenate(dst) if dst else np.zeros(0, dtype=np.int64)
    v_all = np.concatenate(val) if val else np.zeros(0)
    # Each link seen from both ends; an end keeps its STORY_NEIGHBOURS best (ties: the smaller index).
    a = np.concatenate([i_all, j_all])
    b = np.concatenate([j_all, i_all])
    v = np.round(np.concatenate([v_all, v_all]), 9)  # float sums differ in the last bits between runs
    order = np.lexsort((b, -v, a))
    a, b = a[order], b[order]
    starts = np.searchsorted(a, a, side="left")
    chosen = (np.arange(len(a)) - starts) < STORY_NEIGHBOURS
    for i, j in zip(a[chosen].tolist(), b[chosen].tolist(), strict=True):
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)
    comps: dict[int, list[int]] = {}
    for i in range(n):
        comps.setdefault(find(i), []).append(i)
    stories = []
    for members in sorted(comps.values(), key=lambda c: evs[c[0]].id):
        central = members[0]
        if len(members) > 1:
            # Σ_{j≠i} cos(i, j) = a_i · Σ_j a_j − a_i · a_i: linear in the component, no pair matrix.
            rows_m = agg[members]
            total = np.asarray(rows_m.sum(axis=0)).ravel()
            self_sim = np.asarray(rows_m.multiply(rows_m).sum(axis=1)).ravel()
            # rounded: float sums differ in the last bits, and ties must go to the smallest index
            totals = np.round(rows_m @ total - self_sim, 9)
            central = members[int(np.argmax(totals))]
        stories.append(Story(id="", title=evs[central].title, events=[evs[i].id for i in members]))
    for k, s in enumerate(stories):
        s.id = f"s{k + 1}"
    return stories
