"""The front-page order: coverage and recency, lone undated stories last (web home and reports)."""

from __future__ import annotations

from diemtin.frontpage import StoryStats, rank, story_dates, when_span


def test_coverage_and_recency_order_stories() -> None:
    stories = [
        StoryStats("lone-undated", 1, 1, None, None),
        StoryStats("old-small", 2, 1, "2022-01-02", "2022-01-03"),
        StoryStats("new-big", 12, 6, "2022-08-01", "2022-08-27"),
        StoryStats("new-small", 2, 1, "2022-08-27", "2022-08-27"),
        StoryStats("old-big", 14, 7, "2021-03-01", "2021-03-09"),
        StoryStats("undated-big", 6, 4, None, None),
    ]
    order = rank(stories)
    assert order[0] == "new-big"  # most coverage among the newest
    assert order[-1] == "lone-undated"  # one undated article: last of all
    assert order.index("old-big") < order.index("old-small")  # more coverage, same age band
    assert order.index("new-small") < order.index("old-small")  # same coverage, newer first
    assert order.index("undated-big") < order.index("lone-undated")


def test_when_span_is_honest() -> None:
    assert when_span("2022-08-27", "2022-08-27") == "2022-08-27"
    assert when_span("2022-08-01", "2022-08-27") == "2022-08-01 – 2022-08-27"
    assert when_span(None, None) == "chưa rõ ngày"


def test_story_dates_come_from_events_own_dates() -> None:
    # The seeds' events: 2016 (President-elect Trump), two whose year stays open over Trump's two terms
    # (only a range, ending at the knowledge table's checked day), one over Biden's term, one of 2022.
    assert story_dates(["2016", None, None, None, "2022-02-12"]) == ("2016", "2022-02-12")
    assert story_dates(["2022-07-14", "2022-06", "2022"]) == ("2022", "2022-07-14")
    # A one-event story dated only by "sau năm 2017 ... không muộn hơn ngày thu thập": no span is made up.
    assert story_dates([None]) == (None, None)
    assert when_span(*story_dates([None])) == "chưa rõ ngày"
