"""Candidate summary sentences: split, captions and bylines trimmed, dangling starts and flaws flagged.

Every candidate's text is a contiguous span of its article's text (after a removed photo caption,
dateline or byline), so a summary stays traceable to its source. A sentence that carries a source
attribution, an additive connective or a closing credit also gets a trimmed variant (``trim``): the
same span without it, first letter capitalised and end mark put back; the scorer picks at most one.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..models import Article
from ..text import split_sentences, syllables

# Photo/video credits inlined in bodies: "... sáng nay - Ảnh: AFP Theo Hãng tin AFP, ...",
# "Biểu tình tại Campuchia (Ảnh: Đỗ Tuấn Anh) Tại cuộc họp báo ...", "(Nguồn: AFP/TTXVN)".
_CREDIT = re.compile(r"(?:\s[-–—]\s*|\s|^)(\()?(?:Ảnh|ẢNH|Nguồn|NGUỒN|Video|Clip|Photo)\s*:\s*")
_CREDIT_PLAIN = re.compile(
    r"(?:^|\s)\(?(?:Ảnh minh họa|Ảnh minh hoạ|Ảnh internet|Ảnh: Internet)\)?\.?(?=\s|$)"
)
# Words that start a new sentence rather than continue a photographer's name after "Ảnh:".
_STARTERS = frozenset(
    """theo trong tại ngày sáng chiều tối trưa đêm hôm ông bà anh chị các những một người khi sau trước như
    nhưng tuy đây đó này hai ba bốn năm cũng với để vào phút còn bên ngoài thỏa mục việc vụ lực cuộc họ
    chính ủy bộ thủ tổng phó hiện nhiều cơ đoàn nhà tân tàu xe lính binh quân hàng đại giới dự""".split()  # noqa: SIM905
)
# Text glued onto a byline by the crawler: "Theo The GuardianNgoại trưởng", "(Vietnam+)Người phát ngôn".
# Dateline prefixes: "TTO - ", "VOV.VN - ", "(Dân trí) - ", "(PLO)- ".
# "Hà Nội (TTXVN) - ", "Thành phố Hồ Chí Minh (TTXVN) – ": a place (a capital, up to five words) and
# an agency in brackets.
_DATELINE = re.compile(
    r"^(?:(?:[A-ZĐ][^\s()]*\s(?:[^\s()]+\s){0,4})?"
    r"\((?:TTXVN|TTX|VNA|AFP|Reuters|AP|VOV|VTV|Xinhua|Dân trí|PLO|Vietnam\+)\)|"
    r"\([^()]{2,30}\)|[A-ZĐ][A-ZĐ.+]{1,15})\s*[-–—]\s+"
)  # case-sensitive

# Related-article links and calls to action that crawls leave in bodies.
_BOILERPLATE = re.compile(
    r"^(?:>>|»|Xem thêm|Xem tiếp|Tin liên quan|Video:|Mời (?:bạn|quý)|Click|Bấm|"
    r"Dưới đây là|Sau đây là|Cùng xem)",
    re.I,
)
# Photo captions name positions in the picture: "Tổng thống Putin (phải) tiếp ...", "(bìa trái)",
# "(áo trắng)".
_PICTURE_POSITION = re.compile(
    r"\((?:bìa |ngoài cùng bên |thứ \w+ từ |đứng |ngồi |hàng )?(?:phải|trái|giữa)(?: sang| qua)?[^)]{0,12}\)|"
    r"\(áo [^)]{1,15}\)",
    re.I,
)

# Sentences that lean on the one before: discourse connectives and bare pronouns. Such a sentence is
# only used when its predecessor in the same article is in the summary too.
_DANGLING = re.compile(
    r"^[\"“]?(?:tuy nhiên|trong khi đó|ngoài ra|bên cạnh đó|đồng thời|theo đó|do đó|vì vậy|vì thế|"
    r"như vậy|điều này|việc này|vụ việc này|cũng theo|cũng trong|cũng tại|thêm vào đó|trước đó|sau đó|"
    r"mặt khác|tuy vậy|dù vậy|song|nhưng|còn|và|cùng với đó|cụ thể|đây là|đó là|không chỉ vậy|hơn nữa|"
    r"bởi vậy|tương tự|riêng|trong đó|ngay sau đó|cùng ngày|cũng|ngoài|lúc đó|khi đó|ông này|bà này|"
    r"người này|nhân vật này|"
    # Items of an enumeration ("Hai là bước ...", "Thứ hai, ...", "Cuối cùng, ..."): the list's header
    # and first item are elsewhere.
    r"(?:một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười) là|thứ (?:nhất|hai|ba|tư|năm|sáu|bảy|tám))\b|"
    r"^[\"“]?(?:đầu tiên|cuối cùng|tiếp theo)\s*,",
    re.IGNORECASE,
)
# A bare pronoun followed by a lower-case word ("Ông cho biết") leans on an earlier name;
# "Ông Putin" does not.
_PRONOUN = re.compile(r"^[\"“]?(?:ông|bà|anh|chị|họ|cô|hắn|chúng tôi|tôi|cả hai)\s+(\w)", re.IGNORECASE)


def is_dangling(text: str) -> bool:
    """True when the sentence opens with a connective or a bare pronoun that needs the sentence before."""
    if _DANGLING.match(text):
        return True
    m = _PRONOUN.match(text)
    return m is not None and m.group(1).islower()


# A capital right after another character of a word ("GuardianNgoại"): the only place a glue can be.
# The class lists str.isupper's capitals below U+3000 (Latin with Vietnamese, Greek, Cyrillic, ...); a
# text with a character past that takes the word-by-word scan.
_UPPER_BELOW = "\u3000"
_INNER_CAPITAL = re.compile(
    r"\S[" + "".join(re.escape(c) for c in map(chr, range(ord(_UPPER_BELOW))) if c.isupper()) + "]"
)


# Central Highlands place names open with "Đắk" (water, in Ê Đê and M'nông) and are often written
# joined: "(ĐắkLắk)", "ĐắkNông", "ĐăkGlei". A capital after it is the name's second part, not a byline's
# end: "Tại huyện Cư M'gar (ĐắkLắk) giá cà phê ..." was cut to "Lắk) giá cà phê ..." in a digest.
_JOINED_PLACE_HEADS = frozenset({"đắk", "đăk", "đắc", "đak", "dak", "đác"})


def _glue_point(text: str) -> int:
    """Offset where article text was glued onto a byline ("The GuardianNgoại trưởng"), or 0.

    Only a Vietnamese (non-ASCII) capitalised syllable counts, so "YouTube" or "iPhone" are never cut.
    """
    head = text[:80]
    if head.isascii() or (max(head) < _UPPER_BELOW and _INNER_CAPITAL.search(head) is None):
        return 0  # most sentences: no capital inside a word (an ASCII glue never counts, see below)
    for m in re.finditer(r"\S+", head):
        tok = m.group(0)
        for i in range(1, len(tok) - 1):
            left, ch = tok[i - 1], tok[i]
            if not ch.isupper() or not (
                left == ")" or left.islower() or (i >= 2 and tok[i - 2 : i].isupper())
            ):
                continue
            if left.islower() and (i < 2 or not tok[i - 2].islower()):
                continue
            if tok[:i].lstrip("(").lower() in _JOINED_PLACE_HEADS:
                continue
            right = re.match(r"\w+", tok[i:])
            if right and not right.group(0).isascii() and right.group(0)[1:].islower():
                return m.start() + i
    return 0


# --------------------------------------------------------------------------------------------------
# Trimming: shorter variants of a sentence that say the same thing in fewer syllables, so that more
# content fits the budget. Every rule removes a span at the start or the end of the sentence (never in
# the middle, never inside a quotation), so the variant stays a contiguous, readable piece of its source
# sentence; only its first letter may be capitalised and a full stop put back at the end.

# News agencies, papers and channels: "hãng tin AFP", "tờ Nhân dân Nhật báo", "báo Yomiuri Shimbun".
_MEDIA_NOUN = (
    r"(?:[Hh]ãng tin|[Hh]ãng thông tấn|[Tt]hông tấn xã|[Hh]ãng|[Bb]áo|[Tt]ờ|[Tt]ạp chí|"
    r"[Đđ]ài(?: truyền hình)?|[Kk]ênh(?: truyền hình)?|[Tt]rang(?: tin| mạng| web)?|[Mm]ạng|[Nn]hật báo|"
    r"[Tt]ruyền thông|[Gg]iới truyền thông|[Nn]guồn tin|[Pp]hóng viên|PV)"
)
# Agencies named without a noun before them; ASCII capitalised names ("Reuters", "The Guardian",
# "RIA-Novosti") are foreign outlets far more often than people when they follow "theo" at a comma.
_AGENCY = (
    r"(?:TTXVN|TTX|Tân Hoa [Xx]ã|Xinhua|Vietnam\+|VOV|VTV|VnExpress|Dân trí|Tuổi Trẻ|Thanh Niên|"
    r"[A-Z][A-Za-z&.\-']*(?: [A-Z][A-Za-z&.\-']*){0,3})"
)
# A source phrase: a media noun and a short name ("hãng tin Yonhap của Hàn Quốc"), or an agency name.
_SOURCE = (
    rf"(?:{_MEDIA_NOUN}(?: [^\s,;:\"“”()]+| \([^()]{{1,25}}\)){{0,12}}|{_AGENCY}(?: \([^()]{{1,25}}\))?)"
)
# "Theo hãng tin AFP, ..." / "Hãng tin AFP cho biết, ..." / "Theo AFP đưa tin, ..."
_LEADING_SOURCE = re.compile(
    rf"^(?:Theo {_SOURCE}(?: (?:đưa tin|cho biết|cho hay))?|{_SOURCE} (?:đưa tin|cho biết|cho hay|loan tin))"
    r"\s*(?:,|:| rằng)\s+"
)
# Reporting verbs that pass on information ("cho biết", "nói"); opinion verbs ("khẳng định", "cho
# rằng", "nhấn mạnh") are kept, because without them a claim would read as the paper's own statement.
_REPORT_VERB = r"(?:cho biết|cho hay|nói|thông báo|đưa tin|loan tin|xác nhận|tiết lộ|thông tin)"
# "..., ông Carney nói." / "..., Bộ Quốc phòng Nga thông báo hôm 5/3." / "..., theo RIA Novosti."
_TRAILING_ATTRIBUTION = re.compile(
    rf",\s*(?:theo {_SOURCE}|(?:[^,;:\"“”()]{{2,80}}?) {_REPORT_VERB}(?: thêm)?"
    r"(?: (?:với|trong|tại|trên|hôm|ngày|sáng|chiều|tối|trưa|hồi) [^,;:\"“”()]{1,50})?)"
    r"\s*([.!?…]*)\s*$"
)
# Words that make an attribution clause say more than who spoke ("ông này không dám khẳng định").
_NOT_ATTRIBUTION = re.compile(r"\b(?:không|chưa|chẳng|chả|rằng|nhưng|và|sẽ|đã|đang|cũng|vẫn|mới)\b", re.I)
# First person: the statement needs its speaker.
_FIRST_PERSON = re.compile(r"\b(?:tôi|chúng tôi|chúng ta|chúng mình|tao|tớ)\b", re.I)
# Additive connectives that only join the sentence to the text before it; without them it stands on
# its own. Contrast and consequence ("Tuy nhiên", "Do đó", "Theo đó") are not trimmed: the sentence
# still leans on what came before and stays flagged dangling.
_LEADING_CONNECTIVE = re.compile(
    r"^(?:Ngoài ra|Bên cạnh đó|Đồng thời|Thêm vào đó|Hơn nữa|Không chỉ vậy|Không những thế|Cùng với đó|"
    r"Trong khi đó|Mặt khác|Ngoài những điều này)\s*,\s+"
)
# A credit or an aside closing the sentence: "... tại Hà Nội (ảnh: TTXVN).", "... (Video)", "[xem bản đồ]".
_TRAILING_ASIDE = re.compile(
    r"\s*(?:\((?:[Ảả]nh|ẢNH|[Vv]ideo|[Cc]lip|[Đđ]ồ họa|[Xx]em|[Tt]heo|[Nn]guồn|TTXVN|TTX|VNA|AFP|Reuters|AP|"
    r"VOV|VTV|Xinhua|PV|CTV)\b[^()]{0,40}\)|\[[^\[\]]{1,120}\])\s*([.!?…]*)\s*$"
)
# Trimming must leave a sentence: at least this many syllables (the selection minimum is 10).
_MIN_TRIMMED = 8


def _outside_quotes(text: str, pos: int) -> bool:
    """True when ``pos`` is not inside a quotation (straight or curly quotes balanced before it)."""
    before = text[:pos]
    return before.count('"') % 2 == 0 and before.count("“") <= before.count("”")


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def trim(text: str) -> str | None:
    """A shorter variant of ``text`` without source attributions and additive connectives, or None.

    "Theo hãng tin AFP, Nga đã ..." → "Nga đã ..."; "..., ông Carney nói." → "...."; "Ngoài ra, ..." → "...".
    Attributions to a speaker are not removed from a quotation or a first-person statement, and the
    rest must still be a sentence of at least ``_MIN_TRIMMED`` syllables.
    """
    out = text
    for _ in range(2):  # "Ngoài ra, theo AFP, ..." needs two leading cuts
        m = _LEADING_CONNECTIVE.match(out) or _LEADING_SOURCE.match(out)
        if m is None:
            break
        out = _capitalise(out[m.end() :])
    m = _TRAILING_ASIDE.search(out)
    if m is not None and m.start() > 0 and _outside_quotes(out, m.start()):
        out = out[: m.start()].rstrip(" ,;:") + (m.group(1) or ".")
    m = _TRAILING_ATTRIBUTION.search(out)
    if m is not None and _outside_quotes(out, m.start()):
        clause = out[m.start() : m.end()]
        head = out[: m.start()].rstrip()
        speaker = not clause.lstrip(", ").startswith("theo ")
        needs_speaker = any(q in head for q in '"“”') or _FIRST_PERSON.search(head) is not None
        if not (speaker and (_NOT_ATTRIBUTION.search(clause) or needs_speaker)):
            out = head + (m.group(1) or ".")
    if out == text or len(syllables(out)) < _MIN_TRIMMED:
        return None
    return out


@dataclass(slots=True)
class Unit:
    """One candidate sentence of one article."""

    text: str
    doc: int  # index of the article in the cluster
    index: int  # position among the article's body sentences, 0-based; -1 in the sapo
    paragraph: int
    tokens: list[str]
    is_sapo: bool = False  # in the standfirst (its lead; eligible like any sentence)
    dangling: bool = False
    caption: bool = False  # the whole sentence is a photo caption or a credit
    ends_cleanly: bool = True  # ends with sentence punctuation (not a heading or fragment)
    sentence: int = 0  # position among all the article's sentences (shared by a sentence and its variant)
    trimmed: int = 0  # syllables cut by ``trim`` (0: the sentence as written)
    flaw: str = ""  # why a reader would trip over it (``flaw``): never chosen when set
    features: list[float] = field(default_factory=list)


def _credit_end(text: str, start: int, paren: bool) -> int:
    """End offset of a photographer/agency credit that starts at ``start``."""
    if paren:
        close = text.find(")", start)
        return close + 1 if close != -1 and close - start < 60 else start
    toks = list(re.finditer(r"\S+", text[start:]))
    if not toks:
        return len(text)
    end = start + toks[0].end()
    first = toks[0].group(0)
    if first.endswith((".", ")")):
        return end
    # Agencies and foreign outlets ("Reuters", "AFP/TTXVN", "RIA Novosti") are ASCII words; a
    # photographer's Vietnamese name ("Trương Hải Tùng") runs until a word that starts a sentence.
    ascii_credit = first.isascii()
    prev = first
    for m in toks[1:4]:
        w = m.group(0)
        if (
            not w[:1].isupper()
            or w.lower().strip(".,") in _STARTERS
            or w == prev
            or w.isascii() != ascii_credit
        ):
            break
        prev = w
        end = start + m.end()
        if w.endswith((".", ")")):
            break
    return end


def strip_caption(text: str) -> tuple[str, bool]:
    """The sentence without a leading photo caption + credit; flag True when it began with a credit.

    The caption is the text before the credit marker; only a caption at the start of the sentence is
    removed (the splitter puts a caption that follows a finished sentence at the start of the next one).
    """
    led_by_credit = False
    m = _CREDIT.search(text)
    if m is not None and m.start() < 250:
        end = _credit_end(text, m.end(), paren=m.group(1) is not None)
        led_by_credit = m.start() == 0
        text = text[end:].lstrip(" .,;:-–—)")
    else:
        p = _CREDIT_PLAIN.search(text)
        if p is not None and p.start() < 250:
            led_by_credit = p.start() == 0
            text = text[p.end() :].lstrip(" .,;:-–—)")
    return text, led_by_credit


# Words that, capitalised in mid-sentence right after a lower-case word with no punctuation between,
# mark a new sentence glued onto a caption or subheading that had no full stop:
# "Vụ nổ tạo ra chiếc hố phát ra khói Sau khi tiến hành khảo sát, ..." (split_sentences cannot see it).
_GLUED_STARTERS = frozenset(
    """Theo Trong Tại Ngày Sau Trước Hôm Sáng Chiều Tối Các Những Khi Đây Cũng Phút Tuy Ngoài Bên Hiện
    Còn Một Đến""".split()  # noqa: SIM905
)

_GLUED_STARTER = re.compile(r"(?<!\S)(?:" + "|".join(sorted(_GLUED_STARTERS)) + r")(?!\S)")


def _unpunctuated_heading(text: str) -> int:
    """Offset of a sentence glued after an unpunctuated caption/heading in the first 40 words, or 0.

    Mid-sentence capitals are names in Vietnamese; a sentence-starting word capitalised after a lower-case
    word and followed by a lower-case word ("khói Sau khi") is a sentence start, not a name ("Một Thế
    Giới" is a name: the next word is capitalised). "Theo dõi" is a verb that organisations' names use.
    """
    if _GLUED_STARTER.search(text) is None:  # most sentences: no starter word at all
        return 0
    toks = list(itertools.islice(re.finditer(r"\S+", text), 41))
    for k in range(3, len(toks) - 1):
        w, prev, nxt = toks[k].group(0), toks[k - 1].group(0), toks[k + 1].group(0)
        glued = w in _GLUED_STARTERS and (prev[-1:].islower() or prev[-1:] == ")") and nxt[:1].islower()
        if glued and nxt != "dõi" and not any(c in text[: toks[k].start()] for c in '"“”'):
            return toks[k].start()
    return 0


_CLOSING_MARK = re.compile(r"\s*\./\.$")

# --------------------------------------------------------------------------------------------------
# Sentences a reader trips over, never chosen: the digest shows a summary without its article around it.

# A run of capitalised words with Vietnamese letters is a sub-heading ("LÁCH LUẬT ĐỂ MUA DANH"); runs of
# ASCII acronyms ("UBND TP HCM") are names and do not count.


def _in_capitals(word: str) -> bool:
    """Every cased letter is a capital, and there is one (str methods: this runs on every word)."""
    return word == word.upper() and word != word.lower()


# A byline or a credit line standing as a sentence: "Theo Dân trí", "Nguồn: VnExpress", "(Theo Reuters)",
# "Minh Anh (tổng hợp)", "Bài và ảnh: Hoàng Hà", "PV".
_BYLINE = re.compile(
    r"^\(?(?:[Tt]heo|[Nn]guồn|Bài(?: và ảnh| và clip)?|Ảnh|Nhóm PV|PV|CTV|Thực hiện)\s*:?\s+"
    r"(?P<name>[^.!?,;]{1,40})\)?\.?$|"
    r"\((?:[Tt]ổng hợp|TH|t/h|[Ll]ược dịch|[Dd]ịch|[Tt]heo [^()]{1,40})\)\.?$"
)
_BYLINE_MAX = 12  # syllables: a longer line starting "Theo ..." is a sentence ("Theo AFP, ...")


def _caps_run(text: str) -> int:
    """Longest run of words written in capitals, counting only runs with a non-ASCII capital."""
    best = run = 0
    non_ascii = False
    for w in re.findall(r"\S+", text):
        core = w.strip("\"“”'‘’()[],.:;!?…-–—")
        if _in_capitals(core):
            run += 1
            non_ascii = non_ascii or not core.isascii()
            if non_ascii:
                best = max(best, run)
        else:
            run, non_ascii = 0, False
    return best


_GLUED_ITEM = re.compile(r"([^\W\d_]|\?)\d{1,2}\.$")


def flaw(text: str) -> str:
    """Why ``text`` cannot stand alone in a summary, or "" when it can.

    "heading": three or more words in capitals ("LÁCH LUẬT ĐỂ MUA DANH ..."), or most of its letters, or
    a contents-list item glued to the next item's number ("... từ Ấn Độ?3.");
    "fragment": it does not end a sentence (no end mark, a trailing "…" of a teaser, a colon that opens a
    list) or starts in lower case (a piece of a sentence); "byline": a credit line.
    """
    letters = sum(map(str.isalpha, text))
    upper = sum(map(str.isupper, text))
    if upper >= 3 and (_caps_run(text) >= 3 or (letters >= 12 and upper > 0.6 * letters)):
        return "heading"
    core = text.rstrip('"”’)»]* ')
    # An item of a numbered contents list that the crawl glued together ("... tại 10 quốc gia2. Ca mắc
    # Omicron BA.2.75 đầu tiên từ Ấn Độ?3. Triệu chứng ..."): the next item's number ends the sentence.
    # After a lower-case letter or "?" only: "H5N1." and "COVID-19." end real sentences.
    glued = _GLUED_ITEM.search(core)
    if glued is not None and (glued.group(1) == "?" or glued.group(1).islower()):
        return "heading"
    first = text.lstrip('"“‘(«[-–— ')[:1]
    if core[-1:] not in ".!?" or core.endswith(("...", "…", "..")) or (first.isalpha() and first.islower()):
        return "fragment"
    m = _BYLINE.search(text) if len(text) < 200 and len(syllables(text)) <= _BYLINE_MAX else None
    if m is not None and (m.group("name") is None or m.group("name")[:1].isupper()):  # not "Theo tôi ..."
        return "byline"
    return ""


def _caps_heading_end(text: str) -> int:
    """Offset of a sentence glued after a sub-heading in capitals ("VI PHẠM KÉO DÀI NHIỀU NĂM Theo kết
    luận, ..."), or 0: at least three words in capitals, one with a Vietnamese letter, then a
    capitalised word in lower case."""
    first = re.match(r"\s*(\S+)", text)
    if first is None or not _in_capitals(first.group(1)):  # most sentences: k would be 0
        return 0
    toks = list(itertools.islice(re.finditer(r"\S+", text), 30))
    k = 0
    while k < len(toks) and _in_capitals(toks[k].group(0)):
        k += 1
    if k < 3 or k >= len(toks) or all(toks[j].group(0).isascii() for j in range(k)):
        return 0
    nxt = toks[k].group(0)
    return toks[k].start() if nxt[:1].isupper() and nxt[1:2].islower() else 0


def clean_sentence(text: str) -> tuple[str, bool]:
    """Trim captions, a dateline, a sub-heading in capitals and text glued onto a byline; return (text,
    began_with_credit)."""
    text, led = strip_caption(text.strip())
    text = text[_caps_heading_end(text) :]
    text = text[_glue_point(text) :]
    text = text[_unpunctuated_heading(text) :]
    text = _DATELINE.sub("", text, count=1)
    # "./." closes an article in official style (VOV, TTXVN); a summary sentence ends with its full stop.
    text = _CLOSING_MARK.sub(".", text.strip())
    return text, led


def _looks_like_sapo(paragraphs: Sequence[str]) -> bool:
    """A standfirst: a first paragraph of 15-150 syllables that ends a sentence, before a body at least
    twice as long (no explicit marker exists in a crawl)."""
    if len(paragraphs) < 2:
        return False
    first = paragraphs[0]
    n = len(syllables(first))
    rest = sum(len(syllables(p)) for p in paragraphs[1:])
    return 15 <= n <= 150 and rest >= 2 * n and first.rstrip()[-1:] in '.!?…"”'


def article_units(article: Article, doc: int, trimming: bool = True) -> list[Unit]:
    """Candidate sentences of one article, in order; a trimmed variant follows its sentence.

    A sapo (standfirst) is the article's lead and its sentences compete like any other; only positions
    are counted from the body after it (``index`` -1 for the sapo), because the body's opening sentence
    is a lead too: positions counted through the sapo cost 2.4 ROUGE-2 on AbMuSu under cross-validation
    (docs/summarize.md). No feature says whether an article has a sapo.
    """
    paragraphs = article.paragraphs
    sapo_paras = 1 if _looks_like_sapo(paragraphs) else 0
    units: list[Unit] = []
    index = 0
    sentence = 0
    for pi, para in enumerate(paragraphs):
        is_sapo = pi < sapo_paras
        for raw in split_sentences(para):
            text, led_by_credit = clean_sentence(raw)
            if led_by_credit and units and units[-1].paragraph == pi:
                for prev in reversed(units):  # "Ngoại trưởng Mỹ John Kerry. Ảnh: Internet."
                    if prev.sentence != units[-1].sentence:
                        break
                    prev.caption = True
            toks = syllables(text)
            if not toks:
                continue
            caption = _BOILERPLATE.match(text) is not None or _PICTURE_POSITION.search(text) is not None
            short = trim(text) if trimming and not caption else None
            for variant in (text, short):
                if variant is None:
                    continue
                vt = toks if variant is text else syllables(variant)
                units.append(
                    Unit(
                        text=variant,
                        doc=doc,
                        index=-1 if is_sapo else index,
                        paragraph=pi,
                        tokens=vt,
                        is_sapo=is_sapo,
                        dangling=is_dangling(variant),
                        caption=caption,
                        ends_cleanly=variant.rstrip('"”’)»]* ')[-1:] in ".!?…",
                        sentence=sentence,
                        trimmed=len(toks) - len(vt),
                        flaw=flaw(variant),
                    )
                )
            sentence += 1
            if not is_sapo:
                index += 1
    return units
