"""Precision / recall / F1 of the lines that cleaning keeps, against hand labels.

Two labelled sets:

* seeds: the five crawled pages in ../shared/seeds. Only labels live in the repo
  (tests/fixtures/clean/seeds/<name>.json: the body line numbers and a short hash of each labelled line,
  so that a changed seed file is detected instead of silently mis-scored); never the seed text.
* fixtures: hand-written articles in tests/fixtures/clean/*.txt, each with a sidecar .json listing its
  body line numbers, with made-up boilerplate in the styles of VnExpress, Tuổi Trẻ, Thanh Niên, Dân trí,
  VietnamPlus and others.

Line numbers are 1-based lines of the .txt file (the title is line 1). A line counts as "kept" when
cleaning keeps it as article text; the title is not scored. Scores are micro-averaged over lines.

Also prints how many body lines survive cleaning on VietnameseMDS dev bodies and AbMuSu documents
(unlabelled: nearly every line there is article text, so the share kept is a recall check).

    .venv/bin/python bench/clean_eval.py [--show]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from diemtin.clean import decide_lines, repeated_lines
from diemtin.ingest import parse_txt
from diemtin.models import RawDocument

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
VMDS = SHARED / "data" / "vmds-dev"
ABMUSU = SHARED / "data" / "abmusu-train.jsonl"
FIXTURES = ROOT / "tests" / "fixtures" / "clean"
SEED_LABELS = FIXTURES / "seeds"


def line_hash(line: str) -> str:
    """Short fingerprint of a labelled line (NFC text as ingest gives it, stripped)."""
    return hashlib.sha1(line.strip().encode("utf-8")).hexdigest()[:10]


@dataclass(slots=True)
class Labelled:
    """One labelled page: the document as ingest reads it and the set of body line numbers."""

    name: str
    doc: RawDocument
    body: set[int]
    first_body_line: int  # file line number of doc.lines[0]


@dataclass(slots=True)
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def read_page(path: Path) -> tuple[RawDocument, list[str], int]:
    """The page through ingest's .txt reader, its normalised lines, and the file line of doc.lines[0]."""
    from diemtin.text import normalize

    text = path.read_text(encoding="utf-8")
    doc = parse_txt(text, str(path))
    if doc is None:
        raise ValueError(f"{path}: empty page")
    lines = normalize(text).split("\n")
    title_at = next(i for i, ln in enumerate(lines) if ln.strip())
    return doc, lines, title_at + 2


def load_fixtures(folder: Path = FIXTURES) -> list[Labelled]:
    out = []
    for txt in sorted(folder.glob("*.txt")):
        label = json.loads(txt.with_suffix(".json").read_text(encoding="utf-8"))
        doc, _, first = read_page(txt)
        out.append(Labelled(txt.name, doc, set(label["body"]), first))
    return out


def load_seeds(seeds: Path = SEEDS, labels: Path = SEED_LABELS) -> list[Labelled]:
    """Seed pages with their labels; a label whose line hash no longer matches is an error."""
    out = []
    for lab in sorted(labels.glob("*.json")):
        label = json.loads(lab.read_text(encoding="utf-8"))
        page = seeds / label["file"]
        doc, lines, first = read_page(page)
        if len(lines) != label["lines"]:
            raise ValueError(f"{page}: {len(lines)} lines, labels were made for {label['lines']}")
        for n, h in label["body"]:
            if line_hash(lines[n - 1]) != h:
                raise ValueError(f"{page}: line {n} changed since it was labelled (hash {h})")
        out.append(Labelled(page.name, doc, {n for n, _ in label["body"]}, first))
    return out


def score(pages: list[Labelled], show: bool = False) -> Score:
    """Micro-averaged line scores of cleaning the pages as one batch (as the pipeline does)."""
    s = Score()
    reps = repeated_lines([p.doc for p in pages])
    for page, rep in zip(pages, reps, strict=True):
        for d in decide_lines(page.doc, rep):
            if d.reason == "blank":
                continue
            n = page.first_body_line + d.index
            kept, gold = d.reason is None, n in page.body
            s.tp += kept and gold
            s.fp += kept and not gold
            s.fn += gold and not kept
            if show and kept != gold:
                what = "dropped body" if gold else "kept boilerplate"
                print(f"  {page.name}:{n}: {what} ({d.reason}): {d.text[:100]}")
    return s


def vmds_docs() -> list[RawDocument]:
    """VietnameseMDS dev bodies as crawled .txt would give them: title + one body line (+ sapo)."""
    docs = []
    for body in sorted(VMDS.glob("cluster_*/*.body.txt")):
        info = body.with_name(body.name.replace(".body.txt", ".info.txt"))
        title = ""
        if info.exists():
            for ln in info.read_text(encoding="utf-8").splitlines():
                if ln.startswith("TITLE:"):
                    title = ln[6:].strip().replace("_", " ")
        text = body.read_text(encoding="utf-8").strip()
        docs.append(RawDocument(path=str(body), lines=[text], title=title or "?"))
    return docs


def abmusu_docs(limit: int | None = None) -> list[list[RawDocument]]:
    """AbMuSu clusters as batches of documents: title + the raw text's lines."""
    clusters = []
    with ABMUSU.open(encoding="utf-8") as fh:
        for i, row in enumerate(fh):
            if limit is not None and i >= limit:
                break
            c = json.loads(row)
            clusters.append(
                [
                    RawDocument(path=f"abmusu:{i}:{j}", lines=d["raw_text"].split("\n"), title=d["title"])
                    for j, d in enumerate(c["single_documents"])
                ]
            )
    return clusters


def kept_share(batches: list[list[RawDocument]], show: bool = False) -> tuple[int, int]:
    """(kept, total) non-blank lines when each batch is cleaned together."""
    kept = total = 0
    for batch in batches:
        for doc, rep in zip(batch, repeated_lines(batch), strict=True):
            for d in decide_lines(doc, rep):
                if d.reason == "blank":
                    continue
                total += 1
                kept += d.reason is None
                if show and d.reason is not None:
                    print(f"  {doc.path}: {d.reason}: {d.text[:100]}")
    return kept, total


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--show", action="store_true", help="print every line scored wrong / dropped")
    args = ap.parse_args(argv)
    print(f"{'set':<28} {'pages':>5} {'lines':>6} {'P':>6} {'R':>6} {'F1':>6}")
    for name, pages in (("seeds", load_seeds() if SEEDS.is_dir() else []), ("fixtures", load_fixtures())):
        if not pages:
            print(f"{name:<28} (not present)")
            continue
        s = score(pages, show=args.show)
        n = s.tp + s.fn
        print(f"{name:<28} {len(pages):>5} {n:>6} {s.precision:>6.3f} {s.recall:>6.3f} {s.f1:>6.3f}")
    if VMDS.is_dir():
        vm = vmds_docs()
        # Cleaned per cluster, as the pipeline would see one folder of pages.
        by_cluster: dict[str, list[RawDocument]] = {}
        for d in vm:
            by_cluster.setdefault(str(Path(d.path).parent), []).append(d)
        k, t = kept_share(list(by_cluster.values()), show=args.show)
        print(f"{'vmds-dev bodies kept':<28} {len(vm):>5} {t:>6} {k / t:>6.3f}")
    if ABMUSU.is_file():
        ab = abmusu_docs()
        k, t = kept_share(ab, show=args.show)
        print(f"{'abmusu-train lines kept':<28} {sum(map(len, ab)):>5} {t:>6} {k / t:>6.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
