"""Concepts for the selection: how likely each syllable bigram of a cluster is to be in its summary.

ROUGE-2 counts the distinct bigrams a summary shares with the reference, so the selection rewards a
sentence for the *new* bigrams it covers (Gillick & Favre's concept coverage), each weighted by a
learned estimate of how likely a human summary of the cluster holds it (supervised bigram weights, Li,
Qian & Liu 2013). The estimate is a ridge regression over per-bigram features and their pairwise
products: in how many articles and sentences it occurs, whether a title holds it, the best position,
centrality and sentence score of the sentences that carry it, and how common its two syllables are in
the cluster (function words such as "của các" are common; names and numbers are not). No feature tells
the training corpora apart. Trained by ``bench/train_summarizer.py`` (docs/summarize.md).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from .features import FEATURES, Cluster, FloatArray

CONCEPT_FEATURES = (
    "df_frac",  # share of the articles holding the bigram
    "log_count",  # log(1 + sentences holding it)
    "log_docs",  # log(number of articles)
    "in_title",  # share of the titles holding it
    "max_pos_inv",  # the best (earliest) position of a sentence holding it, as 1 / (1 + index)
    "max_offset_decay",  # the same in syllables: 1 / (1 + offset / 50)
    "max_cos_centroid",  # the most central sentence holding it
    "max_doc_rank_inv",  # the most central article holding it
    "min_syl_idf",  # the commoner of its two syllables: log((1 + sentences) / (1 + sentences with it))
    "max_syl_idf",  # the rarer one
    "digit",  # a syllable with a digit (dates, amounts)
    "max_support_mean",  # the best support from other articles of a sentence holding it
    "mean_pos_inv",  # mean position of the sentences holding it
    "max_log_len",  # the longest sentence holding it
    "max_first",  # held by an article's first body sentence
    "max_bigram_title",  # the best title overlap of a sentence holding it
    "max_score",  # the best sentence score (of the sentence scorer) of a sentence holding it
    "mean_score",  # their mean score
    "best_rank",  # the rank of the best of them among the cluster's sentences (0 best, 1 worst)
)
_COL = {n: i for i, n in enumerate(FEATURES)}


def expand(f: FloatArray) -> FloatArray:
    """The concept features with the products of every pair of them (squares included) appended."""
    k = f.shape[1]
    a, b = np.triu_indices(k)
    return np.hstack([f, f[:, a] * f[:, b]])


@dataclass(frozen=True, slots=True)
class Concepts:
    """The distinct bigrams of a cluster's candidates: which unit holds which, and the features that do
    not depend on the sentence scorer (``features`` adds those that do)."""

    incidence: sp.csr_matrix  # (units, bigrams), 1 where the unit holds the bigram
    base: FloatArray  # (bigrams, len(CONCEPT_FEATURES) - 3)
    vocab: dict[tuple[str, str], int]
    rows: npt.NDArray[np.int64]  # (unit, bigram) pairs of the incidence, as flat arrays
    cols: npt.NDArray[np.int64]


def build(cluster: Cluster, titles: Sequence[Sequence[str]]) -> Concepts:
    """Bigrams of ``cluster``'s candidates and their scorer-free features; ``titles``: the articles'
    titles as syllables."""
    units = cluster.units
    n = len(units)
    x = cluster.features
    vocab: dict[tuple[str, str], int] = {}
    ids: list[list[int]] = []
    for u in units:
        ids.append(sorted({vocab.setdefault(b, len(vocab)) for b in itertools.pairwise(u.tokens)}))
    nb = len(vocab)
    rows = np.repeat(np.arange(n, dtype=np.int64), [len(i) for i in ids])
    cols = np.fromiter(itertools.chain.from_iterable(ids), dtype=np.int64, count=len(rows))
    incidence = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, nb))
    # Statistics from the sentences as written (not trimmed variants, not captions), as features.build.
    primary = np.array([u.trimmed == 0 and not u.caption for u in units], dtype=bool)
    n_docs = max((u.doc for u in units), default=0) + 1
    doc_of = np.array([u.doc for u in units], dtype=np.int64)
    keep = primary[rows]
    count = np.bincount(cols[keep], minlength=nb).astype(np.float64)
    in_doc = np.zeros((nb, n_docs), dtype=bool)
    in_doc[cols[keep], doc_of[rows[keep]]] = True
    in_title = np.zeros(nb)
    for t in titles:
        for b in set(itertools.pairwise(t)):
            j = vocab.get(b)
            if j is not None:
                in_title[j] += 1
    in_title /= max(len(titles), 1)
    # How common each syllable is among the cluster's sentences (a per-cluster idf).
    syl_df: dict[str, int] = {}
    for u, p in zip(units, primary, strict=True):
        if p:
            for t in set(u.tokens):
                syl_df[t] = syl_df.get(t, 0) + 1
    n_prim = int(primary.sum())
    idf_a = np.empty(nb)
    idf_b = np.empty(nb)
    digit = np.zeros(nb)
    for (s, t), j in vocab.items():
        idf_a[j] = math.log((1 + n_prim) / (1 + syl_df.get(s, 0)))
        idf_b[j] = math.log((1 + n_prim) / (1 + syl_df.get(t, 0)))
        if not (s.isalpha() and t.isalpha()) and any(ch.isdigit() for ch in s + t):
            digit[j] = 1.0

    def col_max(name: str) -> FloatArray:
        out = np.zeros(nb)
        np.maximum.at(out, cols, x[rows, _COL[name]])
        return out

    held = np.maximum(np.bincount(cols, minlength=nb), 1)
    base = np.column_stack(
        [
            in_doc.sum(axis=1) / n_docs,
            np.log1p(count),
            np.full(nb, math.log(n_docs)),
            in_title,
            col_max("pos_inv"),
            col_max("offset_decay"),
            col_max("cos_centroid"),
            col_max("doc_rank_inv"),
            np.minimum(idf_a, idf_b),
            np.maximum(idf_a, idf_b),
            digit,
            col_max("support_mean"),
            np.bincount(cols, weights=x[rows, _COL["pos_inv"]], minlength=nb) / held,
            col_max("log_len"),
            col_max("first"),
            col_max("bigram_title"),
        ]
    ).reshape(nb, len(CONCEPT_FEATURES) - 3)
    return Concepts(incidence, base, vocab, rows, cols)


def features(concepts: Concepts, scores: FloatArray) -> FloatArray:
    """All concept features: the scorer-free ones and the best, mean and best rank of the sentence
    scores of the candidates holding each bigram."""
    rows, cols = concepts.rows, concepts.cols
    nb = concepts.base.shape[0]
    n = len(scores)
    best = np.full(nb, -np.inf)
    np.maximum.at(best, cols, scores[rows])
    held = np.maximum(np.bincount(cols, minlength=nb), 1)
    mean = np.bincount(cols, weights=scores[rows], minlength=nb) / held
    rank = np.empty(n)
    rank[np.argsort(-scores, kind="stable")] = np.arange(n) / max(n - 1, 1)
    best_rank = np.ones(nb)
    np.minimum.at(best_rank, cols, rank[rows])
    return np.column_stack([concepts.base, best, mean, best_rank]).reshape(nb, len(CONCEPT_FEATURES))


@dataclass(frozen=True, slots=True)
class Coverage:
    """What the selection needs of the concepts: which candidate holds which bigram, each bigram's
    weight (its estimated chance of being in the summary), and how much a candidate's weight of new
    bigrams per syllable adds to its score."""

    incidence: sp.csr_matrix
    weights: FloatArray
    strength: float


@dataclass(frozen=True, slots=True)
class ConceptModel:
    """A ridge over standardised concept features and their pairwise products; predictions clipped to
    [0, 1] (the share of a cluster's reference summaries holding the bigram)."""

    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    strength: float  # how much a sentence's weight of new bigrams per syllable adds to its score

    def predict(self, features: FloatArray) -> FloatArray:
        if features.shape[0] == 0:
            return np.zeros(0)
        z = (expand(features) - np.asarray(self.mean)) / np.asarray(self.scale)
        return np.asarray(np.clip(z @ np.asarray(self.coef) + self.intercept, 0.0, 1.0), dtype=np.float64)

    def to_json(self) -> dict[str, object]:
        return {
            "features": list(CONCEPT_FEATURES),
            "mean": list(self.mean),
            "scale": list(self.scale),
            "coef": list(self.coef),
            "intercept": self.intercept,
            "strength": self.strength,
        }

    @classmethod
    def from_json(cls, data: dict[str, object], where: str = "model") -> ConceptModel:
        try:
            names = tuple(str(n) for n in data["features"])  # type: ignore[attr-defined]
            model = cls(
                tuple(float(v) for v in data["mean"]),  # type: ignore[attr-defined]
                tuple(float(v) for v in data["scale"]),  # type: ignore[attr-defined]
                tuple(float(v) for v in data["coef"]),  # type: ignore[attr-defined]
                float(data["intercept"]),  # type: ignore[arg-type]
                float(data["strength"]),  # type: ignore[arg-type]
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{where}: not a concept model ({exc})") from exc
        k = len(CONCEPT_FEATURES)
        width = k + k * (k + 1) // 2
        if names != CONCEPT_FEATURES or not (len(model.mean) == len(model.scale) == len(model.coef) == width):
            raise ValueError(f"{where}: concept features {names} do not match {CONCEPT_FEATURES}")
        return model
