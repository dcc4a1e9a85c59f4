"""Near-duplicates: one wire story run by several portals folds into one group with its credits."""

from __future__ import annotations

import random
from dataclasses import replace

import numpy as np
import pytest
from datasketch import MinHash, MinHashLSH

from diemtin import dedup
from diemtin import text as vtext
from diemtin.dedup import (
    NUM_PERM,
    SEED,
    SHINGLE,
    credits_of,
    find_duplicates,
    minhash_of,
    shingle_hashes,
    signatures,
)
from diemtin.models import Article

WIRE = (
    "Theo phóng viên TTXVN tại Moskva, ngày 11/2, Thư ký báo chí Điện Kremlin Dmitry Peskov cho biết "
    "Tổng thống Nga Vladimir Putin và Tổng thống Mỹ Joe Biden sẽ điện đàm vào ngày 12/2 theo đề nghị "
    "của phía Mỹ.\n"
    "Ông Peskov nói phía Mỹ đã đề nghị một cuộc điện đàm và hai nhà lãnh đạo dự kiến trao đổi vào tối "
    "mai theo giờ Moskva.\n"
    "Cũng trong ngày 11/2, Cố vấn An ninh Quốc gia Mỹ Jake Sullivan xác nhận cuộc điện đàm dự kiến giữa "
    "hai tổng thống, trong bối cảnh căng thẳng quanh Ukraine gia tăng.\n"
    "Cuộc gặp trực tiếp đầu tiên giữa ông Putin và ông Biden diễn ra tại Geneva, Thụy Sỹ, vào tháng "
    "6/2021."
)
OTHER = (
    "Ngày 20/10, các tỉnh miền Trung tiếp tục huy động lực lượng khắc phục hậu quả đợt mưa lũ lịch sử.\n"
    "Theo Ban Chỉ đạo Trung ương về phòng chống thiên tai, mưa lũ đã làm hàng chục người thiệt mạng và "
    "hàng nghìn ngôi nhà bị ngập sâu.\n"
    "Chính phủ đã hỗ trợ khẩn cấp gạo và kinh phí cho các địa phương bị thiệt hại nặng nhất."
)


def _copies() -> list[Article]:
    return [
        Article(
            "bnews",
            "bnews.txt",
            "Tổng thống Nga-Mỹ chuẩn bị điện đàm",
            WIRE + "\n(TTXVN)",
            source="TTXVN",
            published="2022-02-11T21:40",
        ),
        Article(
            "vov",
            "vov.txt",
            "Nga - Mỹ sắp điện đàm cấp cao",
            "VOV.VN - " + WIRE.replace("gia tăng", "đang gia tăng") + "\nTheo TTXVN",
            source="vov.vn",
            published="2022-02-11T22:15",
        ),
        Article(
            "tt",
            "tt.txt",
            "Miền Trung khắc phục hậu quả mưa lũ",
            OTHER,
            source="tuoitre.vn",
            published="2022-02-11T08:00",
        ),
    ]


def test_two_portal_copies_form_one_group_with_the_earliest_as_canonical() -> None:
    groups = find_duplicates(_copies())
    assert len(groups) == 1
    assert groups[0].canonical == "bnews"
    assert groups[0].duplicates == ["vov"]
    assert "Theo TTXVN" in groups[0].credits["vov"]
    assert "VOV.VN -" in groups[0].credits["vov"]
    assert "(TTXVN)" in groups[0].credits["bnews"]


def test_without_dates_the_article_crediting_another_outlet_is_the_copy() -> None:
    arts = _copies()
    for a in arts:
        a.published = None
    # Give the reprint the smaller id, so that only the credit rule can make it the copy.
    arts[1].id = "a-vov"
    groups = find_duplicates(arts)
    assert [(g.canonical, g.duplicates) for g in groups] == [("bnews", ["a-vov"])]


def test_shortened_copy_is_still_a_copy_and_unrelated_text_is_not() -> None:
    arts = _copies()
    short = Article("short", "short.txt", "Putin và Biden sẽ điện đàm", "\n".join(WIRE.split("\n")[:3]))
    groups = find_duplicates([*arts, short])
    assert len(groups) == 1
    assert sorted([groups[0].canonical, *groups[0].duplicates]) == ["bnews", "short", "vov"]


def test_same_result_in_any_input_order() -> None:
    arts = _copies()
    expected = find_duplicates(arts)
    for seed in range(5):
        shuffled = arts[:]
        random.Random(seed).shuffle(shuffled)
        assert find_duplicates(shuffled) == expected


def test_credits_from_first_and_last_lines() -> None:
    art = Article("x", "x.txt", "t", "VOV.VN - Hà Nội hôm nay mưa lớn.\nNhiều tuyến phố ngập.\nTheo vov.vn")
    assert credits_of(art) == ["VOV.VN -", "Theo vov.vn"]


def test_signatures_computed_elsewhere_give_the_same_groups() -> None:
    # A pipeline computes signatures in chunks on its executor: the groups must not depend on that.
    arts = [*_copies(), Article("flood", "flood.txt", "Lũ miền Trung", OTHER)]
    sigs = signatures(arts)
    assert len(sigs) == len(arts) and all(s is not None for s in sigs)
    assert find_duplicates(arts, sigs) == find_duplicates(arts)
    half = signatures(arts[:1]) + signatures(arts[1:])
    assert find_duplicates(arts, half) == find_duplicates(arts)
    with pytest.raises(ValueError, match="signatures"):
        find_duplicates(arts, sigs[:1])


def test_too_short_to_call_a_copy_has_no_signature() -> None:
    tiny = Article("tiny", "tiny.txt", "Tin ngắn", "Mưa lớn ở Hà Nội.")
    assert signatures([tiny]) == [None]
    assert find_duplicates([tiny, Article("tiny2", "tiny2.txt", "Tin ngắn", tiny.text)]) == []


def test_template_reports_of_different_days_are_not_copies() -> None:
    # A daily bulletin re-run with the same wording: near-identical text, but the first sentence gives
    # another day, so it reports another happening; the same bulletin on another portal is a copy.
    body = (
        "Ngày {d}, Ủy ban nhân dân thành phố Hà Nội tổ chức hội nghị giao ban công tác phòng chống dịch "
        "bệnh trên địa bàn, đánh giá tình hình tuần qua và triển khai nhiệm vụ trọng tâm tuần tới.\n"
        "Hội nghị yêu cầu các quận, huyện tăng cường kiểm tra, giám sát, xử lý nghiêm các trường hợp vi "
        "phạm quy định, đồng thời đẩy nhanh tiến độ tiêm chủng cho người dân thuộc nhóm nguy cơ cao.\n"
        "Sở Y tế được giao chủ trì, phối hợp với các sở, ngành liên quan chuẩn bị phương án ứng phó với "
        "các tình huống dịch bệnh có thể xảy ra trong thời gian tới."
    )
    arts = [
        Article("a", "a.txt", "Hà Nội giao ban phòng chống dịch", body.format(d="12/3"), source="Hà Nội Mới"),
        Article(
            "b", "b.txt", "Hà Nội giao ban phòng chống dịch", body.format(d="12/3"), source="Kinh tế Đô thị"
        ),
        Article("c", "c.txt", "Hà Nội giao ban phòng chống dịch", body.format(d="9/7"), source="Hà Nội Mới"),
        # "hôm qua (13/3)" in a reprint a day later is the same happening: within the tolerance.
        Article("d", "d.txt", "Hà Nội giao ban phòng chống dịch", body.format(d="13/3"), source="VOV.VN"),
    ]
    groups = find_duplicates(arts)
    assert [(g.canonical, sorted(g.duplicates)) for g in groups] == [("a", ["b", "d"])]


def test_two_days_editions_of_a_bulletin_are_not_copies() -> None:
    # One portal's daily price bulletin: the same paragraphs every day, the title's day and a figure
    # change. The lead days (22/7, 23/7) are within the reprint tolerance; the titles tell the days apart.
    body = (
        "Sáng {d}, giá cà phê robusta nhân xô tại các tỉnh Tây Nguyên dao động quanh mức {p} đồng/kg, "
        "theo khảo sát của phóng viên tại các đại lý thu mua ở Đắk Lắk, Gia Lai, Lâm Đồng và Đắk Nông.\n"
        "Trên sàn London, giá cà phê robusta kỳ hạn giao tháng 9 biến động nhẹ so với phiên trước; trên "
        "sàn New York, giá arabica chịu áp lực bán khi Brazil đẩy mạnh xuất khẩu vụ mùa mới.\n"
        "Các chuyên gia cho rằng nguồn cung từ Brazil và đồng USD mạnh sẽ tiếp tục chi phối thị trường cà "
        "phê thế giới trong những tuần tới, khi giới đầu cơ vẫn đứng ngoài thị trường."
    )
    arts = [
        Article("a", "a.txt", "Giá cà phê hôm nay 22/7: Giảm nhẹ", body.format(d="22/7", p="42.800")),
        Article("b", "b.txt", "Giá cà phê hôm nay 23/7: Giảm nhẹ", body.format(d="23/7", p="42.700")),
        Article("c", "c.txt", "Giá cà phê hôm nay 22/7: Giảm nhẹ", body.format(d="22/7", p="42.800")),
    ]
    groups = find_duplicates(arts)
    assert [(g.canonical, g.duplicates) for g in groups] == [("a", ["c"])]


def test_shingle_hashes_count_every_distinct_shingle_once() -> None:
    # Hand-written hashing must not merge distinct shingles nor split equal ones: the exact copy check
    # counts on it. WIRE repeats phrases ("hai tổng thống", "điện đàm"), so some shingles recur.
    tokens = vtext.syllables(WIRE + "\n" + WIRE[:200] + "\n" + OTHER)
    want = set(vtext.shingles(tokens, SHINGLE))
    got = shingle_hashes(tokens, SHINGLE)
    assert len(got) == len(want)
    assert np.all(got[1:] > got[:-1])  # sorted and unique
    assert len(shingle_hashes(tokens[:3], SHINGLE)) == 0


def test_minhash_of_is_datasketchs_minhash_of_the_same_values() -> None:
    fp = shingle_hashes(vtext.syllables(WIRE), SHINGLE)
    ref = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=lambda h: h)
    ref.update_batch([int(x) & 0xFFFFFFFF for x in fp])
    mine = minhash_of(fp)
    assert np.array_equal(mine.hashvalues, ref.hashvalues)
    half = shingle_hashes(vtext.syllables(WIRE[: len(WIRE) // 2]), SHINGLE)
    assert 0.3 < minhash_of(half).jaccard(mine) < 0.7  # about the true Jaccard (~0.5), as datasketch's


def test_lsh_candidates_are_the_pairs_datasketchs_lsh_proposes() -> None:
    # Real reports (VietnameseMDS: several outlets per happening, some reprints) and copies of some of
    # them cut short or with a line changed, so that buckets hold 2-4 articles.
    from diemtin.api import read_articles

    from .conftest import VMDS

    if not VMDS.is_dir():
        pytest.skip("../shared/data/vmds-dev not present")
    arts, _ = read_articles([str(VMDS / f"cluster_{i}") for i in range(1, 41)])
    for a in list(arts[:40]):
        arts.append(replace(a, id=a.id + "-cut", text=a.text[: len(a.text) * 9 // 10]))
        arts.append(replace(a, id=a.id + "-credit", text=a.text + "\nTheo VOV.VN"))
    sigs = [s for s in dedup.signatures(arts) if s is not None]
    mine = dedup.lsh_candidates([s.minhash.hashvalues for s in sigs])
    lsh = MinHashLSH(threshold=dedup.LSH_THRESHOLD, num_perm=dedup.NUM_PERM)
    theirs = []
    for y, s in enumerate(sigs):
        theirs += [(x, y) for x in sorted(lsh.query(s.minhash))]
        lsh.insert(y, s.minhash)
    assert len(theirs) > 100  # buckets of several articles, not a trivial case
    assert mine == theirs
