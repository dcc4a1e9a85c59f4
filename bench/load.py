"""Load benchmark of the web UI and API on loopback: a store of 10,000+ articles, 50 concurrent clients.

Articles are made by recombining real sentences of ../shared/data/vmds-dev (fixed seed, so every run
builds the same store); the server is ``diemtin serve`` in a subprocess on 127.0.0.1. The request loop
is bounded in count (--requests) and time (--max-seconds) and stops by itself.

    .venv/bin/python bench/load.py                       # 10,000 articles, 50 clients, 5,000 requests
    .venv/bin/python bench/load.py --articles 2000 --requests 1000   # quicker
    .venv/bin/python bench/load.py --db /tmp/lb/10k.db --workers 2 --client wrk   # wrk as the client
    .venv/bin/python bench/load.py --db /tmp/lb/10k.db --cache-mb 0              # no response cache
    .venv/bin/python bench/load.py --db /tmp/lb/10k.db --search-cpu   # CPU per search, no server

Clients: ``httpx`` (default; asyncio in this process, per-kind numbers; its own CPU, several ms a
request, competes with the server on a small machine) or ``wrk`` (Debian's ``apt-get install wrk``: C,
little CPU; one pass over the whole mix, then one over its searches only). "srv cpu" is the server's
CPU per request (all its processes): on a shared machine the honest number, since latency there also
measures everyone else's work; "load" is the machine's 1-minute load average at the end of the pass
(2 cores: above 2, the server waits for CPU behind other processes).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psutil

from diemtin import pipeline, store
from diemtin.text import fold_diacritics, split_sentences

ROOT = Path(__file__).resolve().parents[1]
VMDS = ROOT.parent / "shared" / "data" / "vmds-dev"
OUTLETS = ["VOV.VN", "TTXVN", "Tuổi Trẻ", "Thanh Niên", "VnExpress", "Dân trí", "Nhân Dân", "VietnamPlus"]


def real_sentences() -> list[str]:
    sents: list[str] = []
    for body in sorted(VMDS.glob("cluster_*/*.body.txt")):
        for s in split_sentences(body.read_text(encoding="utf-8")):
            if 8 <= len(s.split()) <= 60:
                sents.append(s)
    if not sents:
        sys.exit(f"no sentences found under {VMDS} (the benchmark needs ../shared/data/vmds-dev)")
    return sents


def make_corpus(path: Path, n: int, seed: int) -> list[str]:
    """Write ``n`` JSONL articles of recombined real sentences; returns the sentences (for queries)."""
    rng = random.Random(seed)
    sents = real_sentences()
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            body = rng.sample(sents, rng.randint(4, 12))
            words = body[0].split()
            title = " ".join(words[: rng.randint(8, 14)]).rstrip(",.;:")
            day = f"{rng.randint(2016, 2023)}-{rng.randint(1, 12):02}-{rng.randint(1, 28):02}"
            rec = {"id": f"a{i:05}", "title": title, "text": "\n".join(body), "source": rng.choice(OUTLETS),
                   "published": day}  # fmt: skip
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return sents


def queries(sents: list[str], rng: random.Random, k: int = 300) -> list[str]:
    """Realistic queries: 1-3 consecutive syllables of real sentences, half of them typed without accents."""
    out = []
    for _ in range(k):
        words = [w.strip(',.;:()"“”') for w in rng.choice(sents).split()]
        words = [w for w in words if w]
        start = rng.randrange(max(1, len(words) - 3))
        q = " ".join(words[start : start + rng.randint(1, 3)])
        out.append(fold_diacritics(q).lower() if rng.random() < 0.5 else q)
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def run_load(
    base: str, urls: list[tuple[str, str]], clients: int, max_seconds: float
) -> dict[str, object]:
    """``clients`` workers take URLs from a shared list until it is empty or time is up."""
    lat: dict[str, list[float]] = {}
    errors: list[str] = []
    it = iter(urls)
    deadline = time.monotonic() + max_seconds

    async def worker(client: httpx.AsyncClient) -> None:
        for kind, url in it:
            if time.monotonic() > deadline:
                return
            t0 = time.perf_counter()
            try:
                r = await client.get(url)
                ok = r.status_code == 200
            except httpx.HTTPError as exc:
                ok, r = False, None
                errors.append(f"{url}: {exc!r}")
            dt = (time.perf_counter() - t0) * 1000
            if not ok and r is not None:
                errors.append(f"{url}: HTTP {r.status_code}")
            lat.setdefault(kind, []).append(dt)

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    t0 = time.perf_counter()
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        await asyncio.gather(*(worker(client) for _ in range(clients)))
    wall = time.perf_counter() - t0
    return {"wall": wall, "lat": lat, "errors": errors}


WRK_SCRIPT = """
-- One pass over the URL list (as the httpx client does): thread t sends URLs t, t+T, t+2T, ... and,
-- once it has its share of answers, stops and leaves a marker file (wrk itself only stops on -d or
-- SIGINT; the caller sends SIGINT when every thread is done).
local urls = {}
for line in io.lines(os.getenv("DIEMTIN_URLS")) do urls[#urls + 1] = line end
local T = tonumber(os.getenv("DIEMTIN_WRK_THREADS"))
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args)
  sent, got = 0, 0
  share = math.floor((#urls - id + T - 1) / T)
end
function request()
  local i = id + sent * T
  sent = sent + 1
  return wrk.format("GET", urls[(i % #urls) + 1])
end
function response(status, headers, body)
  got = got + 1
  if got == share then
    local f = io.open(os.getenv("DIEMTIN_DONE") .. id, "w")
    f:close()
    wrk.thread:stop()
  end
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK %d %d %d %.3f %.3f %.3f %.3f\\n", summary.requests,
    e.connect + e.read + e.write + e.status + e.timeout, summary.duration,
    latency:percentile(50), latency:percentile(99), latency.mean, latency.max))
end
"""


def server_cpu(pid: int) -> float:
    """CPU seconds used so far by the server and its live worker processes."""
    procs = [psutil.Process(pid)]
    procs += procs[0].children(recursive=True)
    total = 0.0
    for p in procs:
        try:
            t = p.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += t.user + t.system
    return total


def run_wrk(
    base: str, urls: list[tuple[str, str]], clients: int, seconds: float, server: int, threads: int = 2
) -> None:
    """wrk, one pass over the whole mix, then one over its searches only (``clients`` connections)."""
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "urls.lua"
        script.write_text(WRK_SCRIPT, encoding="utf-8")
        head = ["n", "req/s", "p50 ms", "p99 ms", "mean ms", "max ms", "errors", "srv cpu", "load"]
        print(f"{'wrk pass':11} " + " ".join(f"{h:>8}" for h in head))
        # The first pass starts with an empty response cache; the second (searches only) finds the
        # searches of the first pass cached, as a server that has been up a while would.
        for kind, keep in (("all/cold", None), ("search/warm", ("search", "api_search"))):
            listing = Path(tmp) / f"{kind.replace('/', '-')}.txt"
            listing.write_text("\n".join(u for k, u in urls if keep is None or k in keep) + "\n")
            cmd = ["wrk", f"-t{threads}", f"-c{clients}", f"-d{seconds:g}s", "--timeout", "10s", "-s",
                   str(script), base]  # fmt: skip
            done = Path(tmp) / f"{kind.replace('/', '-')}-done-"
            env = {**os.environ, "DIEMTIN_URLS": str(listing), "DIEMTIN_WRK_THREADS": str(threads),
                   "DIEMTIN_DONE": str(done)}  # fmt: skip
            t0, c0 = time.perf_counter(), server_cpu(server)
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
            while proc.poll() is None and not all(Path(f"{done}{t}").exists() for t in range(threads)):
                time.sleep(0.01)
            wall = time.perf_counter() - t0  # wrk's own duration also counts its wait for SIGINT
            cpu_ms = (server_cpu(server) - c0) * 1000
            proc.send_signal(signal.SIGINT)
            stdout, stderr = proc.communicate()
            line = next((x for x in stdout.splitlines() if x.startswith("WRK ")), None)
            if line is None:
                sys.exit(f"wrk failed: {stdout}{stderr}")
            n, errs, _, p50, p99, mean, mx = (float(x) for x in line.split()[1:])
            print(f"{kind:11} {n:8.0f} {n / wall:8.0f} {p50 / 1000:8.1f} {p99 / 1000:8.1f}"
                  f" {mean / 1000:8.1f} {mx / 1000:8.1f} {errs:8.0f}"
                  f" {cpu_ms / max(n, 1):8.2f} {os.getloadavg()[0]:8.1f}")  # fmt: skip


def search_cpu(db: Path, qs: list[str]) -> None:
    """CPU per ``search.search`` (first page of 20, snippets included) over the benchmark's queries,
    ranked by FTS5 (the CLI) and by the in-memory index (the server), and the index's build cost."""
    from diemtin import search

    conn = store.connect(db, readonly=True)
    rss0, t0 = psutil.Process().memory_info().rss, time.process_time()
    index = search.SearchIndex.build(conn)
    build, rss = time.process_time() - t0, psutil.Process().memory_info().rss - rss0
    print(f"index: {len(index)} articles, built in {build:.2f} s of CPU, +{rss / 2**20:.0f} MiB RSS;"
          f" load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    for name, ix in (("fts5", None), ("index", index)):
        for q in qs[:30]:  # warm the page cache
            search.search(conn, q, index=ix)
        runs = []
        for _ in range(3):
            t0 = time.process_time()
            total = sum(search.search(conn, q, index=ix).total for q in qs)
            runs.append((time.process_time() - t0) / len(qs) * 1000)
        print(f"{name:6} {len(qs)} queries, {total / len(qs):.0f} matches each on average:"
              f" {min(runs):.2f} ms CPU a search (best of 3 runs; {max(runs):.2f} worst)")  # fmt: skip
        # The spread over queries (a heavy tail would show here, not in the mean): each query's best of 3.
        per = []
        for q in qs:
            best = math.inf
            for _ in range(3):
                t0 = time.process_time()
                search.search(conn, q, index=ix)
                best = min(best, time.process_time() - t0)
            per.append((best * 1000, q))
        per.sort()
        ms = [x for x, _ in per]
        slow = ", ".join(f"{q!r} {x:.2f}" for x, q in per[-3:])
        print(f"{'':6} per query: p50 {pct(ms, 50):.2f} p90 {pct(ms, 90):.2f} p99 {pct(ms, 99):.2f}"
              f" max {ms[-1]:.2f} ms; slowest: {slow}")  # fmt: skip
    conn.close()


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(p / 100 * (len(xs) - 1)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--requests", type=int, default=5_000)
    ap.add_argument("--max-seconds", type=float, default=300.0, help="stop the request loop after this")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument(
        "--derive-sample", type=int, default=0, help="events/stories from the first N articles only"
    )
    ap.add_argument("--db", type=Path, help="reuse/keep the store here (default: a temporary folder)")
    ap.add_argument("--workers", type=int, default=1, help="diemtin serve --workers")
    ap.add_argument("--cache-mb", type=float, default=64, help="diemtin serve --cache-mb (0: no cache)")
    ap.add_argument("--client", choices=["httpx", "wrk"], default="httpx")
    ap.add_argument(
        "--search-cpu",
        action="store_true",
        help="no server: CPU per search.search() call over the queries, FTS5 ranking vs the index",
    )
    args = ap.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="diemtin-load-")
    db = args.db or Path(tmp.name) / "load.db"
    rng = random.Random(args.seed)
    # Next to a kept store, so that a second run finds the same input unchanged and reuses the store.
    corpus = (db.parent if args.db else Path(tmp.name)) / f"load-corpus-{args.articles}-{args.seed}.jsonl"
    t0 = time.perf_counter()
    sents = make_corpus(corpus, args.articles, args.seed)
    if args.derive_sample:
        # Articles for all, events/stories from the first N only: the corpus stages over 10,000 articles
        # can take longer than a benchmark should wait, and the web pages only need some events. The
        # store stays marked dirty (derived tables lag behind), as it honestly does.
        conn = store.connect(db)
        h = store.file_hash(corpus)
        row = conn.execute("SELECT hash FROM inputs WHERE path = ?", (str(corpus.absolute()),)).fetchone()
        if row is None or row[0] != h:
            store.ingest_file(conn, corpus.absolute(), h, store.IngestResult())
            derived = pipeline.build_digest(store.load_articles(conn)[: args.derive_sample])
            conn.execute("BEGIN IMMEDIATE")
            for table in store.DERIVED_TABLES:
                conn.execute(f"DELETE FROM {table}")
            store.write_derived(conn, derived)
            conn.execute("COMMIT")
        n_art, n_ev, n_st = conn.execute(
            "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM events),"
            " (SELECT count(*) FROM stories)"
        ).fetchone()
        conn.close()
    else:
        result = store.ingest(db, [str(corpus)])
        n_art, n_ev, n_st = result.articles, result.events, result.stories
    print(f"store: {n_art} articles, {n_ev} events, {n_st} stories "
          f"(built in {time.perf_counter() - t0:.1f} s) → {db}")  # fmt: skip

    conn = store.connect(db, readonly=True)
    art_ids = [r[0] for r in conn.execute("SELECT id FROM articles")]
    ev_ids = [r[0] for r in conn.execute("SELECT id FROM events")] or ["none"]
    st_ids = [r[0] for r in conn.execute("SELECT id FROM stories")] or ["none"]
    conn.close()
    qs = queries(sents, rng)
    if args.search_cpu:
        search_cpu(db, qs)
        return
    urls: list[tuple[str, str]] = []
    for _ in range(args.requests):
        x = rng.random()
        if x < 0.5:
            urls.append(("search", "/search?" + httpx.QueryParams({"q": rng.choice(qs)}).__str__()))
        elif x < 0.6:
            urls.append(("api_search", "/api/search?" + httpx.QueryParams({"q": rng.choice(qs)}).__str__()))
        elif x < 0.8:
            urls.append(("article", f"/article/{rng.choice(art_ids)}"))
        elif x < 0.9:
            urls.append(("event", f"/event/{rng.choice(ev_ids)}"))
        elif x < 0.95:
            urls.append(("story", f"/story/{rng.choice(st_ids)}"))
        else:
            urls.append(("home", "/"))

    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "diemtin",
        "serve",
        "--db",
        str(db),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(args.workers),
        "--cache-mb",
        str(args.cache_mb),
    ]
    server = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(base + "/api/openapi.json", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            sys.exit("server did not start")
        # With --workers N the first answer comes from one process while the others may still be
        # importing; requests queued for those would count seconds of start-up as latency. Wait until
        # the server's processes are idle (start-up done).
        for _ in range(120):
            c1 = server_cpu(server.pid)
            time.sleep(0.5)
            if server_cpu(server.pid) - c1 < 0.02:
                break
        distinct = len({u for _, u in urls})
        print(f"server: {args.workers} worker(s), cache {args.cache_mb:g} MiB; {distinct} distinct URLs"
              f" in {len(urls)} requests; client {args.client}")  # fmt: skip
        if args.client == "wrk":
            run_wrk(base, urls, args.clients, args.max_seconds, server.pid)
            return
        c0 = server_cpu(server.pid)
        out = asyncio.run(run_load(base, urls, args.clients, args.max_seconds))
        srv_ms = (server_cpu(server.pid) - c0) * 1000
    finally:
        server.terminate()
        server.wait(timeout=10)
    lat: dict[str, list[float]] = out["lat"]  # type: ignore[assignment]
    errors: list[str] = out["errors"]  # type: ignore[assignment]
    wall: float = out["wall"]  # type: ignore[assignment]
    done = sum(len(v) for v in lat.values())
    rate = done / wall
    print(f"{done} requests, {args.clients} clients, {wall:.1f} s → {rate:.0f} req/s, {len(errors)} errors;"
          f" server CPU {srv_ms / max(done, 1):.2f} ms a request;"
          f" load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    print(f"{'kind':11} {'n':>5} {'p50 ms':>8} {'p99 ms':>8} {'mean ms':>8}")
    for kind in sorted(lat):
        xs = lat[kind]
        print(f"{kind:11} {len(xs):5} {pct(xs, 50):8.1f} {pct(xs, 99):8.1f} {statistics.fmean(xs):8.1f}")
    every = [x for xs in lat.values() for x in xs]
    p50, p99, mean = pct(every, 50), pct(every, 99), statistics.fmean(every)
    print(f"{'all':11} {len(every):5} {p50:8.1f} {p99:8.1f} {mean:8.1f}")
    for e in errors[:5]:
        print("error:", e)
    tmp.cleanup()


if __name__ == "__main__":
    main()
