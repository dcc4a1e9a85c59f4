"""diemtin (điểm tin): a Vietnamese news roundup.

from diemtin import digest
result = digest("../shared/seeds")
"""

from .api import digest, read_articles, summarize, write_reports
from .models import Article, Digest, Event, Sentence, Story, SummarySentence

__version__ = "0.1.0"

__all__ = [
    "Article",
    "Digest",
    "Event",
    "Sentence",
    "Story",
    "SummarySentence",
    "digest",
    "read_articles",
    "summarize",
    "write_reports",
]
