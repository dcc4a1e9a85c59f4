"""Vietnamese temporal expressions and event dates.

PLACEHOLDER (being replaced by the real extractor): dates from publication metadata only.
"""

from __future__ import annotations

from collections.abc import Sequence

from .models import Article, TemporalExpression


def extract_dates(text: str, reference: str | None = None) -> list[TemporalExpression]:
    """Temporal expressions in ``text``, resolved against ``reference`` (ISO date) when relative."""
    return []


def date_event(articles: Sequence[Article]) -> TemporalExpression | None:
    """When the event happened: a value and/or range with the evidence text, or None."""
    published = sorted(a.published[:10] for a in articles if a.published)
    if not published:
        return None
    return TemporalExpression(published[0], published[0], published[0], published[0], evidence="published")
