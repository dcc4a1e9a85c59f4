"""Cleaning: keep an article's own title and body, drop portal boilerplate, record what was dropped.

Crawled Vietnamese news pages are the article (title, maybe a photo caption, the body, the agency end
mark "./.", a credit) followed by portal furniture: "Tin liên quan" / "Tin cùng chuyên mục" blocks of
related headlines printed twice with teasers, category labels, timestamps and bullets, follow-us prompts,
share bars, tags. The rules work on structure, not on known sentences:

* position: lines after the end mark "./." or after a block header are suspect; lines before the first
  prose line (right under the title) are captions or labels when short and unpunctuated;
* repetition: a line printed twice in a page is furniture (related headline + its copy); a short line
  seen on pages of several different stories of one outlet in the batch is furniture (``repeated``);
* shape: timestamps, lone bullets, "Ảnh: ..." captions, "Theo ..." credits, "#tag" lists, bylines.

Recall of the article's own lines matters more than precision: a line is kept unless a rule names a
reason to drop it, and every dropped line is kept on record (``Article.removed``) with that reason.
The dateline prefix of the first paragraph ("VOV.VN - ", "(TTXVN) - ") stays in the text: it is part of
the paragraph as published; it is also recorded in ``Article.credits`` and gives ``Article.source``.
See docs/clean.md for the rules and their measured precision/recall.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from .models import Article, DateAnchor, RawDocument, RemovedLine

# --------------------------------------------------------------------------------------------------
# Line shapes

# Headers of link blocks that run to the end of the page (related, same-section, most-read, by-date
# lists). Matched against the whole line, case-insensitively, with an optional colon.
_BLOCK_HEADERS = (
    "tin liên quan", "bài liên quan", "bài viết liên quan", "tin tức liên quan", "tin bài liên quan",
    "chủ đề liên quan", "video liên quan", "tin cùng chuyên mục", "cùng chuyên mục",
    "bài viết cùng chuyên mục", "tin cùng chủ đề", "tin cùng loại", "xem tin theo ngày", "tin khác",
    "các tin khác", "tin tức khác", "các bài viết khác", "tin mới", "tin mới nhất", "tin mới hơn",
    "tin cũ hơn", "tin mới cập nhật", "tin nổi bật", "tin tiêu điểm", "tin đọc nhiều", "đọc nhiều",
    "đọc nhiều nhất", "xem nhiều", "xem nhiều nhất", "tin xem nhiều", "bài đọc nhiều",
    "có thể bạn quan tâm", "bạn có thể quan tâm", "có thể bạn muốn xem", "đừng bỏ lỡ", "tin hot",
    "tin hay", "đọc tiếp", "xem tiếp",
)  # fmt: skip
# Comment sections: reader comments are prose, so unlike link blocks they never "resume" the body.
_COMMENT_HEADERS = (
    "ý kiến bạn đọc",
    "bình luận",
    "ý kiến",
    "bình luận của bạn",
    "gửi ý kiến",
    "gửi bình luận",
)
# A tag list printed as a header line and one tag a line ("Tags:", "Từ khóa", then "Bà Rịa - Vũng Tàu").
_TAG_HEADERS = ("tags", "tag", "từ khóa", "từ khoá", "chủ đề", "keywords", "xem theo chủ đề")
_HEADER_RE = re.compile(
    r"^[\s>»«•*|\-–—]*(?P<h>"
    + "|".join(re.escape(h) for h in _BLOCK_HEADERS + _COMMENT_HEADERS + _TAG_HEADERS)
    + r")"
    r"(?:\s*\(\d+\))?\s*:?\s*$",
    re.IGNORECASE,
)
# Inline "read more" links: "Xem thêm: <headline>" on one line, or "Xem thêm:" followed by headlines.
_INLINE_MORE = re.compile(
    r"^[\s>»•*\-–—]*(?:xem thêm|đọc thêm|mời (?:bạn )?xem thêm|xem chi tiết|xem video|>>)\s*(?::|>>|»)?",
    re.IGNORECASE,
)

# The end-of-article mark of Vietnamese agencies ("... sản lượng khai thác dầu mỏ./.").
_END_MARK = re.compile(r"\./\.\s*[\"”’)]?\s*$|[^./]/\.\s*$")

_BULLET = re.compile(r"^[\s\-–—•*·»«|+=_~.>]+$")

# Timestamps as portals print them: "13:52' - 08/12/2021", "12.06.2023 | 17:24 PM", "08:08'",
# "Thứ Hai, 13/04/2021 - 20:15 (GMT+7)", "Cập nhật lúc 08:00 ngày 5/3/2024".
_TIME = r"\d{1,2}\s*[:hg]\s*\d{2}(?::\d{2})?\s*'?"
_DATE = r"\d{1,2}\s*[/.\-]\s*\d{1,2}(?:\s*[/.\-]\s*\d{2,4})?"
_TS_TOKEN = re.compile(rf"{_TIME}|{_DATE}|\d{{4}}", re.IGNORECASE)
_TS_WORDS = re.compile(
    r"(?<!\w)(?:thứ\s*(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s*nhật|cn|t[2-7]|ngày|lúc|giờ|cập\s*nhật|đăng"
    r"|đăng\s*lúc|xuất\s*bản|am|pm|sa|ch|gmt\s*[+\-]?\s*\d*|utc|hôm\s*nay|hôm\s*qua|phút\s*trước"
    r"|giờ\s*trước|ngày\s*trước|\d+\s*(?:phút|giờ|ngày)\s*trước)(?!\w)",
    re.IGNORECASE,
)
_TS_PUNCT = re.compile(r"[\s,|\-–—()\[\]'’:.]+")

_HASHTAG_LINE = re.compile(r"^#\S")
_TAGS = re.compile(r"^(?:tags?|từ\s*khóa|từ\s*khoá|chủ\s*đề|keywords?)\s*:", re.IGNORECASE)

# Share bars, print/save buttons, social names, comment prompts: the whole line is the widget.
_SHARE = re.compile(
    r"^(?:chia sẻ(?: bài viết| bài báo| lên facebook)?|share|tweet|like|thích|in bài|in trang|in|lưu"
    r"|lưu bài(?: viết)?|báo lỗi|gửi bài|copy link|sao chép (?:liên kết|đường dẫn)|facebook|twitter|zalo"
    r"|email|gửi email|quay lại|trở lại|về trang chủ|lên đầu trang|trang chủ|nghe bài viết|nghe đọc"
    r"|\d+\s*(?:lượt\s*)?(?:thích|chia sẻ|xem|bình luận|comments?)|theo dõi|tải ứng dụng|(?:cỡ )?chữ [+-]?"
    r"|[aA]\s*[+-]|[aA]\s*[+-]\s*[aA]\s*[+-])\s*:?$",
    re.IGNORECASE,
)
_COMMENT_PROMPT = re.compile(
    r"^(?:gửi bình luận|viết bình luận|bình luận(?:\s*\(\d+\))?|xem bình luận|ý kiến của bạn|\d+ bình luận"
    r"|bạn nghĩ gì về .{0,80}\?|mời bạn (?:để lại )?bình luận.*)\s*:?$",
    re.IGNORECASE,
)
# Follow-us and newsletter prompts: "Mời quý độc giả theo dõi VOV.VN trên", "Theo dõi Thanh Niên trên
# Google News", "Đăng ký nhận bản tin ... mỗi sáng", "Tải ứng dụng ... để đọc tin nhanh".
_FOLLOW = re.compile(
    r"^\W*mời (?:quý |các )?(?:độc giả|bạn đọc|bạn|quý vị|khán giả)\b.{0,80}"
    r"\b(?:theo dõi|đón đọc|đón xem|xem)\b"
    r"|^\W*(?:hãy |bấm |nhấn |click )?(?:theo dõi|follow|like|đăng ký kênh|bấm theo dõi)\b.{0,60}"
    r"\b(?:trên|qua|kênh|fanpage|google news|facebook|zalo|youtube|tiktok)\b",
    re.IGNORECASE,
)
# Prompts open with the imperative; "Người dân có thể tải ứng dụng VNeID ..." is a sentence of the body.
_NEWSLETTER = re.compile(
    r"^\W*(?:hãy |mời (?:bạn |quý )?(?:đọc giả |độc giả |bạn đọc )?|bấm |nhấn |click )?"
    r"(?:(?:đăng ký|đăng kí)\s+(?:nhận\s+)?(?:bản tin|newsletter|email|tin)"
    r"|nhận (?:bản tin|tin (?:mới|nóng|tức))"
    r"|tải (?:ngay )?(?:ứng dụng|app)\b|cài đặt ứng dụng)",
    re.IGNORECASE,
)
# A prompt is a short call to action; a long sentence that happens to match is article text.
_PROMPT_MAX_WORDS = 25

# Photo/video captions: a short line ending in a photo credit ("... Ảnh: RT", "Ảnh: AFP/ TTXVN",
# "(Ảnh: Tuổi Trẻ)", "Video: Hoàng Anh", "(Ảnh minh họa)"). The keyword must start the line or follow
# a sentence end, dash, slash or parenthesis, so "ông nói trong video: ..." is not a caption.
_CAPTION_TAIL = re.compile(
    r"(?:^|[.!?…”\"]\s*|\s[-–—]\s*|\(\s*|/\s*|\|\s*)"
    r"\(?\s*(?:ảnh|hình|hình ảnh|nguồn ảnh|ảnh minh họa|ảnh minh hoạ|ảnh chụp màn hình|video|clip|đồ họa"
    r"|đồ hoạ|infographic|photo|thực hiện|nguồn video|ảnh và video|ảnh/video)"
    r"\s*:\s*(?P<who>[^:]{1,70}?)\)?\s*\.?$",
    re.IGNORECASE,
)
_CAPTION_ILLUSTRATIVE = re.compile(
    r"\(?\s*ảnh\s*(?:minh\s*họa|minh\s*hoạ|tư liệu|internet)\s*\)?\s*\.?$", re.I
)
# Captions are short; a long paragraph that happens to end with a photo credit stays (recall first).
_CAPTION_MAX_WORDS = 45

# Credits: "Theo vov.vn", "(Theo Reuters)", "Theo TTXVN/VietnamPlus", "Nguồn: Tuổi Trẻ". Short lines
# only ("Theo Điện Kremlin, trong cuộc điện đàm, ..." is a sentence), and never "Theo dõi" (follow).
_CREDIT = re.compile(
    r"^\(?\s*(?:theo|nguồn(?:\s*tin)?\s*:?|nguồn\s*:)\s+(?!dõi\b|đó\b|đuổi\b)(?P<src>[^;:()]{1,60}?)\s*\)?\s*\.?$",
    re.IGNORECASE,
)
_CREDIT_MAX_WORDS = 8
# A bare outlet in parentheses on its own line: "(TTXVN/Vietnam+)", "(VOV)", "(Vietnam+)".
_CREDIT_PAREN = re.compile(r"^\(\s*(?P<src>[A-ZĐ][\w.+&/\- ]{1,40}?)\s*\)\s*\.?$")

# Datelines opening the first paragraph: "VOV.VN - ", "VOV.VN-", "TTO - ", "(TTXVN) - ", "Hà Nội (TTXVN) -",
# "(Dân trí) - ", "Theo phóng viên TTXVN tại Nga, ...".
# "VOV.VN-" may lose the space before the dash; a bare word may not ("GS-TS", "COVID-19").
_DATELINE_CAPS = re.compile(
    r"^(?P<raw>(?P<src>[A-ZĐ][A-ZĐ0-9+&]{1,9}(?:\.(?:VN|vn|COM|com|NET))?)(?:\s+|(?<=[nNmMtT]))[-–—]"
    r"(?=\s|[^\W\d_]))"
)
_DATELINE_PAREN = re.compile(
    r"^(?P<raw>(?:[A-ZĐ][^\W\d_]*(?:\s+[A-ZĐ][^\W\d_]*){0,3},?\s*)?"
    r"\((?P<src>[A-ZĐ][\w.+&/\- ]{1,28}?)\)\s*(?:[-–—:]|(?=[A-ZĐ\"“])))"
)
_DATELINE_CORRESPONDENT = re.compile(
    r"^(?P<raw>theo\s+(?:phóng viên|pv|phóng viên thường trú|phóng viên thường trú của|nhà báo)\s+"
    r"(?P<src>[A-ZĐ][\w.+/\-]{1,20})\s+tại\s+[^,.;:]{1,40})",
    re.IGNORECASE,
)
_NOT_DATELINE = re.compile(r"^(?:ảnh|video|clip|kỳ|phần|tập|cập nhật|còn nữa|hết)\b", re.IGNORECASE)

_TERMINAL = '.!?…;"”’)»]'


def _cap(word: str) -> bool:
    """Starts with a capital letter (Vietnamese capitals included: "Đ", "Ả", "Ô")."""
    w = word.lstrip("(\"“'‘[")
    return w[:1].isupper()


# The line helpers below are pure functions of a line, asked several times per line (counts, the state
# machine, look-ahead runs); bounded memos make each answer once per distinct line.
@lru_cache(maxsize=16384)
def _key(line: str) -> str:
    """Comparison key of a line: spacing and case do not make two printings of a headline different."""
    return " ".join(line.split()).casefold()


@lru_cache(maxsize=16384)
def _words(line: str) -> int:
    return len(line.split())


def _is_prose(line: str, min_words: int = 8) -> bool:
    """A sentence-like line: long enough and ending with sentence punctuation."""
    s = line.rstrip()
    return _words(s) >= min_words and s[-1:] in _TERMINAL


def _is_timestamp(line: str) -> bool:
    """Only date/time tokens, weekday names and separators: nothing of an article in it."""
    if not _TS_TOKEN.search(line) or _words(line) > 12:
        return False
    rest = _TS_TOKEN.sub(" ", line)
    rest = _TS_WORDS.sub(" ", rest)
    return not _TS_PUNCT.sub("", rest)


def _is_caption(line: str) -> bool:
    if _words(line) > _CAPTION_MAX_WORDS:
        return False
    m = _CAPTION_TAIL.search(line)
    if m and _words(m.group("who")) <= 10:
        return True
    return bool(_CAPTION_ILLUSTRATIVE.search(line)) and _words(line) <= 30


def credit_source(line: str) -> str | None:
    """The outlet named by a credit line ("Theo vov.vn" → "vov.vn"), or None when it is not one."""
    s = line.strip()
    if _words(s) > _CREDIT_MAX_WORDS:
        return None
    m = _CREDIT.match(s) or _CREDIT_PAREN.match(s)
    if not m:
        return None
    src = m.group("src").strip().rstrip(".").strip()
    # An outlet name is capitalised or a domain ("vov.vn", "VnExpress", "TTXVN/VietnamPlus").
    if not (_cap(src) or re.search(r"\.\w{2,4}\b", src)):
        return None
    if m.re is _CREDIT_PAREN and (
        not re.search(r"[A-ZĐ]{2,}|\.\w{2,4}\b|\+", src) or _NOT_DATELINE.match(src)
    ):
        return None  # "(Ảnh minh họa)", "(Còn nữa)" are not outlets
    return src


def dateline(line: str, correspondent: bool = True) -> tuple[str, str] | None:
    """(raw dateline, outlet) when a paragraph opens with an agency/portal dateline, else None.

    ``correspondent``: also accept "Theo phóng viên TTXVN tại ..." (which may open any paragraph)."""
    s = line.strip()
    m = _DATELINE_CORRESPONDENT.match(s) if correspondent else None
    if m:
        return m.group("raw").strip(), m.group("src").strip()
    m = _DATELINE_CAPS.match(s)
    if m and not s[m.end() :].lstrip()[:1].isdigit():
        return m.group("raw").strip(), m.group("src").strip()
    m = _DATELINE_PAREN.match(s)
    if m and not _NOT_DATELINE.match(m.group("src")) and _words(m.group("src")) <= 4:
        return m.group("raw").strip(), m.group("src").strip()
    return None


def _is_byline(line: str) -> bool:
    """An author line: a few capitalised words, maybe "/VOV-Moskva" or "(t/h)"; no sentence punctuation."""
    s = line.strip()
    if re.match(r"^(?:bài và ảnh|bài, ảnh|tin, ảnh|bài|ảnh|tác giả|nhóm phóng viên|ghi chép)\s*:", s, re.I):
        return _words(s) <= 8 and s[-1:] not in ".!?…"
    if re.fullmatch(r"(?:nhóm\s+)?(?:pv|p\.v|ctv|btv)(?:\s*[/-].{0,30})?", s, re.I):
        return True
    core = re.sub(r"\s*[\(/\-–].*$", "", s)  # "Thu Trang/VOV-Moskva", "Hồng Hạnh (t/h)"
    words = core.split()
    if not 1 <= len(words) <= 5 or s[-1:] in ".!?…:;,":
        return False
    return all(_cap(w) for w in words) and not any(c.isdigit() for c in core)


def _capitalised_share(line: str) -> float:
    """Share of words after the first that start with a capital: high in name lines and captions
    ("Tổng thống Nga Vladimir Putin": 3 of 4), low in subheadings ("Rà soát lại kiến thức cơ bản")."""
    words = [w for w in line.split()[1:] if any(c.isalpha() for c in w)]
    if not words:
        return 0.0
    return sum(1 for w in words if _cap(w)) / len(words)


# A head line under the title is a caption when at least this share of its words are capitalised.
_NAME_LINE_CAPS = 0.5


def _is_headline(line: str) -> bool:
    """A link text: a few words up to a long title, without a sentence end (or with "?"/"!")."""
    n = _words(line)
    s = line.rstrip()
    return 3 <= n <= 30 and (s[-1:] not in _TERMINAL or (s[-1:] in '?!”"' and n <= 25))


@lru_cache(maxsize=16384)
def shape_reason(line: str) -> str | None:
    """Reasons that need no context: the line's shape alone says it is not article text."""
    s = line.strip()
    if _BULLET.match(s):
        return "bullet"
    if _is_timestamp(s):
        return "timestamp"
    if _HASHTAG_LINE.match(s) and (s.count("#") >= 2 or _words(s) <= 4):
        return "tags"
    if _TAGS.match(s):
        return "tags"
    if _COMMENT_PROMPT.match(s):
        return "comment"
    if _SHARE.match(s):
        return "share"
    prompt = _words(s) <= _PROMPT_MAX_WORDS and not (_is_prose(s) and _words(s) > 12)
    if prompt and _FOLLOW.search(s):
        return "follow-us"
    if prompt and _NEWSLETTER.search(s):
        return "newsletter"
    if credit_source(s):
        return "credit"
    if _is_caption(s):
        return "caption"
    return None


def _header(line: str) -> str | None:
    """'block' / 'comments' when the line heads a link block or a comment section."""
    m = _HEADER_RE.match(line.strip())
    if not m:
        return None
    h = m.group("h").casefold()
    if h in _COMMENT_HEADERS and any(c.isdigit() for c in line):
        return None  # "Bình luận (12)" is a button of the share bar, not the comment section
    return "comments" if h in _COMMENT_HEADERS else "tags" if h in _TAG_HEADERS else "block"


# --------------------------------------------------------------------------------------------------
# One document


@dataclass(slots=True)
class LineDecision:
    """What cleaning decided for one input line (blank lines included, with reason "blank")."""

    index: int  # position in ``RawDocument.lines``
    text: str
    reason: str | None  # None: kept as article text


# A link block "resumes" into article text when this many sentence-like lines follow in a row: teasers
# of related articles come one at a time between headlines and timestamps, never three in a row.
_RESUME_RUN = 3
# After the end mark "./." and before any header, two sentences in a row mean the mark was not the end
# (AbMuSu has articles with "./." closing a section before a subheading).
_RESUME_RUN_TAIL = 2
_RESUME_MIN_WORDS = 12
# Headline-like lines in a row at the very end of a page with no header: an unlabelled link list.
_UNLABELLED_LIST_RUN = 4


def decide_lines(doc: RawDocument, repeated: frozenset[str] = frozenset()) -> list[LineDecision]:
    """The decision for every line of ``doc.lines``; ``clean_document`` builds the article from it."""
    lines = [ln.strip() for ln in doc.lines]
    n = len(lines)
    reason: list[str | None] = [None if ln else "blank" for ln in lines]
    idx = [i for i, ln in enumerate(lines) if ln]  # non-blank positions
    counts: dict[str, int] = defaultdict(int)
    for i in idx:
        counts[_key(lines[i])] += 1
    title_key = _key(doc.title or "")

    def teaser_like(i: int) -> bool:
        return dateline(lines[i]) is not None

    def resumes(pos: int, need: int, subheading: bool) -> bool:
        """True when non-blank position ``pos`` starts a run of ``need`` article sentences (the block or
        the tail ended), maybe under one subheading."""
        run = 0
        seen: set[str] = set()
        for n, j in enumerate(idx[pos:]):
            ln = lines[j]
            k = _key(ln)
            if (
                subheading
                and n == 0
                and _is_headline(ln)
                and not _is_prose(ln)
                and counts[k] == 1
                and not shape_reason(ln)
            ):
                continue  # a subheading opening the next section
            if (
                not _is_prose(ln, _RESUME_MIN_WORDS)
                or counts[k] > 1
                or k in seen
                or teaser_like(j)
                or shape_reason(ln)
                or _header(ln)
            ):
                return False
            seen.add(k)
            run += 1
            if run >= need:
                return True
        return False

    # Pass 1: body / link-block / tail state machine over the non-blank lines.
    state = "body"  # body | block | comments | tags | tail | inline
    prose_seen = False
    seen_keys: set[str] = set()
    prev_in_block: str | None = None
    for pos, i in enumerate(idx):
        ln = lines[i]
        k = _key(ln)
        head = _header(ln)
        if head and (head != "comments" or prose_seen):
            reason[i] = {"block": "related-block", "comments": "comment", "tags": "tags"}[head]
            state = head
            prev_in_block = reason[i]
            seen_keys.add(k)
            continue
        # A link block's first line is a headline, so only the tail may resume under a subheading.
        if state in ("block", "tags", "comments", "tail"):
            need = _RESUME_RUN_TAIL if state == "tail" else _RESUME_RUN
            if resumes(pos, need, subheading=state == "tail"):
                state = "body"
        if state == "inline":
            if _is_headline(ln) and not _is_prose(ln):
                reason[i] = "related-block"
                seen_keys.add(k)
                continue
            state = "body"
        if state == "body":
            r = shape_reason(ln)
            if r is None and _INLINE_MORE.match(ln) and _words(ln) <= 30:
                r = "related-block"
                if _words(_INLINE_MORE.sub("", ln)) == 0:
                    state = "inline"
            if r is None and k == title_key and not prose_seen:
                r = "title-repeat"
            if r is None and k in seen_keys and not _is_prose(ln):
                r = "duplicate-line"  # prose printed twice in the body stays (forecasts repeat lines)
            twice = pos + 1 < len(idx) and _key(lines[idx[pos + 1]]) == k
            if r is None and twice and not _is_prose(ln) and _is_headline(ln):
                r = "related-block"  # a link printed twice in a row: a related headline
            if r is None and prose_seen and _words(ln) >= 10 and dateline(ln, correspondent=False):
                r = "teaser"  # a second "VOV.VN -" paragraph: a related article's teaser
            if r is None and k in repeated and (not _is_prose(ln) or _words(ln) <= 6):
                r = "repeated-across-outlet"
            reason[i] = r
            if r is None and _is_prose(ln, 1):
                prose_seen = True
            if r is None and _END_MARK.search(ln):
                state = "tail"
            seen_keys.add(k)
            continue
        # Inside a link block, a comment section or after the end mark: everything goes, with the most
        # specific reason available.
        r = shape_reason(ln)
        if r is None:
            if state == "comments":
                r = "comment"
            elif state == "tags" and _words(ln) <= 8:
                r = "tags"
            elif _words(ln) <= 4 and counts[k] > 1 and not any(c.isdigit() for c in ln):
                r = "category-label"  # "Kinh tế Thế giới" above each related headline
            elif k in seen_keys:
                r = "duplicate-line"
            elif teaser_like(i):
                r = "teaser"
            elif counts[k] > 1:
                r = "related-block"  # a headline printed twice
            elif _is_prose(ln) and prev_in_block in ("related-block", "timestamp"):
                r = "teaser"
            elif state == "block":
                r = "related-block" if not _is_prose(ln) else "teaser"
            elif _is_byline(ln):
                r = "byline"
            elif k in repeated:
                r = "repeated-across-outlet"
            else:
                r = "after-end-mark"
        reason[i] = r
        prev_in_block = r
        seen_keys.add(k)

    kept = [i for i in idx if reason[i] is None]

    # Pass 2: the head, before the first sentence-like line: a lone name or label line under the title
    # is a photo caption or a section label ("Tổng thống Nga Vladimir Putin", "Thế giới").
    first_prose = next((p for p, i in enumerate(kept) if _is_prose(lines[i])), None)
    if first_prose is not None:
        for i in kept[:first_prose]:
            ln = lines[i]
            if ln[-1:] in _TERMINAL or _words(ln) > 20 or dateline(ln):
                continue
            if _words(ln) <= 2:
                reason[i] = "byline" if _is_byline(ln) and _capitalised_share(ln) == 1 else "category-label"
            elif _capitalised_share(ln) >= _NAME_LINE_CAPS:
                reason[i] = "byline" if _is_byline(ln) else "caption"
            # else: a subheading opening the article ("Rà soát lại kiến thức cơ bản") stays.
        kept = [i for i in kept if reason[i] is None]

    # Pass 3: the end of the body. Bylines ("Minh Hà", "Thu Trang/VOV-Moskva") close many articles, and a
    # run of headline-like lines with no header is an unlabelled link list.
    run = 0
    for i in reversed(kept):
        ln = lines[i]
        if _is_headline(ln) and not re.match(r"^[\-–•+*\d]", ln) and ln[-1:] not in ".;:,":
            run += 1
        else:
            break
    if run >= _UNLABELLED_LIST_RUN and run < len(kept):
        for i in kept[-run:]:
            reason[i] = "related-block"
        kept = kept[:-run]
    for _ in range(2):
        if len(kept) > 1 and _is_byline(lines[kept[-1]]):
            reason[kept[-1]] = "byline"
            kept.pop()

    return [LineDecision(i, lines[i], reason[i]) for i in range(n)]


def _source_and_credits(doc: RawDocument, decisions: Sequence[LineDecision]) -> tuple[str | None, list[str]]:
    credits: list[str] = []
    source = doc.source
    kept = [d for d in decisions if d.reason is None]
    if kept:
        dl = dateline(kept[0].text)
        if dl:
            credits.append(dl[0])
            source = source or dl[1]
    for d in decisions:
        if d.reason == "credit":
            src = credit_source(d.text)
            credits.append(d.text)
            if src:
                source = source or src
    return source, list(dict.fromkeys(credits))


_STAMP_DATE = re.compile(r"(?<!\d)(\d{1,2})[/-](\d{1,2})[/-]((?:19|20)\d\d)(?!\d)")
_STAMP_TIME = re.compile(r"(?<!\d)(\d{1,2})[:h](\d{2})(?!\d)")


def page_published(decisions: Sequence[LineDecision]) -> str | None:
    """The publication time a page prints above its body ("07:36' - 10/09/2015", "Thứ Hai, 10/09/2015
    07:36"), in ISO 8601: the first timestamp line before the first body line. Timestamps after the
    body belong to related headlines, so they are never read."""
    for d in decisions:
        if d.reason is None:
            return None
        if d.reason != "timestamp" or not (m := _STAMP_DATE.search(d.text)):
            continue
        t = _STAMP_TIME.search(d.text)
        try:
            day = datetime(int(m[3]), int(m[2]), int(m[1]))
            if t and int(t[1]) < 24 and int(t[2]) < 60:
                return day.replace(hour=int(t[1]), minute=int(t[2])).isoformat()
            return day.date().isoformat()
        except ValueError:  # 31/02 and the like: not a date
            return None
    return None


def clean_document(doc: RawDocument, repeated: frozenset[str] = frozenset()) -> Article:
    """Clean one document. ``repeated`` holds lines seen across many documents of the batch.

    ``repeated`` holds lines (compared with spacing collapsed and case folded), as ``repeated_lines``
    builds them for ``clean_documents``.
    """
    decisions = decide_lines(doc, frozenset(_key(x) for x in repeated))
    source, credits = _source_and_credits(doc, decisions)
    removed = list(doc.removed) + [
        RemovedLine(d.text, d.reason) for d in decisions if d.reason not in (None, "blank")
    ]
    # A page's own printed time when the input carried no metadata (crawlers' .txt files).
    printed = None if doc.published else page_published(decisions)
    return Article(
        id=doc.id or "",
        path=doc.path,
        title=(doc.title or "").strip(),
        text="\n".join(d.text for d in decisions if d.reason is None),
        source=source,
        published=doc.published or printed,
        url=doc.url,
        removed=removed,
        credits=credits,
        lead=doc.lead,
        title_derived=doc.title_derived,
        anchors=list(doc.anchors) + ([DateAnchor("published", "page", printed)] if printed else []),
    )


# --------------------------------------------------------------------------------------------------
# The batch


_TLD = re.compile(r"\.(?:com\.vn|net\.vn|org\.vn|gov\.vn|edu\.vn|vn|com|net|org)$")


def outlet_name_key(name: str) -> str:
    """One key for the spellings of one outlet's name: "VOV.VN" (dateline), "vov.vn" (a "Theo vov.vn"
    credit), "www.vov.vn" and "VOV" are all "vov"."""
    return _TLD.sub("", re.sub(r"^www\.", "", name.strip().casefold()))


def outlet_names(names: Iterable[str]) -> list[str]:
    """Distinct outlets among ``names``, one spelling each (the one with the most capitals: the brand as
    its own dateline writes it, "VOV.VN" over "vov.vn"), sorted."""

    def rank(x: str) -> tuple[int, str]:
        return (-sum(c.isupper() for c in x), x)

    best: dict[str, str] = {}
    for n in (x.strip() for x in names if x and x.strip()):
        k = outlet_name_key(n)
        if k not in best or rank(n) < rank(best[k]):
            best[k] = n
    return sorted(best.values())


def outlet_key(doc: RawDocument) -> str:
    """Which outlet a page belongs to: metadata source, URL host, dateline or credit; "" when unknown."""
    src = doc.source
    if not src and doc.url:
        m = re.match(r"^[a-z]+://(?:www\.)?([^/:]+)", doc.url.strip(), re.I)
        src = m.group(1) if m else None
    if not src:
        for ln in doc.lines:
            if ln.strip():
                dl = dateline(ln)
                src = dl[1] if dl else None
                break
    if not src:
        for ln in doc.lines:
            if (c := credit_source(ln)) is not None:
                src = c
                break
    return re.sub(r"^www\.", "", (src or "").strip().casefold())


# Lines on pages of this many different stories of one outlet are furniture. Pages of an unknown outlet
# need one more, as they may come from several portals that share a short line by chance.
_MIN_STORIES_KNOWN = 2
_MIN_STORIES_UNKNOWN = 3
# Sentences this long that two pages share make them one story (a syndicated copy, an update), so the
# sentences they share are not counted as furniture.
_STORY_LINE_WORDS = 12


def _find(parent: dict[int, int], x: int) -> int:
    """Union-find root (path halving); a dozen lines do not justify a graph library here."""
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def repeated_lines(docs: Sequence[RawDocument]) -> list[frozenset[str]]:
    """For each document, the line keys that its outlet prints on pages of different stories."""
    groups: dict[str, list[int]] = defaultdict(list)
    for n, d in enumerate(docs):
        groups[outlet_key(d)].append(n)
    out: list[frozenset[str]] = [frozenset()] * len(docs)
    for outlet, members in groups.items():
        need = _MIN_STORIES_KNOWN if outlet else _MIN_STORIES_UNKNOWN
        if len(members) < need:
            continue
        keys = {n: {_key(ln) for ln in docs[n].lines if ln.strip()} for n in members}
        # Union pages that share a long sentence which few pages of the outlet carry (copies of one
        # story); a long line on most pages (a copyright notice) must not glue every page together.
        parent = {n: n for n in members}

        holders: dict[str, list[int]] = defaultdict(list)
        for n in members:
            for k in keys[n]:
                holders[k].append(n)
        limit = max(3, len(members) // 5)
        for k, hs in holders.items():
            if (
                len(hs) > 1
                and len(hs) <= limit
                and len(k.split()) >= _STORY_LINE_WORDS
                and k[-1:] in _TERMINAL
            ):
                for h in hs[1:]:
                    parent[_find(parent, h)] = _find(parent, hs[0])
        rep = frozenset(k for k, hs in holders.items() if len({_find(parent, h) for h in hs}) >= need)
        for n in members:
            out[n] = rep & frozenset(keys[n])
    return out


def clean_documents(docs: Sequence[RawDocument]) -> list[Article]:
    """Clean a batch; corpus-level signals (lines repeated across one outlet's pages) use the batch."""
    reps = repeated_lines(docs)
    return [clean_document(d, r) for d, r in zip(docs, reps, strict=True)]
