"""`diemtin ingest` into the SQLite store: articles per second. Prints numbers; not a test.

    .venv/bin/python bench/ingest_rate.py 1000 [10000]   # corpora from bench/gen_corpus.py (bench/out/)
    .venv/bin/python bench/ingest_rate.py 1000 --jobs 2  # reading and cleaning in 2 worker processes

Three numbers per size: the per-file phase (read, clean, insert with FTS, one transaction per file: the
rate the target "≥ 500 articles/s" is about; "cpu s" is this process's CPU in that phase, without the
workers'; "wkr cpu" the workers' CPU; "cpu art/s" the rate that CPU allows on min(jobs, cores) idle
cores, since the shared machine's wall clock is noisy), the whole call including the derived tables
(duplicates, events, summaries over the stored articles), and a second ingest of the same files.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale import corpus  # bench/ is not a package: import its sibling by path

from diemtin import executors, pipeline, store


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


class Last:
    """on_file callback that remembers when the last file was stored."""

    at = 0.0
    cpu = 0.0

    def __call__(self, path: str, status: str) -> None:
        self.at = time.perf_counter()
        self.cpu = time.process_time()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sizes", nargs="*", type=int, default=[1000])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--jobs", type=int, default=1, help="store.ingest(jobs=...): reading/cleaning processes")
    args = ap.parse_args()
    head = ["articles", "files s", "cpu s", "wkr cpu", "art/s", "cpu art/s", "total s", "art/s", "again s",
            "RSS MB"]  # fmt: skip
    print(" ".join(f"{h:>9}" for h in head))
    for n in args.sizes:
        path = corpus(n, args.seed)
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "bench.db"
            last = Last()

            t0, c0, w0 = time.perf_counter(), time.process_time(), _children_cpu()
            # As `diemtin ingest -j N`: the refresh runs on N processes too.
            ex = executors.make_executor("processes" if args.jobs > 1 else "inprocess", workers=args.jobs)
            with executors.closing(ex):
                opts = pipeline.Options(executor=ex)
                res = store.ingest(db, [str(path)], opts, on_file=last, jobs=args.jobs)
                # The file workers have exited (their CPU is in RUSAGE_CHILDREN); the refresh's workers
                # are still alive, so their CPU is not counted here.
                wcpu = _children_cpu() - w0
            main_cpu = last.cpu - c0
            # What the per-file phase would run at on this many idle cores: CPU-bound, the busiest of
            # this process and the workers sharing the cores left sets the pace (the machine is shared).
            cores = max(1, min(args.jobs, os.cpu_count() or 1))
            bound = max(main_cpu, (main_cpu + wcpu) / cores)
            total = time.perf_counter() - t0
            files = last.at - t0
            t1 = time.perf_counter()
            store.ingest(db, [str(path)])
            again = time.perf_counter() - t1
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{res.articles:>9} {files:>9.1f} {main_cpu:>9.1f} {wcpu:>9.1f} {res.articles / files:>9.0f}"
            f" {res.articles / bound:>9.0f}"
            f" {total:>9.1f} {res.articles / total:>9.0f} {again:>9.2f} {rss:>9.0f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
