"""Sentence features for the learned scorer: position, length, centrality, cross-document support.

All similarities are TF-IDF cosines over syllables computed per cluster (no global vocabulary, so the
stage runs anywhere without a fitted vectoriser). Vectors are flat numpy arrays (row, column, value) with
one scipy sparse product for the cosines: an event has a few dozen sentences, where building sparse
matrices cost more than their arithmetic (docs/scale.md); a cluster takes ~1-2 ms.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from ..models import Article
from ..text import syllables
from .units import Unit

BASE_FEATURES = (
    "pos_inv",  # 1 / (1 + position among the article's body sentences; a sapo's sentences count as 0)
    "rel_pos",  # position / number of body sentences
    "first",  # first body sentence
    "log_len",  # log(1 + syllables)
    "short",  # fewer than 15 syllables
    "cos_centroid",  # cosine to the cluster centroid
    "cos_title_own",  # cosine to the article's own title
    "cos_titles",  # best cosine to any title of the cluster
    "support_mean",  # mean over other articles of the best cosine to one of their sentences
    "support_max",  # best cosine to a sentence of another article
    "support_frac",  # share of other articles with a sentence at cosine > 0.25
    "bigram_support",  # share of the sentence's bigrams that occur in another article
    "bigram_title",  # share of the sentence's bigrams that occur in a title
    "digit_density",
    "cap_density",  # capitalised words (names) per syllable, sentence-initial word excluded
    "dangling",
    "quote",
    "clean_end",
    "doc_centrality",  # cosine of the article to the cluster centroid
    "doc_rank_inv",  # 1 / (1 + rank of the article by centrality)
    "pos_x_rank",  # pos_inv * doc_rank_inv
    "log_docs",  # log(number of articles)
    "log_offset",  # log(1 + syllables of the article's body before this sentence)
    "offset_decay",  # 1 / (1 + offset / 50): Lead's budget per article is a few dozen syllables
    "trimmed",  # a trimmed variant (attribution or connective cut off)
    "trim_share",  # share of the sentence's syllables that trimming cut
)
# No feature says whether an article opens with a sapo: the former "sapo_doc" (and a copy of every
# feature multiplied by it) fired on 618 of 621 AbMuSu articles and 0 of 329 vmds-dev ones, a corpus
# label that split the scorer into two models. bench/train_summarizer.py --corpus-check prints how well
# each feature alone tells the two corpora apart.
# Sentences only compete with the other sentences of their cluster, so where a sentence stands among them
# says more than the raw value, whose scale differs with cluster size and wording: these features also
# appear as their rank in the cluster (0 = highest, 1 = lowest, ties averaged). Under 3 x 5-fold
# cross-validation this added +0.4 ROUGE-2 on vmds-dev and +0.2 on AbMuSu (bench/train_summarizer.py).
RANKED = (
    "cos_centroid",
    "support_mean",
    "support_max",
    "bigram_support",
    "bigram_title",
    "cos_titles",
    "log_len",
    "support_frac",
)
FEATURES = (*BASE_FEATURES, *(f"rank:{n}" for n in RANKED))
_RANKED_COLUMNS = [BASE_FEATURES.index(n) for n in RANKED]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(slots=True)
class Cluster:
    """Candidates of one cluster with their features and pairwise similarities."""

    units: list[Unit]
    features: FloatArray  # (n_units, len(FEATURES))
    sims: FloatArray  # (n_units, n_units) TF-IDF cosine
    doc_rank: list[int]  # rank of each article by centrality (0 = most central)


def _bigrams(tokens: Sequence[str]) -> set[tuple[str, str]]:
    return set(itertools.pairwise(tokens))


def _ranks(x: FloatArray) -> FloatArray:
    """Each column's ranks scaled to [0, 1] (0 = smallest; ties share their mean rank), as
    ``(scipy.stats.rankdata(x, axis=0) - 1) / (n - 1)``: searchsorted over a few short columns costs
    less than rankdata's general machinery. Average ranks are half-integers, so the values are exact."""
    n = x.shape[0]
    out = np.empty_like(x)
    for j in range(x.shape[1]):
        s = np.sort(x[:, j])
        lo = np.searchsorted(s, x[:, j], side="left")
        hi = np.searchsorted(s, x[:, j], side="right")
        out[:, j] = (lo + hi + 1) / 2.0
    return (out - 1.0) / max(n - 1, 1) if n else out


def _rows_tfidf(
    token_lists: Sequence[Sequence[str]], vocab: dict[str, int], idf: FloatArray
) -> tuple[IntArray, IntArray, FloatArray]:
    """L2-normalised TF-IDF rows as flat (row, column, value) arrays, row by row, each row's columns in
    descending order.

    Written with numpy on flat arrays instead of scipy matrices: a cluster has ~20-60 sentences, where
    building and scaling a sparse matrix costs more than its arithmetic. The floats are bit for bit those
    of the former ``sp.diags(1 / norms) @ csr_matrix(...)``: the same ``1 + log(tf)`` and idf products, the
    row norms reduced as scipy reduces a row (``np.add.reduceat`` over the row's values in column order),
    and columns stored in the order that product left them (descending), which fixes the summation order
    of every later dot product.
    """
    ids = [[j for t in toks if (j := vocab.get(t)) is not None] for toks in token_lists]
    width = max(len(vocab), 1)
    rows = np.repeat(np.arange(len(ids), dtype=np.int64), [len(r) for r in ids])
    cols = np.fromiter(itertools.chain.from_iterable(ids), dtype=np.int64, count=len(rows))
    keys, counts = np.unique(rows * width + cols, return_counts=True)  # sorted by row, then column
    r, c = keys // width, keys % width
    tf = np.array([0.0] + [1.0 + math.log(k) for k in range(1, int(counts.max(initial=0)) + 1)])
    vals = tf[counts] * idf[c]
    norms = np.zeros(len(ids))
    if len(vals):
        starts = np.flatnonzero(np.r_[True, r[1:] != r[:-1]])
        norms[r[starts]] = np.add.reduceat(vals * vals, starts)
    norms = np.sqrt(norms)
    norms[norms == 0] = 1.0
    vals = (1.0 / norms)[r] * vals
    desc = np.lexsort((-c, r))
    return r[desc], c[desc], vals[desc]


def _dot_rows(r: IntArray, c: IntArray, v: FloatArray, vec: FloatArray, n: int) -> FloatArray:
    """Each row's dot product with ``vec``, summed in the rows' stored order (as scipy's ``csr @ vec``)."""
    return np.bincount(r, weights=v * vec[c], minlength=n).astype(np.float64, copy=False)


def _sum_rows(r: IntArray, c: IntArray, v: FloatArray, keep: BoolArray, width: int) -> FloatArray:
    """Sum of the rows where ``keep``, summed row after row (as scipy's ``csr[keep].sum(axis=0)``)."""
    m = keep[r]
    return np.bincount(c[m], weights=v[m], minlength=width).astype(np.float64, copy=False)


def build(articles: Sequence[Article], units: list[Unit]) -> Cluster:
    """Feature matrix of ``units``, the candidates of ``articles``."""
    n_docs = len(articles)
    titles = [syllables(a.title) for a in articles]
    # Trimmed variants repeat their sentence's words: the cluster's statistics (idf, centroid, support,
    # positions) come from the sentences as written, and a variant is only scored against them.
    primary = np.array([u.trimmed == 0 for u in units], dtype=bool)
    vocab: dict[str, int] = {}
    df: dict[int, int] = {}
    for toks in [u.tokens for u in units if u.trimmed == 0] + titles:
        for t in dict.fromkeys(toks):  # insertion order: a set would order columns by string hash
            j = vocab.setdefault(t, len(vocab))
            df[j] = df.get(j, 0) + 1
    n_texts = int(primary.sum()) + len(titles)
    idf = np.array([math.log((1 + n_texts) / (1 + df[j])) + 1.0 for j in range(len(vocab))])
    n = len(units)
    width = len(vocab)
    r, c, v = _rows_tfidf([u.tokens for u in units] + titles, vocab, idf)
    # Sentence-sentence and sentence-title cosines: one sparse product (scipy sums each entry in the
    # order of the sentence's stored columns, as before), everything else on the flat arrays.
    indptr = np.zeros(n + n_docs + 1, dtype=np.int64)
    np.cumsum(np.bincount(r, minlength=n + n_docs), out=indptr[1:])
    m = sp.csr_matrix((v, c, indptr), shape=(n + n_docs, max(width, 1)))
    both = (m[:n] @ m.T).toarray() if n else np.zeros((0, n + n_docs))
    sims, title_sims = both[:, :n], both[:, n:]
    sentence = r < n
    r, c, v = r[sentence], c[sentence], v[sentence]

    doc_of = np.array([u.doc for u in units], dtype=np.int64)
    body = np.array([not u.caption for u in units], dtype=bool) & primary
    centroid = _sum_rows(r, c, v, body, width) if body.any() else np.zeros(width)
    cn = np.linalg.norm(centroid)
    centroid = centroid / cn if cn else centroid
    cos_centroid = _dot_rows(r, c, v, centroid, n)
    doc_cent = np.zeros(n_docs)
    for d in range(n_docs):
        mine = (doc_of == d) & body
        if mine.any():
            dv = _sum_rows(r, c, v, mine, width)
            vn = np.linalg.norm(dv)
            doc_cent[d] = float(dv @ centroid / vn) if vn else 0.0
    order = sorted(range(n_docs), key=lambda d: -doc_cent[d])
    doc_rank = [0] * n_docs
    for rank, d in enumerate(order):
        doc_rank[d] = rank

    # Per-article best similarity of every unit (body sentences only).
    per_doc_best = np.zeros((n, n_docs))
    for d in range(n_docs):
        cols = np.flatnonzero((doc_of == d) & body)
        if cols.size:
            per_doc_best[:, d] = sims[:, cols].max(axis=1)

    unit_bigrams = [_bigrams(u.tokens) for u in units]
    doc_bigrams = [set[tuple[str, str]]() for _ in range(n_docs)]
    for u, bg in zip(units, unit_bigrams, strict=True):
        if not u.caption and u.trimmed == 0:
            doc_bigrams[u.doc] |= bg
    title_bigrams: set[tuple[str, str]] = set()
    for toks in titles:
        title_bigrams |= _bigrams(toks)

    n_body = [0] * n_docs
    offset = [0] * n  # syllables of the body before each sentence (0 in a sapo)
    body_syl = [0] * n_docs
    for i, u in enumerate(units):
        offset[i] = body_syl[u.doc]
        if not u.is_sapo and u.trimmed == 0:  # positions count from the body, after a sapo
            n_body[u.doc] += 1
            body_syl[u.doc] += len(u.tokens)

    log_docs = math.log(n_docs) if n_docs else 0.0
    # Support from the other articles, vectorised: the own article's column is masked out.
    other = np.ones((n, n_docs), dtype=bool)
    other[np.arange(n), doc_of] = False
    n_other = other.sum(axis=1)
    has_other = n_other > 0
    denom = np.maximum(n_other, 1)
    support_mean = np.where(has_other, np.where(other, per_doc_best, 0.0).sum(axis=1) / denom, 0.0)
    support_max = np.where(has_other, np.where(other, per_doc_best, -1.0).max(axis=1, initial=-1.0), 0.0)
    support_max = support_max.clip(min=0.0)
    support_frac = np.where(has_other, (other & (per_doc_best > 0.25)).sum(axis=1) / denom, 0.0)
    title_own = title_sims[np.arange(n), doc_of] if n_docs else np.zeros(n)
    title_best = title_sims.max(axis=1) if n_docs else np.zeros(n)
    # Which articles each bigram occurs in, as a bit mask (cheaper than one set lookup per article).
    bigram_docs: dict[tuple[str, str], int] = {}
    for d, bgs in enumerate(doc_bigrams):
        for b in bgs:
            bigram_docs[b] = bigram_docs.get(b, 0) | (1 << d)
    rows: list[tuple[float, ...]] = []
    for i, u in enumerate(units):
        bg = unit_bigrams[i]
        nb = len(bg) or 1
        own = ~(1 << u.doc)
        in_other = sum(1 for b in bg if bigram_docs.get(b, 0) & own)
        words = u.text.split()
        caps = sum(1 for w in words[1:] if w[:1].isupper())
        # isalpha first: a letter is never a digit, and most syllables are all letters
        digits = sum(1 for tok in u.tokens if not tok.isalpha() and any(map(str.isdigit, tok)))
        pos = max(u.index, 0)
        pos_inv = 1.0 / (1 + pos)
        rank_inv = 1.0 / (1 + doc_rank[u.doc])
        rows.append(
            (
                pos_inv,
                pos / max(n_body[u.doc], 1),
                1.0 if u.index == 0 else 0.0,
                math.log1p(len(u.tokens)),
                1.0 if len(u.tokens) < 15 else 0.0,
                0.0,  # cos_centroid, title and support columns: filled from the arrays below
                0.0,
                0.0,
                0.0,
                0.0,
                0.0,
                in_other / nb,
                sum(1 for b in bg if b in title_bigrams) / nb,
                digits / len(u.tokens),
                caps / len(u.tokens),
                1.0 if u.dangling else 0.0,
                1.0 if any(q in u.text for q in '"“”') else 0.0,
                1.0 if u.ends_cleanly else 0.0,
                doc_cent[u.doc],
                rank_inv,
                pos_inv * rank_inv,
                log_docs,
                math.log1p(offset[i]),
                1.0 / (1 + offset[i] / 50),
                1.0 if u.trimmed else 0.0,
                u.trimmed / (len(u.tokens) + u.trimmed),
            )
        )
    feats = np.array(rows, dtype=np.float64).reshape(n, len(BASE_FEATURES))
    feats[:, 5:11] = np.column_stack(
        [cos_centroid, title_own, title_best, support_mean, support_max, support_frac]
    ).reshape(n, 6)
    ranks = _ranks(-feats[:, _RANKED_COLUMNS])
    return Cluster(units, np.hstack([feats, ranks]), sims, doc_rank)
