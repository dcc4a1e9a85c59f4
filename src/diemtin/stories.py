"""Stories: threads of events linked by shared people, places and topic.

Events are linked when their names overlap and their texts share distinctive bigrams (lower thresholds
than events), each event to at most its ``STORY_NEIGHBOURS`` closest such events; a story is a connected
component of those links. A story of several events is titled by what its events share (the title
phrase most of their headlines use and the names most of them mention: "Điện đàm — Putin, Nga, Mỹ"), not
by one event's headline, and summarised in two sentences taken from its events' summaries (the most
central, then the most central one that says something else), each traceable to its article. A story of
one event is that event: its headline and the first two sentences of its summary.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from . import features as feat
from . import text as vtext
from .models import Article, Event, Story, SummarySentence
from .summarize.units import is_dangling

# Stories: events whose texts, headlines, leads and lead names are alike. Two events link when the
# weighted mean of four TF-IDF cosines (``_link_matrix``) is at least STORY_SIMILARITY: text bigrams,
# headlines and leads (syllables + bigrams) at 2/7 each, the lead's name syllables at 1/7 (by IDF:
# a rare shared name ties, "Đảng" or "Việt Nam" hardly). Until session 8 a link needed bigram cosine
# >= 0.08 and name-syllable Jaccard >= 0.15: the Jaccard counted genre names ("Công an", "Việt Nam",
# "Ban Chấp hành") as much as rare ones and missed same-topic events that name nobody (inflation,
# health advice), so sibling topics joined and threads split. Chosen on the even topic clusters of
# vmds-dev and abmusu-train (h0, equal weights or names at half, thresholds 0.12-0.22: the highest mean
# of the two corpora's stories B-cubed F1, 0.948), reported on the odd ones (docs/stories.md).
STORY_WEIGHTS = (2 / 7, 2 / 7, 2 / 7, 1 / 7)  # text bigrams, headlines, leads, lead names
STORY_SIMILARITY = 0.14
STORY_BLOCK = 2048  # events whose pair scores are computed at once in group_stories (bounds memory)
# Bigrams in more than this fraction of the articles (never fewer than MAX_DF_FLOOR articles) are the
# vocabulary of a kind of news, not of one thread: dropped, as grouping drops its 5 % (4x looser here).
STORY_MAX_DF = 0.2
MAX_DF_FLOOR = 5
# ... and, however large the corpus, a bigram in more than this many articles. A fraction alone lets the
# genre's wording through in a large corpus ("cho biết thêm" in 20k of 100k articles), and single-link
# components then chain unrelated threads. On the generated corpora (bench/scale_quality.py: stories
# scored against the 300 source topics the generator drew from), stories B-cubed F1 / largest story /
# pair-scoring CPU s: 100k, no cap 0.317 / 20,390 of 30,016 events / 120; cap 1,000: 0.801 / 2,021 / 66;
# cap 500: 0.899 / 658 / 41. 10k: 0.590 -> 0.749 (cap 500). 500 is grouping's 5 % at 10k articles. No
# effect below 2,500 articles: the seeds, vmds-dev and abmusu-train stories are unchanged.
STORY_MAX_ARTICLES = 500
# Each event links to at most its 3 most similar events among those passing both thresholds (a link
# counts when either end chose it: a k-nearest-neighbour graph). A thread's events are each other's
# nearest neighbours, so it stays connected; what single links chained through was the many weak links
# of an event to other threads of one genre. Generated corpora (bench/scale_quality.py, stories vs the
# 300 source topics), stories B-cubed F1 / largest story: 10k 0.760 / 154 events -> 0.957 / 49; 100k
# (session 4's events) 0.899 / 658 -> 0.978 / 309; 1k unchanged. 5 neighbours: 0.914 and 0.970;
# mutual neighbours (both ends choose) split a large corpus's threads (100k, k=10: recall 0.78).
STORY_NEIGHBOURS = 3
# Events whose dates lie more than STORY_GAP_DAYS apart (dates or honest ranges, nearest ends) join one
# story only through a strong, named tie: name-syllable Jaccard (institutions aside) at least
# STORY_FAR_NAME_JACCARD.
# A thread is a continuous span; wording and a few shared institutions ("Đảng", "Trung ương") linked Party
# news of 2013 and 2022 into one story of ten years. The seeds' calls, 2016 to 2022, keep their ties
# (the Nov 2016 and Mar 2020 calls share Kremlin, Putin, Trump: Jaccard 0.86; Nov 2016 and Apr 2021: 0.5).
STORY_GAP_DAYS = 365
STORY_FAR_NAME_JACCARD = 0.3
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)  # odd multiplier: (a, b) and (b, a) hash apart


@dataclass(slots=True, frozen=True)
class EventSignals:
    """What linking needs of one event, computed where the event is built (a worker, in a large run):
    the name syllables of its articles' leads, and per article the hashed syllable bigrams of its text."""

    names: frozenset[str]
    bigrams: tuple[np.ndarray, ...]  # uint64 codes, one per bigram occurrence, one array per article
    # Syllables and bigrams (uint64 codes) of the articles' headlines, and of their leads (headline and
    # first three sentences), all articles together: what a thread's reports say first.
    heads: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint64))
    leads: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint64))


def event_signals(articles: Sequence[Article]) -> EventSignals:
    """Story signals of one event's articles (canonical reports and their copies)."""
    names: set[str] = set()

    def codes(text: str) -> np.ndarray:
        toks = vtext.syllables(text)
        # A stable 64-bit hash per syllable (not ``hash``: it differs between worker processes), so
        # that codes made on different workers agree; collisions at 2^-64 do not matter here.
        return np.fromiter(map(vtext.syllable_hash, toks), dtype=np.uint64, count=len(toks))

    def pairs(h: np.ndarray) -> np.ndarray:
        return h[:-1] * _GOLDEN + h[1:] if len(h) >= 2 else np.zeros(0, dtype=np.uint64)

    arrays: list[np.ndarray] = []
    heads: list[np.ndarray] = []
    leads: list[np.ndarray] = []
    for a in articles:
        lead = feat.lead(a)
        names |= feat.name_syllables(lead)
        arrays.append(pairs(codes(a.title + "\n" + a.text)))
        for out, h in ((heads, codes(a.title)), (leads, codes(lead))):
            out += [h, pairs(h)]
    empty = np.zeros(0, dtype=np.uint64)
    return EventSignals(
        frozenset(names),
        tuple(arrays),
        np.concatenate(heads) if heads else empty,
        np.concatenate(leads) if leads else empty,
    )


def _tfidf(arrays: Sequence[np.ndarray], owner: Sequence[int], n_events: int) -> sparse.csr_matrix:
    """Per event: the sum of its articles' L2-normalised sublinear TF-IDF bigram vectors, normalised
    (smoothed IDF, as scikit-learn's ``TfidfVectorizer(sublinear_tf=True)``), on hashed codes."""
    n = len(arrays)
    lengths = np.fromiter((len(x) for x in arrays), dtype=np.int64, count=n)
    if n == 0 or lengths.sum() == 0:
        return sparse.csr_matrix((n_events, 1))
    limit = max(MAX_DF_FLOOR, min(STORY_MAX_DF * n, STORY_MAX_ARTICLES))
    m = feat.code_tfidf(np.concatenate(arrays), np.repeat(np.arange(n), lengths), n, limit)
    owners = sparse.csr_matrix((np.ones(n), (np.asarray(owner), np.arange(n))), shape=(n_events, n))
    return feat.l2_rows(sparse.csr_matrix(owners @ m))


def _link_matrix(agg: sparse.csr_matrix, sig: Sequence[EventSignals]) -> sparse.csr_matrix:
    """One row per event such that a dot product of two rows is the weighted mean of four cosines
    (``STORY_WEIGHTS``): text bigrams (``agg``), headlines, leads (syllables + bigrams) and lead name
    syllables, each TF-IDF fitted on the batch with the story vocabulary cap. Names weigh by their
    rarity in the crawl: "Đảng", "Việt Nam" or "Hà Nội" tie little, "Roy Keane" or "HIMARS" much."""
    n = len(sig)
    limit = max(MAX_DF_FLOOR, min(STORY_MAX_DF * n, STORY_MAX_ARTICLES))

    def per_event(arrays: Sequence[np.ndarray]) -> sparse.csr_matrix:
        lengths = np.fromiter((len(x) for x in arrays), dtype=np.int64, count=n)
        if lengths.sum() == 0:
            return sparse.csr_matrix((n, 1))
        return feat.code_tfidf(np.concatenate(arrays), np.repeat(np.arange(n), lengths), n, limit)

    names = [np.fromiter((vtext.syllable_hash(x) for x in sorted(s.names)), np.uint64) for s in sig]
    blocks = [agg, per_event([s.heads for s in sig]), per_event([s.leads for s in sig]), per_event(names)]
    return sparse.csr_matrix(
        sparse.hstack([b * math.sqrt(w) for b, w in zip(blocks, STORY_WEIGHTS, strict=True)], format="csr")
    )


# Syllables of the names of institutions, the country and its capital, which every domestic political
# report capitalises ("Ban Chấp hành Trung ương Đảng", "Bộ Chính trị", "Quốc hội", "Việt Nam", "Hà Nội"):
# not a named tie between events years apart.
_INSTITUTION_WORDS = (
    "đảng trung ương ban chấp hành bộ chính trị quốc hội phủ nhà nước ủy hội nghị việt nam thành phố tỉnh "
    "tp khóa hà nội"
)
_INSTITUTIONS = frozenset(_INSTITUTION_WORDS.split())


def _strong_tie(a: frozenset[str], b: frozenset[str]) -> bool:
    """Events years apart share the thread's own names (institutions aside): name-syllable Jaccard at
    least ``STORY_FAR_NAME_JACCARD``."""
    a, b = a - _INSTITUTIONS, b - _INSTITUTIONS
    union = a | b
    return bool(union) and len(a & b) / len(union) >= STORY_FAR_NAME_JACCARD


def _span(event: Event) -> tuple[int, int] | None:
    """The days an event can fall in (ordinal days; None when undated): its date, or its honest range."""
    lo = feat._first_day(event.date_range[0] or event.date)
    hi = feat._last_day(event.date_range[1] or event.date)
    return (lo.toordinal(), hi.toordinal()) if lo and hi and lo <= hi else None


def _far(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    """True when two events' spans lie more than ``STORY_GAP_DAYS`` apart (unknown: not far)."""
    return a is not None and b is not None and max(b[0] - a[1], a[0] - b[1]) > STORY_GAP_DAYS


def group_stories(
    events: Sequence[Event],
    articles: Mapping[str, Article],
    signals: Mapping[str, EventSignals] | None = None,
) -> list[Story]:
    """Stories: threads of events sharing people, places and topic (connected components), each with
    its title and two-sentence summary.

    ``signals`` are ``event_signals`` of each event's articles by event id, when the caller computed
    them already (the pipeline does, on its executor); otherwise they are computed here.
    """
    threads = link_stories(events, articles, signals)
    return as_stories(threads, [describe_story(members, central, articles) for members, central in threads])


def describe_story(
    members: Sequence[Event], central: Event, articles: Mapping[str, Article]
) -> tuple[str, list[SummarySentence]]:
    """A thread's title and two-sentence summary (``story_title``, ``story_summary``)."""
    return story_title(members, articles, fallback=central.title), story_summary(members)


def as_stories(
    threads: Sequence[tuple[list[Event], Event]], described: Sequence[tuple[str, list[SummarySentence]]]
) -> list[Story]:
    """Stories from ``link_stories``' threads and each one's ``describe_story``, numbered in order."""
    return [
        Story(id=f"s{k + 1}", title=title, events=[e.id for e in members], summary=summary)
        for k, ((members, _), (title, summary)) in enumerate(zip(threads, described, strict=True))
    ]


def link_stories(
    events: Sequence[Event],
    articles: Mapping[str, Article],
    signals: Mapping[str, EventSignals] | None = None,
) -> list[tuple[list[Event], Event]]:
    """The threads of ``group_stories`` before they are described: each story's events (in id order)
    and its most central event, stories in the order of their first event's id. Apart from
    ``story_title`` and ``story_summary`` so that a caller can keep those per story (the store's cache).
    """
    evs = sorted(events, key=lambda e: e.id)
    if not evs:
        return []
    sig = [
        signals[e.id]
        if signals is not None and e.id in signals
        else event_signals([articles[a] for a in e.articles if a in articles])
        for e in evs
    ]
    names = [s.names for s in sig]
    spans = [_span(e) for e in evs]
    n = len(evs)
    # Never the full event-pair matrix: at 100k articles (~37k events sharing common bigrams) even its
    # sparse form is nearly dense (an out-of-memory kill at 24 GB). Pairs are scored a block of rows at a
    # time and only those above the topic threshold are kept; only they can join a story.
    agg = _tfidf([x for s in sig for x in s.bigrams], [k for k, s in enumerate(sig) for _ in s.bigrams], n)
    link = _link_matrix(agg, sig)
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    src: list[np.ndarray] = []
    dst: list[np.ndarray] = []
    val: list[np.ndarray] = []
    for lo in range(0, n, STORY_BLOCK):
        # Only columns from ``lo`` on: pairs (i < j) once, half the product of the full row block.
        block = (link[lo : lo + STORY_BLOCK] @ link[lo:].T).tocoo()
        rows, cols = block.row + lo, block.col + lo
        keep = (block.data >= STORY_SIMILARITY) & (rows < cols)
        ci, cj = rows[keep], cols[keep]
        mask = np.fromiter(
            (
                not _far(spans[i], spans[j]) or _strong_tie(names[i], names[j])
                for i, j in zip(ci.tolist(), cj.tolist(), strict=True)
            ),
            dtype=bool,
            count=len(ci),
        )
        src.append(ci[mask])
        dst.append(cj[mask])
        val.append(block.data[keep][mask])
    i_all = np.concatenate(src) if src else np.zeros(0, dtype=np.int64)
    j_all = np.concatenate(dst) if dst else np.zeros(0, dtype=np.int64)
    v_all = np.concatenate(val) if val else np.zeros(0)
    # Each link seen from both ends; an end keeps its STORY_NEIGHBOURS best (ties: the smaller index).
    a = np.concatenate([i_all, j_all])
    b = np.concatenate([j_all, i_all])
    v = np.round(np.concatenate([v_all, v_all]), 9)  # float sums differ in the last bits between runs
    order = np.lexsort((b, -v, a))
    a, b = a[order], b[order]
    starts = np.searchsorted(a, a, side="left")
    chosen = (np.arange(len(a)) - starts) < STORY_NEIGHBOURS
    for i, j in zip(a[chosen].tolist(), b[chosen].tolist(), strict=True):
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)
    comps: dict[int, list[int]] = {}
    for i in range(n):
        comps.setdefault(find(i), []).append(i)
    threads: list[tuple[list[Event], Event]] = []
    for members in sorted(comps.values(), key=lambda c: evs[c[0]].id):
        central = members[0]
        if len(members) > 1:
            # Σ_{j≠i} cos(i, j) = a_i · Σ_j a_j − a_i · a_i: linear in the component, no pair matrix.
            rows_m = agg[members]
            total = np.asarray(rows_m.sum(axis=0)).ravel()
            self_sim = np.asarray(rows_m.multiply(rows_m).sum(axis=1)).ravel()
            # rounded: float sums differ in the last bits, and ties must go to the smallest index
            totals = np.round(rows_m @ total - self_sim, 9)
            central = members[int(np.argmax(totals))]
        threads.append(([evs[i] for i in members], evs[central]))
    return threads


# --------------------------------------------------------------------------------------------------
# Title and summary of a story

# Words that neither start nor end a title phrase: "của Mỹ", "điện đàm với" are not what a thread is
# about. Vietnamese function words, hand-listed (a stop list would need a download or a corpus).
_FUNCTION_WORDS = (
    "của và với về các những trong cho là có được đã sẽ đang tại từ theo này đó một hai ba khi sau "
    "trước lần ra vào lên để mà thì nhưng hay hoặc bị do vì nên người ông bà anh chị "
    # negation, degree and time-of-day words: "Mỹ không", "Chiều trên" read as fragments
    "không chưa cũng vẫn rất còn sáng chiều tối trưa đêm hôm nay qua ngày tháng năm"
)
_FUNCTION = frozenset(_FUNCTION_WORDS.split())
TITLE_NAMES = 3  # names after the title phrase
# A title phrase is 2-10 syllables: "hỗ trợ tiền thuê nhà cho người lao động" (9) is a thread's topic,
# where its two syllables "hỗ trợ" alone ("support") said nothing to a reader of the abmusu-train crawl.
TITLE_PHRASE_MAX = 10
# A phrase does not run across a headline's punctuation ("Điểm báo quốc tế 23/7: Nga ..." gave "quốc tế").
_HEADLINE_BREAK = re.compile(r"[,:;!?()\[\]\"“”'‘’|–—…]|\s-\s")
_ROMAN = re.compile(r"[IVXLCDM]+")
STORY_SUMMARY_SENTENCES = 2
# A second summary sentence whose syllable cosine to the first exceeds this says the same thing again
# (the summarizer's REDUNDANCY).
SUMMARY_REDUNDANCY = 0.6


def _event_names(texts: Sequence[str]) -> set[str]:
    """Names an event's headline and leads (``texts``, from ``_event_texts``) mention, as written
    ("Putin", "Nhà Trắng", "Hà Nội"): each capitalised run with office words cut out ("Tổng thống Nga
    Vladimir Putin" gives "Nga" and "Vladimir Putin"), whole. A part of a longer name is not a name:
    "Hồ Chí" of "Hồ Chí Minh", "Nguyễn" of "Nguyễn Văn Dương" made titles a reader could not parse; a
    later bare "Putin" still counts."""
    out: set[str] = set()
    for run in feat.capitalized_runs("\n".join(texts)):
        words = run.replace("_", " ").split()
        while words and words[0].lower() in feat._NOT_NAME:
            words = words[1:]
        parts: list[list[str]] = [[]]
        for w in words:
            if w.lower() in feat._TITLE_WORDS or any(ch.isdigit() for ch in w):
                parts.append([])
            else:
                parts[-1].append(w.strip(vtext.NAME_EDGE_PUNCT))
        for part in parts:
            name = " ".join(w for w in part if w)
            # A one-letter word ("V", "Sở Y" of "Sở Y tế") is an initial or a cut word; more than four
            # words ("TP Hồ Chí Minh" is four) is a capitalised headline fragment.
            # A Roman numeral ("XIII" of "khóa XIII") numbers a congress or a term; it names nothing.
            if _ROMAN.fullmatch(name):
                continue
            if name and all(len(w) > 1 for w in name.split()) and len(name.split()) <= 4:
                out.add(name)
    return out


def _event_texts(event: Event, articles: Mapping[str, Article]) -> list[str]:
    """Where a story title's names are read: the event's headline and its first reports' first sentences."""
    return [event.title] + [feat.lead(articles[a], 1) for a in event.articles[:5] if a in articles]


def _cut_syllables(texts: Sequence[str], syllables: set[str]) -> set[str]:
    """Those of ``syllables`` (capitalised) that pyvi's word segmenter, in most of their occurrences,
    joins to the lower-case syllable after them: "Công" of "Bộ Công an", "Bí" of "Tổng Bí thư", "Quản" of
    "Cục Quản lý", "Chấp" of "Ban Chấp hành". A name that ends in one is a word cut in two ("Bộ Công"),
    not a name. Most, not any: pyvi also joins a name to the verb after it now and then ("Cừ_sinh").
    Only a window of two words either side of each occurrence is segmented (pyvi's cost grows with the
    text; its features look one or two syllables around)."""
    joined: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for text in texts:
        toks = text.split()
        for i, tok in enumerate(toks):
            target = tok.strip(vtext.NAME_EDGE_PUNCT)
            if target not in syllables:
                continue
            for word in vtext.words(" ".join(toks[max(0, i - 2) : i + 3])):
                sylls = [x.strip(vtext.NAME_EDGE_PUNCT) for x in word.split("_")]
                for k, syl in enumerate(sylls):
                    if syl == target:
                        seen[syl] += 1
                        joined[syl] += k + 1 < len(sylls) and sylls[k + 1][:1].islower()
    return {syl for syl, c in joined.items() if 2 * c > seen[syl]}


def _as_written(phrase: str, titles: Sequence[str]) -> str:
    """``phrase`` (lower-case syllables) as the headlines most often write it ("mắc covid" -> "mắc
    COVID", "u19 việt nam" -> "U19 Việt Nam"), so a story title keeps its names' capitals."""
    pattern = re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, phrase.split())) + r"(?!\w)", re.IGNORECASE)
    forms = Counter(" ".join(m.group(0).split()) for t in titles for m in pattern.finditer(t))
    return forms.most_common(1)[0][0] if forms else phrase


def _title_phrases(title: str) -> set[str]:
    """Lower-case syllable n-grams (2 to ``TITLE_PHRASE_MAX``) of a headline that neither start nor end
    with a function word, nor hold or follow a number, nor run across punctuation. One syllable is
    rarely a Vietnamese word on its own ("bí" of "bí thư", "hóa" of "hóa chất")."""
    out: set[str] = set()
    for part in _HEADLINE_BREAK.split(title):
        out |= _phrases(vtext.syllables(part))
    return out


def _phrases(toks: Sequence[str]) -> set[str]:
    """``_title_phrases`` of one stretch of a headline between punctuation marks."""
    out: set[str] = set()
    for n in range(2, TITLE_PHRASE_MAX + 1):
        for i in range(len(toks) - n + 1):
            gram = toks[i : i + n]
            if gram[0] in _FUNCTION or gram[-1] in _FUNCTION or any(t.isdigit() for t in gram):
                continue
            # A phrase does not start with the unit of a number ("tuổi" of "bé gái 8 tuổi bị bạo hành").
            if i and toks[i - 1].isdigit():
                continue
            out.add(" ".join(gram))
    return out


def _first_at(phrase: str, headlines: Sequence[str]) -> int:
    """The earliest syllable offset at which ``phrase`` (lower-case syllables) opens one of ``headlines``
    (each its lower-case syllables joined by spaces); a large number when none holds it."""
    best = 1 << 30
    for h in headlines:
        padded = f" {h} "
        i = padded.find(f" {phrase} ")
        if i >= 0:
            best = min(best, padded[: i + 1].count(" ") - 1)
    return best


def story_title(events: Sequence[Event], articles: Mapping[str, Article], fallback: str = "") -> str:
    """What a thread is about, in one line: the title phrase its events' headlines share, then the
    names most of its events mention ("Điện đàm — Putin, Nga, Mỹ").

    A phrase or name counts when at least two events (and a third of them) share it, in the event's
    headline or any of its reports' titles. Among phrases, the number of events sharing it times
    log2(1 + its syllables) wins: a longer phrase two events share ("hỗ trợ tiền thuê nhà cho người lao
    động") says more than a word three share ("hỗ trợ"). A name inside a chosen one ("Putin" in "Vladimir
    Putin") is not repeated. Only capitalised names are taken, so the title names the thread's people,
    places and organisations. A story of one event, one whose events share nothing, or one that shares
    only a two-syllable word and no name ("Hợp đồng", "Xung đột") keeps ``fallback`` (its most central
    event's headline): a bare common word does not say what the thread is about."""
    if len(events) < 2:
        return events[0].title if events else fallback
    need = max(2, math.ceil(len(events) / 3))
    names: Counter[str] = Counter()
    phrases: Counter[str] = Counter()
    texts = [_event_texts(e, articles) for e in events]
    headlines: list[str] = []
    for e, t in zip(events, texts, strict=True):
        names.update(_event_names(t))
        own = [e.title] + [articles[a].title for a in e.articles if a in articles and articles[a].title]
        headlines += own
        phrases.update(set().union(*(_title_phrases(h) for h in own)))
    # Names cut where the word goes on in lower case ("Ban Chấp", "Cục Quản", "Bí") are left out.
    # Only names enough events share can be chosen; only their last syllables are checked.
    last = {n.split()[-1] for n, c in names.items() if c >= need}
    if last:
        cut = _cut_syllables([t for ts in texts for t in ts], last)
        for name in [n for n, c in names.items() if c >= need and n.split()[-1] in cut]:
            del names[name]
    lowered = {n.lower() for n in names}
    # A phrase made only of name syllables ("nga", "mỹ") is a name, listed with the names.
    name_sylls = {w for n in lowered for w in n.split()}
    # An office and a name ("tổng thống nga") is a role, not what the thread is about.
    role = name_sylls | feat._TITLE_WORDS
    shared = {p: c for p, c in phrases.items() if c >= need and not set(p.split()) <= role}
    # Closed phrases only: one inside a longer phrase that as many events share is a cut word ("sốt
    # xuất" of "sốt xuất huyết").
    closed = [
        p
        for p, c in shared.items()
        if not any(c == d and f" {p} " in f" {q} " for q, d in shared.items() if q != p)
    ]

    def score(p: str) -> tuple[float, int]:
        return (-phrases[p] * math.log2(1 + len(p.split())), -phrases[p])

    best = min((score(p) for p in closed), default=None)
    tied = sorted(p for p in closed if score(p) == best)
    # Among equals, the phrase the headlines put first: a headline opens on its topic ("Đấu trí tập 2:
    # Giám đốc CDC bị phát hiện ..." is about the series "Đấu trí", not "phát hiện", which won on the
    # alphabet before).
    phrase = tied[0] if len(tied) == 1 else ""
    if len(tied) > 1:
        spelled = [" ".join(vtext.syllables(h)) for h in headlines]
        phrase = min(tied, key=lambda p: (_first_at(p, spelled), p))
    chosen: list[str] = []
    for name, c in sorted(names.items(), key=lambda kv: (-kv[1], -len(kv[0].split()), kv[0])):
        if c < need or len(chosen) == TITLE_NAMES:
            break
        low = name.lower()
        if low in phrase or any(low in x.lower() or x.lower() in low for x in chosen):
            continue
        chosen.append(name)
    if not phrase or (len(phrase.split()) == 2 and not chosen and fallback):
        # Names alone ("Nga, Âu") say who, not what, and a bare word ("Hợp đồng") neither: the most
        # central headline says more.
        return fallback or ", ".join(chosen)
    written = _as_written(phrase, headlines)
    head = written[:1].upper() + written[1:]
    return f"{head} — {', '.join(chosen)}" if chosen else head


def story_summary(events: Sequence[Event]) -> list[SummarySentence]:
    """Two sentences of a story, each from one of its events' summaries (so each names its article).

    One event: the first two sentences of its summary. Several: the sentence most like all the story's
    summary sentences (cosine to their TF-IDF centroid, syllables and bigrams), then the most central
    one of another event that does not repeat it (cosine below ``SUMMARY_REDUNDANCY``), in the order of
    the events' dates. Reports are preferred to commentary (``Event.kind``) where the story has both.
    A sentence that leans on the one before it in its article ("Trước đó, ...", "Tuy nhiên, ...":
    ``summarize.units.is_dangling``) is not taken from several events' summaries, where its anchor is
    not beside it (unless every sentence does)."""
    reports = [e for e in events if e.kind == "report" and e.summary] or [e for e in events if e.summary]
    if not reports:
        return []
    if len(reports) == 1:
        return list(reports[0].summary[:STORY_SUMMARY_SENTENCES])
    cands = [(k, s) for k, e in enumerate(reports) for s in e.summary]
    cands = [c for c in cands if not is_dangling(c[1].text)] or cands
    m = feat.bigram_tfidf([vtext.syllables(s.text) for _, s in cands], unigrams=True)
    centroid = np.asarray(m.sum(axis=0)).ravel()
    score = np.round(m @ centroid, 9)
    order = sorted(range(len(cands)), key=lambda i: (-score[i], i))
    first = order[0]
    picked = [first]
    sims = np.asarray((m @ m[first].T).todense()).ravel()
    for i in order[1:]:
        if cands[i][0] != cands[first][0] and sims[i] < SUMMARY_REDUNDANCY:
            picked.append(i)
            break
    else:
        picked += [i for i in order[1:] if sims[i] < SUMMARY_REDUNDANCY][:1]

    def when(i: int) -> tuple[str, int]:
        e = reports[cands[i][0]]
        return (e.date or e.date_range[0] or e.date_range[1] or "9999", i)

    return [cands[i][1] for i in sorted(picked, key=when)]
