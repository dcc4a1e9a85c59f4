"""Evaluation as a library: ROUGE of summaries, B-cubed of events and stories, the dev corpora's loaders
and the happening labels.

- ``rouge``: ROUGE-1/2/L on Unicode syllables.
- ``summaries``: summarizers run over corpus clusters, scored with ROUGE (``diemtin eval summaries``).
- ``corpora``: VietnameseMDS folders and AbMuSu JSON lines, as clusters or as one mixed crawl.
- ``bcubed``: B-cubed precision, recall and F1 of a grouping.
- ``happenings``: article-level happening labels (``bench/annotations``).
- ``grouping``: the pipeline's events or stories of a corpus scored against happenings or clusters
  (``diemtin eval events``).

The names below are the package's former flat API (``from diemtin import evaluate as ev; ev.load``).
"""

from __future__ import annotations

from .bcubed import BCubed, bcubed
from .corpora import (
    Cluster,
    Document,
    LabelledDoc,
    cluster_articles,
    corpus_docs,
    crawl_articles,
    detokenize,
    fingerprint,
    iter_cluster_articles,
    load,
    load_abmusu,
    load_vmds,
    mean_reference_length,
    single_articles,
)
from .rouge import Rouge, lcs_length, mean_rouge, ngrams, rouge, rouge_tokens
from .summaries import Summarizer, default_systems, evaluate, format_table, summary_text, sumy_lexrank

__all__ = [
    "BCubed",
    "Cluster",
    "Document",
    "LabelledDoc",
    "Rouge",
    "Summarizer",
    "bcubed",
    "cluster_articles",
    "corpus_docs",
    "crawl_articles",
    "default_systems",
    "detokenize",
    "evaluate",
    "fingerprint",
    "format_table",
    "iter_cluster_articles",
    "lcs_length",
    "load",
    "load_abmusu",
    "load_vmds",
    "mean_reference_length",
    "mean_rouge",
    "ngrams",
    "rouge",
    "rouge_tokens",
    "single_articles",
    "summary_text",
    "sumy_lexrank",
]
