"""Flat tables of a digest (articles, events, stories) as Parquet or JSONL, for pandas, DuckDB or Spark.

Input is a digest: a ``Digest``, the ``digest.json`` that ``diemtin digest`` writes, or a store
(``diemtin ingest``). Each table row carries the keys to join the others (article → event → story).
Parquet needs pyarrow (extra [export]); the schemas are explicit so that an empty column keeps its type.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .models import Digest

FORMATS = ("parquet", "jsonl")
TABLES = ("articles", "events", "stories")

Row = dict[str, Any]


class ExportError(ValueError):
    """An input that cannot be exported; the message names it and says why."""


def load_digest_json(path: Path | str) -> dict[str, Any]:
    """A ``digest.json`` as a dict (the ``Digest.to_dict`` contract), with a clear error when it is not."""
    p = Path(path)
    if p.is_dir():
        p = p / "digest.json"
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ExportError(f"{p}: cannot read ({exc.strerror or exc})") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ExportError(f"{p}: not a digest.json ({exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("articles"), list):
        raise ExportError(f"{p}: not a digest.json (no 'articles' list)")
    return data


def tables(digest: Digest | Mapping[str, Any]) -> dict[str, list[Row]]:
    """The three flat tables of a digest; list columns stay lists (Parquet list types, JSON arrays)."""
    d: Mapping[str, Any] = digest.to_dict() if isinstance(digest, Digest) else digest
    events: list[Mapping[str, Any]] = d.get("events", [])
    stories: list[Mapping[str, Any]] = d.get("stories", [])
    story_of = {eid: s["id"] for s in stories for eid in s.get("events", [])}
    event_of = {aid: e["id"] for e in events for aid in e.get("articles", [])}
    dup_of = {c: g["canonical"] for g in d.get("duplicates", []) for c in g.get("duplicates", [])}
    position = {eid: i for i, eid in enumerate(d.get("timeline", []))}
    articles = [
        {
            "id": a["id"],
            "path": a.get("path"),
            "title": a.get("title"),
            "source": a.get("source"),
            "published": a.get("published"),
            "url": a.get("url"),
            "text": a.get("text", ""),
            "credits": list(a.get("credits", [])),
            "removed": [{"text": r["text"], "reason": r["reason"]} for r in a.get("removed", [])],
            "event": event_of.get(a["id"]),
            "story": story_of.get(event_of.get(a["id"], "")),
            "duplicate_of": dup_of.get(a["id"]),
        }
        for a in d["articles"]
    ]
    event_rows = []
    for e in events:
        rng = [*(e.get("date_range") or []), None, None]
        summary = [{"text": s["text"], "article": s["article"]} for s in e.get("summary", [])]
        event_rows.append(
            {
                "id": e["id"],
                "title": e.get("title"),
                "date": e.get("date"),
                "date_earliest": rng[0],
                "date_latest": rng[1],
                "date_evidence": e.get("date_evidence"),
                # The full reasoning behind the date (the one-line evidence is its summary) and the
                # day and month ("MM-DD") when the year stays open: what digest.json carries.
                "date_reasoning": e.get("date_reasoning"),
                "day": e.get("day"),
                "story": story_of.get(e["id"]),
                "timeline_position": position.get(e["id"]),
                "articles": list(e.get("articles", [])),
                "n_articles": len(e.get("articles", [])),
                "sources": list(e.get("sources", [])),
                "summary": " ".join(s["text"] for s in summary),
                "summary_sentences": summary,
                "kind": e.get("kind", "report"),
            }
        )
    story_rows = [
        {
            "id": s["id"],
            "title": s.get("title"),
            "events": list(s["events"]),
            "n_events": len(s["events"]),
            "summary": " ".join(x["text"] for x in s.get("summary", [])),
            "summary_sentences": list(s.get("summary", [])),
        }
        for s in stories
    ]
    return {"articles": articles, "events": event_rows, "stories": story_rows}


def _schemas(pa: Any) -> dict[str, Any]:
    s, i = pa.string(), pa.int64()
    sentence = pa.struct([("text", s), ("article", s)])
    removed = pa.struct([("text", s), ("reason", s)])
    return {
        "articles": pa.schema(
            [
                ("id", s),
                ("path", s),
                ("title", s),
                ("source", s),
                ("published", s),
                ("url", s),
                ("text", s),
                ("credits", pa.list_(s)),
                ("removed", pa.list_(removed)),
                ("event", s),
                ("story", s),
                ("duplicate_of", s),
            ]
        ),
        "events": pa.schema(
            [
                ("id", s),
                ("title", s),
                ("date", s),
                ("date_earliest", s),
                ("date_latest", s),
                ("date_evidence", s),
                ("date_reasoning", s),
                ("day", s),
                ("story", s),
                ("timeline_position", i),
                ("articles", pa.list_(s)),
                ("n_articles", i),
                ("sources", pa.list_(s)),
                ("summary", s),
                ("summary_sentences", pa.list_(sentence)),
                ("kind", s),
            ]
        ),
        "stories": pa.schema(
            [
                ("id", s),
                ("title", s),
                ("events", pa.list_(s)),
                ("n_events", i),
                ("summary", s),
                ("summary_sentences", pa.list_(sentence)),
            ]
        ),
    }


def export(digest: Digest | Mapping[str, Any], out_dir: Path | str, fmt: str = "parquet") -> dict[str, Path]:
    """Write ``articles``, ``events`` and ``stories`` as ``OUT/<table>.parquet`` or ``.jsonl``."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rows = tables(digest)
    written: dict[str, Path] = {}
    if fmt == "jsonl":
        for name in TABLES:
            path = out / f"{name}.jsonl"
            with path.open("w", encoding="utf-8") as f:
                for row in rows[name]:
                    f.write(json.dumps(row, ensure_ascii=False) + "\n")
            written[name] = path
        return written
    try:
        pa: Any = importlib.import_module("pyarrow")
        pq: Any = importlib.import_module("pyarrow.parquet")
    except ImportError as exc:
        raise ExportError("Parquet export needs pyarrow: pip install 'diemtin[export]'") from exc
    schemas = _schemas(pa)
    for name in TABLES:
        path = out / f"{name}.parquet"
        pq.write_table(pa.Table.from_pylist(rows[name], schema=schemas[name]), path, compression="zstd")
        written[name] = path
    return written
