"""Per-cluster summarization time after start-up: diemtin vs sumy LexRank, one core, same inputs.

    .venv/bin/python bench/summarize_speed.py [--clusters 60] [--repeat 3]

Uses vmds-dev clusters with 3-5 articles (read through the real ingest + clean first; reading is not
timed), summaries of 184 syllables. Prints median and p90 milliseconds per cluster and the ratio.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from diemtin import evaluate as ev  # noqa: E402
from diemtin.models import Article  # noqa: E402
from diemtin.summarize import summarize  # noqa: E402

VMDS = ROOT.parent / "shared" / "data" / "vmds-dev"


def timings(fn: ev.Summarizer, clusters: list[list[Article]], repeat: int) -> list[float]:
    out = []
    for arts in clusters:
        best = float("inf")
        for _ in range(repeat):
            t0 = time.perf_counter()
            fn(arts, 184)
            best = min(best, time.perf_counter() - t0)
        out.append(best * 1000)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--clusters", type=int, default=60)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    clusters = [c for c in ev.load(VMDS) if 3 <= len(c.documents) <= 5][: args.clusters]
    data = [arts for _, arts in ev.iter_cluster_articles(clusters)]
    summarize(data[0], 184)  # start-up: model load, regex compilation
    ev.sumy_lexrank(data[0], 184)
    results = {
        "diemtin": timings(summarize, data, args.repeat),
        "sumy-lexrank": timings(ev.sumy_lexrank, data, args.repeat),
    }
    n_sent = statistics.mean(sum(len(a.text.split(". ")) for a in arts) for arts in data)
    print(f"{len(data)} clusters of 3-5 articles (~{n_sent:.0f} sentences each), best of {args.repeat} runs")
    for name, ms in results.items():
        q = statistics.quantiles(ms, n=10)
        print(f"{name:<14} median {statistics.median(ms):7.2f} ms   p90 {q[-1]:7.2f} ms")
    ratio = statistics.median(results["sumy-lexrank"]) / statistics.median(results["diemtin"])
    print(f"diemtin is {ratio:.1f}x faster than sumy LexRank (median)")


if __name__ == "__main__":
    main()
