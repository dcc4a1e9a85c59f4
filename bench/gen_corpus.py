"""Build a large, realistic Vietnamese news corpus for scale benchmarks, deterministically from a seed.

Real sentences from ../shared (VietnameseMDS dev bodies, AbMuSu raw texts) are recombined into new dated
articles grouped into events: each event draws from one source cluster's sentences, so its articles share
names and vocabulary as real coverage of one happening does. A fraction of articles are syndicated copies
(another outlet, "Theo TTXVN"-style credit, light edits), and every page carries portal boilerplate: a
timestamp line ("13:52' - 08/12/2021"), "Tin liên quan" blocks with related headlines, follow-us lines.

    .venv/bin/python bench/gen_corpus.py 10000 -o bench/out/corpus-10k [--seed 7] [--jsonl] [--fresh]

``--fresh`` draws new vocabulary for every event: about a third of each event's distinct syllables are
replaced by syllables made up from Vietnamese onsets, rimes and tones (the same replacement across the
event's articles, another one in the next event), so sentences do not recur across events. Without it
the ~900 source clusters' sentences recur at scale, which flatters every per-sentence cache and makes
growth look better than a real crawl's.

Beside the articles, truth.tsv records each article's generated event and topic (source cluster), so
that bench/scale_quality.py can score grouping and stories at scale.

Output is gitignored (bench/out/ or /tmp); never commit it.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
VMDS = SHARED / "data" / "vmds-dev"
ABMUSU = SHARED / "data" / "abmusu-train.jsonl"

# Sentence split on end punctuation followed by a capital (VMDS bodies are one line, tokens spaced).
_SENT = re.compile(r"(?<=[.!?…])\s+(?=[\"“(]?[A-ZÀ-Ỹ0-9])")

OUTLETS = [
    ("VOV.VN", "vov.vn", "Mời quý độc giả theo dõi VOV.VN trên"),
    ("TTXVN", "baotintuc.vn", "Theo dõi Báo Tin tức trên Google News"),
    ("Tuổi Trẻ", "tuoitre.vn", "Xem thêm: Tin nóng trong ngày"),
    ("VnExpress", "vnexpress.net", "Chia sẻ bài viết qua Facebook, Zalo"),
    ("Dân trí", "dantri.com.vn", "Mời quý độc giả theo dõi Dân trí trên Google News"),
    ("Thanh Niên", "thanhnien.vn", "Đọc thêm các tin tức khác trên thanhnien.vn"),
    ("VietNamNet", "vietnamnet.vn", "Bạn đọc có thể gửi ý kiến về bài viết này"),
    ("Nhân Dân", "nhandan.vn", "Theo dõi Nhân Dân trên Zalo, Facebook"),
]
DATE_LEADS = [
    "Ngày {d}/{m}, ",
    "Sáng {d}/{m}, ",
    "Chiều {d}/{m}, ",
    "Tối {d}/{m}/{y}, ",
    "Hôm nay ({d}/{m}), ",
]


@dataclass(slots=True)
class Cluster:
    title: str
    sentences: list[str]


def _clean(s: str) -> str:
    return re.sub(r"\s+", " ", s.replace("_", " ")).strip()


def load_clusters() -> list[Cluster]:
    """Source clusters: one per VMDS cluster and per AbMuSu cluster (sentences of all its documents)."""
    if not VMDS.is_dir() or not ABMUSU.is_file():
        sys.exit(f"error: reference corpora not found under {SHARED}")
    out: list[Cluster] = []
    for cdir in sorted(VMDS.iterdir(), key=lambda p: p.name):
        if not cdir.is_dir():
            continue
        sents: list[str] = []
        title = ""
        for body in sorted(cdir.glob("*.body.txt")):
            sents += [_clean(s) for s in _SENT.split(body.read_text(encoding="utf-8"))]
            info = body.with_name(body.name.replace(".body.", ".info."))
            for line in info.read_text(encoding="utf-8").splitlines():
                if line.startswith("TITLE:") and not title:
                    title = _clean(line[6:])
        out.append(Cluster(title, [s for s in sents if 6 <= len(s.split()) <= 80]))
    with ABMUSU.open(encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            sents = []
            for doc in rec["single_documents"]:
                for para in doc["raw_text"].split("\n"):
                    sents += [_clean(s) for s in _SENT.split(para)]
            title = _clean(rec["single_documents"][0]["title"])
            out.append(Cluster(title, [s for s in sents if 6 <= len(s.split()) <= 80]))
    return [c for c in out if len(c.sentences) >= 8 and c.title]


_ONSETS = ["b", "c", "ch", "d", "đ", "g", "gi", "h", "kh", "l", "m", "n", "ng", "nh", "ph", "qu", "s", "t",
           "th", "tr", "v", "x"]
_RIMES = [
    "a", "ai", "an", "ang", "anh", "ao", "at", "ay", "e", "em", "en", "i",
    "ia", "im", "in", "inh", "o", "oa", "oan", "oi", "om", "on", "ong", "u",
    "ua", "ui", "um", "un", "ung", "uy", "ươ", "ưng", "ên", "ôi",
]
_TONES = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]  # none, huyền, sắc, ngã, hỏi, nặng
_WORD = re.compile(r"\w+")


def _syllable(rng: random.Random) -> str:
    """A made-up but well-formed Vietnamese syllable (NFC), for ``--fresh`` vocabulary."""
    import unicodedata

    rime = rng.choice(_RIMES)
    tone = rng.choice(_TONES)
    if tone:  # on the rime's first vowel: good enough for a benchmark's vocabulary
        rime = rime[0] + tone + rime[1:]
    return unicodedata.normalize("NFC", rng.choice(_ONSETS) + rime)


def _freshen(sentences: list[str], rng: random.Random, share: float = 0.33) -> list[str]:
    """The event's sentences with ``share`` of their distinct syllables replaced consistently."""
    vocab = sorted({w.lower() for s in sentences for w in _WORD.findall(s) if not w.isdigit()})
    mapping = {w: _syllable(rng) for w in vocab if rng.random() < share}

    def swap(m: re.Match[str]) -> str:
        w = m.group(0)
        new = mapping.get(w.lower())
        if new is None:
            return w
        return new.upper() if w.isupper() and len(w) > 1 else new.capitalize() if w[0].isupper() else new

    return [_WORD.sub(swap, s) for s in sentences]


def _timestamp(rng: random.Random, day: date) -> str:
    return f"{rng.randint(6, 22):02d}:{rng.randint(0, 59):02d}' - {day:%d/%m/%Y}"


def _boilerplate_tail(rng: random.Random, follow: str, related: list[str], day: date) -> list[str]:
    tail = [follow, "", "Tin liên quan", ""]
    for h in related:
        tail += [h, _timestamp(rng, day - timedelta(days=rng.randint(0, 30)))]
    return tail


def generate(
    n: int, seed: int, truth: list[tuple[str, int, int]] | None = None, fresh: bool = False
) -> list[dict[str, str]]:
    """``n`` articles as records (id, title, text, source, published, url); deterministic for a seed.
    ``fresh``: new vocabulary for every event (``_freshen``).
    ``truth`` (if given) receives (id, event number, source cluster number) per record: the events the
    generator made, and the topic (source cluster) each event drew from, for grouping benchmarks."""
    rng = random.Random(seed)
    clusters = load_clusters()
    records: list[dict[str, str]] = []
    headlines: list[str] = []
    ev = 0
    while len(records) < n:
        ev += 1
        ci = rng.randrange(len(clusters))
        c = clusters[ci]
        day = date(2014, 1, 1) + timedelta(days=rng.randrange(9 * 365))
        # Events have 1-8 articles, most 1-3 (a long-tailed size distribution, like real news days).
        size = min(8, 1 + int(rng.expovariate(0.7)))
        pool = c.sentences
        ctitle = c.title
        if fresh:
            pool = _freshen([c.title, *pool], rng)
            ctitle, pool = pool[0], pool[1:]
        for k in range(size):
            if len(records) >= n:
                break
            name, domain, follow = OUTLETS[rng.randrange(len(OUTLETS))]
            pub = day + timedelta(days=rng.choice([0, 0, 0, 1, 1, 2]))
            body_n = rng.randint(5, min(18, len(pool)))
            sents = rng.sample(pool, body_n)
            lead = DATE_LEADS[rng.randrange(len(DATE_LEADS))].format(d=day.day, m=day.month, y=day.year)
            sents[0] = lead + sents[0][0].lower() + sents[0][1:]
            title = (
                ctitle
                if k == 0
                else f"{ctitle.rstrip('.')} ({rng.choice(['cập nhật', 'tiếp theo', 'toàn cảnh'])})"
            )
            if k and rng.random() < 0.5:
                title = " ".join(sents[1].split()[:14]).rstrip(",.;:")  # a headline-length cut
            paras = [" ".join(sents[i : i + 3]) for i in range(0, len(sents), 3)]
            related = [headlines[rng.randrange(len(headlines))] for _ in range(3)] if headlines else []
            lines = [_timestamp(rng, pub), "", f"{name} - {paras[0]}", *paras[1:], ""]
            lines += _boilerplate_tail(rng, follow, related, pub)
            rid = f"a{len(records):07d}"
            records.append(_record(rid, title, lines, name, pub, domain))
            if truth is not None:
                truth.append((rid, ev, ci))
            headlines.append(title)
            # Syndicated copy (~20%): another outlet reruns it with a credit and a light edit.
            if len(records) < n and rng.random() < 0.2:
                name2, domain2, follow2 = OUTLETS[rng.randrange(len(OUTLETS))]
                copy = [_timestamp(rng, pub), "", *paras]
                if rng.random() < 0.5:
                    copy[-1] = copy[-1] + " Sự việc đang được tiếp tục theo dõi."
                copy += [f"Theo {name}", "", *_boilerplate_tail(rng, follow2, related[:2], pub)]
                rid2 = f"a{len(records):07d}"
                records.append(_record(rid2, title, copy, name2, pub, domain2))
                if truth is not None:
                    truth.append((rid2, ev, ci))
    return records


def _record(rid: str, title: str, lines: list[str], source: str, pub: date, domain: str) -> dict[str, str]:
    return {
        "id": rid,
        "title": title,
        "text": "\n".join(lines),
        "source": source,
        "published": pub.isoformat(),
        "url": f"https://{domain}/{rid}.html",
    }


def write(records: list[dict[str, str]], out: Path, jsonl: bool) -> None:
    """.txt files as crawlers save them (title line, blank, body), 1000 per subfolder; or one JSONL."""
    out.mkdir(parents=True, exist_ok=True)
    if jsonl:
        with (out / "corpus.jsonl").open("w", encoding="utf-8") as f:
            for r in records:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        return
    for i, r in enumerate(records):
        sub = out / f"{i // 1000:04d}"
        sub.mkdir(exist_ok=True)
        (sub / f"{r['id']}.txt").write_text(f"{r['title']}\n\n{r['text']}\n", encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int, help="number of articles")
    ap.add_argument("-o", "--out", type=Path, required=True, help="output folder (bench/out/... or /tmp)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--jsonl", action="store_true", help="one corpus.jsonl instead of .txt files")
    ap.add_argument("--fresh", action="store_true", help="new vocabulary for every event (honest growth)")
    args = ap.parse_args()
    truth: list[tuple[str, int, int]] = []
    records = generate(args.n, args.seed, truth, fresh=args.fresh)
    write(records, args.out, args.jsonl)
    # What the generator made, for bench/scale_quality.py (.tsv: not a format the pipeline reads).
    with (args.out / "truth.tsv").open("w", encoding="utf-8") as f:
        f.write("id\tevent\ttopic\n")
        f.writelines(f"{rid}\t{ev}\t{topic}\n" for rid, ev, topic in truth)
    print(f"{len(records)} articles → {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
