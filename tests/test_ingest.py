import io
import json
from pathlib import Path

import pytest

from diemtin.ingest import IngestError, read_file, read_inputs
from diemtin.models import RawDocument, Skipped

BODY = (
    "VOV.VN - Ngày 13/4, Điện Kremlin cho biết hai tổng thống đã điện đàm.\nHai bên thảo luận nhiều vấn đề."
)


def _docs(items: list[RawDocument | Skipped]) -> list[RawDocument]:
    return [d for d in items if isinstance(d, RawDocument)]


def test_txt_first_nonempty_line_is_title(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("\n\nÔng Biden điện đàm với ông Putin\n\n" + BODY, encoding="utf-8")
    (doc,) = _docs(list(read_inputs([str(f)])))
    assert doc.title == "Ông Biden điện đàm với ông Putin"
    assert doc.lines[1].startswith("VOV.VN - Ngày 13/4")
    assert doc.id and len(doc.id) == 16


def test_content_id_is_stable_and_identical_files_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Tiêu đề\n" + BODY, encoding="utf-8")
    (tmp_path / "b.txt").write_text("Tiêu đề\n" + BODY, encoding="utf-8")
    items = list(read_inputs([str(tmp_path)]))
    docs = _docs(items)
    assert len(docs) == 1
    skipped = [s for s in items if isinstance(s, Skipped)]
    assert len(skipped) == 1 and "identical to" in skipped[0].reason
    again = _docs(list(read_inputs([str(tmp_path / "a.txt")])))
    assert again[0].id == docs[0].id


def test_jsonl_ids_metadata_and_broken_line(tmp_path: Path) -> None:
    f = tmp_path / "x.jsonl"
    recs = [
        {
            "id": "a1",
            "title": "Một",
            "text": BODY,
            "source": "VOV",
            "url": "https://vov.vn/1",
            "published": "2021-04-13",
        },
        {"id": "a1", "title": "Hai", "text": BODY + " Khác."},  # repeated id -> content hash
        {"title": "Ba"},  # no text
    ]
    lines = [json.dumps(r, ensure_ascii=False) for r in recs]
    lines.insert(1, "{broken")
    f.write_text("\n".join(lines), encoding="utf-8")
    items = list(read_inputs([str(f)]))
    docs = _docs(items)
    assert docs[0].id == "a1"
    assert docs[0].source == "VOV" and docs[0].published == "2021-04-13" and docs[0].url == "https://vov.vn/1"
    assert docs[1].id != "a1" and len(docs[1].id or "") == 16
    reasons = [s.reason for s in items if isinstance(s, Skipped)]
    assert any(":2: broken JSON line" in r for r in reasons)
    assert any(":4: record has no 'text'" in r for r in reasons)


def test_html_with_trafilatura(tmp_path: Path) -> None:
    f = tmp_path / "p.html"
    f.write_text(
        "<html><head><title>X</title><meta property='og:site_name' content='VnExpress'>"
        "<meta property='article:published_time' content='2021-04-13T10:00:00+07:00'></head><body>"
        "<nav>Trang chủ</nav><article><h1>Ông Biden điện đàm với ông Putin</h1>"
        "<p>Ngày 13/4, Điện Kremlin cho biết Tổng thống Nga Vladimir Putin và Tổng thống Mỹ "
        "Joe Biden đã điện đàm.</p>"
        "<p>Hai nhà lãnh đạo thảo luận nhiều vấn đề quan trọng của quan hệ song phương hiện nay.</p>"
        "</article></body></html>",
        encoding="utf-8",
    )
    (doc,) = _docs(list(read_file(f)))
    assert doc.title == "Ông Biden điện đàm với ông Putin"
    assert doc.source == "VnExpress"
    assert doc.published == "2021-04-13"
    assert any("Joe Biden" in ln for ln in doc.lines)


def test_stdin_is_sniffed() -> None:
    data = ("Tiêu đề từ stdin\n" + BODY).encode()
    (doc,) = _docs(list(read_inputs(["-"], stdin=io.BytesIO(data))))
    assert doc.title == "Tiêu đề từ stdin" and doc.path == "-"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"\x00\x01\x02\x03binary\x00\xff" * 50, "binary file"),
        (b"Ti\xeau \xff\xfe\x80 \x81\x8d", "not valid UTF-8"),
    ],
)
def test_bad_files_are_skipped_with_reason(tmp_path: Path, content: bytes, reason: str) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    good = tmp_path / "good.txt"
    good.write_text("Tiêu đề\n" + BODY, encoding="utf-8")
    items = list(read_inputs([str(bad), str(good)]))
    skipped = [s for s in items if isinstance(s, Skipped)]
    assert len(skipped) == 1 and str(bad) in skipped[0].reason and reason in skipped[0].reason
    assert len(_docs(items)) == 1  # the batch went on


def test_missing_file_raises_clear_error(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match=r"nope\.txt: cannot read"):
        list(read_file(tmp_path / "nope.txt"))


def test_mojibake_is_repaired(tmp_path: Path) -> None:
    f = tmp_path / "m.txt"
    garbled = "Tổng thống Nga điện đàm\n" + BODY
    f.write_bytes(garbled.encode("utf-8").decode("cp1252", errors="ignore").encode("utf-8"))
    (doc,) = _docs(list(read_inputs([str(f)])))
    assert doc.title == "Tổng thống Nga điện đàm"


def test_warc_html_responses(tmp_path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    html = (
        "<html><head><meta property='og:site_name' content='Tuổi Trẻ'></head><body><article>"
        "<h1>Miền Trung khắc phục hậu quả mưa lũ</h1>"
        "<p>Ngày 20/10/2020, các tỉnh miền Trung tiếp tục huy động lực lượng khắc phục hậu quả mưa lũ lịch sử.</p>"
        "<p>Chính phủ đã hỗ trợ khẩn cấp gạo và kinh phí cho các địa phương bị thiệt hại nặng nhất.</p>"
        "</article></body></html>"
    ).encode()
    path = tmp_path / "crawl.warc.gz"
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, ctype, payload in [
            ("https://tuoitre.vn/a.htm", "text/html; charset=utf-8", html),
            ("https://tuoitre.vn/logo.png", "image/png", b"\x89PNG...."),
        ]:
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(url, "response", payload=io.BytesIO(payload), http_headers=headers)
            )
    docs = _docs(list(read_inputs([str(tmp_path)])))
    assert len(docs) == 1
    assert docs[0].url == "https://tuoitre.vn/a.htm"
    assert docs[0].title == "Miền Trung khắc phục hậu quả mưa lũ"
    assert docs[0].source == "Tuổi Trẻ"


def test_warc_and_http_dates_are_crawl_anchors(tmp_path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    html = (
        "<html><body><article><h1>Cháy kho hàng</h1>"
        "<p>Tối 27/8, một đám cháy lớn bùng phát tại kho hàng trên đường Nguyễn Văn Linh, quận 7, TP.HCM.</p>"
        "<p>Lực lượng cứu hỏa đã khống chế được ngọn lửa sau hai giờ, không có thương vong về người.</p>"
        "</article></body></html>"
    ).encode()
    path = tmp_path / "crawl.warc"
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=False)
        heads = [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Date", "Wed, 31 Aug 2022 10:00:00 GMT"),
            ("Last-Modified", "Sun, 28 Aug 2022 01:30:00 GMT"),
        ]
        http = StatusAndHeaders("200 OK", heads, protocol="HTTP/1.1")
        rec = writer.create_warc_record(
            "https://vnexpress.net/a.html", "response", payload=io.BytesIO(html), http_headers=http,
            warc_headers_dict={"WARC-Date": "2022-08-31T10:00:05Z"},
        )  # fmt: skip
        writer.write_record(rec)
    (doc,) = _docs(list(read_inputs([str(path)])))
    got = {(a.kind, a.field, a.value[:10]) for a in doc.anchors}
    assert got == {
        ("crawled", "WARC-Date", "2022-08-31"),
        ("crawled", "HTTP Date", "2022-08-31"),
        ("crawled", "Last-Modified", "2022-08-28"),
    }


def test_jsonl_date_fields_are_anchors_and_the_first_publication_one_is_published(tmp_path: Path) -> None:
    recs = [
        {"title": "A", "text": "Nội dung bài A đủ dài.", "pubDate": "2022-08-27T20:00:00+07:00",
         "crawled_at": "2022-08-31", "timestamp": 1661900000},
        {"title": "B", "text": "Nội dung bài B đủ dài.", "date": "27/08/2022", "time": "20:15"},
        {"title": "C", "text": "Nội dung bài C đủ dài.", "published": "not a date", "fetched_at": "2022-09-01"},
    ]  # fmt: skip
    f = tmp_path / "crawl.jsonl"
    f.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in recs), encoding="utf-8")
    a, b, c = _docs(list(read_inputs([str(f)])))
    assert a.published == "2022-08-27T20:00:00+07:00"
    assert [(x.kind, x.field) for x in a.anchors] == [
        ("published", "pubDate"), ("crawled", "crawled_at"), ("crawled", "timestamp")
    ]  # fmt: skip
    assert b.published == "2022-08-27" and [x.field for x in b.anchors] == ["date"]  # "20:15" is no date
    assert c.published is None and [(x.kind, x.value) for x in c.anchors] == [("crawled", "2022-09-01")]


def test_mtime_anchor_names_the_file_of_a_record(tmp_path: Path) -> None:
    import os

    from diemtin.ingest import mtime_anchor

    f = tmp_path / "crawl.jsonl"
    f.write_text("{}", encoding="utf-8")
    os.utime(f, (1661940000, 1661940000))  # 2022-08-31 10:00 UTC
    for name in (str(f), f"{f}:3"):
        x = mtime_anchor(name)
        assert x is not None and (x.kind, x.field, x.value[:10]) == ("crawled", "mtime", "2022-08-31")
    assert mtime_anchor(str(tmp_path / "gone.txt")) is None


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("2021-12-08", "2021-12-08"),
        ("2021-12-08T10:00:00+07:00", "2021-12-08T10:00:00+07:00"),
        ("08/12/2021", "2021-12-08"),
        ("8-12-2021 10:05", "2021-12-08T10:05:00"),
        ("2021/12/08", "2021-12-08"),
        ("31/02/2021", None),
        ("hôm qua", None),
        (20211208, "2021-12-08"),  # ISO basic format
        (1638950400, "2021-12-08T08:00:00+00:00"),  # Unix seconds
        (1638950400000, "2021-12-08T08:00:00+00:00"),  # Unix milliseconds
        (True, None),
        (["2021-12-08"], None),
    ],
)
def test_json_published_becomes_iso_or_nothing(tmp_path: Path, given: object, expected: str | None) -> None:
    rec = {"id": "a", "title": "Tiêu đề", "text": "Nội dung bài viết đủ dài.", "published": given}
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    [doc] = [d for d in read_file(path) if isinstance(d, RawDocument)]
    assert doc.published == expected


def test_json_id_and_source_must_be_scalars(tmp_path: Path) -> None:
    rec = {"id": ["x"], "source": {"name": "VOV"}, "url": 5, "text": "Tiêu đề\nNội dung."}
    path = tmp_path / "odd.jsonl"
    path.write_text(json.dumps(rec) + "\n", encoding="utf-8")
    [doc] = [d for d in read_file(path) if isinstance(d, RawDocument)]
    assert doc.id is None and doc.source is None and doc.url == "5"


# --------------------------------------------------------------------------------------------------
# Body-only files, metadata sidecars, summary files (written for these tests in the shapes crawlers and
# the VietnameseMDS corpus use: "X.body.txt" + "X.info.txt", "C.info.txt", "C.ref1.txt").

ONE_PARAGRAPH = (
    "TTO - Ngày 23-10, hàng nghìn người ủng hộ đảng đối lập lại xuống đường ở thủ đô để phản đối kết quả "
    "bầu cử hồi tháng 7. Đảng đối lập tuyên bố cuộc biểu tình sẽ kéo dài ba ngày. Cảnh sát đã lập rào "
    "chắn quanh khu vực trung tâm, song đến trưa cuộc tuần hành vẫn diễn ra ôn hòa."
)


def test_one_paragraph_file_is_body_with_a_derived_title(tmp_path: Path) -> None:
    from diemtin.clean import clean_documents

    f = tmp_path / "bai.txt"
    f.write_text(ONE_PARAGRAPH + "\n", encoding="utf-8")
    (doc,) = _docs(list(read_inputs([str(f)])))
    assert doc.title_derived
    # the first sentence, less the "TTO - " dateline; the paragraph stays whole in the body
    # (a first sentence of 24 words is cut at 20, marked with "…")
    assert (
        doc.title
        == "Ngày 23-10, hàng nghìn người ủng hộ đảng đối lập lại xuống đường ở thủ đô để phản đối kết…"
    )
    (art,) = clean_documents([doc])
    assert art.text == ONE_PARAGRAPH and art.title_derived


def test_prose_first_line_is_not_taken_for_a_title(tmp_path: Path) -> None:
    f = tmp_path / "b.txt"
    f.write_text(
        ONE_PARAGRAPH + "\n\nĐoạn thứ hai của bài, viết tiếp về diễn biến trong buổi chiều.\n",
        encoding="utf-8",
    )
    (doc,) = _docs(list(read_inputs([str(f)])))
    assert doc.title_derived and doc.lines[0] == ONE_PARAGRAPH
    g = tmp_path / "c.txt"
    g.write_text("Phe đối lập lại biểu tình phản đối chính phủ\n\n" + ONE_PARAGRAPH, encoding="utf-8")
    (titled,) = _docs(list(read_inputs([str(g)])))
    assert not titled.title_derived and titled.title == "Phe đối lập lại biểu tình phản đối chính phủ"


def _corpus_folder(root: Path) -> Path:
    c = root / "cluster_7"
    c.mkdir(parents=True)
    (c / "501.body.txt").write_text(ONE_PARAGRAPH.replace("TTO - ", ""), encoding="utf-8")
    (c / "501.info.txt").write_text(
        "LINK: http://www.baomoi.com/Home/TheGioi/tuoitre.vn/Phe-doi-lap/501.epi\n"
        "TITLE: Phe đối_lập lại biểu_tình phản_đối chính_phủ \n"
        "SUMMARY: TTO - Ngày 23-10 , hàng nghìn người ủng_hộ đảng đối_lập lại xuống_đường "
        "( ở thủ_đô ) biểu_tình . \n"
        "TIME: 23/10/2013 11:39",
        encoding="utf-8",
    )
    (c / "cluster_7.info.txt").write_text("CLUSTER ID: 7\nCLUSTER NAME: Đối lập biểu tình", encoding="utf-8")
    (c / "cluster_7.ref1.txt").write_text(
        "Hàng nghìn người ủng hộ đảng đối lập xuống đường phản đối kết quả bầu cử; cuộc biểu tình kéo dài ba ngày.",
        encoding="utf-8",
    )
    (c / "777.info.txt").write_text("TITLE: Bài không có thân\nTIME: 24/10/2013 08:00\n", encoding="utf-8")
    return c


def test_metadata_sidecar_gives_title_sapo_date_url(tmp_path: Path) -> None:
    c = _corpus_folder(tmp_path)
    items = list(read_inputs([str(tmp_path)]))
    (doc,) = _docs(items)
    assert doc.path.endswith("501.body.txt")
    assert doc.title == "Phe đối lập lại biểu tình phản đối chính phủ" and not doc.title_derived
    assert (
        doc.lead
        == "TTO - Ngày 23-10, hàng nghìn người ủng hộ đảng đối lập lại xuống đường (ở thủ đô) biểu tình."
    )
    assert doc.lines[0] == doc.lead  # the sapo opens the article as published
    assert doc.lines[1].startswith("Ngày 23-10, hàng nghìn")
    assert doc.published == "2013-10-23T11:39:00"
    assert doc.url == "http://www.baomoi.com/Home/TheGioi/tuoitre.vn/Phe-doi-lap/501.epi"
    kinds = {Path(s.path).name: s.kind for s in items if isinstance(s, Skipped)}
    assert kinds == {
        "501.info.txt": "sidecar",
        "777.info.txt": "metadata",  # an article's metadata with no body beside it
        "cluster_7.info.txt": "metadata",  # describes the collection, not an article
        "cluster_7.ref1.txt": "summary",
    }
    assert (c / "501.info.txt").exists()


def test_summary_beside_collection_metadata_is_not_an_article(tmp_path: Path) -> None:
    # Not named as a summary: "C.txt" beside "C.info.txt" that describes a collection.
    (tmp_path / "tong_hop.txt").write_text(ONE_PARAGRAPH, encoding="utf-8")
    (tmp_path / "tong_hop.info.txt").write_text("CLUSTER ID: 3\nCLUSTER NAME: Biểu tình\n", encoding="utf-8")
    items = list(read_inputs([str(tmp_path)]))
    assert not _docs(items)
    assert sorted(s.kind for s in items if isinstance(s, Skipped)) == ["metadata", "summary"]


def test_key_value_shape_is_strict() -> None:
    from diemtin.ingest import detokenize, metadata_fields

    assert metadata_fields("LINK: http://a.vn/1\nTITLE: Tiêu_đề\n") == {
        "link": "http://a.vn/1",
        "title": "Tiêu_đề",
    }
    assert metadata_fields("Title: Một bài\nDate: 2021-04-13") == {"title": "Một bài", "date": "2021-04-13"}
    # prose with colons is not metadata
    assert metadata_fields("Hà Nội: mưa lớn kéo dài khiến nhiều tuyến phố ngập sâu.") is None
    assert metadata_fields("Theo AFP: cuộc họp đã kết thúc.\nTITLE: x") is None
    assert metadata_fields("NOTE: một dòng") is None  # one unknown key: too little to call it metadata
    assert detokenize("Phe đối_lập ( Campuchia ) , tháng 7 .") == "Phe đối lập (Campuchia), tháng 7."
    assert detokenize("COVID_19 tác_giả") == "COVID_19 tác giả"  # only underscores joining syllables


def test_digest_of_a_corpus_folder_counts_sidecars_once(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from diemtin.cli import app

    _corpus_folder(tmp_path / "in")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["digest", str(tmp_path / "in"), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    data = json.loads((out / "digest.json").read_text(encoding="utf-8"))
    (art,) = data["articles"]
    assert art["title"] == "Phe đối lập lại biểu tình phản đối chính phủ" and art["title_derived"] is False
    assert art["lead"].startswith("TTO - Ngày 23-10") and art["published"] == "2013-10-23T11:39:00"
    assert "1 summary file(s) not read as articles" in result.output


def test_summarize_one_paragraph_file(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from diemtin.cli import app

    f = tmp_path / "bai.txt"
    f.write_text(ONE_PARAGRAPH, encoding="utf-8")
    result = CliRunner().invoke(app, ["summarize", str(f)])
    assert result.exit_code == 0, result.output
    assert "hàng nghìn người ủng hộ đảng đối lập" in result.output
