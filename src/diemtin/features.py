"""Per-article signals for event grouping: syllables, names, the lead's day, and what dating says.

Everything here is a pure function of one article (or of dating's answer for it), so it can run on any
worker and be computed once per article. Names and the lead day are cheap surface cues (capitalised
runs, a day written with a day word) rather than a full NER pass: grouping needs them for thousands of
articles, and only needs to know whether two articles report the *same* people and day.
"""

from __future__ import annotations

import calendar
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from . import dating
from . import text as vtext
from .models import Article, TemporalExpression

# A day/month written numerically: "30/3", "ngày 23-10", "hôm 28/1/2017". The dotted form ("23.10")
# only counts after a day word, because "2.5" is usually a number.
_DAY_WORD = r"(?:ngày|hôm|sáng|chiều|tối|trưa|đêm|rạng sáng|hôm nay|hôm_nay)"
_DM = re.compile(r"(?<![\d/.,-])(\d{1,2})\s?[/-]\s?(\d{1,2})(?:\s?[/-]\s?((?:19|20)\d\d))?(?![\d/-]|[.,]\d)")
_DM_DOT = re.compile(_DAY_WORD + r"\s+(\d{1,2})\.(\d{1,2})(?:\.((?:19|20)\d\d))?(?!\d)", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
# Words that start a sentence with a capital but are not names ("Theo", "Ông", "Bà" titles are kept
# out of names so that "ông Trump" and "Trump" match).
_NOT_NAME = frozenset(
    [
        "theo",
        "ông",
        "bà",
        "anh",
        "chị",
        "tại",
        "trong",
        "khi",
        "sau",
        "trước",
        "với",
        "và",
        "các",
        "những",
        "một",
        "hai",
        "ba",
        "cũng",
        "đây",
        "đó",
        "này",
        "ngày",
        "hôm",
        "tuy",
        "nhưng",
        "nếu",
        "do",
        "vì",
        "ảnh",
        "nguồn",
        "tin",
        "video",
        "clip",
    ]
)
# Capitalised parts of titles and office names, not names ("Tổng thống", "Thủ tướng", "Bộ trưởng").
_TITLE_WORDS = frozenset(["tổng", "thủ", "bộ", "chủ", "phó", "thống", "tướng", "trưởng", "tịch"])

# Capitalised runs by one regular expression, with the same reading as text.capitalized_phrases (which
# splits sentences and walks tokens in Python: several times slower, and grouping reads every article in
# full). A token is a whitespace-separated word whose first letter, after opening punctuation, is
# upper-case (any Latin script, so "Đ", "Ư", "Ấ"); a run is such tokens separated by spaces, and a token
# that ends a sentence ("Putin." or "Putin.\"") ends the run. Punctuation around tokens is stripped, so
# "Anh Sơn (Nam Định)" is one run: a longer run names one happening's people and places more
# specifically than its parts (checked on vmds-dev: splitting runs at commas and brackets lowered
# B-cubed precision 0.955 -> 0.936).
_UPPER = "".join(c for c in map(chr, range(0x41, 0x2000)) if c.isupper())
_OPEN = "\"“”'‘’(\\[\\-–"
_TOK = rf"[{_OPEN}]*[{_UPPER}]\S*(?<![.!?…])(?<![.!?…][\"”’)\]])"
_RUN = re.compile(rf"(?<!\S){_TOK}(?:[ \t]+{_TOK})*")
_STRIP = vtext.NAME_EDGE_PUNCT
_SENTENCE_START = re.compile(r"(?:^|[.!?…:]|\n)[\s\"“‘'(\[\-–—]*$")


@dataclass(slots=True, frozen=True)
class ArticleFeatures:
    """Signals of one article for grouping; computed once per article."""

    id: str
    tokens: tuple[str, ...]  # lower-cased syllables of title + body
    title_tokens: tuple[str, ...]
    lead_tokens: tuple[str, ...]  # lower-cased syllables of the title and the first three sentences
    names: frozenset[str]  # lower-cased capitalised runs of title + body ("vladimir putin")
    lead_day: tuple[int, int] | None  # "ngày 30/3" in the first body sentence: the happening's own day
    edition_day: tuple[int, int] | None = None  # "Giá cà phê hôm nay 23/7: ...": a dated bulletin's day
    places: frozenset[str] = frozenset()  # provinces named in the title and first sentence (lead_places)
    commentary: bool = False  # reads as opinion/advice/explainer, not a report (``reads_as_commentary``)


def capitalized_runs(text: str) -> list[str]:
    """Runs of capitalised tokens ("Vladimir Putin", "Điện Kremlin"); a lone capitalised word at the
    start of a sentence is sentence case, not a name, and is skipped."""
    out: list[str] = []
    for m in _RUN.finditer(text):
        words = [w for t in m.group(0).split() if (w := t.strip(_STRIP))]
        if not words or (len(words) == 1 and _SENTENCE_START.search(text, max(0, m.start() - 8), m.start())):
            continue
        out.append(" ".join(words))
    return out


def names(text: str) -> set[str]:
    """Lower-cased names: capitalised runs minus leading titles and sentence words ("Ông Putin" → "putin")."""
    out: set[str] = set()
    for phrase in capitalized_runs(text):
        words = [w for w in re.split(r"[\s_]+", phrase.lower()) if w]
        while words and words[0] in _NOT_NAME:
            words = words[1:]
        if words and not any(ch.isdigit() for ch in words[0]):
            out.add(" ".join(words))
    return out


def name_syllables(text: str) -> set[str]:
    """Lower-cased syllables of names ("Tổng thống Mỹ Joe Biden" → {"mỹ", "joe", "biden"}).

    Looser than ``names``: "Putin", "V.Putin" and "Vladimir Putin" share "putin" however the run around
    them was capitalised, which is what linking events of one story needs.
    """
    out: set[str] = set()
    for phrase in vtext.capitalized_phrases(text):
        for w in re.split(r"[\s_.]+", phrase.lower()):
            w = w.strip("\"“”'‘’()[],;:!?-–")
            if len(w) > 1 and w not in _NOT_NAME and w not in _TITLE_WORDS and not w.isdigit():
                out.add(w)
    return out


def lead(article: Article, sentences: int = 3) -> str:
    """Title plus the first sentences of the body: where Vietnamese news states who, what and when."""
    sents: list[str] = []
    for line in article.text.split("\n"):  # sentences never cross lines: split only what is needed
        if line.strip():
            sents.extend(vtext.split_sentences(line))
            if len(sents) >= sentences:
                break
    return "\n".join([article.title, *sents[:sentences]])


def reported_days(text: str) -> set[tuple[int, int]]:
    """(day, month) pairs written numerically in ``text``; impossible pairs (31/2, 0/5) are ignored."""
    return set(reported_days_in_order(text))


def reported_days_in_order(text: str) -> list[tuple[int, int]]:
    """(day, month) pairs in the order they are written (first mention first)."""
    found: list[tuple[int, tuple[int, int]]] = []
    for rx in (_DM, _DM_DOT):
        for m in rx.finditer(text):
            d, mo = int(m.group(1)), int(m.group(2))
            if 1 <= d <= 31 and 1 <= mo <= 12 and not (mo == 2 and d > 29):
                found.append((m.start(), (d, mo)))
    return [dm for _, dm in sorted(found)]


def reported_years(text: str) -> set[int]:
    return {int(y) for y in _YEAR.findall(text)}


def extract(article: Article) -> ArticleFeatures:
    """All grouping signals of one article except dating's (see ``event_date``)."""
    return ArticleFeatures(
        id=article.id,
        tokens=tuple(vtext.syllables(article.title + "\n" + article.text)),
        title_tokens=tuple(vtext.syllables(article.title)),
        lead_tokens=tuple(vtext.syllables(lead(article))),
        names=frozenset(names(article.title + "\n" + article.text)),
        lead_day=lead_day(article),
        edition_day=edition_day(article.title),
        places=lead_places(article),
        commentary=reads_as_commentary(article),
    )


# "ngày 30/3", "Hôm 28-1", "sáng 23.10": a day written with a day word, as Vietnamese news states the
# day of the happening in its first sentence.
_LEAD_DAY = re.compile(
    _DAY_WORD + r"\s+(?:qua\s*\(|nay\s*\()?(\d{1,2})\s?[/.-]\s?(\d{1,2})(?![\d]|[.,]\d)", re.I
)


def lead_day(article: Article) -> tuple[int, int] | None:
    """The day/month written with a day word in the first sentence of the body, if any."""
    first = next((line for line in article.text.split("\n") if line.strip()), "")
    sents = vtext.split_sentences(first)
    if not sents:
        return None
    m = _LEAD_DAY.search(sents[0])
    if not m:
        return None
    d, mo = int(m.group(1)), int(m.group(2))
    return (d, mo) if 1 <= d <= 31 and 1 <= mo <= 12 else None


# A title that stamps its day before the colon: one edition of a recurring bulletin ("Giá cà phê hôm nay
# 23/7: ...", "Dự báo thời tiết 23/7: ...", "Dịch COVID-19 ngày 23/7: ...", "Giá nông sản ngày
# 22/7/2022: ..."). Vietnamese portals run these daily with the same wording, so the next day's edition
# reads like a report of the same happening; its day is the one thing that tells them apart. A dash
# counts only after a day word, so a score before a colon ("Việt Nam 3-1: ...") is not a day.
_EDITION = re.compile(
    r"^[^:]{2,80}?(?:\s" + _DAY_WORD + r"\s+(\d{1,2})\s?[/-]\s?(\d{1,2})|\s(\d{1,2})/(\d{1,2}))"
    r"(?:\s?[/-]\s?(?:19|20)\d\d)?\s*:",
    re.IGNORECASE,
)


def edition_day(title: str) -> tuple[int, int] | None:
    """The day a dated bulletin's title stamps before its colon ("Giá vàng hôm nay 22/7: ..."), if any."""
    m = _EDITION.search(title)
    if not m:
        return None
    d, mo = (int(m.group(1)), int(m.group(2))) if m.group(1) else (int(m.group(3)), int(m.group(4)))
    return (d, mo) if 1 <= d <= 31 and 1 <= mo <= 12 else None


# A numbered instalment named in a headline: a serial's episode or part, a league's round or matchday, a
# tournament's week or stage, a campaign's wave, a prize's or festival's edition ("Đấu trí tập 3",
# "Vòng 8 V.League", "VBA 2022 tuần 4", "tài trợ đợt 3", "lần thứ 3"). Instalments of one series are
# written alike and are different happenings (the guideline: the same kind of thing on different days).
_INSTALMENT = re.compile(
    r"(?<!\w)(tập|phần|mùa|vòng|lượt|tuần|đợt|kỳ|chặng|ván|lần thứ)\s+(\d{1,3})(?![\d]|[.,]\d)",
    re.IGNORECASE,
)


def instalments(title: str) -> frozenset[tuple[str, int]]:
    """The numbered instalments a headline names, as (kind, number): ("tập", 3) for "Đấu trí tập 3"."""
    return frozenset((m.group(1).lower(), int(m.group(2))) for m in _INSTALMENT.finditer(title))


def instalments_conflict(a: set[tuple[str, int]], b: set[tuple[str, int]]) -> bool:
    """True when both name an instalment of one kind and no number of that kind is in both ("tập 2"
    against "tập 3"; "vòng 7, vòng 8" against "vòng 8" is no conflict)."""
    for kind in {k for k, _ in a} & {k for k, _ in b}:
        if not {n for k, n in a if k == kind} & {n for k, n in b if k == kind}:
            return True
    return False


def day_of_year(day: tuple[int, int] | None) -> int | None:
    """Day of a leap year (1-366) for a (day, month) such as ``lead_day``'s, so that 29/2 exists: the
    year is unknown and does not matter. None when unknown or impossible ("31/4" written in a hurry)."""
    if day is None:
        return None
    try:
        return date(2000, day[1], day[0]).timetuple().tm_yday
    except ValueError:
        return None


def calendar_gap(x: int, y: int) -> int:
    """Days between two days of the year when the year is unknown: the distance wraps around New Year
    (31/12 and 1/1 are one day apart)."""
    gap = abs(x - y)
    return min(gap, 366 - gap)


EventDate = tuple[tuple[date, date] | None, tuple[int, int] | None]


def event_date(article: Article, as_of: date | None = None) -> EventDate:
    """What dating says of the happening the article reports (see ``date_signals``), with the batch's
    as-of date (``Options.as_of``) as the pipeline gives it, so both readings agree."""
    return date_signals(dating.article_date(article, as_of))


def date_signals(when: TemporalExpression | None) -> EventDate:
    """From dating's answer for one article: the days the happening can fall in (its date or honest
    range), and the day/month written in the expression dating chose ("ngày 30/3"), if any."""
    if when is None:
        return None, None
    lo = _first_day(when.earliest or when.value)
    hi = _last_day(when.latest or when.value)
    days = reported_days_in_order(when.text)
    return ((lo, hi) if lo and hi and lo <= hi else None), (days[0] if days else None)


def _first_day(value: str | None) -> date | None:
    m = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value or "")
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        return None


def _last_day(value: str | None) -> date | None:
    m = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value or "")
    if not m:
        return None
    y, mo = int(m.group(1)), int(m.group(2) or 12)
    try:
        return date(y, mo, int(m.group(3) or calendar.monthrange(y, mo)[1]))
    except ValueError:
        return None


def tfidf(docs: Sequence[list[str]], max_df: float | int = 1.0) -> sparse.csr_matrix:
    """Rows of L2-normalised sublinear TF-IDF; all zeros when nothing survives the document-frequency cap."""
    vec = TfidfVectorizer(analyzer=lambda x: x, sublinear_tf=True, max_df=max_df, lowercase=False)
    try:
        return sparse.csr_matrix(vec.fit_transform(docs))
    except ValueError:  # empty vocabulary (tiny or empty texts)
        return sparse.csr_matrix((len(docs), 1))


def bigram_tfidf(
    token_lists: Sequence[Sequence[str]], max_df: float | int = 1.0, unigrams: bool = False
) -> sparse.csr_matrix:
    """Sublinear, smoothed-IDF, L2-normalised TF-IDF of syllable bigrams (and unigrams), as scikit-learn's
    ``TfidfVectorizer(sublinear_tf=True, max_df=...)`` computes it, but on integer codes.

    Hand-written because the bigrams are the bulk of grouping's input (several hundred an article):
    coding syllables once and pairing them with numpy avoids building and hashing a string per bigram
    (about 4x faster at 10k articles)."""
    n = len(token_lists)
    # A missing syllable gets the next code (the default factory is the dict's own length): one C-level
    # lookup per token through map(), twice as fast as a generator calling setdefault.
    vocab: defaultdict[str, int] = defaultdict()
    vocab.default_factory = vocab.__len__
    codes: list[np.ndarray] = []
    rows: list[np.ndarray] = []
    for i, toks in enumerate(token_lists):
        if len(toks) < (1 if unigrams else 2):
            continue
        ids = np.fromiter(map(vocab.__getitem__, toks), dtype=np.int64, count=len(toks))
        # A bigram is (first + 1) << 32 | second; a unigram is its id alone: the two never collide.
        codes.append((ids[:-1] + 1) * (1 << 32) + ids[1:])
        rows.append(np.full(len(toks) - 1, i, dtype=np.int64))
        if unigrams:
            codes.append(ids)
            rows.append(np.full(len(toks), i, dtype=np.int64))
    if not codes:
        return sparse.csr_matrix((n, 1))
    limit = max_df * n if isinstance(max_df, float) else max_df
    return code_tfidf(np.concatenate(codes), np.concatenate(rows), n, limit)


def code_tfidf(codes: np.ndarray, rows: np.ndarray, n: int, limit: float) -> sparse.csr_matrix:
    """``n`` rows of L2-normalised sublinear, smoothed-IDF TF-IDF over integer term codes (one code per
    occurrence, ``rows`` its row); terms in more than ``limit`` rows are dropped. All zeros when none is
    left."""
    n_terms, cols = dense_codes(codes)
    counts = sparse.csr_matrix((np.ones(len(cols)), (rows, cols)), shape=(n, n_terms))
    counts.sum_duplicates()
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    keep = np.flatnonzero(df <= limit)
    if len(keep) == 0:
        return sparse.csr_matrix((n, 1))
    m = counts if len(keep) == counts.shape[1] else sparse.csr_matrix(counts[:, keep])
    idf = np.log((1 + n) / (1 + df[keep])) + 1.0
    m.data = (1.0 + np.log(m.data)) * idf[m.indices]
    return l2_rows(m)


def l2_rows(m: sparse.csr_matrix) -> sparse.csr_matrix:
    """Rows scaled to unit length (all-zero rows stay zero)."""
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ m)


def dense_codes(values: np.ndarray) -> tuple[int, np.ndarray]:
    """How many distinct values there are, and each value's rank among them (0, 1, ...): integer codes
    as column numbers. ``np.unique(return_inverse=True)`` does the same with an argsort; a sort and a
    ``searchsorted`` are 2.5x faster on the 30M codes of 100k articles."""
    s = np.sort(values)
    first = np.empty(len(s), dtype=bool)
    first[:1] = True
    np.not_equal(s[1:], s[:-1], out=first[1:])
    uniq = s[first]
    return len(uniq), np.searchsorted(uniq, values)


# Vietnam's 63 provinces and centrally run cities as news writes them (tone marks placed as
# ``text.normalize`` places them), with common other spellings mapped to one name. Hand-listed: a
# gazetteer package would be a large dependency for one list that changes once a decade.
_PROVINCE_LIST = (
    "An Giang|Bà Rịa - Vũng Tàu|Bạc Liêu|Bắc Giang|Bắc Kạn|Bắc Ninh|Bến Tre|Bình Dương|Bình Định|Bình Phước|"
    "Bình Thuận|Cà Mau|Cao Bằng|Cần Thơ|Đà Nẵng|Đắk Lắk|Đắk Nông|Điện Biên|Đồng Nai|Đồng Tháp|Gia Lai|"
    "Hà Giang|Hà Nam|Hà Nội|Hà Tĩnh|Hải Dương|Hải Phòng|Hậu Giang|Hòa Bình|Hưng Yên|Khánh Hòa|Kiên Giang|"
    "Kon Tum|Lai Châu|Lâm Đồng|Lạng Sơn|Lào Cai|Long An|Nam Định|Nghệ An|Ninh Bình|Ninh Thuận|Phú Thọ|"
    "Phú Yên|Quảng Bình|Quảng Nam|Quảng Ngãi|Quảng Ninh|Quảng Trị|Sóc Trăng|Sơn La|Tây Ninh|Thái Bình|"
    "Thái Nguyên|Thanh Hóa|Thừa Thiên Huế|TP.HCM|Trà Vinh|Tuyên Quang|Vĩnh Long|Vĩnh Phúc|Yên Bái"
)
_PROVINCES = _PROVINCE_LIST.split("|")
_PROVINCE_ALIASES = {
    "Vũng Tàu": "Bà Rịa - Vũng Tàu",
    "Bà Rịa-Vũng Tàu": "Bà Rịa - Vũng Tàu",
    "TP HCM": "TP.HCM",
    "TPHCM": "TP.HCM",
    "TP. HCM": "TP.HCM",
    "TP Hồ Chí Minh": "TP.HCM",
    "TP. Hồ Chí Minh": "TP.HCM",
    "Thành phố Hồ Chí Minh": "TP.HCM",
    "Daklak": "Đắk Lắk",
    "Đăk Lăk": "Đắk Lắk",
    "Huế": "Thừa Thiên Huế",
}
_PLACE = re.compile(
    r"(?<![\w])("
    + "|".join(re.escape(p) for p in sorted([*_PROVINCES, *_PROVINCE_ALIASES], key=len, reverse=True))
    + r")(?![\w])"
)


def lead_places(article: Article) -> frozenset[str]:
    """The provinces the title and the first sentence name: where the happening is. Two same-shaped
    reports from different provinces (two provinces' party-badge ceremonies) are two happenings."""
    first = next((line for line in article.text.split("\n") if line.strip()), "")
    sents = vtext.split_sentences(first)
    text = article.title + "\n" + (sents[0] if sents else "")
    return frozenset(_PROVINCE_ALIASES.get(m, m) for m in _PLACE.findall(text))


# An occurrence anchored in time in the lead: a day ("ngày 14/6", "sáng 21-7", "hôm qua", "tối nay",
# "thứ Năm"), "vừa" before a verb ("vừa thông báo": just happened), "mới đây", "tuần qua".
_ANCHOR = re.compile(
    r"(?<!\w)(?:(?:ngày|hôm|sáng|chiều|tối|trưa|đêm|rạng sáng)\s+"
    r"(?:\d{1,2}(?!\w)|qua(?!\w)|nay(?!\w)|mai(?!\w))"
    r"|hôm\s*(?:qua|nay|kia)(?!\w)|vừa\s+(?!qua(?!\w)|phải|mới|đủ|sức|tầm|rồi|là(?!\w)|có thể)\w+"
    r"|mới đây|tuần (?:qua|trước|này)(?!\w)|thứ\s+(?:hai|ba|tư|năm|sáu|bảy)(?!\w)|chủ nhật"
    r"|\d{1,2}/\d{1,2}(?![\d]|[.,]\d))",
    re.IGNORECASE,
)
# Headlines that ask how or why, or advise: an explainer, an analysis or a service piece.
_ASKS = re.compile(
    r"(?<!\w)(?:vì sao|tại sao|thế nào|ra sao|sao cho|liệu (?:có|rằng)|có nên|là gì|làm gì|ai sẽ|ở đâu"
    r"|(?:nào|không)\s*\?)(?!\w)",
    re.IGNORECASE,
)
_ADVISES = re.compile(
    r"(?<!\w)(?:cách(?!\s+(?:chức|ly|mạng|xa|đây|nhau|biệt|điệu|tân|trở))|bí quyết|mẹo|lưu ý|dấu hiệu"
    r"|lời khuyên|kinh nghiệm|những điều|góc nhìn|bình luận|cần làm|nên làm|đừng|tư vấn|phương pháp"
    r"|giải pháp)(?!\w)",
    re.IGNORECASE,
)


def reads_as_commentary(article: Article) -> bool:
    """True when the headline asks how/why or advises and the lead (title + first two sentences)
    anchors no occurrence in time: an explainer, analysis or advice piece rather than a report."""
    head = article.title
    if not (_ASKS.search(head) or _ADVISES.search(head)):
        return False
    return not _ANCHOR.search(lead(article, 2))
