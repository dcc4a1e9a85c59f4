"""Happening labels: which happening each article of a dev corpus reports, under the guideline.

One JSON object a line (``bench/annotations/vmds-happenings.jsonl``, ``abmusu-happenings.jsonl``):
``{"corpus", "cluster", "doc", "happening", "kind", "why"}``: ``doc`` is the vmds doc id or the 0-based
position of the article in its AbMuSu cluster; ``happening`` ids are shared across clusters where two
clusters report one happening; ``kind`` is ``report`` or ``commentary`` (an article that reports no
occurrence: opinion, analysis, explainer, feature; each is its own happening).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .corpora import LabelledDoc

KINDS = ("report", "commentary")
Key = tuple[str, str, str]  # corpus, cluster, doc


@dataclass(frozen=True, slots=True)
class Label:
    happening: str
    kind: str
    why: str = ""


def load(paths: Path | str | Iterable[Path | str]) -> dict[Key, Label]:
    """Labels by (corpus, cluster, doc) from one or more files; a bad line is an error naming the file
    and line (a label file is small and hand-made: better stop than score against half of it)."""
    files = [paths] if isinstance(paths, (str, Path)) else list(paths)
    out: dict[Key, Label] = {}
    for f in map(Path, files):
        try:
            lines = f.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise ValueError(f"{f}: cannot read happening labels ({exc.strerror or exc})") from exc
        for lineno, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                key = (str(row["corpus"]), str(row["cluster"]), str(row["doc"]))
                label = Label(str(row["happening"]), str(row.get("kind", "report")), str(row.get("why", "")))
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise ValueError(f"{f}:{lineno}: not a happening label ({exc})") from exc
            if label.kind not in KINDS:
                raise ValueError(f"{f}:{lineno}: kind {label.kind!r} is not one of {', '.join(KINDS)}")
            if key in out:
                raise ValueError(f"{f}:{lineno}: {'/'.join(key)} is labelled twice")
            out[key] = label
    return out


def gold(doc_of: Mapping[str, LabelledDoc], labels: Mapping[Key, Label]) -> dict[str, str]:
    """Article id → happening id for the articles that have a label."""
    return {aid: labels[d.key].happening for aid, d in doc_of.items() if d.key in labels}


def missing(docs: Sequence[LabelledDoc], labels: Mapping[Key, Label]) -> list[LabelledDoc]:
    """The documents no label covers (a partial label file scores only what it labels)."""
    return [d for d in docs if d.key not in labels]
