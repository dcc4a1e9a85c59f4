"""Time-boxed fuzzing: the properties of tests/test_properties.py with many more examples.

    .venv/bin/python bench/fuzz.py --seconds 60            # all properties, time split evenly
    .venv/bin/python bench/fuzz.py --seconds 30 --only dates

Prints, per property, how many examples ran, how many failed and the first falsifying example (shrunk
by Hypothesis). Exit status 1 when any property failed.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import HypothesisException

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests import test_properties as P  # noqa: E402

PROPERTIES: dict[str, tuple[Callable[..., None], tuple[st.SearchStrategy[Any], ...]]] = {
    "decode": (P.check_decode, (P.INPUT_BYTES,)),
    "parse": (P.check_parse, (P.INPUT_BYTES, P.SUFFIXES)),
    "normalize": (P.check_normalize, (P.ANY_TEXT,)),
    "split": (P.check_split, (P.ANY_TEXT,)),
    "clean": (P.check_clean, (st.one_of(st.text(max_size=80), P.news_text(12)), P.ANY_TEXT)),
    "dates": (P.check_dates, (P.ANY_TEXT, P.REFERENCES)),
    "legacy": (
        P.check_legacy,
        (st.one_of(P.ANY_TEXT, P.news_text().map(P.legacy.to_tcvn3), P.news_text().map(P.legacy.to_vni)),),
    ),
    "roundtrip": (P.check_round_trip, (P.VIET_TEXT,)),
}
if not P.SEARCH_MISSING:
    PROPERTIES["search"] = (
        P.check_search,
        (P.QUERIES, P.FILTER_DATES, P.FILTER_DATES, P.SOURCES, st.integers(-5, 200)),
    )

BATCH = 200  # examples per Hypothesis run; runs repeat until the property's time is up


def fuzz(name: str, seconds: float) -> tuple[int, int, str | None]:
    """Run one property for ``seconds``; (examples, failed runs, first failure report)."""
    check, strategies = PROPERTIES[name]
    count = 0

    def counted(args: tuple[Any, ...]) -> None:
        nonlocal count
        count += 1
        check(*args)

    run = settings(
        max_examples=BATCH,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )(given(st.tuples(*strategies))(counted))
    failures = 0
    first: str | None = None
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            run()
        except HypothesisException:
            raise  # a mistake in this script, not a finding
        except Exception:
            failures += 1
            if first is None:
                first = traceback.format_exc(limit=3)
    return count, failures, first


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=60, help="total time, split evenly (default 60)")
    ap.add_argument("--only", nargs="*", choices=sorted(PROPERTIES), help="properties to run")
    args = ap.parse_args()
    names = args.only or list(PROPERTIES)
    share = args.seconds / len(names)
    print(f"fuzzing {len(names)} properties, {share:.0f} s each")
    if P.SEARCH_MISSING:
        print("search: skipped (diemtin.search does not exist)")
    print(f"{'property':10} {'examples':>9} {'per s':>7} {'failed runs':>11}")
    failed = False
    reports = []
    for name in names:
        t0 = time.monotonic()
        count, failures, first = fuzz(name, share)
        rate = count / max(1e-9, time.monotonic() - t0)
        print(f"{name:10} {count:9d} {rate:7.0f} {failures:11d}", flush=True)
        if first:
            failed = True
            reports.append(f"--- {name}\n{first}")
    for r in reports:
        print(r)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
