"""End-to-end `digest` throughput and peak RSS at growing corpus sizes, beside the floor (reading the same
files and splitting them into syllables with a regex) and a peer (a plain datasketch MinHash-LSH pass over
the same files, measured in the same run: `× MH` is digest CPU over its CPU). Prints numbers; not a test.

    .venv/bin/python bench/scale.py 1000 10000            # generates bench/out/corpus-<n> when missing
    .venv/bin/python bench/scale.py 1000 10000 --executor processes   # both cores (-j / --workers N)
    .venv/bin/python bench/scale.py 1000 --executor dask  # LocalCluster (or --scheduler ADDRESS)
    .venv/bin/python bench/scale.py 1000 --batched 500    # executors.run_batched, checkpoints in /tmp
    .venv/bin/python bench/scale.py 1000 --profile        # pyinstrument report → bench/out/profile-<n>.txt

Each measurement runs in a fresh subprocess so that peak RSS (ru_maxrss) is that run's alone; with worker
processes, RSS and CPU are sampled every 0.2 s over the run's whole process tree (peak of the sum).
Targets (2-core machine, issue 18): 10k articles ≤ 3× the MinHash peer's CPU; 100k ≤ 250 s CPU and ≤ 2 GB;
10× articles → ≤ 11× CPU.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
SYLLABLE = re.compile(r"\w+")


def corpus(n: int, seed: int) -> Path:
    path = OUT / f"corpus-{n // 1000}k" if n % 1000 == 0 else OUT / f"corpus-{n}"
    if not path.is_dir():
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench" / "gen_corpus.py"),
                str(n),
                "-o",
                str(path),
                "--seed",
                str(seed),
            ],
            check=True,
        )
    return path


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _cpu() -> float:
    """CPU seconds of this process: on a shared machine wall time also counts other people's work."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def child_floor(path: Path) -> dict[str, float]:
    t0 = time.perf_counter()
    n = syl = 0
    for f in sorted(path.rglob("*.txt")):
        syl += len(SYLLABLE.findall(f.read_text(encoding="utf-8")))
        n += 1
    return {"seconds": time.perf_counter() - t0, "articles": n, "syllables": syl, "rss_mb": _rss_mb()}


def child_minhash(path: Path) -> dict[str, float]:
    """The peer floor: a plain datasketch MinHash-LSH near-duplicate pass over the same files (read,
    lower-cased regex syllables, 4-syllable shingles, 128 permutations, insert + query at 0.5), the
    job a crawl's dedup tool does alone. diemtin's digest is measured against its CPU seconds."""
    from datasketch import MinHash, MinHashLSH

    c0 = _cpu()
    t0 = time.perf_counter()
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    base = MinHash(num_perm=128, seed=1)
    pairs = n = 0
    for f in sorted(path.rglob("*.txt")):
        syl = SYLLABLE.findall(f.read_text(encoding="utf-8").lower())
        shingles = {" ".join(syl[i : i + 4]).encode("utf-8") for i in range(max(len(syl) - 3, 0))}
        if not shingles:
            continue
        mh = base.copy()
        mh.update_batch(list(shingles))
        pairs += len(lsh.query(mh))
        lsh.insert(str(n), mh)
        n += 1
    return {"seconds": time.perf_counter() - t0, "cpu_seconds": _cpu() - c0, "articles": n, "pairs": pairs,
            "rss_mb": _rss_mb()}


class TreeWatch:
    """Peak RSS of this process and its descendants together, and the descendants' CPU seconds
    (worker processes are not waited-for children, so ``RUSAGE_CHILDREN`` would miss them)."""

    def __init__(self, every: float = 0.2) -> None:
        self.peak_mb = 0.0
        self.cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(every,), daemon=True)
        self._thread.start()

    def _run(self, every: float) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            self.sample(me)
            self._stop.wait(every)

    def sample(self, me: psutil.Process) -> None:
        total = me.memory_info().rss
        for child in me.children(recursive=True):
            try:
                total += child.memory_info().rss
                t = child.cpu_times()
                self.cpu[child.pid] = t.user + t.system
            except psutil.Error:
                continue  # it ended between the listing and the sample
        self.peak_mb = max(self.peak_mb, total / 2**20)

    def stop(self) -> None:
        self.sample(psutil.Process())
        self._stop.set()
        self._thread.join()


def child_digest(path: Path, args: argparse.Namespace) -> dict[str, float]:
    from diemtin import api, executors, pipeline

    ex = executors.make_executor(args.executor, args.scheduler, args.workers)
    watch = TreeWatch()
    t0 = time.perf_counter()
    stages: dict[str, float] = {}
    last = [_cpu()]

    def progress(stage: str, done: int, total: int) -> None:
        # CPU seconds of this process from the previous stage's end to this one's (workers' CPU is not
        # in these; it is in the run's total): on a shared machine wall time mostly measures the neighbours.
        if done == total:
            now = _cpu()
            stages[stage] = stages.get(stage, 0.0) + now - last[0]
            last[0] = now

    opts = pipeline.Options(executor=ex, progress=progress)
    profiler = None
    if args.profile:
        from pyinstrument import Profiler

        profiler = Profiler()
        profiler.start()
    try:
        if args.batched:
            with tempfile.TemporaryDirectory() as run_dir:
                result = executors.run_batched([str(path)], opts, batch_size=args.batched, run_dir=run_dir)
        else:
            result = pipeline.run([str(path)], opts)
        with tempfile.TemporaryDirectory() as out_dir:
            api.write_reports(result, out_dir)
        watch.stop()  # before the workers exit: their CPU is read from the live processes
    finally:
        executors.close_executor(ex)
    seconds = time.perf_counter() - t0
    if profiler is not None:
        profiler.stop()
        OUT.mkdir(parents=True, exist_ok=True)
        prof = OUT / f"profile-{len(result.articles)}.txt"
        prof.write_text(profiler.output_text(unicode=True, color=False, show_all=False))
        print(f"profile → {prof}", file=sys.stderr)
    syl = sum(len(SYLLABLE.findall(a.title + "\n" + a.text)) for a in result.articles)
    return {
        "seconds": seconds,
        "articles": len(result.articles),
        "syllables": syl,
        "events": len(result.events),
        "duplicates": sum(len(g.duplicates) for g in result.duplicates),
        "rss_mb": max(_rss_mb(), watch.peak_mb),
        "cpu_seconds": _cpu() + sum(watch.cpu.values()),
        "driver_cpu_seconds": _cpu(),
        **{f"stage_{k}": v for k, v in stages.items()},
    }


def measure(mode: str, path: Path, args: argparse.Namespace) -> dict[str, float]:
    cmd = [sys.executable, __file__, "--child", mode, "--path", str(path), "--executor", args.executor]
    if args.workers:
        cmd += ["--workers", str(args.workers)]
    if args.scheduler:
        cmd += ["--scheduler", args.scheduler]
    if args.batched:
        cmd += ["--batched", str(args.batched)]
    if args.profile and mode == "digest":
        cmd.append("--profile")
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    got: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return got


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--executor", default="inprocess", help="inprocess | processes | dask")
    ap.add_argument("--workers", "-j", type=int, default=None, help="worker processes (default: cores)")
    ap.add_argument("--scheduler", default=None, help="Dask scheduler address (else a LocalCluster)")
    ap.add_argument("--batched", type=int, default=0, help="run_batched with this many files a batch")
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--child", choices=["floor", "minhash", "digest"], help=argparse.SUPPRESS)
    ap.add_argument("--path", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child = {"floor": child_floor, "minhash": child_minhash}.get(args.child)
        res = child(args.path) if child else child_digest(args.path, args)
        print(json.dumps(res))
        return
    how = args.executor + (f" @{args.scheduler}" if args.scheduler else "")
    how += f", batched {args.batched}" if args.batched else ""
    print(f"digest ({how}) vs floor (read + regex syllables) and peer (datasketch MinHash-LSH; × MH: CPU)")
    print(
        f"{'articles':>9} {'events':>7} {'seconds':>8} {'cpu s':>7} {'art/s':>7} {'syl/s':>9} {'RSS MB':>7} "
        f"{'floor s':>8} {'× floor':>8} {'MH cpu':>7} {'× MH':>5} {'×/10× w/cpu':>12}  stages (driver cpu s)"
    )
    prev: tuple[int, float, float] | None = None
    for n in args.sizes:
        path = corpus(n, args.seed)
        floor = measure("floor", path, args)
        peer = measure("minhash", path, args)
        run = measure("digest", path, args)
        s = run["seconds"]
        growth = ""
        if prev is not None:
            # Time factor per 10× articles: (t2 / t1) ** (1 / log10(n2 / n1)); 10.0 is linear. Wall, then
            # CPU seconds (the steadier one on a shared machine).
            k = 1 / math.log10(n / prev[0])
            growth = f"{(s / prev[1]) ** k:.1f}/{(run['cpu_seconds'] / prev[2]) ** k:.1f}"
        stages = " ".join(f"{k[6:]}={v:.1f}" for k, v in run.items() if k.startswith("stage_"))
        print(
            f"{int(run['articles']):>9} {int(run['events']):>7} {s:>8.1f} {run['cpu_seconds']:>7.1f} "
            f"{run['articles'] / s:>7.0f} "
            f"{run['syllables'] / s:>9.0f} {run['rss_mb']:>7.0f} {floor['seconds']:>8.2f} "
            f"{s / floor['seconds']:>8.0f} {peer['cpu_seconds']:>7.1f} "
            f"{run['cpu_seconds'] / peer['cpu_seconds']:>5.1f} {growth:>12}  {stages}",
            flush=True,
        )
        prev = (n, s, run["cpu_seconds"])


if __name__ == "__main__":
    main()
