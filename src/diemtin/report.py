"""Reports: ``digest.json`` (the contract), ``digest.md`` and a self-contained ``digest.html``.

The HTML has inline CSS and an inline SVG timeline: it opens offline, no CDN, and every piece of
article text goes through Jinja2 autoescaping.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from . import frontpage
from .clean import outlet_names
from .models import Article, Digest, Event, Skipped

# Said when no article of an event names its outlet (no dateline, credit or site name in the text),
# rather than leaving the line out: a reader should see that the source is unknown, not overlooked.
UNKNOWN_SOURCE = "không rõ (bài không ghi tên báo)"


# An opinion, analysis or advice piece (``Event.kind``, set by pipeline) is its own event in the story,
# labelled so that a reader does not take it for a report of what happened (issue 13's guideline).
KIND_LABELS = {"commentary": "Bình luận"}


def kind_label(kind: str) -> str:
    """The label shown before an event's date for a non-report kind ("Bình luận"), or ""."""
    return KIND_LABELS.get(kind, "")


def format_when(event: Event) -> str:
    """How a reader sees an event's date: exact when known, an honest range when not."""
    return when_text(event.date, *event.date_range, day=event.day)


def when_text(date: str | None, lo: str | None, hi: str | None, day: str | None = None) -> str:
    """``format_when`` on the stored fields (the web UI reads them from SQLite). ``day`` ("MM-DD"): the
    text gives the day and month but not the year, shown as such ("27/8, chưa rõ năm")."""
    if day and not (date and len(date) >= 10):
        mo, d = (int(x) for x in day.split("-"))
        years = f" ({lo[:4]} – {hi[:4]})" if lo and hi and lo[:4] != hi[:4] else ""
        return f"{d}/{mo}, chưa rõ năm{years}"
    if date:
        if lo and hi and lo != hi and (lo != date or hi != date):
            return f"{date} ({lo} – {hi})"
        return date
    if lo and hi:
        return f"{lo} – {hi}" if lo != hi else lo
    if lo or hi:
        return f"≥ {lo}" if lo else f"≤ {hi}"
    return "chưa rõ ngày"


def write_json(digest: Digest, path: Path) -> None:
    write_atomic(path, json.dumps(digest.to_dict(), ensure_ascii=False, indent=2) + "\n")


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8) whole or not at all: written to a temporary file in the
    same folder, then renamed over it (``os.replace`` is atomic on one file system). A run that fails or
    is killed midway leaves the previous report as it was, never a truncated one."""
    data = text.encode("utf-8", "backslashreplace")  # a lone surrogate (odd file name) cannot stop it
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; a report is as readable as write_text made it
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@dataclass(slots=True)
class _Row:
    event: Event
    when: str
    sources: list[str]


def story_stats(sid: str, rows: list[_Row]) -> frontpage.StoryStats:
    """A story's coverage and dates, for the front-page order."""
    first, last = frontpage.story_dates(r.event.date for r in rows)
    return frontpage.StoryStats(
        sid,
        len({a for r in rows for a in r.event.articles}),
        len({o for r in rows for o in r.sources}),
        first,
        last,
    )


def _story_rows(digest: Digest) -> list[tuple[str, str, list[_Row]]]:
    """Each story's id, title and events (in timeline order), in front-page order (``frontpage.rank``)."""
    by_id = {e.id: e for e in digest.events}
    order = {eid: i for i, eid in enumerate(digest.timeline)}
    art = {a.id: a for a in digest.articles}
    out = []
    for story in digest.stories:
        evs = sorted((by_id[e] for e in story.events if e in by_id), key=lambda e: order.get(e.id, 1 << 30))
        rows = [
            _Row(
                e,
                format_when(e),
                e.sources or outlet_names(art[a].source or "" for a in e.articles if a in art),
            )
            for e in evs
        ]
        out.append((story.id, story.title, rows))
    ranked = {
        sid: i for i, sid in enumerate(frontpage.rank([story_stats(sid, rows) for sid, _, rows in out]))
    }
    return sorted(out, key=lambda x: ranked[x[0]])


def _meta(stats: frontpage.StoryStats, n_events: int) -> str:
    """A story's line under its title: "2022-08-01 – 2022-08-27 · 3 sự kiện · 7 bài · 4 nguồn"."""
    return (
        f"{frontpage.when_span(stats.first, stats.last)} · {n_events} sự kiện · {stats.articles} bài"
        f" · {f'{stats.outlets} nguồn' if stats.outlets else 'không rõ nguồn'}"
    )


# Inputs that are not articles by design (``Skipped.kind``, set by ingest) are counted per kind, with one
# example, instead of a line each: a corpus folder holds hundreds of metadata sidecars.
SKIPPED_KINDS = {
    "sidecar": "tệp siêu dữ liệu đã dùng làm tiêu đề, sapo, ngày và địa chỉ của bài cùng tên",
    "metadata": "tệp siêu dữ liệu không phải bài báo",
    "summary": "tệp tóm tắt không phải bài báo",
}
# A title the input did not have (``Article.title_derived``: the body's first sentence) says so.
DERIVED_TITLE = "Câu đầu: "


def shown_title(article: Article) -> str:
    """The article's title as the reports show it: a derived title is marked as the first sentence."""
    return DERIVED_TITLE + article.title if article.title_derived else article.title


def skipped_report(skipped: Sequence[Skipped]) -> tuple[list[Skipped], list[str]]:
    """Inputs skipped for a reason (listed one by one) and one line per kind of non-article file."""
    errors = [s for s in skipped if s.kind not in SKIPPED_KINDS]
    counts = []
    for kind, text in SKIPPED_KINDS.items():
        some = [s for s in skipped if s.kind == kind]
        if some:
            counts.append(f"{len(some)} {text} (ví dụ: {some[0].path})")
    return errors, counts


_MD_SPECIAL = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "[": "\\[", "]": "\\]", "`": "\\`"})


def md(text: str) -> str:
    """Article text made inert in Markdown: raw HTML (``<script>``, ``<img onerror=...>``) shows as text
    (entities), and brackets and backticks cannot open a link or a code span."""
    return text.translate(_MD_SPECIAL)


def render_markdown(digest: Digest) -> str:
    lines = ["# Điểm tin", ""]
    n_src = _outlet_count(digest)
    lines.append(
        f"{len(digest.articles)} bài · {len(digest.events)} sự kiện · {len(digest.stories)} chuỗi tin · "
        f"{n_src} nguồn"
    )
    lines.append("")
    titles = {a.id: shown_title(a) for a in digest.articles}
    story_by_id = {s.id: s for s in digest.stories}
    stories = _story_rows(digest)
    if stories:  # a table of contents, in front-page order
        lines += ["## Mục lục", ""]
        for i, (sid, title, rows) in enumerate(stories, 1):
            lines.append(f"{i}. [{md(title)}](#{sid}) — {_meta(story_stats(sid, rows), len(rows))}")
        lines.append("")
    for sid, title, rows in stories:
        lines += [
            f'<a id="{sid}"></a>',
            "",
            f"## {md(title)}",
            "",
            _meta(story_stats(sid, rows), len(rows)),
            "",
        ]
        if len(rows) > 1 and (summary := story_by_id[sid].summary):
            lines += [
                " ".join(f"{md(s.text)} *[{md(titles.get(s.article, 'bài không rõ'))}]*" for s in summary),
                "",
            ]
        for r in rows:
            label = kind_label(r.event.kind)
            lines.append(f"### {f'{label} · ' if label else ''}{r.when} — {md(r.event.title)}")
            lines.append("")
            for s in r.event.summary:
                lines.append(f"- {md(s.text)} *[{md(titles.get(s.article, 'bài không rõ'))}]*")
            lines.append("")
            lines.append("Nguồn: " + (md(", ".join(r.sources)) if r.sources else UNKNOWN_SOURCE))
            if r.event.date_evidence:
                lines.append("")
                lines.append(f"Căn cứ ngày: “{md(r.event.date_evidence)}”")
            lines.append("")
    if digest.skipped:
        errors, counts = skipped_report(digest.skipped)
        lines += ["## Bỏ qua", ""]
        lines += [f"- {md(s.reason)}" for s in errors]  # the reason starts with the path
        lines += [f"- {md(c)}" for c in counts]
        lines.append("")
    return "\n".join(lines)


def svg_anchor(i: int, n: int) -> str:
    """``text-anchor`` of the label of point ``i`` of ``n`` on a timeline: the end labels grow inwards
    (centred on the first or last point, a range such as "2016 (2016-11-08 – 2016-12-31)" ran past the
    drawing's edge and was cut)."""
    if n == 1 or 0 < i < n - 1:
        return "middle"
    return "start" if i == 0 else "end"


def _outlet_count(digest: Digest) -> int:
    return len(outlet_names(a.source or "" for a in digest.articles))


def _svg_points(rows: list[_Row]) -> list[dict[str, object]]:
    """Positions for the inline SVG timeline: events evenly spaced in timeline order."""
    n = max(1, len(rows))
    pts = []
    for i, r in enumerate(rows):
        x = 40 + (i * (720 / max(1, n - 1)) if n > 1 else 360)
        dated = bool(r.event.date)
        pts.append(
            {
                "x": round(x, 1),
                "label": r.when,
                "title": r.event.title,
                "dated": dated,
                "id": r.event.id,
                "anchor": svg_anchor(i, n),
            }
        )
    return pts


def render_html(digest: Digest) -> str:
    env = Environment(
        loader=PackageLoader("diemtin", "templates"), autoescape=select_autoescape(["html", "j2"])
    )
    env.filters["reason"] = reason_text
    env.filters["kind_label"] = kind_label
    template = env.get_template("digest.html.j2")
    story_by_id = {s.id: s for s in digest.stories}
    stories = [
        {
            "id": sid,
            "title": title,
            "meta": _meta(story_stats(sid, rows), len(rows)),
            "rows": rows,
            "points": _svg_points(rows),
            # a one-event story's summary is its event's: shown once, under the event
            "summary": story_by_id[sid].summary if len(rows) > 1 else [],
        }
        for sid, title, rows in _story_rows(digest)
    ]
    return template.render(
        digest=digest,
        stories=stories,
        articles={a.id: a for a in digest.articles},
        titles={a.id: shown_title(a) for a in digest.articles},
        skipped=skipped_report(digest.skipped),
        n_sources=_outlet_count(digest),
        unknown_source=UNKNOWN_SOURCE,
    )


def write_reports(digest: Digest, out_dir: Path) -> dict[str, Path]:
    """Write the three report files; returns their paths by format."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"json": out_dir / "digest.json", "md": out_dir / "digest.md", "html": out_dir / "digest.html"}
    # Rendered first, then each file replaced atomically: a failure leaves the old reports, not a mix.
    texts = {
        "json": json.dumps(digest.to_dict(), ensure_ascii=False, indent=2) + "\n",
        "md": render_markdown(digest),
        "html": render_html(digest),
    }
    for fmt, text in texts.items():
        write_atomic(paths[fmt], text)
    return paths


# What cleaning's reason codes (clean.py) say to a reader: the web article page and digest.html show
# these instead of the codes ("[related-block]" meant nothing on a Vietnamese page).
REASONS = {
    "related-block": "tin liên quan",
    "teaser": "giới thiệu bài khác",
    "category-label": "nhãn chuyên mục",
    "after-end-mark": "sau dấu kết bài",
    "repeated-across-outlet": "dòng lặp lại ở nhiều bài cùng báo",
    "duplicate-line": "dòng lặp lại",
    "title-repeat": "nhắc lại tiêu đề",
    "follow-us": "lời mời theo dõi",
    "newsletter": "lời mời đăng ký nhận tin",
    "share": "nút chia sẻ",
    "bullet": "danh sách tin khác",
    "caption": "chú thích ảnh",
    "comment": "bình luận của bạn đọc",
    "comments": "bình luận của bạn đọc",
    "credit": "ghi nguồn, tác giả",
    "byline": "tên tác giả",
    "tags": "thẻ từ khoá",
    "timestamp": "thời gian đăng",
}


def reason_text(code: str) -> str:
    """A removed line's reason in Vietnamese (an unknown code: "lý do khác")."""
    return REASONS.get(code, "lý do khác")
