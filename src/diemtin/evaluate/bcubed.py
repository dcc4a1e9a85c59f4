"""B-cubed precision, recall and F1 (Bagga & Baldwin 1998) of a grouping against gold labels.

The guideline's scoring (``../shared/guides/events-and-stories.md``): over articles, each article's
precision is the share of its predicted group that has its gold label, its recall the share of its gold
label's articles that are in its predicted group; an article in no predicted group counts as its own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class BCubed:
    precision: float
    recall: float
    f1: float
    n: int  # articles scored
    predicted: int  # predicted groups among them
    gold: int  # gold groups among them

    def __str__(self) -> str:
        return (
            f"n={self.n} gold={self.gold} pred={self.predicted} "
            f"B3 P={self.precision:.3f} R={self.recall:.3f} F1={self.f1:.3f}"
        )


def bcubed(pred: Sequence[Sequence[str]], gold: Mapping[str, str]) -> BCubed:
    """Score ``pred`` (groups of item ids) against ``gold`` (item id → label) over the gold items.

    Items in ``pred`` without a gold label are ignored; gold items in no predicted group are singletons."""
    groups = [[x for x in g if x in gold] for g in pred]
    seen = {x for g in groups for x in g}
    groups = [g for g in groups if g] + [[x] for x in sorted(gold) if x not in seen]
    gold_sizes = Counter(gold.values())
    p = r = 0.0
    for g in groups:
        labels = Counter(gold[x] for x in g)
        for x in g:
            same = labels[gold[x]]
            p += same / len(g)
            r += same / gold_sizes[gold[x]]
    n = len(gold)
    if n == 0:
        return BCubed(0.0, 0.0, 0.0, 0, 0, 0)
    p, r = p / n, r / n
    return BCubed(p, r, 2 * p * r / (p + r) if p + r else 0.0, n, len(groups), len(gold_sizes))
