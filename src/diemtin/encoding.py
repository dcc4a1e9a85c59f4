"""Turn the bytes of an input into Unicode text, or refuse with a reason a person can act on.

Order of trust: a byte-order mark, then UTF-16 without BOM, then strict UTF-8, then the legacy
single-byte Vietnamese encodings (Windows-1258, TCVN3/ABC, VNI), the one whose result reads most like
Vietnamese winning, and kept only if it does read like Vietnamese. Text that decoded fine may still be
written in a legacy font encoding ("TiÕng ViÖt", "Tieáng Vieät", "Tie^'ng Vie^.t"): ``diemtin.legacy``
detects that conservatively and converts it. Mojibake (UTF-8 read as Latin-1/CP1252 by some earlier tool,
"Tá»•ng thá»‘ng") is repaired with ftfy. The result is always NFC.
"""

from __future__ import annotations

import codecs
import html
import re
import unicodedata

import ftfy

from . import legacy


class DecodeError(ValueError):
    """The input could not be turned into text; the message says why."""


_VIET_LETTERS = re.compile(r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# Characters that legacy single-byte decodings of non-Vietnamese bytes produce and real text lacks.
_ODD = re.compile(
    r"[\u0080-\u00bf\u00d7\u00f7\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u2020-\u2022\u2030\u2039\u203a\u02c6\u02dc\u2122\ufffd]"
)


def looks_binary(data: bytes) -> bool:
    """True for data that is not text: NUL bytes (outside UTF-16) or many control bytes."""
    sample = data[:8192]
    if not sample:
        return False
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in sample and not _utf16_guess(sample):
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))  # C speed, not a byte loop
    return controls / len(sample) > 0.05


_CONTROL_BYTES = bytes([*range(9), *range(14, 32)])


# High bytes of UTF-16 code units for Latin and Vietnamese text: U+00xx (ASCII, Latin-1), U+01xx (ă đ ơ ư),
# U+03xx (combining marks), U+1Exx (ạ-ỹ) and U+20xx (dashes, quotes, ellipsis).
_UTF16_HIGH = frozenset((0x00, 0x01, 0x03, 0x1E, 0x20))
_UTF16_HIGH_BYTES = bytes(sorted(_UTF16_HIGH))


def _utf16_guess(sample: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' for BOM-less UTF-16 of Latin or Vietnamese text: one byte of each pair
    is nearly always a Latin/Vietnamese block (and often NUL), the other almost never NUL."""
    if len(sample) < 4:
        return None
    sample = sample[: len(sample) // 2 * 2]
    even, odd = sample[0::2], sample[1::2]
    for high, low, codec in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if high.count(0) / len(high) <= 0.3:
            continue  # the common case (UTF-8 text has no NUL): no per-byte work at all
        in_blocks = 1 - len(high.translate(None, _UTF16_HIGH_BYTES)) / len(high)
        if in_blocks > 0.95 and low.count(0) / len(low) < 0.05:
            return codec
    return None


def plausibility(text: str) -> float:
    """Share of characters that are not control or legacy-decoding debris (1.0 = clean)."""
    if not text:
        return 1.0
    bad = len(_CONTROL.findall(text)) + len(_ODD.findall(text))
    return 1.0 - bad / len(text)


def decode_bytes(data: bytes, name: str = "<input>") -> str:
    """Decode ``data`` to NFC text; raise DecodeError naming ``name`` and the reason when impossible."""
    return decode_bytes_info(data, name)[0]


def decode_bytes_info(data: bytes, name: str = "<input>") -> tuple[str, str]:
    """Like ``decode_bytes``, also naming the encoding it read (e.g. "utf-8", "cp1258", "utf-8+tcvn3")."""
    if not data.strip():
        raise DecodeError(f"{name}: empty file")
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise DecodeError(f"{name}: has a {codec} byte-order mark but is not valid {codec}") from exc
            return _finish(text, codec)
    guess16 = _utf16_guess(data[:8192])
    if guess16:
        try:
            text = data.decode(guess16)
            if plausibility(text[:100_000]) > 0.98:
                return _finish(text, guess16)
        except UnicodeDecodeError:
            pass
    if looks_binary(data):
        raise DecodeError(f"{name}: binary file (not text)")
    try:
        return _finish(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    mixed = _mixed_lines(data)
    if mixed is not None:
        return _finish(mixed, "utf-8+legacy")
    found = _legacy_bytes(data)
    if found is not None:
        return found
    raise DecodeError(
        f"{name}: not valid UTF-8 (byte 0x{data[utf8_error.start]:02x} at offset {utf8_error.start}) "
        "and not recognisable as Windows-1258, TCVN3 or VNI Vietnamese"
    )


def _mixed_lines(data: bytes) -> str | None:
    """A file of UTF-8 lines with runs of lines in a legacy encoding (an old TCVN3 or Windows-1258
    article pasted into a UTF-8 page, one record of a JSON Lines file saved by an old tool): each run of
    lines that is not UTF-8 decoded on its own (``_legacy_bytes``). None when no line holds UTF-8 beyond
    ASCII (then the file is read as a whole) or a run is not recognisable Vietnamese."""
    lines = data.split(b"\n")
    decoded: list[str | None] = []
    utf8_evidence = False
    for line in lines:
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            decoded.append(None)
            continue
        utf8_evidence = utf8_evidence or not line.isascii()
        decoded.append(text)
    if not utf8_evidence:
        return None
    out: list[str] = []
    i = 0
    while i < len(lines):
        if decoded[i] is not None:
            out.append(decoded[i] or "")
            i += 1
            continue
        j = i
        while j < len(lines) and decoded[j] is None:
            j += 1
        found = _legacy_bytes(b"\n".join(lines[i:j]))
        if found is None:
            return None
        out.append(found[0])
        i = j
    return "\n".join(out)


def _legacy_bytes(data: bytes) -> tuple[str, str] | None:
    """Single-byte Vietnamese: Windows-1258 (base letters + combining tones) or the TCVN3/VNI font
    encodings; the candidate with the most valid accented syllables wins, if any is plausible."""
    best: tuple[int, str, str] | None = None
    try:
        cp = unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError:
        cp = ""
    if cp and plausibility(cp[:100_000]) > 0.995 and _VIET_LETTERS.search(cp):
        # Also accepts Latin-1 text in other languages (CP1258 agrees with CP1252 on their letters).
        best = (legacy.score(cp[: legacy.SAMPLE]).valid_marked, cp, "cp1258")
    # TCVN3 and VNI bytes are the font's code points: Latin-1 maps each byte to the same code point.
    found = legacy.detect(data.decode("latin-1"))
    if (
        found is not None
        and found.encoding != "viqr"
        and (best is None or found.after.valid_marked > best[0])
    ):
        best = (found.after.valid_marked, found.text, found.encoding)
    if best is None:
        return None
    return best[1], best[2]


# HTML character references for Latin-1 letters and signs ("Ti&Otilde;ng", "Ti&#213;ng"): how FrontPage
# and Word wrote TCVN3/VNI pages. Unescaping only these (U+00A0-U+00FF) cannot change the markup.
_LATIN1_REF = re.compile(r"&(?:#(?:1[6-9]\d|2[0-4]\d|25[0-5])|#[xX][a-fA-F][0-9a-fA-F]|[A-Za-z]{2,6}\d?);")


def _unescape_latin1(text: str) -> str:
    def sub(m: re.Match[str]) -> str:
        ch = html.unescape(m.group(0))
        return ch if len(ch) == 1 and "\u00a0" <= ch <= "\u00ff" else m.group(0)

    return _LATIN1_REF.sub(sub, text)


def _finish(text: str, codec: str) -> tuple[str, str]:
    """Legacy font encodings inside decoded text, then mojibake repair; always NFC."""
    found = legacy.detect(text)
    if found is None and "&" in text:
        unescaped = _unescape_latin1(text)
        if unescaped != text:
            found = legacy.detect(unescaped)
    if found is not None:
        return unicodedata.normalize("NFC", found.text), f"{codec}+{found.encoding}"
    return unicodedata.normalize("NFC", _repair(text)), codec


# A cheap gate before ftfy's badness check (half of all reading time when run on every text): UTF-8
# read as Windows-1252 or Latin-1 turns every non-ASCII character into a lead-byte letter (U+00C0-U+00FF)
# followed by a continuation byte's character (U+0080-U+00BF, or what Windows-1252 puts at 0x80-0x9F).
# Text without such a pair has no mojibake of that kind; text with one (also "à”" in good text) goes on
# to ftfy, which decides.
_MOJIBAKE_PAIR = re.compile(
    "[\u00c0-\u00ff][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)


def _repair(text: str) -> str:
    """Fix mojibake only when ftfy is confident; leave good text untouched."""
    head = text[:20000]
    if not _MOJIBAKE_PAIR.search(head):
        return text
    if ftfy.badness.is_bad(head):
        return ftfy.fix_text(text, normalization="NFC")
    return text
