"""The page's own markup: its <h1> headline and its sapo (diemtin.htmlpage, through ingest.parse_html).

Pages written for these tests in the shapes Vietnamese outlets use; the saved real pages are scored in
bench/pages_eval.py (a floor on them is asserted at the end).
"""

from __future__ import annotations

import importlib.util
import io
import sys
from pathlib import Path
from types import ModuleType

from diemtin import htmlpage
from diemtin.clean import clean_document
from diemtin.ingest import parse_html, read_file

from .conftest import ROOT

SAPO = (
    "Bộ Y tế vừa công bố dự thảo thông tư quy định thanh toán chi phí thuốc, vật tư y tế trực tiếp cho "
    "người bệnh tham gia bảo hiểm y tế."
)
BODY = [
    "Theo dự thảo, quỹ bảo hiểm y tế thanh toán trực tiếp cho người bệnh khi bệnh viện không có sẵn thuốc "
    "trong danh mục được kê đơn.",
    "Người bệnh phải xuất trình đơn thuốc và hóa đơn mua thuốc tại nhà thuốc của cơ sở khám chữa bệnh.",
    "Thông tư dự kiến có hiệu lực từ đầu năm sau, sau khi lấy ý kiến các bộ ngành và địa phương.",
]
HEADLINE = "Bộ Y tế đề xuất trả tiền thuốc trực tiếp cho người bệnh có thẻ bảo hiểm"


def _page(sapo_html: str, head: str = "", headline: str = f"<h1 class='detail-title'>{HEADLINE}</h1>") -> str:
    body = "".join(f"<p>{p}</p>" for p in BODY)
    return (
        f"<html><head><meta charset='utf-8'>{head}</head><body>"
        "<nav><ul><li><a href='/'>Trang chủ</a></li><li><a href='/thoi-su'>Thời sự</a></li></ul></nav>"
        f"<div class='detail'>{headline}<div class='date'>06/11/2023 18:25 GMT+7</div>{sapo_html}"
        f"<div class='detail-content'>{body}</div>"
        "<div class='related'><h3>Tin liên quan</h3><ul>"
        "<li><a href='/a'>Thiếu thuốc, vật tư y tế: các bệnh viện ráo riết lập hội đồng đấu thầu</a></li>"
        "<li><a href='/b'>Bảo hiểm y tế chi trả thêm nhiều loại thuốc điều trị ung thư</a></li></ul></div>"
        "</div></body></html>"
    )


def test_sapo_named_by_its_class_opens_the_article() -> None:
    doc = parse_html(_page(f"<h2 class='detail-sapo' data-role='sapo'>{SAPO}</h2>"), "p.html")
    assert doc is not None
    assert doc.lead == SAPO
    art = clean_document(doc)
    assert art.paragraphs[0] == SAPO and art.lead == SAPO
    assert art.paragraphs[1:] == BODY  # no date line, no related headlines
    assert art.title == HEADLINE and not art.title_derived


def test_h1_headline_over_og_title() -> None:
    head = f"<meta property='og:title' content='{HEADLINE} | Báo Tuổi Trẻ'><title>{HEADLINE} - Tuổi Trẻ Online</title>"
    doc = parse_html(_page(f"<h2 class='sapo'>{SAPO}</h2>", head=head), "p.html")
    assert doc is not None and doc.title == HEADLINE


def test_teasers_sharing_a_class_are_not_a_sapo() -> None:
    listing = (
        "<div class='list'>"
        + "".join(
            f"<p class='description'>Tóm tắt tin số {n} về giá vàng và tỷ giá ngoại tệ hôm nay trên thị trường.</p>"
            for n in range(3)
        )
        + "</div>"
    )
    tree = htmlpage.parse(_page(listing))
    assert htmlpage.sapo(tree, None) is None


def test_teasers_printed_above_the_headline_give_way_to_the_sapo_under_it() -> None:
    # A whole page with a "Đọc nhiều" box above the article: its teasers are named like a sapo
    # ("article-summary"), each in its own item, and the page has no meta description to compare with.
    item = (
        "<div class='item'><p class='article-title'><a href='/{0}'>{1}</a></p>"
        "<p class='article-summary'>{2}</p></div>"
    )
    teasers = (
        "<aside class='most-read'><h3>Đọc nhiều</h3>"
        + item.format(
            "x",
            "Hà Nội cấm xe tải vào nội đô giờ cao điểm từ tháng sau",
            "Sở Giao thông vận tải Hà Nội vừa ban hành quyết định cấm xe tải trên 1,25 tấn vào nội đô"
            " trong giờ cao điểm sáng và chiều.",
        )
        + item.format(
            "y",
            "Giá xăng giảm lần thứ ba liên tiếp",
            "Liên bộ Công Thương - Tài chính điều chỉnh giá bán lẻ xăng dầu chiều nay, xăng RON95 giảm"
            " hơn 300 đồng mỗi lít.",
        )
        + "</aside>"
    )
    body = "".join(f"<p>{p}</p>" for p in BODY)
    html = (
        f"<html><head><meta charset='utf-8'></head><body>{teasers}<article><h1>{HEADLINE}</h1>"
        f"<p class='the-article-summary'>{SAPO}</p><div class='the-article-body'>{body}</div>"
        "</article></body></html>"
    )
    doc = parse_html(html, "p.html")
    assert doc is not None and doc.lead == SAPO and doc.title == HEADLINE
    assert [ln for ln in doc.lines if ln] == [SAPO, *BODY]


def test_a_weakly_named_blurb_unlike_the_description_is_not_a_sapo() -> None:
    # A "summary" box that does not read like the page's meta description (a poll, an author bio).
    blurb = (
        "<div class='summary'>Bình chọn: bạn có đồng ý với đề xuất thanh toán trực tiếp này hay không?</div>"
    )
    head = f"<meta name='description' content='{SAPO}'>"
    doc = parse_html(_page(blurb, head=head), "p.html")
    assert doc is not None and doc.lead is None


def test_a_lead_printed_after_the_body_is_not_a_sapo() -> None:
    page = _page("").replace(
        "</div><div class='related'>",
        "</div><p class='description'>Phóng viên Nguyễn Văn An phụ trách mảng y tế và bảo hiểm xã hội.</p>"
        "<div class='related'>",
    )
    doc = parse_html(page, "p.html")
    assert doc is not None and doc.lead is None


def test_bold_first_paragraph_that_is_the_meta_description() -> None:
    head = f"<meta name='description' content='{SAPO}'>"
    doc = parse_html(_page(f"<p><strong>{SAPO}</strong></p>", head=head), "p.html")
    assert doc is not None and doc.lead == SAPO
    assert clean_document(doc).paragraphs[0] == SAPO


def test_no_headline_no_title_derived_from_the_sapo() -> None:
    doc = parse_html(_page(f"<h2 class='sapo'>{SAPO}</h2>", headline=""), "p.html")
    assert doc is not None
    assert doc.title_derived
    assert doc.title.startswith("Bộ Y tế vừa công bố dự thảo thông tư")
    assert clean_document(doc).paragraphs[0] == SAPO  # the sapo is not dropped as a repeated title


def test_location_stamp_is_a_separate_word() -> None:
    tree = htmlpage.parse("<p class='description'><span class='location-stamp'>Hà Nội</span>Ông A nói.</p>")
    (p,) = tree.iter("p")
    assert htmlpage.text_of(p) == "Hà Nội Ông A nói."
    (q,) = htmlpage.parse("<p>Cuộc sống <b>làm nông</b>.</p>").iter("p")
    assert htmlpage.text_of(q) == "Cuộc sống làm nông."


def test_caption_repeating_the_photo_alt_is_set_aside() -> None:
    # A photo story whose CMS writes each caption into the image's alt and prints it again under the
    # photo in a plain <div>; a photo with a different alt is followed by a body paragraph, which stays.
    cap = "Lực lượng cứu hộ tìm kiếm người mất tích tại hiện trường vụ sạt lở ở xã Trà Leng."
    photos = (
        f"<div class='img'><img src='a.jpg' alt='{cap} '></div><div class='text-image'>{cap}</div>"
        f"<p>{BODY[1]}</p>"
        "<div class='img'><img src='b.jpg' alt='Hiện trường vụ sạt lở nhìn từ trên cao'></div>"
        f"<p>{BODY[2]}</p>"
    )
    html = (
        "<html><head><meta charset='utf-8'></head><body>"
        f"<h1>{HEADLINE}</h1><h2 class='content-detail-sapo'>{SAPO}</h2>"
        f"<div class='maincontent'><p>{BODY[0]}</p>{photos}</div></body></html>"
    )
    doc = parse_html(html, "p.html")
    assert doc is not None
    assert [ln for ln in doc.lines if ln] == [SAPO, *BODY]
    assert [(r.text, r.reason) for r in doc.removed] == [(cap, "caption")]


def test_related_headlines_printed_as_bare_link_paragraphs_are_set_aside() -> None:
    # A related box written as bare paragraphs, each one link to another article (the page that
    # kept 5 related headlines); a link inside a sentence and a link to a document stay.
    related = [
        "Bảo hiểm y tế chi trả thêm nhiều loại thuốc điều trị ung thư",
        "Thiếu thuốc, vật tư y tế: các bệnh viện ráo riết lập hội đồng đấu thầu",
    ]
    links = "".join(
        f"<p><a href='/bao-hiem-y-te-{n}-post10{n}.html'><strong>{t}</strong></a></p>"
        for n, t in enumerate(related)
    )
    inline = (
        "Người bệnh có thể tra cứu danh mục thuốc trên <a href='/danh-muc-thuoc-bao-hiem-y-te.html'>cổng"
        " thông tin của Bộ Y tế</a> trước khi mua."
    )
    document = "<p><a href='/files/thong-tu-so-20-2022-tt-byt.pdf'>Toàn văn Thông tư 20/2022/TT-BYT.</a></p>"
    body = f"<p>{BODY[0]}</p>{links}<p>{inline}</p>{document}<p>{BODY[1]}</p>"
    html = (
        "<html><head><meta charset='utf-8'></head><body>"
        f"<h1>{HEADLINE}</h1><h2 class='sapo'>{SAPO}</h2><div class='content'>{body}</div></body></html>"
    )
    doc = parse_html(html, "p.html")
    assert doc is not None
    kept = [ln for ln in doc.lines if ln]
    assert kept[:2] == [SAPO, BODY[0]] and kept[-1] == BODY[1]
    assert not any(t in kept for t in related)
    assert any(ln.startswith("Người bệnh có thể tra cứu") for ln in kept)
    assert "Toàn văn Thông tư 20/2022/TT-BYT." in kept
    assert [(r.text, r.reason) for r in doc.removed] == [(t, "related-block") for t in related]


def test_sapo_that_is_the_lead_photo_alt_is_kept() -> None:
    # Some outlets put the sapo into the alt of the lead photo printed above it: the sapo stays.
    photo = f"<img src='lead.jpg' alt='{SAPO}'>"
    doc = parse_html(_page(f"{photo}<h2 class='detail-sapo'>{SAPO}</h2>"), "p.html")
    assert doc is not None and doc.lead == SAPO
    assert next(ln for ln in doc.lines if ln) == SAPO


def test_warc_record_reads_like_the_html_file(tmp_path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    html = _page(f"<h2 class='detail-sapo'>{SAPO}</h2>")
    path = tmp_path / "crawl.warc"
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=False)
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        writer.write_record(
            writer.create_warc_record(
                "https://tuoitre.vn/a.htm",
                "response",
                payload=io.BytesIO(html.encode()),
                http_headers=headers,
            )
        )
    (doc,) = list(read_file(path))
    direct = parse_html(html, "p.html", url="https://tuoitre.vn/a.htm")
    assert direct is not None and not isinstance(doc, type(None))
    assert (doc.title, doc.lead, doc.lines) == (direct.title, direct.lead, direct.lines)  # type: ignore[union-attr]
    assert doc.lead == SAPO  # type: ignore[union-attr]


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("pages_eval", ROOT / "bench" / "pages_eval.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules["pages_eval"] = mod  # dataclasses look their module up while the module runs
    spec.loader.exec_module(mod)
    return mod


def test_saved_pages_floor() -> None:
    """The saved real pages (bench/pages): every sapo kept, line precision and block recall >= 0.98."""
    import json

    bench = _bench()
    gold = json.loads((ROOT / "bench" / "pages" / "gold.json").read_text(encoding="utf-8"))
    assert len({g["site"] for g in gold.values()}) >= 8
    total = bench.Result()
    for name, g in gold.items():
        html = (ROOT / "bench" / "pages" / name).read_text(encoding="utf-8")
        title, lines = bench.diemtin_article(html, name)
        total.add(bench.score(title, lines, g))
    assert total.sapos_kept == total.sapos
    assert total.good_lines / total.lines >= 0.98
    assert total.found_blocks / total.blocks >= 0.98
    assert total.titles_right == total.titles
