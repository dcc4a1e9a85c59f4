"""ROUGE of diemtin beside Lead, centroid+MMR and sumy LexRank on both reference corpora, in one run.

    .venv/bin/python bench/summarize_eval.py [--limit N]

vmds-dev at 184 syllables (the mean reference length of the whole VietnameseMDS corpus), AbMuSu at the
mean reference length of the file; same numbers as ``diemtin eval summaries DATA``. The shipped model
was trained on these clusters, so these are in-sample numbers for diemtin: bench/train_summarizer.py
prints the cross-validated ones.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from diemtin import evaluate as ev  # noqa: E402

DATA = ROOT.parent / "shared" / "data"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=None, help="first N clusters of each corpus")
    args = ap.parse_args()
    for path, length in ((DATA / "vmds-dev", 184), (DATA / "abmusu-train.jsonl", None)):
        if not path.exists():
            print(f"{path}: not present, skipped")
            continue
        t0 = time.perf_counter()
        clusters = ev.load(path)[: args.limit]
        n = length or ev.mean_reference_length(clusters)
        res = ev.evaluate(ev.default_systems(), list(ev.iter_cluster_articles(clusters)), n)
        print(ev.format_table(res, f"{path.name}: {len(clusters)} clusters, cut to {n} syllables"))
        lead, ours = res["lead"], res["diemtin"]
        print(
            f"diemtin - lead: R1-F {100 * (ours.r1[2] - lead.r1[2]):+.2f}"
            f"  R2-F {100 * (ours.r2[2] - lead.r2[2]):+.2f}"
            f"  ({time.perf_counter() - t0:.0f} s)\n"
        )


if __name__ == "__main__":
    main()
