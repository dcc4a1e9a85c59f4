"""Sentence features for the learned scorer: position, length, centrality, cross-document support.

All similarities are TF-IDF cosines over syllables computed per cluster (no global vocabulary, so the
stage runs anywhere without a fitted vectoriser). Vectors are built with plain dicts and scipy sparse
matrices: a 3-5 article cluster has a few hundred sentences, so this stays within a few milliseconds.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.stats import rankdata

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


@dataclass(slots=True)
class Cluster:
    """Candidates of one cluster with their features and pairwise similarities."""

    units: list[Unit]
    features: FloatArray  # (n_units, len(FEATURES))
    sims: FloatArray  # (n_units, n_units) TF-IDF cosine
    doc_rank: list[int]  # rank of each article by centrality (0 = most central)


def _bigrams(tokens: Sequence[str]) -> set[tuple[str, str]]:
    return set(itertools.pairwise(tokens))


def _tfidf(token_lists: Sequence[Sequence[str]], vocab: dict[str, int], idf: FloatArray) -> sp.csr_matrix:
    rows, cols, vals = [], [], []
    for i, toks in enumerate(token_lists):
        counts: dict[int, int] = {}
        for t in toks:
            j = vocab.get(t)
            if j is not None:
                counts[j] = counts.get(j, 0) + 1
        for j, c in counts.items():
            rows.append(i)
            cols.append(j)
            vals.append((1.0 + math.log(c)) * idf[j])
    m = sp.csr_matrix((vals, (rows, cols)), shape=(len(token_lists), len(vocab)), dtype=np.float64)
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ m)


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
    x = _tfidf([u.tokens for u in units], vocab, idf)
    t = _tfidf(titles, vocab, idf)
    n = len(units)
    sims = (x @ x.T).toarray() if n else np.zeros((0, 0))

    doc_of = np.array([u.doc for u in units], dtype=np.int64)
    body = np.array([not u.caption for u in units], dtype=bool) & primary
    centroid = np.asarray(x[body].sum(axis=0)).ravel() if body.any() else np.zeros(len(vocab))
    cn = np.linalg.norm(centroid)
    centroid = centroid / cn if cn else centroid
    cos_centroid = x @ centroid
    doc_cent = np.zeros(n_docs)
    for d in range(n_docs):
        rows = np.flatnonzero((doc_of == d) & body)
        if rows.size:
            v = np.asarray(x[rows].sum(axis=0)).ravel()
            vn = np.linalg.norm(v)
            doc_cent[d] = float(v @ centroid / vn) if vn else 0.0
    order = sorted(range(n_docs), key=lambda d: -doc_cent[d])
    doc_rank = [0] * n_docs
    for r, d in enumerate(order):
        doc_rank[d] = r

    title_sims = (x @ t.T).toarray() if n else np.zeros((0, n_docs))

    # Per-article best similarity of every unit (body sentences only).
    per_doc_best = np.zeros((n, n_docs))
    for d in range(n_docs):
        rows = np.flatnonzero((doc_of == d) & body)
        if rows.size:
            per_doc_best[:, d] = sims[:, rows].max(axis=1)

    doc_bigrams = [set[tuple[str, str]]() for _ in range(n_docs)]
    for u in units:
        if not u.caption and u.trimmed == 0:
            doc_bigrams[u.doc] |= _bigrams(u.tokens)
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

    feats = np.zeros((n, len(BASE_FEATURES)))
    log_docs = math.log(n_docs) if n_docs else 0.0
    # Support from the other articles, vectorised: the own article's column is masked out.
    other = np.ones((n, n_docs), dtype=bool)
    other[np.arange(n), doc_of] = False
    n_other = other.sum(axis=1)
    has_other = n_other > 0
    denom = np.maximum(n_other, 1)
    support_mean = np.where(other, per_doc_best, 0.0).sum(axis=1) / denom
    support_max = np.where(other, per_doc_best, -1.0).max(axis=1, initial=-1.0).clip(min=0.0)
    support_frac = (other & (per_doc_best > 0.25)).sum(axis=1) / denom
    # Which articles each bigram occurs in, as a bit mask (cheaper than one set lookup per article).
    bigram_docs: dict[tuple[str, str], int] = {}
    for d, bgs in enumerate(doc_bigrams):
        for b in bgs:
            bigram_docs[b] = bigram_docs.get(b, 0) | (1 << d)
    for i, u in enumerate(units):
        bg = _bigrams(u.tokens)
        nb = len(bg) or 1
        own = ~(1 << u.doc)
        in_other = sum(1 for b in bg if bigram_docs.get(b, 0) & own)
        words = u.text.split()
        caps = sum(1 for w in words[1:] if w[:1].isupper())
        digits = sum(1 for tok in u.tokens if any(c.isdigit() for c in tok))
        pos = max(u.index, 0)
        pos_inv = 1.0 / (1 + pos)
        rank_inv = 1.0 / (1 + doc_rank[u.doc])
        feats[i] = (
            pos_inv,
            pos / max(n_body[u.doc], 1),
            1.0 if u.index == 0 else 0.0,
            math.log1p(len(u.tokens)),
            1.0 if len(u.tokens) < 15 else 0.0,
            cos_centroid[i],
            title_sims[i, u.doc],
            title_sims[i].max() if n_docs else 0.0,
            support_mean[i] if has_other[i] else 0.0,
            support_max[i] if has_other[i] else 0.0,
            support_frac[i] if has_other[i] else 0.0,
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
    sub = feats[:, _RANKED_COLUMNS]
    ranks = (rankdata(-sub, axis=0, method="average") - 1.0) / max(n - 1, 1) if n else sub
    return Cluster(units, np.hstack([feats, ranks]), sims, doc_rank)
