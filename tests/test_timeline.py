"""Timeline order: exact dates and honest ranges interleave by their earliest day; unknown goes last."""

from __future__ import annotations

import random

from diemtin.models import Event, SummarySentence
from diemtin.timeline import interval, order_events


def _ev(
    eid: str, date: str | None = None, lo: str | None = None, hi: str | None = None, title: str = ""
) -> Event:
    return Event(id=eid, title=title or eid, articles=[eid], date=date, date_range=(lo, hi))


def test_exact_dates_year_only_and_ranges_interleave() -> None:
    events = [
        _ev("call-2022", "2022-02-12", "2022-02-12", "2022-02-12"),
        _ev("call-2016", "2016", "2016-11-08", "2016-12-31"),
        # Day and month known, year only bounded: "30/3" somewhere in 2020-2021.
        _ev("covid-call", None, "2020-03-30", "2021-03-30"),
        _ev("summit-call", None, "2021-04-13", "2021-04-13"),
        _ev("third-call", "2017-05", None, None),
    ]
    assert order_events(events) == ["call-2016", "third-call", "covid-call", "summit-call", "call-2022"]


def test_undated_events_go_last_a_mentioned_year_before_none() -> None:
    mentions = _ev("recalls-2019", title="Nhìn lại hội nghị năm 2019")
    mentions.summary = [SummarySentence("Hai bên nhắc lại cuộc gặp năm 2019.", "recalls-2019")]
    events = [_ev("nothing"), mentions, _ev("dated", "2015-06-01")]
    assert order_events(events) == ["dated", "recalls-2019", "nothing"]


def test_more_precise_first_on_the_same_earliest_day() -> None:
    events = [_ev("year", "2021"), _ev("day", "2021-01-01"), _ev("month", "2021-01")]
    assert order_events(events) == ["day", "month", "year"]


def test_order_is_deterministic_under_shuffling() -> None:
    events = [_ev(f"e{i}", None, f"20{10 + i % 5}-01-01", None) for i in range(10)] + [_ev("x"), _ev("a")]
    expected = order_events(events)
    for seed in range(5):
        shuffled = events[:]
        random.Random(seed).shuffle(shuffled)
        assert order_events(shuffled) == expected
    assert expected[-2:] == ["a", "x"]


def test_interval_of_partial_and_one_sided_dates() -> None:
    assert str(interval(_ev("m", "2020-02"))) == "(datetime.date(2020, 2, 1), datetime.date(2020, 2, 29))"
    assert interval(_ev("hi", None, None, "2019-05-04")) is not None
    assert interval(_ev("bad", "not a date")) is None
