"""Grouping quality at scale: a digest of a generated corpus scored against what the generator made.

bench/gen_corpus.py writes truth.tsv beside the articles: each article's event (one happening, its
reports and syndicated copies) and topic (the source cluster the event's sentences came from; events of
one topic on different days are different happenings of one thread). This scores the digest's events
against the generated events and its stories against the topics, with B-cubed precision/recall/F1 over
articles, and prints the story size distribution (a story of thousands of events is a chain, not a
thread a reader can follow).

    .venv/bin/diemtin digest bench/out/corpus-10k -o /tmp/d10k -q --executor processes
    .venv/bin/python bench/scale_quality.py bench/out/corpus-10k /tmp/d10k/digest.json
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _bcubed():  # type: ignore[no-untyped-def]
    """``bench/grouping.py``'s B-cubed (one definition for every grouping benchmark)."""
    spec = importlib.util.spec_from_file_location("grouping_bench", HERE / "grouping.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules["grouping_bench"] = mod
    spec.loader.exec_module(mod)
    return mod.bcubed


def read_truth(corpus: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Article id → generated event, and → topic (source cluster)."""
    event: dict[str, str] = {}
    topic: dict[str, str] = {}
    lines = (corpus / "truth.tsv").read_text(encoding="utf-8").splitlines()[1:]
    for line in lines:
        rid, ev, top = line.split("\t")
        event[rid], topic[rid] = ev, top
    return event, topic


def score(digest: dict, event: dict[str, str], topic: dict[str, str]) -> dict[str, float]:
    """B-cubed of events and stories over the articles the digest and the truth share."""
    bcubed = _bcubed()
    # The digest's article ids are the generator's (ingest keeps a JSON id; .txt files get content ids,
    # so map by path stem, which is the generator's id).
    id_of = {a["id"]: Path(a.get("path") or a["id"]).stem for a in digest["articles"]}
    evs = [[id_of[a] for a in e["articles"] if id_of.get(a) in event] for e in digest["events"]]
    members = {e["id"]: ev for e, ev in zip(digest["events"], evs, strict=True)}
    sts = [[a for e in s["events"] for a in members.get(e, [])] for s in digest["stories"]]
    out: dict[str, float] = {}
    for name, pred, gold in (("events", evs, event), ("stories", sts, topic)):
        pred = [c for c in pred if c]
        p, r, f = bcubed(pred, {a: gold[a] for c in pred for a in c})
        out[f"{name}_p"], out[f"{name}_r"], out[f"{name}_f1"] = p, r, f
    sizes = sorted((len(s["events"]) for s in digest["stories"]), reverse=True)
    out["stories"] = len(sizes)
    out["largest_story"] = sizes[0] if sizes else 0
    out["events"] = len(digest["events"])
    out["true_events"] = len(set(event.values()))
    out["true_topics"] = len(set(topic.values()))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path, help="a bench/gen_corpus.py folder (with truth.tsv)")
    ap.add_argument("digest", type=Path, help="digest.json of that corpus")
    args = ap.parse_args()
    if not (args.corpus / "truth.tsv").is_file():
        sys.exit(f"{args.corpus}/truth.tsv not found: regenerate the corpus with bench/gen_corpus.py")
    event, topic = read_truth(args.corpus)
    s = score(json.loads(args.digest.read_text(encoding="utf-8")), event, topic)
    print(
        f"events  {s['events']:.0f} (generated {s['true_events']:.0f})  B-cubed P {s['events_p']:.3f} "
        f"R {s['events_r']:.3f} F1 {s['events_f1']:.3f}"
    )
    print(
        f"stories {s['stories']:.0f} (topics {s['true_topics']:.0f}, "
        f"largest {s['largest_story']:.0f} events)  "
        f"B-cubed P {s['stories_p']:.3f} R {s['stories_r']:.3f} F1 {s['stories_f1']:.3f}"
    )


if __name__ == "__main__":
    main()
