"""Train diemtin's sentence scorer with cross-validation on both corpora and write the shipped weights.

    .venv/bin/python bench/train_summarizer.py [--folds 5] [--repeats 4] [--linear] [--write]
    .venv/bin/python bench/train_summarizer.py --corpus-check        # can a feature tell corpora apart?
    .venv/bin/python bench/train_summarizer.py --transfer            # train on one corpus, test on the other

Items: every multi-document cluster of ../shared/data/vmds-dev and ../shared/data/abmusu-train.jsonl
(references: the human summaries), and every article of them as a single-article item (input: its body,
sapo cut; reference: its sapo, ``evaluate.single_articles``). All go through the real ingest + clean (as
.txt files) and diemtin's candidate extraction. Label of a sentence = its ROUGE-2 precision against the
references + 0.5 if a greedy ROUGE-2 oracle picks it. A ridge regression on standardised features and
their pairwise products (``INTERACTIONS``; --linear: none) is fitted on folds that do not contain the
evaluated cluster (folds are by multi-document cluster: a cluster and its own articles' single items are
in the same fold, and folds mix both corpora; the mean over --repeats fold assignments is printed) and
the held-out ROUGE is printed beside Lead's (same length). With --write, a model fitted on all items is
saved to src/diemtin/data/summarizer.json with its provenance and these cross-validated scores.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import hashlib
import itertools
import json
import pickle
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.linear_model import Ridge
from sklearn.metrics import roc_auc_score

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from diemtin import evaluate as ev  # noqa: E402
from diemtin.models import Article  # noqa: E402
from diemtin.summarize import (  # noqa: E402
    FEATURES,
    INTERACTIONS,
    Coverage,
    Model,
    _article_order,
    candidates,
    concepts,
    expand,
    select,
)
from diemtin.summarize.baselines import lead  # noqa: E402
from diemtin.summarize.concepts import ConceptModel  # noqa: E402
from diemtin.summarize.features import Cluster  # noqa: E402
from diemtin.text import syllables  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
CORPORA = (("vmds", DATA / "vmds-dev"), ("abmusu", DATA / "abmusu-train.jsonl"))
ORACLE_BONUS = 0.5
PAIR_SHRINK = 0.5
LINEAR_ALPHA = 10.0
BLEND = 0.5  # weight of the linear ridge in the shipped scorer
KINDS = ("multi", "single")
# Single-article items' share of the fit: there are 950 of them against 300 clusters, and at full weight
# they pull the multi-document scores down (docs/summarize.md).
# Under 1 x 5 folds (ROUGE-2 F1, vmds / AbMuSu, multi-document; single articles): weight 0 (multi-document
# items only) 43.5 / 36.5; 12.8 / 15.1, single below Lead's 13.0 / 15.5; weight 0.3: 42.7 / 36.4;
# 13.4 / 16.7. At weight 1 (4 x 5 folds, before LONG_FIRST) multi-document fell to 41.7 / 34.9.
SINGLE_WEIGHT = 0.3
# Concept model (summarize/concepts.py): ridge alpha on its standardised features and products, and the
# strength of the coverage gain in the selection (docs/summarize.md: 1-3 under 2 x 5 folds).
CONCEPT_ALPHA = 10.0
CONCEPT_STRENGTH = 2.0


@dataclass
class Item:
    corpus: str
    kind: str  # "multi": a cluster of articles; "single": one article, its sapo as the reference
    group: str  # the multi-document cluster it comes from (the fold unit)
    cluster: ev.Cluster
    cand: Cluster
    labels: np.ndarray
    length: int
    lead_text: str
    doc_rank: dict[int, int]  # reading order of the articles, as ``summarize`` orders them
    concepts: concepts.Concepts  # the cluster's bigrams and their scorer-free features
    concept_labels: np.ndarray  # share of the references holding each bigram


def _bigrams(tokens: list[str]) -> Counter[tuple[str, ...]]:
    return ev.ngrams(tokens, 2)


def _r2_f1(toks: list[str], refs: list[Counter[tuple[str, ...]]]) -> float:
    c = _bigrams(toks)
    n = sum(c.values())
    out = 0.0
    for r in refs:
        o = sum((c & r).values())
        nr = sum(r.values())
        out += 2 * o / (n + nr) if n + nr else 0.0
    return out / len(refs)


def oracle(cand: Cluster, refs: list[Counter[tuple[str, ...]]], length: int) -> set[int]:
    """Greedy extractive oracle: add the sentence that most raises mean ROUGE-2 F1 until it stops rising."""
    chosen: list[int] = []
    best = 0.0
    used = 0
    while True:
        pick, pick_score = -1, best
        for i, u in enumerate(cand.units):
            if i in chosen or used + len(u.tokens) > length:
                continue
            toks = [t for j in [*chosen, i] for t in cand.units[j].tokens]
            s = _r2_f1(toks, refs)
            if s > pick_score:
                pick, pick_score = i, s
        if pick < 0:
            return set(chosen)
        chosen.append(pick)
        best = pick_score
        used += len(cand.units[pick].tokens)


def labels(cand: Cluster, refs_text: list[str], length: int) -> np.ndarray:
    refs = [syllables(r) for r in refs_text]
    ref_bigrams = [set(_bigrams(r)) for r in refs]
    orc = oracle(cand, [_bigrams(r) for r in refs], length)
    y = np.zeros(len(cand.units))
    for i, u in enumerate(cand.units):
        bg = list(_bigrams(u.tokens))
        prec = np.mean([sum(b in rb for b in bg) / max(len(bg), 1) for rb in ref_bigrams])
        y[i] = prec + (ORACLE_BONUS if i in orc else 0.0)
    return y


def concept_labels(con: concepts.Concepts, refs_text: list[str]) -> np.ndarray:
    """Share of the references that hold each of the cluster's bigrams."""
    refs = [set(itertools.pairwise(t)) for t in (syllables(r) for r in refs_text)]
    y = np.zeros(len(con.vocab))
    for b, j in con.vocab.items():
        y[j] = sum(b in r for r in refs) / len(refs)
    return y


def _read(corpus: str, path: Path, cache: Path | None) -> list[tuple[str, str, ev.Cluster, list[Article]]]:
    """(kind, group, cluster, articles) of one corpus, multi-document clusters then single articles.

    Reading 1,250 inputs through ingest + clean takes minutes on a shared core; ``cache`` keeps the
    articles (they do not depend on the summarizer) between runs.
    """
    key = hashlib.sha1(f"{path}:{path.stat().st_mtime}".encode()).hexdigest()[:12]
    file = cache / f"{corpus}-{key}.pkl" if cache else None
    if file is not None and file.is_file():
        return pickle.loads(file.read_bytes())  # type: ignore[no-any-return]
    clusters = ev.load(path)
    out = [("multi", c.id, c, arts) for c, arts in ev.iter_cluster_articles(clusters)]
    singles = ev.single_articles(clusters)
    out += [("single", c.id.split("/")[0], c, arts) for c, arts in ev.iter_cluster_articles(singles)]
    if file is not None:
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(pickle.dumps(out))
    return out


def lengths(data: list[tuple[str, str, ev.Cluster, list[Article]]], corpus: str) -> dict[str, int]:
    """Summary length per kind: vmds-dev multi-document 184 (the whole corpus' mean reference length),
    otherwise the mean reference length of the items of that kind."""
    out = {k: ev.mean_reference_length([c for kind, _, c, _ in data if kind == k]) for k in KINDS}
    if corpus == "vmds":
        out["multi"] = 184
    return out


def load_items(limit: int | None, cache: Path | None, kinds: tuple[str, ...] = KINDS) -> list[Item]:
    items: list[Item] = []
    # Oracle labels cost most of the loading time; they depend only on the candidates' tokens, the
    # references and the length, so they are kept under a hash of those.
    memo_file = cache / "labels.pkl" if cache else None
    memo: dict[str, np.ndarray] = (
        pickle.loads(memo_file.read_bytes()) if memo_file is not None and memo_file.is_file() else {}
    )
    for corpus, path in CORPORA:
        data = _read(corpus, path, cache)
        size = lengths(data, corpus)
        groups = list(dict.fromkeys(g for _, g, _, _ in data))[:limit]
        keep = set(groups)
        for kind, group, c, arts in data:
            if group not in keep or kind not in kinds or not arts:
                continue
            cand = candidates(arts)
            n = size[kind]
            key = hashlib.sha1(repr(([u.tokens for u in cand.units], c.references, n)).encode()).hexdigest()
            if key not in memo:
                memo[key] = labels(cand, c.references, n)
            con = concepts.build(cand, [syllables(a.title) for a in arts])
            items.append(
                Item(
                    corpus,
                    kind,
                    f"{corpus}:{group}",
                    c,
                    cand,
                    memo[key],
                    n,
                    ev.summary_text(lead(arts, n)),
                    {d: r for r, d in enumerate(_article_order(arts))},
                    con,
                    concept_labels(con, c.references),
                )
            )
    if memo_file is not None:
        memo_file.write_bytes(pickle.dumps(memo))
    return items


def _ridge(items: list[Item], alpha: float, inter: tuple[tuple[str, str], ...], weighted: bool) -> Model:
    """Ridge on standardised features (and the products ``inter``).

    ``weighted``: each item weighs 1/sqrt(its sentences), between one vote per sentence (long AbMuSu
    clusters dominate) and one per item. Product columns are scaled down by ``PAIR_SHRINK`` after
    standardising, a ridge penalty 1/PAIR_SHRINK**2 times stronger on them: they are many and correlated.
    """
    x = expand(np.vstack([it.cand.features for it in items]), inter)
    y = np.concatenate([it.labels for it in items])
    w = np.concatenate(
        [np.full(len(it.labels), 1.0 / np.sqrt(max(len(it.labels), 1)) if weighted else 1.0) for it in items]
    )
    w *= np.concatenate(
        [np.full(len(it.labels), SINGLE_WEIGHT if it.kind == "single" else 1.0) for it in items]
    )
    w = w / w.mean()
    mean = np.average(x, axis=0, weights=w)
    scale = np.sqrt(np.average((x - mean) ** 2, axis=0, weights=w))
    scale[scale == 0] = 1.0
    scale[len(FEATURES) :] /= PAIR_SHRINK
    reg = Ridge(alpha=alpha).fit((x - mean) / scale, y, sample_weight=w)
    return Model(
        FEATURES,
        tuple(float(v) for v in mean),
        tuple(float(v) for v in scale),
        tuple(float(c) for c in reg.coef_),
        float(reg.intercept_),
        inter,
    )


def blend(linear: Model, products: Model, w: float) -> Model:
    """One model scoring ``w`` x ``linear`` + (1 - ``w``) x ``products`` (same features, folded together)."""
    k = len(FEATURES)
    m1, s1, c1 = (np.asarray(v) for v in (linear.mean, linear.scale, linear.coef))
    m2, s2, c2 = (np.asarray(v) for v in (products.mean, products.scale, products.coef))
    coef = (1 - w) * c2
    coef[:k] += w * c1 * s2[:k] / s1  # c1·(x - m1)/s1 = (c1·s2/s1)·(x - m2)/s2 + c1·(m2 - m1)/s1
    intercept = (1 - w) * products.intercept + w * (linear.intercept + float(c1 @ ((m2[:k] - m1) / s1)))
    return Model(
        FEATURES,
        products.mean,
        products.scale,
        tuple(float(c) for c in coef),
        float(intercept),
        products.pairs,
    )


def _offsets(blocks: list[np.ndarray]) -> list[int]:
    """Start row of each block in their concatenation."""
    return [0, *np.cumsum([len(b) for b in blocks[:-1]]).tolist()] if blocks else []


def fit_concepts(items: list[Item], scorer: Model, strength: float) -> ConceptModel:
    """Ridge from the concept features (the sentence scores of ``scorer`` among them, in-sample on
    ``items``) and their pairwise products to the share of references holding each bigram; each item
    weighs as in ``_ridge`` (1/sqrt(its bigrams), single articles ``SINGLE_WEIGHT``)."""
    feats = [concepts.expand(concepts.features(it.concepts, scorer.score(it.cand.features))) for it in items]
    w = np.concatenate(
        [
            np.full(len(it.concept_labels), (SINGLE_WEIGHT if it.kind == "single" else 1.0))
            / np.sqrt(max(len(it.concept_labels), 1))
            for it in items
        ]
    )
    w = w / w.mean()
    y = np.concatenate([it.concept_labels for it in items])
    # Weighted ridge solved from its normal equations, item by item in float64: the 800k x 209 matrix
    # is never built whole (sklearn's Ridge would need it, and in float32 the products' near-collinear
    # columns made its Cholesky solve ill-conditioned).
    starts = _offsets(feats)
    total = w.sum()
    mean = np.zeros(feats[0].shape[1])
    for f, o in zip(feats, starts, strict=True):
        mean += w[o : o + len(f)] @ f
    mean /= total
    var = np.zeros_like(mean)
    for f, o in zip(feats, starts, strict=True):
        var += w[o : o + len(f)] @ (f - mean) ** 2
    scale = np.sqrt(var / total)
    scale[scale == 0] = 1.0
    y_mean = float(w @ y / total)
    gram = np.zeros((len(mean), len(mean)))
    rhs = np.zeros(len(mean))
    for f, o in zip(feats, starts, strict=True):
        z = (f - mean) / scale
        wi = w[o : o + len(f)]
        gram += z.T @ (z * wi[:, None])
        rhs += z.T @ (wi * (y[o : o + len(f)] - y_mean))
    coef = np.linalg.solve(gram + CONCEPT_ALPHA * np.eye(len(mean)), rhs)
    return ConceptModel(
        tuple(float(v) for v in mean),
        tuple(float(v) for v in scale),
        tuple(float(c) for c in coef),
        y_mean,
        strength,
    )


def fit(items: list[Item], alpha: float, pairs: bool = True, strength: float = CONCEPT_STRENGTH) -> Model:
    """The shipped scorer: the mean of the linear ridge (alpha ``LINEAR_ALPHA``, unweighted) and the
    weighted ridge with pairwise products (``alpha``), with the concept model fitted on its scores
    (``strength`` 0: none). ``pairs=False``: the linear ridge alone."""
    model = _ridge(items, LINEAR_ALPHA, (), weighted=False)
    if pairs:
        model = blend(model, _ridge(items, alpha, INTERACTIONS, weighted=True), BLEND)
    if strength <= 0:
        return model
    return dataclasses.replace(model, concepts=fit_concepts(items, model, strength))


def score_items(items: list[Item], model: Model) -> list[ev.Rouge]:
    out = []
    for it in items:
        scores = model.score(it.cand.features)
        coverage = None
        if model.concepts is not None:  # as Model.coverage, from the item's cached bigrams
            weights = model.concepts.predict(concepts.features(it.concepts, scores))
            coverage = Coverage(it.concepts.incidence, weights, model.concepts.strength)
        chosen = select(it.cand, scores, it.length, coverage)
        # The order summarize() gives: ROUGE counts bigrams across sentence boundaries too.
        chosen.sort(key=lambda c: (it.doc_rank[it.cand.units[c[0]].doc], it.cand.units[c[0]].index))
        text = " ".join(t for _, t in chosen)
        out.append(ev.rouge(text, it.cluster.references, it.length))
    return out


def table(items: list[Item], runs: list[list[ev.Rouge]]) -> dict[str, dict[str, float]]:
    """Mean F1 ×100 per corpus and kind over ``runs`` (one score per item per run) beside Lead's."""
    out: dict[str, dict[str, float]] = {}
    for corpus, _ in CORPORA:
        for kind in KINDS:
            idx = [i for i, it in enumerate(items) if it.corpus == corpus and it.kind == kind and runs[0][i]]
            if not idx:
                continue
            rs = [ev.mean_rouge([scores[i] for i in idx]) for scores in runs]
            ld = ev.mean_rouge(
                [ev.rouge(items[i].lead_text, items[i].cluster.references, items[i].length) for i in idx]
            )
            out[f"{corpus}/{kind}"] = {
                "items": len(idx),
                "length": round(float(np.mean([items[i].length for i in idx]))),
                "r1": round(100 * float(np.mean([r.r1[2] for r in rs])), 2),
                "r2": round(100 * float(np.mean([r.r2[2] for r in rs])), 2),
                "rl": round(100 * float(np.mean([r.rl[2] for r in rs])), 2),
                "lead_r1": round(100 * ld.r1[2], 2),
                "lead_r2": round(100 * ld.r2[2], 2),
                "lead_rl": round(100 * ld.rl[2], 2),
            }
    return out


def report(name: str, tab: dict[str, dict[str, float]]) -> None:
    for key, r in tab.items():
        print(
            f"{name:<34}{key:<14} n={int(r['items']):<4} R1-F {r['r1']:6.2f} (lead {r['lead_r1']:6.2f})"
            f"  R2-F {r['r2']:6.2f} (lead {r['lead_r2']:6.2f})"
            f"  RL-F {r['rl']:6.2f} (lead {r['lead_rl']:6.2f})"
            f"  Δ R2 {r['r2'] - r['lead_r2']:+5.2f}"
        )


def cross_validate(
    items: list[Item],
    folds: int,
    repeats: int,
    alpha: float,
    pairs: bool,
    train_kinds: tuple[str, ...] = KINDS,
    strength: float = CONCEPT_STRENGTH,
) -> list[list[ev.Rouge]]:
    """Held-out scores of every item, one list per repeat; folds by multi-document cluster; the models
    are fitted on the items of ``train_kinds`` in the other folds."""
    groups = sorted({it.group for it in items})
    runs = []
    for rep in range(repeats):
        order = np.random.RandomState(rep).permutation(len(groups)) if rep else np.arange(len(groups))
        fold = {groups[int(g)]: r % folds for r, g in enumerate(order)}
        scores: list[ev.Rouge] = [ev.Rouge()] * len(items)
        for f in range(folds):
            train = [it for it in items if fold[it.group] != f and it.kind in train_kinds]
            model = fit(train, alpha, pairs, strength)
            test = [i for i, it in enumerate(items) if fold[it.group] == f]
            for i, s in zip(test, score_items([items[i] for i in test], model), strict=True):
                scores[i] = s
        runs.append(scores)
    return runs


def transfer(
    items: list[Item],
    alpha: float,
    pairs: bool,
    train_kinds: tuple[str, ...] = KINDS,
    strength: float = CONCEPT_STRENGTH,
) -> dict[str, dict[str, float]]:
    """Trained on the items of ``train_kinds`` of one corpus, scored on every item of the other."""
    out: dict[str, dict[str, float]] = {}
    for train, test in (("vmds", "abmusu"), ("abmusu", "vmds")):
        model = fit(
            [it for it in items if it.corpus == train and it.kind in train_kinds], alpha, pairs, strength
        )
        held = [it for it in items if it.corpus == test]
        tab = table(held, [score_items(held, model)])
        report(f"trained on {train} only", tab)
        out.update({f"{k} (trained on {train})": v for k, v in tab.items()})
    return out


def corpus_check(items: list[Item]) -> None:
    """How well each feature alone tells a vmds-dev sentence from an AbMuSu one (ROC AUC, 0.5 = not at
    all; shown as max(AUC, 1 - AUC)), on multi-document clusters, and how often it is non-zero."""
    multi = [it for it in items if it.kind == "multi"]
    x = np.vstack([it.cand.features for it in multi])
    y = np.concatenate([np.full(len(it.labels), it.corpus == "abmusu") for it in multi])
    print(f"{'feature':<24}{'AUC':>6}{'vmds≠0':>9}{'abmusu≠0':>10}{'vmds mean':>11}{'abmusu mean':>13}")
    rows = []
    for j, name in enumerate(FEATURES):
        col = x[:, j]
        auc = roc_auc_score(y, col) if col.std() else 0.5
        rows.append((max(auc, 1 - auc), name, col))
    for auc, name, col in sorted(rows, reverse=True):
        v, a = col[~y], col[y]
        print(
            f"{name:<24}{auc:6.3f}{np.mean(v != 0):9.1%}{np.mean(a != 0):10.1%}"
            f"{v.mean():11.3f}{a.mean():13.3f}"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--repeats", type=int, default=4, help="cross-validation repeats with shuffled folds")
    ap.add_argument("--alpha", type=float, default=30.0)
    ap.add_argument("--linear", action="store_true", help="no pairwise products")
    ap.add_argument(
        "--concept-strength",
        type=float,
        default=CONCEPT_STRENGTH,
        help="coverage gain in the selection (0: none)",
    )
    ap.add_argument("--limit", type=int, default=None, help="clusters per corpus (quick runs)")
    ap.add_argument("--kinds", default="multi,single", help="score these kinds of items")
    ap.add_argument("--train-kinds", default="multi,single", help="fit on these kinds of items")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/diemtin-train-cache"), help="read articles once")
    ap.add_argument("--write", action="store_true", help="save the model fitted on all items")
    ap.add_argument("--corpus-check", action="store_true", help="per-feature corpus separability, then stop")
    ap.add_argument("--transfer", action="store_true", help="also train on one corpus, test on the other")
    args = ap.parse_args()
    t0 = time.perf_counter()
    items = load_items(args.limit, args.cache, tuple(args.kinds.split(",")))
    print(
        f"{len(items)} items ({sum(it.kind == 'multi' for it in items)} clusters), "
        f"{sum(len(it.labels) for it in items)} sentences ({time.perf_counter() - t0:.0f} s)"
    )
    if args.corpus_check:
        corpus_check(items)
        return
    pairs = not args.linear
    train_kinds = tuple(args.train_kinds.split(","))
    strength = args.concept_strength
    cv = table(
        items, cross_validate(items, args.folds, args.repeats, args.alpha, pairs, train_kinds, strength)
    )
    report(f"cross-validated ({args.repeats}x{args.folds}f)", cv)
    cross = transfer(items, args.alpha, pairs, train_kinds, strength) if args.transfer else {}
    full = fit([it for it in items if it.kind in train_kinds], args.alpha, pairs, strength)
    report("fitted on all (in-sample)", table(items, [score_items(items, full)]))
    names = [*FEATURES, *(f"{a}×{b}" for a, b in full.pairs)]
    for name, c in sorted(zip(names, full.coef, strict=True), key=lambda p: -abs(p[1]))[:20]:
        print(f"  {name:<40}{c:+.4f}")
    if args.write:
        path = ROOT / "src" / "diemtin" / "data" / "summarizer.json"
        provenance = {
            "trained": dt.date.today().isoformat(),
            "script": "bench/train_summarizer.py",
            "corpora": {
                corpus: {kind: sum(it.corpus == corpus and it.kind == kind for it in items) for kind in KINDS}
                | {"source": f"../shared/data/{path.name}"}
                for corpus, path in CORPORA
            },
            "cross_validation": f"{args.folds} folds by multi-document cluster,"
            f" {args.repeats} fold assignments",
            "fitted_on": list(train_kinds),
            "label": f"ROUGE-2 precision of the sentence against the references + {ORACLE_BONUS} if a greedy"
            " ROUGE-2 oracle picks it",
            "scorer": f"mean of a linear ridge (alpha {LINEAR_ALPHA}) and a ridge with pairwise products"
            f" (alpha {args.alpha})"
            if pairs
            else f"linear ridge (alpha {LINEAR_ALPHA})",
            "concepts": f"ridge (alpha {CONCEPT_ALPHA}) on bigram features and their pairwise products,"
            f" label: share of the references holding the bigram; selection gain strength {strength}"
            if strength > 0
            else "none",
            "cv": cv,
            "cross_corpus": cross,
            "training_clusters": sorted({ev.fingerprint(it.cluster) for it in items if it.kind == "multi"}),
        }
        path.write_text(
            json.dumps(full.to_json() | {"provenance": provenance}, indent=1, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
