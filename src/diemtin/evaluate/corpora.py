"""Loaders of the dev corpora (VietnameseMDS folders, AbMuSu JSON lines) and their articles as a crawl.

Clusters are fed to diemtin the way a user's crawl arrives: each document is written as a ``.txt``
(title line, blank line, body) or a JSONL record into a temporary folder and read back through
:func:`diemtin.api.read_articles` (ingest + clean as in production), with no cluster information.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import tempfile
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..models import Article
from ..text import syllables


@dataclass(slots=True)
class Document:
    """One source document of a cluster, as the corpus gives it."""

    name: str
    title: str
    body: str  # paragraphs separated by "\n"
    sapo: str = ""  # the standfirst, part of the input (AbMuSu ``anchor_text``)
    abstract: str = ""  # the standfirst known only as metadata, not part of the input (vmds SUMMARY)

    def as_txt(self) -> str:
        """The crawl-like .txt: title, blank line, [sapo, blank line,] body."""
        parts = [self.title, self.sapo, self.body]
        return "\n\n".join(p.strip() for p in parts if p.strip()) + "\n"


@dataclass(slots=True)
class Cluster:
    id: str
    documents: list[Document]
    references: list[str] = field(default_factory=list)


_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?%)\]}”])")
_SPACE_AFTER_OPEN = re.compile(r"([(\[{“])\s+")


def detokenize(text: str) -> str:
    """Undo VietnameseMDS word segmentation: underscores to spaces, no spaces before punctuation."""
    text = " ".join(text.replace("_", " ").split())
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    return _SPACE_AFTER_OPEN.sub(r"\1", text)


def _info_fields(path: Path) -> dict[str, str]:
    fields: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip().isupper():
            fields.setdefault(key.strip(), value.strip())
    return fields


def _cluster_number(p: Path) -> tuple[int, str]:
    m = re.search(r"(\d+)$", p.name)
    return (int(m.group(1)) if m else 1 << 30, p.name)


def _vmds_dirs(root: Path) -> list[Path]:
    """A VietnameseMDS layout's ``cluster_N`` folders in cluster order (an error when there are none)."""
    dirs = sorted(
        (d for d in root.iterdir() if d.is_dir() and d.name.startswith("cluster")), key=_cluster_number
    )
    if not dirs:
        raise ValueError(f"{root}: no cluster_N folders (not a VietnameseMDS layout)")
    return dirs


def _vmds_bodies(cluster: Path) -> Iterator[tuple[str, dict[str, str], str]]:
    """Each article of one vmds cluster folder: its stem, its ``.info.txt`` fields and its body text."""
    for body in sorted(cluster.glob("*.body.txt")):
        stem = body.name[: -len(".body.txt")]
        info = cluster / f"{stem}.info.txt"
        if not info.is_file():
            raise ValueError(f"{info}: missing (every .body.txt needs its .info.txt)")
        yield stem, _info_fields(info), body.read_text(encoding="utf-8").strip()


def load_vmds(root: Path) -> list[Cluster]:
    """VietnameseMDS: ``root/cluster_N/`` with ``<doc>.body.txt``, ``<doc>.info.txt``, ``*.refK.txt``."""
    clusters = []
    for d in _vmds_dirs(root):
        docs = [
            Document(
                stem,
                detokenize(fields.get("TITLE", "")),
                text,
                abstract=detokenize(fields.get("SUMMARY", "")),
            )
            for stem, fields, text in _vmds_bodies(d)
        ]
        refs = [p.read_text(encoding="utf-8").strip() for p in sorted(d.glob(f"{d.name}.ref*.txt"))]
        if not docs or not refs:
            raise ValueError(f"{d}: needs at least one .body.txt and one .refN.txt")
        clusters.append(Cluster(d.name, docs, refs))
    return clusters


def load_abmusu(path: Path) -> list[Cluster]:
    """AbMuSu JSON lines: ``{"single_documents": [{"title", "anchor_text", "raw_text"}], "summary"}``."""
    clusters = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
            docs = [
                Document(f"doc{i + 1}", d["title"].strip(), d["raw_text"], sapo=d.get("anchor_text") or "")
                for i, d in enumerate(rec["single_documents"])
            ]
            refs = [rec["summary"]] if isinstance(rec["summary"], str) else list(rec["summary"])
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{lineno}: not an AbMuSu record ({exc})") from exc
        clusters.append(Cluster(f"abmusu_{lineno}", docs, refs))
    return clusters


def load(path: Path | str) -> list[Cluster]:
    """Either layout: a VietnameseMDS folder or an AbMuSu ``.jsonl`` file."""
    p = Path(path)
    if p.is_dir():
        return load_vmds(p)
    if p.is_file():
        return load_abmusu(p)
    raise ValueError(f"{p}: no such file or folder")


_SYLLABLE = re.compile(r"[^\W_]+")  # diemtin.text.syllables' tokens, here with their offsets


def _without_prefix(body: str, prefix: str) -> str:
    """``body`` without ``prefix`` when it opens with it (compared as syllables), else ``body``."""
    want = syllables(prefix)
    if not want:
        return body
    norm = unicodedata.normalize("NFC", body)
    toks = list(_SYLLABLE.finditer(norm.lower()))
    if len(toks) <= len(want) or [t.group(0) for t in toks[: len(want)]] != want:
        return body
    return norm[toks[len(want) - 1].end() :].lstrip(" .,;:-–—\n")


def single_articles(clusters: Sequence[Cluster]) -> list[Cluster]:
    """One-article clusters: each document's body is the input and its sapo the reference.

    The sapo is AbMuSu's ``anchor_text`` or VietnameseMDS's SUMMARY (de-segmented); a body that opens
    with its sapo has it cut, so the reference is never copied from the input. Documents without a sapo,
    or whose body is not longer than it, are left out.
    """
    out = []
    for c in clusters:
        for doc in c.documents:
            sapo = (doc.sapo or doc.abstract).strip()
            body = _without_prefix(doc.body.strip(), sapo)
            if not sapo or len(syllables(body)) <= len(syllables(sapo)):
                continue
            out.append(Cluster(f"{c.id}/{doc.name}", [Document(doc.name, doc.title, body)], [sapo]))
    return out


def fingerprint(cluster: Cluster) -> str:
    """A short hash of a cluster's references (as syllables): the shipped summarizer stores those of its
    training clusters, so an evaluation can say which clusters it scores in-sample."""
    text = "\n".join(" ".join(syllables(r)) for r in cluster.references)
    return hashlib.sha1(text.encode()).hexdigest()[:10]


def mean_reference_length(clusters: Sequence[Cluster]) -> int:
    lengths = [len(syllables(r)) for c in clusters for r in c.references]
    return round(sum(lengths) / len(lengths)) if lengths else 200


def cluster_articles(cluster: Cluster, workdir: Path | None = None) -> list[Article]:
    """The cluster's documents as production ``Article`` objects: .txt files through ingest + clean."""
    from ..api import read_articles

    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        for i, doc in enumerate(cluster.documents):
            (Path(tmp) / f"{i:02d}_{doc.name}.txt").write_text(doc.as_txt(), encoding="utf-8")
        articles, _ = read_articles([tmp])
    return articles


def iter_cluster_articles(clusters: Sequence[Cluster]) -> Iterator[tuple[Cluster, list[Article]]]:
    for c in clusters:
        yield c, cluster_articles(c)


# --------------------------------------------------------------------------------------------------
# Articles of a whole corpus, mixed into one crawl (event and story grouping)


@dataclass(frozen=True, slots=True)
class LabelledDoc:
    """One article of a corpus with where it came from: the corpus ("vmds", "abmusu"), its published
    cluster (``cluster_N``; ``cN`` for line N, 0-based, of the AbMuSu file) and its id in the cluster
    (the vmds doc id; the 0-based position in the AbMuSu cluster). ``published`` is ISO when known."""

    corpus: str
    cluster: str
    doc: str
    title: str
    body: str
    published: str | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.corpus, self.cluster, self.doc)


def vmds_docs(root: Path, limit: int | None = None) -> list[LabelledDoc]:
    """Every vmds article: title (underscores → spaces), body, TIME (dd/mm/yyyy hh:mm → ISO)."""
    docs: list[LabelledDoc] = []
    for d in _vmds_dirs(root)[:limit]:
        for stem, fields, text in _vmds_bodies(d):
            when = re.match(r"(\d\d)/(\d\d)/(\d{4}) (\d\d:\d\d)", fields.get("TIME", ""))
            pub = f"{when.group(3)}-{when.group(2)}-{when.group(1)}T{when.group(4)}" if when else None
            title = fields.get("TITLE", "").replace("_", " ").strip()
            docs.append(LabelledDoc("vmds", d.name, stem, title, text, pub))
    return docs


def abmusu_docs(path: Path, limit: int | None = None) -> list[LabelledDoc]:
    """Every AbMuSu article: title, then the sapo (anchor_text) and raw_text as the body; no dates."""
    docs: list[LabelledDoc] = []
    with path.open(encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if limit is not None and i >= limit:
                break
            try:
                rec = json.loads(line)
                for k, d in enumerate(rec["single_documents"]):
                    body = (d.get("anchor_text") or "").strip() + "\n\n" + (d.get("raw_text") or "").strip()
                    docs.append(LabelledDoc("abmusu", f"c{i}", str(k), (d.get("title") or "").strip(), body))
            except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
                raise ValueError(f"{path}:{i + 1}: not an AbMuSu record ({exc})") from exc
    return docs


def corpus_docs(path: Path | str, limit: int | None = None) -> list[LabelledDoc]:
    """Either layout's articles: a VietnameseMDS folder or an AbMuSu ``.jsonl`` file."""
    p = Path(path)
    if p.is_dir():
        return vmds_docs(p, limit)
    if p.is_file():
        return abmusu_docs(p, limit)
    raise ValueError(f"{p}: no such file or folder")


def half(docs: Sequence[LabelledDoc], h: int) -> list[LabelledDoc]:
    """The articles of the clusters whose number is even (h=0) or odd (h=1): tune on one, report the other."""
    return [d for d in docs if int(re.sub(r"\D", "", d.cluster) or 0) % 2 == h]


def crawl_articles(
    docs: Sequence[LabelledDoc], fmt: str = "txt", seed: int = 0, workdir: Path | None = None
) -> tuple[list[Article], dict[str, LabelledDoc]]:
    """The documents as one crawl: shuffled, file names that say nothing of their cluster, read back by
    ``read_articles``. ``txt``: one ``title\\n\\nbody`` file each, no date; ``jsonl``: records
    ``{"id", "title", "text", "published"}``. Returns the articles and article id → document."""
    from ..api import read_articles

    if fmt not in ("txt", "jsonl"):
        raise ValueError(f"unknown crawl format {fmt!r}; choose txt or jsonl")
    order = list(range(len(docs)))
    random.Random(seed).shuffle(order)
    by_name: dict[str, LabelledDoc] = {}
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        if fmt == "jsonl":
            with (Path(tmp) / "crawl.jsonl").open("w", encoding="utf-8") as fh:
                for n, i in enumerate(order):
                    d = docs[i]
                    by_name[f"doc{n:05d}"] = d
                    rec = {"id": f"doc{n:05d}", "title": d.title, "text": d.body, "published": d.published}
                    fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        else:
            for n, i in enumerate(order):
                d = docs[i]
                by_name[f"doc{n:05d}.txt"] = d
                (Path(tmp) / f"doc{n:05d}.txt").write_text(f"{d.title}\n\n{d.body}\n", encoding="utf-8")
        articles, _skipped = read_articles([tmp])
    doc_of: dict[str, LabelledDoc] = {}
    for a in articles:
        doc_of[a.id] = by_name[a.id if fmt == "jsonl" and a.id in by_name else Path(a.path).name]
    return articles, doc_of
