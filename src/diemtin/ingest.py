"""Readers: files, folders (recursive) and stdin in .txt, .html/.htm, .json/.jsonl and .warc(.gz).

Each reader yields ``RawDocument`` records (decoded, Unicode-normalised, not yet cleaned) or a
``Skipped`` naming the input and the reason, so that a batch goes on past a bad file.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import stat
import sys
import zlib
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, BinaryIO

from . import htmlpage
from .encoding import DecodeError, decode_bytes
from .models import DateAnchor, RawDocument, RemovedLine, Skipped
from .text import normalize

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}
WARC_SUFFIXES = {".warc", ".arc"}
KNOWN_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | WARC_SUFFIXES

# Inputs above this size are refused rather than read into memory (a crawl page is < 1 MB).
MAX_BYTES = 64 * 1024 * 1024
# A .txt line longer than this is not article text (the longest line in VietnameseMDS, whose bodies are
# one line per article, is 16 kB); refusing it early avoids minutes of normalising a 50 MB blob.
MAX_LINE_BYTES = 1024 * 1024
# One article (title and body) longer than this is not one news article: the longest in VietnameseMDS
# and AbMuSu is 16,475 characters. Checked before normalising and cleaning, so that no later step (the
# summarizer's sentence similarities grow with the square of the sentences: 2 MB of text took 7.7 GB)
# ever sees more. A JSON record's raw line is held to 4x this (escapes such as \u1ea1 take 6 bytes).
MAX_ARTICLE_CHARS = 500_000
MAX_RECORD_BYTES = 4 * MAX_ARTICLE_CHARS
# WARC: a payload (one page) over this is skipped without being read whole, and reading stops after
# this many decompressed bytes in all (a 2 MB .warc.gz of zeros expands to 2 GiB). A run of this many
# bytes without a line break is not a WARC header or an HTTP header (warcio would hold it whole).
MAX_WARC_PAYLOAD = 16 * 1024 * 1024
MAX_WARC_BYTES = 1024 * 1024 * 1024


class IngestError(ValueError):
    """An input that cannot be read; the message names it and says why."""


def content_id(title: str, text: str) -> str:
    """Stable id from content: the same article text always gets the same id, wherever it lives."""
    digest = hashlib.sha1(f"{title}\n{text}".encode()).hexdigest()
    return digest[:16]


def suffix_of(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes[-1:] == [".gz"] and len(suffixes) >= 2:
        return suffixes[-2]
    return suffixes[-1] if suffixes else ""


def discover(paths: Iterable[str]) -> Iterator[str | Path | Skipped]:
    """Expand folders recursively (known suffixes only, sorted); pass files and "-" through. What a
    folder holds but is not read is a Skipped saying why: a subfolder that cannot be listed, a symbolic
    link to a folder (not followed: no loops, no walking out of the tree), a symbolic link to a file
    outside the folder given."""
    for p in paths:
        if p == "-":
            yield p
            continue
        path = Path(p)
        if _is_dir(path):
            files, skipped = _walk(path)
            yield from skipped
            yield from files
        else:
            yield path


def _walk(root: Path) -> tuple[list[Path], list[Skipped]]:
    """Files with a known suffix under ``root`` (sorted as ``sorted(root.rglob("*"))`` would), and what
    was not read. Not only regular files: a FIFO or a dangling link named *.txt is listed, and
    ``read_file`` reports it, rather than it being ignored."""
    files: list[Path] = []
    skipped: list[Skipped] = []
    try:
        real_root = root.resolve()
    except (OSError, RuntimeError):
        real_root = root.absolute()
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError as exc:
            name = display_name(folder)
            skipped.append(Skipped(name, f"{name}: cannot read folder ({exc.strerror or exc})"))
            continue
        for entry in entries:
            child = Path(entry.path)
            try:
                link = entry.is_symlink()
                if entry.is_dir(follow_symlinks=False):
                    stack.append(child)
                    continue
            except OSError:
                link = False
            if child.name.startswith("."):
                continue
            if link and _is_dir(child):
                name = display_name(child)
                skipped.append(
                    Skipped(name, f"{name}: symbolic link to a folder, not followed (give the folder itself)")
                )
                continue
            if suffix_of(child) not in KNOWN_SUFFIXES:
                continue
            if link:
                try:
                    target = child.resolve(strict=True)
                except (OSError, RuntimeError):
                    target = None  # dangling or a loop: read_file says which
                if target is not None and not target.is_relative_to(real_root):
                    name = display_name(child)
                    skipped.append(
                        Skipped(
                            name,
                            f"{name}: symbolic link to {display_name(target)}, outside {display_name(root)}"
                            " (not followed)",
                        )
                    )
                    continue
            files.append(child)
    files.sort()
    skipped.sort(key=lambda s: s.path)
    return files, skipped


def _is_dir(path: Path) -> bool:
    """``Path.is_dir`` that says False instead of raising (e.g. EACCES on a path in a locked folder);
    read_file then reports why the path cannot be read."""
    try:
        return path.is_dir()
    except OSError:
        return False


def read_inputs(paths: Iterable[str], stdin: BinaryIO | None = None) -> Iterator[RawDocument | Skipped]:
    """Read every input; exact copies (same content id) after the first are reported and skipped."""
    seen_ids: dict[str, str] = {}
    for item in _discover_reporting(paths):
        yield from assign_ids(read_item(item, stdin), seen_ids)


def discover_items(paths: Iterable[str]) -> list[str | Skipped]:
    """Every input ``read_item`` will read ("-" for stdin, file paths as strings), in reading order;
    a folder with nothing readable is a Skipped. Lets a caller read the items on several workers."""
    return [it if isinstance(it, Skipped) else str(it) for it in _discover_reporting(paths)]


def read_item(item: str | Path | Skipped, stdin: BinaryIO | None = None) -> list[RawDocument | Skipped]:
    """One input's documents, or a Skipped naming it and the reason; never raises for bad input."""
    if isinstance(item, Skipped):
        return [item]
    name = "-" if item == "-" else display_name(item)
    try:
        if item == "-":
            data = (stdin or sys.stdin.buffer).read(MAX_BYTES + 1)
            if len(data) > MAX_BYTES:
                raise IngestError(f"-: too large (more than {MAX_BYTES / 2**20:.0f} MiB)")
            docs = [_too_long(d) for d in parse_bytes(data, "-", sniff=True)]
        else:
            docs = list(read_file(Path(item)))
    except IngestError as exc:
        return [Skipped(name, str(exc))]
    return docs or [Skipped(name, f"{name}: no article text found")]


def assign_ids(
    docs: Iterable[RawDocument | Skipped], seen: dict[str, str]
) -> Iterator[RawDocument | Skipped]:
    """Ids for documents in reading order (``seen`` carries over from earlier inputs): a document keeps
    the id its input gave, else gets its content id; an exact copy of an earlier one is a Skipped."""
    for doc in docs:
        yield from _assign_id(doc, seen)


def _discover_reporting(paths: Iterable[str]) -> Iterator[str | Path | Skipped]:
    """``discover``, plus a Skipped for a folder holding no file of a supported format.

    The inputs are taken in sorted order (stdin last), as folder walks are: ids are assigned in reading
    order (the first file to give an id keeps it), so ``digest b a`` must read as ``digest a b``."""
    for p in sorted(paths, key=lambda q: (q == "-", str(q))):
        found = False
        for item in discover([p]):
            found = found or not isinstance(item, Skipped)
            yield item
        if not found and p != "-" and _is_dir(Path(p)):
            yield Skipped(p, f"{p}: folder has no .txt, .html, .json(l) or .warc files")


def _assign_id(doc: RawDocument | Skipped, seen: dict[str, str]) -> Iterator[RawDocument | Skipped]:
    if isinstance(doc, Skipped):
        yield doc
        return
    body = "\n".join(doc.lines)
    hashed = content_id(doc.title or "", body)
    if doc.id and doc.id not in seen:
        seen[doc.id] = doc.path
        seen.setdefault(hashed, doc.path)
        yield doc
        return
    if hashed in seen:
        yield Skipped(doc.path, f"{doc.path}: identical to {seen[hashed]} (skipped as a duplicate)")
        return
    doc.id = hashed
    seen[hashed] = doc.path
    yield doc


def display_name(path: str | Path) -> str:
    """A path as text that can be printed, stored and written as UTF-8: a file name that is not valid
    UTF-8 (its bytes kept by Python as surrogates) shows those bytes as \\xNN escapes."""
    text = str(path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", "backslashreplace")
    return text


def _too_long(doc: RawDocument | Skipped) -> RawDocument | Skipped:
    """A document longer than ``MAX_ARTICLE_CHARS`` becomes a Skipped naming it."""
    if isinstance(doc, Skipped):
        return doc
    n = len(doc.title or "") + sum(len(ln) + 1 for ln in doc.lines)
    if n <= MAX_ARTICLE_CHARS:
        return doc
    return Skipped(doc.path, f"{doc.path}: {_article_limit(n)}")


def _article_limit(n: int) -> str:
    return f"{n:,} characters is longer than one news article (limit {MAX_ARTICLE_CHARS:,})"


def read_file(path: Path) -> Iterator[RawDocument | Skipped]:
    """Read one file of any supported format; an article over ``MAX_ARTICLE_CHARS`` is a Skipped."""
    return map(_too_long, _read_file(path))


def _read_file(path: Path) -> Iterator[RawDocument | Skipped]:
    name = display_name(path)
    try:
        st = path.stat()
    except OSError as exc:
        raise IngestError(f"{name}: cannot read ({exc.strerror or exc})") from exc
    if stat.S_ISDIR(st.st_mode):
        raise IngestError(f"{name}: is a folder")
    if not stat.S_ISREG(st.st_mode):
        # Reading a FIFO would block forever, a socket or device cannot be read as a file.
        raise IngestError(f"{name}: not a regular file (FIFO, socket or device)")
    size = st.st_size
    if size > MAX_BYTES:
        raise IngestError(f"{name}: too large ({size / 2**20:.0f} MiB > {MAX_BYTES / 2**20:.0f} MiB)")
    suffix = suffix_of(path)
    try:
        if suffix in WARC_SUFFIXES:
            yield from _read_warc(path)
            return
        raw = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"{name}: cannot read ({exc.strerror or exc})") from exc
    if path.name.lower().endswith(".gz"):
        import gzip

        try:
            # Read at most MAX_BYTES + 1: a small "gzip bomb" must not expand into all the memory there is.
            with gzip.GzipFile(fileobj=io.BytesIO(raw)) as gz:
                raw = gz.read(MAX_BYTES + 1)
        except (OSError, EOFError) as exc:
            raise IngestError(f"{name}: broken gzip file ({exc})") from exc
        if len(raw) > MAX_BYTES:
            raise IngestError(f"{name}: decompresses to more than {MAX_BYTES / 2**20:.0f} MiB")
    if suffix in TEXT_SUFFIXES:
        longest = max(map(len, raw.split(b"\n")))
        if longest > MAX_LINE_BYTES:
            raise IngestError(
                f"{name}: a line of {longest / 2**20:.1f} MiB (limit {MAX_LINE_BYTES / 2**20:.0f} MiB a line)"
                " is not article text"
            )
        yield from _read_txt_file(path, raw)
        return
    yield from parse_bytes(raw, name, suffix=suffix, sniff=suffix not in KNOWN_SUFFIXES)


# --------------------------------------------------------------------------------------------------
# Corpus folders: body files, metadata sidecars, reference summaries
#
# Corpora and many crawlers save an article as a body file plus a key-value metadata file of the same
# stem (VietnameseMDS: "X.body.txt" + "X.info.txt" with LINK/TITLE/SUMMARY/TIME), and put reference
# summaries ("C.ref1.txt") and collection descriptions ("C.info.txt": CLUSTER ID/NAME) beside them.
# A metadata file is told by its shape (every line "KEY: value"), not by its name; the name only says
# which files belong together (the same stem), and a summary file by the role its name gives it.

# A metadata line: an upper-case key (or a known key in any case), a colon, the value.
_KV_LINE = re.compile(r"^\s*(?P<key>[A-Z][A-Z0-9 _-]{0,30}|[A-Za-z][A-Za-z0-9 _-]{0,30})\s*:(?P<value>.*)$")
# Keys that describe one article (any case); a file with none of them describes something else.
_META_TITLE = ("title", "headline", "tieu de")
_META_URL = ("link", "url", "href", "source url", "source_url")
_META_LEAD = ("summary", "sapo", "description", "abstract", "lead", "standfirst", "teaser")
_META_DATE = ("time", "date", "published", "publish date", "publish_date", "pubdate", "datetime", "created")
_META_SOURCE = ("source", "site", "sitename", "publisher", "outlet")
_ARTICLE_KEYS = frozenset(_META_TITLE + _META_URL + _META_LEAD + _META_DATE)
_KNOWN_KEYS = _ARTICLE_KEYS | frozenset(_META_SOURCE) | frozenset(("id", "author", "category", "tags"))
# Name roles: "X.info.txt" is X's metadata, "X.body.txt" its body; a name part like "ref1", "summary" or
# "abstract" marks a summary written about the files beside it (DUC/TAC, VietnameseMDS, ROUGE inputs).
_METADATA_ROLES = ("info", "meta", "metadata")
_BODY_ROLES = ("body", "content", "text", "article")
_SUMMARY_ROLE = re.compile(
    r"^(?:refs?|reference|references|ref\d+|reference\d+|summary|summaries|summary\d+|summ|abstract"
    r"|abstract\d+|gold|highlights?|tldr|tomtat|tom_tat|tom-tat)$",
    re.IGNORECASE,
)
# A sidecar is a few lines; a larger file is not read as one.
_MAX_SIDECAR_BYTES = 256 * 1024


def metadata_fields(text: str) -> dict[str, str] | None:
    """The fields of a key-value metadata file ("TITLE: ...", "LINK: ..."), keys lower-cased; None when
    ``text`` is not one: every non-blank line must be "KEY: value", keys upper-case or known, and either
    two lines or more or a key that describes an article (a one-line "Hà Nội: ..." body is not)."""
    fields: dict[str, str] = {}
    lines = [ln for ln in text.split("\n") if ln.strip()]
    if not lines:
        return None
    for ln in lines:
        m = _KV_LINE.match(ln)
        if not m:
            return None
        key = " ".join(m["key"].replace("_", " ").split()).casefold()
        raw_key = m["key"].strip()
        if not (raw_key.isupper() or key in _KNOWN_KEYS or key.replace(" ", "_") in _KNOWN_KEYS):
            return None
        fields.setdefault(key, m["value"].strip())
    if len(fields) < 2 and not set(fields) & _ARTICLE_KEYS:
        return None
    return fields


def _field(fields: dict[str, str], keys: Iterable[str]) -> str | None:
    for k in keys:
        v = fields.get(k) or fields.get(k.replace("_", " "))
        if v:
            return v
    return None


_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?%)\]}”])")
_SPACE_AFTER_OPEN = re.compile(r"([(\[{“])\s+")
_JOINED_SYLLABLES = re.compile(r"(?<=[^\W\d_])_(?=[^\W\d_])")


def detokenize(text: str) -> str:
    """Undo word segmentation in a metadata value: "đối_lập" → "đối lập" (underscores that join
    syllables), "tháng 7 ." → "tháng 7." (tokenizers put spaces around punctuation)."""
    text = " ".join(_JOINED_SYLLABLES.sub(" ", text).split())
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    return _SPACE_AFTER_OPEN.sub(r"\1", text)


def _name_parts(path: Path) -> tuple[str, str | None]:
    """(stem, role) of "STEM.ROLE.txt" ("12240106", "body"); role None for "STEM.txt" or when the last
    name part is not a word ("tin-08.12.2021.txt")."""
    name = path.name[:-3] if path.name.lower().endswith(".gz") else path.name
    base = name.rsplit(".", 1)[0] if "." in name else name
    stem, dot, role = base.rpartition(".")
    if dot and stem and re.fullmatch(r"[A-Za-z][\w-]*", role):
        return stem, role
    return base, None


def summary_role(path: Path) -> str | None:
    """The role part of a summary file's name ("ref1" in "cluster_1.ref1.txt"), else None."""
    stem, role = _name_parts(path)
    if role and _SUMMARY_ROLE.match(role):
        return role
    if role is None and _SUMMARY_ROLE.match(stem):
        return stem
    return None


def _read_small(path: Path) -> str | None:
    try:
        if not path.is_file() or path.stat().st_size > _MAX_SIDECAR_BYTES:
            return None
        return decode_bytes(path.read_bytes(), display_name(path))
    except (OSError, DecodeError):
        return None


def sidecar_fields(path: Path) -> tuple[Path, dict[str, str]] | None:
    """The metadata file beside body file ``path`` ("X.info.txt" for "X.body.txt" or "X.txt") and its
    fields, when there is one that has the metadata shape."""
    stem, role = _name_parts(path)
    if role is not None and role.lower() in _METADATA_ROLES:
        return None
    for mrole in _METADATA_ROLES:
        for cand in (path.with_name(f"{stem}.{mrole}.txt"), path.with_name(f"{stem}.{mrole.upper()}.txt")):
            if cand == path:
                continue
            text = _read_small(cand)
            fields = metadata_fields(normalize(text)) if text is not None else None
            if fields is not None:
                return cand, fields
    return None


def _body_beside(path: Path) -> Path | None:
    """The body file a metadata file ``path`` describes: "X.body.txt" (or "X.txt", ...) beside
    "X.info.txt"."""
    stem, role = _name_parts(path)
    if role is None:
        return None
    names = [f"{stem}.{r}.txt" for r in _BODY_ROLES] + [f"{stem}{s}" for s in (".txt", ".html", ".htm")]
    for n in names:
        cand = path.with_name(n)
        if cand != path and cand.is_file():
            return cand
    return None


def _read_txt_file(path: Path, raw: bytes) -> Iterator[RawDocument | Skipped]:
    """A .txt input: an article (titled or body-only, with its metadata sidecar's fields), a metadata
    file, or a summary file; the last two are Skipped with their kind, never read as articles."""
    name = display_name(path)
    try:
        text = normalize(decode_bytes(raw, name))
    except DecodeError as exc:
        raise IngestError(str(exc)) from exc
    if (role := summary_role(path)) is not None:
        yield Skipped(name, f"{name}: a summary file (named '.{role}'), not an article", kind="summary")
        return
    fields = metadata_fields(text)
    if fields is not None:
        keys = ", ".join(k.upper() for k in fields)
        body = _body_beside(path) if set(fields) & _ARTICLE_KEYS else None
        if body is not None:
            yield Skipped(name, f"{name}: metadata ({keys}) of {display_name(body.name)}", kind="sidecar")
        else:
            what = "describes no article" if not set(fields) & _ARTICLE_KEYS else "no article file beside it"
            yield Skipped(name, f"{name}: a metadata file ({keys}; {what}), not an article", kind="metadata")
        return
    side = sidecar_fields(path)
    if side is not None and not set(side[1]) & _ARTICLE_KEYS:
        # "C.txt" beside "C.info.txt" that names a collection ("CLUSTER ID", "CLUSTER NAME"): a text
        # about the collection (its summary), not one of its articles.
        who = display_name(side[0].name)
        yield Skipped(name, f"{name}: described by {who} as a collection, not an article", kind="summary")
        return
    doc = parse_txt(text, name, with_title=side is None or _field(side[1], _META_TITLE) is None)
    if doc is None:
        return
    if side is not None:
        apply_metadata(doc, side[1])
    yield doc


def apply_metadata(doc: RawDocument, fields: dict[str, str]) -> None:
    """A sidecar's fields onto the document it describes: title, sapo (first line), date, URL, source."""
    if title := _field(fields, _META_TITLE):
        doc.title = detokenize(title)
        doc.title_derived = False
    if lead := _field(fields, _META_LEAD):
        lead = detokenize(lead)
        first = next((ln for ln in doc.lines if ln.strip()), "")
        if lead not in first:
            doc.lines.insert(0, lead)  # the sapo opens the article as published
        doc.lead = lead
    if when := _field(fields, _META_DATE):
        doc.published = normalize_published(when) or doc.published
        if doc.published:
            doc.anchors.append(DateAnchor("published", "sidecar", doc.published))
    if url := _field(fields, _META_URL):
        doc.url = url
    if src := _field(fields, _META_SOURCE):
        doc.source = src


def parse_bytes(
    data: bytes, name: str, suffix: str = "", sniff: bool = False
) -> Iterator[RawDocument | Skipped]:
    """Decode and parse one input's bytes by suffix (or by sniffing the content for stdin)."""
    try:
        text = decode_bytes(data, name)
    except DecodeError as exc:
        if suffix not in (".jsonl", ".ndjson") or data.lstrip()[:1] == b"[":
            raise IngestError(str(exc)) from exc
        # JSON Lines: each record on its own, so that one record in an unknown encoding is skipped
        # alone and the others are read.
        text, bad = _decode_each_line(data, name)
        yield from bad
    if sniff:
        head = text.lstrip()[:200].lower()
        if head.startswith(("{", "[")):
            suffix = ".jsonl"
        elif head.startswith(("<!doctype html", "<html", "<?xml")) or "<body" in head:
            suffix = ".html"
        else:
            suffix = ".txt"
    if suffix in HTML_SUFFIXES:
        doc = parse_html(text, name)
        if doc is not None:
            yield doc
    elif suffix in JSON_SUFFIXES:
        yield from parse_json(text, name)
    else:
        doc = parse_txt(text, name)
        if doc is not None:
            yield doc


def _decode_each_line(data: bytes, name: str) -> tuple[str, list[Skipped]]:
    """The lines of a JSON Lines file decoded one by one; a line that cannot be decoded is left empty
    (so that line numbers stay right) and reported."""
    out: list[str] = []
    bad: list[Skipped] = []
    for lineno, line in enumerate(data.split(b"\n"), start=1):
        if not line.strip():
            out.append("")
            continue
        where = f"{name}:{lineno}"
        try:
            out.append(decode_bytes(line, where))
        except DecodeError as exc:
            out.append("")
            bad.append(Skipped(where, str(exc)))
    return "\n".join(out), bad


def parse_txt(text: str, name: str, with_title: bool = True) -> RawDocument | None:
    """Crawler text: the first non-empty line is the title, the rest is the page as saved. A body-only
    file (one paragraph, or a first line that reads as prose, not as a headline) is all body: its title
    is derived from the first sentence and marked so (``title_derived``). ``with_title=False``: the
    title comes from elsewhere (a metadata sidecar), every line is body."""
    if len(text) > MAX_ARTICLE_CHARS + MAX_ARTICLE_CHARS // 10:  # slack for spaces normalize removes
        raise IngestError(f"{name}: {_article_limit(len(text))}")
    lines = normalize(text).split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        return None
    first = lines[0].strip()
    if not with_title or sum(1 for ln in lines if ln.strip()) == 1 or not _headline_shaped(first):
        body = [ln.strip() for ln in lines]
        return RawDocument(path=name, lines=body, title=derive_title(first), format="txt", title_derived=True)
    body = [ln.strip() for ln in lines[1:]]
    return RawDocument(path=name, lines=body, title=first, format="txt")


# Vietnamese news headlines run up to ~30 words (VietnameseMDS TITLE: at most 28; AbMuSu titles: 36)
# and are one sentence; a first line longer than this, or of two sentences or more past 20 words, is
# the body's first paragraph.
_TITLE_MAX_WORDS = 40
_TITLE_MAX_WORDS_MULTI = 20
_DERIVED_TITLE_WORDS = 20


def _headline_shaped(line: str) -> bool:
    from .text import split_sentences

    n = len(line.split())
    if n > _TITLE_MAX_WORDS:
        return False
    return not (n > _TITLE_MAX_WORDS_MULTI and len(split_sentences(line)) >= 2)


def derive_title(paragraph: str) -> str:
    """A title for a body-only text: its first sentence, less a dateline ("TTO - "), cut to about 20
    words at a comma (or at 20 words with "…")."""
    from .clean import dateline
    from .text import split_sentences

    text = paragraph.strip()
    if (dl := dateline(text, correspondent=False)) is not None:
        text = text[len(dl[0]) :].strip()
    sents = split_sentences(text)
    first = (sents[0] if sents else text).strip()
    words = first.split()
    if len(words) <= _DERIVED_TITLE_WORDS:
        return first.rstrip(" .")
    head = " ".join(words[:_DERIVED_TITLE_WORDS])
    cut = head.rfind(",")
    if cut >= len(head) // 2:
        return head[:cut]
    return head.rstrip(",;:") + "…"


def parse_html(html: str, name: str, url: str | None = None) -> RawDocument | None:
    """Main text and metadata (title, date, site name, URL) with trafilatura."""
    import trafilatura

    if len(html) > 20_000_000:
        raise IngestError(f"{name}: HTML too large to parse safely")
    try:
        doc = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=False
        )
    except (ValueError, RecursionError, MemoryError) as exc:
        raise IngestError(f"{name}: HTML could not be parsed ({type(exc).__name__})") from exc
    if doc is None:
        depth = html_depth(html)
        if depth > MAX_HTML_DEPTH:
            raise IngestError(
                f"{name}: HTML nested {depth} levels deep (the parser gives up past {MAX_HTML_DEPTH});"
                " no article text found"
            )
        return None
    meta: dict[str, Any] = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    body = normalize(meta.get("text") or "")
    if not body.strip():
        return None
    tree = htmlpage.parse(html)
    meta_title = normalize(meta.get("title") or "").strip()
    # The page's visible <h1> over og:title/<title>, which outlets suffix or rewrite (htmlpage).
    h1 = htmlpage.headline_element(tree, meta_title) if tree is not None else None
    title = (htmlpage.text_of(h1) if h1 is not None else None) or meta_title
    lines = [ln.strip() for ln in body.split("\n")]
    removed: list[RemovedLine] = []
    while lines and not lines[0]:
        lines.pop(0)
    if title and lines and _squash(lines[0]) in (_squash(title), _squash(meta_title)):
        lines = lines[1:]  # trafilatura repeats the <h1> headline as the first body line
    found = htmlpage.sapo(tree, meta.get("description"), h1) if tree is not None else None
    if found and _body_starts_before(lines, found):
        found = None  # the "lead" comes after the body has begun: an author bio, a video blurb
    lead = found.text if found else None
    if found:
        lines, before = _place_lead(lines, found)
        removed += [RemovedLine(ln, "before-sapo") for ln in before]
        if _squash(title) == _squash(found.text):
            title = ""  # a page with no headline: trafilatura took the sapo (an <h2>) for the title
    if tree is not None:
        # A photo's caption printed again under it as a paragraph (its alt text): not article text.
        own = {_squash(lead or ""), _squash(title)}
        captions = htmlpage.alt_captions(tree) - own
        # Another article's headline printed as a paragraph of its own, a bare link (a related box).
        links = htmlpage.linked_headlines(tree) - own - captions
        why = {**dict.fromkeys(links, "related-block"), **dict.fromkeys(captions, "caption")}
        removed += [RemovedLine(ln, why[_squash(ln)]) for ln in lines if ln and _squash(ln) in why]
        lines = [ln for ln in lines if not (ln and _squash(ln) in why)]
    derived = False
    if not title:
        first = next((ln for ln in lines if ln), "")
        title, derived = derive_title(first), True
    published = normalize_published(meta.get("date"))
    return RawDocument(
        path=name,
        lines=lines,
        title=title,
        url=meta.get("url") or url,
        source=meta.get("sitename") or meta.get("hostname"),
        published=published,
        format="html",
        # trafilatura's date comes from the page's metadata (meta tags, JSON-LD, the URL, the text).
        anchors=[DateAnchor("published", "html-meta", published)] if published else [],
        removed=removed,
        lead=lead,
        title_derived=derived,
    )


def _squash(text: str) -> str:
    return "".join(text.split())


# Lines an extractor puts above the sapo are the page's head (date, byline, "Ngày đăng: ..."); a line
# longer than this, or a sentence, is kept all the same (recall first: the sapo may have been misread).
_HEAD_MAX_WORDS = 12


def _body_starts_before(lines: list[str], lead: htmlpage.Lead) -> bool:
    """True when the first sentence-length line of the extracted body is printed before the lead."""
    key = _squash(lead.text)
    for ln in lines:
        if len(ln.split()) >= _HEAD_MAX_WORDS and key not in _squash(ln):
            return _squash(ln) in lead.before
    return False


def _place_lead(lines: list[str], lead: htmlpage.Lead) -> tuple[list[str], list[str]]:
    """The body with the sapo as its first paragraph, and the head lines set aside: where the extractor
    kept the sapo, short lines above it; where it dropped it (trafilatura mostly does) and it goes back
    on top, the short lines that the page prints before the sapo (a date, a byline)."""
    key = _squash(lead.text)
    at = next((i for i, ln in enumerate(lines) if ln and key in _squash(ln)), None)
    if at is None:
        # Not kept whole: put it back whole, dropping any piece of it that was kept.
        lines = [ln for ln in lines if not (ln and _squash(ln) in key and len(_squash(ln)) > 20)]
        head = 0
        while head < len(lines) and (not lines[head] or _squash(lines[head]) in lead.before):
            head += 1
        before, rest = lines[:head], lines[head:]
        at, lines = len(before), [*before, lead.text, *rest]
    before = [ln for ln in lines[:at] if ln]
    keep = [ln for ln in before if len(ln.split()) > _HEAD_MAX_WORDS and ln.rstrip()[-1:] in '.!?…"”']
    gone = [ln for ln in before if ln not in keep]
    return [*keep, *lines[at:]], gone


# libxml2 (under lxml, under trafilatura) stops building the tree past 255 levels of nesting unless
# XML_PARSE_HUGE is set, and the article inside is lost; we say so instead of "no article text".
MAX_HTML_DEPTH = 255
_VOID_TAGS = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)


class _DepthParser(HTMLParser):
    """Deepest element nesting of an HTML page (stdlib parser: no depth limit, no tree kept)."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.deepest = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _VOID_TAGS:
            self.depth += 1
            self.deepest = max(self.deepest, self.depth)

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID_TAGS:
            self.depth = max(0, self.depth - 1)


def html_depth(html: str) -> int:
    """How deeply the elements of ``html`` nest (unclosed tags count as open)."""
    parser = _DepthParser()
    parser.feed(html)
    parser.close()
    return parser.deepest


_JSON_TEXT_KEYS = ("text", "raw_text", "body", "content")


def parse_json(text: str, name: str) -> Iterator[RawDocument | Skipped]:
    """A JSON array/object or JSON Lines: records need ``text``; ``id``, ``title``, ``url``,
    ``source`` and ``published`` are optional. A broken line is reported with its number."""
    stripped = text.lstrip()
    records: Iterable[tuple[str, Any]]
    if stripped.startswith("["):
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise IngestError(
                f"{name}: invalid JSON ({exc.msg}: line {exc.lineno} column {exc.colno})"
            ) from exc
        records = ((f"{name}#{i + 1}", r) for i, r in enumerate(data))
    else:
        records = _jsonl_records(text, name)
    for where, rec in records:
        if isinstance(rec, Skipped):
            yield rec
            continue
        if not isinstance(rec, dict):
            yield Skipped(where, f"{where}: record is not a JSON object")
            continue
        body = next((rec[k] for k in _JSON_TEXT_KEYS if isinstance(rec.get(k), str) and rec[k].strip()), None)
        if body is None:
            yield Skipped(where, f"{where}: record has no 'text'")
            continue
        if len(body) > MAX_ARTICLE_CHARS:
            yield Skipped(where, f"{where}: {_article_limit(len(body))}")
            continue
        title = rec.get("title") if isinstance(rec.get("title"), str) else None
        lines = [ln.strip() for ln in normalize(body).split("\n")]
        if title is None:
            while lines and not lines[0]:
                lines.pop(0)
            title = lines.pop(0) if lines else ""
        rid = rec.get("id")
        # a list or object is not an id; the content hash stands in
        rid = clean_id(str(rid)) if isinstance(rid, (str, int)) and not isinstance(rid, bool) else None
        anchors = json_anchors(rec)
        yield RawDocument(
            path=where,
            lines=lines,
            title=normalize(title).strip(),
            id=str(rid) if rid not in (None, "") else None,
            url=_scalar_str(rec.get("url")),
            source=_scalar_str(rec.get("source")),
            published=next((x.value for x in anchors if x.kind == "published"), None),
            format="json",
            anchors=anchors,
        )


# JSON record fields read as date anchors (docs/dating.md, "As-of, date anchors"), in order of preference:
# the page's own publication date (the first found is ``published``), then dates by which the page
# existed (crawl, download, modification times). "timestamp" is read as a crawl time: crawlers stamp
# records with it; as a bound it is right either way.
PUBLISHED_FIELDS = ("published", "published_at", "publishedAt", "publish_date", "publish_time",
                    "date_publish", "datePublished", "pubDate", "pub_date", "date", "time")  # fmt: skip
CRAWLED_FIELDS = ("crawled_at", "crawl_date", "crawled", "crawl_time", "date_download", "downloaded_at",
                  "fetched_at", "fetch_time", "scraped_at", "retrieved_at", "timestamp", "date_modify",
                  "dateModified", "modified", "modified_at", "last_modified", "updated_at")  # fmt: skip


def json_anchors(rec: dict[str, Any]) -> list[DateAnchor]:
    """Every date a JSON record carries in ``PUBLISHED_FIELDS`` and ``CRAWLED_FIELDS`` (ISO values)."""
    out = []
    for kind, fields in (("published", PUBLISHED_FIELDS), ("crawled", CRAWLED_FIELDS)):
        for f in fields:
            if (iso := normalize_published(rec.get(f))) is not None:
                out.append(DateAnchor(kind, f, iso))
    return out


def http_date(value: str | None) -> str | None:
    """An HTTP date ("Wed, 31 Aug 2022 10:00:00 GMT") or an ISO one (WARC-Date) in ISO 8601, else None."""
    if not value or not value.strip():
        return None
    iso = normalize_published(value.strip())
    if iso is not None:
        return iso
    try:
        return normalize_published(parsedate_to_datetime(value.strip()).isoformat())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def mtime_anchor(path: str) -> DateAnchor | None:
    """The modification time of the file a document came from (``--mtime-is-crawl-date``): a record
    "file.jsonl:3" or "file.warc#2" is the file's; None when it is not a file here."""
    for p in (path, re.sub(r"(?::\d+|#\d+)$", "", path)):
        try:
            st = Path(p).stat()
        except (OSError, ValueError):
            continue
        if stat.S_ISREG(st.st_mode):
            iso = normalize_published(datetime.fromtimestamp(st.st_mtime, tz=UTC).isoformat())
            return DateAnchor("crawled", "mtime", iso) if iso else None
    return None


def _jsonl_records(text: str, name: str) -> Iterator[tuple[str, Any]]:
    for lineno, line in enumerate(io.StringIO(text), start=1):
        if not line.strip():
            continue
        where = f"{name}:{lineno}"
        if len(line) > MAX_RECORD_BYTES:
            # Not parsed at all: a 60 MB record took minutes to normalise and clean.
            yield where, Skipped(where, f"{where}: {_article_limit(len(line))}")
            continue
        try:
            yield where, json.loads(line)
        except json.JSONDecodeError as exc:
            yield where, Skipped(where, f"{where}: broken JSON line ({exc.msg})")


# Control and bidirectional-formatting characters: never part of an id a person can read or type (and
# the store's placeholders start with NUL); an id longer than this is not an id but a blob.
_ID_JUNK = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
MAX_ID_CHARS = 200


def clean_id(value: str) -> str | None:
    """A record's id as given, without control or bidi characters and surrounding space; None when
    nothing is left or it is longer than ``MAX_ID_CHARS`` (the content hash then stands in)."""
    rid = _ID_JUNK.sub("", value).strip()
    return rid if rid and len(rid) <= MAX_ID_CHARS else None


def _scalar_str(value: Any) -> str | None:
    """A JSON string or number as text; null, lists and objects are not metadata values."""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        return None
    s = _ID_JUNK.sub("", str(value)).strip()  # no control or bidi characters in a source or URL
    return s or None


# Crawlers write dates as ISO (2021-12-08T10:00:00+07:00), as Vietnamese portals print them
# (08/12/2021 10:00, 8-12-2021) or with slashes year first (2021/12/08).
_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ ,T]+(\d{1,2})[:h](\d{2}))?")
_YMD = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})")


# Publication years outside this range are not dates of a news page but placeholders or attacks
# (9999-12-31, 0001-01-01): dating counts days and years from the publication date, and "ngày mai" after
# 9999-12-31 is past what Python's dates hold. Such a value is dropped, as an unparseable one is.
PUBLISHED_YEARS = range(1800, 2200)


def normalize_published(value: Any) -> str | None:
    """The publication date in ISO 8601 (``2021-12-08`` or ``2021-12-08T10:00:00``), whatever form the
    input used, or None when it is missing, not a date or outside ``PUBLISHED_YEARS``: every later stage
    compares ISO strings."""
    iso = _iso_published(value)
    if iso is None or int(iso[:4]) not in PUBLISHED_YEARS:
        return None
    return iso


def _iso_published(value: Any) -> str | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 1e9 <= value < 1e14:
        # a Unix timestamp, in seconds or (above 1e11) milliseconds, as many crawlers store it
        seconds = value / 1000 if value >= 1e11 else value
        return datetime.fromtimestamp(seconds, tz=UTC).isoformat()
    text = _scalar_str(value)
    if text is None:
        return None
    try:
        d = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    else:
        if len(text) <= 10:
            return d.date().isoformat()
        return d.isoformat()
    try:
        if m := _DMY.fullmatch(text):
            day, month, year = int(m[1]), int(m[2]), int(m[3])
            if m[4]:
                return datetime(year, month, day, int(m[4]), int(m[5])).isoformat()
            return date(year, month, day).isoformat()
        if m := _YMD.fullmatch(text):
            return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:  # 31/02/2021 and the like
        return None
    return None


class _WarcLimit(Exception):
    """Reading a WARC went past one of its limits; the message says which."""


class _GuardedStream(io.RawIOBase):
    """The decompressed bytes of a WARC for warcio, counted: past ``MAX_WARC_BYTES`` in all, or a run
    of ``MAX_WARC_PAYLOAD`` bytes without a line break (warcio reads header lines whole, however long),
    reading stops with ``_WarcLimit``. Decompressing here (gzip members one after another, as warcio
    would) means the limits hold whatever the compression ratio."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.total = 0
        self.run = 0  # bytes since the last line break
        self.broken: str | None = None  # why the compressed data ended early, if it did

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.broken:
            return 0
        try:
            # read1: one step of decompression at a time (read(n) would go on to fill n bytes, and a
            # gzip stream cut short raises on the step that meets the cut, losing what the call had):
            # everything before the cut reaches warcio.
            size = min(len(buffer), 8192)
            data = self.raw.read1(size) if hasattr(self.raw, "read1") else self.raw.read(size)
        except (EOFError, OSError, zlib.error) as exc:
            # Shown to warcio as the end of the file; _warc_records says the file was cut.
            self.broken = str(exc) or type(exc).__name__
            return 0
        n = len(data)
        buffer[:n] = data
        self.total += n
        if self.total > MAX_WARC_BYTES:
            raise _WarcLimit(f"it decompresses to more than {MAX_WARC_BYTES / 2**20:.0f} MiB")
        nl = data.rfind(b"\n")
        self.run = self.run + n if nl < 0 else n - nl - 1
        if self.run > MAX_WARC_PAYLOAD:
            raise _WarcLimit(f"a run of {MAX_WARC_PAYLOAD / 2**20:.0f} MiB without a line break")
        return n


def _read_warc(path: Path) -> Iterator[RawDocument | Skipped]:
    """HTML responses in a WARC file, each read like an .html input (its URL kept). Payloads over
    ``MAX_WARC_PAYLOAD`` are skipped unread; a truncated file or record is read up to the cut and
    reported; warcio's own messages (it writes them to stderr) are kept out of the output."""
    import contextlib
    import gzip

    name = display_name(path)
    with path.open("rb") as fh:
        raw: BinaryIO = fh
        if fh.read(2) == b"\x1f\x8b":
            raw = gzip.GzipFile(fileobj=fh)  # type: ignore[assignment]
        fh.seek(0)
        stream = _GuardedStream(raw)
        chatter = io.StringIO()
        out: list[RawDocument | Skipped] = []
        with contextlib.redirect_stderr(chatter):
            # Collected, then yielded: stderr must not stay redirected while the caller runs.
            out = _warc_records(stream, name)
    said = chatter.getvalue().strip()
    if said:
        first = said.splitlines()[0][:200]
        out.append(Skipped(name, f"{name}: the WARC reader warned: {first}"))
    return iter(out)


def _warc_records(stream: _GuardedStream, name: str) -> list[RawDocument | Skipped]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    out: list[RawDocument | Skipped] = []
    n = 0
    try:
        for n, record in enumerate(ArchiveIterator(stream), start=1):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            ctype = record.http_headers.get_header("Content-Type") or ""
            if "html" not in ctype.lower():
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            where = f"{name}#{n}"
            payload = record.content_stream().read(MAX_WARC_PAYLOAD + 1)
            if len(payload) > MAX_WARC_PAYLOAD:
                # The rest is skipped by warcio in small reads, never held.
                too_big = f"{where}: page over {MAX_WARC_PAYLOAD / 2**20:.0f} MiB (not read)"
                out.append(Skipped(where, too_big))
                continue
            declared = record.rec_headers.get_header("Content-Length")
            cut = record.raw_stream.limit > 0 if hasattr(record.raw_stream, "limit") else False
            try:
                html = decode_bytes(payload, where)
                doc = parse_html(html, where, url=url)
            except (DecodeError, IngestError) as exc:
                out.append(Skipped(where, str(exc)))
                continue
            if cut:
                cut_short = f"{where}: record cut short (Content-Length {declared}); read up to the cut"
                out.append(Skipped(where, cut_short))
            if doc is not None:
                # The crawl's own dates: when the record was fetched, and the server's clock and the
                # page's last change as the response gave them (all: the page existed by then).
                heads = (
                    ("WARC-Date", record.rec_headers.get_header("WARC-Date")),
                    ("HTTP Date", record.http_headers.get_header("Date")),
                    ("Last-Modified", record.http_headers.get_header("Last-Modified")),
                )
                doc.anchors += [DateAnchor("crawled", k, iso) for k, v in heads if (iso := http_date(v))]
                out.append(doc)
    except ArchiveLoadFailed as exc:
        if n == 0 and not out:
            raise IngestError(f"{name}: not a valid WARC file ({exc})") from exc
        out.append(Skipped(name, f"{name}: not valid after record {n} ({exc}); the records before are read"))
    except (EOFError, OSError) as exc:
        # gzip: "Compressed file ended before the end-of-stream marker was reached", or broken data.
        if n == 0 and not out:
            raise IngestError(f"{name}: broken or truncated WARC file ({exc})") from exc
        out.append(Skipped(name, f"{name}: truncated after record {n} ({exc}); the records before are read"))
    except _WarcLimit as exc:
        out.append(Skipped(name, f"{name}: reading stopped at record {n + 1}: {exc}"))
    if stream.broken:
        if not out:
            raise IngestError(f"{name}: broken or truncated WARC file ({stream.broken})")
        out.append(
            Skipped(
                name, f"{name}: truncated after record {n} ({stream.broken}); the records before are read"
            )
        )
    return out
