"""Extractive multi-document summaries, every sentence traceable to its article.

Method (docs/summarize.md has the numbers): split each article into sentences, trim inline photo
captions, datelines, sub-headings in capitals and bylines, and add a trimmed variant of sentences with a
source attribution ("Theo hãng tin AFP, ...", "..., ông X cho biết."), an additive connective or a
closing credit; score every candidate with one small ridge model over features and products of pairs of
them (position, length, centrality, similarity to titles, support from the other articles, trimming;
none tells the training corpora apart; trained with cross-validation by ``bench/train_summarizer.py``,
weights and provenance shipped as JSON); then pick greedily by score less redundancy (MMR), skipping short
sentences, sentences a reader trips over (``units.flaw``: headings, fragments, bylines), near-duplicates
(so two articles' leads that say the same are not both taken), a second variant of a chosen sentence and
sentences that lean on an unchosen predecessor ("Tuy nhiên", "Hai là ..."); finally order by article and
position. ``locate`` finds a summary sentence's span in its article.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from ..models import Article, SummarySentence
from ..text import syllables
from . import concepts as _concepts
from . import features as _features
from .concepts import ConceptModel, Coverage
from .features import FEATURES, FloatArray
from .units import Unit, article_units

# Selection thresholds. MIN_SYLLABLES (from the feasibility study): shorter sentences are headings, bylines
# or fragments. REDUNDANCY: a sentence whose TF-IDF cosine to one already chosen exceeds it says the
# same thing again (syndicated copies repeat whole paragraphs at cosine ~1). MMR: below that hard limit,
# a sentence's score is lowered by MMR x its best cosine to the summary so far (maximal marginal
# relevance). Both picked by bench/train_summarizer.py --sweep under 3 x 5-fold cross-validation on
# vmds-dev and AbMuSu together: 0.6/0.5 sits in a plateau (0.5-0.7 x 0.3-1.0 within 0.3 ROUGE-2) and
# gains +0.7 ROUGE-2 on vmds-dev and +0.3 on AbMuSu over the former hard-only 0.4.
MIN_SYLLABLES = 10
REDUNDANCY = 0.6
MMR = 0.5
# A sentence may be chosen when at least this share of it fits in what is left of the budget, so a
# summary can run over ``length`` by less than half of its last sentence (a first sentence of up to
# twice the budget is then the whole summary). Sentences are never cut: a reader gets whole sentences,
# and ROUGE, like Lead, reads the first ``length`` syllables. Under 2 x 5-fold cross-validation (session
# 9) this added +1.1 ROUGE-2 on vmds-dev's clusters and +0.3 on its single articles (AbMuSu within
# 0.1) over choosing only sentences that fit; 0.3 and 0.7 were no better (docs/summarize.md).
OVERRUN = 0.5


# Products of these features enter the scorer too (pairwise interactions, squares included): they let
# the score say "central AND early AND long", which AbMuSu's long, abstractive references reward. The
# shipped weights are the mean of a linear ridge and one with these products (docs/summarize.md).
# The first 10 are the linear model's strongest features, fixed before measuring.
INTERACTING = (
    "pos_inv",
    "log_len",
    "cos_centroid",
    "support_mean",
    "bigram_support",
    "bigram_title",
    "doc_rank_inv",
    "offset_decay",
    "rank:cos_centroid",
    "rank:bigram_support",
    # One article or several: a single article has no support from others, and its best sentences are
    # placed differently (+0.2 to +0.6 ROUGE-2 on all four sets under 1 x 5 folds).
    "log_docs",
)
INTERACTIONS = tuple((a, b) for i, a in enumerate(INTERACTING) for b in INTERACTING[i:])  # 66 pairs


def expand(x: FloatArray, pairs: Sequence[tuple[str, str]] = INTERACTIONS) -> FloatArray:
    """The feature matrix with the products of ``pairs`` of its columns appended."""
    if not pairs:
        return x
    col = {n: i for i, n in enumerate(FEATURES)}
    a = [col[p] for p, _ in pairs]
    b = [col[q] for _, q in pairs]
    return np.hstack([x, x[:, a] * x[:, b]])


@dataclass(frozen=True, slots=True)
class Model:
    """A linear sentence scorer over standardised features and products of pairs of them."""

    names: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    pairs: tuple[tuple[str, str], ...] = ()
    # Bigram weights for the selection's coverage gain (``concepts``); None: score and MMR only.
    concepts: ConceptModel | None = None

    def score(self, x: FloatArray) -> FloatArray:
        if x.shape[0] == 0:
            return np.zeros(0)
        z = (expand(x, self.pairs) - np.asarray(self.mean)) / np.asarray(self.scale)
        return np.asarray(z @ np.asarray(self.coef) + self.intercept, dtype=np.float64)

    def coverage(
        self, cluster: _features.Cluster, titles: Sequence[Sequence[str]], scores: FloatArray
    ) -> Coverage | None:
        """The bigram weights of ``cluster`` for the selection (None without a concept model)."""
        if self.concepts is None:
            return None
        con = _concepts.build(cluster, titles)
        weights = self.concepts.predict(_concepts.features(con, scores))
        return Coverage(con.incidence, weights, self.concepts.strength)

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "features": list(self.names),
            "pairs": [list(p) for p in self.pairs],
            "mean": list(self.mean),
            "scale": list(self.scale),
            "coef": list(self.coef),
            "intercept": self.intercept,
        }
        if self.concepts is not None:
            out["concepts"] = self.concepts.to_json()
        return out

    @classmethod
    def from_json(cls, data: dict[str, object], where: str = "model") -> Model:
        try:
            names = tuple(str(n) for n in data["features"])  # type: ignore[attr-defined]
            pairs = tuple(
                (str(p[0]), str(p[1]))
                for p in data.get("pairs", [])  # type: ignore[attr-defined]
            )
            model = cls(
                names,
                tuple(float(v) for v in data["mean"]),  # type: ignore[attr-defined]
                tuple(float(v) for v in data["scale"]),  # type: ignore[attr-defined]
                tuple(float(v) for v in data["coef"]),  # type: ignore[attr-defined]
                float(data["intercept"]),  # type: ignore[arg-type]
                pairs,
                ConceptModel.from_json(data["concepts"], where)  # type: ignore[arg-type]
                if "concepts" in data
                else None,
            )
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            raise ValueError(f"{where}: not a summarizer model ({exc})") from exc
        width = len(names) + len(pairs)
        if names != FEATURES or not (len(model.mean) == len(model.scale) == len(model.coef) == width):
            raise ValueError(f"{where}: features {names} do not match this version's {FEATURES}")
        unknown = {n for p in pairs for n in p} - set(FEATURES)
        if unknown:
            raise ValueError(f"{where}: interaction of unknown features {sorted(unknown)}")
        return model


@lru_cache(maxsize=1)
def _model_file() -> tuple[str, dict[str, object]]:
    ref = resources.files("diemtin").joinpath("data/summarizer.json")
    return str(ref), json.loads(ref.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def default_model() -> Model:
    """The shipped scorer (src/diemtin/data/summarizer.json)."""
    where, data = _model_file()
    return Model.from_json(data, where=where)


def provenance() -> dict[str, Any]:
    """Where the shipped scorer was trained: corpora, folds, date, features, its cross-validated and
    cross-corpus ROUGE and fingerprints of its training clusters (written by bench/train_summarizer.py)."""
    where, data = _model_file()
    prov = data.get("provenance")
    return {"file": where, "features": data.get("features", [])} | (prov if isinstance(prov, dict) else {})


def candidates(articles: Sequence[Article]) -> _features.Cluster:
    """Every sentence of the cluster with its features (captions and flawed sentences included, flagged)."""
    units: list[Unit] = []
    for i, a in enumerate(articles):
        units.extend(article_units(a, i))
    return _features.build(articles, units)


def select(
    cluster: _features.Cluster, scores: FloatArray, length: int, coverage: Coverage | None = None
) -> list[tuple[int, str]]:
    """Greedy choice under a ``length``-syllable budget: (index into ``cluster.units``, text) as chosen.

    Each step takes the eligible sentence with the best score minus ``MMR`` times its highest cosine to
    a sentence already chosen, plus (with ``coverage``) ``coverage.strength`` times the weight of the
    bigrams it holds that no chosen sentence holds yet, per syllable. Never chosen: captions, sentences
    with a ``flaw`` (heading, fragment, byline), sentences under ``MIN_SYLLABLES``, a sentence ending
    in a colon (it introduces a list or a quote that is not in it: "3 dấu hiệu cảnh báo ... gồm:"), one
    of which less than ``OVERRUN`` (half) fits in what is left of the budget, a near-duplicate (cosine
    above ``REDUNDANCY``: two articles' leads that say the same thing, sapos included), a second
    variant of a chosen sentence, and a dangling sentence whose predecessor is not chosen (it becomes
    eligible once the predecessor is). Filling the last syllables with a sentence's leading clause was
    tried: +0.05 ROUGE-2, not worth a summary that ends mid-sentence.
    """
    units = cluster.units
    n = len(units)
    sizes = np.array([len(u.tokens) for u in units], dtype=np.int64)
    allowed = np.array(
        [
            not (u.caption or u.flaw or len(u.tokens) < MIN_SYLLABLES or u.text.rstrip().endswith(":"))
            for u in units
        ],
        dtype=bool,
    )
    chosen: list[int] = []
    # (article, sentence): one variant per sentence, and a dangling sentence's anchor (the sentence
    # before it, the last of a sapo included)
    chosen_sentences: set[tuple[int, int]] = set()
    max_sim = np.zeros(n)
    used = 0
    # Weight of each bigram not yet covered by the summary (concept coverage, ``concepts``).
    fresh = coverage.weights.copy() if coverage is not None else None
    while length - used >= MIN_SYLLABLES:
        # The best sentence is not passed over for a shorter, worse one because it does not quite fit
        # (OVERRUN): a third of vmds-dev's single articles open with a lead longer than their 42-syllable
        # sapo, and a 42-syllable budget leaves room for few whole second sentences (docs/summarize.md).
        ok = allowed & (sizes * OVERRUN <= length - used) & (max_sim <= REDUNDANCY)
        value = scores - MMR * max_sim
        if coverage is not None and fresh is not None:
            value = value + coverage.strength * (coverage.incidence @ fresh) / np.maximum(sizes, 1)
        value = np.where(ok, value, -np.inf)
        pick = -1
        for i in np.argsort(-value, kind="stable"):
            if not ok[i]:
                break
            u = units[i]
            if (u.doc, u.sentence) in chosen_sentences or (
                u.dangling and (u.doc, u.sentence - 1) not in chosen_sentences
            ):
                continue
            pick = int(i)
            break
        if pick < 0:
            break
        chosen.append(pick)
        chosen_sentences.add((units[pick].doc, units[pick].sentence))
        max_sim = np.maximum(max_sim, cluster.sims[pick])
        used += int(sizes[pick])
        if coverage is not None and fresh is not None:
            fresh[
                coverage.incidence.indices[
                    coverage.incidence.indptr[pick] : coverage.incidence.indptr[pick + 1]
                ]
            ] = 0.0
    return [(i, units[i].text) for i in chosen]


def locate(text: str, source: str) -> tuple[int, int] | None:
    """Span ``(start, end)`` of ``source`` that the summary sentence ``text`` was taken from, or None.

    A trimmed sentence is a contiguous span of its source whose first letter may have been capitalised
    and whose end mark may have been put back ("..., ông X cho biết." → "....").
    """
    i = source.find(text)
    if i >= 0:
        return i, i + len(text)
    core = text.rstrip(".!?…")
    if not core:
        return None
    start = source.find(core[1:], 1)
    while start > 0:
        if source[start - 1].lower() == core[0].lower():
            return start - 1, start + len(core) - 1
        start = source.find(core[1:], start + 1)
    return None


def _article_order(articles: Sequence[Article]) -> list[int]:
    """Reading order of articles: by publication time when every article has one, else as given."""
    if articles and all(a.published for a in articles):
        return sorted(range(len(articles)), key=lambda d: (articles[d].published or "", d))
    return list(range(len(articles)))


def summarize(
    articles: Sequence[Article], length: int = 200, model: Model | None = None
) -> list[SummarySentence]:
    """About ``length`` syllables of whole sentences from ``articles``, in article and sentence order.

    The last sentence chosen may run over ``length`` when at least ``OVERRUN`` (half) of it fits: a first
    sentence of up to twice ``length`` is then kept whole and alone rather than passed over for a shorter,
    worse one.
    """
    if not articles:
        return []
    cluster = candidates(articles)
    model = model or default_model()
    scores = model.score(cluster.features)
    coverage = model.coverage(cluster, [syllables(a.title) for a in articles], scores)
    chosen = select(cluster, scores, length, coverage)
    rank = {d: r for r, d in enumerate(_article_order(articles))}
    chosen.sort(key=lambda c: (rank[cluster.units[c[0]].doc], cluster.units[c[0]].index))
    return [SummarySentence(text, articles[cluster.units[i].doc].id) for i, text in chosen]


__all__ = [
    "FEATURES",
    "INTERACTIONS",
    "OVERRUN",
    "Coverage",
    "Model",
    "candidates",
    "default_model",
    "expand",
    "locate",
    "provenance",
    "select",
    "summarize",
]
