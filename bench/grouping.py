"""Event grouping benchmark: B-cubed P/R/F1 and adjusted Rand index against the corpora's clusters (and
happening labels, ``--levels``), and the time of ``events.group_events`` at 1x and 10x the corpus size
(wall clock and process CPU time: on a shared machine the CPU ratio is the one to read).

Articles are fed the way a user's crawl arrives and built by diemtin's own readers
(``diemtin.api.read_articles``: ingest + clean), from files written to a temporary folder:

- vmds-dev, ``txt``: one ``.txt`` per article (title with underscores → spaces, blank line, body); no
  publication date.
- vmds-dev, ``jsonl``: records ``{"id", "title", "text", "published"}`` with TIME (dd/mm/yyyy hh:mm →
  ISO) as ``published``.
- abmusu-train: one ``.txt`` per document (title, blank, anchor_text, blank, raw_text); no dates.

10x: the corpus plus nine replicas in which every syllable is renamed by a seeded per-replica bijection
within its frequency class (the 300 most frequent syllables among themselves, the rest among
themselves) and every number is shifted, so each replica cluster is a new event with new names, days,
years and wording, over the same vocabulary and document frequencies (the blocking sees a corpus ten
times as large whose common terms collide across replicas as real news does).

    .venv/bin/python bench/grouping.py            # both corpora, 1x and 10x
    .venv/bin/python bench/grouping.py --no-10x   # quality only
    .venv/bin/python bench/grouping.py --no-10x --halves   # also each half of the clusters on its own
    .venv/bin/python bench/grouping.py --no-10x --lone     # also one article per cluster: how many joined
    .venv/bin/python bench/grouping.py --levels   # events vs happenings, stories vs clusters, + halves
    .venv/bin/python bench/grouping.py --scale 1000 10000  # group_events alone on bench/gen_corpus.py corpora
    .venv/bin/python bench/grouping.py --snapshot /tmp/scale/snap-100k.pkl  # group_events on a pickle

``--levels`` runs the whole pipeline (``diemtin.evaluate.grouping``: duplicates, dating, events,
stories) on each corpus mixed into one crawl and scores, as the guideline asks, its events against the
article-level happening labels (``bench/annotations/*-happenings.jsonl``) and its stories against the
published clusters (topics); then the same on each half of the clusters (even, odd) grouped alone. It
also counts the articles labelled commentary and those the pipeline made commentary events.
``diemtin eval events`` gives one such line.

``--halves`` groups the even- and the odd-numbered gold clusters separately (each half mixed on its
own): a threshold chosen on one half should hold on the other. ``--scale`` reads the generated scale
corpus (``bench/out/corpus-<n>``, made by ``bench/gen_corpus.py`` when missing) with diemtin's readers,
drops syndicated copies as the pipeline does, and times ``group_events`` in two fresh processes: with
dating run inside (only for articles with a neighbour) and with dating's per-article answers passed in
(as the pipeline can, computing them once for grouping and event dates alike). ``--snapshot`` times
``group_events(d["canonical"], dates=d["dates"])`` on a pickle of the pipeline's state after dedup and
dating (a dict with those keys), so that 100k articles can be timed without re-running the pipeline.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

from sklearn.metrics import adjusted_rand_score

from diemtin import dating, events
from diemtin.api import read_articles
from diemtin.evaluate import corpora, grouping, happenings
from diemtin.evaluate.bcubed import bcubed as bcubed_score
from diemtin.evaluate.corpora import LabelledDoc
from diemtin.models import Article

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
VMDS = SHARED / "data" / "vmds-dev"
ABMUSU = SHARED / "data" / "abmusu-train.jsonl"
ANNOTATIONS = ROOT / "bench" / "annotations"
LABELS = {"vmds": ANNOTATIONS / "vmds-happenings.jsonl", "abmusu": ANNOTATIONS / "abmusu-happenings.jsonl"}


def to_articles(docs: list[LabelledDoc], fmt: str, seed: int = 0) -> tuple[list[Article], dict[str, str]]:
    """The docs as one shuffled crawl (``corpora.crawl_articles``); article id → gold cluster."""
    articles, doc_of = corpora.crawl_articles(docs, fmt, seed)
    return articles, {aid: d.cluster for aid, d in doc_of.items()}


def bcubed(pred: list[list[str]], gold: dict[str, str]) -> tuple[float, float, float]:
    b = bcubed_score(pred, gold)
    return b.precision, b.recall, b.f1


def replicate(docs: list[LabelledDoc], times: int, seed: int = 7) -> list[LabelledDoc]:
    """The corpus plus ``times - 1`` renamed replicas (new names, numbers, clusters)."""
    counts: Counter[str] = Counter()
    for d in docs:
        counts.update(re.findall(r"[^\W\d_]+", (d.title + " " + d.body).lower()))
    common = sorted(w for w, _ in counts.most_common(300))
    rare = sorted(w for w in counts if w not in set(common))
    out = list(docs)
    for r in range(1, times):
        rng = random.Random(seed * 1000 + r)
        mapping: dict[str, str] = {}
        for vocab in (common, rare):  # a bijection within each frequency class
            target = vocab[:]
            rng.shuffle(target)
            mapping.update(zip(vocab, target, strict=True))

        def word(m: re.Match[str], mapping: dict[str, str] = mapping) -> str:
            w = m.group(0)
            new = mapping.get(w.lower(), w)
            return new.capitalize() if w[:1].isupper() else new

        def num(m: re.Match[str], r: int = r) -> str:
            n = int(m.group(0))
            if 1900 <= n <= 2100:
                return str(n + 3 * r)
            return str(n % 28 + 1 + r) if n <= 31 else str(n + r)

        for d in docs:
            t = re.sub(r"\d+", num, re.sub(r"[^\W\d_]+", word, d.title))
            b = re.sub(r"\d+", num, re.sub(r"[^\W\d_]+", word, d.body))
            out.append(replace(d, title=t, body=b, cluster=f"{d.cluster}#r{r}"))
    return out


def lone(docs: list[LabelledDoc]) -> list[LabelledDoc]:
    """The first article of each gold cluster: a batch of lone reports, each its own happening."""
    seen: set[str] = set()
    out = []
    for d in docs:
        if d.cluster not in seen:
            seen.add(d.cluster)
            out.append(d)
    return out


def evaluate_lone(name: str, docs: list[LabelledDoc], fmt: str) -> None:
    """How many lone reports grouping joins to another: a crawl is full of articles no other outlet
    covered, and the benchmarks, where every article has 1-4 partners, cannot see a rule that pulls
    such articles into a neighbour (docs/events.md, session 5)."""
    articles, gold = to_articles(lone(docs), fmt)
    pred = events.group_events(articles)
    joined = sum(len(c) for c in pred if len(c) > 1)
    p, _r, _f = bcubed(pred, gold)
    print(
        f"{name + ' lone':<22} n={len(articles):5d} pred={len(pred):4d} joined to another: {joined:4d} "
        f"({joined / len(articles):.1%})  B3 P={p:.3f}"
    )


def evaluate_levels(name: str, corpus: str, docs: list[LabelledDoc], fmt: str) -> None:
    """The pipeline's events against the happening labels and its stories against the published
    clusters (``diemtin.evaluate.grouping``), and how the commentary articles were told apart."""
    labels = happenings.load(LABELS[corpus])
    articles, doc_of = corpora.crawl_articles(docs, fmt)
    _cold()
    c0 = time.process_time()
    d = grouping.digest(articles)
    cpu = time.process_time() - c0
    ev = grouping.score(d, happenings.gold(doc_of, labels), "events")
    st = grouping.score(d, {a: x.cluster for a, x in doc_of.items()}, "stories")
    kind = {a: e.kind for e in d.events for a in e.articles}
    said = {a for a, x in doc_of.items() if labels[x.key].kind == "commentary"}
    found = {a for a in doc_of if kind.get(a) == "commentary"}
    print(
        f"{name:<22} events vs happenings P={ev.precision:.3f} R={ev.recall:.3f} F1={ev.f1:.3f} "
        f"({ev.predicted} events, {ev.gold} happenings)  stories vs clusters P={st.precision:.3f} "
        f"R={st.recall:.3f} F1={st.f1:.3f} ({st.predicted} stories, {st.gold} clusters)  commentary "
        f"found {len(found)} of {len(said)}, right {len(found & said)}  cpu={cpu:.1f}s",
        flush=True,
    )


def half(docs: list[LabelledDoc], h: int) -> list[LabelledDoc]:
    """The gold clusters whose number is even (h=0) or odd (h=1)."""
    return corpora.half(docs, h)


def scale_one(n: int, mode: str) -> None:
    """One timing in this (fresh) process: dating's caches start cold whichever mode runs."""
    from diemtin import dating, dedup

    path = ROOT / "bench" / "out" / (f"corpus-{n // 1000}k" if n % 1000 == 0 else f"corpus-{n}")
    arts, _ = read_articles([str(path)])
    copies = {d for g in dedup.find_duplicates(arts) for d in g.duplicates}
    arts = [a for a in arts if a.id not in copies]
    note = ""
    dates = None
    if mode == "passed":
        c0 = time.process_time()
        dates = {a.id: dating.article_date(a) for a in arts}
        note = f" (dating once per article beforehand: cpu={time.process_time() - c0:.2f}s, not counted)"
    t0, c0 = time.perf_counter(), time.process_time()
    groups = events.group_events(arts, dates=dates)
    t1, c1 = time.perf_counter() - t0, time.process_time() - c0
    print(
        f"corpus-{n}: {len(arts):5d} articles after dedup, {len(groups):4d} events, dates {mode:<7} "
        f"group_events wall={t1:.2f}s cpu={c1:.2f}s{note}",
        flush=True,
    )


def snapshot_run(path: str) -> None:
    """CPU time of ``group_events`` on a pickled snapshot (trusted input: one's own pipeline state)."""
    import pickle

    with open(path, "rb") as fh:
        snap = pickle.load(fh)
    arts = snap["canonical"]
    c0 = time.process_time()
    groups = events.group_events(arts, dates=snap["dates"])
    cpu = time.process_time() - c0
    dated = sum(1 for a in arts if a.published)
    print(f"{path}: {len(arts)} articles ({dated} published), {len(groups)} events, cpu={cpu:.2f}s")


def scale_run(sizes: list[int]) -> None:
    import subprocess

    for n in sizes:
        path = ROOT / "bench" / "out" / (f"corpus-{n // 1000}k" if n % 1000 == 0 else f"corpus-{n}")
        if not path.is_dir():
            gen = [sys.executable, str(ROOT / "bench" / "gen_corpus.py"), str(n), "-o", str(path)]
            subprocess.run(gen, check=True)
        for mode in ("inside", "passed"):
            subprocess.run([sys.executable, __file__, "--scale-one", str(n), mode], check=True)


def _cold() -> None:
    """Empty diemtin's in-process memos (dating's per-article answers, the memoised text scans), so that
    each timed run starts as a fresh process would: a run after another on the same texts (vmds-dev
    JSONL after .txt) otherwise reuses its dating and reads 3x faster, which made 10x look 32x."""
    dating._ARTICLE_DATES.clear()
    # Every diemtin module's memos, the dating package's submodules too (only the package namespace,
    # text and clean were cleared before; ``dating.expressions``' scan cache was kept). The 1x run stays
    # warm in the other sense: the first timed run of the process pays one-time set-up (~0.3 s).
    for name, mod in list(sys.modules.items()):
        if name != "diemtin" and not name.startswith("diemtin."):
            continue
        for obj in vars(mod).values():
            if callable(getattr(obj, "cache_clear", None)):
                obj.cache_clear()


def evaluate(name: str, docs: list[LabelledDoc], fmt: str, scale: bool) -> None:
    articles, gold = to_articles(docs, fmt)
    _cold()
    t0, c0 = time.perf_counter(), time.process_time()
    pred = events.group_events(articles)
    t1, c1 = time.perf_counter() - t0, time.process_time() - c0
    p, r, f = bcubed(pred, gold)
    ids = sorted(gold)
    label = {x: i for i, c in enumerate(pred) for x in c}
    ari = adjusted_rand_score([gold[x] for x in ids], [label[x] for x in ids])
    print(
        f"{name:<18} n={len(articles):5d} gold={len(set(gold.values())):4d} pred={len(pred):4d} "
        f"B3 P={p:.3f} R={r:.3f} F1={f:.3f} ARI={ari:.3f} wall={t1:.2f}s cpu={c1:.2f}s"
    )
    if scale:
        big, gold10 = to_articles(replicate(docs, 10), fmt)
        _cold()
        t0, c0 = time.perf_counter(), time.process_time()
        pred10 = events.group_events(big)
        t10, c10 = time.perf_counter() - t0, time.process_time() - c0
        p, r, f = bcubed(pred10, gold10)
        print(
            f"{name + ' x10':<18} n={len(big):5d} gold={len(set(gold10.values())):4d} pred={len(pred10):4d} "
            f"B3 P={p:.3f} R={r:.3f} F1={f:.3f} wall={t10:.2f}s cpu={c10:.2f}s  "
            f"(x{t10 / t1:.1f} wall, x{c10 / c1:.1f} cpu of 1x)"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--no-10x", action="store_true", help="skip the 10x timing run")
    ap.add_argument("--limit", type=int, default=None, help="only the first N clusters of each corpus")
    ap.add_argument("--halves", action="store_true", help="also each half of the gold clusters alone")
    ap.add_argument(
        "--lone", action="store_true", help="also one article per gold cluster: how many get joined"
    )
    ap.add_argument(
        "--levels",
        action="store_true",
        help="only events vs happenings and stories vs clusters (bench/annotations), whole and halves",
    )
    ap.add_argument(
        "--scale", type=int, nargs="+", help="time group_events on generated corpora of N articles"
    )
    ap.add_argument("--snapshot", help="time group_events on a pickle of dict(canonical, dates)")
    ap.add_argument("--scale-one", nargs=2, metavar=("N", "MODE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.scale_one:
        scale_one(int(args.scale_one[0]), args.scale_one[1])
        return
    if args.scale:
        scale_run(args.scale)
        return
    if args.snapshot:
        snapshot_run(args.snapshot)
        return
    if not VMDS.is_dir() or not ABMUSU.is_file():
        sys.exit(f"reference data not found under {SHARED}")
    vm = corpora.vmds_docs(VMDS, limit=args.limit)
    ab = corpora.abmusu_docs(ABMUSU, limit=args.limit)
    if args.levels:
        for h in (None, 0, 1):
            tag = "" if h is None else f" h{h}"
            for name, corpus, docs, fmt in (
                ("vmds-dev txt", "vmds", vm, "txt"),
                ("vmds-dev jsonl", "vmds", vm, "jsonl"),
                ("abmusu-train txt", "abmusu", ab, "txt"),
            ):
                evaluate_levels(name + tag, corpus, docs if h is None else half(docs, h), fmt)
        return
    evaluate("vmds-dev txt", vm, "txt", scale=False)
    evaluate("vmds-dev jsonl", vm, "jsonl", scale=not args.no_10x)
    evaluate("abmusu-train txt", ab, "txt", scale=not args.no_10x)
    if args.halves:
        for h in (0, 1):
            evaluate(f"vmds-dev txt h{h}", half(vm, h), "txt", scale=False)
            evaluate(f"vmds-dev jsonl h{h}", half(vm, h), "jsonl", scale=False)
            evaluate(f"abmusu txt h{h}", half(ab, h), "txt", scale=False)
    if args.lone:
        evaluate_lone("vmds-dev txt", vm, "txt")
        evaluate_lone("vmds-dev jsonl", vm, "jsonl")
        evaluate_lone("abmusu-train txt", ab, "txt")


if __name__ == "__main__":
    main()
