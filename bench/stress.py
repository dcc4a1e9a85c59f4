"""Hostile inputs too large for the test suite (issue 19): each case is generated, then read by a fresh
`diemtin` process whose peak memory (max RSS) and CPU time are printed with what diemtin said of it.

    .venv/bin/python bench/stress.py              # every case (about 2 minutes of CPU, 2 GB of disk at most)
    .venv/bin/python bench/stress.py --only warc_bomb huge_event

The goal (docs/robustness.md): every single input is read or skipped with its reason, within 1.5 GB.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
LIMIT_MB = 1536

PARA = (
    "Ngày 20/10/2020, các tỉnh miền Trung tiếp tục huy động lực lượng khắc phục hậu quả đợt mưa lũ lịch sử, "
    "Ban Chỉ đạo Trung ương về phòng chống thiên tai cho biết trong cuộc họp sáng nay tại Hà Nội."
)
GOOD = "Miền Trung khắc phục hậu quả mưa lũ\n" + "\n".join([PARA] * 5) + "\n"


WORDS = (
    "bão lũ miền Trung người dân chính quyền hỗ trợ khẩn cấp gạo nước sạch thiệt hại nhà cửa đường sá "
    "sạt lở tỉnh huyện xã lực lượng cứu hộ quân đội công an y tế trường học điện lưới"
)


def _sentences(n_chars: int, seed: int = 0) -> str:
    """Varied Vietnamese sentences, one paragraph per 5, about ``n_chars`` long (not one repeated line:
    the summarizer must see many distinct sentences)."""
    words = WORDS.split()
    out, size, i = [], 0, seed
    while size < n_chars:
        i += 1
        s = " ".join(words[(i * 7 + k * 13) % len(words)] for k in range(14)).capitalize() + f" số {i}."
        out.append(s + ("\n" if i % 5 == 0 else " "))
        size += len(s) + 1
    return "".join(out)


def _warc_header(url: str, length: int) -> bytes:
    return (
        f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {url}\r\nWARC-Record-ID: <urn:x:{url}>\r\n"
        f"Content-Type: application/http; msgtype=response\r\nContent-Length: {length}\r\n\r\n"
    ).encode()


def case_txt_2mb(d: Path) -> list[str]:
    """2 MB of text in one .txt article (was 7.7 GB: the summarizer's square of 30,000 sentences)."""
    (d / "long.txt").write_text("Một bài rất dài\n" + _sentences(2_000_000), encoding="utf-8")
    (d / "good.txt").write_text(GOOD, encoding="utf-8")
    return ["digest", str(d), "-o", str(d / "out"), "-q"]


def case_jsonl_60mb(d: Path) -> list[str]:
    """One 60 MB JSON Lines record beside a good one (passed the .txt line guard and hung the run)."""
    with (d / "big.jsonl").open("w", encoding="utf-8") as f:
        f.write(json.dumps({"id": "big", "text": _sentences(200_000) * 220}, ensure_ascii=False) + "\n")
        f.write(json.dumps({"id": "ok", "text": GOOD}, ensure_ascii=False) + "\n")
    return ["digest", str(d), "-o", str(d / "out"), "-q"]


def case_warc_bomb(d: Path) -> list[str]:
    """A .warc.gz of 2 GiB of zeros (2 MB compressed; was 4.25 GB, then MemoryError)."""
    with gzip.open(d / "bomb.warc.gz", "wb", compresslevel=9) as g:
        block = b"\0" * (1 << 24)
        for _ in range(128):
            g.write(block)
    (d / "good.txt").write_text(GOOD, encoding="utf-8")
    return ["digest", str(d), "-o", str(d / "out"), "-q"]


def case_warc_payload(d: Path) -> list[str]:
    """A WARC record with a 900 MiB payload (read whole before being skipped), then a good page."""
    html = (
        "<html><head><title>Mưa lũ</title></head><body><article><h1>Mưa lũ</h1>"
        f"<p>{PARA}</p><p>{PARA}</p></article></body></html>"
    ).encode()
    size = 900 << 20
    http_big = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
    http_ok = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html
    with gzip.open(d / "big.warc.gz", "wb", compresslevel=1) as g:
        g.write(_warc_header("https://x.vn/big", len(http_big) + size) + http_big)
        chunk = (b"<p>" + b"a" * 1000 + b"</p>\n") * 1000
        left = size
        while left > 0:
            g.write(chunk[: min(left, len(chunk))])
            left -= len(chunk)
        g.write(b"\r\n\r\n")
        g.write(_warc_header("https://x.vn/ok", len(http_ok)) + http_ok + b"\r\n\r\n")
    return ["digest", str(d), "-o", str(d / "out"), "-q"]


def case_huge_event(d: Path) -> list[str]:
    """Six 450,000-character reports of one happening (just under the article limit): one event
    whose sentences the summarizer would square."""
    for i in range(6):
        (d / f"r{i}.txt").write_text("Mưa lũ miền Trung\n" + _sentences(450_000, seed=i), encoding="utf-8")
    return ["digest", str(d), "-o", str(d / "out"), "-q"]


def case_html_20mb(d: Path) -> list[str]:
    """An HTML page of 19 MB (just under the 20 M character parse limit)."""
    body = "".join(f"<div><p>{PARA} {i}</p></div>\n" for i in range(90_000))
    (d / "big.html").write_text(
        f"<html><head><title>Trang lớn</title></head><body>{body}</body></html>", encoding="utf-8"
    )
    return ["digest", str(d), "-o", str(d / "out"), "-q"]


def case_prefix_flood(d: Path) -> list[str]:
    """32 one-letter prefixes (`a* b* c* ...`) against a 1,000-article store (was 1.6 s a query)."""
    for i in range(1000):
        (d / f"a{i:04d}.txt").write_text(f"Tin số {i}\n" + _sentences(1500, seed=i), encoding="utf-8")
    db = d / "s.db"
    subprocess.run(
        [str(BIN / "diemtin"), "ingest", str(d), "--db", str(db), "-q"], check=True, capture_output=True
    )
    q = " ".join(f"{c}*" for c in "abcdeghiklmnopqrstuvxyabcdeghikl")
    code = (
        "import time, sys; from diemtin import store, search\n"
        f"c = store.connect({str(db)!r}, readonly=True)\n"
        "for what, least, most in (('before (every prefix kept)', 1, 99), ('now', search.MIN_PREFIX_CHARS,"
        " search.MAX_PREFIXES)):\n"
        "    search.MIN_PREFIX_CHARS, search.MAX_PREFIXES = least, most\n"
        "    t = time.process_time()\n"
        f"    for _ in range(5): r = search.search(c, {q!r})\n"
        "    ms = (time.process_time() - t) / 5 * 1000\n"
        "    print(f'{what}: {ms:.0f} ms CPU a query, {r.total} hits', file=sys.stderr)\n"
    )
    return ["python", "-c", code]


CASES: dict[str, Callable[[Path], list[str]]] = {
    "txt_2mb": case_txt_2mb,
    "jsonl_60mb": case_jsonl_60mb,
    "warc_bomb": case_warc_bomb,
    "warc_payload": case_warc_payload,
    "huge_event": case_huge_event,
    "html_20mb": case_html_20mb,
    "prefix_flood": case_prefix_flood,
}


def _prepare(name: str, d: Path) -> list[str]:
    """The case's inputs, made in a child process: a child's peak RSS (Linux keeps it across exec)
    starts at its parent's size when it forks, so this process must stay small."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(1) as pool:
        return pool.apply(CASES[name], (d,))


def run(name: str, tmp: Path) -> tuple[float, float, float, int, str]:
    d = tmp / name
    d.mkdir(parents=True)
    args = _prepare(name, d)
    cmd = [sys.executable, *args[1:]] if args[0] == "python" else [str(BIN / "diemtin"), *args]
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert p.stderr is not None
    err = p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t0
    shutil.rmtree(d, ignore_errors=True)
    said = " | ".join(ln.strip() for ln in err.splitlines() if ln.strip())
    return usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime, wall, p.returncode, said


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", nargs="*", choices=sorted(CASES), help="run only these cases")
    ap.add_argument("--tmp", type=Path, default=None, help="folder for the generated inputs")
    a = ap.parse_args()
    names = a.only or list(CASES)
    tmp = Path(tempfile.mkdtemp(prefix="diemtin-stress-", dir=a.tmp))
    worst = 0.0
    try:
        print(f"{'case':14} {'peak MB':>8} {'CPU s':>7} {'wall s':>7} {'exit':>4}  what diemtin said")
        for name in names:
            peak, cpu, wall, rc, said = run(name, tmp)
            worst = max(worst, peak)
            print(f"{name:14} {peak:8.0f} {cpu:7.1f} {wall:7.1f} {rc:4d}  {said[:300]}", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"worst peak {worst:.0f} MB (limit {LIMIT_MB} MB): {'ok' if worst <= LIMIT_MB else 'OVER'}")
    return 0 if worst <= LIMIT_MB else 1


if __name__ == "__main__":
    sys.exit(main())
