"""Stories: threads of events linked by shared people, places and topic.

Events are linked when their names overlap and their texts share distinctive bigrams (lower thresholds
than events); a story is a connected component. The story title is the title of its most central event
(the event with the highest summed similarity to the story's other events).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from scipy import sparse

from . import features as feat
from . import text as vtext
from .events import MAX_DF, MIN_DF_CAP
from .models import Article, Event, Story

# Stories: events sharing names and some wording.
# Set by hand on the seeds (five calls; each links to another at name Jaccard 0.18-0.86 and bigram
# cosine 0.09-0.15) and checked on vmds-dev's 100 gold events: 80 stories, the largest 7 events (US
# surveillance). Counting shared names instead of Jaccard chained 64 of them into one story.
STORY_NAME_JACCARD = 0.15
STORY_SIMILARITY = 0.08
STORY_BLOCK = 2048  # events whose pair scores are computed at once in group_stories (bounds memory)


def group_stories(events: Sequence[Event], articles: Mapping[str, Article]) -> list[Story]:
    """Stories: threads of events sharing people, places and topic (connected components)."""
    evs = sorted(events, key=lambda e: e.id)
    if not evs:
        return []
    texts = [[articles[a] for a in e.articles if a in articles] for e in evs]
    names: list[set[str]] = [
        set().union(*(feat.name_syllables(feat.lead(a)) for a in arts)) for arts in texts
    ]
    toks = [vtext.syllables(a.title + "\n" + a.text) for arts in texts for a in arts]
    owner = [k for k, arts in enumerate(texts) for _ in arts]
    n = len(evs)
    # Never the full event-pair matrix: at 100k articles (~37k events sharing common bigrams) even its
    # sparse form is nearly dense (an out-of-memory kill at 24 GB). Pairs are scored a block of rows at a
    # time and only those above the topic threshold are kept; only they can join a story.
    agg = sparse.csr_matrix((n, 1))
    if toks:
        cap: float | int = MAX_DF * 4 if MAX_DF * 4 * len(toks) >= MIN_DF_CAP else MIN_DF_CAP
        big = feat.bigram_tfidf(toks, cap)
        agg = (
            sparse.csr_matrix((np.ones(len(owner)), (owner, range(len(owner)))), shape=(n, len(owner))) @ big
        )
        norms = np.sqrt(np.asarray(agg.multiply(agg).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        agg = sparse.csr_matrix(agg.multiply(1 / norms[:, None]))
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    aggt = agg.T.tocsr()
    for lo in range(0, n, STORY_BLOCK):
        block = (agg[lo : lo + STORY_BLOCK] @ aggt).tocoo()
        rows = block.row + lo
        keep = (block.data >= STORY_SIMILARITY) & (rows < block.col)
        for i, j in zip(rows[keep].tolist(), block.col[keep].tolist(), strict=True):
            union = names[i] | names[j]
            if union and len(names[i] & names[j]) / len(union) >= STORY_NAME_JACCARD:
                parent[find(j)] = find(i)
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
