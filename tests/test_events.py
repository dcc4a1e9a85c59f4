"""Events and stories: reports of one happening group together; same-shaped happenings stay apart."""

from __future__ import annotations

import random

import numpy as np
import pytest

from diemtin import events, features
from diemtin.evaluate import corpora, happenings
from diemtin.evaluate.bcubed import bcubed
from diemtin.models import Article

from .conftest import ROOT, VMDS

ANNOTATIONS = ROOT / "bench" / "annotations"

CALL_MARCH = (
    "VOV.VN - Điện Kremlin cho biết, ngày 30/3, theo sáng kiến của phía Mỹ, Tổng thống Nga Putin và "
    "Tổng thống Mỹ Trump đã có cuộc trò chuyện dài qua điện thoại.\n"
    "Hai nhà lãnh đạo bày tỏ quan ngại về quy mô lây lan của dịch Covid-19 và trao đổi về thị trường dầu "
    "mỏ thế giới, nhấn mạnh tầm quan trọng của sự ổn định giá dầu.\n"
    "Tổng thống Putin và Tổng thống Trump nhất trí tham vấn Nga-Mỹ theo kênh các Bộ trưởng Năng lượng."
)
CALL_MARCH_OTHER_OUTLET = (
    "Ngày 30/3, Tổng thống Mỹ Donald Trump và Tổng thống Nga Vladimir Putin đã điện đàm, Điện Kremlin "
    "thông báo.\n"
    "Theo thông báo, hai ông thảo luận về đại dịch Covid-19 và tình hình thị trường dầu mỏ, đồng thời "
    "nhất trí để các Bộ trưởng Năng lượng hai nước tham vấn về ổn định giá dầu.\n"
    "Đây là cuộc điện đàm thứ hai giữa hai nhà lãnh đạo trong tháng này."
)
CALL_APRIL = (
    "VOV.VN - Ngày 13/4, Điện Kremlin cho biết, theo sáng kiến của phía Mỹ, Tổng thống Nga Vladimir "
    "Putin và Tổng thống Mỹ Joe Biden đã tiến hành điện đàm.\n"
    "Tổng thống Biden đề xuất tổ chức cuộc gặp thượng đỉnh tại một nước thứ ba trong những tháng tới để "
    "thảo luận về ổn định chiến lược, kiểm soát vũ khí và tình hình Ukraine.\n"
    "Hai bên bày tỏ sẵn sàng tiếp tục đối thoại về các lĩnh vực quan trọng của an ninh toàn cầu."
)
FLOOD = (
    "Ngày 20/10, các tỉnh miền Trung tiếp tục huy động lực lượng khắc phục hậu quả đợt mưa lũ lịch sử.\n"
    "Theo Ban Chỉ đạo Trung ương về phòng chống thiên tai, mưa lũ đã làm hàng chục người thiệt mạng và "
    "hàng nghìn ngôi nhà bị ngập sâu tại Quảng Bình, Quảng Trị và Thừa Thiên Huế.\n"
    "Chính phủ đã hỗ trợ khẩn cấp gạo và kinh phí cho các địa phương bị thiệt hại nặng nhất."
)


def _articles() -> list[Article]:
    return [
        Article("a1", "a1.txt", "Tổng thống Nga và Tổng thống Mỹ điện đàm", CALL_MARCH, source="VOV"),
        Article(
            "a2",
            "a2.txt",
            "Ông Trump và ông Putin điện đàm về Covid-19 và giá dầu",
            CALL_MARCH_OTHER_OUTLET,
            source="Tuổi Trẻ",
        ),
        Article("a3", "a3.txt", "Tổng thống Nga và Tổng thống Mỹ điện đàm", CALL_APRIL, source="VOV"),
        Article("a4", "a4.txt", "Miền Trung khắc phục hậu quả mưa lũ", FLOOD, source="TTXVN"),
    ]


def test_two_outlets_one_call_and_a_same_headline_call_on_another_day() -> None:
    groups = events.group_events(_articles())
    assert ["a1", "a2"] in groups
    assert ["a3"] in groups  # same headline as a1, different day and president: another event
    assert ["a4"] in groups


def test_grouping_is_the_same_in_any_input_order() -> None:
    arts = _articles()
    expected = events.group_events(arts)
    for seed in range(4):
        shuffled = arts[:]
        random.Random(seed).shuffle(shuffled)
        assert events.group_events(shuffled) == expected


def test_event_title_is_the_most_typical_headline() -> None:
    arts = _articles()
    extra = Article("a5", "a5.txt", "Putin và Trump điện đàm về giá dầu", CALL_MARCH)
    assert events.event_title([arts[0], arts[1], extra]) == "Putin và Trump điện đàm về giá dầu"


def test_vmds_slice_grouped_like_the_gold_clusters() -> None:
    if not VMDS.is_dir():
        pytest.skip("../shared/data/vmds-dev not present")
    arts, doc_of = corpora.crawl_articles(corpora.vmds_docs(VMDS, limit=15), "txt")
    f1 = bcubed(events.group_events(arts), {a: d.cluster for a, d in doc_of.items()}).f1
    # The first 15 clusters hold five reports of US surveillance and drone strikes in separate clusters
    # (2, 7, 13, 15, ...): the hardest slice of the corpus. Measured 0.87 here, 0.94 on all 100 clusters
    # (docs/events.md); one event per article would score about 0.5.
    assert f1 >= 0.85


def test_lone_reports_of_different_events_mostly_stay_alone() -> None:
    if not VMDS.is_dir():
        pytest.skip("../shared/data/vmds-dev not present")
    docs = corpora.vmds_docs(VMDS)
    lone = [d for i, d in enumerate(docs) if i == 0 or d.cluster != docs[i - 1].cluster]
    arts, _doc_of = corpora.crawl_articles(lone, "txt")
    groups = events.group_events(arts)
    joined = sum(len(g) for g in groups if len(g) > 1)
    # One article from each of the 100 clusters, each another happening. Measured 24 joined (same-topic
    # neighbours: two debates of one parliamentary session, Sir Alex's book and Roy Keane's reply).
    # Similarities that only count the words an article shares with others in the batch scored higher
    # on the full corpora and joined 52 (docs/events.md, session 5): this guards against such a change.
    assert len(arts) == 100
    assert joined <= 30


def test_seed_calls_stay_apart_among_hundreds_of_other_articles() -> None:
    from diemtin.api import read_articles

    from .conftest import SHARED

    if not (SHARED / "seeds").is_dir() or not (SHARED / "data" / "abmusu-train.jsonl").is_file():
        pytest.skip("../shared not present")
    seeds, _ = read_articles([str(SHARED / "seeds")])
    others, _doc_of = corpora.crawl_articles(
        corpora.abmusu_docs(SHARED / "data" / "abmusu-train.jsonl"), "txt"
    )
    groups = events.group_events(others + seeds)
    ids = {a.id for a in seeds}
    # Five calls, five events, none joined by other news. Among 621 other articles the words the calls
    # share are rare, so they score higher than alone (up to 0.31): the 2016 and 2020 calls merged, and
    # the 2017 call joined the 2022 or the 2020 one, before HARD_GAP_DAYS and DATE_TRUST 0.2.
    assert sorted(len(g) for g in groups if ids & set(g)) == [1, 1, 1, 1, 1]


def test_dates_passed_in_give_the_same_events_as_dating_inside() -> None:
    from diemtin import dating

    arts = _articles()
    dates = {a.id: dating.article_date(a) for a in arts}
    assert events.group_events(arts, dates=dates) == events.group_events(arts)


def test_bigram_tfidf_matches_scikit_learn() -> None:
    from diemtin import features

    arts = _articles()
    toks = [features.extract(a).tokens for a in arts]
    ours = features.bigram_tfidf(toks, 1.0)
    ref = features.tfidf([[t[i] + " " + t[i + 1] for i in range(len(t) - 1)] for t in toks])
    # Column order differs (integer codes vs strings); the cosines between articles must not.
    assert np.allclose((ours @ ours.T).toarray(), (ref @ ref.T).toarray())
    ours = features.bigram_tfidf(toks, 1.0, unigrams=True)
    ref = features.tfidf([list(t) + [t[i] + " " + t[i + 1] for i in range(len(t) - 1)] for t in toks])
    assert np.allclose((ours @ ours.T).toarray(), (ref @ ref.T).toarray())


def test_pair_scores_are_the_dot_products_of_the_rows_bit_for_bit() -> None:
    """Candidate pairs are scored by chunked sparse products over the columns two rows can share: the
    values must be the plain dot products, exactly (every threshold and tie reads them)."""
    import math

    from scipy import sparse

    from diemtin import features

    if not VMDS.is_dir():
        pytest.skip("../shared/data/vmds-dev not present")
    arts, _ = corpora.crawl_articles(corpora.vmds_docs(VMDS, limit=12), "jsonl")
    arts = sorted(arts, key=lambda a: a.id)
    m = events._matrices([features.extract(a) for a in arts])
    x = sparse.csr_matrix(
        sparse.hstack([b * math.sqrt(w) for b, w in zip(m.blocks, m.weights, strict=True)], format="csr")
    )
    n = x.shape[0]
    i, j = np.triu_indices(n, k=1)  # every pair, so the chunks hold rows with many named columns
    got = events._pair_similarities(x, i.astype(np.int64), j.astype(np.int64))
    want = np.array([x[a].multiply(x[b]).sum() for a, b in zip(i.tolist(), j.tolist(), strict=True)])
    assert len(got) == n * (n - 1) // 2 and (got > 0).any()
    assert np.allclose(got, want, rtol=0, atol=1e-12)
    # The same pairs in one product (no chunking, no dropped columns): bit for bit.
    assert np.array_equal(got, (x @ x.T).toarray()[i, j])


def test_each_article_keeps_its_candidates_sharing_the_most_keys() -> None:
    # Article 0 shares keys with 1..5 (5, 4, 1, 1, 1 keys); 1 and 2 also share 3 keys. With k=2 article
    # 0 keeps 1 and 2; 0-3, 0-4, 0-5 stay only because 3, 4, 5 have no better candidate (either end).
    ci = np.array([0, 0, 0, 0, 0, 1, 3], dtype=np.int64)
    cj = np.array([1, 2, 3, 4, 5, 2, 4], dtype=np.int64)
    shared = np.array([5.0, 4.0, 1.0, 1.0, 1.0, 3.0, 2.0])
    keep = events._nearest(ci, cj, shared, 2)
    # 3 keeps 4 (2 keys) and 0 (1 key, smaller index first); 4 keeps 3 and 0; 5 keeps 0.
    assert keep.tolist() == [True, True, True, True, True, True, True]
    keep = events._nearest(ci, cj, shared, 1)
    # k=1: 0 keeps 1; 1 keeps 0; 2 keeps 0 (4 keys); 3 keeps 4; 4 keeps 3; 5 keeps 0.
    assert keep.tolist() == [True, True, False, False, True, False, True]


def test_the_neighbour_cap_leaves_a_dev_slice_grouped_the_same() -> None:
    """The cap bounds an article's pairs in a large batch; in a batch of a few hundred articles the
    pairs it drops share one common key and score little, and the groups do not change."""
    if not VMDS.is_dir():
        pytest.skip("../shared/data/vmds-dev not present")
    arts, _ = corpora.crawl_articles(corpora.vmds_docs(VMDS, limit=30), "jsonl")
    capped = events.group_events(arts)
    old = events.MAX_NEIGHBOURS
    try:
        events.MAX_NEIGHBOURS = 10**6
        assert events.group_events(arts) == capped
        events.MAX_NEIGHBOURS = 1
        assert events.group_events(arts) != capped  # the cap is read: one neighbour is too few
    finally:
        events.MAX_NEIGHBOURS = old


def test_names_are_capitalised_runs_without_sentence_case_or_titles() -> None:
    from diemtin import features

    text = (
        "Hai bên nhất trí. Ông Nguyễn Anh Sơn (Nam Định) gặp Tổng thống Nga V.Putin. "
        "Putin. Nhà Trắng ra thông báo tại TP.HCM."
    )
    found = features.names(text)
    assert "nguyễn anh sơn nam định" in found  # punctuation around tokens does not end a run
    assert "nga v.putin" in found and "tp.hcm" in found  # inner dots kept
    assert "hai" not in found and "putin" not in found  # a lone sentence-initial word is sentence case
    assert "nhà trắng" in found


def _flood_report(aid: str, day: str, outlet: str) -> Article:
    body = FLOOD.replace("Ngày 20/10", f"Ngày {day}")
    return Article(aid, f"{aid}.txt", "Miền Trung khắc phục hậu quả mưa lũ", body, source=outlet)


def test_lead_days_are_compared_on_the_calendar() -> None:
    # 29/10 and 2/9 are two months apart (the month-boundary rule once read them as neighbours); 31/12
    # and 1/1 are one day apart across the year end. The same report on those days: two happenings,
    # then one.
    apart = [_flood_report("f1", "2/9", "TTXVN"), _flood_report("f2", "29/10", "VOV")]
    assert events.group_events(apart) == [["f1"], ["f2"]]
    near = [_flood_report("f1", "31/12", "TTXVN"), _flood_report("f2", "1/1", "VOV")]
    assert events.group_events(near) == [["f1", "f2"]]


def test_time_blocking_keeps_only_pairs_that_can_merge() -> None:
    from datetime import datetime

    ci, cj = np.array([0, 0, 1, 2]), np.array([1, 2, 2, 3])
    published = [datetime(2020, 3, 1), datetime(2020, 3, 20), None, datetime(2021, 3, 1)]
    lead_days = [(30, 3), None, (2, 4), (20, 10)]
    keep = events._feasible(ci, cj, published, lead_days)
    # 0-1: 19 days apart by publication; 0-2: lead days 3 days apart; 1-2: unknown both ways;
    # 2-3: lead days 201 days apart on the calendar.
    assert keep.tolist() == [False, True, True, False]


def test_time_buckets_pair_articles_published_close_together() -> None:
    from datetime import datetime, timedelta

    start = datetime(2019, 12, 25, 8)
    published = [start, start + timedelta(days=11), start + timedelta(days=30), None]
    home, guest = events._time_buckets(published)
    posted = [{int(home[i]), int(guest[i])} for i in range(3)]
    assert posted[0] & posted[1]  # 11 days apart: may report one happening, share a bucket
    assert not posted[0] & posted[2]  # 30 days apart: never merge, never blocked together
    assert home[3] == guest[3] == -1  # no date: batch-wide keys only


def test_happening_labels_cover_both_corpora_article_by_article() -> None:
    from .conftest import ABMUSU

    if not VMDS.is_dir() or not ABMUSU.is_file():
        pytest.skip("../shared not present")
    labels = happenings.load([ANNOTATIONS / "vmds-happenings.jsonl", ANNOTATIONS / "abmusu-happenings.jsonl"])
    docs = corpora.vmds_docs(VMDS) + corpora.abmusu_docs(ABMUSU)
    assert not happenings.missing(docs, labels) and len(labels) == len(docs) == 950
    # A happening id stands for articles of one corpus only.
    corpus_of: dict[str, set[str]] = {}
    for (corpus, _c, _d), label in labels.items():
        corpus_of.setdefault(label.happening, set()).add(corpus)
    assert all(len(c) == 1 for c in corpus_of.values())


def _coffee(day: int, price: str, change: str) -> str:
    return (
        f"Sáng {day}/7, giá cà phê robusta nhân xô tại các tỉnh Tây Nguyên {change}, dao động quanh mức "
        f"{price} đồng/kg, theo khảo sát của phóng viên tại Đắk Lắk, Gia Lai, Lâm Đồng và Đắk Nông.\n"
        "Trên sàn London, giá cà phê robusta kỳ hạn giao tháng 9 biến động nhẹ; trên sàn New York, giá "
        "arabica chịu áp lực bán khi Brazil đẩy mạnh xuất khẩu và giới đầu cơ đứng ngoài thị trường.\n"
        "Các chuyên gia cho rằng nguồn cung từ Brazil và đồng USD mạnh sẽ tiếp tục chi phối giá cà phê."
    )


def test_two_days_editions_of_a_bulletin_are_two_events() -> None:
    arts = [
        Article(
            "b1", "b1.txt", "Giá cà phê hôm nay 22/7: Đồng loạt giảm nhẹ", _coffee(22, "42.800", "giảm nhẹ")
        ),
        Article(
            "b2", "b2.txt", "Giá nông sản ngày 22/7/2022: Cà phê giảm nhẹ", _coffee(22, "42.800", "giảm")
        ),
        Article("b3", "b3.txt", "Giá cà phê hôm nay 23/7: Lao dốc mạnh", _coffee(23, "42.100", "giảm mạnh")),
    ]
    # Same wording, lead days a day apart (within the tolerance for one happening's reports): only the
    # day each title stamps tells the 23/7 edition from the 22/7 ones.
    assert events.group_events(arts) == [["b1", "b2"], ["b3"]]


def _ceremony(province: str, leader: str, n: int) -> str:
    return (
        f"Ngày 6/11, Tỉnh ủy {province} tổ chức lễ trao Huy hiệu Đảng đợt 7/11 cho {n} đảng viên lão thành. "
        f"Đồng chí {leader}, Bí thư Tỉnh ủy {province} dự và trao Huy hiệu 60 năm, 55 năm, 50 năm tuổi Đảng.\n"
        f"Phát biểu tại buổi lễ, đồng chí {leader} chúc mừng các đảng viên được nhận Huy hiệu Đảng và mong "
        "các đồng chí tiếp tục giữ gìn phẩm chất, là tấm gương sáng cho thế hệ trẻ noi theo.\n"
        f"Dịp này, Tỉnh ủy {province} trao tặng quà cho các đảng viên cao tuổi có hoàn cảnh khó khăn."
    )


def test_two_provinces_ceremonies_are_two_events() -> None:
    # The same kind of happening on the same day, worded alike (score 0.6), in two provinces: the
    # guideline's "party-badge ceremonies in two provinces". A second outlet's report of one of them
    # still joins it.
    arts = [
        Article(
            "q1",
            "q1.txt",
            "Quảng Ninh trao Huy hiệu Đảng đợt 7/11",
            _ceremony("Quảng Ninh", "Nguyễn Xuân Ký", 215),
        ),
        Article(
            "n1", "n1.txt", "Nghệ An trao Huy hiệu Đảng đợt 7/11", _ceremony("Nghệ An", "Thái Thanh Quý", 180)
        ),
        Article(
            "q2",
            "q2.txt",
            "215 đảng viên Quảng Ninh nhận Huy hiệu Đảng",
            _ceremony("Quảng Ninh", "Nguyễn Xuân Ký", 215).replace("Ngày 6/11,", "Sáng 6/11,"),
        ),
    ]
    assert sorted(events.group_events(arts)) == [["n1"], ["q1", "q2"]]


FLU_REPORT = (
    "Ngày 20/7, Sở Y tế Hà Nội cho biết trong tuần qua thành phố ghi nhận 312 ca cúm A, tăng 40% so với tuần "
    "trước, tập trung ở quận Hoàng Mai, Hai Bà Trưng và huyện Thanh Trì.\n"
    "Theo Sở Y tế, các bệnh viện tuyến thành phố đang điều trị nội trú 46 bệnh nhân cúm A, trong đó có 5 ca "
    "nặng phải thở oxy. Phần lớn người bệnh là trẻ em dưới 5 tuổi và người cao tuổi có bệnh nền.\n"
    "Sở Y tế đề nghị các trung tâm y tế quận, huyện tăng cường giám sát, xử lý ổ dịch và khuyến cáo người "
    "dân tiêm vaccine cúm."
)
FLU_REPORT_OTHER_OUTLET = (
    "Sáng 20/7, Sở Y tế Hà Nội thông báo số ca mắc cúm A trên địa bàn tăng 40% trong một tuần, với 312 ca, "
    "nhiều nhất ở Hoàng Mai, Hai Bà Trưng và Thanh Trì.\n"
    "Hiện 46 bệnh nhân cúm A đang điều trị nội trú tại các bệnh viện của thành phố, 5 người nặng phải thở "
    "oxy, chủ yếu là trẻ nhỏ và người cao tuổi có bệnh nền.\n"
    "Ngành y tế Hà Nội yêu cầu các quận, huyện giám sát chặt, xử lý ổ dịch và khuyến cáo tiêm vaccine cúm."
)
FLU_ADVICE = (
    "Số ca cúm A ở Hà Nội tăng 40% trong một tuần, nhiều người bệnh là trẻ em dưới 5 tuổi và người cao tuổi "
    "có bệnh nền. Cúm A thường tự khỏi sau 5-7 ngày, nhưng người bệnh cần theo dõi các dấu hiệu nặng để "
    "đến bệnh viện kịp thời.\n"
    "Theo các bác sĩ, người mắc cúm A cần đến bệnh viện khi sốt cao liên tục trên 39 độ, khó thở, thở "
    "nhanh, đau ngực, li bì hoặc co giật. Trẻ nhỏ bỏ bú, nôn nhiều cũng là dấu hiệu nặng.\n"
    "Để phòng bệnh, người dân nên tiêm vaccine cúm hằng năm, đeo khẩu trang nơi đông người và rửa tay "
    "thường xuyên. Người có bệnh nền cần được khám sớm khi có triệu chứng."
)


def _flu_reports_and_advice() -> list[Article]:
    """Two outlets' reports of one day's flu figures (r1, r2) and an advice piece on the same figures (c1)."""
    return [
        Article("r1", "r1.txt", "Hà Nội: số ca cúm A tăng 40% trong một tuần", FLU_REPORT),
        Article(
            "r2",
            "r2.txt",
            "Ca mắc cúm A ở Hà Nội tăng mạnh, 5 người nặng phải thở oxy",
            FLU_REPORT_OTHER_OUTLET,
        ),
        Article("c1", "c1.txt", "Dấu hiệu nặng của cúm A, người bệnh cần đến bệnh viện ngay", FLU_ADVICE),
    ]


def test_an_advice_piece_beside_its_topics_reports_is_its_own_event() -> None:
    # Two outlets' reports of one day's flu figures and an advice piece that opens on the same figures
    # (it scores 0.17-0.19 with them, above the lone-report 0.12): the guideline makes the advice piece
    # its own event (commentary), the reports one.
    arts = _flu_reports_and_advice()
    assert sorted(events.group_events(arts)) == [["c1"], ["r1", "r2"]]


@pytest.mark.parametrize(
    ("title", "lead", "commentary"),
    [
        ("Dấu hiệu nặng của cúm A, người bệnh cần đến bệnh viện ngay", FLU_ADVICE, True),
        (
            "Vì sao HIMARS là chìa khóa tuyến phòng thủ của Ukraine?",
            "Hệ thống HIMARS giúp Ukraine tấn công xa.",
            True,
        ),
        ("iPhone 14 liệu có trễ hẹn", "Dù gặp khó trong chuỗi cung ứng, Apple vẫn tìm cách đối phó.", True),
        # A question headline over a dated lead is a report ("Chiều 15/7, ..."), as is a headline whose
        # advice-like word is part of another word ("cách chức", "dữ liệu") or a bare question mark.
        ("Vì sao Sở GTVT cho xe đi hai chiều?", "Chiều 15/7, Sở GTVT Hà Nội thông báo phân luồng.", False),
        (
            "Thị trưởng Nam Kinh bị cách chức",
            "Thị trưởng thành phố Nam Kinh bị cách chức vì tham nhũng.",
            False,
        ),
        (
            "NSA lấy cắp dữ liệu từ Yahoo và Google?",
            "NSA đột nhập trung tâm dữ liệu của Google, Yahoo.",
            False,
        ),
        ("Hà Nội: số ca cúm A tăng 40% trong một tuần", FLU_REPORT, False),
    ],
)
def test_reads_as_commentary_from_the_headline_and_an_unanchored_lead(
    title: str, lead: str, commentary: bool
) -> None:
    assert features.reads_as_commentary(Article("x", "x.txt", title, lead)) is commentary


def _recap(episode: int, what: str) -> str:
    return (
        f"Trong tập {episode} phim Đấu trí phát sóng tối qua trên VTV1, Vụ trưởng Vụ thiết bị vật tư y tế tiếp "
        f"tục lo lắng và dặn Tuấn 'nháy' (Doãn Quốc Đam) thu dọn dấu vết. {what}\n"
        "Đấu trí là phim truyền hình về đề tài điều tra kinh tế của VTV, với sự tham gia của NSND Trung Anh, "
        "Doãn Quốc Đam, Quách Thu Phương.\n"
        "Phim phát sóng lúc 21h40 từ thứ Hai đến thứ Tư hằng tuần trên kênh VTV1."
    )


def test_two_episodes_of_a_serial_are_two_events() -> None:
    # Recaps of a drama's episodes 2 and 3, worded alike (they merged before the instalment rule): the
    # guideline's "the same kind of thing on different days". Two recaps of episode 2 stay one event.
    arts = [
        Article(
            "e2a",
            "e2a.txt",
            "Đấu trí tập 2: Giám đốc CDC bị phát hiện nhận hối lộ từ vụ kit test",
            _recap(2, "Giám đốc CDC bị phát hiện nhận hối lộ cả chục tỷ đồng từ vụ kit test."),
        ),
        Article(
            "e2b",
            "e2b.txt",
            "Đấu trí tập 2: Tuấn 'nháy' và bà Bằng đối phó ra sao khi bị lộ?",
            _recap(2, "Bà Bằng và Tuấn 'nháy' tìm cách đối phó khi Giám đốc CDC bị bắt vì nhận hối lộ."),
        ),
        Article(
            "e3",
            "e3.txt",
            "'Đấu trí' tập 3, Tuấn 'nháy' bị phát hiện quan hệ ngoài luồng",
            _recap(3, "Tuấn 'nháy' bị vợ phát hiện quan hệ ngoài luồng và thách vợ viết đơn ly hôn."),
        ),
    ]
    assert sorted(events.group_events(arts)) == [["e2a", "e2b"], ["e3"]]


@pytest.mark.parametrize(
    ("a", "b", "conflict"),
    [
        ("Đấu trí tập 2: Giám đốc CDC bị phát hiện", "'Đấu trí' tập 3, Tuấn 'nháy' bị phát hiện", True),
        ("Vòng 8 V.League 2022: Hà Nội FC có 3 điểm?", "V.League: kết quả vòng 8, vòng 9", False),
        ("Tổng kết VBA 2022 tuần 4", "Vòng 8 V.League 2022", False),  # different kinds of instalment
        ("Tập đoàn Hoa Sen tài trợ đợt 3", "Hoa Sen tài trợ đợt 2 cho Quảng Bình", True),
        ("Giải Dế Mèn lần thứ 3", "Trao giải Dế Mèn lần thứ 3, năm 2022", False),
    ],
)
def test_instalments_of_one_series_conflict_by_number(a: str, b: str, conflict: bool) -> None:
    assert (
        features.instalments_conflict(set(features.instalments(a)), set(features.instalments(b))) is conflict
    )


def test_events_against_happening_labels_hold() -> None:
    if not VMDS.is_dir():
        pytest.skip("../shared/data/vmds-dev not present")
    labels = happenings.load(ANNOTATIONS / "vmds-happenings.jsonl")
    arts, doc_of = corpora.crawl_articles(corpora.vmds_docs(VMDS), "txt")
    f1 = bcubed(events.group_events(arts), happenings.gold(doc_of, labels)).f1
    # vmds-dev's 329 articles, 122 happenings (bench/annotations): measured 0.910 with the pipeline
    # (duplicates removed first), 0.912 before session 7's lone-report threshold; below 0.89 means
    # reports of one happening split or happenings merged.
    assert f1 >= 0.89


def test_the_pipeline_marks_a_lone_advice_piece_as_commentary() -> None:
    from diemtin import pipeline

    arts = _flu_reports_and_advice()
    d = pipeline.build_digest(arts, pipeline.Options(summary_length=0))
    assert sorted((e.articles, e.kind) for e in d.events) == [
        (["c1"], "commentary"),
        (["r1", "r2"], "report"),
    ]
