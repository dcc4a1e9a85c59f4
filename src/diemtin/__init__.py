"""diemtin (điểm tin): a Vietnamese news roundup.

from diemtin import digest
result = digest("../shared/seeds")
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from .models import Article, Digest, Event, Sentence, Story, SummarySentence

if TYPE_CHECKING:
    # (not summarize: to the type checker that name is the subpackage, as the pipeline imports it)
    from .api import digest, read_articles, write_reports

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

_API = frozenset({"digest", "read_articles", "summarize", "write_reports"})


def __getattr__(name: str) -> Any:
    # The pipeline's functions are imported on first use: importing them (scikit-learn, pyvi,
    # datasketch...) costs ~1.5 s of CPU, which `diemtin --help` or `import diemtin.models` need not pay.
    if name in _API:
        if name == "summarize" and "diemtin.pipeline" in sys.modules and "diemtin.api" not in sys.modules:
            # The pipeline's own ``from . import summarize`` (the subpackage) while it is being
            # imported: not the function, which needs the pipeline.
            raise AttributeError(name)
        from . import api

        for n in _API:  # the functions, not the subpackage of the same name, from now on
            globals()[n] = getattr(api, n)
        return getattr(api, name)
    raise AttributeError(f"module 'diemtin' has no attribute {name!r}")
