"""Group articles into events (one happening) and events into stories (a thread of events).

PLACEHOLDER (being replaced by the real grouping): one event per article, one story for all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .models import Article, Event, Story


def group_events(articles: Sequence[Article]) -> list[list[str]]:
    """Article ids per event, deterministic whatever the input order."""
    return [[a.id] for a in sorted(articles, key=lambda a: a.id)]


def event_title(articles: Sequence[Article]) -> str:
    """A headline for the event: the title of its first article."""
    return articles[0].title if articles else ""


def group_stories(events: Sequence[Event], articles: Mapping[str, Article]) -> list[Story]:
    """Stories: threads of events sharing people, places and topic."""
    if not events:
        return []
    return [Story(id="s1", title=events[0].title, events=[e.id for e in events])]
