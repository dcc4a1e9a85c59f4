"""Count summary sentences a reader trips over in digests of the dev corpora.

    .venv/bin/python bench/summary_check.py [--limit N] [--single] [--show 5]

Each corpus (../shared/data/vmds-dev, ../shared/data/abmusu-train.jsonl) is written as a crawl of .txt
files (title, blank line, [sapo,] body), the seeds (../shared/seeds) are a crawl already; each is digested
by ``diemtin.api.digest`` (ingest, clean, events, summaries, as ``diemtin digest`` does) and its event and
story summaries are checked; --single also summarizes every article alone (most events of a real crawl
have one article). Every summary sentence is checked against rules written here,
independently of the summarizer's own filters, so that this counts what they miss:

- heading: three or more words in capitals with Vietnamese letters ("LÁCH LUẬT ĐỂ MUA DANH"), or most
  letters in capitals;
- fragment: no sentence end (. ! ? before closing quotes), a trailing ellipsis, or a lower-case start;
- dangling: opens with a connective, an enumeration ("Hai là", "Thứ hai") or a bare pronoun and the
  summary sentence before it is not the sentence before it in its article;
- byline: a short credit line ("Theo Dân trí", "(Theo Reuters)", "Minh Anh (tổng hợp)") or a name in
  capitals closing the sentence;
- closing mark: "./." anywhere.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from diemtin import evaluate as ev  # noqa: E402
from diemtin.api import digest, read_articles  # noqa: E402
from diemtin.models import Article, SummarySentence  # noqa: E402
from diemtin.summarize import summarize  # noqa: E402
from diemtin.text import split_sentences, syllables  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
SEEDS = ROOT.parent / "shared" / "seeds"

_CONNECTIVE = re.compile(
    r"^[\"“]?(?:tuy nhiên|trong khi đó|ngoài ra|bên cạnh đó|đồng thời|theo đó|do đó|vì vậy|vì thế|"
    r"như vậy|điều này|trước đó|sau đó|mặt khác|tuy vậy|dù vậy|nhưng|còn|và|cụ thể|đây là|đó là|"
    r"hơn nữa|trong đó|cũng|ông này|bà này|người này|"
    r"(?:một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười) là|thứ (?:nhất|hai|ba|tư|năm))\b|"
    r"^[\"“]?(?:đầu tiên|cuối cùng|tiếp theo)\s*,",
    re.IGNORECASE,
)
# A bare pronoun before a lower-case word ("Ông cho biết"), not a name ("Ông Aquino").
_PRONOUN = re.compile(r"^[\"“]?(?:[Ôô]ng|[Bb]à|[Aa]nh|[Cc]hị|[Hh]ọ|[Cc]ô|[Tt]ôi|[Cc]húng tôi)\s+(\w)")
_CREDIT = re.compile(
    r"^\(?(?:theo|nguồn|bài|ảnh|tin|pv|ctv)\b[^.!?]{0,50}\)?\.?$|\((?:tổng hợp|th|theo [^()]{1,40})\)\.?$",
    re.IGNORECASE,
)
_CAPS_NAME_END = re.compile(r"[.!?”\"]\s+(?:[A-ZĐÀ-Ỹ]{2,}\s+){1,3}[A-ZĐÀ-Ỹ]{2,}\.?$")


def _caps_words(text: str) -> int:
    best = run = 0
    viet = False
    for w in text.split():
        core = w.strip("\"“”'()[],.:;!?…-–—")
        letters = [c for c in core if c.isalpha()]
        if letters and all(c.isupper() for c in letters):
            run += 1
            viet = viet or not core.isascii()
            best = max(best, run if viet else 0)
        else:
            run, viet = 0, False
    return best


def problems(sent: str, prev: SummarySentence | None, cur: SummarySentence, art: Article | None) -> list[str]:
    """The rules above, for one summary sentence (``prev``: the summary sentence before it)."""
    out = []
    if "./." in sent:
        out.append("closing mark")
    letters = [c for c in sent if c.isalpha()]
    if _caps_words(sent) >= 3 or (
        len(letters) >= 12 and sum(c.isupper() for c in letters) > 0.6 * len(letters)
    ):
        out.append("heading")
    core = sent.rstrip('"”’)»]* ')
    first = sent.lstrip('"“‘(«[-–— ')[:1]
    if core[-1:] not in ".!?" or core.endswith(("…", "..")) or (first.isalpha() and first.islower()):
        out.append("fragment")
    if (len(syllables(sent)) <= 12 and _CREDIT.search(sent)) or _CAPS_NAME_END.search(sent):
        out.append("byline")
    pronoun = _PRONOUN.match(sent)
    if _CONNECTIVE.match(sent) or (pronoun is not None and pronoun.group(1).islower()):
        anchored = False
        if prev is not None and art is not None and prev.article == cur.article:
            sents = [x for para in art.paragraphs for x in split_sentences(para)]  # as the summarizer splits
            # Case-blind: a trimmed sentence's first letter was capitalised ("Theo Reuters, đây là ...").
            # Every place the sentence occurs: a sapo may repeat a body sentence word for word, each copy
            # with its own sentence before it.
            places = [i for i, s in enumerate(sents) if sent.rstrip(".").lower() in s.lower()]
            for here in (i for i in places if i > 0):
                before = sents[here - 1].lower()
                # The anchor may be a trimmed variant of the sentence before ("Theo AFP, nhóm ..." ->
                # "Nhóm ...").
                anchored = anchored or prev.text.rstrip(".").lower() in before or before in prev.text.lower()
        if not anchored:
            out.append("dangling")
    return out


def check(
    summaries: list[list[SummarySentence]], by_id: dict[str, Article]
) -> tuple[int, Counter[str], list[str]]:
    n = 0
    counts: Counter[str] = Counter()
    examples: list[str] = []
    for summary in summaries:
        for k, s in enumerate(summary):
            n += 1
            found = problems(s.text, summary[k - 1] if k else None, s, by_id.get(s.article))
            counts.update(found)
            if found:
                counts["sentences with any"] += 1
                text = s.text if len(s.text) <= 160 else f"{s.text[:70]} … {s.text[-80:]}"
                examples.append(f"    [{', '.join(found)}] {text}")
    return n, counts, examples


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=None, help="first N clusters of each corpus")
    ap.add_argument("--single", action="store_true", help="also summarize every article alone (80 syllables)")
    ap.add_argument("--show", type=int, default=5, help="offending sentences to print per corpus")
    args = ap.parse_args()
    total = 0
    for path in (DATA / "vmds-dev", DATA / "abmusu-train.jsonl", SEEDS):
        if not path.exists():
            print(f"{path}: not present, skipped")
            continue
        if path == SEEDS:  # a crawl already
            result = digest(str(path))
            articles, _ = read_articles([str(path)])
        else:
            clusters = ev.load(path)[: args.limit]
            with tempfile.TemporaryDirectory() as tmp:
                for c in clusters:
                    for d in c.documents:
                        (Path(tmp) / f"{c.id}_{d.name}.txt").write_text(d.as_txt(), encoding="utf-8")
                result = digest(tmp)
                articles, _ = read_articles([tmp])
        by_id = {a.id: a for a in result.articles}
        sets = {
            "digest events": [e.summary for e in result.events],
            # A story's two sentences come from different events: one that leans on its article's
            # sentence before it ("Trước đó, ...") dangles there.
            "digest stories": [s.summary for s in result.stories],
        }
        if args.single:
            sets["articles alone"] = [summarize([a], 80) for a in articles]
            by_id |= {a.id: a for a in articles}
        for name, summaries in sets.items():
            n, counts, examples = check(summaries, by_id)
            total += counts["sentences with any"]
            detail = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()) if k != "sentences with any")
            print(
                f"{path.name} {name}: {len(summaries)} summaries, {n} sentences, "
                f"{counts['sentences with any']} offending ({detail or 'none'})"
            )
            for line in examples[: args.show]:
                print(line)
    print(f"total offending sentences: {total}")


if __name__ == "__main__":
    main()
