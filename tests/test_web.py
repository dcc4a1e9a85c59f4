"""The web UI and JSON API over a store (FastAPI's in-process test client; the browser test is separate)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from diemtin import search, store
from diemtin.web import create_app

from .helpers import CALL_2021, FLOOD_2020

# Untrusted article text: each payload would leave a trace (window.__pwned, the title, a dialog) if it ran.
PAYLOAD_TITLE = "Tin nóng <script>window.__pwned = 1; document.title = 'PWNED'</script>"
PAYLOAD_TEXT = (
    "Ngày 2/5/2023, tại Hà Nội đã diễn ra hội thảo về an ninh mạng.\n"
    "Chuyên gia cảnh báo <img src=x onerror=\"window.__pwned=2;alert('xss')\"> các mã độc mới.\n"
    '<a href="javascript:window.__pwned=3">Bấm vào đây</a> để xem thêm <svg onload="window.__pwned=4"></svg>.\n'
    "</p></main><script>window.__pwned=5</script>"
)


def build_store(folder: Path) -> Path:
    """A small store: two real-looking articles, a syndicated copy, and a crafted hostile article."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "call.txt").write_text(CALL_2021, encoding="utf-8")
    (folder / "flood.txt").write_text(FLOOD_2020, encoding="utf-8")
    (folder / "flood-copy.txt").write_text(
        FLOOD_2020.replace("Theo TTXVN", "Theo Báo Tin tức"), encoding="utf-8"
    )
    rec = {
        "id": "hostile",
        "title": PAYLOAD_TITLE,
        "text": PAYLOAD_TEXT,
        "url": "javascript:window.__pwned=6",
        "source": "<b>evil</b>",
        "published": "2023-05-02",
    }
    (folder / "hostile.jsonl").write_text(json.dumps(rec, ensure_ascii=False), encoding="utf-8")
    db = folder / "web.db"
    store.ingest(db, [str(folder)])
    return db


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    db = build_store(tmp_path_factory.mktemp("web"))
    with TestClient(create_app(db)) as c:
        yield c


def first_id(client: TestClient, kind: str) -> str:
    if kind == "story":
        return str(client.get("/api/stories").json()[0]["id"])
    return str(client.get("/api/events").json()[0]["id"])


def all_pages(client: TestClient) -> list[str]:
    events = client.get("/api/events?limit=50").json()
    stories = client.get("/api/stories").json()
    conn_ids = [a["id"] for e in events for a in client.get(f"/api/events/{e['id']}").json()["articles"]]
    return (
        ["/", "/search?q=dien+dam", "/search?q=script", "/search?q=pwned", "/search?q=onerror"]
        + [f"/story/{s['id']}" for s in stories]
        + [f"/event/{e['id']}" for e in events]
        + [f"/article/{a}" for a in conn_ids]
    )


def test_pages_render_vietnamese_utf8(client: TestClient) -> None:
    for url in all_pages(client):
        r = client.get(url)
        assert r.status_code == 200, url
        assert r.headers["content-type"].startswith("text/html; charset=utf-8")
        assert '<html lang="vi">' in r.text and '<meta charset="utf-8">' in r.text
    home = client.get("/").text
    assert "Ông Biden điện đàm với ông Putin" in home or "điện đàm" in home


def test_no_external_assets_and_no_cdn_docs(client: TestClient) -> None:
    for url in all_pages(client):
        html = client.get(url).text
        for ref in re.findall(r'(?:src|href)="([^"]*)"', html):
            assert not re.match(r"(https?:)?//", ref), (url, ref)
    assert client.get("/docs").status_code == 404
    assert client.get("/redoc").status_code == 404
    spec = client.get("/api/openapi.json").json()
    assert "/api/search" in spec["paths"] and "/api/events/{event_id}" in spec["paths"]
    docs = client.get("/api/docs")  # the API's reference, offline: this site's own page
    assert docs.status_code == 200 and docs.headers["content-type"].startswith("text/html")
    for path, ops in spec["paths"].items():
        for method in ops:
            assert f"<code>{method.upper()} {path}</code>" in docs.text
    assert "<code>from</code>" in docs.text and "Accent-insensitive search" in docs.text
    for ref in re.findall(r'(?:src|href)="([^"]*)"', docs.text):
        assert not re.match(r"(https?:)?//", ref), ref
    assert client.get("/static/style.css").status_code == 200
    assert client.get("/static/app.js").status_code == 200


def test_untrusted_text_is_escaped_everywhere(client: TestClient) -> None:
    # JSON carries the text as data (application/json, never rendered): only HTML pages are checked.
    assert client.get("/api/articles/hostile").headers["content-type"] == "application/json"
    for url in [*all_pages(client), "/article/hostile"]:
        html = client.get(url).text
        assert "<script>window" not in html, url
        assert "<img src=x" not in html and "<svg onload" not in html, url
        assert 'href="javascript:' not in html, url
        assert "<b>evil</b>" not in html, url
    page = client.get("/article/hostile").text
    assert "&lt;script&gt;window.__pwned = 1" in page
    assert "&lt;img src=x onerror=" in page
    assert "script-src 'self'" in client.get("/").headers["content-security-policy"]


def test_event_page_links_summary_sentences_to_sources(client: TestClient) -> None:
    ev = client.get(f"/api/events/{first_id(client, 'event')}").json()
    html = client.get(f"/event/{ev['id']}").text
    for s in ev["summary"]:
        assert f'href="/article/{s["article"]}"' in html
    for a in ev["articles"]:
        assert f'href="/article/{a["id"]}"' in html


def test_syndicated_copy_is_shown_as_also_published(client: TestClient) -> None:
    events = client.get("/api/events?limit=50").json()
    details = [client.get(f"/api/events/{e['id']}").json() for e in events]
    with_copies = [d for d in details if d["also_published_by"]]
    if not with_copies:
        pytest.skip("the dedup stage did not fold the copy (placeholder stage)")
    html = client.get(f"/event/{with_copies[0]['id']}").text
    assert "Cũng được đăng bởi" in html


def test_story_page_has_an_svg_timeline_linking_events(client: TestClient) -> None:
    story = client.get(f"/api/stories/{first_id(client, 'story')}").json()
    html = client.get(f"/story/{story['id']}").text
    svg = html[html.index("<svg") : html.index("</svg>")]
    for e in story["events"]:  # each dated event has its own marker, or is named in its group's
        assert f'href="/event/{e["id"]}"' in svg or str(escape(e["title"])) in svg
        assert f'<li id="ev-{e["id"]}">' in html  # what a group's marker leads to
    assert svg.count("<circle") <= len(story["events"])
    assert html.count("<svg") == 2 and 'class="narrow"' in html  # a drawing for phones too


def test_long_story_is_paged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A story of thousands of events on one page took half a second to render; pages hold STORY_PAGE.
    from diemtin.web.routes import story as story_routes

    db = build_store(tmp_path / "in")
    with store.connect(db) as conn:  # one story holding every event
        events = [r[0] for r in conn.execute("SELECT event FROM story_events ORDER BY story")]
        conn.execute("DELETE FROM story_events")
        conn.executemany(
            "INSERT INTO story_events (story, pos, event) VALUES ('s1', ?, ?)", list(enumerate(events))
        )
    assert len(events) == 3
    monkeypatch.setattr(story_routes, "STORY_PAGE", 2)
    with TestClient(create_app(db, cache_mb=0)) as c:
        full = c.get("/api/stories/s1").json()
        assert full["total"] == 3 and len(full["events"]) == 3
        dates = [e["date"] for e in full["events"]]
        assert dates == sorted(dates)
        assert (
            c.get("/api/stories/s1", params={"offset": 1, "limit": 1}).json()["events"] == full["events"][1:2]
        )
        pages = [c.get("/story/s1", params={"page": p}).text for p in (1, 2)]
        for html, shown in zip(pages, (full["events"][:2], full["events"][2:]), strict=True):
            svg = html[html.index("<svg") : html.index("</svg>")]
            assert 1 <= svg.count("<circle") <= len(shown)
            assert all(f'href="/event/{e["id"]}"' in svg or str(escape(e["title"])) in svg for e in shown)
            assert all(f'href="/event/{e["id"]}"' in html for e in shown)
            assert "3 sự kiện" in html
        assert 'href="/story/s1?page=2"' in pages[0] and 'href="/story/s1?page=1"' in pages[1]
        assert '<ol class="events" start="3">' in pages[1]
        assert c.get("/story/s1", params={"page": 3}).status_code == 404


def test_article_page_shows_removed_lines_on_demand(client: TestClient) -> None:
    events = client.get("/api/events?limit=50").json()
    arts = [a["id"] for e in events for a in client.get(f"/api/events/{e['id']}").json()["articles"]]
    data = [client.get(f"/api/articles/{a}").json() for a in arts]
    html = client.get(f"/article/{data[0]['id']}").text
    assert "<details" in html and f"({len(data[0]['removed'])} dòng)" in html
    for p in data[0]["paragraphs"]:
        assert str(escape(p))[:30] in html


def test_search_page_and_api(client: TestClient) -> None:
    html = client.get("/search", params={"q": "dien dam"}).text
    assert "<mark>điện</mark>" in html or "<mark>Điện</mark>" in html
    for q in ['"', "NEAR(", "'; DROP TABLE articles; --", "", "*"]:
        r = client.get("/search", params={"q": q})
        assert r.status_code == 200 and 'class="message"' in r.text, q
        api = client.get("/api/search", params={"q": q})
        assert api.status_code == 200 and api.json()["message"], q
    for bad in ("not a date", "2013-13"):  # a usage error, said in Vietnamese on the page
        r = client.get("/search", params={"q": "dam", "from": bad})
        assert r.status_code == 422 and "YYYY" in r.text and "không phải là ngày hợp lệ" in r.text
        api = client.get("/api/search", params={"q": "dam", "from": bad})
        assert api.status_code == 422 and "không phải là ngày hợp lệ" in api.json()["detail"]
    hits = client.get("/api/search", params={"q": "lu", "source": "TTXVN"}).json()["hits"]
    assert all(h["source"] == "TTXVN" for h in hits)
    for bad in ("0", "1001", "x", "-1"):  # the page number is checked as the API checks it
        r = client.get("/search", params={"q": "dam", "page": bad})
        assert r.status_code == 422 and '<html lang="vi">' in r.text, bad
        assert client.get("/api/search", params={"q": "dam", "page": bad}).status_code == 422, bad
    assert client.get("/search", params={"q": "dam", "page": "2"}).status_code == 200


def test_unknown_ids_are_404_pages(client: TestClient) -> None:
    for url in ("/event/nope", "/story/nope", "/article/<script>"):
        r = client.get(url)
        assert r.status_code == 404 and '<html lang="vi">' in r.text and "<script>" not in r.text
    assert client.get("/api/events/nope").json() == {"detail": "Không có sự kiện 'nope'."}
    for url in ("/nothing-here", "/story", "/events/x/y"):  # unknown addresses: a page, not JSON
        r = client.get(url)
        assert r.status_code == 404 and '<html lang="vi">' in r.text and "Không tìm thấy" in r.text, url
    assert client.get("/api/nothing").json() == {"detail": "Not Found"}  # the API stays JSON
    r = client.get("/story/nope", params={"page": "x"})  # a bad parameter: a Vietnamese page too
    assert r.status_code == 422 and "Giá trị không hợp lệ" in r.text


def test_missing_store_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(store.StoreError, match="nothing"):
        create_app(tmp_path / "nothing.db")


def test_cached_pages_follow_the_store_when_it_changes(tmp_path: Path) -> None:
    db = build_store(tmp_path / "in")
    with TestClient(create_app(db)) as c:
        first = c.get("/api/search", params={"q": "bao so 9"}).json()
        assert first["total"] == 0
        again = c.get("/api/search", params={"q": "bao so 9"})
        assert again.json() == first and "content-security-policy" in again.headers  # served from cache
        home = c.get("/").text
        # Another process adds an article while the server runs: the next answers show it.
        storm = "Bão số 9 đổ bộ vào Quảng Ngãi\n\nNgày 28/10/2020, bão số 9 đổ bộ vào Quảng Ngãi.\n"
        (tmp_path / "more").mkdir()
        (tmp_path / "more" / "storm.txt").write_text(storm, encoding="utf-8")
        store.ingest(db, [str(tmp_path / "more")])
        hits = c.get("/api/search", params={"q": "bao so 9"}).json()["hits"]
        assert [h["title"] for h in hits] == ["Bão số 9 đổ bộ vào Quảng Ngãi"]
        assert c.get("/").text != home
    with TestClient(create_app(db, cache_mb=0)) as c:  # no cache: the same answers
        assert c.get("/api/search", params={"q": "bao so 9"}).json()["hits"] == hits


def test_search_index_follows_the_store_without_cache(tmp_path: Path) -> None:
    # With no response cache every search is ranked by the server's in-memory index, built at start-up:
    # an ingest while serving must show in the next search (the index is rebuilt per data version).
    db = build_store(tmp_path / "in")
    with TestClient(create_app(db, cache_mb=0)) as c:
        before = c.get("/api/search", params={"q": "dien dam"}).json()
        assert before["total"] >= 1 and before["hits"][0]["snippet_html"].count("<mark>") >= 2
        assert c.get("/api/search", params={"q": "quang ngai"}).json()["total"] == 0
        storm = (
            "Bão số 9 đổ bộ vào Quảng Ngãi\n\nNgày 28/10/2020, bão số 9 đổ bộ vào Quảng Ngãi. Thủ tướng đã"
            " điện đàm với lãnh đạo tỉnh về công tác cứu hộ.\n"
        )
        (tmp_path / "more").mkdir()
        (tmp_path / "more" / "storm.txt").write_text(storm, encoding="utf-8")
        store.ingest(db, [str(tmp_path / "more")])
        after = c.get("/api/search", params={"q": "quang ngai"}).json()
        assert [h["title"] for h in after["hits"]] == ["Bão số 9 đổ bộ vào Quảng Ngãi"]
        page = c.get("/search", params={"q": "Quảng Ngãi"}).text
        assert "<mark>Quảng</mark> <mark>Ngãi</mark>" in page
        # Words the first index already held: only a rebuilt index finds the new article.
        again = c.get("/api/search", params={"q": "dien dam"}).json()
        assert again["total"] == before["total"] + 1
        assert "Bão số 9 đổ bộ vào Quảng Ngãi" in [h["title"] for h in again["hits"]]


def test_search_index_is_rebuilt_off_the_event_loop(tmp_path: Path) -> None:
    # After a change the index is built in a thread; meanwhile get() says None (FTS5 ranks), never stale.
    from diemtin.web.db import SearchIndexes

    db = build_store(tmp_path / "in")
    conn = store.connect(db, readonly=True)
    indexes = SearchIndexes(db)
    indexes.build_now(conn)
    first = indexes.get(conn)
    assert first is not None and indexes.get(conn) is first
    (tmp_path / "more").mkdir()
    (tmp_path / "more" / "storm.txt").write_text(
        "Bão số 9 đổ bộ vào Quảng Ngãi\n\nNgày 28/10/2020, bão số 9 đổ bộ vào Quảng Ngãi.\n", encoding="utf-8"
    )
    store.ingest(db, [str(tmp_path / "more")])
    assert indexes.get(conn) is None  # the old index no longer answers
    indexes.local.state.builder.join(timeout=60)
    rebuilt = indexes.get(conn)
    assert rebuilt is not None and len(rebuilt) == len(first) + 1
    hits = search.search(conn, "quang ngai", index=rebuilt).hits
    assert [h.title for h in hits] == ["Bão số 9 đổ bộ vào Quảng Ngãi"]
    conn.close()


@pytest.mark.parametrize("value", ["a00012", "a/b c?&é#", "x%y<z>", "điện đàm", {"q": "điện đàm", "page": 2}])
def test_urlencode_filter_matches_jinja(value: object) -> None:
    # The server's cheaper urlencode filter must give the links Jinja's own would, except that it
    # encodes "/" in a string too (an id such as "a/../b" must stay one path segment: issue 19).
    from jinja2.filters import FILTERS

    from diemtin.web.site import _urlencode

    expected = str(FILTERS["urlencode"](value))
    assert _urlencode(value) == (expected.replace("/", "%2F") if isinstance(value, str) else expected)


def test_turns_serve_one_request_per_loop_iteration_in_arrival_order() -> None:
    # uvloop accepts one new connection per loop iteration: requests must not share an iteration.
    import asyncio
    import itertools

    from diemtin.web.middleware import Turns

    async def run() -> None:
        ticks = 0

        def tick() -> None:
            nonlocal ticks
            ticks += 1
            loop.call_soon(tick)

        loop = asyncio.get_running_loop()
        loop.call_soon(tick)
        log: list[tuple[str, int]] = []
        gate = asyncio.Event()

        async def app(scope: dict[str, str], receive: object, send: object) -> None:
            log.append((scope["path"], ticks))
            if scope["path"] == "/slow":
                await gate.wait()  # a handler that really waits keeps its turn until it ends

        turns = Turns(app)
        scope = {"type": "http"}
        slow = asyncio.create_task(turns({**scope, "path": "/slow"}, None, None))
        await asyncio.sleep(0)
        tasks = [asyncio.create_task(turns({**scope, "path": f"/{i}"}, None, None)) for i in range(5)]
        await asyncio.sleep(0.01)
        assert [p for p, _ in log] == ["/slow"]  # the others wait for the slow one
        tasks[1].cancel()  # a client gone while waiting does not hold up the rest
        gate.set()
        await asyncio.gather(slow, *tasks, return_exceptions=True)
        assert [p for p, _ in log] == ["/slow", "/0", "/2", "/3", "/4"]  # first come, first served
        starts = [t for _, t in log]
        assert all(b > a for a, b in itertools.pairwise(starts))  # each in a later loop iteration
        await asyncio.sleep(0.01)
        assert not turns.busy and not turns.waiting
        # Requests made ready together on an idle server (quick handlers, no wait) still take turns.
        log.clear()
        await asyncio.gather(*(turns({**scope, "path": f"/q{i}"}, None, None) for i in range(3)))
        assert [p for p, _ in log] == ["/q0", "/q1", "/q2"]
        assert all(b > a for a, b in itertools.pairwise(t for _, t in log))

    asyncio.run(run())


def test_home_is_a_front_page(client: TestClient) -> None:
    # Top stories (title, dates, counts, summary, latest events) come before the latest events.
    html = client.get("/").text
    assert html.index("Tin nổi bật") < html.index("Sự kiện mới nhất")
    cards = re.findall(r'<article class="story-card">(.*?)</article>', html, re.S)
    assert cards, html
    for card in cards:
        assert re.search(r"\d+ sự kiện · \d+ bài · (\d+ nguồn|không rõ nguồn)", card)
        assert 'href="/event/' in card  # its latest events
    stories = client.get("/api/stories").json()
    assert len(cards) == min(len(stories), 12)


def test_derived_title_is_marked_on_article_and_event_pages(tmp_path: Path) -> None:
    # A crawler's body-only file (no title line): its title is the first sentence, stored as derived.
    body = (
        "Sáng 14/3, Ủy ban nhân dân tỉnh Lâm Đồng tổ chức họp báo công bố kế hoạch tổ chức Lễ hội Hoa Đà "
        "Lạt lần thứ 10 với hơn 60 hoạt động từ tháng 11 đến hết tháng 12. Ban tổ chức dự kiến đón khoảng "
        "300.000 lượt khách trong thời gian diễn ra lễ hội, cao hơn 20% so với lần tổ chức trước.\n"
    )
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "le-hoi.txt").write_text(body, encoding="utf-8")
    (folder / "call.txt").write_text(CALL_2021, encoding="utf-8")
    db = folder / "web.db"
    store.ingest(db, [str(folder)])
    with TestClient(create_app(db)) as c:
        found = (c.get(f"/api/articles/{i}").json() for i in _article_ids(db))
        arts = {a["path"].rsplit("/", 1)[-1]: a for a in found}
        derived, titled = arts["le-hoi.txt"], arts["call.txt"]
        assert derived["title_derived"] and not titled["title_derived"]
        page = c.get(f"/article/{derived['id']}").text
        assert '<h1><span class="derived">Câu đầu: </span>Sáng 14/3, Ủy ban nhân dân tỉnh Lâm Đồng' in page
        assert "Câu đầu: " not in c.get(f"/article/{titled['id']}").text
        event = derived["events"][0]["id"]
        assert "Câu đầu: Sáng 14/3" in c.get(f"/event/{event}").text


def _article_ids(db: Path) -> list[str]:
    conn = store.connect(db, readonly=True)
    try:
        return [r[0] for r in conn.execute("SELECT id FROM articles")]
    finally:
        conn.close()


def test_timeline_tick_labels_stay_inside_the_drawing() -> None:
    """A month tick at the right edge ("11/2013" for a story ending on 1/11/2013) is centred on its x:
    it is moved in by half its own width, not a fixed margin that cut a 7-character label."""
    from diemtin.web import timeline as tl

    events = [
        {"id": "a", "title": "Khai mạc", "date": "2013-09-05", "date_range": ["2013-09-05", "2013-09-05"]},
        {"id": "b", "title": "Bế mạc", "date": "2013-11-01", "date_range": ["2013-11-01", "2013-11-01"]},
    ]
    for width in (tl.WIDTH, tl.NARROW):
        drawing = tl.layout(events, width)
        assert [t["label"] for t in drawing["ticks"]][-1] == "11/2013"
        for t in drawing["ticks"]:
            half = len(t["label"]) * tl.CHAR_PX / 2
            assert t["x"] - half >= 0 and t["x"] + half <= width, t


def test_commentary_is_labelled_on_story_and_event_pages(tmp_path: Path) -> None:
    # An advice piece beside the reports of its topic is its own event (Event.kind "commentary"); the
    # web pages label it so a reader does not take it for news of what happened.
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "report.txt").write_text(
        "Hà Nội ghi nhận hơn 2.600 ca mắc cúm, có ca phải thở máy\n\n"
        "Ngày 20/7, CDC Hà Nội cho biết trong tuần thành phố ghi nhận hơn 2.600 ca mắc cúm mùa.\n\n"
        "Một số ca mắc cúm nặng phải thở máy tại các bệnh viện tuyến cuối của Hà Nội.\n",
        encoding="utf-8",
    )
    (folder / "advice.txt").write_text(
        "Làm thế nào để phòng cúm mùa cho trẻ nhỏ?\n\n"
        "Cúm mùa lây qua đường hô hấp và dễ gây biến chứng ở trẻ nhỏ, người già.\n\n"
        "Các chuyên gia khuyên cha mẹ cho trẻ tiêm vắc xin cúm hằng năm và đeo khẩu trang nơi đông người.\n",
        encoding="utf-8",
    )
    db = tmp_path / "web.db"
    store.ingest(db, [str(folder)])
    with TestClient(create_app(db)) as c:
        events = {e["title"]: e["id"] for e in c.get("/api/events?limit=50").json()}
        advice = events["Làm thế nào để phòng cúm mùa cho trẻ nhỏ?"]
        report = events["Hà Nội ghi nhận hơn 2.600 ca mắc cúm, có ca phải thở máy"]
        assert '<span class="kind">Bình luận</span>' in c.get(f"/event/{advice}").text
        assert '<span class="kind">' not in c.get(f"/event/{report}").text
        assert c.get("/").text.count('<span class="kind">Bình luận</span>') == 1  # the front page's list
        pages = [c.get(f"/story/{s['id']}").text for s in c.get("/api/stories").json()]
        labelled = [p for p in pages if '<span class="kind">Bình luận</span>' in p]
        assert len(labelled) == 1 and "phòng cúm mùa cho trẻ nhỏ" in labelled[0]
