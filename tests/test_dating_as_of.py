"""The batch's as-of date and the page's date anchors (dating/event.py), the one-line evidence, a day
known without its year, and no reading of the machine's calendar on the digest path."""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from diemtin import pipeline, report, timeline
from diemtin.dating import article_date, date_event, extract_dates
from diemtin.dating.expressions import _scan
from diemtin.models import Article, DateAnchor, Event

SRC = Path(__file__).resolve().parents[1] / "src" / "diemtin"


def art(text: str, published: str | None = None, anchors: list[DateAnchor] | None = None) -> Article:
    return Article("a1", "a1.txt", "Cháy lớn tại kho hàng", text, published=published, anchors=anchors or [])


LEAD_27_8 = (
    "Tối 27/8, một đám cháy lớn bùng phát tại kho hàng trên đường Nguyễn Văn Linh, lực lượng cứu hỏa "
    "đã khống chế được ngọn lửa sau hai giờ.\nKhông có thương vong về người."
)


def test_a_yearless_day_without_anchor_stays_open_and_says_so() -> None:
    t = article_date(art(LEAD_27_8))
    assert t is not None and t.value is None and t.earliest is None
    assert t.day == "08-27" and t.note == "Tối 27/8 trong phần mở đầu; chưa rõ năm"
    ev = Event("e1", "Cháy", ["a1"], date=t.value, date_range=(t.earliest, t.latest), day=t.day)
    assert report.format_when(ev) == "27/8, chưa rõ năm"


def test_as_of_gives_the_latest_such_day_up_to_the_crawl() -> None:
    t = article_date(art(LEAD_27_8), as_of=date(2022, 8, 31))
    assert t is not None and t.value == "2022-08-27" and t.day is None
    assert t.note == "Tối 27/8 trong phần mở đầu; năm 2022 theo ngày thu thập (--as-of 31/8/2022)"
    # A crawl in early January reads a late-August day as last year's, never as one to come.
    t = article_date(art(LEAD_27_8), as_of=date(2023, 1, 5))
    assert t is not None and t.value == "2022-08-27"


def test_a_crawl_anchor_of_the_page_works_as_as_of_and_the_earliest_wins() -> None:
    anchors = [
        DateAnchor("crawled", "WARC-Date", "2022-09-02T10:00:00Z"),
        DateAnchor("crawled", "Last-Modified", "2022-08-28T08:00:00+00:00"),
    ]
    t = article_date(art(LEAD_27_8, anchors=anchors), as_of=date(2023, 6, 1))
    assert t is not None and t.value == "2022-08-27"
    assert "Last-Modified 28/8/2022" in t.note
    assert "ngày thu thập 28/8/2022 (Last-Modified)" in t.evidence  # the full reasoning keeps it too


def test_publication_date_wins_over_the_crawl_and_the_note_is_one_line() -> None:
    text = (
        "Ngày 13/4, hai tổng thống đã điện đàm về tình hình an ninh khu vực và hợp tác kinh tế song phương."
    )
    t = article_date(art(text, published="2021-04-14"), as_of=date(2022, 8, 31))
    assert t is not None and t.value == "2021-04-13"
    assert t.note == "Ngày 13/4 trong phần mở đầu; năm 2021 theo ngày đăng"
    assert "\n" not in t.note and len(t.note) < len(t.evidence)


def test_the_note_names_the_anchor_a_publication_date_came_from() -> None:
    a = art(LEAD_27_8, published="2022-08-28", anchors=[DateAnchor("published", "pubDate", "2022-08-28")])
    t = article_date(a)
    assert t is not None and t.note == "Tối 27/8 trong phần mở đầu; năm 2022 theo ngày đăng (pubDate)"
    a.anchors = [DateAnchor("published", "html-meta", "2022-08-28")]
    t = article_date(a)
    assert t is not None and t.note.endswith("theo ngày đăng (thẻ meta của trang)")


def test_the_as_of_closes_running_terms_not_the_machine_calendar() -> None:
    # No year in the text: 'Tổng thống Mỹ Joe Biden' (term 2021-01-20 to 2025-01-20) bounds it; a term
    # still running would end at as_of, and without as_of at the knowledge table's checked day.
    text = "Ngày 30/3, Tổng thống Mỹ Donald Trump phát biểu tại Nhà Trắng về thuế quan với các nước."
    a = article_date(art(text), as_of=date(2025, 6, 1))
    b = article_date(art(text), as_of=date(2026, 6, 1))
    assert a is not None and b is not None
    assert a.value == "2025-03-30"  # the crawl's nearest 30/3 inside the second term
    assert b.value == "2026-03-30"
    c = article_date(art(text))
    assert c is not None and c.latest is not None and c.latest <= "2026-11-23"  # eras.json 'checked'


def test_a_background_full_date_in_the_lead_gives_way_to_the_day_of_the_news() -> None:
    text = (
        "Sáng qua, chiếc máy bay chở 60 hành khách đã gặp nạn khi hạ cánh, gợi lại vụ tai nạn ngày "
        "26/9/2014 tại cùng sân bay này.\nCơ quan chức năng đang điều tra nguyên nhân."
    )
    lead_first = (
        "Vụ tai nạn ngày 26/9/2014 từng khiến sân bay đóng cửa, và sáng 13/11 một máy bay chở 60 hành "
        "khách lại gặp nạn khi hạ cánh tại đây.\nCơ quan chức năng đang điều tra nguyên nhân."
    )
    t = date_event([art(text, published="2016-11-14")])
    assert t is not None and t.value == "2016-11-13"
    t = date_event([art(lead_first, published="2016-11-14")])
    assert t is not None and t.value == "2016-11-13" and t.note.startswith("sáng 13/11 trong phần mở đầu")
    # The recalled date alone in the lead: a week before publication it is the day of the news; two years
    # before, it is background (session 9: the report is not dated 2014), and the event is bounded by
    # its publication date.
    alone = "Vụ tai nạn ngày 26/9/2014 tại sân bay được nhắc lại trong báo cáo an toàn hàng không mới."
    t = date_event([art(alone.replace("2014", "2016"), published="2016-10-01")])
    assert t is not None and t.value == "2016-09-26"
    t = date_event([art(alone, published="2016-11-14")])
    assert t is not None and (t.value, t.latest) == (None, "2016-11-14")


def test_days_listed_with_their_year_in_the_sapo_give_way_to_the_day_of_the_news() -> None:
    # The sapo names what the court's decision is about (an assessment of injuries on days of December
    # 2021); the next sentence opens on the day of the news, without a year (abmusu-train, session 10).
    text = (
        "Hội đồng xét xử quyết định trả hồ sơ vụ án bé gái 8 tuổi bị bạo hành đến tử vong để điều tra bổ "
        "sung, giám định lại thương tích của bé vào các ngày 7, 10, 11 và 12/12/2021.\n"
        "Sáng 21/7, Tòa gia đình và người chưa thành niên TAND TP.HCM đã quyết định trả hồ sơ vụ án cho "
        "Viện KSND TP.HCM để điều tra bổ sung.\nPhiên tòa sơ thẩm đã được mở vào ngày 20/7/2022 tại TAND TP.HCM."
    )
    t = article_date(art(text), as_of=date(2022, 7, 31))
    assert t is not None and t.value == "2022-07-21"
    assert t.note == "Sáng 21/7 trong phần mở đầu; năm 2022 theo ngày thu thập (--as-of 31/7/2022)"
    t = article_date(art(text))  # no anchor: the day of the news, in a year the text's 2022 date allows
    assert t is not None and t.day == "07-21" and t.earliest == "2022-07-21"
    # The listed days alone in the lead are still its date.
    t = article_date(art(text.split("\n")[0]), as_of=date(2022, 7, 31))
    assert t is not None and t.earliest == "2021-12-11" and t.latest == "2021-12-12"


def test_the_note_does_not_carry_a_sentence_opening_capital_into_the_line() -> None:
    # "Năm 2017" opens its sentence; in the line it reads "trước năm 2017" (seed 003 read "trước Năm 2017").
    text = (
        "Ông Vladimir Putin và ông Donald Trump đã có cuộc điện đàm đầu tiên sau bầu cử "
        "về quan hệ hai nước.\nTrước đó, ông Putin cũng đã gửi điện chúc mừng ngay sau khi ông Trump giành "
        "chiến thắng trong cuộc bầu cử tổng thống Mỹ ngày 8/11.\nNăm 2017, Nga và Mỹ sẽ kỷ niệm 210 năm "
        "thiết lập quan hệ ngoại giao."
    )
    t = article_date(art(text))
    assert t is not None and t.note == "phần mở đầu không nêu ngày; sau ngày 8/11; trước năm 2017"
    assert "'Năm 2017'" in t.evidence  # the full reasoning quotes the text as it is
    # A capital inside the words stays: "thứ Hai" (a weekday), not "thứ hai" (an ordinal).
    t = article_date(art(text.replace("Năm 2017, Nga và Mỹ sẽ", "Thứ Hai tuần tới, Nga và Mỹ sẽ")))
    assert t is not None and "trước thứ Hai tuần tới" in t.note


def test_timeline_orders_yearless_days_by_their_day() -> None:
    evs = [
        Event("e1", "Sau", ["a"], day="08-27"),
        Event("e2", "Trước", ["b"], day="08-25"),
        Event("e3", "Không ngày", ["c"]),
    ]
    assert timeline.order_events(evs) == ["e3", "e2", "e1"]


def _clock_calls(path: Path) -> list[str]:
    """Calls that read the machine's calendar: date.today(), datetime.now()/today()/utcnow(), time.time()."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            name = (
                owner.id
                if isinstance(owner, ast.Name)
                else owner.attr
                if isinstance(owner, ast.Attribute)
                else ""
            )
            if (name, node.func.attr) in {
                ("date", "today"),
                ("datetime", "now"),
                ("datetime", "today"),
                ("datetime", "utcnow"),
            }:
                found.append(f"{path.relative_to(SRC)}:{node.lineno}")
    return found


def test_nothing_on_the_digest_path_reads_the_calendar() -> None:
    # Reading the clock for timing or file times is fine (time.time, monotonic); the date a digest
    # says things happened must not depend on the day it runs.
    modules = [
        *sorted((SRC / "dating").glob("*.py")),
        *(
            SRC / m
            for m in ("pipeline.py", "ingest.py", "clean.py", "events.py", "stories.py", "timeline.py")
        ),
        *(SRC / m for m in ("report.py", "features.py", "dedup.py", "api.py", "store.py")),
    ]
    assert [c for p in modules if p.exists() for c in _clock_calls(p)] == []


@pytest.mark.skipif(shutil.which("faketime") is None, reason="faketime (libfaketime) not installed")
def test_same_input_gives_the_same_digest_under_two_clocks(tmp_path: Path) -> None:
    # A running term (Trump's second) used to end on the machine's today: the digest changed with the
    # day it ran. Two real clocks (libfaketime), no --as-of: the same digest.json.
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Cháy kho hàng\n" + LEAD_27_8 + "\n", encoding="utf-8")
    trump = "Ngày 30/3, Tổng thống Mỹ Donald Trump phát biểu tại Nhà Trắng về thuế quan với các nước."
    (tmp_path / "in" / "b.txt").write_text("Thuế quan\n" + trump + "\n", encoding="utf-8")
    outs: dict[str, list[dict[str, object]]] = {}
    for as_of in ([], ["--as-of", "2022-08-31"]):  # and the same with the batch's as-of date
        for clock in ("2026-12-01 12:00:00", "2031-07-01 12:00:00"):
            out = tmp_path / f"{clock[:4]}{len(as_of)}"
            cmd = ["faketime", clock, sys.executable, "-m", "diemtin", "digest", str(tmp_path / "in"), *as_of]
            subprocess.run([*cmd, "-o", str(out), "-q"], check=True, capture_output=True, timeout=600)
            outs.setdefault(" ".join(as_of), []).append(
                json.loads((out / "digest.json").read_text(encoding="utf-8"))
            )
    plain, crawled = outs[""], outs["--as-of 2022-08-31"]
    assert plain[0] == plain[1] and crawled[0] == crawled[1]
    days = sorted((e["day"], e["date_range"][1]) for e in plain[0]["events"])  # type: ignore[index]
    # Trump's running term ends on eras.json's checked day (2026-11-23), whatever the clock says.
    assert days == [("03-30", "2026-03-30"), ("08-27", None)]
    # With the as-of: 27/8 is 27/8/2022, and 30/3 a day of Trump's first term (2017-2020; his second
    # began after the crawl), its year open — whatever the clock says.
    events = sorted((str(e["date"]), e["date_range"], e["day"]) for e in crawled[0]["events"])  # type: ignore[index]
    assert events == [
        ("2022-08-27", ["2022-08-27", "2022-08-27"], None),
        ("None", ["2017-03-30", "2020-03-30"], "03-30"),
    ]


def test_digest_from_a_store_refuses_an_as_of_and_says_where_it_goes(tmp_path: Path) -> None:
    """A store keeps each batch's as-of with its articles (dates fixed at ingest): ``digest --db
    --as-of`` says so and exits 2 rather than silently ignoring the date; the ingest's as-of is what
    the store's events use."""
    from typer.testing import CliRunner

    from diemtin import store
    from diemtin.cli import app

    src = tmp_path / "in"
    src.mkdir()
    (src / "chay.txt").write_text(
        "Cháy xưởng gỗ ở Bình Dương\n\nTối 27/8, một vụ cháy lớn đã bùng phát tại xưởng gỗ của một công"
        " ty ở thị xã Tân Uyên, tỉnh Bình Dương, thiêu rụi hàng nghìn mét vuông nhà xưởng và máy móc.\n",
        encoding="utf-8",
    )
    db = tmp_path / "news.db"
    store.ingest(db, [str(src)], pipeline.Options(as_of=date(2022, 8, 31)))
    res = CliRunner().invoke(
        app, ["digest", "--db", str(db), "--as-of", "2023-01-05", "-o", str(tmp_path / "o")]
    )
    assert res.exit_code == 2
    flat = " ".join(res.output.split())
    assert "--as-of" in flat and "diemtin ingest" in flat
    assert not (tmp_path / "o").exists()
    res = CliRunner().invoke(app, ["digest", "--db", str(db), "-o", str(tmp_path / "o")])
    assert res.exit_code == 0, res.output
    (ev,) = store.read_digest(db).events
    assert ev.date == "2022-08-27"  # the ingest's as-of, kept in the store


def test_grouping_fallback_dates_with_the_batch_as_of() -> None:
    """``group_events`` without the pipeline's dates dates articles itself (``features.event_date``):
    with the batch's as-of, "Tối 27/8" is the 27/8 before the crawl, as the pipeline reads it."""
    from diemtin import features

    art = Article(
        "a1",
        "chay.txt",
        "Cháy xưởng gỗ ở Bình Dương",
        "Tối 27/8, một vụ cháy lớn đã bùng phát tại xưởng gỗ của một công ty ở thị xã Tân Uyên, tỉnh Bình"
        " Dương, thiêu rụi hàng nghìn mét vuông nhà xưởng và máy móc.",
    )
    span, day = features.event_date(art, date(2022, 8, 31))
    assert span == (date(2022, 8, 27), date(2022, 8, 27)) and day == (27, 8)
    span, day = features.event_date(art)
    assert span is None and day == (27, 8)  # no year anywhere: the day stays open


def test_a_birth_date_neither_dates_nor_bounds_an_anniversary_report() -> None:
    """ "sinh ngày 9-7-1912" in the lead of a 2022 anniversary piece is an origin, not the news: the
    event is not dated 1912, and its range does not open in 1912 (a story spanning 110 years)."""
    a = Article(
        "k1",
        "k1.txt",
        "Kỷ niệm 110 năm ngày sinh nhà cách mạng Trần Văn Minh (9-7-1912 - 9-7-2022)",
        "Nhà cách mạng Trần Văn Minh sinh ngày 9-7-1912 tại làng Phú Thọ, huyện Châu Thành, tỉnh Tiền Giang, "
        "trong một gia đình nông dân nghèo giàu lòng yêu nước.\nÔng tham gia hoạt động cách mạng từ năm 17 "
        "tuổi và nhiều lần bị thực dân Pháp bắt giam, tra tấn nhưng vẫn giữ vững khí tiết.",
    )
    t = article_date(a, date(2022, 7, 31))
    assert t is None or t.value is None or not t.value.startswith("1912")
    assert t is None or t.earliest is None or t.earliest >= "2022-01-01"
    # A birth date with nothing else in the text still does not bound the report from below.
    a.title = "Nhà cách mạng Trần Văn Minh"
    t = article_date(a, date(2022, 7, 31))
    assert t is None or t.earliest is None or t.earliest > "1913"


def test_a_plans_horizon_does_not_bound_the_event() -> None:
    """ "Từ năm 2031 trở đi sẽ ...", "đến năm 2030" are a plan's start and horizon: without any other
    anchor the event stays open above instead of ending on 31/12/2031."""
    text = (
        "Đề án xây dựng trung tâm tài chính quốc tế tại TP.HCM đang được các chuyên gia góp ý để hoàn "
        "thiện trước khi trình lên Chính phủ xem xét.\nTheo lộ trình, từ nay đến năm 2030 thành phố tập "
        "trung xây dựng hạ tầng và khung pháp lý cho trung tâm.\nTừ năm 2031 trở đi, trung tâm sẽ hướng tới "
        "trở thành một trung tâm tài chính có tầm ảnh hưởng trong khu vực."
    )
    t = article_date(Article("p1", "p1.txt", "Lộ trình trung tâm tài chính", text))
    assert t is None or t.latest is None or t.latest < "2030"
    # A forecast for a named year still bounds it (session 6): made before that year ends.
    fc = (
        "Ngân hàng Thế giới vừa công bố báo cáo cập nhật tình hình kinh tế, trong đó nhận định tăng trưởng "
        "kinh tế Việt Nam năm 2022 dự kiến đạt 7,5% nhờ xuất khẩu và tiêu dùng phục hồi mạnh."
    )
    t = article_date(Article("p2", "p2.txt", "Dự báo tăng trưởng", fc))
    assert t is not None and t.latest == "2022-12-31"


def test_a_date_after_publication_is_a_plan_not_the_news() -> None:
    """The only day in the lead is after publication ("từ ngày 8/1/2014 ... sẽ"): what is reported is the
    announcement, by the publication date; the plan's day bounds it, it is not the event's date."""
    text = (
        "Yahoo vừa thông báo, từ ngày 8/1/2014, toàn bộ người dùng dịch vụ thư điện tử Yahoo Mail sẽ được "
        "chuyển sang kết nối mã hóa HTTPS để bảo vệ thư khỏi bị đánh cắp.\nĐây là chuẩn bảo mật mà nhiều "
        "dịch vụ thư khác đã áp dụng từ lâu."
    )
    t = date_event([art(text, published="2013-10-15")])
    assert t is not None and t.value != "2014-01-08"
    assert t.latest is not None and t.latest <= "2013-10-15"
    # With a crawl date only, a day after the crawl is likewise a plan ("từ ngày 1-8", crawled 31/7).
    t2 = (
        "Trung tâm Lưu ký Chứng khoán đang lấy ý kiến phương án rút ngắn thời gian thanh toán giao dịch "
        "chứng khoán từ T+3 xuống T+2, áp dụng từ ngày 1-8.\nNhiều nhà đầu tư đã chờ đợi thay đổi này."
    )
    t = date_event([art(t2)], as_of=date(2022, 7, 31))
    assert t is None or t.value != "2022-08-01"
    assert t is None or t.latest is None or t.latest <= "2022-07-31"


def test_days_take_the_year_of_their_month_named_in_the_sentence() -> None:
    """ "từ đầu tháng 11/2013 ... Lai Châu (ngày 9/11)": the days are of November 2013, even read against a
    1/11/2013 publication whose past bias would have put 9/11 in 2012."""
    from diemtin.dating import extract_dates

    s = (
        "Từ đầu tháng 11/2013, nhà mạng đã tiếp tục triển khai chương trình khám bệnh miễn phí tại ba tỉnh "
        "miền núi: Hà Giang (ngày 2/11), Lai Châu (ngày 9/11) và Điện Biên (ngày 16/11)."
    )
    got = {t.text: t.value for t in extract_dates(s, "2013-11-01")}
    assert got["ngày 9/11"] == "2013-11-09" and got["ngày 16/11"] == "2013-11-16"


def test_a_glossed_relative_day_gives_the_day_of_writing() -> None:
    """ "Yahoo hôm nay đã ..." says no day by itself without a publication date; "ngày hôm nay, 9/10"
    further on glosses it, so the text was written on 9/10 and the lead's "hôm nay" is that day."""
    text = (
        "Yahoo hôm nay đã bắt đầu tung ra giao diện thiết kế lại cho ứng dụng Mail trên nền web và các "
        "thiết bị di động.\nHòm thư mới cũng đi kèm với nhiều tính năng cải tiến đáng chú ý.\nKể từ ngày "
        "hôm nay, 9/10, người dùng sẽ được cung cấp một loạt chủ đề để cài làm phông nền cho hộp thư."
    )
    t = date_event([art(text)], as_of=date(2013, 10, 31))
    assert t is not None and t.value == "2013-10-09"
    # "hôm qua (8/10)" glosses the day before: written on 9/10 again; the lead's "hôm qua" is 8/10.
    text2 = (
        "Hãng Yahoo hôm qua đã công bố logo mới sau 30 ngày thực hiện chiến dịch bình chọn trên mạng.\n"
        "Logo mới vẫn giữ màu tím quen thuộc nhưng kiểu chữ mảnh và khỏe khoắn hơn.\nTheo thông báo phát "
        "đi tối hôm qua (8/10), logo sẽ xuất hiện trên mọi sản phẩm của hãng từ tuần tới."
    )
    t = date_event([art(text2)], as_of=date(2013, 10, 31))
    assert t is not None and t.value == "2013-10-08"
    # Without the gloss the day stays unknown (no publication date to count from).
    t = date_event([art(text2.split("\nTheo")[0])], as_of=date(2013, 10, 31))
    assert t is None or t.value is None or len(t.value) < 10


def test_the_day_of_the_news_in_the_body_when_the_lead_has_none() -> None:
    """A feature-style lead with no day, then "lên kệ vào ngày 22/10" in the body: that is the day of
    the news. A full date there ("từ ngày 01/01/2015, Luật ...") is recalled, not taken."""
    text = (
        "Cuốn tự truyện mới của cựu huấn luyện viên Alex Ferguson kể về những thăng trầm trong 26 năm dẫn "
        "dắt Manchester United.\nRời xa sân cỏ, ông đã có thời gian để hoàn tất cuốn sách mà nhiều người "
        "hâm mộ chờ đợi từ lâu.\nCuốn sách đã chính thức lên kệ vào ngày 22/10 với giá 25 bảng Anh."
    )
    t = date_event([art(text)], as_of=date(2013, 10, 31))
    assert t is not None and t.value == "2013-10-22"
    assert t.note.startswith("ngày 22/10 trong thân bài")
    recalled = (
        "Nhiều hộ gia đình vẫn chưa nắm rõ quy định về tham gia bảo hiểm y tế theo hộ gia đình hiện nay.\n"
        "Bảo hiểm xã hội tỉnh đã tổ chức nhiều buổi tuyên truyền tại các xã vùng sâu vùng xa.\nTừ ngày "
        "01/01/2015, Luật Bảo hiểm y tế sửa đổi quy định người dân tham gia theo hộ gia đình."
    )
    t = date_event([art(recalled)], as_of=date(2022, 7, 31))
    assert t is None or t.value != "2015-01-01"


CRAWL = date(2022, 7, 31)


def test_a_crawl_date_is_not_overruled_by_the_habit_that_a_text_is_at_most_a_year_old() -> None:
    # The text's only full dates are of 2020 (a baseline price): without the crawl date it would be read
    # as written in 2020 or 2021, and was dated 17/6/2020 in a crawl of 31/7/2022, evidence "theo ngày
    # thu thập". A full date of another day in the sentence does not give its year to "ngày 17/6".
    text = (
        "Chứng khoán tiếp tục lao dốc trong phiên giao dịch cuối tuần, nhiều nhà đầu tư bán tháo cổ phiếu.\n"
        "Theo dữ liệu từ FiinPro trên 3 sàn giao dịch HoSE, HNX và UPCoM, tính đến ngày 17/6, có đến 258 "
        "mã cổ phiếu giảm giá xuống dưới mức giá ngày 24/3/2020 - phiên thị trường tạo đáy với VN-Index ở "
        "mức 659,2 điểm."
    )
    t = article_date(art(text), as_of=CRAWL)
    assert t is not None and t.value == "2022-06-17"
    assert t.note == "ngày 17/6 trong phần mở đầu; năm 2022 theo ngày thu thập (--as-of 31/7/2022)"
    assert "nên bài viết từ năm 2020" in t.evidence
    # Without a crawl date the habit stays: the text says nothing of 2022.
    t = article_date(art(text))
    assert t is not None and (t.earliest or "")[:4] == "2020"


def test_under_a_crawl_date_the_note_says_when_the_text_gave_the_year() -> None:
    # A weekday the crawl's year does not fit: 13/4/2022 was a Wednesday, 13/4/2020 a Monday (and
    # "Covid-19" bounds the text from 11/2/2020). The year is the text's, and the note says so.
    text = (
        "Thứ Hai (13/4), Bộ Y tế công bố thêm 2 ca mắc Covid-19 mới, đều là người nhập cảnh đã được cách ly "
        "ngay sau khi về nước.\nCả hai bệnh nhân đang được điều trị tại Bệnh viện Bệnh Nhiệt đới Trung ương."
    )
    t = article_date(art(text), as_of=CRAWL)
    assert t is not None and t.value == "2020-04-13"
    assert t.note == "Thứ Hai (13/4) trong phần mở đầu; năm 2020 theo thứ nêu trong bài"
    # A month named with its year in the sentence ties its days to that year, whatever the crawl.
    text = (
        "Từ đầu tháng 11/2013, không khí lạnh tràn về khiến nhiều tỉnh miền núi phía Bắc có băng giá, "
        "Hà Giang (ngày 2/11) và Lai Châu (ngày 9/11) ghi nhận nhiệt độ dưới 5 độ C.\n"
        "Ngành nông nghiệp khuyến cáo người dân che chắn chuồng trại cho gia súc."
    )
    t = article_date(art(text), as_of=CRAWL)
    assert t is not None and t.value == "2013-11-02"
    assert t.note == "ngày 2/11 trong phần mở đầu; năm 2013 theo tháng nêu trong cùng câu"


def test_a_day_recalled_years_before_the_crawl_does_not_bound_the_news() -> None:
    # "sau 1/1/2017 ... không muộn hơn 31/7/2022" read as a five-year range, and its one-event story
    # as "2017-01-01 – 2022-07-31".
    text = (
        "Viettel tiếp tục được vinh danh ở tất cả các hạng mục của chương trình bình chọn Top Công nghiệp "
        "4.0 Việt Nam, khẳng định vị thế doanh nghiệp công nghệ hàng đầu.\n"
        "Tập đoàn giành giải ở cả năm hạng mục, trong đó có hạng mục doanh nghiệp chuyển đổi số tiêu biểu.\n"
        "Chương trình do Hội Truyền thông số Việt Nam tổ chức thường niên, được khởi động từ ngày 1/1/2017 "
        "với mục tiêu tôn vinh các doanh nghiệp chuyển đổi số thành công.\n"
        "Năm 2022, ban tổ chức nhận được hơn 300 hồ sơ tham dự từ các doanh nghiệp trong nước."
    )
    t = article_date(art(text), as_of=CRAWL)
    assert t is not None and (t.earliest, t.latest, t.value) == (None, "2022-07-31", None)
    assert "2017" not in t.note and "không làm mốc" in t.evidence
    ev = Event("e1", "Viettel", ["a1"], date=t.value, date_range=(t.earliest, t.latest))
    assert report.format_when(ev) == "≤ 2022-07-31"


def test_a_relative_day_with_the_day_of_writing_unknown_says_so_under_a_crawl() -> None:
    # "thứ Năm" in the lead counts from a day of writing that the crawl bounds but does not give.
    text = (
        "Hôm thứ Năm, Ngân hàng Trung ương châu Âu lần đầu tiên tăng lãi suất sau 11 năm, mức tăng 0,5 điểm "
        "phần trăm, cao hơn dự báo của giới phân tích.\nLạm phát ở khu vực đồng euro đã lên mức kỷ lục sau "
        "đại dịch Covid-19."
    )
    t = article_date(art(text), as_of=CRAWL)
    # Between the day "Covid-19" was named and the crawl: not a day counted from the crawl date, and
    # bounded by its latest reading only (its earliest, in February 2020, said nothing).
    assert t is not None and (t.value, t.earliest, t.latest) == (None, None, "2022-07-28")
    assert t.note.endswith("chưa rõ ngày viết bài, không muộn hơn ngày thu thập (--as-of 31/7/2022)")
    assert "tính từ" not in t.note


def test_a_past_part_of_a_year_the_text_speaks_of_gives_its_year() -> None:
    # "Trong 6 tháng đầu năm 2022, ... đã" is a period gone by: the text is of 2022 at the earliest, even
    # though its latest full date (tháng 3-2021, a comparison) is of 2021 and "đầu năm nay" matches it.
    text = (
        "Trong 6 tháng đầu năm 2022, lãi suất cơ bản đã được điều chỉnh tăng 80 lần trên toàn thế giới. "
        "Chuỗi 80 lần nâng lãi suất trong nửa đầu năm nay nhiều gấp 7 lần so với cùng kỳ năm 2021.\n"
        "Brazil đã nâng lãi suất 10 lần trong 1 năm qua và lãi suất hiện ở mức 12,75% so với mức 2% vào "
        "tháng 3-2021.\nNgày 16-6, Ngân hàng Quốc gia Thụy Sĩ (SNB) và Ngân hàng Trung ương Anh (BOE) đồng "
        "loạt nâng lãi suất."
    )
    for as_of in (None, CRAWL):
        t = article_date(art(text), as_of=as_of)
        assert t is not None and t.value == "2022-06-16", as_of


def test_a_full_date_years_before_the_text_is_not_the_day_of_the_news() -> None:
    # The lead's only day is a programme's start, five years before the crawl and the year the text
    # speaks from (and a crash two years before publication): recalled, not what is reported.
    text = (
        "Viettel tiếp tục được vinh danh ở tất cả các hạng mục của chương trình bình chọn Top Công nghiệp "
        "4.0 Việt Nam. Chương trình do Hội Truyền thông số Việt Nam tổ chức thường niên, được khởi động từ "
        "ngày 1/1/2017 với mục tiêu tôn vinh các doanh nghiệp chuyển đổi số thành công. Năm 2022, ban tổ "
        "chức nhận được hơn 300 hồ sơ tham dự."
    )
    t = article_date(art(text), as_of=CRAWL)
    assert t is not None and t.value is None and t.latest == "2022-07-31"
    crash = (
        "Gia đình các nạn nhân trong vụ rơi máy bay ngày 26/9/2014 tiếp tục yêu cầu hãng hàng không bồi "
        "thường thêm. Luật sư của các gia đình cho biết hồ sơ khởi kiện đã được nộp lên tòa án."
    )
    t = article_date(art(crash, published="2016-11-14"))
    assert t is not None and t.value is None and t.latest == "2016-11-14"
    # Within a year it is still the day: a report of 20/7/2022 read on 31/7/2022.
    t = article_date(art(crash.replace("26/9/2014", "20/7/2022")), as_of=CRAWL)
    assert t is not None and t.value == "2022-07-20"


def test_a_relative_day_ahead_bounds_the_event_by_its_latest_reading_only() -> None:
    # Read over the years the text may be of (from the day "Covid-19" was named to the crawl), "cuối
    # tuần" looked ahead to may be any weekend of them: only the latest bounds the event. Its earliest
    # put a page of a 2022 crawl "trước 15/2/2020".
    text = (
        "Sau hai năm đại dịch Covid-19, nhiều gia đình ở TP.HCM vẫn gói ghém chi tiêu, cắt giảm các khoản "
        "mua sắm không thiết yếu và ưu tiên tiết kiệm.\nCác chuyên gia cho rằng giá xăng dầu sẽ tiếp tục "
        "được điều chỉnh vào cuối tuần, gây thêm áp lực lên chi phí sinh hoạt."
    )
    t = article_date(art(text), as_of=CRAWL)
    assert t is not None and (t.latest or "") >= "2022-07-01", t


def test_a_fraction_after_qua_is_not_a_day() -> None:
    # "đã trải qua 1/2 chặng đường" (half the season) was read as a day glossed "qua" (yesterday) and made
    # the page's day of writing 2/2/2022, so "tối 14/7" of VBA 2022 became 14/7/2021.
    text = (
        "Tại VBA 2022, Danang Dragons chưa hề biết đến mùi chiến thắng sau 6 trận đấu. Cuộc đối đầu với Ho Chi "
        "Minh City Wings vào tối 14/7 những tưởng đã giúp đội bóng phá dớp.\nSẽ khó có chuyện thay tướng giữa "
        "dòng, nhất là khi họ đã trải qua 1/2 chặng đường của VBA 2022."
    )
    assert [e.text for e in extract_dates(text) if e.text.endswith("1/2")] == []
    t = article_date(art(text), as_of=CRAWL)
    assert t is not None and t.value == "2022-07-14"


def test_the_nearer_tense_cue_decides_whether_a_period_is_looked_ahead_to() -> None:
    # "đã trôi qua" follows the period, "kế hoạch" (a plan's share, a noun here) is far: the first half of
    # 2022 is behind the text, which was read "trước 30/4/2022" in a crawl of 31/7/2022.
    text = (
        "Nửa đầu năm 2022 đã trôi qua nhưng đầu tư công mới giải ngân được hơn 27% kế hoạch được giao.\n"
        "Trong báo cáo gửi Quốc hội, Bộ trưởng Kế hoạch và Đầu tư đã nêu nhiều nguyên nhân của việc chậm "
        "giải ngân."
    )
    t = article_date(art(text), as_of=CRAWL)
    assert t is not None and t.latest == "2022-07-31"


def test_a_month_looked_ahead_to_is_after_the_crawl_not_a_year_before() -> None:
    # "tháng 9 tới" in a crawl of 31/7/2022 is September 2022: walking back into the periods the text's
    # own date lies in (Covid-19 named 11/2/2020 ... the crawl) made it September 2021, and the event
    # "≤ 31/8/2021". The year the text speaks from ("năm 2022") and the crawl give its year.
    text = (
        "Đưa ra những giải pháp dài hạn và ngắn hạn để thu hút khách quốc tế năm 2022 là yêu cầu cấp bách "
        "với ngành du lịch sau hai năm đại dịch Covid-19.\nTổng cục Du lịch cho biết sẽ tổ chức chương "
        "trình giới thiệu du lịch Việt Nam tại Nhật Bản vào tháng 9 tới."
    )
    t = article_date(art(text), as_of=CRAWL)
    assert t is not None and t.latest == "2022-07-31"


def test_a_plans_share_reached_is_not_a_look_ahead() -> None:
    # "Bộ Kế hoạch và Đầu tư" is a ministry and "đạt 27,86% kế hoạch" a target reached: the count "đến ngày
    # 30/6/2022" is behind the report (it bounded a report written in July by 29/6/2022).
    text = (
        "Nửa đầu năm 2022 đã trôi qua nhưng đầu tư công vẫn chậm giải ngân, nhiều dự án lớn chưa được triển "
        "khai.\nBộ trưởng Kế hoạch và Đầu tư đã giải trình trước Ủy ban Thường vụ Quốc hội về nguyên nhân.\n"
        "Theo báo cáo của Bộ Kế hoạch và Đầu tư về tình hình giải ngân vốn đầu tư, 6 tháng năm 2022, ước "
        "thanh toán đến ngày 30/6/2022 là 151 nghìn tỷ đồng, đạt 27,86% kế hoạch Thủ tướng Chính phủ giao."
    )
    t = article_date(art(text), as_of=CRAWL)
    assert t is not None and (t.earliest, t.latest) == ("2022-06-30", "2022-07-31")
    # A plan still looks ahead: "sẽ hoàn thành vào ngày 30/6/2022" bounds a page of the same crawl.
    plan = text.replace("ước thanh toán đến ngày 30/6/2022 là", "dự án sẽ hoàn thành vào ngày 30/6/2022, với")
    t = article_date(art(plan), as_of=CRAWL)
    assert t is not None and t.latest == "2022-06-29"


def test_a_relative_day_read_over_a_year_is_no_lower_bound() -> None:
    # "trưa hôm qua" counted from a day of writing known only to be in 2022 (up to the crawl) said
    # "2021-12-31 – 2022-07-30": the page's own date says as much, and the event reads "≤ 2022-07-30".
    text = (
        "Bão giá năm 2022 đánh thẳng vào ví tiền của các gia đình, nhiều chị em nội trợ phải thắt lưng buộc "
        "bụng, cắt giảm chi tiêu.\nNhiều người cho biết từ trưa hôm qua giá thịt lợn ở chợ lại tăng thêm."
    )
    t = article_date(art(text), as_of=CRAWL)
    assert t is not None and (t.earliest, t.latest) == (None, "2022-07-30")


def test_an_archive_page_crawled_years_later_keeps_the_day_and_year_it_speaks_from() -> None:
    # A crawl date says only that the page existed by then. The seeds given --as-of their crawl day in
    # 2026 lost "ngày 14/11/2016" as "recalled" (a 2016 call then merged into a 2020 one), and "dự định
    # điện đàm vào ngày 12/2" of a 2022 page was looked ahead to February 2027.
    old = (
        "Ngày 14/11/2016, Tổng thống Nga Vladimir Putin đã có cuộc điện đàm đầu tiên với Tổng thống Mỹ "
        "đắc cử Donald Trump, hai bên nhất trí bình thường hóa quan hệ.\n"
        "Hai nhà lãnh đạo cũng thảo luận về cuộc xung đột tại Syria và cuộc chiến chống khủng bố."
    )
    t = article_date(art(old), as_of=date(2026, 12, 2))
    assert t is not None and t.value == "2016-11-14"
    ahead = (
        "Theo phóng viên TTXVN tại Nga, ngày 11/2, Thư ký báo chí của Tổng thống Nga cho hay hai Tổng thống "
        "dự định tiến hành cuộc điện đàm vào ngày 12/2, theo sáng kiến của phía Mỹ.\n"
        "Cuộc điện đàm gần đây nhất giữa hai Tổng thống diễn ra vào cuối năm ngoái.\n"
        "Trước đó, ngày 7/12/2021, hai Tổng thống cũng có cuộc đàm phán thông qua cầu truyền hình."
    )
    t = article_date(art(ahead), as_of=date(2026, 12, 2))
    assert t is not None and t.value is not None and t.value.startswith("2022-02-1")


def test_several_years_the_text_allows_before_the_crawl_leave_the_year_open() -> None:
    # The seeds given --as-of 2026-12-02 read "Ngày 13/4" next to "Tổng thống Mỹ Joe Biden" (in office
    # 20/1/2021 - 20/1/2025) as 13/4/2024, the latest the text allows, and said "năm 2024 theo căn cứ
    # trong bài" as though the text had given it. The text rules out the crawl's year, so the crawl says
    # nothing more than "by then": any of 2021-2024, as without a crawl date.
    text = (
        "VOV.VN - Ngày 13/4, Điện Kremlin cho biết, theo sáng kiến của phía Mỹ, Tổng thống Nga Vladimir "
        "Putin đã có cuộc điện đàm với Tổng thống Mỹ Joe Biden.\n"
        "Hai bên đã thảo luận về tình hình ở miền Đông Ukraine và vấn đề kiểm soát vũ khí chiến lược."
    )
    t = article_date(art(text), as_of=date(2026, 12, 2))
    assert t is not None and t.value is None and t.day == "04-13"
    assert (t.earliest, t.latest) == ("2021-04-13", "2024-04-13")
    assert t.note == "Ngày 13/4 trong phần mở đầu; chưa rõ năm (có thể 2021–2024, theo căn cứ trong bài)"
    # One year left by the text is the text's, not a guess (a weekday: 13/4/2020 was a Monday).
    monday = (
        "Thứ Hai (13/4), Bộ Y tế công bố thêm 2 ca mắc Covid-19 mới, đều là người nhập cảnh đã được cách ly "
        "ngay sau khi về nước.\nCả hai bệnh nhân đang được điều trị tại Bệnh viện Bệnh Nhiệt đới Trung ương."
    )
    t = article_date(art(monday), as_of=CRAWL)
    assert t is not None and t.note == "Thứ Hai (13/4) trong phần mở đầu; năm 2020 theo thứ nêu trong bài"


def test_a_plan_acted_on_is_no_look_ahead() -> None:
    # "Thực hiện kế hoạch phá án, ngày 13/5, ..." is a plan carried out on 13/5, not a day looked ahead
    # to: read as one ("kế hoạch" is a future cue), the body's day of the news was passed over (abmusu).
    text = (
        "Thời gian qua, tình hình tội phạm ma túy qua đường hàng không, bưu điện diễn biến phức tạp.\n"
        "Các đối tượng lợi dụng hình thức chuyển phát nhanh để gửi hàng hóa có cất giấu ma túy về Việt Nam.\n"
        "Thực hiện kế hoạch phá án, ngày 13/5, tại Đà Nẵng, Cục Cảnh sát điều tra tội phạm ma túy bắt quả "
        "tang Trần Viết Tuyền đang nhận kiện hàng chứa 3kg ma túy tổng hợp."
    )
    t = article_date(art(text), as_of=CRAWL)
    assert t is not None and t.value == "2022-05-13"
    # "Bộ ... ban hành kế hoạch": the day the plan was issued is the news, a lower bound of the report.
    issued = (
        "Nhiều trường phổ thông đang phải sắp xếp lại thời khóa biểu cho năm học mới sắp tới.\n"
        "Các giáo viên cho biết việc thay đổi cần thêm thời gian để chuẩn bị tài liệu và bài giảng.\n"
        "Thực hiện Nghị quyết số 63/2022/QH15 ngày 16-6-2022 của Quốc hội, ngày 11-7-2022, Bộ Giáo dục và "
        "Đào tạo ban hành kế hoạch thực hiện điều chỉnh chương trình môn Lịch sử."
    )
    t = article_date(art(issued), as_of=CRAWL)
    assert t is not None and t.earliest == "2022-07-11" and t.latest == "2022-07-31"


def test_a_decimal_point_does_not_end_the_clause_of_a_tense_cue() -> None:
    # "Dự kiến, hội nghị kéo dài 1.5 ngày, khai mạc ngày 3/9": the clause used to end at "1." and lose
    # its "Dự kiến", so a day of September read in April was last September's.
    text = "Dự kiến, hội nghị kéo dài 1.5 ngày, khai mạc ngày 3/9 tại Trung tâm Hội nghị Quốc gia."
    (t,) = [x for x in extract_dates(text, "2022-04-01") if "3/9" in x.text]
    assert t.value == "2022-09-03"
    # A year compared against ("so năm 2021", without "với") is behind a forecast, now that the clause
    # runs past "60.000" to the forecast's "dự kiến" (looked ahead to, it bounded a 2022 report by 2021).
    text = "Sản lượng vải toàn tỉnh Hải Dương dự kiến đạt trên 60.000 tấn, tăng 5.000 tấn so năm 2021."
    (men,) = _scan(text)
    assert men.text == "năm 2021" and not men.future


def test_a_meeting_opening_the_lead_is_where_the_news_was_said_unless_named_as_earlier() -> None:
    # Every "Tại cuộc ..." sentence was background (seed 001's "Tại cuộc điện đàm đầu tiên hôm 28/1", in a
    # report of the third call): a press conference's day, the news of the lead, was passed over (abmusu).
    text = (
        "Tại cuộc họp báo thường kỳ Bộ Ngoại giao chiều 21.7, Phó Phát ngôn viên Phạm Thu Hằng nhấn mạnh, "
        "Việt Nam kiên quyết phản đối mọi hành động vi phạm chủ quyền đối với quần đảo Hoàng Sa.\n"
        "Trước đó, trong cuộc họp báo ngày 23.6, Người phát ngôn đã nêu phản ứng của Việt Nam."
    )
    t = article_date(art(text), as_of=CRAWL)
    assert t is not None and t.value == "2022-07-21"
    earlier = (
        "Tại cuộc điện đàm đầu tiên hôm 28/1, Tổng thống Mỹ và người đồng cấp Nga đã thảo luận cuộc chiến "
        "chống khủng bố, diễn biến tại Syria và Ukraine.\n"
        "Hai nhà lãnh đạo nhất trí duy trì liên lạc thường xuyên trong thời gian tới."
    )
    t = article_date(art(earlier), as_of=CRAWL)
    assert t is None or t.value != "2022-01-28"
