"""The Python API that the CLI is a thin shell over: ``from diemtin import digest``."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from . import clean, pipeline, report
from . import summarize as _summarize
from .models import Article, Digest, Skipped, SummarySentence
from .pipeline import Options

if TYPE_CHECKING:
    from .summarize.abstractive import Rewriter, RewriteStats


def load_model(model: str | Path | Rewriter) -> Rewriter:
    """A ``Rewriter`` for ``model``: loaded from the local folder it names, or ``model`` itself."""
    from .summarize import abstractive

    return model if isinstance(model, abstractive.Rewriter) else abstractive.load_rewriter(model)


def read_articles(paths: Iterable[str]) -> tuple[list[Article], list[Skipped]]:
    """Ingest and clean: the articles found under ``paths`` and the inputs skipped, with reasons."""
    docs, skipped = pipeline.read(paths)
    articles, empty = pipeline.drop_empty(clean.clean_documents(docs))
    return articles, skipped + empty


def digest(
    paths: Iterable[str] | str,
    options: Options | None = None,
    model: str | Path | Rewriter | None = None,
    stats: RewriteStats | None = None,
) -> Digest:
    """Run the whole pipeline over files/folders and return the ``Digest``.

    With ``model`` (a local seq2seq model folder, needs the ``neural`` extra) every event summary
    sentence is then rewritten abstractively; see ``diemtin.summarize.abstractive``.
    """
    if isinstance(paths, str | Path):
        paths = [str(paths)]
    rewriter = load_model(model) if model is not None else None  # fail on a bad model before the run
    result = pipeline.run([str(p) for p in paths], options)
    return rewrite(result, rewriter, stats) if rewriter is not None else result


def rewrite(result: Digest, model: str | Path | Rewriter, stats: RewriteStats | None = None) -> Digest:
    """``result`` with its event summaries rewritten by a local seq2seq model (sources kept)."""
    from .summarize import abstractive

    return abstractive.rewrite_digest(result, load_model(model), stats)


def summarize(
    paths: Iterable[str],
    length: int = 200,
    model: str | Path | Rewriter | None = None,
    stats: RewriteStats | None = None,
) -> tuple[list[SummarySentence], list[Skipped]]:
    """A multi-document summary (at most ``length`` syllables) of the articles under ``paths``.

    With ``model``, each extractive sentence is rewritten by that local seq2seq model (or kept when the
    rewrite fails the checks); every sentence still names its source article.
    """
    rewriter = load_model(model) if model is not None else None
    articles, skipped = read_articles(paths)
    sents = _summarize.summarize(articles, length=length)
    if rewriter is not None:
        from .summarize import abstractive

        sents = abstractive.rewrite_summary(sents, rewriter, stats)
    return sents, skipped


def write_reports(result: Digest, out_dir: Path | str) -> dict[str, Path]:
    """Write digest.json, digest.md and digest.html into ``out_dir``."""
    return report.write_reports(result, Path(out_dir))


__all__ = [
    "Article",
    "Digest",
    "Options",
    "Skipped",
    "digest",
    "load_model",
    "read_articles",
    "rewrite",
    "summarize",
    "write_reports",
]
