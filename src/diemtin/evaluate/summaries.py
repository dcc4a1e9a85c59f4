"""Running summarizers over corpus clusters and scoring them with ROUGE (``diemtin eval summaries``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..models import Article, SummarySentence
from ..text import syllables
from .corpora import Cluster
from .rouge import Rouge, mean_rouge, rouge

Summarizer = Callable[[Sequence[Article], int], list[SummarySentence]]


def summary_text(sentences: Sequence[SummarySentence]) -> str:
    return " ".join(s.text for s in sentences)


def evaluate(
    systems: dict[str, Summarizer],
    data: Sequence[tuple[Cluster, list[Article]]],
    length: int,
) -> dict[str, Rouge]:
    """Mean ROUGE of every system over ``data``, each summary cut to ``length`` syllables."""
    scores: dict[str, list[Rouge]] = {name: [] for name in systems}
    for cluster, articles in data:
        for name, fn in systems.items():
            text = summary_text(fn(articles, length))
            scores[name].append(rouge(text, cluster.references, length))
    return {name: mean_rouge(s) for name, s in scores.items()}


def sumy_lexrank(articles: Sequence[Article], length: int = 200) -> list[SummarySentence]:
    """sumy's LexRank (a dev-only dependency) over diemtin's sentences and syllables, filling ``length``."""
    from sumy.models.dom import ObjectDocumentModel, Paragraph
    from sumy.models.dom import Sentence as SumySentence
    from sumy.summarizers.lex_rank import LexRankSummarizer

    from ..text import split_sentences

    class _Tokenizer:
        @staticmethod
        def to_words(text: str) -> list[str]:
            return syllables(text)

    sents = [(s, a.id) for a in articles for s in split_sentences(a.text)]
    if not sents:
        return []
    tok = _Tokenizer()
    doc = ObjectDocumentModel([Paragraph([SumySentence(s, tok) for s, _ in sents])])
    ratings: dict[object, float] = {}

    class _Capture(LexRankSummarizer):  # type: ignore[misc]
        def _get_best_sentences(
            self, sentences: object, count: object, rating: dict[object, float]
        ) -> tuple[()]:
            ratings.update(rating)
            return ()

    _Capture()(doc, len(sents))
    order = sorted(range(len(sents)), key=lambda i: -ratings.get(doc.sentences[i], 0.0))
    chosen, used = [], 0
    for i in order:
        if used >= length:
            break
        chosen.append(i)
        used += len(syllables(sents[i][0]))
    return [SummarySentence(*sents[i]) for i in sorted(chosen)]


def default_systems(include_sumy: bool = True) -> dict[str, Summarizer]:
    """Lead, centroid+MMR, sumy LexRank (when installed) and diemtin, in the order the table prints them."""
    from ..summarize import summarize
    from ..summarize.baselines import centroid_mmr, lead

    systems: dict[str, Summarizer] = {"lead": lead, "centroid+mmr": centroid_mmr}
    if include_sumy:
        try:
            import sumy  # noqa: F401
        except ImportError:
            pass
        else:
            systems["sumy-lexrank"] = sumy_lexrank
    systems["diemtin"] = summarize
    return systems


def format_table(results: dict[str, Rouge], title: str = "") -> str:
    """ROUGE F1 and recall ×100, one system a line."""
    lines = [title] if title else []
    lines.append(f"{'system':<16}{'R1-F':>7}{'R2-F':>7}{'RL-F':>7}{'R1-R':>7}{'R2-R':>7}{'RL-R':>7}")
    for name, r in results.items():
        vals = (r.r1[2], r.r2[2], r.rl[2], r.r1[1], r.r2[1], r.rl[1])
        lines.append(f"{name:<16}" + "".join(f"{100 * v:7.2f}" for v in vals))
    return "\n".join(lines)
