"""Near-duplicate and syndicated copies of one story.

PLACEHOLDER (being replaced by the MinHash LSH implementation): exact-text duplicates only.
"""

from __future__ import annotations

from collections.abc import Sequence

from .models import Article, DuplicateGroup


def find_duplicates(articles: Sequence[Article]) -> list[DuplicateGroup]:
    """Groups of copies (two or more articles each); the canonical one is the earliest known."""
    by_text: dict[str, list[Article]] = {}
    for a in articles:
        by_text.setdefault(a.text, []).append(a)
    groups = []
    for members in by_text.values():
        if len(members) > 1:
            members = sorted(members, key=lambda a: (a.published or "9999", a.id))
            groups.append(DuplicateGroup(members[0].id, [m.id for m in members[1:]]))
    return sorted(groups, key=lambda g: g.canonical)
