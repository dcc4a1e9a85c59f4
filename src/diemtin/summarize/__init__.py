"""Extractive multi-document summaries, every sentence traceable to its article.

Method (docs/summarize.md has the numbers): split each article into sentences, trim inline photo
captions, datelines and bylines; score every body sentence with a small linear model (position,
length, centrality, similarity to titles and sapos, support from the other articles; trained with
cross-validation by ``bench/train_summarizer.py``, weights shipped as JSON); then pick greedily by score,
skipping short sentences, the sapo, near-duplicates of what is already chosen, and sentences that lean
on an unchosen predecessor ("Tuy nhiên", "Ông cũng cho biết"); finally order by article and position.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from ..models import Article, SummarySentence
from . import features as _features
from .features import FEATURES, FloatArray
from .units import Unit, article_units

# Selection thresholds (MIN_SYLLABLES from the feasibility study; REDUNDANCY picked from 0.2-0.6 by
# bench/train_summarizer.py): sentences under MIN_SYLLABLES are headings, bylines or fragments, and a
# sentence whose TF-IDF cosine to one already chosen exceeds REDUNDANCY says the same thing again
# (syndicated copies repeat whole paragraphs).
MIN_SYLLABLES = 10
REDUNDANCY = 0.4


@dataclass(frozen=True, slots=True)
class Model:
    """A linear sentence scorer over standardised features."""

    names: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float

    def score(self, x: FloatArray) -> FloatArray:
        if x.shape[0] == 0:
            return np.zeros(0)
        z = (x - np.asarray(self.mean)) / np.asarray(self.scale)
        return np.asarray(z @ np.asarray(self.coef) + self.intercept, dtype=np.float64)

    def to_json(self) -> dict[str, object]:
        return {
            "features": list(self.names),
            "mean": list(self.mean),
            "scale": list(self.scale),
            "coef": list(self.coef),
            "intercept": self.intercept,
        }

    @classmethod
    def from_json(cls, data: dict[str, object], where: str = "model") -> Model:
        try:
            names = tuple(str(n) for n in data["features"])  # type: ignore[attr-defined]
            model = cls(
                names,
                tuple(float(v) for v in data["mean"]),  # type: ignore[attr-defined]
                tuple(float(v) for v in data["scale"]),  # type: ignore[attr-defined]
                tuple(float(v) for v in data["coef"]),  # type: ignore[attr-defined]
                float(data["intercept"]),  # type: ignore[arg-type]
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{where}: not a summarizer model ({exc})") from exc
        if names != FEATURES or not (len(model.mean) == len(model.scale) == len(model.coef) == len(names)):
            raise ValueError(f"{where}: features {names} do not match this version's {FEATURES}")
        return model


@lru_cache(maxsize=1)
def default_model() -> Model:
    """The shipped scorer (src/diemtin/data/summarizer.json)."""
    ref = resources.files("diemtin").joinpath("data/summarizer.json")
    return Model.from_json(json.loads(ref.read_text(encoding="utf-8")), where=str(ref))


def candidates(articles: Sequence[Article]) -> _features.Cluster:
    """Every sentence of the cluster with its features (sapo and captions included, flagged)."""
    units: list[Unit] = []
    for i, a in enumerate(articles):
        units.extend(article_units(a, i))
    return _features.build(articles, units)


def _eligible(
    cluster: _features.Cluster, i: int, chosen: list[int], chosen_set: set[tuple[int, int]]
) -> bool:
    u = cluster.units[i]
    if (u.is_sapo and not cluster.sapo_eligible) or u.caption or len(u.tokens) < MIN_SYLLABLES:
        return False
    if u.dangling and (u.doc, u.index - 1) not in chosen_set:
        return False
    return not chosen or float(cluster.sims[i, chosen].max()) <= REDUNDANCY


def select(cluster: _features.Cluster, scores: FloatArray, length: int) -> list[tuple[int, str]]:
    """Greedy choice by score under a ``length``-syllable budget: (index into ``cluster.units``, text).

    (Filling the last syllables with a sentence's leading clause was tried: +0.05 ROUGE-2, not worth
    a summary that ends mid-sentence.)
    """
    units = cluster.units
    chosen: list[int] = []
    chosen_set: set[tuple[int, int]] = set()
    texts: dict[int, str] = {}
    used = 0
    order = [int(i) for i in np.argsort(-scores, kind="stable")]
    for i in order:
        n = len(units[i].tokens)
        if used + n > length or not _eligible(cluster, i, chosen, chosen_set):
            continue
        chosen.append(i)
        chosen_set.add((units[i].doc, units[i].index))
        texts[i] = units[i].text
        used += n
        if length - used < MIN_SYLLABLES:
            break
    return [(i, texts[i]) for i in chosen]


def _article_order(articles: Sequence[Article]) -> list[int]:
    """Reading order of articles: by publication time when every article has one, else as given."""
    if articles and all(a.published for a in articles):
        return sorted(range(len(articles)), key=lambda d: (articles[d].published or "", d))
    return list(range(len(articles)))


def summarize(
    articles: Sequence[Article], length: int = 200, model: Model | None = None
) -> list[SummarySentence]:
    """At most ``length`` syllables of sentences from ``articles``, in article and sentence order."""
    if not articles:
        return []
    cluster = candidates(articles)
    scores = (model or default_model()).score(cluster.features)
    if len(articles) == 1:
        # One article: its sapo is the author's own summary, so it leads (in a multi-article event the
        # sapos restate the bodies and choosing them costs 0.9 ROUGE-2 on AbMuSu).
        cluster.sapo_eligible = True
        sapo = np.array([u.is_sapo for u in cluster.units], dtype=bool)
        scores = np.where(sapo, scores.max(initial=0.0) + 1.0 - 0.01 * np.arange(len(scores)), scores)
    chosen = select(cluster, scores, length)
    rank = {d: r for r, d in enumerate(_article_order(articles))}
    chosen.sort(key=lambda c: (rank[cluster.units[c[0]].doc], cluster.units[c[0]].index))
    return [SummarySentence(text, articles[cluster.units[i].doc].id) for i, text in chosen]


__all__ = ["FEATURES", "Model", "candidates", "default_model", "select", "summarize"]
