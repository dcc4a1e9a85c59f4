from diemtin.text import (
    capitalized_phrases,
    count_syllables,
    fold_diacritics,
    normalize,
    split_sentences,
    syllables,
)


def test_normalize_tone_placement_is_consistent() -> None:
    # "hoà" and "hòa" are the same word written in two conventions; both become "hòa".
    assert normalize("Hoà bình") == normalize("Hòa bình") == "Hòa bình"
    assert normalize("thuý khoẻ") == "thúy khỏe"
    # Closed syllables and shaped vowels are unambiguous and must stay as they are.
    for word in ["hoàng", "người", "khuyến", "giữa", "quý", "xoáy", "ngoài", "được"]:
        assert normalize(word) == word


def test_normalize_nfc_and_invisibles() -> None:
    decomposed = "Tie\u0302\u0301ng Vie\u0323\u0302t"  # NFD input
    assert normalize(decomposed) == "Tiếng Việt"
    assert normalize("điện\u200b\u00a0đàm\ufeff") == "điện đàm"
    assert normalize("a\r\nb\rc") == "a\nb\nc"


def test_fold_diacritics() -> None:
    assert fold_diacritics("Điện đàm Đà Nẵng") == "Dien dam Da Nang"


def test_split_sentences_keeps_initials_and_abbreviations() -> None:
    text = "Ông D. Trump nói chuyện với V.Putin. TP. HCM mưa to. Ngày 13/4, hai bên điện đàm! Hết./."
    assert split_sentences(text) == [
        "Ông D. Trump nói chuyện với V.Putin.",
        "TP. HCM mưa to.",
        "Ngày 13/4, hai bên điện đàm!",
        "Hết./.",
    ]


def test_split_sentences_does_not_split_numbers() -> None:
    assert split_sentences("Giá tăng 1.000 đồng. Sau đó giảm.") == ["Giá tăng 1.000 đồng.", "Sau đó giảm."]


def test_syllables() -> None:
    assert syllables("Tổng_thống Nga, ngày 13/4") == ["tổng", "thống", "nga", "ngày", "13", "4"]
    assert count_syllables("Tổng thống Nga") == 3


def test_capitalized_phrases_finds_names() -> None:
    phrases = capitalized_phrases("Tổng thống Nga Vladimir Putin và Nhà Trắng đã điện đàm.")
    assert "Nga Vladimir Putin" in phrases
    assert "Nhà Trắng" in phrases


def test_normalize_leaves_foreign_words_alone() -> None:
    # Only Vietnamese syllables get the traditional tone placement; a French quote stays as written.
    assert (
        normalize("Ông nói: « Où est la paix? » rồi hoà giải") == "Ông nói: « Où est la paix? » rồi hòa giải"
    )
    assert normalize("aún") == "aún"


def test_split_sentences_at_a_glued_agency_end_mark() -> None:
    assert split_sentences("Hai bên đã điện đàm./.Ông Putin nói thêm.") == [
        "Hai bên đã điện đàm./.",
        "Ông Putin nói thêm.",
    ]


def test_split_sentences_at_a_sentence_end_glued_to_the_next() -> None:
    # Crawlers join paragraphs with no space: a story summary showed "... năm 2021.Dư địa kiểm soát ...".
    text = (
        "CPI 6 tháng tăng 2,44% so với cùng kỳ năm 2021.Dư địa kiểm soát lạm phát còn lớn. "
        "Nhiều người đến hiến máu.Nội dung chương trình gồm ba phần."
    )
    assert split_sentences(text) == [
        "CPI 6 tháng tăng 2,44% so với cùng kỳ năm 2021.",
        "Dư địa kiểm soát lạm phát còn lớn.",
        "Nhiều người đến hiến máu.",
        "Nội dung chương trình gồm ba phần.",
    ]
    # Not at names, versions, initials, abbreviations or addresses.
    for whole in ("Tại TP.Hồ Chí Minh, ông V.Putin nói.", "Biến thể BA.2.75 lây nhanh.", "Xem www.abc.Net."):
        assert split_sentences(whole) == [whole]


def test_split_sentences_goes_on_after_a_mark_before_a_lower_case_word() -> None:
    # "…" or "." before a lower-case word with a diacritic ("để", "ở", "ấy") is not a sentence end;
    # before a capital with one ("Ủy ban", "Ở đó") it is.
    text = (
        "Bộ phận thu hồi nợ đe dọa, bôi nhọ khách hàng vay và người thân, bạn bè… để thu hồi được khoản vay. "
        "Ủy ban nhân dân tỉnh đã vào cuộc. Ở đó, người dân được hỗ trợ."
    )
    assert split_sentences(text) == [
        "Bộ phận thu hồi nợ đe dọa, bôi nhọ khách hàng vay và người thân, bạn bè… để thu hồi được khoản vay.",
        "Ủy ban nhân dân tỉnh đã vào cuộc.",
        "Ở đó, người dân được hỗ trợ.",
    ]


def test_split_sentences_keeps_a_quotation_whole() -> None:
    text = (
        "“Chúng tôi sẵn sàng đối thoại. Hai bên sẽ gặp nhau trong tháng tới”, ông Peskov nói. "
        'Ông nhắc lại: "Nga không đóng cửa. Mọi kênh vẫn mở". Cuộc điện đàm kéo dài một giờ.'
    )
    assert split_sentences(text) == [
        "“Chúng tôi sẵn sàng đối thoại. Hai bên sẽ gặp nhau trong tháng tới”, ông Peskov nói.",
        'Ông nhắc lại: "Nga không đóng cửa. Mọi kênh vẫn mở".',
        "Cuộc điện đàm kéo dài một giờ.",
    ]
    # A mark that never closes on its line (a crawl's stray quote) does not swallow the paragraph.
    assert len(split_sentences("“Hai bên điện đàm. Ông Putin chúc mừng. Năm 2017 là năm kỷ niệm.")) == 3
