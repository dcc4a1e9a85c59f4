"""The cache of per-article and per-event results: keys, codecs, and the same digest with or without."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from diemtin import cache, pipeline
from diemtin.api import read_articles
from diemtin.models import Article

from .helpers import CALL_2021, FLOOD_2020, write_articles


def _articles(folder: Path) -> list[Article]:
    write_articles(folder, call=CALL_2021, flood=FLOOD_2020)
    arts, _ = read_articles([str(folder)])
    return arts


def test_digest_is_the_same_with_an_empty_a_full_and_no_cache(seeds_dir: Path, tmp_path: Path) -> None:
    arts, _ = read_articles([str(seeds_dir), *map(str, write_articles(tmp_path, flood=FLOOD_2020))])
    plain = pipeline.build_digest(arts).to_dict()
    memory = cache.MemoryCache()
    first = pipeline.build_digest(arts, pipeline.Options(cache=memory)).to_dict()
    kinds = {"signature", "date", "features", "event", "story"}
    assert memory.counts.found == dict.fromkeys(kinds, 0)
    memory.counts = cache.Counts({}, {})
    second = pipeline.build_digest(arts, pipeline.Options(cache=memory)).to_dict()
    n_events, n_stories = len(second["events"]), len(second["stories"])
    assert memory.counts.found == memory.counts.asked
    assert memory.counts.found == {
        "signature": len(arts), "date": len(arts), "features": len(arts), "event": n_events, "story": n_stories
    }  # fmt: skip
    assert first == second == plain
    # Another summary length is other work: the events are made again, the signatures reused.
    memory.counts = cache.Counts({}, {})
    shorter = pipeline.build_digest(arts, pipeline.Options(cache=memory, summary_length=30)).to_dict()
    assert memory.counts.found["event"] == 0 and memory.counts.found["signature"] == len(arts)
    assert shorter == pipeline.build_digest(arts, pipeline.Options(summary_length=30)).to_dict()


def test_keys_follow_every_field_of_an_article(tmp_path: Path) -> None:
    a = _articles(tmp_path)[0]
    key = cache.article_key(a)
    assert cache.article_key(replace(a)) == key
    for change in ({"text": a.text + " "}, {"source": "VOV"}, {"published": "2021-01-01"}, {"id": "x"}):
        assert cache.article_key(replace(a, **change)) != key
    assert cache.date_key(key, None) != cache.date_key(key, date(2022, 1, 1))
    assert cache.event_key([key], [], 80, None) != cache.event_key([key], [key], 80, None)
    assert cache.event_key([key], [], 80, None) != cache.event_key([key], [], 40, None)


def test_codecs_give_back_what_was_put(seeds_dir: Path) -> None:
    arts, _ = read_articles([str(seeds_dir)])
    from diemtin import dating, dedup, features, stories

    for sig in dedup.signatures(arts):
        back = cache.SIGNATURES.decode(cache.SIGNATURES.encode(sig))
        assert sig is not None and back is not None
        assert back.minhash == sig.minhash and np.array_equal(back.shingles, sig.shingles)
        assert (back.lead_day, back.edition_day) == (sig.lead_day, sig.edition_day)
    for a in arts:
        d = dating.article_date(a)
        assert cache.DATES.decode(cache.DATES.encode(d)) == d
        f = features.extract(a)
        assert cache.FEATURES.decode(cache.FEATURES.encode(f)) == f
    odd = replace(features.extract(arts[0]), tokens=("a b", "", "c"), title_tokens=(), commentary=True)
    assert cache.FEATURES.decode(cache.FEATURES.encode(odd)) == odd  # no syllable holds a space; if one did
    digest = pipeline.build_digest(arts)
    for ev in digest.events:
        members = [x for x in arts if x.id in ev.articles]
        sig = stories.event_signals(members)
        back_ev, back_sig = cache.EVENTS.decode(cache.EVENTS.encode((ev, sig)))
        assert back_ev == ev
        assert back_sig.names == sig.names
        for x, y in zip(
            (*back_sig.bigrams, back_sig.heads, back_sig.leads),
            (*sig.bigrams, sig.heads, sig.leads),
            strict=True,
        ):
            assert x.dtype == y.dtype == np.uint64 and np.array_equal(x, y)


@pytest.mark.parametrize(
    "damage", [b"", b"\x07\x00\x00\x00", b"\x02\x00\x00\x00[]", b"\x05\x00\x00\x00[1,[3]]"]
)
def test_a_damaged_entry_is_a_miss(tmp_path: Path, damage: bytes) -> None:
    arts = _articles(tmp_path)
    memory = cache.MemoryCache()
    want = pipeline.build_digest(arts, pipeline.Options(cache=memory)).to_dict()
    for k in memory.data:
        memory.data[k] = damage
    memory.counts = cache.Counts({}, {})
    assert pipeline.build_digest(arts, pipeline.Options(cache=memory)).to_dict() == want
    assert set(memory.counts.found.values()) == {0}


def test_other_code_makes_other_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # An entry made by other code (an older diemtin, another library version) is never found.
    a = _articles(tmp_path)[0]
    key = cache.article_key(a)
    assert len(cache.code_version()) == 32 and cache.code_version() == cache.code_version()
    monkeypatch.setattr(cache, "code_version", lambda: "another version")
    assert cache.article_key(a) != key
