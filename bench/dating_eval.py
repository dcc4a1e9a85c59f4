"""Accuracy of Vietnamese date normalisation on the hand-labelled set.

    .venv/bin/python bench/dating_eval.py [tests/fixtures/dating/labelled.jsonl] [-v]

Each record is a real sentence from the shared corpora (VietnameseMDS dev bodies/info TIME, AbMuSu, the
seeds) with its reference date (the article's TIME, or null), one expression and the expected ISO
``value``/``earliest``/``latest`` (labelled by hand; see docs/dating.md). The expression is matched to
the extracted mention that overlaps it most. Prints value accuracy (the floor asserted in
tests/test_dating.py is 0.95), full accuracy (value and range), and the misses with -v.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from diemtin.dating import extract_dates
from diemtin.models import TemporalExpression
from diemtin.text import normalize

DEFAULT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "dating" / "labelled.jsonl"


def load(path: Path) -> list[dict[str, Any]]:
    records = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise SystemExit(f"{path}:{n}: not JSON ({exc})") from exc
    return records


def match(record: dict[str, Any]) -> TemporalExpression | None:
    """The extracted mention overlapping the labelled expression most (None if nothing overlaps)."""
    sentence = normalize(record["sentence"])
    expr = normalize(record["expression"])
    start = sentence.find(expr)
    if start < 0:
        raise SystemExit(f"expression {expr!r} not in its sentence {sentence!r}")
    end = start + len(expr)
    best: tuple[int, TemporalExpression] | None = None
    for t in extract_dates(sentence, record.get("reference_date")):
        overlap = min(end, t.end) - max(start, t.start)
        if overlap > 0 and (best is None or overlap > best[0]):
            best = (overlap, t)
    return best[1] if best else None


def score(records: list[dict[str, Any]]) -> dict[str, Any]:
    value_ok = full_ok = found = 0
    misses = []
    for r in records:
        t = match(r)
        got = (t.value, t.earliest, t.latest) if t else (None, None, None)
        want = (r["value"], r["earliest"], r["latest"])
        # An expression with no recoverable date (value None, no range) is right when not resolved.
        found += t is not None
        value_ok += got[0] == want[0]
        full_ok += got == want
        if got != want:
            misses.append({"expression": r["expression"], "want": want, "got": got, "form": r["form"]})
    n = len(records)
    return {
        "n": n,
        "value_accuracy": value_ok / n,
        "full_accuracy": full_ok / n,
        "found": found,
        "misses": misses,
    }


def main(argv: list[str]) -> None:
    args = [a for a in argv if not a.startswith("-")]
    path = Path(args[0]) if args else DEFAULT
    res = score(load(path))
    forms = {r["form"] for r in load(path)}
    print(f"labelled expressions: {res['n']} ({len(forms)} forms), matched a mention: {res['found']}")
    print(f"value accuracy: {res['value_accuracy']:.3f}")
    print(f"value+range accuracy: {res['full_accuracy']:.3f}")
    if "-v" in argv:
        for m in res["misses"]:
            print(f"  MISS {m['expression']!r} [{m['form']}] want {m['want']} got {m['got']}")


if __name__ == "__main__":
    main(sys.argv[1:])
