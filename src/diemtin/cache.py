"""Per-article and per-event results kept between runs, keyed by content and by the code that made them.

A store that grows by the day digests mostly the same articles again: their shingle signatures, their
dates, and the summary of every event whose reports did not change are what the last refresh computed.
``pipeline.build_digest(articles, Options(cache=...))`` looks each of them up by a key that hashes

- the code version (``code_version``: every source and data file of this package and the versions of
  the libraries whose numbers enter the results), so a result made by other code is never reused;
- the article's every field (``article_key``), and for an event its members' and copies' keys, the
  summary length and the as-of date (``event_key``); for a story's title and summary, its events as
  they stand and their articles' keys (``story_key``),

computes only the missing ones, and stores them. A value is a pure function of its key, so an entry
left by an interrupted run, or by a run over other articles, can only be right or unused: the digest is
the same with an empty cache, a full one, or a cache holding entries of other stores (tests compare
incremental refreshes with full rebuilds). Values are kept as bytes in a plain format (JSON and raw
uint64 arrays), never pickle: a store file handed over by someone else must not run code when read.
An entry that does not decode is a miss.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import struct
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import date
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

import numpy as np

from . import dedup
from .features import ArticleFeatures
from .models import Article, Event, SummarySentence, TemporalExpression
from .stories import EventSignals

V = TypeVar("V")

# Libraries whose results enter the cached values (hashing, MinHash, TF-IDF, word segmentation): a
# different version may compute other numbers, so it makes other keys.
_LIBRARIES = ("numpy", "scipy", "scikit-learn", "datasketch", "pyvi")


@cache
def code_version() -> str:
    """Hash of this package's source and data files and of the libraries' versions (computed once per
    process: ~1 MB of files)."""
    h = hashlib.blake2b(digest_size=16)
    root = Path(__file__).resolve().parent
    for p in sorted(root.rglob("*")):
        if p.suffix in (".py", ".json") and p.is_file():
            h.update(str(p.relative_to(root)).encode() + b"\0" + p.read_bytes() + b"\0")
    for lib in _LIBRARIES:
        try:
            h.update(f"{lib}={metadata.version(lib)}\0".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{lib}=none\0".encode())
    return h.hexdigest()


def article_key(article: Article) -> str:
    """Key of an article's content: every field (a field added to ``Article`` later is hashed too),
    under the code version."""
    h = hashlib.blake2b(code_version().encode(), digest_size=16)
    h.update(repr([getattr(article, f.name) for f in fields(article)]).encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def date_key(article: str, as_of: date | None) -> str:
    """Key of an article's date (``dating.article_date`` of the article with this key, as of ``as_of``)."""
    return hashlib.blake2b(f"date\0{article}\0{as_of}".encode(), digest_size=16).hexdigest()


def event_key(members: Sequence[str], copies: Sequence[str], length: int, as_of: date | None) -> str:
    """Key of one event's work (``pipeline._event_for``): its members' and copies' article keys in
    order, the summary length and the as-of date their dates were computed with. The event's id is not
    part of it: ids are positions in the digest and move when other events come and go."""
    text = f"event\0{length}\0{as_of}\0{','.join(members)}\0{','.join(copies)}"
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def story_key(members: Sequence[Event], central: int, article_keys: Sequence[str]) -> str:
    """Key of a story's title and summary (``stories.story_title``, ``story_summary``): its events as
    they stand (every field but the id, which moves with other events), which of them is the most
    central, and the keys of the events' articles (titles read their leads)."""
    h = hashlib.blake2b(f"story\0{central}\0".encode(), digest_size=16)
    for e in members:
        h.update(
            repr([getattr(e, f.name) for f in fields(e) if f.name != "id"]).encode("utf-8", "surrogatepass")
        )
    h.update(",".join(article_keys).encode())
    return h.hexdigest()


# --------------------------------------------------------------------------------------------------
# Codecs: a value as bytes and back. Layout: 4-byte length, a JSON header, then uint64 arrays whose
# lengths the header lists (``_pack``).


def _pack(head: Any, arrays: Sequence[np.ndarray] = ()) -> bytes:
    meta = json.dumps([head, [len(a) for a in arrays]], ensure_ascii=False).encode()
    body = b"".join(np.ascontiguousarray(a, dtype=np.uint64).tobytes() for a in arrays)
    return struct.pack("<I", len(meta)) + meta + body


def _unpack(data: bytes) -> tuple[Any, list[np.ndarray]]:
    (n,) = struct.unpack_from("<I", data)
    head, lengths = json.loads(data[4 : 4 + n])
    if not lengths:
        if len(data) != 4 + n:
            raise ValueError("cached value: bytes after its header")
        return head, []
    flat = np.frombuffer(data, dtype=np.uint64, offset=4 + n)  # read-only view: nothing writes into it
    if len(flat) != sum(lengths):
        raise ValueError("cached value: arrays do not match their lengths")
    bounds = [0, *itertools.accumulate(lengths)]  # (numpy's cumsum costs more on a few numbers)
    return head, [flat[bounds[i] : bounds[i + 1]] for i in range(len(lengths))]


@dataclass(frozen=True, slots=True)
class Kind(Generic[V]):
    """One kind of cached value: its name (the key space) and how it is written and read."""

    name: str
    encode: Callable[[V], bytes]
    decode: Callable[[bytes], V]


def _encode_signature(sig: dedup.Signature | None) -> bytes:
    if sig is None:
        return _pack(None)
    return _pack([sig.lead_day, sig.edition_day], [sig.minhash.hashvalues, sig.shingles])


def _day(x: Any) -> tuple[int, int] | None:
    return None if x is None else (int(x[0]), int(x[1]))


def _decode_signature(data: bytes) -> dedup.Signature | None:
    head, arrays = _unpack(data)
    if head is None:
        return None
    hashvalues, shingles = arrays
    return dedup.Signature(dedup.minhash_from(hashvalues), shingles, _day(head[0]), _day(head[1]))


def _encode_date(value: TemporalExpression | None) -> bytes:
    return _pack(None if value is None else asdict(value))


def _decode_date(data: bytes) -> TemporalExpression | None:
    head, _ = _unpack(data)
    return None if head is None else TemporalExpression(**head)


def _encode_event(value: tuple[Event, EventSignals]) -> bytes:
    ev, sig = value
    head = {
        "event": asdict(ev),
        "names": sorted(sig.names),
        "articles": len(sig.bigrams),
    }
    return _pack(head, [*sig.bigrams, sig.heads, sig.leads])


def _decode_event(data: bytes) -> tuple[Event, EventSignals]:
    head, arrays = _unpack(data)
    e = dict(head["event"])
    e["date_range"] = tuple(e["date_range"])
    e["summary"] = [SummarySentence(**s) for s in e["summary"]]
    n = int(head["articles"])
    if len(arrays) != n + 2:
        raise ValueError("cached event: wrong number of arrays")
    return Event(**e), EventSignals(frozenset(head["names"]), tuple(arrays[:n]), arrays[n], arrays[n + 1])


def _encode_story(value: tuple[str, list[SummarySentence]]) -> bytes:
    title, summary = value
    return _pack([title, [[x.text, x.article] for x in summary]])


def _decode_story(data: bytes) -> tuple[str, list[SummarySentence]]:
    head, _ = _unpack(data)
    title, summary = head
    return str(title), [SummarySentence(str(t), str(a)) for t, a in summary]


def _words(tokens: Sequence[str]) -> str | list[str]:
    """Syllables as one space-separated string (a split gives them back ~10x faster than a JSON list;
    syllables hold no space, ``text.syllables``), or the list itself should one ever hold a space."""
    joined = " ".join(tokens)
    return joined if joined.count(" ") == max(0, len(tokens) - 1) else list(tokens)


def _unwords(value: str | list[str]) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(str(x) for x in value)
    return tuple(value.split(" ")) if value else ()


def _encode_features(f: ArticleFeatures) -> bytes:
    head = [f.id, _words(f.tokens), _words(f.title_tokens), _words(f.lead_tokens), sorted(f.names),
            f.lead_day, f.edition_day, sorted(f.places), f.commentary]  # fmt: skip
    return _pack(head)


def _decode_features(data: bytes) -> ArticleFeatures:
    head, _ = _unpack(data)
    fid, tokens, title, lead, names, lead_day, edition_day, places, commentary = head
    return ArticleFeatures(
        id=str(fid), tokens=_unwords(tokens), title_tokens=_unwords(title), lead_tokens=_unwords(lead),
        names=frozenset(names), lead_day=_day(lead_day), edition_day=_day(edition_day),
        places=frozenset(places), commentary=bool(commentary),
    )  # fmt: skip


# What a damaged or foreign entry raises when decoded: it is then a miss.
DECODE_ERRORS = (ValueError, KeyError, TypeError, IndexError, struct.error)

SIGNATURES: Kind[dedup.Signature | None] = Kind("signature", _encode_signature, _decode_signature)
DATES: Kind[TemporalExpression | None] = Kind("date", _encode_date, _decode_date)
FEATURES: Kind[ArticleFeatures] = Kind("features", _encode_features, _decode_features)
EVENTS: Kind[tuple[Event, EventSignals]] = Kind("event", _encode_event, _decode_event)
STORIES: Kind[tuple[str, list[SummarySentence]]] = Kind("story", _encode_story, _decode_story)


class Cache(Protocol):
    """Where cached values live (``store.StoreCache``: a table of the store; ``MemoryCache``)."""

    def get(self, kind: Kind[V], keys: Sequence[str]) -> dict[str, V]:
        """The values held for these keys (a key not held, or not decodable, is left out)."""
        ...

    def put(self, kind: Kind[V], values: Mapping[str, V]) -> None: ...


@dataclass(slots=True)
class Counts:
    """Lookups per kind: how many were asked and how many were found."""

    asked: dict[str, int]
    found: dict[str, int]

    def add(self, kind: Kind[Any], asked: int, found: int) -> None:
        self.asked[kind.name] = self.asked.get(kind.name, 0) + asked
        self.found[kind.name] = self.found.get(kind.name, 0) + found


class MemoryCache:
    """A cache in this process's memory, kept as the same bytes a store keeps (each ``get`` returns new
    objects, which the pipeline may change)."""

    def __init__(self) -> None:
        self.data: dict[tuple[str, str], bytes] = {}
        self.counts = Counts({}, {})

    def get(self, kind: Kind[V], keys: Sequence[str]) -> dict[str, V]:
        out: dict[str, V] = {}
        for k in keys:
            raw = self.data.get((kind.name, k))
            if raw is not None:
                try:
                    out[k] = kind.decode(raw)
                except DECODE_ERRORS:
                    continue
        self.counts.add(kind, len(keys), len(out))
        return out

    def put(self, kind: Kind[V], values: Mapping[str, V]) -> None:
        for k, v in values.items():
            self.data[(kind.name, k)] = kind.encode(v)
