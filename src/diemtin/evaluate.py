"""Summary evaluation: ROUGE on Unicode syllables, and loaders for the VietnameseMDS / AbMuSu layouts.

Published Vietnamese ROUGE scores mostly come from tokenizers that drop Vietnamese letters; here every
text is tokenised with :func:`diemtin.text.syllables` (NFC, lower case, runs of letters/digits, word
segmentation underscores split), so "đối_lập" and "đối lập" score the same.

Clusters are fed to summarizers the way a user's crawl arrives: each document is written as a ``.txt``
(title line, blank line, body) into a temporary folder and read back through
:func:`diemtin.api.read_articles`.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .models import Article, SummarySentence
from .text import syllables

# --------------------------------------------------------------------------------------------------
# ROUGE


@dataclass(slots=True)
class Rouge:
    """ROUGE-1/2/L precision, recall and F1 (fractions in [0, 1]) of one summary, or an average."""

    r1: tuple[float, float, float] = (0.0, 0.0, 0.0)  # (precision, recall, f1)
    r2: tuple[float, float, float] = (0.0, 0.0, 0.0)
    rl: tuple[float, float, float] = (0.0, 0.0, 0.0)

    def as_dict(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for name, (p, r, f) in (("r1", self.r1), ("r2", self.r2), ("rl", self.rl)):
            out[f"{name}_p"], out[f"{name}_r"], out[f"{name}_f"] = p, r, f
        return out


def _prf(overlap: float, n_cand: int, n_ref: int) -> tuple[float, float, float]:
    p = overlap / n_cand if n_cand else 0.0
    r = overlap / n_ref if n_ref else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def ngrams(tokens: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def lcs_length(a: Sequence[str], b: Sequence[str]) -> int:
    """Length of the longest common subsequence (row-by-row dynamic programme, O(len(a)·len(b)))."""
    if not a or not b:
        return 0
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def rouge_tokens(cand: Sequence[str], ref: Sequence[str]) -> Rouge:
    """ROUGE of one tokenised candidate against one tokenised reference (n-gram counts clipped)."""
    out = Rouge()
    for n in (1, 2):
        c, r = ngrams(cand, n), ngrams(ref, n)
        overlap = sum((c & r).values())
        prf = _prf(overlap, sum(c.values()), sum(r.values()))
        if n == 1:
            out.r1 = prf
        else:
            out.r2 = prf
    out.rl = _prf(lcs_length(cand, ref), len(cand), len(ref))
    return out


def mean_rouge(scores: Sequence[Rouge]) -> Rouge:
    if not scores:
        return Rouge()

    def avg(xs: list[tuple[float, float, float]]) -> tuple[float, float, float]:
        return (
            sum(x[0] for x in xs) / len(xs),
            sum(x[1] for x in xs) / len(xs),
            sum(x[2] for x in xs) / len(xs),
        )

    return Rouge(avg([s.r1 for s in scores]), avg([s.r2 for s in scores]), avg([s.rl for s in scores]))


def rouge(summary: str, references: Sequence[str], length: int | None = None) -> Rouge:
    """ROUGE of ``summary`` cut to its first ``length`` syllables, averaged over ``references``."""
    cand = syllables(summary)
    if length is not None:
        cand = cand[:length]
    return mean_rouge([rouge_tokens(cand, syllables(ref)) for ref in references])


# --------------------------------------------------------------------------------------------------
# Datasets


@dataclass(slots=True)
class Document:
    """One source document of a cluster, as the corpus gives it."""

    name: str
    title: str
    body: str  # paragraphs separated by "\n"
    sapo: str = ""

    def as_txt(self) -> str:
        """The crawl-like .txt: title, blank line, [sapo, blank line,] body."""
        parts = [self.title, self.sapo, self.body]
        return "\n\n".join(p.strip() for p in parts if p.strip()) + "\n"


@dataclass(slots=True)
class Cluster:
    id: str
    documents: list[Document]
    references: list[str] = field(default_factory=list)


_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?%)\]}”])")
_SPACE_AFTER_OPEN = re.compile(r"([(\[{“])\s+")


def detokenize(text: str) -> str:
    """Undo VietnameseMDS word segmentation: underscores to spaces, no spaces before punctuation."""
    text = " ".join(text.replace("_", " ").split())
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    return _SPACE_AFTER_OPEN.sub(r"\1", text)


def _info_fields(path: Path) -> dict[str, str]:
    fields: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip().isupper():
            fields.setdefault(key.strip(), value.strip())
    return fields


def _cluster_number(p: Path) -> tuple[int, str]:
    m = re.search(r"(\d+)$", p.name)
    return (int(m.group(1)) if m else 1 << 30, p.name)


def load_vmds(root: Path) -> list[Cluster]:
    """VietnameseMDS: ``root/cluster_N/`` with ``<doc>.body.txt``, ``<doc>.info.txt``, ``*.refK.txt``."""
    dirs = sorted(
        (d for d in root.iterdir() if d.is_dir() and d.name.startswith("cluster")), key=_cluster_number
    )
    if not dirs:
        raise ValueError(f"{root}: no cluster_N folders (not a VietnameseMDS layout)")
    clusters = []
    for d in dirs:
        docs = []
        for body in sorted(d.glob("*.body.txt")):
            stem = body.name[: -len(".body.txt")]
            info = d / f"{stem}.info.txt"
            if not info.is_file():
                raise ValueError(f"{info}: missing (every .body.txt needs its .info.txt)")
            title = detokenize(_info_fields(info).get("TITLE", ""))
            docs.append(Document(stem, title, body.read_text(encoding="utf-8").strip()))
        refs = [p.read_text(encoding="utf-8").strip() for p in sorted(d.glob(f"{d.name}.ref*.txt"))]
        if not docs or not refs:
            raise ValueError(f"{d}: needs at least one .body.txt and one .refN.txt")
        clusters.append(Cluster(d.name, docs, refs))
    return clusters


def load_abmusu(path: Path) -> list[Cluster]:
    """AbMuSu JSON lines: ``{"single_documents": [{"title", "anchor_text", "raw_text"}], "summary"}``."""
    clusters = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
            docs = [
                Document(f"doc{i + 1}", d["title"].strip(), d["raw_text"], sapo=d.get("anchor_text") or "")
                for i, d in enumerate(rec["single_documents"])
            ]
            refs = [rec["summary"]] if isinstance(rec["summary"], str) else list(rec["summary"])
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{lineno}: not an AbMuSu record ({exc})") from exc
        clusters.append(Cluster(f"abmusu_{lineno}", docs, refs))
    return clusters


def load(path: Path | str) -> list[Cluster]:
    """Either layout: a VietnameseMDS folder or an AbMuSu ``.jsonl`` file."""
    p = Path(path)
    if p.is_dir():
        return load_vmds(p)
    if p.is_file():
        return load_abmusu(p)
    raise ValueError(f"{p}: no such file or folder")


def mean_reference_length(clusters: Sequence[Cluster]) -> int:
    lengths = [len(syllables(r)) for c in clusters for r in c.references]
    return round(sum(lengths) / len(lengths)) if lengths else 200


def cluster_articles(cluster: Cluster, workdir: Path | None = None) -> list[Article]:
    """The cluster's documents as production ``Article`` objects: .txt files through ingest + clean."""
    from .api import read_articles

    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        for i, doc in enumerate(cluster.documents):
            (Path(tmp) / f"{i:02d}_{doc.name}.txt").write_text(doc.as_txt(), encoding="utf-8")
        articles, _ = read_articles([tmp])
    return articles


def iter_cluster_articles(clusters: Sequence[Cluster]) -> Iterator[tuple[Cluster, list[Article]]]:
    for c in clusters:
        yield c, cluster_articles(c)


# --------------------------------------------------------------------------------------------------
# Running summarizers

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

    from .text import split_sentences

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
    from .summarize import summarize
    from .summarize.baselines import centroid_mmr, lead

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
