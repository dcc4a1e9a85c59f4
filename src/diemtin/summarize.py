"""Extractive multi-document summaries, every sentence traceable to its article.

PLACEHOLDER (being replaced by the real summarizer): lead sentences, round-robin.
"""

from __future__ import annotations

from collections.abc import Sequence

from .models import Article, SummarySentence
from .text import count_syllables, split_sentences


def summarize(articles: Sequence[Article], length: int = 200) -> list[SummarySentence]:
    """At most ``length`` syllables of sentences from ``articles``."""
    per_doc = [split_sentences(a.text) for a in articles]
    out: list[SummarySentence] = []
    used = 0
    for i in range(max((len(s) for s in per_doc), default=0)):
        for a, sents in zip(articles, per_doc, strict=True):
            if i < len(sents):
                n = count_syllables(sents[i])
                if used + n > length:
                    return out
                out.append(SummarySentence(sents[i], a.id))
                used += n
    return out
