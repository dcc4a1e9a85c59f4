"""Incremental ingest: what adding a few files to a large store costs, against a full rebuild of the same
files, and whether both give the same store. Prints numbers; not a test.

    .venv/bin/python bench/ingest_incr.py 10000 --add 100     # corpus from bench/gen_corpus.py (bench/out/)
    .venv/bin/python bench/ingest_incr.py 10000 --add 100 --keep /tmp/ii   # keep the stores for reruns

Three `diemtin ingest` runs, each a fresh process measured alone (CPU s of user + system and peak RSS, from
``os.wait4``, what ``/usr/bin/time -v`` reports):

1. ``base``: the corpus minus its last ``--add`` files into a new store (a whole digest of them);
2. ``add``: a copy of that store, then the last ``--add`` files (the incremental step);
3. ``full``: every file into a new store (the whole call a fresh store pays; ``art/s`` is the issue's
   "ingest ≥ 500 articles/s at 10k").

Then the derived tables of ``add`` and ``full`` are compared (``store.dump``): events, stories, summaries,
duplicates must be the same rows. With ``--keep DIR`` the base store is kept and reused by a rerun (the
``base`` line is then skipped).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale import corpus  # bench/ is not a package: import its sibling by path

from diemtin import ingest, store

DIEMTIN = Path(sys.executable).with_name("diemtin")


def run_ingest(db: Path, files: list[str]) -> tuple[float, float, float]:
    """``diemtin ingest FILES --db DB`` in a fresh process: (wall s, CPU s, peak RSS MB)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lst", delete=False) as lst:
        lst.write("\n".join(files))
    # The paths go in a list file, not on the command line (100k paths would pass ARG_MAX).
    code = (
        "import sys; from diemtin import store; "
        "paths = open(sys.argv[2]).read().split('\\n'); "
        "r = store.ingest(sys.argv[1], paths); "
        "print(r.articles, r.events, r.stories, len(r.added), r.derived)"
    )
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(db), lst.name], stdout=subprocess.PIPE, text=True
    )
    _, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    out = proc.stdout.read() if proc.stdout else ""
    os.unlink(lst.name)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"ingest into {db} failed ({status})")
    print(f"    {db.name}: articles events stories added derived = {out.strip()}", flush=True)
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024


def derived(db: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(db)
    try:
        d = store.dump(conn)
    finally:
        conn.close()
    return {k: v for k, v in d.items() if k in store.DERIVED_TABLES}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("size", type=int)
    ap.add_argument("--add", type=int, default=100, help="files added to the store of the others")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--keep", type=Path, help="folder for the stores (the base store is reused)")
    ap.add_argument("--no-full", action="store_true", help="skip the full rebuild and the comparison")
    args = ap.parse_args()
    root = corpus(args.size, args.seed)
    files = sorted(str(p.absolute()) for p in ingest.discover([str(root)]) if isinstance(p, Path))
    if len(files) <= args.add:
        sys.exit(f"{root}: {len(files)} files, not more than --add {args.add}")
    base_files, new_files = files[: -args.add], files[-args.add :]
    work = args.keep or Path(tempfile.mkdtemp(prefix="ingest-incr-"))
    work.mkdir(parents=True, exist_ok=True)
    base, add, full = work / "base.db", work / "add.db", work / "full.db"
    print(f"{'run':>6} {'files':>6} {'wall s':>8} {'cpu s':>8} {'RSS MB':>8} {'art/s':>8}", flush=True)

    def line(name: str, n: int, m: tuple[float, float, float]) -> None:
        wall, cpu, rss = m
        print(f"{name:>6} {n:>6} {wall:>8.1f} {cpu:>8.1f} {rss:>8.0f} {n / wall:>8.0f}", flush=True)

    if not base.exists():
        line("base", len(base_files), run_ingest(base, base_files))
    for p in (add, Path(f"{add}-wal"), Path(f"{add}-shm")):
        p.unlink(missing_ok=True)
    shutil.copy(base, add)
    line("add", len(new_files), run_ingest(add, new_files))
    if not args.no_full:
        for p in (full, Path(f"{full}-wal"), Path(f"{full}-shm")):
            p.unlink(missing_ok=True)
        line("full", len(files), run_ingest(full, files))
        a, f = derived(add), derived(full)
        diff = [t for t in store.DERIVED_TABLES if a[t] != f[t]]
        print("derived tables of add and full:", "identical" if not diff else f"DIFFER in {diff}", flush=True)
    if args.keep is None:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
