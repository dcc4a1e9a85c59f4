"""Events and stories of a dev corpus, mixed into one crawl, scored against gold labels.

Events are scored against happenings (``happenings``: one occurrence at one time), stories against the
corpus's published clusters (topics), as ``../shared/guides/events-and-stories.md`` asks. Grouping is
the production pipeline's (``pipeline.build_digest``: duplicates, dating, events, stories), without
event summaries, which grouping does not use.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..models import Article, Digest
from .bcubed import BCubed, bcubed

LEVELS = ("events", "stories")


def digest(articles: Sequence[Article]) -> Digest:
    """The pipeline's events and stories of ``articles`` (no summaries: grouping does not read them)."""
    from .. import pipeline

    return pipeline.build_digest(articles, pipeline.Options(summary_length=0))


def groups(d: Digest, level: str) -> list[list[str]]:
    """Article ids per event (``events``) or per story (``stories``: the articles of its events)."""
    if level == "events":
        return [list(e.articles) for e in d.events]
    if level == "stories":
        arts = {e.id: e.articles for e in d.events}
        return [[a for eid in s.events for a in arts.get(eid, [])] for s in d.stories]
    raise ValueError(f"unknown level {level!r}; choose one of: {', '.join(LEVELS)}")


def score(d: Digest, gold: Mapping[str, str], level: str) -> BCubed:
    """B-cubed of the digest's events or stories against ``gold`` (article id → label)."""
    return bcubed(groups(d, level), gold)
