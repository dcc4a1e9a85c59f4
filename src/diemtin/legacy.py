"""Legacy Vietnamese encodings → Unicode: TCVN3 (ABC), VNI and VIQR, with conservative detection.

Old Vietnamese pages were written in 8-bit font encodings: TCVN3 (TCVN 5712:1993 VN3, fonts ".VnTime")
puts each accented letter in one byte; VNI ("VNI-Times") writes a base ASCII letter followed by a
mark byte. Read as Latin-1 / saved as UTF-8 they look like "TiÕng ViÖt" (TCVN3) and "Tieáng Vieät"
(VNI). VIQR (RFC 1456) is the ASCII convention "Tie^'ng Vie^.t".

The tables are hand-written from the published character charts because no maintained Python library
ships them (the candidates on PyPI are unmaintained one-file scripts); every entry is checked in the
tests by round-tripping all 134 Vietnamese letters. Detection is conservative: a conversion is kept only
when it turns many tokens into valid Vietnamese syllables that were not valid before (see ``detect``),
so Unicode Vietnamese, English and other Latin-1 languages are left alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

# Combining tone marks in the order the tables below use: huyền, hỏi, ngã, sắc, nặng.
_GRAVE, _HOOK, _TILDE, _ACUTE, _DOT = "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"
TONES = (_GRAVE, _HOOK, _TILDE, _ACUTE, _DOT)
_BASE_VOWELS = ("a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y")


def _toned(vowel: str, tone: str) -> str:
    return unicodedata.normalize("NFC", vowel + tone)


def vietnamese_letters() -> list[str]:
    """The 134 non-ASCII Vietnamese letters (67 lower-case, 67 upper-case), NFC."""
    lower = [v for v in _BASE_VOWELS if not v.isascii()] + ["đ"]
    lower += [_toned(v, t) for v in _BASE_VOWELS for t in TONES]
    return lower + [c.upper() for c in lower]


# --------------------------------------------------------------------------------------------------
# TCVN3 (ABC): one byte per letter. Per vowel: the byte of the bare letter, then the five toned forms
# in the order huyền, hỏi, ngã, sắc, nặng (TCVN 5712:1993, VN3 table). VN3 has no upper-case toned
# letters: capitals are drawn by the ".VnTimeH" font from the lower-case codes, so they decode to
# lower case (the only loss in this conversion).
_TCVN3_ROWS = {
    "a": ("a", "\xb5\xb6\xb7\xb8\xb9"),
    "ă": ("\xa8", "\xbb\xbc\xbd\xbe\xc6"),
    "â": ("\xa9", "\xc7\xc8\xc9\xca\xcb"),
    "e": ("e", "\xcc\xce\xcf\xd0\xd1"),
    "ê": ("\xaa", "\xd2\xd3\xd4\xd5\xd6"),
    "i": ("i", "\xd7\xd8\xdc\xdd\xde"),
    "o": ("o", "\xdf\xe1\xe2\xe3\xe4"),
    "ô": ("\xab", "\xe5\xe6\xe7\xe8\xe9"),
    "ơ": ("\xac", "\xea\xeb\xec\xed\xee"),
    "u": ("u", "\xef\xf1\xf2\xf3\xf4"),
    "ư": ("\xad", "\xf5\xf6\xf7\xf8\xf9"),
    "y": ("y", "\xfa\xfb\xfc\xfd\xfe"),
}
_TCVN3_EXTRA = {
    "đ": "\xae",
    "Ă": "\xa1",
    "Â": "\xa2",
    "Ê": "\xa3",
    "Ô": "\xa4",
    "Ơ": "\xa5",
    "Ư": "\xa6",
    "Đ": "\xa7",
}


def _build_tcvn3() -> dict[str, str]:
    table = dict(_TCVN3_EXTRA)
    for vowel, (bare, toned) in _TCVN3_ROWS.items():
        if not vowel.isascii():
            table[vowel] = bare
        for tone, code in zip(TONES, toned, strict=True):
            table[_toned(vowel, tone)] = code
    return table


TCVN3_ENCODE: dict[str, str] = _build_tcvn3()  # Unicode letter -> TCVN3 character (as Latin-1)
TCVN3_DECODE: dict[str, str] = {v: k for k, v in TCVN3_ENCODE.items()}


def to_tcvn3(text: str) -> str:
    """Unicode → TCVN3 characters (as Latin-1 code points; ``.encode("latin-1")`` gives the bytes)."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        code = TCVN3_ENCODE.get(ch)
        if code is None and ch.lower() != ch:
            code = TCVN3_ENCODE.get(ch.lower())  # capitals with a tone: lower-case code (see above)
        out.append(code if code is not None else ch)
    return "".join(out)


_TCVN3_TRANS = str.maketrans(TCVN3_DECODE)


def from_tcvn3(text: str) -> str:
    """TCVN3 characters (bytes read as Latin-1) → Unicode NFC."""
    return unicodedata.normalize("NFC", text.translate(_TCVN3_TRANS))


# --------------------------------------------------------------------------------------------------
# VNI (VNI-Windows): ASCII base letter + one mark byte; i, ỵ, ơ, ư, đ have single bytes. Mark bytes for
# capitals are the upper-case Latin-1 counterparts (the font draws taller marks), e.g. "AÙ" = "Á".
_VNI_TONE = dict(zip(TONES, "øûõùï", strict=True))  # plain vowels a e o u y ơ ư: à ả ã á ạ
_VNI_CIRC = dict(zip(("", *TONES), "âàåãáä", strict=True))  # â ê ô: bare, then toned
_VNI_BREVE = dict(zip(("", *TONES), "êèúüéë", strict=True))  # ă
_VNI_I = dict(zip(("", *TONES), "iìæóíò", strict=True))  # i is a single byte when toned
_VNI_SINGLE = {"ơ": "ô", "ư": "ö", "đ": "ñ", "ỵ": "î"}


def _vni_lower(letter: str) -> str | None:
    """VNI spelling of one lower-case Vietnamese letter, or None for a letter VNI leaves as is."""
    if letter in _VNI_SINGLE:
        return _VNI_SINGLE[letter]
    nfd = unicodedata.normalize("NFD", letter)
    tone = next((c for c in nfd if c in TONES), "")
    shape = "".join(c for c in nfd if c not in TONES)
    base = shape[0]
    if shape == "i":
        return _VNI_I[tone] if tone else None
    if shape in ("a\u0302", "e\u0302", "o\u0302"):
        return base + _VNI_CIRC[tone]
    if shape == "a\u0306":
        return base + _VNI_BREVE[tone]
    if shape in ("o\u031b", "u\u031b"):
        return _VNI_SINGLE[unicodedata.normalize("NFC", shape)] + (_VNI_TONE[tone] if tone else "")
    if tone and shape in "aeouy":
        return base + _VNI_TONE[tone]
    return None


def _build_vni() -> dict[str, str]:
    table: dict[str, str] = {}
    for letter in vietnamese_letters():
        if letter.islower():
            code = _vni_lower(letter)
            if code is not None:
                table[letter] = code
                table[letter.upper()] = code.upper()
    return table


VNI_ENCODE: dict[str, str] = _build_vni()
VNI_DECODE: dict[str, str] = {v: k for k, v in VNI_ENCODE.items()}
# Tolerate a capital base letter with a lower-case mark byte ("Aù"), which some editors produced.
VNI_DECODE.update(
    {
        code[0] + code[1].lower(): letter
        for code, letter in list(VNI_DECODE.items())
        if len(code) == 2 and code.isupper()
    }
)
# Longest first so that "ôù" (ớ) wins over "ô" (ơ); one pass, so output is never re-read.
_VNI_RE = re.compile("|".join(re.escape(k) for k in sorted(VNI_DECODE, key=len, reverse=True)))


def to_vni(text: str) -> str:
    """Unicode → VNI characters (as Latin-1 code points)."""
    return "".join(VNI_ENCODE.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


def from_vni(text: str) -> str:
    """VNI characters (bytes read as Latin-1 / CP1252) → Unicode NFC."""
    return unicodedata.normalize("NFC", _VNI_RE.sub(lambda m: VNI_DECODE[m.group(0)], text))


# --------------------------------------------------------------------------------------------------
# VIQR (RFC 1456): "a(" ă, "a^" â, "e^" ê, "o^" ô, "o+" ơ, "u+" ư, "dd" đ; tones ' ` ? ~ . after the
# vowel; a backslash makes the next mark literal.
_VIQR_SHAPES = {"(": "\u0306", "^": "\u0302", "+": "\u031b"}
_VIQR_TONES = {"'": _ACUTE, "`": _GRAVE, "?": _HOOK, "~": _TILDE, ".": _DOT}
_VIQR_SHAPE_OK = {"a(", "a^", "e^", "o^", "o+", "u+"}
# "dd" is đ where a syllable starts: not right after another letter ("add", "Buddha" stay).
_VIQR_RE = re.compile(r"\\([(^+'`?~.])|(?<![^\W\d_])([dD][dD])|([aeiouyAEIOUY])([(^+]?)(['`?~.]?)")
# Strict VIQR escapes every literal mark that follows a vowel ("ha` no^.i\."); when a text has such
# escapes, every unescaped mark is a tone.
_VIQR_ESCAPE = re.compile(r"[aeiouyAEIOUY(^+'`?~.]\\[.?]")


def _viqr_sub(m: re.Match[str], strict: bool) -> str:
    if m.group(1):  # escaped mark: literal
        return m.group(1)
    if m.group(2):
        return "Đ" if m.group(2)[0] == "D" else "đ"
    vowel, shape, tone = m.group(3), m.group(4), m.group(5)
    out = vowel
    if shape and (vowel.lower() + shape) in _VIQR_SHAPE_OK:
        out += _VIQR_SHAPES[shape]
    elif shape:
        out += shape
    if tone:
        if tone in ".?" and not strict and not _tone_not_punct(m.string, m.end()):
            return unicodedata.normalize("NFC", out) + tone
        out += _VIQR_TONES[tone]
    return unicodedata.normalize("NFC", out)


def _tone_not_punct(s: str, pos: int) -> bool:
    """In loose VIQR, a '.' or '?' after a vowel is a tone when the word goes on ("vie^.t"), when
    punctuation follows it ("he^.."), or when the sentence goes on in lower case ("ca? nha`"); before an
    upper-case letter or at the end of a line it is the punctuation mark itself."""
    if pos >= len(s):
        return False
    nxt = s[pos]
    if nxt.isalpha() or nxt in ".?!,;:)\"'":
        return True
    if nxt == " ":
        rest = s[pos + 1 :].lstrip(" ")
        return bool(rest) and (rest[0].islower() or rest[0].isdigit())
    return False


def from_viqr(text: str, strict: bool | None = None) -> str:
    """VIQR → Unicode NFC. ``strict`` (default: when the text escapes any literal '.' or '?') reads
    every mark after a vowel as a tone; otherwise '.'/'?' before a capital or a line end is punctuation."""
    if strict is None:
        strict = bool(_VIQR_ESCAPE.search(text))
    return _VIQR_RE.sub(lambda m: _viqr_sub(m, strict), text)


def to_viqr(text: str) -> str:
    """Unicode → VIQR; literal marks right after a vowel are escaped with a backslash."""
    out: list[str] = []
    inv_shape = {v: k for k, v in _VIQR_SHAPES.items()}
    inv_tone = {v: k for k, v in _VIQR_TONES.items()}
    for ch in unicodedata.normalize("NFC", text):
        if ch in "đĐ":
            out.append("dd" if ch == "đ" else "DD")
            continue
        if (ch in _VIQR_SHAPES or ch in _VIQR_TONES) and out and out[-1][-1].lower() in "aeiouy(^+":
            out.append("\\" + ch)  # a literal mark right after a vowel: escape it
            continue
        nfd = unicodedata.normalize("NFD", ch)
        if len(nfd) > 1 and nfd[0].lower() in "aeiouy":
            marks = "".join(inv_shape.get(c, "") for c in nfd[1:]) + "".join(
                inv_tone.get(c, "") for c in nfd[1:]
            )
            out.append(nfd[0] + marks)
        else:
            out.append(ch)
    return "".join(out)


# --------------------------------------------------------------------------------------------------
# Syllable check used by detection

_INITIAL = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?"
# Rhymes without tone: nuclei that never take a final consonant, and nuclei that may (or must) take one.
_OPEN_NUCLEI = (
    "ai ao au ay âu ây eo êu ia iu oi ôi ơi ua ui ưa ưi ưu oai oay oeo uây uôi ươi ươu uya uyu iêu yêu uơ"
)
_CLOSED_NUCLEI = "a ă â e ê i o ô ơ u ư y iê yê oa oă oe uâ uê uô ươ uy uyê oo"
_NEED_FINAL = {"ă", "â", "iê", "yê", "uâ", "uô", "ươ", "oă", "uyê", "oo"}
_FINAL = r"(?:ch|c|m|ng|nh|n|p|t)"
_RHYME = "|".join(
    sorted(
        [n for n in _OPEN_NUCLEI.split()]
        + [n + _FINAL for n in _CLOSED_NUCLEI.split()]
        + [n for n in _CLOSED_NUCLEI.split() if n not in _NEED_FINAL],
        key=len,
        reverse=True,
    )
)
_SYLLABLE = re.compile(f"{_INITIAL}(?:{_RHYME})")
_STOP_FINAL = re.compile(r"(?:c|ch|p|t)$")
_STRIP = " \t\"'“”‘’«»()[]{}<>.,;:!?…-–—/\\|*#"


def is_syllable(token: str) -> bool:
    """True for a (lower- or upper-case) Vietnamese syllable: initial, rhyme, at most one tone, and a
    stop final (c, ch, p, t) only with sắc or nặng."""
    nfd = unicodedata.normalize("NFD", token.lower())
    tones = [c for c in nfd if c in TONES]
    if len(tones) > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(c for c in nfd if c not in TONES))
    if not _SYLLABLE.fullmatch(bare):
        return False
    return not (_STOP_FINAL.search(bare) and tones and tones[0] not in (_ACUTE, _DOT))


@dataclass(frozen=True, slots=True)
class Score:
    """How Vietnamese a text reads: word tokens, tokens with a non-ASCII letter, and those of them
    that are valid Vietnamese syllables."""

    tokens: int
    marked: int
    valid_marked: int


def score(text: str) -> Score:
    """Count tokens (whitespace-separated, punctuation stripped) and valid accented syllables."""
    tokens = marked = valid = 0
    for raw in text.split():
        tok = raw.strip(_STRIP)
        if not tok:
            continue
        tokens += 1
        if tok.isascii():
            continue
        marked += 1
        if is_syllable(tok):
            valid += 1
    return Score(tokens, marked, valid)


@dataclass(frozen=True, slots=True)
class Detection:
    """A legacy encoding found in a text, and the text converted to Unicode."""

    encoding: str  # "tcvn3", "vni" or "viqr"
    text: str
    before: Score
    after: Score


# Characters that only occur in Unicode Vietnamese (outside Latin-1): ă đ ơ ư and U+1EA0–U+1EF9.
_UNICODE_VIET = re.compile(r"[\u0102\u0103\u0110\u0111\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9]")
_HIGH_LATIN1 = re.compile(r"[\u00a1-\u00ff]")
_VIQR_HINT = re.compile(r"[aeiouyAEIOUY][(^+]?['`?~.](?=\w)|[aeiouyAEIOUY][(^+]|\b[dD][dD]")
_CONVERTERS: dict[str, Callable[[str], str]] = {"tcvn3": from_tcvn3, "vni": from_vni, "viqr": from_viqr}
SAMPLE = 100_000  # characters scored; enough for any page, cheap on a 50 MB input

# Acceptance thresholds (conservative; checked on Unicode Vietnamese, English, French and German text
# in tests/test_legacy.py): the conversion must yield at least MIN_VALID accented syllables, at least
# twice (plus MIN_VALID) as many as the text had before, and most accented tokens after it must be valid.
MIN_VALID = 2
MIN_VALID_SHARE = 0.7
# VIQR is plain ASCII, so also ask that accented syllables be a fair share of all words (Vietnamese
# prose has ~40-70%; English with apostrophes and question marks has a few percent).
VIQR_MIN_TOKEN_SHARE = 0.25


def detect(text: str) -> Detection | None:
    """The legacy encoding ``text`` is written in, with the converted text, or None (leave it as is)."""
    sample = text[:SAMPLE]
    candidates: list[str] = []
    high = len(_HIGH_LATIN1.findall(sample))
    viet = len(_UNICODE_VIET.findall(sample))
    if high >= MIN_VALID and high > viet:
        candidates += ["tcvn3", "vni"]
    if viet == 0 and len(_VIQR_HINT.findall(sample)) >= MIN_VALID:
        candidates.append("viqr")
    if not candidates:
        return None
    before = score(sample)
    best: Detection | None = None
    for enc in candidates:
        after = score(_CONVERTERS[enc](sample))
        if not _accept(enc, before, after):
            continue
        if best is None or after.valid_marked > best.after.valid_marked:
            best = Detection(enc, "", before, after)
    if best is None:
        return None
    return Detection(best.encoding, _convert_legacy_parts(text, best.encoding), best.before, best.after)


_PARTS = re.compile(r"(<[^<>]*>|\n)")


def _convert_legacy_parts(text: str, encoding: str) -> str:
    """Convert a document found to be in ``encoding``, leaving alone the lines (and, in HTML, the text
    between tags) that hold Unicode-only Vietnamese letters: a Unicode menu around an old TCVN3 article
    is already right, and the legacy encodings cannot produce those letters."""
    conv = _CONVERTERS[encoding]
    if not _UNICODE_VIET.search(text):
        return conv(text)
    return "".join(part if _UNICODE_VIET.search(part) else conv(part) for part in _PARTS.split(text))


def _accept(enc: str, before: Score, after: Score) -> bool:
    if after.valid_marked < max(MIN_VALID, 2 * before.valid_marked + MIN_VALID):
        return False
    if after.valid_marked < MIN_VALID_SHARE * after.marked:
        return False
    return not (enc == "viqr" and after.valid_marked < VIQR_MIN_TOKEN_SHARE * after.tokens)


def convert(text: str, encoding: str) -> str:
    """Convert ``text`` from a named legacy encoding ("tcvn3", "vni", "viqr") to Unicode NFC."""
    try:
        return _CONVERTERS[encoding](text)
    except KeyError:
        raise ValueError(f"unknown legacy encoding {encoding!r} (known: {', '.join(_CONVERTERS)})") from None
