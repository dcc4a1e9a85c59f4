"""ROUGE on Unicode syllables.

Published Vietnamese ROUGE scores mostly come from tokenizers that drop Vietnamese letters; here every
text is tokenised with :func:`diemtin.text.syllables` (NFC, lower case, runs of letters/digits, word
segmentation underscores split), so "đối_lập" and "đối lập" score the same.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ..text import syllables


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
