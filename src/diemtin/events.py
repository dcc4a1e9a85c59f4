"""Group articles into events: the reports of one happening.

Events: average-link agglomerative clustering over a sparse candidate graph.

- Similarity of two articles is a weighted sum of four TF-IDF cosines (fitted on the batch): syllable
  bigrams of title + body (terms in more than 5% of the batch dropped: the vocabulary every article of
  a kind shares), names (capitalised runs of the whole text), title syllables + bigrams, and lead
  (title + first three sentences) syllables + bigrams.
- Per-article signals are computed once (``features.extract``: syllables, names, the lead's day); the
  bigram, title and lead TF-IDF are built on integer codes with numpy, the numbers scikit-learn gives.
- Candidates come from blocking, never from all pairs: each article is indexed under its 30
  highest-weighted bigrams and names; articles sharing a key are candidates (one sparse product of the
  binary key matrix), and a key held by more than ``MAX_POSTING`` articles is not a block, so an
  article's candidates are bounded whatever the batch size; of its feasible candidates each article
  keeps the ``MAX_NEIGHBOURS`` sharing the most keys, so its pairs stay about constant as the batch
  grows. Candidate pairs are scored by chunked sparse products (rows x the rows their candidates name),
  never a Python loop over pairs.
- Average link on the candidate graph: two clusters' score is the summed similarity of their article
  pairs over the product of their sizes (Lance-Williams; pairs outside the graph count as 0). Clusters
  merge best pair first while the score is at least ``THRESHOLD`` (``SINGLE_THRESHOLD`` for a lone
  report), unless they report different
  happenings: different days in the first sentence ("ngày 30/3" vs "ngày 13/4"), publication times more
  than ``MAX_PUBLISHED_GAP_DAYS`` apart, or (only when the score is below ``DATE_OVERRIDE``) event dates
  or ranges more than a month apart (each article's ``dating.date_event``: a November 2016 call vs an
  April 2017 call) or, below ``DATE_TRUST``, the days of dating's chosen expressions.
- Dating runs at most once per article, and only for articles that have a neighbour to merge with;
  a caller that has dating's per-article answers passes them in (``group_events(arts, dates=...)``).

Stories (threads of events) are built from the events by ``stories.group_stories``.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np
from scipy import sparse

from . import features as feat
from . import text as vtext
from .models import Article, TemporalExpression

# Weights of the bigram, name and title cosines, and the merge threshold: chosen on vmds-dev and
# abmusu-train with full average-link clustering (docs/events.md has the sweep). Titles and names
# separate same-kind happenings that share most of their wording (two parliamentary debates on one day).
W_BIGRAM, W_NAMES, W_TITLE = 0.6, 0.2, 0.2
# The lead (title + first three sentences: who, what, when in Vietnamese news) as a fourth cosine,
# syllables + bigrams, weighted 0.15 with the other three scaled to the remaining 0.85. Chosen on the
# even gold clusters of both corpora (0.10/0.15/0.20 tried) and held on the odd ones: B-cubed F1 +0.000
# to +0.005, never lower (docs/events.md).
W_LEAD = 0.15
THRESHOLD = 0.09
# A lone report joins a cluster (or another lone report) from this score. Judged against the published
# clusters (session 3) 0.08 was best; judged against happenings (the guideline: bench/annotations,
# article by article), a lone article close to a cluster is as often another happening of the same kind
# (another province's ceremony, another company's results, an opinion piece on the topic): abmusu-train
# has 221 one-article happenings. Chosen on the even clusters of both corpora (0.08 / 0.12 / 0.15 with
# THRESHOLD 0.09-0.12: events vs happenings vmds 0.933 -> 0.933, abmusu 0.843 -> 0.871), reported on the
# odd ones: vmds 0.911 -> 0.904, abmusu 0.859 -> 0.885 (docs/events.md, session 7).
SINGLE_THRESHOLD = 0.12
MAX_DF = 0.05  # fraction of the batch; never fewer than MIN_DF_CAP articles
# A small batch keeps terms one event's 2-8 reports share (vmds clusters have up to 5 articles, an event
# in a crawl can have more); the IDF still down-weights them.
MIN_DF_CAP = 5
# Blocking keys per article. 30 rather than 20: pairs left out of the graph count 0 in the average, and
# 20 missed 22 of 1,123 same-event pairs of the two corpora; chosen on the even gold clusters (30 and 40
# tied, abmusu 0.928 -> 0.932), held on the odd ones (+0.000 to +0.001).
TOP_KEYS = 30
# A pair must share this many keys to be a candidate. 2 would cut the 10k pairs by half but lost
# recall (vmds-dev 0.935 -> 0.908): one shared distinctive name or bigram is often all two reports share.
MIN_SHARED_KEYS = 1
_CHUNK = 128  # rows per sparse product when scoring candidate pairs
_CHUNK_PAIRS = 400  # candidate pairs per sparse product, about (fewer rows where rows have many)
# A key in more articles than this is too common to block on. 30 (60 until session 9): on the dev
# corpora no key above 30 makes a pair (vmds-dev's vocabulary stops at 16 articles, abmusu-train's at
# 31), so their candidate pairs are the same; on ten times the articles (bench/grouping.py's replicas)
# the keys held by 31-60 articles made 46% of the pairs (vmds 71.2 -> 38.8 a article), few of them
# alike (39 of 7,542 pairs scoring 0.08 or more, none of one cluster). 20 left abmusu-train's groups
# unchanged too, 15 did not. A happening with more than 30 reports in a fortnight is still joined
# through the keys fewer of them share (and per 12-day bucket, below).
MAX_POSTING = 30
# Each article keeps its MAX_NEIGHBOURS feasible candidates sharing the most keys (a pair stays when
# either end keeps it; ``_nearest``). 30: the dev corpora's groups are the same (vmds-dev keeps 13.2 of
# 13.8 pairs an article, abmusu-train 17.3 of 21.5, none of the dropped scoring 0.08 or more; 20 changed
# abmusu-train's groups); at ten times the articles (bench/grouping.py's replicas) abmusu keeps 20.7 of
# 39.1 and B-cubed F1 there rises 0.875 -> 0.883 (vmds 0.904 -> 0.907): the dropped pairs were what joined
# different replicas' happenings.
MAX_NEIGHBOURS = 30
# Reports of one happening appear within days of each other; a week and a half covers follow-ups.
MAX_PUBLISHED_GAP_DAYS = 10
# Candidate pairs whose lead days lie further apart than this are not scored (time blocking; see
# ``_feasible``): well beyond DAY_TOLERANCE, so a multi-day happening whose reports bridge the gap loses
# at most the similarity of its two extreme reports.
LEAD_WINDOW_DAYS = 7
DAY_TOLERANCE = 2  # "hôm qua 22/10" in one outlet, "ngày 23/10" in another, a follow-up a day later
# Event dates (dating.date_event's date or honest range per article): two clusters whose ranges lie more
# than a month apart report different happenings (a November 2016 call vs one from April 2017 on).
# Day-level disagreement is tolerated: outlets date one happening differently by days (a follow-up,
# "hôm qua"); at 2 days' tolerance 14 of 87 dated same-cluster pairs of vmds-dev conflicted. Years merely
# written in the lead are not used: they split true events (background years), recall 0.956 -> 0.929.
EVENT_GAP_DAYS = 30
# Clusters at least this alike are one happening whatever dating's day says. Set by hand above the
# seeds' different-call pairs, not tuned on the benchmarks: they score 0.10-0.15 alone and up to 0.17
# among abmusu-train's 621 articles (IDF is fitted on the batch, so words the calls share weigh more
# among other news); 0.15 let the 2017 and 2020 calls merge there. Cost: abmusu-train 0.911 -> 0.909.
DATE_TRUST = 0.2
# Reports at least this alike are one happening whatever dating's ranges say: without a publication
# date dating guesses years, and one happening's reports get ranges a year apart (abmusu-train: "Vành
# đai 3" reports at 0.45, 2023 vs 2025). Lead days still separate (two calls with one headline). Kept
# above the seeds' different-call pairs (up to 0.23: Nov 2016 vs Mar 2020); on held-out cluster halves
# it moved B-cubed F1 by +0.000 to +0.005 (docs/events.md).
DATE_OVERRIDE = 0.3
# Event dates more than a year apart *and* days that disagree: not one happening dated loosely (outlets
# differ by days, and a guessed year by about one), so no similarity overrides it. Needed when a batch
# is mostly other news: the seeds' shared words are then rare, and their Nov 2016 and Mar 2020 calls
# scored 0.31 among abmusu's 621 articles (0.22 alone), above DATE_OVERRIDE. No change on vmds-dev or
# abmusu-train (full and halves).
HARD_GAP_DAYS = 365
# A lone article that reads as commentary (``features.reads_as_commentary``: a headline that asks how or
# why or advises, and no occurrence anchored in time in its lead) joins an event only from this score:
# the guideline makes each opinion, analysis or explainer piece its own event, beside the reports of its
# topic. 0.3 as DATE_OVERRIDE (reports at least this alike are one happening): a rewrite of the same
# piece still joins it. On the even clusters (h0), 0.16 / 0.2 / 0.3 / never: abmusu events 0.868 ->
# 0.872 / 0.872 / 0.874 / 0.874, vmds-dev unchanged (no vmds-dev h0 article reads so), docs/events.md.
COMMENT_THRESHOLD = 0.3


@dataclass(slots=True)
class _Matrices:
    blocks: list[sparse.csr_matrix]  # L2-normalised rows: bigrams, names, titles, leads
    weights: tuple[float, ...]


def _matrices(fs: Sequence[feat.ArticleFeatures]) -> _Matrices:
    n = len(fs)
    cap: float | int = MAX_DF if MAX_DF * n >= MIN_DF_CAP else MIN_DF_CAP
    blocks = [
        feat.bigram_tfidf([f.tokens for f in fs], cap),
        feat.tfidf([sorted(f.names) for f in fs], cap),
        feat.bigram_tfidf([f.title_tokens for f in fs], unigrams=True),
        feat.bigram_tfidf([f.lead_tokens for f in fs], unigrams=True),
    ]
    rest = 1.0 - W_LEAD
    return _Matrices(blocks, (W_BIGRAM * rest, W_NAMES * rest, W_TITLE * rest, W_LEAD))


def _top_keys(block: sparse.csr_matrix, k: int) -> sparse.csr_matrix:
    """Binary matrix of each row's ``k`` highest-weighted columns (ties: smaller column), vectorised."""
    block = sparse.csr_matrix(block)
    block.sort_indices()
    row = np.repeat(np.arange(block.shape[0]), np.diff(block.indptr))
    # One stable float sort by (row, weight descending) instead of a three-key lexsort (4x faster at
    # 100k articles): weights of L2-normalised rows lie in (0, 1], so ``2 * row - weight`` orders rows
    # first, and stability keeps the sorted columns' order on ties.
    order = np.argsort(2.0 * row - block.data, kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order)) - block.indptr[row[order]]
    keep = rank < k
    return sparse.csr_matrix((np.ones(int(keep.sum())), (row[keep], block.indices[keep])), shape=block.shape)


def _candidates(
    m: _Matrices, home: np.ndarray, guest: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Blocking: pairs (i < j) of articles sharing one of their distinctive keys (top bigrams, names),
    and how many keys each pair shares (the more of the two counts, batch-wide or in a time bucket).

    A key held by more than ``MAX_POSTING`` articles is not a block, so the pairs an article takes part
    in are bounded by ``TOP_KEYS * MAX_POSTING`` whatever the batch size: one sparse product. Keys are
    counted twice: over the whole batch, and per publication-time bucket (``_time_buckets``: an
    article's key is posted in its own bucket and the next, so articles published close in time share
    a bucket). In a batch of years a topic's words are in far more than ``MAX_POSTING`` articles, yet in
    few within a fortnight: with batch-wide counts alone 42% of the pairs of one event's reports stayed
    candidates at 100k generated articles (98% at 10k)."""
    keys = sparse.csr_matrix(sparse.hstack([_top_keys(b, TOP_KEYS) for b in m.blocks[:2]], format="csr"))
    pairs = _shared_key_pairs(keys)
    timed = home >= 0
    if timed.any():
        row = np.repeat(np.arange(keys.shape[0]), np.diff(keys.indptr))
        both = np.flatnonzero(timed[row])
        again = both[guest[row[both]] >= 0]
        rows = np.concatenate([row[both], row[again]])
        buckets = np.concatenate([home[row[both]], guest[row[again]]])
        width = int(max(home.max(), guest.max())) + 1
        code = np.concatenate([keys.indices[both], keys.indices[again]]).astype(np.int64) * width + buckets
        n_keys, cols = feat.dense_codes(code)
        bucketed = sparse.csr_matrix((np.ones(len(code)), (rows, cols)), shape=(keys.shape[0], n_keys))
        pairs = pairs.maximum(_shared_key_pairs(bucketed))
    pairs = sparse.csr_matrix(pairs)
    pairs.sort_indices()  # row-major order with sorted columns: pairs sorted by (i, j) without a lexsort
    rows = np.repeat(np.arange(pairs.shape[0], dtype=np.int64), np.diff(pairs.indptr))
    return rows, pairs.indices.astype(np.int64), pairs.data


def _nearest(ci: np.ndarray, cj: np.ndarray, shared: np.ndarray, k: int) -> np.ndarray:
    """True for the candidate pairs among either article's ``k`` candidates sharing the most keys
    (ties: the smaller partner index), so the pairs an article takes part in stay about constant as the
    batch grows (at most ``2 * k``, usually about ``k``).

    Reports of one happening share many keys; a pair sharing one common-ish key is what a larger batch
    adds (bench/grouping.py's ten replicas: 39 pairs an article instead of 14-22, few of them alike)."""
    n_pairs = len(ci)
    a = np.concatenate([ci, cj])
    b = np.concatenate([cj, ci])
    order = np.lexsort((b, -np.concatenate([shared, shared]), a))
    a = a[order]
    rank = np.arange(len(a)) - np.searchsorted(a, a, side="left")
    keep = np.zeros(n_pairs, dtype=bool)
    keep[(order % n_pairs)[rank < k]] = True
    return keep


def _shared_key_pairs(keys: sparse.csr_matrix) -> sparse.csr_matrix:
    """Upper triangle of the articles x articles count of shared keys, keys in 2..MAX_POSTING articles,
    pairs sharing at least MIN_SHARED_KEYS."""
    keys = sparse.csc_matrix(keys)
    df = np.diff(keys.indptr)
    keys = sparse.csr_matrix(keys[:, np.flatnonzero((df > 1) & (df <= MAX_POSTING))])
    shared = sparse.triu(keys @ keys.T, k=1, format="csr")
    shared.data[shared.data < MIN_SHARED_KEYS] = 0
    shared.eliminate_zeros()
    return shared


def _time_buckets(published: Sequence[datetime | None]) -> tuple[np.ndarray, np.ndarray]:
    """Each article's time bucket for blocking and the next bucket (-1: no publication date), such that
    two articles published within ``MAX_PUBLISHED_GAP_DAYS`` share a bucket (buckets of 12 days).

    Only publication dates make buckets: they are exact (articles further apart never merge) and carry
    the year. Lead days do not: without a year, a bucket of lead days gathers every year's happenings
    of one kind on those days (on the generated 100k corpus, with no publication dates, it raised
    B-cubed recall 0.72 -> 0.91 but cut precision 0.63 -> 0.48 and doubled the time)."""
    n = len(published)
    home = np.full(n, -1, dtype=np.int64)
    guest = np.full(n, -1, dtype=np.int64)
    width = MAX_PUBLISHED_GAP_DAYS + 2
    first = min((p.toordinal() for p in published if p), default=0) // width
    for i, pub in enumerate(published):
        if pub is not None:
            home[i] = pub.toordinal() // width - first
            guest[i] = home[i] + 1
    return home, guest


def _pair_similarities(x: sparse.csr_matrix, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Row dot products x[i[k]] · x[j[k]] for candidate pairs sorted by (i, j).

    Rows are taken ``_CHUNK`` at a time and multiplied with only the rows their candidates name (one
    sparse product per chunk), so the cost follows the candidate graph, not all pairs; 3x faster than
    an element-wise product per pair at 10k articles."""
    n = x.shape[0]
    # Columns held by one row add nothing to a dot product of two rows (no term is added for them), so
    # they are dropped first: most bigrams occur in one article, and every chunk's transposition costs
    # the number of columns (dev corpora at 10x: 2.5 -> 0.9 CPU s, the same values bit for bit).
    x = sparse.csr_matrix(x[:, np.flatnonzero(np.bincount(x.indices, minlength=x.shape[1]) > 1)])
    cand = sparse.csr_matrix((np.ones(len(i)), (i, j)), shape=(n, n))
    cand.sort_indices()  # rows sorted by i and columns by j: the order of the pairs
    out = np.empty(cand.nnz)
    r0 = 0
    while r0 < n:
        # At most _CHUNK rows and about _CHUNK_PAIRS candidate pairs: the product computes every row x
        # named column, so where rows have many candidates (a dense stretch of time) fewer rows a chunk
        # waste less (100k generated articles with dates: 15.3 -> 9.4 s).
        r1 = min(
            r0 + _CHUNK, max(r0 + 1, int(np.searchsorted(cand.indptr, cand.indptr[r0] + _CHUNK_PAIRS)) - 1)
        )
        sub = cand[r0:r1]
        start = r0
        r0 = r1
        if sub.nnz == 0:
            continue
        cols = np.unique(sub.indices)
        # The named rows times the chunk's rows transposed, not the chunk times the named rows
        # transposed: scipy turns the right operand into CSR first, and the chunk has few rows where
        # the named rows are many (at 10x the dev corpora, 6 vs 400: that transposition was two thirds
        # of the time). Each dot product adds the same terms in the same order (both rows' columns
        # sorted), so the values are bit-for-bit the same.
        prod = x[cols] @ x[start:r1].T
        rows = np.repeat(np.arange(sub.shape[0]), np.diff(sub.indptr))
        pos = np.searchsorted(cols, sub.indices)
        if sub.shape[0] * len(cols) <= 4_000_000:  # dense lookup while the block is small
            vals = prod.toarray()[pos, rows]
        else:
            vals = np.asarray(sparse.csr_matrix(prod)[pos, rows]).ravel()
        out[cand.indptr[start] : cand.indptr[start] + sub.nnz] = vals
    return out


def _feasible(
    ci: np.ndarray,
    cj: np.ndarray,
    published: Sequence[datetime | None],
    lead_days: Sequence[tuple[int, int] | None],
) -> np.ndarray:
    """Time blocking: False for candidate pairs that report different happenings by time alone.

    Published more than ``MAX_PUBLISHED_GAP_DAYS`` apart: no cluster holds both, so the pair can only
    ever link two clusters that never merge (dropping it changes no group). Lead days more than
    ``LEAD_WINDOW_DAYS`` apart on the calendar (year unknown, so circular): the clusters holding them
    conflict unless other members' days bridge the gap (one multi-day happening), which a week's window
    leaves room for. In a crawl of years most content-alike pairs are recurring happenings of one kind
    on other days, so this is what keeps the candidate graph linear in the batch."""
    ok = np.ones(len(ci), dtype=bool)
    pub = np.array([p.toordinal() + p.hour / 24 if p else np.nan for p in published], dtype=np.float64)
    gap = np.abs(pub[ci] - pub[cj])
    ok &= ~(gap > MAX_PUBLISHED_GAP_DAYS + 1)  # NaN (a date unknown) compares False: kept
    doy = np.array([-1 if (x := feat.day_of_year(day)) is None else x for day in lead_days], dtype=np.int64)
    a, b = doy[ci], doy[cj]
    diff = np.abs(a - b)
    diff = np.minimum(diff, 366 - diff)
    ok &= (a < 0) | (b < 0) | (diff <= LEAD_WINDOW_DAYS)
    return ok


def _parse_published(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        d = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return d.replace(tzinfo=None)


@dataclass(slots=True)
class _Cluster:
    members: list[int]
    first_days: set[tuple[int, int]]  # lead days of the members
    published: list[datetime]
    event_spans: list[tuple[date, date]]  # the members' event dates or ranges (dating.date_event)
    weak_days: set[tuple[int, int]]  # days of dating's chosen expressions, for members with no lead day
    dated: bool = False  # event_spans / weak_days filled in (dating runs only for articles that need it)
    editions: set[tuple[int, int]] = field(default_factory=set)  # days stamped in bulletin titles
    instalments: set[tuple[str, int]] = field(default_factory=set)  # "tập 3" in titles (feat.instalments)
    places: set[str] = field(default_factory=set)  # provinces named in the members' leads
    commentary: bool = False  # a lone article that reads as commentary (features.reads_as_commentary)


def _days_conflict(a: set[tuple[int, int]], b: set[tuple[int, int]]) -> bool:
    """True when no day of ``a`` lies within ``DAY_TOLERANCE`` of a day of ``b`` on the calendar (the
    year is unknown, so the distance wraps: 31/12 and 1/1 are one day apart)."""
    if not a or not b:
        return False
    da = [x for x in map(feat.day_of_year, a) if x is not None]
    db = [x for x in map(feat.day_of_year, b) if x is not None]
    for x in da:
        for y in db:
            if feat.calendar_gap(x, y) <= DAY_TOLERANCE:
                return False
    return bool(da and db)


def _spans_conflict(a: _Cluster, b: _Cluster, gap: int = EVENT_GAP_DAYS) -> bool:
    """True when some member's event date or range lies more than ``gap`` days from another's."""
    for lo1, hi1 in a.event_spans:
        for lo2, hi2 in b.event_spans:
            if (lo2 - hi1).days > gap or (lo1 - hi2).days > gap:
                return True
    return False


def _threshold(a: _Cluster, b: _Cluster) -> float:
    """The average-link score two clusters need to merge: lower when one is a lone report."""
    if (len(a.members) == 1 and a.commentary) or (len(b.members) == 1 and b.commentary):
        return COMMENT_THRESHOLD
    return SINGLE_THRESHOLD if min(len(a.members), len(b.members)) == 1 else THRESHOLD


def _conflict(a: _Cluster, b: _Cluster, similarity: float) -> bool:
    """True when two clusters report different happenings (days, dates or publication far apart).

    The weak rule (dating's chosen day of an article with no day in its lead) compares against a day
    some member states in its lead, never weak against weak: such days are often background dates
    ("ngày 7/3" of an earlier match), and two of them disagreeing says little. On held-out cluster
    halves this moved B-cubed F1 by +0.002 to +0.005; the seeds need the weak-vs-lead form ("3/4" of
    the 2017 call vs the 2020 call's lead "30/3"). The hard rule (``HARD_GAP_DAYS``) takes weak days
    on both sides too: a background date that disagrees must also put the event years away."""
    if a.published and b.published:
        lo = min(min(a.published), min(b.published))
        hi = max(max(a.published), max(b.published))
        if (hi - lo).days > MAX_PUBLISHED_GAP_DAYS:
            return True
    if a.editions and b.editions and not a.editions & b.editions:
        return True  # two days' editions of one bulletin ("Giá cà phê hôm nay 22/7:" and "... 23/7:")
    if a.instalments and b.instalments and feat.instalments_conflict(a.instalments, b.instalments):
        return True  # two instalments of one series ("Đấu trí tập 2" and "'Đấu trí' tập 3")
    if a.places and b.places and not a.places & b.places:
        return True  # the same kind of happening in two provinces (two provinces' ceremonies)
    if _days_conflict(a.first_days, b.first_days):
        return True

    def all_days() -> bool:  # weak days too; built only when a rule below needs it
        return _days_conflict(a.first_days | a.weak_days, b.first_days | b.weak_days)

    if _spans_conflict(a, b, HARD_GAP_DAYS) and all_days():
        return True
    if similarity >= DATE_OVERRIDE:
        return False
    if _spans_conflict(a, b):  # always true when the hard gap was: all_days() is built at most once
        return True
    return similarity < DATE_TRUST and bool(a.first_days or b.first_days) and all_days()


def group_events(
    articles: Sequence[Article],
    dates: Mapping[str, TemporalExpression | None] | None = None,
    as_of: date | None = None,
    features: Mapping[str, feat.ArticleFeatures] | None = None,
) -> list[list[str]]:
    """Article ids per event, deterministic whatever the input order.

    ``dates`` is dating's answer per article id (``dating.article_date``) when the caller has it
    already (the pipeline does); otherwise dating runs here, only for articles with a neighbour, with
    the batch's ``as_of`` (``Options.as_of``). ``features``: ``features.extract`` per article id, when
    the caller has them (the pipeline: on its executor, or from the store's cache).
    """
    arts = sorted(articles, key=lambda a: a.id)
    if not arts:
        return []
    fs = [features[a.id] if features is not None and a.id in features else feat.extract(a) for a in arts]
    m = _matrices(fs)
    # One row per article: the blocks side by side, each scaled by sqrt(weight), so that a dot product
    # of two rows is the weighted sum of the three cosines.
    combined = sparse.csr_matrix(
        sparse.hstack([blk * math.sqrt(w) for blk, w in zip(m.blocks, m.weights, strict=True)], format="csr")
    )
    published = [_parse_published(a.published) for a in arts]
    lead_days = [f.lead_day for f in fs]
    ci, cj, shared = _candidates(m, *_time_buckets(published))
    keep = _feasible(ci, cj, published, lead_days)
    ci, cj, shared = ci[keep], cj[keep], shared[keep]
    keep = _nearest(ci, cj, shared, MAX_NEIGHBOURS)
    ci, cj = ci[keep], cj[keep]
    sims = _pair_similarities(combined, ci, cj)
    # Average link on the candidate graph: ``links[x][y]`` is the summed similarity of the two clusters'
    # article pairs, so merging is a dict addition (Lance-Williams) and a cluster's score with a
    # neighbour is that sum over the product of their sizes. Pairs outside the candidate graph count
    # as 0, which they nearly are: blocking keeps every pair sharing a distinctive key.
    links: dict[int, dict[int, float]] = {i: {} for i in range(len(arts))}
    heap: list[tuple[float, int, int]] = []
    for i, j, s in zip(ci.tolist(), cj.tolist(), sims.tolist(), strict=True):
        if s > 0.0:
            links[i][j] = s
            links[j][i] = s
            if s >= SINGLE_THRESHOLD:
                heap.append((-s, i, j))
    heapq.heapify(heap)
    clusters: dict[int, _Cluster] = {}
    for i in range(len(arts)):
        pub = published[i]
        lead = fs[i].lead_day
        ed = fs[i].edition_day
        clusters[i] = _Cluster(
            [i],
            {lead} if lead else set(),
            [pub] if pub else [],
            [],
            set(),
            editions={ed} if ed else set(),
            instalments=set(feat.instalments(arts[i].title)),
            places=set(fs[i].places),
            commentary=fs[i].commentary,
        )

    def ensure_dated(c: _Cluster) -> None:
        # The day written in the first sentence ("ngày 30/3") always counts. Without one, the day of the
        # expression dating chose ("hôm 3/4") is a weak signal: it only separates clusters that are not
        # clearly alike (score below DATE_TRUST), because outlets of one event date it differently by
        # days (applied to every pair it cost vmds-dev B-cubed F1 0.950 -> 0.916, JSONL with dates).
        if c.dated:
            return
        (x,) = c.members
        a = arts[x]
        span, day = (
            feat.date_signals(dates[a.id])
            if dates is not None and a.id in dates
            else feat.event_date(a, as_of)
        )
        c.event_spans = [span] if span else []
        c.weak_days = {day} if day and not fs[x].lead_day else set()
        c.dated = True

    next_id = len(arts)
    while heap:
        neg, i, j = heapq.heappop(heap)
        if i not in clusters or j not in clusters:
            continue  # stale entry: one side was merged already
        ca, cb = clusters[i], clusters[j]
        if -neg < _threshold(ca, cb):
            continue
        ensure_dated(ca)
        ensure_dated(cb)
        if _conflict(ca, cb, -neg):
            continue
        merged = _Cluster(
            ca.members + cb.members,
            ca.first_days | cb.first_days,
            ca.published + cb.published,
            ca.event_spans + cb.event_spans,
            ca.weak_days | cb.weak_days,
            True,
            ca.editions | cb.editions,
            ca.instalments | cb.instalments,
            ca.places | cb.places,
        )
        del clusters[i], clusters[j]
        li, lj = links.pop(i), links.pop(j)
        k = next_id
        next_id += 1
        clusters[k] = merged
        lk: dict[int, float] = {}
        for o in sorted((li.keys() | lj.keys()) - {i, j}):
            lo = links[o]
            w = lo.pop(i, 0.0) + lo.pop(j, 0.0)
            lo[k] = lk[o] = w
            if (s := w / (len(merged.members) * len(clusters[o].members))) >= _threshold(merged, clusters[o]):
                heapq.heappush(heap, (-s, min(k, o), max(k, o)))
        links[k] = lk
    groups = [sorted(arts[x].id for x in c.members) for c in clusters.values()]
    return sorted(groups, key=lambda g: g[0])


def event_title(articles: Sequence[Article]) -> str:
    """A headline for the event: the title sharing most words with the other titles (the most typical
    wording), earliest published then smallest id on ties."""
    titled = [a for a in articles if a.title.strip()]
    if not titled:
        return articles[0].title if articles else ""
    words = [set(vtext.syllables(a.title)) for a in titled]

    def key(i: int) -> tuple[float, int, str, str]:
        overlap = sum(len(words[i] & w) / math.sqrt(len(words[i]) * len(w) or 1) for w in words)
        a = titled[i]
        return (-overlap, 0 if a.published else 1, a.published or "", a.id)

    return titled[min(range(len(titled)), key=key)].title.strip()
