"""Near-duplicate and syndicated copies of one story (one wire story run by many sites).

MinHash LSH (datasketch) over 4-syllable shingles of the body proposes candidate pairs without
comparing all pairs; each candidate is then confirmed on the exact shingle sets (Jaccard, or
containment for a copy that was cut short). Copies form one group whose canonical article is the
original: the earliest publication time; when that is unknown or tied, an article that credits
another outlet ("Theo TTXVN") is the copy; then the smallest id. Seeded hashing and sorted outputs make
the result independent of input order.

Two near-identical texts whose first sentences give different days ("ngày 12/3" vs "ngày 5/7") are
not copies: they are template reports of different happenings (daily price bulletins, a recurring
announcement re-run a year later), which an event must not swallow as "also published by".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from . import features
from . import text as vtext
from .models import Article, DuplicateGroup

SHINGLE = 4  # syllables: long enough that shared phrases of unrelated articles rarely collide
NUM_PERM = 128
SEED = 1
# LSH proposes pairs whose estimated Jaccard is around this or above; the exact check decides.
LSH_THRESHOLD = 0.5
# A copy keeps most of the text. Different outlets' own reports of one event stay below 0.33 Jaccard on
# 4-shingles (vmds-dev, 398 same-cluster pairs, except reprints); reprints in abmusu-train measure
# 0.66-0.90 Jaccard, and rewritten reprints in vmds-dev 0.44-0.54 with 0.89-0.90 containment.
MIN_JACCARD = 0.6
# A copy cut short (portal kept the first paragraphs): most of the shorter text appears in the longer.
MIN_CONTAINMENT = 0.85
MIN_SHINGLES = 8  # texts shorter than this are too short to call copies
# Lead days further apart than this are different happenings; within it, one outlet's "hôm qua (29/3)"
# and another's "ngày 30/3" (or a US-time "tối 29/3") still report one. Same tolerance as grouping.
LEAD_DAY_TOLERANCE = 2

# Credit and dateline forms: "Theo TTXVN", "Theo vov.vn", "Nguồn: Tuổi Trẻ", "(TTXVN)", "VOV.VN -".
_CREDIT_THEO = re.compile(r"^\s*(?:\(?\s*)?(Theo|Nguồn\s*:?)\s+([^\n]{2,60}?)\s*\)?\s*\.?\s*$", re.IGNORECASE)
_CREDIT_PAREN = re.compile(r"\((TTXVN|TTXVN/Vietnam\+|Vietnam\+|VNA|[A-ZĐ][\w.]{1,20}\.(?:vn|com|net))\)")
_DATELINE = re.compile(r"^\s*([A-ZĐ][A-Za-zĐ.]{1,15}(?:\.VN|\.vn)?)\s*[-–—]\s+")
_DATELINE_OUTLETS = frozenset({"VOV.VN", "TTO", "TTXVN", "VTV.VN", "VNA", "DÂN TRÍ", "ANTĐ", "PLO", "VTC"})


def credits_of(article: Article) -> list[str]:
    """Credit strings seen in an article: cleaning's record plus forms on its first and last lines."""
    found: list[str] = list(article.credits)
    paras = article.paragraphs
    if paras:
        m = _DATELINE.match(paras[0])
        if m and (m.group(1).upper() in _DATELINE_OUTLETS or m.group(1).lower().endswith(".vn")):
            found.append(m.group(0).strip())
        for p in paras[-2:]:
            if len(p) <= 80 and _CREDIT_THEO.match(p):
                found.append(p.strip())
        for p in (paras[0], *paras[-2:]):
            found.extend(m3.group(0) for m3 in _CREDIT_PAREN.finditer(p))
    return list(dict.fromkeys(found))  # unique, first-seen order


def credits_other_outlet(article: Article, credits: Iterable[str]) -> bool:
    """True when the article says it took the story from another outlet ("Theo X", "(X)" ≠ its own)."""
    own = (article.source or "").lower()
    for c in credits:
        low = c.lower().strip("() ")
        if low.startswith(("theo ", "nguồn")):
            if not own or own not in low:
                return True
        elif c.startswith("(") and (not own or own not in low):
            return True
    return False


def shingle_set(article: Article) -> set[str]:
    return set(vtext.shingles(vtext.syllables(article.text), SHINGLE))


@dataclass(frozen=True, slots=True)
class Signature:
    """An article's MinHash (for LSH) and its shingles as sorted unique 64-bit hashes (for the exact
    check: 8 bytes a shingle instead of a Python string in a set, so every article's can be kept)."""

    minhash: MinHash
    shingles: np.ndarray
    lead_day: tuple[int, int] | None = None  # (day, month) in the first sentence: ``features.lead_day``
    edition_day: tuple[int, int] | None = None  # a dated bulletin title's day: ``features.edition_day``


def signatures(articles: Sequence[Article]) -> list[Signature | None]:
    """Each article's ``Signature`` (None when it has too few shingles to call a copy).

    A pure function of the articles, so a pipeline can compute it in chunks on any executor and pass
    the result to ``find_duplicates``. Shingles are hashed without a Python loop over them
    (``shingle_hashes``): their 64-bit fingerprints serve the exact check, their low 32 bits make the
    MinHash (``minhash_of``).
    """
    out: list[Signature | None] = []
    for a in articles:
        fp = shingle_hashes(vtext.syllables(a.text), SHINGLE)
        if len(fp) < MIN_SHINGLES:
            out.append(None)
            continue
        # Lean: hash values and seed only (a third of the pickle), as signatures travel back from workers.
        out.append(Signature(minhash_of(fp), fp, features.lead_day(a), features.edition_day(a.title)))
    return out


# datasketch's default scheme ("affine32") and its permutations for our seed, made once: what
# ``MinHash(num_perm=NUM_PERM, seed=SEED).permutations`` holds.
_SCHEME = "affine32"
_PERM_A, _PERM_B = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=_SCHEME).permutations.astype(np.uint32)
_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))


def minhash_of(fingerprints: np.ndarray) -> LeanMinHash:
    """The MinHash that ``MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=identity).update_batch`` makes
    of the fingerprints' low 32 bits, computed in one numpy expression: datasketch's per-value Python
    call and per-article ``copy`` were half of the signature time. A test checks it equals datasketch's.
    """
    hv = (fingerprints & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    s1, m1, s2, m2, s3 = _FMIX32  # datasketch's pre-mix (MurmurHash3's finalizer, 32 bits)
    hv ^= hv >> s1
    hv *= m1
    hv ^= hv >> s2
    hv *= m2
    hv ^= hv >> s3
    values = (hv[:, None] * _PERM_A + _PERM_B).min(axis=0)  # uint32 arithmetic wraps: intended
    return minhash_from(values)


def minhash_from(hashvalues: np.ndarray) -> LeanMinHash:
    """The MinHash of these hash values (``minhash_of``'s, or the same read back from a cache)."""
    return LeanMinHash(seed=SEED, hashvalues=hashvalues, scheme=_SCHEME)


_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_MULT = np.uint64(0x9E3779B97F4A7C15)


def shingle_hashes(tokens: Sequence[str], k: int = SHINGLE) -> np.ndarray:
    """Sorted unique 64-bit hashes of the ``k``-syllable shingles of ``tokens`` (an empty array when
    there are fewer than ``k`` tokens).

    Written by hand, vectorised: hashing each shingle string (one SHA-1 per shingle in a Python loop)
    was a tenth of a whole digest's CPU. A shingle's hash combines its syllables' hashes in order
    (a polynomial in a 64-bit odd multiplier, wrapping) and is finished with splitmix64's mixer, so
    the 64 bits are well spread and the low 32 make a fair MinHash input; two of an article pair's
    ~1000 shingles collide with odds of ~1e-13.
    """
    if len(tokens) < k:
        return np.empty(0, dtype=np.uint64)
    h = np.fromiter(map(vtext.syllable_hash, tokens), dtype=np.uint64, count=len(tokens))
    n = len(tokens) - k + 1
    acc = h[:n].copy()
    for i in range(1, k):
        acc = acc * _MULT + h[i : i + n]  # uint64 arithmetic wraps: intended
    acc ^= acc >> np.uint64(30)
    acc *= _MIX1
    acc ^= acc >> np.uint64(27)
    acc *= _MIX2
    acc ^= acc >> np.uint64(31)
    return np.unique(acc)


def _is_copy_hashed(a: np.ndarray, b: np.ndarray) -> bool:
    """``is_copy`` on fingerprints: the same sizes and intersection as the shingle sets (a 64-bit
    collision between two of an article pair's ~1000 shingles has odds of ~1e-13)."""
    if len(a) < MIN_SHINGLES or len(b) < MIN_SHINGLES:
        return False
    inter = len(np.intersect1d(a, b, assume_unique=True))
    union = len(a) + len(b) - inter
    return inter / union >= MIN_JACCARD or inter / min(len(a), len(b)) >= MIN_CONTAINMENT


def _doy_conflict(x: int | None, y: int | None) -> bool:
    """Two lead days (``features.day_of_year``) more than ``LEAD_DAY_TOLERANCE`` days apart."""
    return x is not None and y is not None and features.calendar_gap(x, y) > LEAD_DAY_TOLERANCE


def is_copy(a: set[str], b: set[str]) -> bool:
    """Exact check on shingle sets: near-identical, or one is (almost) contained in the other."""
    if len(a) < MIN_SHINGLES or len(b) < MIN_SHINGLES:
        return False
    inter = len(a & b)
    return inter / len(a | b) >= MIN_JACCARD or inter / min(len(a), len(b)) >= MIN_CONTAINMENT


def find_duplicates(
    articles: Sequence[Article], sigs: Sequence[Signature | None] | None = None
) -> list[DuplicateGroup]:
    """Groups of copies (two or more articles each); the canonical one is the earliest known.

    ``sigs``: ``signatures(articles)`` computed elsewhere (in the same order as ``articles``).
    """
    got = list(sigs) if sigs is not None else signatures(articles)
    if len(got) != len(articles):
        raise ValueError(f"find_duplicates: {len(got)} signatures for {len(articles)} articles")
    order = sorted(range(len(articles)), key=lambda i: articles[i].id)
    arts = [articles[i] for i in order]
    parent = {a.id: a.id for a in arts}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    signed = [(articles[i].id, sig) for i in order if (sig := got[i]) is not None]
    days = [features.day_of_year(sig.lead_day) for _, sig in signed]  # lead day as a day of the year
    for x, y in lsh_candidates([sig.minhash.hashvalues for _, sig in signed]):
        # y comes after x in id order. Cheap checks first: template reports of other days (a daily
        # bulletin) are most of the LSH's candidates on a large crawl, and a candidate already in the group
        # needs no exact check.
        (aid, sig), (other, osig) = signed[y], signed[x]
        if _doy_conflict(days[y], days[x]):
            continue
        if sig.edition_day and osig.edition_day and sig.edition_day != osig.edition_day:
            continue  # "Giá vàng hôm nay 22/7:" and "... 23/7:": one template, two days' news
        ra, rb = find(aid), find(other)
        if ra != rb and _is_copy_hashed(sig.shingles, osig.shingles):
            parent[max(ra, rb)] = min(ra, rb)
    members: dict[str, list[Article]] = {}
    for a in arts:
        members.setdefault(find(a.id), []).append(a)
    groups = []
    for group in members.values():
        if len(group) < 2:
            continue
        creds = {a.id: credits_of(a) for a in group}
        ordered = sorted(group, key=lambda a: _original_key(a, creds[a.id]))
        groups.append(
            DuplicateGroup(
                canonical=ordered[0].id,
                duplicates=[a.id for a in ordered[1:]],
                credits={k: v for k, v in sorted(creds.items()) if v},
            )
        )
    return sorted(groups, key=lambda g: g.canonical)


# LSH with a lower threshold than MIN_CONTAINMENT so shortened copies are still proposed: datasketch's
# choice of bands and rows for this threshold and number of permutations (25 bands of 5 values).
_LSH = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
BANDS, ROWS = _LSH.b, _LSH.r


def lsh_candidates(hashvalues: Sequence[np.ndarray]) -> list[tuple[int, int]]:
    """Pairs (x, y), x < y, of MinHashes (positions in ``hashvalues``) that share a band: the same
    ``ROWS`` values in one of the ``BANDS`` bands, the pairs ``datasketch.MinHashLSH`` proposes with the
    same parameters (its ``query`` of each MinHash after inserting those before it). Sorted by y, then x.

    Written with numpy instead of calling ``MinHashLSH``: its per-band Python work for every insert and
    query was ~16 CPU s of a 100k-article digest, paid again at every refresh of a store; here each band
    is one ``np.unique`` over rows of 5 values, and only the rows sharing a bucket are looked at in Python.
    A test checks that the pairs are datasketch's.
    """
    n = len(hashvalues)
    if n < 2:
        return []
    values = np.asarray(np.stack(hashvalues), dtype=np.uint64)
    found: set[tuple[int, int]] = set()
    for b in range(BANDS):
        band = np.ascontiguousarray(values[:, b * ROWS : (b + 1) * ROWS])
        _, bucket, counts = np.unique(band, axis=0, return_inverse=True, return_counts=True)
        shared = counts[bucket.ravel()] > 1
        if not shared.any():
            continue
        rows = np.flatnonzero(shared)
        keys = bucket.ravel()[rows]
        rows = rows[np.argsort(keys, kind="stable")]
        keys = np.sort(keys, kind="stable")
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
        for group in np.split(rows, starts[1:]):
            members = group.tolist()
            found.update((x, y) for k, y in enumerate(members) for x in members[:k])
    return sorted(found, key=lambda p: (p[1], p[0]))


def _original_key(article: Article, credits: list[str]) -> tuple[int, str, int, str]:
    # Unknown publication sorts after any known one; "Theo X" marks a reprint; the id breaks ties.
    pub = article.published
    return (0 if pub else 1, pub or "", 1 if credits_other_outlet(article, credits) else 0, article.id)
