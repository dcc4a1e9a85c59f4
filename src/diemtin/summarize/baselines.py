"""Reference summarizers the evaluation prints beside diemtin's: Lead and centroid TF-IDF + MMR.

Both fill the whole budget (the evaluation cuts the last sentence at ``length`` syllables), as the
published baseline numbers do.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..models import Article, SummarySentence
from ..text import count_syllables, split_sentences, syllables


def lead(articles: Sequence[Article], length: int = 200) -> list[SummarySentence]:
    """First sentences of each article, round-robin, until ``length`` syllables are reached."""
    per_doc = [split_sentences(a.text) for a in articles]
    out: list[SummarySentence] = []
    used = 0
    for i in range(max((len(s) for s in per_doc), default=0)):
        for a, sents in zip(articles, per_doc, strict=True):
            if i < len(sents):
                out.append(SummarySentence(sents[i], a.id))
                used += count_syllables(sents[i])
                if used >= length:
                    return out
    return out


def centroid_mmr(articles: Sequence[Article], length: int = 200, lam: float = 0.7) -> list[SummarySentence]:
    """Maximal marginal relevance around the TF-IDF centroid of the cluster's sentences."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    sents = [(s, a.id) for a in articles for s in split_sentences(a.text)]
    if not sents:
        return []
    vec = TfidfVectorizer(tokenizer=syllables, lowercase=False, token_pattern=None)
    x = vec.fit_transform([s for s, _ in sents])
    centroid = np.asarray(x.mean(axis=0)).ravel()
    rel = x @ centroid
    sims = (x @ x.T).toarray()
    chosen: list[int] = []
    used = 0
    remaining = set(range(len(sents)))
    while remaining and used < length:
        best = max(
            remaining,
            key=lambda i: lam * rel[i] - (1 - lam) * (max(sims[i, j] for j in chosen) if chosen else 0.0),
        )
        remaining.discard(best)
        chosen.append(best)
        used += count_syllables(sents[best][0])
    return [SummarySentence(*sents[i]) for i in chosen]
