"""Encodings through the real ingest path: every supported encoding becomes NFC Unicode, or is refused
with a message naming the file."""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

import pytest

from diemtin import legacy
from diemtin.encoding import DecodeError, decode_bytes, decode_bytes_info
from diemtin.ingest import read_inputs
from diemtin.models import RawDocument, Skipped
from diemtin.text import normalize

TITLE = "Tổng thống Nga điện đàm với người đồng cấp Mỹ"
BODY = (
    "Ngày 13/4/2021, Điện Kremlin cho biết Tổng thống Nga Vladimir Putin và Tổng thống Mỹ Joe Biden "
    "đã tiến hành điện đàm theo sáng kiến của phía Mỹ.\n"
    "Hai nhà lãnh đạo thảo luận kỹ lưỡng hiện trạng quan hệ song phương và vấn đề ổn định chiến lược.\n"
    "Người phát ngôn khẳng định cuộc trao đổi diễn ra thẳng thắn, mang tính xây dựng."
)
ARTICLE = TITLE + "\n\n" + BODY + "\n"


def to_cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows wrote it: precomposed where the code page has the letter,
    otherwise base letter (with its hat/horn/breve) + a combining tone mark."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            nfd = unicodedata.normalize("NFD", ch)
            tone = "".join(c for c in nfd if c in legacy.TONES)
            base = unicodedata.normalize("NFC", "".join(c for c in nfd if c not in legacy.TONES))
            out.append((base + tone).encode("cp1258"))
    return b"".join(out)


def _one(path: Path) -> RawDocument:
    items = list(read_inputs([str(path)]))
    docs = [d for d in items if isinstance(d, RawDocument)]
    assert len(docs) == 1, items
    return docs[0]


def _assert_article(doc: RawDocument, title: str = TITLE) -> None:
    assert doc.title == title
    body = "\n".join(ln for ln in doc.lines if ln)
    assert body == BODY
    for text in (doc.title, body):
        assert unicodedata.is_normalized("NFC", text)


ENCODINGS = {
    "utf-8": ARTICLE.encode("utf-8"),
    "utf-8-bom": codecs.BOM_UTF8 + ARTICLE.encode("utf-8"),
    "utf-16-bom": ARTICLE.encode("utf-16"),
    "utf-16-le": ARTICLE.encode("utf-16-le"),
    "utf-16-be": ARTICLE.encode("utf-16-be"),
    "utf-32-bom": ARTICLE.encode("utf-32"),
    "cp1258": to_cp1258(ARTICLE),
    "nfd-utf-8": unicodedata.normalize("NFD", ARTICLE).encode("utf-8"),
    "tcvn3-bytes": legacy.to_tcvn3(ARTICLE).encode("latin-1"),
    "vni-bytes": legacy.to_vni(ARTICLE).encode("latin-1"),
    "tcvn3-as-utf-8": legacy.to_tcvn3(ARTICLE).encode("utf-8"),
    "vni-as-utf-8": legacy.to_vni(ARTICLE).encode("utf-8"),
    "viqr": legacy.to_viqr(ARTICLE).encode("ascii"),
    "mojibake": ARTICLE.encode("utf-8").decode("latin-1").encode("utf-8"),
}


@pytest.mark.parametrize("name", sorted(ENCODINGS))
def test_txt_in_every_supported_encoding_reads_as_the_same_nfc_article(tmp_path: Path, name: str) -> None:
    data = ENCODINGS[name]
    assert data != ARTICLE.encode("utf-8") or name == "utf-8"
    path = tmp_path / f"{name}.txt"
    path.write_bytes(data)
    _assert_article(_one(path))


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_bomless_utf16_of_text_with_few_ascii_letters(tmp_path: Path, codec: str) -> None:
    title = "Ừ, người ở đó đã được hỗ trợ"
    text = title + "\n\nĐường đến Điện Biên Phủ: ước mơ của người lính trẻ. Những ngôi nhà bị ngập sâu.\n"
    assert sum(c.isascii() for c in text) / len(text) < 0.7
    path = tmp_path / "u16.txt"
    path.write_bytes(text.encode(codec))
    doc = _one(path)
    assert doc.title == title and next(ln for ln in doc.lines if ln).startswith("Đường đến Điện Biên Phủ")


def test_cp1258_combining_marks_become_precomposed() -> None:
    data = to_cp1258("Tiếng Việt")
    assert b"\xec" in data or b"\xf2" in data  # combining acute / dot below are really used
    text, enc = decode_bytes_info(data + b" " + to_cp1258(BODY), "x.txt")
    assert enc == "cp1258"
    assert text.startswith("Tiếng Việt") and unicodedata.is_normalized("NFC", text)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("tcvn3-bytes", "tcvn3"),
        ("vni-bytes", "vni"),
        ("tcvn3-as-utf-8", "utf-8+tcvn3"),
        ("viqr", "utf-8+viqr"),
    ],
)
def test_legacy_encoding_is_named(name: str, expected: str) -> None:
    assert decode_bytes_info(ENCODINGS[name], name)[1] == expected


def test_tcvn3_web_page_saved_as_utf8(tmp_path: Path) -> None:
    """An old page written in .VnTime and saved by a browser/Word as UTF-8 HTML."""
    html = (
        "<html><head><meta charset='utf-8'><title>" + legacy.to_tcvn3(TITLE) + "</title></head><body>"
        "<div class='menu'>Trang chñ | ThÕ giíi | Kinh tÕ</div><article><h1><font face='.VnTimeH'>"
        + legacy.to_tcvn3(TITLE)
        + "</font></h1>"
        + "".join(f"<p><font face='.VnTime'>{legacy.to_tcvn3(p)}</font></p>" for p in BODY.split("\n"))
        + "</article></body></html>"
    )
    path = tmp_path / "old.html"
    path.write_text(html, encoding="utf-8")
    doc = _one(path)
    assert doc.title == TITLE
    text = "\n".join(doc.lines)
    assert "Điện Kremlin" in text and "ổn định chiến lược" in text
    assert unicodedata.is_normalized("NFC", text)


def test_tcvn3_page_written_with_html_character_references(tmp_path: Path) -> None:
    """FrontPage/Word wrote the Latin-1 bytes of TCVN3 text as entities: "Ti&Otilde;ng Vi&#214;t"."""
    import html as html_lib

    def refs(text: str) -> str:
        coded = legacy.to_tcvn3(text)
        return "".join(
            html_lib.escape(c)
            if c.isascii()
            else (
                f"&#{ord(c)};"
                if i % 2
                else html_lib.entities.codepoint2name.get(ord(c), f"#{ord(c)}").join("&;")
            )
            for i, c in enumerate(coded)
        )

    page = (
        "<html><head><meta charset='utf-8'><title>" + refs(TITLE) + "</title></head><body><article>"
        "<h1>"
        + refs(TITLE)
        + "</h1>"
        + "".join(f"<p>{refs(p)}</p>" for p in BODY.split("\n"))
        + "<p>a &lt; b &amp;&amp; c &gt; d</p></article></body></html>"
    )
    assert "&Otilde;" in page or "&#213;" in page
    path = tmp_path / "frontpage.htm"
    path.write_text(page, encoding="utf-8")
    doc = _one(path)
    assert doc.title == TITLE
    assert "Điện Kremlin" in "\n".join(doc.lines) and "a < b && c > d" in doc.lines


def test_vni_jsonl_records(tmp_path: Path) -> None:
    import json

    path = tmp_path / "old.jsonl"
    rec = {"id": "v1", "title": legacy.to_vni(TITLE), "text": legacy.to_vni(BODY)}
    path.write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    _assert_article(_one(path))


def test_line_endings_invisibles_and_nbsp_are_normalised(tmp_path: Path) -> None:
    messy = (
        "\ufeffTổng\u00a0thống Nga\u200b điện đàm\r\n\r\n"
        "Ngày 13/4/2021,\u202fĐiện Kremlin\u200d cho biết\u00ad hai bên đã điện đàm.\r"
        "Hai nhà lãnh đạo\u2060 thảo luận nhiều vấn đề.\n"
    )
    path = tmp_path / "messy.txt"
    path.write_bytes(unicodedata.normalize("NFD", messy).encode("utf-8"))
    doc = _one(path)
    assert doc.title == "Tổng thống Nga điện đàm"
    assert [ln for ln in doc.lines if ln] == [
        "Ngày 13/4/2021, Điện Kremlin cho biết hai bên đã điện đàm.",
        "Hai nhà lãnh đạo thảo luận nhiều vấn đề.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The U.S. and Russia agreed to extend the treaty, officials said on Tuesday. Is it true?",
        "Le café où j'ai mangé était très agréable, à côté de la gare.",
        "© 2021 Báo điện tử VOV · Bản quyền « Đài Tiếng nói Việt Nam »",
    ],
)
def test_ordinary_text_is_not_converted(tmp_path: Path, text: str) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Tiêu đề\n" + text, encoding="utf-8")
    # Compared with normalize(text): diemtin.text re-places tone marks (it turns French "où" into "òu").
    assert _one(path).lines == [normalize(text)]
    assert decode_bytes(text.encode("utf-8")) == text


def test_unrecognisable_bytes_are_refused_naming_the_file(tmp_path: Path) -> None:
    # CP1252 English with curly quotes: not UTF-8, and nothing Vietnamese about it.
    path = tmp_path / "quotes.txt"
    path.write_bytes("He said \u201cnothing\u201d about it \u2014 fine.".encode("cp1252"))
    (item,) = list(read_inputs([str(path)]))
    assert isinstance(item, Skipped)
    assert str(path) in item.reason and "not valid UTF-8 (byte 0x93 at offset 8)" in item.reason
    assert "Windows-1258, TCVN3 or VNI" in item.reason


def test_bad_bom_is_refused() -> None:
    with pytest.raises(
        DecodeError, match=r"x\.txt: has a utf-8-sig byte-order mark but is not valid utf-8-sig"
    ):
        decode_bytes(codecs.BOM_UTF8 + b"caf\xe9 \xff\xfe", "x.txt")


def test_decoded_text_is_always_nfc() -> None:
    for name, data in ENCODINGS.items():
        assert unicodedata.is_normalized("NFC", decode_bytes(data, name)), name


@pytest.mark.parametrize("wrong", ["cp1252", "latin-1"])
def test_mojibake_repaired_whichever_single_byte_codec_misread_it(wrong: str) -> None:
    good = "Bà Lan đón khách ở Hà Nội, ngày 30/3."
    bad = good.encode("utf-8").decode(wrong)  # UTF-8 bytes read as Windows-1252 or Latin-1
    assert bad != good
    assert decode_bytes(bad.encode("utf-8")) == good


def test_good_text_with_accented_letter_before_a_quote_is_left_alone() -> None:
    good = "Bà nói “chào bà” rồi đi; ông Lê Văn Tám “ở đó”."
    assert decode_bytes(good.encode("utf-8")) == good
