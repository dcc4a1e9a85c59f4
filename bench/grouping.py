"""Event grouping benchmark: B-cubed P/R/F1 and adjusted Rand index against the corpora's clusters,
and the time of ``events.group_events`` at 1x and 10x the corpus size (wall clock and process CPU time:
on a shared machine the CPU ratio is the one to read).

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
    .venv/bin/python bench/grouping.py --no-10x --happenings  # also the clusters annotated as one happening
    .venv/bin/python bench/grouping.py --scale 1000 10000  # group_events alone on bench/gen_corpus.py corpora
    .venv/bin/python bench/grouping.py --snapshot /tmp/scale/snap-100k.pkl  # group_events on a pickle

``--happenings`` reads our annotation of the gold clusters (``bench/annotations``, see its README):
each cluster labelled ``one`` (all its articles report one happening), ``mostly`` or ``several`` (a
topic: different happenings of one kind), and the pairs of clusters that report the same happening. It
groups the articles of the ``one`` clusters mixed together and scores them twice: against the clusters
as given, and with the pairs annotated as one happening counted as one cluster: the issue's definition
of an event, which the corpora's clusters do not always follow (docs/events.md, session 6).

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
import json
import random
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from sklearn.metrics import adjusted_rand_score

from diemtin import clean, dating, events
from diemtin import text as vtext
from diemtin.api import read_articles
from diemtin.models import Article

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
VMDS = SHARED / "data" / "vmds-dev"
ABMUSU = SHARED / "data" / "abmusu-train.jsonl"

Doc = tuple[str, str, str | None, str]  # title, body, published, gold cluster


def vmds_docs(root: Path = VMDS, limit: int | None = None) -> list[Doc]:
    """(title, body, published ISO, cluster) for every vmds article."""
    docs: list[Doc] = []
    clusters = sorted((p for p in root.iterdir() if p.is_dir()), key=lambda p: int(p.name.split("_")[-1]))
    for cdir in clusters[:limit]:
        for body in sorted(cdir.glob("*.body.txt")):
            info = body.with_name(body.name.replace(".body.txt", ".info.txt")).read_text(encoding="utf-8")
            title = re.search(r"^TITLE:\s*(.*)$", info, re.M)
            when = re.search(r"^TIME:\s*(\d\d)/(\d\d)/(\d{4}) (\d\d:\d\d)", info, re.M)
            pub = f"{when.group(3)}-{when.group(2)}-{when.group(1)}T{when.group(4)}" if when else None
            text = body.read_text(encoding="utf-8").strip()
            docs.append(((title.group(1) if title else "").replace("_", " ").strip(), text, pub, cdir.name))
    return docs


def abmusu_docs(path: Path = ABMUSU, limit: int | None = None) -> list[Doc]:
    docs: list[Doc] = []
    with path.open(encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if limit is not None and i >= limit:
                break
            for d in json.loads(line)["single_documents"]:
                body = (d.get("anchor_text") or "").strip() + "\n\n" + (d.get("raw_text") or "").strip()
                docs.append(((d.get("title") or "").strip(), body, None, f"c{i}"))
    return docs


def to_articles(docs: list[Doc], fmt: str, seed: int = 0) -> tuple[list[Article], dict[str, str]]:
    """Write docs as a crawl would (shuffled file names, no cluster info), read them back with
    ``read_articles``; returns the articles and article id → gold cluster."""
    order = list(range(len(docs)))
    random.Random(seed).shuffle(order)
    gold_by_name: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        if fmt == "jsonl":
            path = Path(tmp) / "crawl.jsonl"
            with path.open("w", encoding="utf-8") as fh:
                for n, i in enumerate(order):
                    title, body, pub, label = docs[i]
                    rid = f"doc{n:05d}"
                    gold_by_name[rid] = label
                    fh.write(json.dumps({"id": rid, "title": title, "text": body, "published": pub}) + "\n")
        else:
            for n, i in enumerate(order):
                title, body, _pub, label = docs[i]
                name = f"doc{n:05d}.txt"
                gold_by_name[name] = label
                (Path(tmp) / name).write_text(f"{title}\n\n{body}\n", encoding="utf-8")
        articles, skipped = read_articles([tmp])
    if skipped:
        print(f"  ({len(skipped)} inputs skipped, e.g. {skipped[0].reason})", file=sys.stderr)
    gold: dict[str, str] = {}
    for a in articles:
        key = a.id if fmt == "jsonl" and a.id in gold_by_name else Path(a.path).name
        gold[a.id] = gold_by_name[key]
    return articles, gold


def replicate(docs: list[Doc], times: int, seed: int = 7) -> list[Doc]:
    """The corpus plus ``times - 1`` renamed replicas (new names, numbers, clusters)."""
    counts: Counter[str] = Counter()
    for title, body, _p, _g in docs:
        counts.update(re.findall(r"[^\W\d_]+", (title + " " + body).lower()))
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

        for title, body, pub, gold in docs:
            t = re.sub(r"\d+", num, re.sub(r"[^\W\d_]+", word, title))
            b = re.sub(r"\d+", num, re.sub(r"[^\W\d_]+", word, body))
            out.append((t, b, pub, f"{gold}#r{r}"))
    return out


def bcubed(pred: list[list[str]], gold: dict[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 (Bagga & Baldwin 1998) of a clustering against gold labels."""
    cluster_of = {x: i for i, c in enumerate(pred) for x in c}
    gold_sizes = Counter(gold.values())
    p = r = 0.0
    for c in pred:
        labels = Counter(gold[x] for x in c)
        for x in c:
            same = labels[gold[x]]
            p += same / len(c)
            r += same / gold_sizes[gold[x]]
    n = len(cluster_of)
    p, r = p / n, r / n
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def lone(docs: list[Doc]) -> list[Doc]:
    """The first article of each gold cluster: a batch of lone reports, each its own happening."""
    seen: set[str] = set()
    out = []
    for d in docs:
        if d[3] not in seen:
            seen.add(d[3])
            out.append(d)
    return out


def evaluate_lone(name: str, docs: list[Doc], fmt: str) -> None:
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


ANNOTATIONS = ROOT / "bench" / "annotations"


def happenings(corpus: str) -> tuple[dict[str, str], dict[str, str]]:
    """Our annotation of ``corpus`` ("vmds" or "abmusu"): cluster → label, and cluster → the cluster
    standing for its happening (the pairs annotated as the same happening, joined transitively)."""
    labels: dict[str, str] = {}
    for line in (ANNOTATIONS / "happenings.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["corpus"] == corpus:
            labels[row["cluster"]] = row["label"]
    parent = {c: c for c in labels}

    def find(c: str) -> str:
        while parent[c] != c:
            c = parent[c]
        return c

    for line in (ANNOTATIONS / "same_happening.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["corpus"] == corpus and row["same"]:
            a, b = sorted((find(row["a"]), find(row["b"])))
            parent[b] = a
    return labels, {c: find(c) for c in labels}


def evaluate_happenings(name: str, corpus: str, docs: list[Doc], fmt: str) -> None:
    """Grouping of the clusters annotated as one happening, against the clusters and the happenings."""
    labels, happening = happenings(corpus)
    one = [d for d in docs if labels[d[3]] == "one"]
    articles, gold = to_articles(one, fmt)
    pred = events.group_events(articles)
    p, r, f = bcubed(pred, gold)
    hp, hr, hf = bcubed(pred, {x: happening[c] for x, c in gold.items()})
    print(
        f"{name + ' one':<22} n={len(articles):5d} clusters={len(set(gold.values())):4d} "
        f"happenings={len({happening[c] for c in gold.values()}):4d} pred={len(pred):4d}  "
        f"B3 vs clusters P={p:.3f} R={r:.3f} F1={f:.3f}  vs happenings P={hp:.3f} R={hr:.3f} F1={hf:.3f}"
    )


def half(docs: list[Doc], h: int) -> list[Doc]:
    """The gold clusters whose number is even (h=0) or odd (h=1)."""
    return [d for d in docs if int(re.sub(r"\D", "", d[3]) or 0) % 2 == h]


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
    for mod in (dating, vtext, clean):
        for obj in vars(mod).values():
            if callable(getattr(obj, "cache_clear", None)):
                obj.cache_clear()


def evaluate(name: str, docs: list[Doc], fmt: str, scale: bool) -> None:
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
    ap.add_argument("--happenings", action="store_true", help="also the clusters annotated as one happening")
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
    vm = vmds_docs(limit=args.limit)
    evaluate("vmds-dev txt", vm, "txt", scale=False)
    evaluate("vmds-dev jsonl", vm, "jsonl", scale=not args.no_10x)
    ab = abmusu_docs(limit=args.limit)
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
    if args.happenings:
        evaluate_happenings("vmds-dev txt", "vmds", vm, "txt")
        evaluate_happenings("vmds-dev jsonl", "vmds", vm, "jsonl")
        evaluate_happenings("abmusu-train txt", "abmusu", ab, "txt")


if __name__ == "__main__":
    main()
