import re
from pathlib import Path

import pytest

from diemtin.models import Article, Digest, Event, RemovedLine, Story, SummarySentence
from diemtin.report import format_when, render_html, render_markdown


def _digest(text: str = "Hai bên điện đàm.") -> Digest:
    art = Article(
        id="a1",
        path="x.txt",
        title="Tổng thống Nga điện đàm <b>bold</b>",
        text=text,
        source="VOV.VN",
        removed=[RemovedLine("Tin liên quan <img src=x onerror=alert(1)>", "related-block")],
    )
    ev = Event(
        id="e1",
        title=art.title,
        articles=["a1"],
        date=None,
        date_range=("2017-03-30", "2020-03-30"),
        date_evidence="ngày 30/3",
        summary=[SummarySentence(text, "a1")],
        sources=["VOV.VN"],
    )
    return Digest(articles=[art], events=[ev], stories=[Story("s1", "Nga – Mỹ", ["e1"])], timeline=["e1"])


def test_format_when_is_honest_about_ranges() -> None:
    ev = Event(id="e", title="t", articles=[])
    assert format_when(ev) == "chưa rõ ngày"
    ev.date = "2022-02-12"
    ev.date_range = ("2022-02-12", "2022-02-12")
    assert format_when(ev) == "2022-02-12"
    ev.date = None
    ev.date_range = ("2017-03-30", "2020-03-30")
    assert format_when(ev) == "2017-03-30 – 2020-03-30"


def test_html_is_self_contained_and_escapes_article_text() -> None:
    html = render_html(_digest('<script>window.pwned=1</script><a href="javascript:alert(1)">x</a>'))
    assert "<script>" not in html
    assert 'href="javascript:' not in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    # Opens offline: no external stylesheet, script, font or image.
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert '<meta charset="utf-8">' in html and 'lang="vi"' in html
    assert "<svg" in html  # the visual timeline


def test_markdown_lists_story_events_summary_and_sources() -> None:
    md = render_markdown(_digest())
    assert "## Nga – Mỹ" in md
    assert "### 2017-03-30 – 2020-03-30 — Tổng thống Nga điện đàm" in md
    assert "- Hai bên điện đàm." in md
    assert "Nguồn: VOV.VN" in md
    assert "Căn cứ ngày: “ngày 30/3”" in md


def test_an_event_without_a_named_outlet_says_so() -> None:
    d = _digest()
    d.articles[0].source = None
    d.events[0].sources = []
    md, html = render_markdown(d), render_html(d)
    # The line is there, saying the outlet is unknown, rather than missing (as if overlooked).
    assert "Nguồn: không rõ" in md
    assert re.search(r'<div class="sources">Nguồn: không rõ', html)


def test_timeline_labels_stay_inside_the_drawing(tmp_path: Path) -> None:
    # In a real browser: every date label of the SVG timeline lies within the SVG, the long ranges at
    # the two ends included ("2016 (2016-11-08 – 2016-12-31)" was cut at the left edge).
    from .test_web_browser import ARGS, CHROMIUM

    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium missing (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    whens = [
        ("2016-11-08", "2016-12-31", "2016"),
        ("2017-04-03", "2026-06-30", None),
        ("2020-03-30", "2026-03-30", None),
        ("2021-04-13", "2024-04-13", None),
        ("2022-02-12", "2022-02-12", "2022-02-12"),
    ]
    evs = [
        Event(id=f"e{i}", title=f"Cuộc điện đàm {i}", articles=["a1"], date=d, date_range=(lo, hi))
        for i, (lo, hi, d) in enumerate(whens)
    ]
    d = _digest()
    d.events = evs
    d.stories = [Story("s1", "Nga – Mỹ", [e.id for e in evs])]
    d.timeline = [e.id for e in evs]
    page_file = tmp_path / "digest.html"
    page_file.write_text(render_html(d), encoding="utf-8")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        pg = browser.new_page(viewport={"width": 1000, "height": 800})
        pg.goto(page_file.as_uri())
        svg = pg.locator("svg").first.bounding_box()
        boxes = [t.bounding_box() for t in pg.locator("svg text").all()]
        browser.close()
    assert svg is not None and len(boxes) == 5
    for b in boxes:
        assert b is not None
        assert b["x"] >= svg["x"] - 0.5 and b["x"] + b["width"] <= svg["x"] + svg["width"] + 0.5


def test_non_article_files_are_counted_and_derived_titles_marked(tmp_path: Path) -> None:
    """A corpus folder's sidecars and summary files are one line per kind in the reports, not one line
    each; a title taken from the body's first sentence is shown as such."""
    from diemtin.models import Skipped
    from diemtin.pipeline import run

    (tmp_path / "a.txt").write_text(
        "VOV.VN - Sáng 13/4, Chủ tịch nước tiếp Đại sứ Nhật Bản tại Phủ Chủ tịch. Hai bên trao đổi về "
        "hợp tác kinh tế, đầu tư và giao lưu nhân dân giữa hai nước trong thời gian tới.\n",
        encoding="utf-8",
    )
    digest = run([str(tmp_path)])
    (art,) = digest.articles
    assert art.title_derived
    digest.skipped = [
        Skipped("c/1.info.txt", "c/1.info.txt: metadata (TITLE) of 1.body.txt", kind="sidecar"),
        Skipped("c/2.info.txt", "c/2.info.txt: metadata (TITLE) of 2.body.txt", kind="sidecar"),
        Skipped("c/c.ref1.txt", "c/c.ref1.txt: a summary file", kind="summary"),
        Skipped("bad.txt", "bad.txt: cannot read (Permission denied)"),
    ]
    md = render_markdown(digest)
    html = render_html(digest)
    for text in (md, html):
        assert "2 tệp siêu dữ liệu đã dùng làm tiêu đề" in text and "1 tệp tóm tắt không phải bài báo" in text
        assert "bad.txt: cannot read (Permission denied)" in text
        assert "c/2.info.txt" not in text  # counted, not listed
        assert "Câu đầu: Sáng 13/4, Chủ tịch nước tiếp Đại sứ Nhật Bản" in text


def test_reports_follow_the_front_page_order_with_a_table_of_contents() -> None:
    # Three stories: a lone undated article (first in the digest's own order), a small recent story
    # and a big one of the same days: the big one leads, the lone one comes last, in both reports.
    arts = [Article(id=f"a{i}", path=f"{i}.txt", title=f"Bài {i}", text="Nội dung.", source=f"Báo {i % 3}")
            for i in range(6)]  # fmt: skip
    evs = [
        Event(id="lone", title="Tin lẻ không ngày", articles=["a0"]),
        Event(id="small", title="Tin nhỏ", articles=["a1"], date="2022-08-27", sources=["Báo 1"]),
        Event(id="big", title="Tin lớn", articles=["a2", "a3", "a4", "a5"], date="2022-08-26",
              sources=["Báo 0", "Báo 1", "Báo 2"]),
    ]  # fmt: skip
    stories = [Story("s-lone", "Chuỗi lẻ", ["lone"]), Story("s-small", "Chuỗi nhỏ", ["small"]),
               Story("s-big", "Chuỗi lớn", ["big"])]  # fmt: skip
    d = Digest(articles=arts, events=evs, stories=stories, timeline=["big", "small", "lone"])
    md = render_markdown(d)
    toc = md[md.index("## Mục lục") : md.index('<a id="')]
    assert [m for m in re.findall(r"\]\(#([\w-]+)\)", toc)] == ["s-big", "s-small", "s-lone"]
    assert "2022-08-26 · 1 sự kiện · 4 bài · 3 nguồn" in toc
    assert md.index("## Chuỗi lớn") < md.index("## Chuỗi nhỏ") < md.index("## Chuỗi lẻ")
    html = render_html(d)
    nav = html[html.index('<nav class="toc">') : html.index("</nav>")]
    assert re.findall(r'href="#([\w-]+)"', nav) == ["s-big", "s-small", "s-lone"]
    assert html.index('id="s-big"') < html.index('id="s-small"') < html.index('id="s-lone"')


def test_a_commentary_event_is_labelled_in_both_reports() -> None:
    # An opinion or advice piece is its own event in the story (Event.kind "commentary"): the reader
    # must see it is commentary, not a report of what happened.
    d = _digest()
    d.events.append(
        Event(id="e2", title="Vì sao Nga và Mỹ cần đối thoại?", articles=["a1"], kind="commentary")
    )
    d.stories[0].events.append("e2")
    d.timeline.append("e2")
    text = render_markdown(d)
    assert "### Bình luận · chưa rõ ngày — Vì sao Nga và Mỹ cần đối thoại?" in text
    assert text.count("Bình luận") == 1  # the report is not labelled
    html = render_html(d)
    assert html.count('<span class="kind">Bình luận</span>') == 1
