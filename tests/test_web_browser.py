"""The web UI in a real browser: Debian's headless Chromium driven by Playwright, uvicorn on loopback."""

from __future__ import annotations

import itertools
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from diemtin.web import create_app

from .test_web import build_store

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="/usr/bin/chromium missing (apt-get install chromium)"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(db: Path) -> Iterator[str]:
    """The web app over ``db`` on a free loopback port, in a thread; yields its base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve(build_store(tmp_path_factory.mktemp("browser"))) as url:
        yield url


@pytest.fixture(scope="module")
def page(base_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("profile")),
            executable_path=str(CHROMIUM),
            headless=True,
            args=ARGS,
            locale="vi-VN",
        )
        pg = context.new_page()
        dialogs: list[str] = []
        pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        pg.dialogs = dialogs
        yield pg
        context.close()


def not_pwned(pg: Any) -> None:
    """None of the crafted payloads ran: no global set, title untouched, no dialog opened."""
    assert pg.evaluate("() => window.__pwned === undefined")
    assert pg.title() != "PWNED"  # the payload would set exactly this; the page title quotes it as text
    assert pg.dialogs == []


def test_click_through_home_story_event_article(page: Any, base_url: str, tmp_path: Path) -> None:
    page.goto(base_url + "/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert "điểm tin" in page.locator("a.brand").inner_text()
    page.screenshot(path=str(tmp_path / "home.png"), full_page=True)
    card = page.locator("article.story-card").first  # the front page opens on its top story
    assert "bài" in card.locator("p.meta").inner_text() and "nguồn" in card.locator("p.meta").inner_text()
    card.locator("h2 a").click()
    page.wait_for_url("**/story/**")
    assert page.locator("figure.timeline svg circle").count() >= 1
    page.screenshot(path=str(tmp_path / "story.png"), full_page=True)
    link = page.locator("figure.timeline svg:visible a").first  # the SVG timeline's links work
    href = link.get_attribute("href")
    link.locator("circle").click()
    if href.startswith("#"):  # a group of close events: it leads to them in the list below
        assert page.evaluate("() => location.hash") == href
        page.locator(f"li{href} > a").click()
    page.wait_for_url("**/event/**")
    assert page.locator("h1").inner_text()
    page.locator("ul.articles a").first.click()
    page.wait_for_url("**/article/**")
    details = page.locator("details.removed")
    assert not details.evaluate("d => d.open")
    details.locator("summary").click()
    assert details.evaluate("d => d.open")
    page.screenshot(path=str(tmp_path / "article.png"), full_page=True)
    assert (tmp_path / "article.png").stat().st_size > 5000
    not_pwned(page)


def test_search_without_diacritics_highlights_accented_words(
    page: Any, base_url: str, tmp_path: Path
) -> None:
    page.goto(base_url + "/")
    box = page.locator("header form.search input[name=q]")
    box.fill("dien dam")
    box.press("Enter")
    page.wait_for_url("**/search?**")
    marks = page.locator("ol.hits mark").all_inner_texts()
    assert {m.lower() for m in marks} >= {"điện", "đàm"}
    page.screenshot(path=str(tmp_path / "search.png"), full_page=True)
    # Hostile queries give a message, not an error page.
    page.goto(base_url + "/search?q=" + "NEAR(%22%20*%20%27%3B%20DROP%20TABLE%20articles")
    assert page.locator("p.message").count() == 1
    not_pwned(page)


def test_hostile_article_does_not_execute(page: Any, base_url: str) -> None:
    for url in ("/article/hostile", "/search?q=pwned", "/search?q=onerror", "/"):
        page.goto(base_url + url)
        page.wait_for_load_state("load")
        not_pwned(page)
    page.goto(base_url + "/article/hostile")
    # The payload is shown as text, and the javascript: link is not a link.
    assert "<script>" in page.locator("h1").inner_text()
    assert page.locator('a[href^="javascript:"]').count() == 0
    page.locator("div.body").click()
    not_pwned(page)


def test_every_page_loads_only_local_resources(page: Any, base_url: str) -> None:
    requested: list[str] = []

    def record(request: Any) -> None:
        requested.append(request.url)

    page.on("request", record)
    for url in ("/", "/search?q=lu", "/article/hostile"):
        page.goto(base_url + url)
    page.remove_listener("request", record)
    assert requested and all(u.startswith(base_url) for u in requested), requested


def test_story_timeline_of_the_seeds_reads_in_order_and_fits(page: Any, tmp_path: Path) -> None:
    # The five calls: the list follows the digest's timeline (the calls known only by ranges sit between
    # 2016 and 2022, not after them), and in the SVG no label is cut at the edge and no two titles of
    # one row overlap.
    from diemtin import store

    from .conftest import SEEDS

    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds not present")
    db = tmp_path / "seeds.db"
    store.ingest(db, [str(SEEDS)])
    with serve(db) as url:
        page.goto(url + "/")
        page.locator("article.story-card h2 a").first.click()
        page.wait_for_url("**/story/**")
        dates = [d.inner_text() for d in page.locator("ol.events span.date").all()]
        page.screenshot(path=str(tmp_path / "seeds-story.png"), full_page=True)
        check_timeline(page, 5)
    assert len(dates) == 5 and dates[0].startswith("2016") and dates[-1] == "2022-02-12"
    assert all(" – " in d for d in dates[1:4])  # honest ranges, in order between the two known years


def check_timeline(page: Any, n_events: int) -> None:
    """The story page's timeline fits the page (no sideways scrolling), every label lies inside the
    drawing and none overlaps another, and every dated event is in a marker's tooltip."""
    assert page.evaluate(
        "() => document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth"
    )
    svg = page.locator("figure.timeline svg:visible").bounding_box()  # the wide or the phone drawing
    assert svg is not None
    boxes = []
    for t in page.locator("figure.timeline svg:visible text").all():
        b = t.bounding_box()
        assert b is not None
        assert svg["x"] - 0.5 <= b["x"] and b["x"] + b["width"] <= svg["x"] + svg["width"] + 0.5, (
            t.text_content(),
            b,
            svg,
        )
        if "tl-date" in (t.get_attribute("class") or ""):
            boxes.append((b["x"], b["y"], b["x"] + b["width"], b["y"] + b["height"]))
    for a, b in itertools.combinations(boxes, 2):  # no two date labels overlap
        assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
    tooltips = page.locator("figure.timeline svg:visible a > title").all_text_contents()
    assert sum(len(t.split("\n")) for t in tooltips) <= n_events
    assert page.locator("ol.events > li").count() == n_events


def test_story_of_50_events_stays_readable(page: Any, tmp_path: Path) -> None:
    # Real articles (VietnameseMDS), then one story made of 50 of their events: the timeline must fit
    # the page, group what is dense, and label without overlap or cuts.
    from diemtin import store

    from .conftest import VMDS

    if not VMDS.is_dir():
        pytest.skip("../shared/data/vmds-dev not present")
    folder = tmp_path / "in"
    folder.mkdir()
    for cdir in sorted(VMDS.iterdir(), key=lambda p: p.name)[:70]:
        for body in sorted(cdir.glob("*.body.txt"))[:2]:
            info = body.with_name(body.name.replace(".body.txt", ".info.txt"))
            (folder / body.name).write_bytes(body.read_bytes())
            (folder / info.name).write_bytes(info.read_bytes())
    db = tmp_path / "vmds.db"
    store.ingest(db, [str(folder)])
    with store.connect(db) as conn:
        events = [r[0] for r in conn.execute("SELECT id FROM events ORDER BY pos")][:50]
        assert len(events) == 50
        marks = ",".join("?" * 50)
        conn.execute(f"DELETE FROM story_events WHERE event IN ({marks})", events)
        conn.execute("INSERT INTO stories (id, pos, title) VALUES ('big', -1, 'Năm mươi sự kiện')")
        conn.executemany(
            "INSERT INTO story_events (story, pos, event) VALUES ('big', ?, ?)", list(enumerate(events))
        )
    with serve(db) as url:
        for width in (1280, 420):  # a desktop and a phone
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(url + "/story/big")
            page.screenshot(path=str(tmp_path / f"story50-{width}.png"), full_page=True)
            check_timeline(page, 50)
            groups = page.locator("figure.timeline svg:visible a.tl-group").count()
            assert groups >= 1  # dense dates are grouped
        page.set_viewport_size({"width": 1280, "height": 900})
