"""Legacy Vietnamese encodings: the tables, the converters and the conservative detector."""

from __future__ import annotations

import unicodedata

import pytest

from diemtin import legacy
from diemtin.legacy import detect, from_tcvn3, from_viqr, from_vni, to_tcvn3, to_viqr, to_vni

from .conftest import SEEDS

LETTERS = legacy.vietnamese_letters()
# Written for these tests: news-like sentences that use every kind of letter (no toned capitals,
# which TCVN3 cannot hold; see test_tcvn3_toned_capitals_become_lower_case).
NEWS = (
    "Ngày 13/4/2021, Điện Kremlin cho biết Tổng thống Nga Vladimir Putin và Tổng thống Mỹ Joe Biden "
    "đã tiến hành điện đàm theo sáng kiến của phía Mỹ. Hai nhà lãnh đạo thảo luận kỹ lưỡng hiện trạng "
    "quan hệ song phương, vấn đề ổn định chiến lược và tình hình Ukraine. Người dân ở thành phố Đà Nẵng "
    "vẫn còn nhớ trận lũ lụt lịch sử năm ngoái; những khuyến nghị của Bộ Y tế được đưa ra kịp thời."
)
ENGLISH = (
    "I'm sure it's fine. Don't worry: we'll meet at the station at 5 p.m. and go to the museum. "
    "Is it true? The U.S. and Russia agreed to extend the New START treaty, officials said on Tuesday."
)
FRENCH = (
    "Le café où j'ai mangé était très agréable, à côté de la gare. Où êtes-vous allés? "
    "Ça coûte cher, mais la crème brûlée est délicieuse et l'hôtel est à deux pas."
)
GERMAN = "Der Müller fährt über die Straße nach Köln. Schöne Grüße aus München, sagte Jürgen."


def test_there_are_134_distinct_letters() -> None:
    assert len(LETTERS) == 134 == len(set(LETTERS))
    assert all(unicodedata.is_normalized("NFC", c) and len(c) == 1 for c in LETTERS)


@pytest.mark.parametrize(
    ("encode", "decode"),
    [(to_vni, from_vni), (to_viqr, lambda s: from_viqr(s, strict=True))],
    ids=["vni", "viqr"],
)
def test_every_letter_round_trips(encode, decode) -> None:  # type: ignore[no-untyped-def]
    for letter in LETTERS:
        coded = encode(letter)
        assert coded.isascii() or coded.encode("latin-1")
        assert decode(coded) == letter, (letter, coded)
    # Also inside syllables, where VNI/VIQR marks follow a base letter (đ only starts a syllable).
    for letter in LETTERS:
        for word in (letter + "nh", "ng" + letter + "n" if letter not in "đĐ" else letter + "i"):
            assert decode(encode(word)) == word, word


def test_vni_and_tcvn3_codes_are_latin1_and_unambiguous() -> None:
    for table in (legacy.TCVN3_ENCODE, legacy.VNI_ENCODE):
        codes = list(table.values())
        assert all(c.encode("latin-1") for c in codes)
        assert len(set(codes)) == len(codes)


def test_tcvn3_round_trips_every_lower_case_letter_and_plain_capitals() -> None:
    for letter in LETTERS:
        coded = to_tcvn3(letter)
        assert len(coded) == 1 and coded.encode("latin-1")
        expected = letter if letter.islower() or letter in "ĂÂÊÔƠƯĐ" else letter.lower()
        assert from_tcvn3(coded) == expected, (letter, coded)


def test_tcvn3_toned_capitals_become_lower_case() -> None:
    # VN3 has no toned capitals (the .VnTimeH font draws them from lower-case codes).
    assert from_tcvn3(to_tcvn3("ỦY BAN")) == "ủY BAN"


@pytest.mark.parametrize(
    ("coded", "decode", "expected"),
    [
        # From the published charts (TCVN 5712:1993 VN3; VNI-Windows; RFC 1456), not from our encoder.
        ("TiÕng ViÖt", from_tcvn3, "Tiếng Việt"),
        ("§µ N½ng, Hµ Néi", from_tcvn3, "Đà Nẵng, Hà Nội"),
        ("Thñ t­íng ChÝnh phñ", from_tcvn3, "Thủ tướng Chính phủ"),
        ("Tieáng Vieät", from_vni, "Tiếng Việt"),
        ("Ñaø Naüng, Haø Noäi", from_vni, "Đà Nẵng, Hà Nội"),
        ("Thuû töôùng Chính phuû", from_vni, "Thủ tướng Chính phủ"),
        ("VIEÄT NAM", from_vni, "VIỆT NAM"),
        ("Tie^'ng Vie^.t", from_viqr, "Tiếng Việt"),
        ("DDa` Na(~ng, Ha` No^.i", from_viqr, "Đà Nẵng, Hà Nội"),
        ("Thu? tu+o+'ng Chi'nh phu? ho.p ba'o chi'", from_viqr, "Thủ tướng Chính phủ họp báo chí"),
    ],
)
def test_known_spellings(coded, decode, expected) -> None:  # type: ignore[no-untyped-def]
    assert decode(coded) == expected


def test_viqr_loose_reading_of_dot_and_question_mark() -> None:
    # Without escapes, '.'/'?' before a capital or at the end is punctuation, otherwise a tone.
    assert from_viqr("Ho^m nay tro+`i ddep. Ca? nha` ddi cho+i.") == "Hôm nay trời đep. Cả nhà đi chơi."
    assert from_viqr("quan he^.. Nga") == "quan hệ. Nga"
    assert from_viqr("Co' pha?i kho^ng?") == "Có phải không?"
    # Strict VIQR (literal marks escaped) reads every mark after a vowel as a tone.
    assert from_viqr("quan he^. Nga va` My~\\.") == "quan hệ Nga và Mỹ."


@pytest.mark.parametrize(("name", "encode"), [("tcvn3", to_tcvn3), ("vni", to_vni), ("viqr", to_viqr)])
def test_detect_converts_news_text(name: str, encode) -> None:  # type: ignore[no-untyped-def]
    coded = encode(NEWS)
    assert coded != NEWS
    found = detect(coded)
    assert found is not None and found.encoding == name
    assert found.text == NEWS
    assert found.after.valid_marked > 0.8 * found.after.marked


def test_detect_converts_a_short_title() -> None:
    found = detect("Tæng thèng Nga ®iÖn ®µm víi Tæng thèng Mü")
    assert found is not None and found.text == "Tổng thống Nga điện đàm với Tổng thống Mỹ"


def test_unicode_parts_of_a_mixed_page_are_kept() -> None:
    menu = "<div>Trang chủ | Thế giới | Góc nhìn | Pháp luật</div>"
    body = "".join(f"<p>{legacy.to_tcvn3(s)}.</p>" for s in NEWS.split(". "))
    found = detect(menu + "\n" + body)
    assert found is not None and found.encoding == "tcvn3"
    assert found.text.startswith(menu + "\n")
    assert "Người dân ở thành phố Đà Nẵng" in found.text


@pytest.mark.parametrize(
    "text",
    [
        NEWS,
        ENGLISH,
        FRENCH,
        GERMAN,
        "© 2021 Báo điện tử VOV · Bản quyền thuộc về « Đài Tiếng nói Việt Nam »",
        "Giá vàng hôm nay: 56,5 triệu đồng/lượng (±0,2%) — tăng ½ so với hôm qua ¿",
        "Café Trung Nguyên và phở Hà Nội được du khách Pháp khen: « très bon ».",
        NEWS.upper(),
        unicodedata.normalize("NFD", NEWS),
    ],
    ids=["unicode", "english", "french", "german", "symbols", "numbers", "mixed", "upper", "nfd"],
)
def test_detect_leaves_unicode_vietnamese_and_other_languages_alone(text: str) -> None:
    assert detect(text) is None


def test_detect_never_fires_on_the_seed_articles() -> None:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds not present")
    for path in sorted(SEEDS.glob("*.txt")):
        assert detect(path.read_text(encoding="utf-8")) is None, path.name


def test_syllable_check() -> None:
    for word in ("nghiêng", "người", "khuỷu", "quyết", "giữa", "gì", "Đà", "oách", "thuở", "Việt"):
        assert legacy.is_syllable(word), word
    # Stop finals only take sắc or nặng; two tones; letters out of place.
    for word in ("tiềt", "hoàc", "việ̀t", "aă", "xyz", "trờớ", "café"):
        assert not legacy.is_syllable(word), word


def test_convert_by_name() -> None:
    assert legacy.convert("Tieáng Vieät", "vni") == "Tiếng Việt"
    with pytest.raises(ValueError, match="unknown legacy encoding 'vps'"):
        legacy.convert("x", "vps")
