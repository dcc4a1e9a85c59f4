"""Stories: the events of one thread (the seeds' five calls) join; an unrelated event stays apart."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from diemtin import events, stories
from diemtin.api import read_articles
from diemtin.models import Event

from .helpers import output_under_another_hash_seed
from .test_events import _articles


def test_calls_form_one_story_and_the_flood_another() -> None:
    arts = _articles()
    by_id = {a.id: a for a in arts}
    evs = [
        Event(f"e{i + 1}", events.event_title([by_id[x] for x in g]), g)
        for i, g in enumerate(events.group_events(arts))
    ]
    threads = stories.group_stories(evs, by_id)
    story_of = {e: s.id for s in threads for e in s.events}
    ev_of = {a: e.id for e in evs for a in e.articles}
    assert story_of[ev_of["a1"]] == story_of[ev_of["a3"]]
    assert story_of[ev_of["a4"]] != story_of[ev_of["a1"]]


def test_seeds_are_five_events_in_one_story(seeds_dir: Path) -> None:
    arts, skipped = read_articles([str(seeds_dir)])
    assert len(arts) == 5 and not skipped
    groups = events.group_events(arts)
    assert len(groups) == 5
    by_id = {a.id: a for a in arts}
    evs = [Event(f"e{i + 1}", events.event_title([by_id[x] for x in g]), g) for i, g in enumerate(groups)]
    threads = stories.group_stories(evs, by_id)
    assert len(threads) == 1 and sorted(threads[0].events) == sorted(e.id for e in evs)
    assert threads[0].title in {e.title for e in evs}


def test_stories_do_not_depend_on_the_scoring_block_size(
    seeds_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # group_stories scores event pairs a block of rows at a time (memory at 100k articles); block
    # edges must not change which events join, nor which event names the story.
    arts, _ = read_articles([str(seeds_dir)])
    arts += _articles()
    by_id = {a.id: a for a in arts}
    evs = [
        Event(f"e{i + 1}", events.event_title([by_id[x] for x in g]), g)
        for i, g in enumerate(events.group_events(arts))
    ]
    whole = stories.group_stories(evs, by_id)
    monkeypatch.setattr(stories, "STORY_BLOCK", 2)
    blocked = stories.group_stories(evs, by_id)
    assert [(s.title, s.events) for s in blocked] == [(s.title, s.events) for s in whole]
    assert any(len(s.events) >= 3 for s in whole)  # the calls do form a multi-event story


def test_a_bigram_in_too_many_articles_links_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    # Ten one-article events share one bigram code and nothing else: linked by it while it is rare
    # enough, not once more articles hold it than STORY_MAX_ARTICLES (the genre's wording in a large
    # corpus, which chained unrelated threads into one story).
    shared = np.uint64(12345)
    arrays = [np.array([shared, np.uint64(1000 + 2 * k), np.uint64(1001 + 2 * k)]) for k in range(10)]
    monkeypatch.setattr(stories, "STORY_MAX_DF", 1.0)
    agg = stories._tfidf(arrays, list(range(10)), 10)
    assert (agg[0] @ agg[1].T).toarray()[0, 0] > 0.0
    monkeypatch.setattr(stories, "STORY_MAX_ARTICLES", 9)
    agg = stories._tfidf(arrays, list(range(10)), 10)
    assert (agg[0] @ agg[1].T).toarray()[0, 0] == 0.0
    assert agg.shape[1] == 20  # only the articles' own bigrams are left


def test_signals_are_the_same_in_any_process() -> None:
    # Codes are made on workers and compared on the driver: they must not depend on hash() salting.
    arts = _articles()
    here = stories.event_signals(arts).bigrams[0][:5].tolist()
    code = (
        "from diemtin import stories; from tests.test_events import _articles;"
        "print(stories.event_signals(_articles()).bigrams[0][:5].tolist())"
    )
    assert output_under_another_hash_seed(code) == str(here)
