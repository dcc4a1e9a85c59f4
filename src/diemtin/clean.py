"""Cleaning: keep an article's own title and body, drop portal boilerplate, record what was dropped.

PLACEHOLDER (being replaced by the clean stage implementation): passes lines through.
"""

from __future__ import annotations

from collections.abc import Sequence

from .models import Article, RawDocument


def clean_documents(docs: Sequence[RawDocument]) -> list[Article]:
    """Clean a batch; corpus-level signals (lines repeated across one outlet's pages) use the batch."""
    return [clean_document(d) for d in docs]


def clean_document(doc: RawDocument, repeated: frozenset[str] = frozenset()) -> Article:
    """Clean one document. ``repeated`` holds lines seen across many documents of the batch."""
    body = [ln for ln in doc.lines if ln.strip()]
    return Article(
        id=doc.id or "",
        path=doc.path,
        title=doc.title or "",
        text="\n".join(body),
        source=doc.source,
        published=doc.published,
        url=doc.url,
        removed=list(doc.removed),
    )
