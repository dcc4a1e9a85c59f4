"""Order a story's events in time, placing undated or year-less events honestly."""

from __future__ import annotations

from collections.abc import Sequence

from .models import Event


def order_events(events: Sequence[Event]) -> list[str]:
    """Event ids in date order; events with no known date go last, in input order."""

    def key(e: Event) -> tuple[int, str]:
        d = e.date or e.date_range[0]
        return (0, d) if d else (1, "")

    return [e.id for e in sorted(events, key=key)]
