"""The Python API that the CLI is a thin shell over: ``from diemtin import digest``."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from . import clean, pipeline, report
from . import summarize as _summarize
from .models import Article, Digest, Skipped, SummarySentence
from .pipeline import Options


def read_articles(paths: Iterable[str]) -> tuple[list[Article], list[Skipped]]:
    """Ingest and clean: the articles found under ``paths`` and the inputs skipped, with reasons."""
    docs, skipped = pipeline.read(paths)
    articles, empty = pipeline.drop_empty(clean.clean_documents(docs))
    return articles, skipped + empty


def digest(paths: Iterable[str] | str, options: Options | None = None) -> Digest:
    """Run the whole pipeline over files/folders and return the ``Digest``."""
    if isinstance(paths, str | Path):
        paths = [str(paths)]
    return pipeline.run([str(p) for p in paths], options)


def summarize(paths: Iterable[str], length: int = 200) -> tuple[list[SummarySentence], list[Skipped]]:
    """A multi-document summary (at most ``length`` syllables) of the articles under ``paths``."""
    articles, skipped = read_articles(paths)
    return _summarize.summarize(articles, length=length), skipped


def write_reports(result: Digest, out_dir: Path | str) -> dict[str, Path]:
    """Write digest.json, digest.md and digest.html into ``out_dir``."""
    return report.write_reports(result, Path(out_dir))


__all__ = ["Article", "Digest", "Options", "Skipped", "digest", "read_articles", "summarize", "write_reports"]
