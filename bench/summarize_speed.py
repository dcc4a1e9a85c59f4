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


def timings(fn: ev.Summarizer, clusters: list[list[Article]], repeat: int) -> tuple[list[float], list[float]]:
    """Best-of-``repeat`` wall and CPU milliseconds per cluster (CPU time is robust to a busy machine)."""
    wall, cpu = [], []
    for arts in clusters:
        best_w = best_c = float("inf")
        for _ in range(repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            fn(arts, 184)
            best_w = min(best_w, time.perf_counter() - t0)
            best_c = min(best_c, time.process_time() - c0)
        wall.append(best_w * 1000)
        cpu.append(best_c * 1000)
    return wall, cpu


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
    for name, (wall, cpu) in results.items():
        q = statistics.quantiles(wall, n=10)
        print(
            f"{name:<14} wall median {statistics.median(wall):7.2f} ms  p90 {q[-1]:7.2f} ms"
            f"   cpu median {statistics.median(cpu):7.2f} ms"
        )
    ratio = statistics.median(results["sumy-lexrank"][0]) / statistics.median(results["diemtin"][0])
    cpu_ratio = statistics.median(results["sumy-lexrank"][1]) / statistics.median(results["diemtin"][1])
    print(f"diemtin is {ratio:.1f}x faster than sumy LexRank (median wall; {cpu_ratio:.1f}x in CPU time)")


if __name__ == "__main__":
    main()
