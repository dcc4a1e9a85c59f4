"""Cleaning: each rule on small real-looking pages, the labelled sets' F1 floors, and safety properties."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from diemtin.clean import clean_document, clean_documents, decide_lines, repeated_lines
from diemtin.models import RawDocument, RemovedLine

from .conftest import ROOT, SEEDS, VMDS

BODY1 = "Sáng 5/3, UBND tỉnh Quảng Nam tổ chức hội nghị triển khai kế hoạch phòng chống thiên tai năm 2024 với sự tham dự của lãnh đạo các sở, ngành."
BODY2 = "Theo báo cáo, năm qua bão lũ làm 12 người chết, hơn 3.000 ngôi nhà bị hư hỏng, tổng thiệt hại ước tính 1.200 tỷ đồng."
BODY3 = "Chủ tịch UBND tỉnh yêu cầu các địa phương chủ động phương án sơ tán dân ở vùng trũng thấp trước mùa mưa bão./."


def doc(*lines: str, title: str = "Quảng Nam triển khai phòng chống thiên tai", **kw: str) -> RawDocument:
    return RawDocument(path="t.txt", lines=list(lines), title=title, id="t1", **kw)  # type: ignore[arg-type]


def removed(art_lines: list[RemovedLine]) -> dict[str, str]:
    return {r.text: r.reason for r in art_lines}


def test_body_kept_in_order_blank_lines_dropped() -> None:
    art = clean_document(doc(BODY1, "", BODY2, "", BODY3))
    assert art.text == "\n".join([BODY1, BODY2, BODY3])
    assert art.id == "t1" and art.title == "Quảng Nam triển khai phòng chống thiên tai"
    assert art.removed == []


def test_related_block_after_end_mark_with_headlines_twice_and_teasers() -> None:
    art = clean_document(
        doc(
            "VOV.VN - " + BODY1,
            BODY2,
            BODY3,
            "Mời quý độc giả theo dõi VOV.VN trên",
            "Tin liên quan",
            "Miền Trung chủ động ứng phó bão số 5",
            "Miền Trung chủ động ứng phó bão số 5",
            "VOV.VN - Các tỉnh miền Trung đã sơ tán hơn 20.000 dân khỏi vùng nguy hiểm trước khi bão đổ bộ.",
            "Miền Trung chủ động ứng phó bão số 5",
        )
    )
    assert art.text.split("\n") == ["VOV.VN - " + BODY1, BODY2, BODY3]
    why = removed(art.removed)
    assert why["Mời quý độc giả theo dõi VOV.VN trên"] == "follow-us"
    assert why["Tin liên quan"] == "related-block"
    assert (
        why["VOV.VN - Các tỉnh miền Trung đã sơ tán hơn 20.000 dân khỏi vùng nguy hiểm trước khi bão đổ bộ."]
        == "teaser"
    )
    assert [r.reason for r in art.removed].count("duplicate-line") == 2
    assert art.source == "VOV.VN" and art.credits == ["VOV.VN -"]


def test_same_section_list_labels_timestamps_bullets() -> None:
    art = clean_document(
        doc(
            BODY1,
            BODY2,
            "Tin cùng chuyên mục",
            "-",
            "Thời sự Trong nước",
            "Hà Nội khởi công cầu Trần Hưng Đạo",
            "09:12' - 10/10/2023",
            "Cây cầu dài 1,2 km nối quận Hoàn Kiếm với quận Long Biên, dự kiến hoàn thành năm 2026.",
            "-",
            "Thời sự Trong nước",
            "Đà Nẵng đón 1 triệu khách quốc tế",
            "12.06.2023 | 17:24 PM",
        )
    )
    assert art.text.split("\n") == [BODY1, BODY2]
    why = removed(art.removed)
    assert why["-"] == "bullet"
    assert why["Thời sự Trong nước"] == "category-label"
    assert why["09:12' - 10/10/2023"] == "timestamp"
    assert why["12.06.2023 | 17:24 PM"] == "timestamp"
    assert (
        why["Cây cầu dài 1,2 km nối quận Hoàn Kiếm với quận Long Biên, dự kiến hoàn thành năm 2026."]
        == "teaser"
    )


def test_captions_name_line_under_title_and_trailing_caption() -> None:
    art = clean_document(
        doc(
            "Chủ tịch UBND tỉnh Quảng Nam Lê Văn Dũng",
            BODY1,
            "Lực lượng cứu hộ sơ tán người dân ở Đại Lộc. Ảnh: TTXVN",
            BODY2,
            "Ảnh: AFP/ TTXVN",
            BODY3,
            "Đoàn công tác kiểm tra đê biển Hội An (Ảnh minh họa)",
        )
    )
    assert art.text.split("\n") == [BODY1, BODY2, BODY3]
    assert {r.reason for r in art.removed} == {"caption"}


def test_subheadings_and_lists_inside_the_body_stay() -> None:
    lines = [
        BODY1,
        "Ưu tiên vùng trũng thấp",
        BODY2,
        "Các địa phương cần thực hiện:",
        "- Rà soát khu dân cư ven sông, ven biển;",
        "- Dự trữ lương thực, thuốc men cho 7 ngày",
        BODY3,
    ]
    assert clean_document(doc(*lines)).text.split("\n") == lines


def test_prose_that_looks_like_a_widget_caption_or_credit_stays() -> None:
    lines = [
        BODY1,
        "Theo ông Nguyễn Văn Hùng, giám đốc sở, tỉnh cần thêm 300 tỷ đồng để gia cố đê.",
        "Ông Hùng nói trong video: “Chúng tôi không thể chờ đến khi bão vào mới hành động”.",
        "Người dân có thể tải ứng dụng Quảng Nam Smart để nhận cảnh báo bão lũ sớm nhất.",
        "Theo dõi tình hình tại hiện trường, phóng viên ghi nhận nước đã rút ở nhiều nơi.",
        "Thông tin sơ tán được cập nhật liên tục trên fanpage của UBND tỉnh.",
        BODY3,
    ]
    assert clean_document(doc(*lines)).text.split("\n") == lines


def test_credit_becomes_metadata_and_source() -> None:
    art = clean_document(doc(BODY1, BODY3, "Theo vov.vn"))
    assert art.text.split("\n") == [BODY1, BODY3]
    assert art.credits == ["Theo vov.vn"] and art.source == "vov.vn"
    # Metadata wins over what the text says.
    art = clean_document(doc(BODY1, BODY3, "Theo vov.vn", source="Báo Quảng Nam"))
    assert art.source == "Báo Quảng Nam" and art.credits == ["Theo vov.vn"]
    art = clean_document(doc(BODY1, "(TTXVN/Vietnam+)"))
    assert art.text == BODY1 and art.source == "TTXVN/Vietnam+"


@pytest.mark.parametrize(
    ("first", "source"),
    [
        ("VOV.VN - Chiều 7/3, Thủ tướng tiếp Đại sứ Australia tại trụ sở Chính phủ.", "VOV.VN"),
        ("VOV.VN- Ngày 10/12, Ngoại trưởng Nga Lavrov đã gặp Ngoại trưởng Mỹ tại Washington.", "VOV.VN"),
        ("TTO - Sáng 12-3, tỉnh Bà Rịa - Vũng Tàu khởi công cao tốc Biên Hòa - Vũng Tàu.", "TTO"),
        ("(Dân trí) - Rạng sáng 5/11, một căn nhà trọ ở quận Bình Tân bốc cháy dữ dội.", "Dân trí"),
        ("Hà Nội (TTXVN) - Chính phủ vừa ban hành nghị định hỗ trợ người lao động mất việc.", "TTXVN"),
        ("Theo phóng viên TTXVN tại Nga, ngày 11/2, Điện Kremlin xác nhận cuộc điện đàm.", "TTXVN"),
    ],
)
def test_dateline_gives_source_and_stays_in_text(first: str, source: str) -> None:
    art = clean_document(doc(first, BODY2))
    assert art.source == source
    assert art.text.split("\n")[0] == first
    assert art.credits and first.startswith(art.credits[0])


def test_no_dateline_in_ordinary_openings() -> None:
    for first in (
        "COVID-19 tiếp tục lây lan ở nhiều nước châu Á trong tuần qua.",
        "GS-TS Nguyễn Văn A cho biết như vậy.",
    ):
        assert clean_document(doc(first, BODY2)).source is None


def test_portal_widgets_tags_follow_and_newsletter() -> None:
    noise = {
        "Chia sẻ": "share",
        "Bình luận (12)": "comment",
        "#Quảng Nam #bão lũ #thiên tai": "tags",
        "Từ khóa: thiên tai, Quảng Nam": "tags",
        "Theo dõi Báo Quảng Nam trên Google News": "follow-us",
        "Đăng ký nhận bản tin mỗi sáng để không bỏ lỡ tin tức quan trọng": "newsletter",
        "Thứ Hai, 13/04/2021 - 20:15 (GMT+7)": "timestamp",
    }
    art = clean_document(doc(BODY1, *noise, BODY2))
    assert art.text.split("\n") == [BODY1, BODY2]
    assert removed(art.removed) == noise


def test_byline_closing_the_article() -> None:
    art = clean_document(doc(BODY1, BODY2, "Thu Trang/VOV-Moskva"))
    assert art.text.split("\n") == [BODY1, BODY2]
    assert removed(art.removed) == {"Thu Trang/VOV-Moskva": "byline"}


def test_inline_read_more_link_then_body_resumes() -> None:
    art = clean_document(
        doc(
            BODY1,
            "Xem thêm:",
            "Quảng Nam sơ tán dân trước bão số 9",
            BODY2,
            "Đọc thêm: Bão số 9 đổ bộ miền Trung",
            BODY3,
        )
    )
    assert art.text.split("\n") == [BODY1, BODY2, BODY3]


def test_related_block_in_mid_page_resumes_at_a_run_of_sentences() -> None:
    more = [
        "Ngoài ra, tỉnh sẽ đầu tư 15 nhà tránh trú bão đa năng tại các xã ven biển trong năm nay.",
        "Các nhà này được dùng làm trường học, nhà văn hóa khi không có thiên tai.",
        "Kinh phí lấy từ ngân sách tỉnh và nguồn vận động của các doanh nghiệp trên địa bàn.",
    ]
    art = clean_document(doc(BODY1, "Tin liên quan", "Quảng Nam sơ tán dân trước bão số 9", *more))
    assert art.text.split("\n") == [BODY1, *more]


def test_repeated_across_outlet_needs_different_stories() -> None:
    prompt = "Tải ứng dụng đọc báo Quảng Nam"
    stories = [
        [BODY1, "Bản tin Quảng Nam 24h", BODY2],
        [
            "Quảng Nam đón 8 triệu lượt khách du lịch trong 10 tháng, tăng 30% so với cùng kỳ năm trước.",
            "Bản tin Quảng Nam 24h",
        ],
        ["Giá cá ngừ đại dương tại cảng Tam Quang tăng mạnh đầu vụ, ngư dân phấn khởi ra khơi.", prompt],
    ]
    docs = [doc(*s, source="Báo Quảng Nam") for s in stories]
    reps = repeated_lines(docs)
    assert "bản tin quảng nam 24h" in reps[0]
    arts = clean_documents(docs)
    assert removed(arts[0].removed) == {"Bản tin Quảng Nam 24h": "repeated-across-outlet"}
    assert arts[0].text.split("\n") == [BODY1, BODY2]
    # Two copies of one story share their sentences and short lines: those are not furniture.
    copies = [doc(BODY1, "Ưu tiên vùng trũng thấp", BODY2, source="TTXVN") for _ in range(3)]
    assert all(
        a.text.split("\n") == [BODY1, "Ưu tiên vùng trũng thấp", BODY2] for a in clean_documents(copies)
    )


def test_cleaning_never_adds_text() -> None:
    """Every kept line and every removed line is a line of the input, and nothing is lost silently."""
    lines = [
        "Tổng thống Nga Vladimir Putin",
        "VOV.VN - " + BODY1,
        "",
        BODY2,
        "Ảnh: AFP",
        BODY3,
        "Theo vov.vn",
        "Tin liên quan",
        "-",
        "Kinh tế Thế giới",
        "Hà Nội khởi công cầu Trần Hưng Đạo",
        "13:52' - 08/12/2021",
    ]
    d = doc(*lines)
    d.removed = [RemovedLine("Đăng nhập", "html-boilerplate")]
    art = clean_document(d)
    source = {ln.strip() for ln in lines}
    kept = art.text.split("\n")
    assert all(k in source for k in kept)
    assert all(r.text in source for r in art.removed[1:])
    assert art.removed[0] == RemovedLine("Đăng nhập", "html-boilerplate")  # the reader's record is carried
    assert len(kept) + len(art.removed) - 1 == sum(1 for ln in lines if ln.strip())


# --------------------------------------------------------------------------------------------------
# Labelled sets (bench/clean_eval.py): F1 floors


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("clean_eval", ROOT / "bench" / "clean_eval.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules["clean_eval"] = mod  # dataclasses look their module up while the module runs
    spec.loader.exec_module(mod)
    return mod


def test_fixture_set_f1_floor() -> None:
    bench = _bench()
    pages = bench.load_fixtures()
    assert len(pages) >= 10
    s = bench.score(pages)
    assert s.f1 >= 0.98, (s.precision, s.recall)


def test_seed_set_f1_floor() -> None:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds not present")
    bench = _bench()
    s = bench.score(bench.load_seeds())
    assert s.tp + s.fn >= 25  # all five seeds labelled
    assert s.f1 >= 0.98, (s.precision, s.recall)


def test_seed_labels_detect_a_changed_file(tmp_path: Path) -> None:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds not present")
    bench = _bench()
    name = sorted(SEEDS.glob("*.txt"))[0].name
    text = (SEEDS / name).read_text(encoding="utf-8").split("\n")
    text[2] = text[2].replace("Kremlin", "Điện Biên")
    (tmp_path / name).write_text("\n".join(text), encoding="utf-8")
    with pytest.raises(ValueError, match="changed since it was labelled"):
        bench.load_seeds(seeds=tmp_path)


def test_vmds_bodies_are_kept() -> None:
    """VietnameseMDS bodies are article text (captions inlined): cleaning keeps at least 99% of them."""
    if not VMDS.is_dir():
        pytest.skip("../shared/data/vmds-dev not present")
    bench = _bench()
    docs = bench.vmds_docs()
    kept, total = bench.kept_share([docs])
    assert total >= 300
    assert kept / total >= 0.99


def test_decide_lines_covers_every_input_line() -> None:
    lines = ["", BODY1, "  ", "Chia sẻ", BODY2]
    ds = decide_lines(doc(*lines))
    assert [d.index for d in ds] == list(range(len(lines)))
    assert [d.reason for d in ds] == ["blank", None, "blank", "share", None]


def test_the_time_a_page_prints_above_its_body_is_its_publication_time() -> None:
    body = (
        "VOV.VN - Sáng nay (10/9), Ủy ban nhân dân thành phố Hà Nội tổ chức hội nghị sơ kết công tác "
        "phòng chống thiên tai và tìm kiếm cứu nạn trong mùa mưa bão năm nay."
    )
    related = ["Hà Nội chủ động ứng phó với bão số 3 trong những ngày tới", "15:20' - 02/08/2015"]
    art = clean_document(doc("07:36' - 10/09/2015", "", body, "", "Tin liên quan", *related))
    assert art.published == "2015-09-10T07:36:00"
    assert "07:36' - 10/09/2015" in [r.text for r in art.removed]
    # Only a stamp above the body counts: related headlines' times after it are not the page's.
    assert clean_document(doc(body, "", "Tin liên quan", *related)).published is None
    # Metadata, when the input has it, wins over the printed time.
    assert clean_document(doc("07:36' - 10/09/2015", body, published="2015-09-11")).published == "2015-09-11"
    assert clean_document(doc("Thứ Năm, 10/09/2015", body)).published == "2015-09-10"


def test_spellings_of_one_outlet_are_one_outlet() -> None:
    from diemtin.clean import outlet_names

    # A dateline writes "VOV.VN", a credit "Theo vov.vn", a URL host "www.vov.vn": one outlet, shown
    # as its dateline writes it; other outlets stay apart.
    assert outlet_names(["vov.vn", "VOV.VN", "www.vov.vn", "TTXVN", "", "Tuổi Trẻ"]) == [
        "TTXVN",
        "Tuổi Trẻ",
        "VOV.VN",
    ]
    assert outlet_names(["vietnamplus.vn", "VietnamPlus"]) == ["VietnamPlus"]
