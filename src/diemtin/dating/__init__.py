"""Vietnamese temporal expressions and event dates.

``extract_dates`` finds date mentions ("ngày 30/3", "13/4/2021", "22-23/04", "tháng 6/2021", "cuối năm
ngoái", "hôm qua", "thứ Hai tuần trước", "15:06' - 14/11/2016", ...) and normalises each to an ISO value at
the precision the text supports, with an ``earliest``/``latest`` range and the evidence for it.
``date_event`` picks, for the articles of one event, the date the happening occurred or is scheduled
(not the publication date), inferring a missing year only from the article's own evidence.

Hand-written rather than a library: general date parsers (dateparser and the like) turn a string into
one datetime, filling a missing year from today; here a missing year must come from the article's own
evidence or stay unknown, with a range and the reason, and Vietnamese forms such as "hôm 28/1",
"22-23/04", "cuối năm ngoái" or "thứ Năm tuần trước" must be found in running text. The rules are
documented in docs/dating.md.

The package, in the order a date is made:

- ``reference``: what is known about the text's own date (``Reference``), date helpers;
- ``expressions``: finding mentions in text (one rule per form);
- ``resolve``: a mention resolved against a reference (one function per mention kind), in context;
- ``infer``: the text's own year and bounds from its evidence, when no publication date is known;
- ``knowledge``: office terms and era terms (``data/eras.json``) that bound a text's date;
- ``event``: an article's event date and an event's date from its articles.
"""

from __future__ import annotations

# Internals some tests and bench/ reach (a cache to clear, the rule table, the knowledge table), re-exported.
from .event import _ARTICLE_DATES as _ARTICLE_DATES
from .event import article_date, date_event, event_date_from
from .expressions import _RULES as _RULES
from .expressions import _scan_cached as _scan_cached
from .infer import infer_reference
from .knowledge import _knowledge as _knowledge
from .reference import Reference, parse_reference
from .resolve import extract_dates

__all__ = [
    "Reference",
    "article_date",
    "date_event",
    "event_date_from",
    "extract_dates",
    "infer_reference",
    "parse_reference",
]
