"""Vietnamese text basics: Unicode normalisation, tone-mark placement, sentences, syllables, words.

Everything here is a pure function; the word segmenter (pyvi) is loaded lazily on first use.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache

from .legacy import is_syllable

# --------------------------------------------------------------------------------------------------
# Unicode normalisation

# Zero-width and invisible characters crawlers leave behind; no-break spaces become plain spaces.
# Zero-width characters, soft hyphen, BOM, and the bidirectional marks, embeddings, overrides and
# isolates (U+200E/F, U+202A-E, U+2066-9, U+061C): Vietnamese text never needs them, and an override
# (U+202E) in a title would show the page's text reversed ("Trojan Source" style spoofing).
_INVISIBLE = dict.fromkeys(
    map(
        ord,
        "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
        "\u2066\u2067\u2068\u2069\u061c",
    ),
    None,
)
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u2009\u200a\u2002\u2003\u3000\t\u000b\u000c"), " ")
_MULTI_SPACE = re.compile(r" {2,}")

# The five Vietnamese tone marks as combining characters (huyền, sắc, hỏi, ngã, nặng).
_TONES = "\u0300\u0301\u0309\u0303\u0323"
# Vowel letters after NFD decomposition of the tone but not of the "hat"/"horn"/"breve" shapes:
# we decompose fully, then treat base letter + shape marks as one vowel.
_SHAPE_MARKS = "\u0302\u0306\u031b"  # circumflex (â ê ô), breve (ă), horn (ơ ư)
_VOWELS = set("aeiouyAEIOUY")
_FINALS = ("ch", "ng", "nh", "c", "m", "n", "p", "t")
_INITIALS = (
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
    "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "q", "r", "s", "t", "v", "x",
)  # fmt: skip
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def _split_syllable(chars: list[str]) -> tuple[int, int] | None:
    """Index range [i, j) of the vowel nucleus in a syllable given as base-letter clusters, or None."""
    lower = "".join(c[0].lower() for c in chars)
    start = 0
    for ini in _INITIALS:
        if lower.startswith(ini):
            start = len(ini)
            break
    # "gi" + vowel: the i is consonantal (giá, giữa); bare "gi"/"gì" keeps i as the vowel.
    if lower.startswith("gi") and start == 2 and len(lower) == 2:
        start = 1
    # "qu": the u is consonantal (quá, quyết).
    end = len(lower)
    for fin in _FINALS:
        if lower.endswith(fin) and len(lower) - len(fin) > start:
            end = len(lower) - len(fin)
            break
    nucleus = lower[start:end]
    if not nucleus or any(c not in "aeiouy" for c in nucleus) or len(nucleus) > 3:
        return None
    return start, end


def _place_tone(word: str) -> str:
    """Put the tone mark where the traditional rule puts it ("hòa", "thúy", "khỏe").

    Vietnamese has two tone-placement conventions for open syllables with oa/oe/uy ("hoà" vs "hòa");
    crawled text mixes them, which splits one word into two for search and dedup. We choose the
    traditional placement (the one most Vietnamese news sites use) and apply it everywhere.
    Words that are not Vietnamese syllables (French "où", Spanish "aún") are left as written.
    """
    if not is_syllable(word):
        return word
    nfd = unicodedata.normalize("NFD", word)
    tone = ""
    clusters: list[str] = []
    for ch in nfd:
        if ch in _TONES:
            if tone:  # two tones: not a Vietnamese syllable, leave untouched
                return word
            tone = ch
        elif unicodedata.combining(ch):
            if not clusters:
                return word
            clusters[-1] += ch
        else:
            clusters.append(ch)
    if not tone:
        return word
    span = _split_syllable(clusters)
    if span is None:
        return word
    i, j = span
    nucleus = list(range(i, j))
    shaped = [k for k in nucleus if any(m in clusters[k] for m in _SHAPE_MARKS)]
    if shaped:
        target = shaped[-1]  # ươ -> ơ, uô -> ô, iê -> ê
    elif j < len(clusters):
        target = nucleus[-1]  # closed syllable: last vowel (hoàng, huỳnh)
    elif len(nucleus) == 3:
        target = nucleus[1]  # ngoài, xoáy
    else:
        target = nucleus[0]  # hòa, thúy, mía, múa, máy
    clusters[target] = clusters[target] + tone  # NFC reorders combining marks canonically
    return unicodedata.normalize("NFC", "".join(clusters))


@lru_cache(maxsize=65536)
def _normalize_word(word: str) -> str:
    return _place_tone(word)


_ODD_CHARS = re.compile("[" + "".join(map(chr, _INVISIBLE | _SPACES)) + "\r]")


def normalize(text: str) -> str:
    """NFC, traditional tone placement, invisible characters removed, odd spaces made plain.

    Line breaks are kept (cleaning works line by line); runs of spaces collapse to one.
    """
    # Each step is skipped when it would change nothing: stages normalise text that ingest already
    # normalised, and per-character translate or a callback per word cost more than a check.
    if _ODD_CHARS.search(text):
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        text = text.translate(_INVISIBLE).translate(_SPACES)
    text = unicodedata.normalize("NFC", text)
    # A word changes only through its tone mark, so ASCII words never do; look each distinct word up once.
    changed = {w: n for w in set(_WORD.findall(text)) if not w.isascii() and (n := _normalize_word(w)) != w}
    if changed:
        text = _WORD.sub(lambda m: changed.get(m.group(0), m.group(0)), text)
    return _MULTI_SPACE.sub(" ", text) if "  " in text else text


# Cyrillic and Greek letters drawn like Latin ones (Unicode's confusables, the letters that occur in
# Latin-script words by a keyboard slip or on purpose: "Сhuyên gia" with a Cyrillic С). A short table by
# hand: the full confusables list (thousands of entries, a package of its own) maps symbols this never meets.
_LOOKALIKE_PAIRS = (
    "АA ВB ЕE КK МM НH ОO РP СC ТT ХX УY ІI ЈJ ЅS ԚQ ԜW Һh аa еe оo рp сc уy хx іi јj ѕs ԁd һh ԛq ԝw үy"
    " ΑA ΒB ΕE ΖZ ΗH ΙI ΚK ΜM ΝN ΟO ΡP ΤT ΥY ΧX οo ρp νv κk χx"
)
_LOOKALIKES = {ord(p[0]): p[-1] for p in _LOOKALIKE_PAIRS.split()}
_HAS_LOOKALIKE = re.compile("[" + "".join(map(chr, _LOOKALIKES)) + "]")
_MIXED_WORD = re.compile(r"\w*[" + "".join(map(chr, _LOOKALIKES)) + r"]\w*")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")


def fold_lookalikes(text: str) -> str:
    """Cyrillic/Greek letters that look Latin, written inside a word that also has Latin letters, become
    those Latin letters ("Сhuyên" with a Cyrillic С -> "Chuyên"); a word wholly in Cyrillic or Greek
    ("Путин") is left alone. One character per character, so offsets are kept."""
    if not _HAS_LOOKALIKE.search(text):
        return text
    return _MIXED_WORD.sub(
        lambda m: m.group(0).translate(_LOOKALIKES) if _LATIN.search(m.group(0)) else m.group(0), text
    )


def fold_diacritics(text: str) -> str:
    """Strip Vietnamese diacritics: "Điện đàm" -> "Dien dam" (for accent-insensitive search)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    nfd = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in nfd if not unicodedata.combining(ch))


# --------------------------------------------------------------------------------------------------
# Sentences

# Abbreviations whose trailing dot does not end a sentence (Vietnamese titles, places, units).
_ABBREVIATIONS = frozenset(
    [
        "tp",
        "tt",
        "ts",
        "ths",
        "pgs",
        "gs",
        "bs",
        "ks",
        "ls",
        "ns",
        "nxb",
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "no",
        "tr",
        "ng",
        "vs",
        "vd",
        "ck",
        "kts",
        "cn",
        "ubnd",
        "hđnd",
        "q",
        "p",
    ]
)
_SENT_END = re.compile(
    # end punctuation, closing quotes, space; the agencies' "./." end mark needs no space after it
    # (crawlers glue the next paragraph on: "...điện đàm./.Ông Putin")
    r"""(?:([.!?…]+)(["”’»)\]]*)(\s+)|(\./\.)(["”’»)\]]*)(\s*))"""
    r"""(?=["“‘«(\[]?[\-–—]?\s*[A-ZĐÂĂÊÔƠƯÁÀẢÃẠ0-9\w])"""  # then something that can start a sentence
)
# What may open the next sentence: a capital or a digit, after an opening quote or a dash. Capitals are
# told by ``str.isupper`` (a character range such as "À-Ỹ" also holds the lower-case "đ", "à", "ể", so
# "bạn bè… để thu hồi" was cut at the ellipsis).
_NEXT_START = re.compile(r"""^["“‘«(\[]?[\-–—]?\s*(\w)""")


def _opens_sentence(rest: str) -> bool:
    m = _NEXT_START.match(rest)
    return m is not None and (m.group(1).isdigit() or m.group(1).isupper())


def _inside_quote(before: str, rest: str) -> bool:
    """True when a quotation opened in ``before`` closes in ``rest``: "“Chúng tôi sẵn sàng. Hai bên sẽ
    gặp nhau”, ông nói." is one sentence, so a summary never shows half a quote. A quote that does not
    close on its line (a crawl's stray mark) splits as usual."""
    if before.count("“") > before.count("”") and "”" in rest:
        return True
    return before.count('"') % 2 == 1 and '"' in rest


def split_sentences(text: str) -> list[str]:
    """Split Vietnamese text into sentences. Every line break ends a sentence.

    A dot ends a sentence when followed by space and an upper-case letter, digit or opening quote,
    except after a single initial ("D. Trump", "V.Putin") or a known abbreviation ("TP. HCM").
    """
    return list(_split_sentences(text))


# A sentence glued to the next with no space, as crawlers join paragraphs: "... so với cùng kỳ năm
# 2021.Dư địa kiểm soát ...", "... tham gia hiến máu.Nội dung ...". Only after a lower-case word of 3+
# letters or a number of 2+ digits (not "TP.Hồ", "V.Putin", "BA.2.75", "vov.vn") and before a capital
# then a lower-case letter; not inside a dotted name ("www.abc.Net"). 14 such joins in abmusu-train's
# 621 articles, 7 in vmds-dev's; the reader met "năm 2021.Dư địa" in a story summary.
_GLUED = re.compile(r"(?<![.\w])([^\W_]{2,})\.(?=([^\W\d_])([^\W\d_]))")
# What any such join holds: a letter or digit, a dot, a letter. Most lines hold none (a dot there is
# followed by a space): looking for it first took a third off ``_unglue`` (0.34 -> 0.23 CPU s over five
# copies of abmusu-train's 41,865 lines, the same cuts).
_DOT_BEFORE_LETTER = re.compile(r"[^\W_]\.[^\W\d_]")


def _unglue(line: str) -> list[str]:
    """``line`` cut after each glued sentence end (``_GLUED``)."""
    if _DOT_BEFORE_LETTER.search(line) is None:
        return [line]
    cuts = [
        m.end()
        for m in _GLUED.finditer(line)
        if m.group(2).isupper()
        and m.group(3).islower()
        and (m.group(1).isdigit() or (m.group(1).islower() and len(m.group(1)) >= 3 and m.group(1).isalpha()))
        and m.group(1).lower() not in _ABBREVIATIONS
    ]
    if not cuts:
        return [line]
    bounds = [0, *cuts, len(line)]
    return [line[a:b] for a, b in itertools.pairwise(bounds)]


# Dating, grouping and summaries split the same article bodies several times; a pure function of its
# argument, so a small bounded memo is safe on any worker.
@lru_cache(maxsize=2048)
def _split_sentences(text: str) -> tuple[str, ...]:
    out: list[str] = []
    for line in (piece for raw in text.split("\n") for piece in _unglue(raw)):
        line = line.strip()
        if not line:
            continue
        start = 0
        for m in _SENT_END.finditer(line):
            before = line[start : m.start()]
            rest = line[m.end() :]
            if not _opens_sentence(rest):
                continue
            if _inside_quote(line[: m.end()], rest):
                continue
            if m.group(1) == ".":
                last = before.rsplit(None, 1)[-1] if before.strip() else ""
                last_word = re.split(r"[^\w]", last)[-1] if last else ""
                if len(last_word) == 1 and last_word.isupper():
                    continue  # an initial: "D. Trump"
                if last_word.lower() in _ABBREVIATIONS:
                    continue
            out.append(line[start : m.end()].strip())
            start = m.end()
        tail = line[start:].strip()
        if tail:
            out.append(tail)
    return tuple(out)


# --------------------------------------------------------------------------------------------------
# Tokens

_SYLLABLE = re.compile(r"[^\W_]+", re.UNICODE)


def syllables(text: str) -> list[str]:
    """Lower-cased syllable tokens: runs of letters/digits (word-segmentation underscores split)."""
    return _SYLLABLE.findall(unicodedata.normalize("NFC", text).lower())


@lru_cache(maxsize=1 << 17)
def syllable_hash(syllable: str) -> int:
    """A stable 64-bit hash of one syllable (blake2b; Python's ``hash`` differs between processes, and
    dedup's shingles and stories' bigrams are hashed on workers). Cached: a crawl has a few tens of
    thousands of syllables, each seen thousands of times; the function is pure, so the cache cannot
    change a result. One cache for the whole run: dedup and every event's story signals share it."""
    return int.from_bytes(hashlib.blake2b(syllable.encode("utf-8"), digest_size=8).digest(), "little")


def count_syllables(text: str) -> int:
    return len(_SYLLABLE.findall(text))


def shingles(tokens: list[str], k: int = 3) -> Iterator[str]:
    """Overlapping k-syllable shingles joined by spaces (fewer tokens than k: the whole text)."""
    if len(tokens) < k:
        return iter([" ".join(tokens)] if tokens else [])
    # zip over k shifted views, stopping at the shortest (so not strict): the loop runs in C (dedup
    # shingles every article).
    return map(" ".join, zip(*(tokens[i:] for i in range(k)), strict=False))


@lru_cache(maxsize=1)
def _pyvi() -> object:
    from pyvi import ViTokenizer

    return ViTokenizer


def words(text: str) -> list[str]:
    """Vietnamese words (multi-syllable words joined with "_") using pyvi's offline CRF segmenter."""
    tokenizer = _pyvi()
    return str(tokenizer.tokenize(text)).split()  # type: ignore[attr-defined]


# Quotes, brackets and punctuation around a word of a name ("(Putin)," -> "Putin").
NAME_EDGE_PUNCT = "\"“”'‘’()[],.;:!?-–"


def capitalized_phrases(text: str) -> list[str]:
    """Runs of capitalised syllables ("Vladimir Putin", "Điện Kremlin", "Nhà Trắng").

    Vietnamese capitalises every syllable of a proper name, so such runs are a cheap, robust proxy for
    names of people, places and organisations. Sentence-initial single words are skipped.
    """
    out: list[str] = []
    for sentence in split_sentences(text):
        tokens = sentence.split()
        run: list[str] = []
        for idx, tok in enumerate(tokens):
            word = tok.strip(NAME_EDGE_PUNCT)
            if word and word[0].isupper():
                run.append(word)
                continue
            _flush(run, idx, out)
            run = []
        _flush(run, len(tokens), out)
    return out


def _flush(run: list[str], idx: int, out: list[str]) -> None:
    # A lone capitalised word at the start of a sentence is just sentence case, not a name.
    if run and not (len(run) == 1 and idx == 1):
        out.append(" ".join(run))


def iter_nonempty(lines: Iterable[str]) -> Iterator[str]:
    for line in lines:
        if line.strip():
            yield line
