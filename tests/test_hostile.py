"""Hostile input (issue 19): inputs an attacker or a careless user would give, each small and generated
here. Every test is named after what it protects; docs/robustness.md lists the cases. The large ones
(memory with a 60 MB record, a 2 GiB gzip bomb) are in bench/stress.py."""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from diemtin import ingest, legacy, pipeline, report, store
from diemtin.cli import app
from diemtin.ingest import normalize_published, read_inputs
from diemtin.models import Article, RawDocument, Skipped

from .helpers import CALL_2021, FLOOD_2020, read_as, unprivileged_user, write_articles
from .test_encoding import to_cp1258

runner = CliRunner()

TOMORROW = (
    "Ngày mai, bão số 3 sẽ đổ bộ vào các tỉnh miền Trung, Trung tâm Dự báo khí tượng thủy văn cho biết."
)
LAST_YEAR = "Năm ngoái, giá vàng tăng mạnh, các chuyên gia cho biết tại cuộc họp báo sáng nay ở Hà Nội."


def _jsonl(path: Path, *records: dict[str, object]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def _read(*paths: Path | str) -> tuple[list[RawDocument], dict[str, str]]:
    docs: list[RawDocument] = []
    skipped: dict[str, str] = {}
    for item in read_inputs([str(p) for p in paths]):
        if isinstance(item, Skipped):
            skipped[item.path] = item.reason
        else:
            docs.append(item)
    return docs, skipped


def _rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    conn = store.connect(db, readonly=True)
    try:
        return [tuple(r) for r in conn.execute(sql)]
    finally:
        conn.close()


def _dirty(db: Path) -> bool:
    conn = store.connect(db, readonly=True)
    try:
        return store.is_dirty(conn)
    finally:
        conn.close()


# --- 1. a store that never heals ------------------------------------------------------------------------


def test_published_at_the_ends_of_the_calendar_is_dropped_not_fatal(tmp_path: Path) -> None:
    assert normalize_published("9999-12-31") is None
    assert normalize_published("0001-01-01T00:00:00") is None
    assert normalize_published("31/12/9999") is None
    assert normalize_published("2021-12-08") == "2021-12-08"
    (tmp_path / "in").mkdir()
    src = _jsonl(
        tmp_path / "in" / "a.jsonl",
        {"id": "x1", "title": "Bão số 3", "text": TOMORROW, "published": "9999-12-31"},
        {"id": "x2", "title": "Giá vàng", "text": LAST_YEAR, "published": "0001-01-01"},
    )
    r = runner.invoke(app, ["ingest", str(src.parent), "--db", str(tmp_path / "s.db"), "-q"])
    assert r.exit_code == 0, r.output
    assert not _dirty(tmp_path / "s.db")
    assert _rows(tmp_path / "s.db", "SELECT id, published FROM articles ORDER BY id") == [
        ("x1", None),
        ("x2", None),
    ]


def test_dates_past_the_calendar_in_a_stored_article_do_not_stop_the_events(tmp_path: Path) -> None:
    # A store written before the fix (or by another tool) holds published = 9999-12-31: the events of
    # the whole store are still computed, the article only goes undated.
    arts = [
        Article(id="a", path="a.txt", title="Bão số 3", text=TOMORROW, published="9999-12-31"),
        Article(id="b", path="b.txt", title="Giá vàng", text=LAST_YEAR, published="0001-01-01"),
    ]
    d = pipeline.build_digest(arts)
    assert sorted(a for e in d.events for a in e.articles) == ["a", "b"]


def test_store_marked_out_of_date_heals_on_the_next_run(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_articles(folder, call=CALL_2021)
    db = tmp_path / "s.db"
    store.ingest(db, [str(folder)])
    # What an older diemtin left behind: a stored 9999-12-31 with "ngày mai", the store out of date.
    conn = sqlite3.connect(db)
    conn.execute("UPDATE articles SET published = '9999-12-31', text = text || ' ' || ?", (TOMORROW,))
    conn.execute("UPDATE meta SET value = '1' WHERE key = 'derived_dirty'")
    conn.commit()
    conn.close()
    res = store.ingest(db, [str(folder)])
    assert res.derived and not _dirty(db) and res.events == 1


def test_deleted_files_leave_the_store(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    call, flood = write_articles(folder, call=CALL_2021, flood=FLOOD_2020)
    db = tmp_path / "s.db"
    store.ingest(db, [str(folder)])
    flood.unlink()
    res = store.ingest(db, [str(folder)])
    assert res.removed == [str(flood.absolute())] and res.articles == 1 and res.events == 1
    # A file named on the command line that is gone leaves the store too; the run says so.
    call.unlink()
    r = runner.invoke(app, ["ingest", str(call), "--db", str(db)])
    assert r.exit_code == 0, r.output
    assert "removed" in r.output and _rows(db, "SELECT count(*) FROM articles") == [(0,)]


def test_files_outside_the_given_paths_stay_in_the_store(tmp_path: Path) -> None:
    write_articles(tmp_path / "a", call=CALL_2021)
    write_articles(tmp_path / "b", flood=FLOOD_2020)
    db = tmp_path / "s.db"
    store.ingest(db, [str(tmp_path / "a"), str(tmp_path / "b")])
    res = store.ingest(db, [str(tmp_path / "a")])
    assert res.removed == [] and res.articles == 2


# --- 5. one id in two files -----------------------------------------------------------------------------


def _two_files_one_id(folder: Path) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    a = _jsonl(folder / "a.jsonl", {"id": "tin-1", "text": CALL_2021})
    b = _jsonl(folder / "b.jsonl", {"id": "tin-1", "text": FLOOD_2020})
    return a, b


def test_one_id_in_two_files_keeps_both_whatever_the_order(tmp_path: Path) -> None:
    a, b = _two_files_one_id(tmp_path / "in")
    store.ingest(tmp_path / "ab.db", [str(a), str(b)])
    store.ingest(tmp_path / "ba1.db", [str(b)])
    store.ingest(tmp_path / "ba1.db", [str(a)])
    dumps = [store.dump(store.connect(tmp_path / n, readonly=True)) for n in ("ab.db", "ba1.db")]
    assert dumps[0]["articles"] == dumps[1]["articles"]
    ids = _rows(tmp_path / "ab.db", "SELECT id, input FROM articles ORDER BY input")
    # The first file by path keeps the id; the other is stored under a qualified one.
    assert ids[0] == ("tin-1", str(a)) and str(ids[1][0]).startswith("tin-1~") and ids[1][1] == str(b)


def test_one_id_in_two_files_gives_the_same_digest_in_any_argument_order(tmp_path: Path) -> None:
    # Without a store, too: `digest b.jsonl a.jsonl` reads as `digest a.jsonl b.jsonl` (the first file
    # by path keeps the id, the other article gets its content id), so nothing depends on typing order.
    a, b = _two_files_one_id(tmp_path / "in")
    ab, ba = (pipeline.run([str(x), str(y)]) for x, y in ((a, b), (b, a)))
    by_id = {x.id: x.path for x in ab.articles}
    assert by_id["tin-1"].startswith(str(a)) and len(by_id) == 2
    assert [(x.id, x.path, x.title) for x in ab.articles] == [(x.id, x.path, x.title) for x in ba.articles]
    assert [(e.id, e.articles) for e in ab.events] == [(e.id, e.articles) for e in ba.events]


def test_removing_a_shared_id_from_one_file_keeps_the_other(tmp_path: Path) -> None:
    a, b = _two_files_one_id(tmp_path / "in")
    db = tmp_path / "s.db"
    store.ingest(db, [str(tmp_path / "in")])
    _jsonl(a, {"id": "tin-2", "text": CALL_2021})  # the id leaves a.jsonl
    store.ingest(db, [str(tmp_path / "in")])
    assert _rows(db, "SELECT id, input FROM articles ORDER BY id") == [("tin-1", str(b)), ("tin-2", str(a))]
    a.unlink()
    res = store.ingest(db, [str(tmp_path / "in")])
    assert res.articles == 1 and _rows(db, "SELECT id FROM articles") == [("tin-1",)]


def test_control_characters_in_ids_are_dropped(tmp_path: Path) -> None:
    f = _jsonl(tmp_path / "a.jsonl", {"id": "\x00tin\u202e-1\n", "text": CALL_2021})
    store.ingest(tmp_path / "s.db", [str(f)])
    assert _rows(tmp_path / "s.db", "SELECT id FROM articles") == [("tin-1",)]


# --- 6. concurrent ingests ------------------------------------------------------------------------------


def test_refresh_does_not_commit_events_from_a_stale_snapshot(tmp_path: Path) -> None:
    """Another ingest adds a file while this one computes events: the events written cover it."""
    (call,) = write_articles(tmp_path / "in", call=CALL_2021)
    (flood,) = write_articles(tmp_path / "late", flood=FLOOD_2020)
    db = tmp_path / "s.db"
    store.ingest(db, [str(call)])
    fired: list[str] = []

    def meanwhile(stage: str, done: int, total: int) -> None:
        if not fired and stage == "events":
            fired.append(stage)
            other = store.connect(db)
            try:
                store.ingest_file(other, flood, store.file_hash(flood), store.IngestResult())
            finally:
                other.close()

    conn = store.connect(db)
    try:
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'derived_dirty'")
        store.refresh_derived(conn, pipeline.Options(progress=meanwhile))
    finally:
        conn.close()
    assert fired and not _dirty(db)
    in_events = _rows(db, "SELECT article FROM event_articles ORDER BY article")
    assert sorted(r[0] for r in in_events) == sorted(r[0] for r in _rows(db, "SELECT id FROM articles"))
    assert len(in_events) == 2


# --- 2. one huge article ------------------------------------------------------------------------------


def _sentences(n: int) -> str:
    return "\n".join(f"Câu thứ {i} nói về cơn bão số {i % 9 + 1} đổ bộ vào miền Trung." for i in range(n))


def test_a_jsonl_record_over_the_limit_is_skipped_alone_without_parsing(tmp_path: Path) -> None:
    huge = "Bão. " * (ingest.MAX_RECORD_BYTES // 5 + 10)
    f = _jsonl(tmp_path / "a.jsonl", {"id": "big", "text": huge}, {"id": "ok", "text": CALL_2021})
    docs, skipped = _read(f)
    assert [d.id for d in docs] == ["ok"]
    assert list(skipped) == [f"{f}:1"] and "longer than one news article" in skipped[f"{f}:1"]


def test_a_text_article_over_the_limit_is_refused_before_normalising(tmp_path: Path) -> None:
    f = tmp_path / "long.txt"
    f.write_text("Tiêu đề\n" + _sentences(ingest.MAX_ARTICLE_CHARS // 50), encoding="utf-8")
    docs, skipped = _read(f, *write_articles(tmp_path / "ok", call=CALL_2021))
    assert len(docs) == 1 and "longer than one news article" in skipped[str(f)]


def test_a_json_array_record_over_the_limit_is_skipped_alone(tmp_path: Path) -> None:
    f = tmp_path / "a.json"
    big = "x " * ingest.MAX_ARTICLE_CHARS
    f.write_text(json.dumps([{"text": big}, {"text": CALL_2021}], ensure_ascii=False), encoding="utf-8")
    docs, skipped = _read(f)
    assert len(docs) == 1 and list(skipped) == [f"{f}#1"]


def test_the_summarizer_reads_a_bounded_share_of_a_huge_event() -> None:
    long = _sentences(3000)  # ~180,000 characters
    members = [Article(id=f"a{i}", path=f"a{i}", title="Bão", text=long) for i in range(6)]
    seen = pipeline.summary_input(members)
    assert all(len(a.text) <= pipeline.SUMMARY_ARTICLE_CHARS for a in seen)
    assert sum(len(a.text) for a in seen) <= pipeline.SUMMARY_EVENT_CHARS
    assert seen[0].text.endswith("miền Trung.") and long.startswith(seen[0].text)  # cut at a line end
    assert members[0].text == long  # the articles themselves are untouched
    short = [Article(id="s", path="s", title="T", text=CALL_2021)]
    assert pipeline.summary_input(short) == short


# --- 3. file names that are not UTF-8, reports written in place ---------------------------------------


def _odd_name(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = Path(os.fsdecode(bytes(folder) + b"/tin-\xff\xfe.txt"))
    path.write_text(CALL_2021, encoding="utf-8")
    return path


def test_a_file_name_that_is_not_utf8_is_read_and_named_with_escapes(tmp_path: Path) -> None:
    _odd_name(tmp_path / "in")
    write_articles(tmp_path / "in", flood=FLOOD_2020)
    out = tmp_path / "out"
    r = runner.invoke(app, ["digest", str(tmp_path / "in"), "-o", str(out), "-q"])
    assert r.exit_code == 0, r.output
    data = json.loads((out / "digest.json").read_text(encoding="utf-8"))
    assert sorted(Path(a["path"]).name for a in data["articles"]) == ["flood.txt", "tin-\\xff\\xfe.txt"]
    r = runner.invoke(app, ["ingest", str(tmp_path / "in"), "--db", str(tmp_path / "s.db"), "-q"])
    assert r.exit_code == 0, r.output
    assert len(_rows(tmp_path / "s.db", "SELECT path FROM inputs")) == 2
    # Unchanged on the next run (the stored name is found again), and not taken for a deleted file.
    res = store.ingest(tmp_path / "s.db", [str(tmp_path / "in")])
    assert len(res.unchanged) == 2 and res.removed == []


def test_reports_are_replaced_whole_or_not_at_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    write_articles(tmp_path / "in", call=CALL_2021)
    assert runner.invoke(app, ["digest", str(tmp_path / "in"), "-o", str(out), "-q"]).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def broken(digest: object) -> str:
        raise RuntimeError("disk full")  # a failure while the reports are being made

    monkeypatch.setattr(report, "render_html", broken)
    write_articles(tmp_path / "in", flood=FLOOD_2020)
    with pytest.raises(RuntimeError):
        report.write_reports(pipeline.run([str(tmp_path / "in")]), out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # no temp file left, none changed


# --- 4. WARC: gzip bombs, huge payloads, truncation, warcio's chatter ----------------------------------


def _page(title: str, body: str) -> bytes:
    return f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{body}</article></body></html>".encode()


def _warc(path: Path, pages: list[bytes], gz: bool = True) -> Path:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        w = WARCWriter(fh, gzip=gz)
        for i, html in enumerate(pages):
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.0"
            )
            rec = w.create_warc_record(
                f"https://example.vn/{i}", "response", payload=io.BytesIO(html), http_headers=headers
            )
            w.write_record(rec)
    return path


GOOD_PAGE = _page("Bão số 3 đổ bộ", "".join(f"<p>{p}</p>" for p in FLOOD_2020.split("\n")[2:] if p.strip()))


def test_a_warc_gzip_bomb_stops_at_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest, "MAX_WARC_BYTES", 2 * 2**20)  # the 1 GiB default is bench/stress.py's
    bomb = tmp_path / "bomb.warc.gz"
    with gzip.open(bomb, "wb") as g:
        for _ in range(8):
            g.write(b"\0" * 2**20)
    docs, skipped = _read(bomb)
    assert docs == [] and "decompresses to more than 2 MiB" in skipped[str(bomb)]


def test_a_warc_page_over_the_limit_is_skipped_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest, "MAX_WARC_PAYLOAD", 64 * 1024)
    big = _page("Trang lớn", "<p>Một đoạn văn dài.</p>\n" * 20_000)
    f = _warc(tmp_path / "a.warc.gz", [big, GOOD_PAGE])
    docs, skipped = _read(f)
    assert [d.title for d in docs] == ["Bão số 3 đổ bộ"]
    assert skipped == {f"{f}#1": f"{f}#1: page over 0 MiB (not read)"} or "not read" in skipped[f"{f}#1"]


def test_a_truncated_warc_is_read_up_to_the_cut_and_says_so(tmp_path: Path) -> None:
    for gz in (True, False):
        f = _warc(
            tmp_path / ("a.warc.gz" if gz else "a.warc"), [GOOD_PAGE, GOOD_PAGE.replace(b"3", b"9")], gz
        )
        data = f.read_bytes()
        f.write_bytes(data[: len(data) - 300])
        docs, skipped = _read(f)
        assert len(docs) >= 1 and docs[0].title == "Bão số 3 đổ bộ"
        assert any("cut short" in r or "truncated" in r for r in skipped.values()), skipped


def test_warcio_messages_do_not_reach_stderr(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    f = _warc(tmp_path / "a.warc", [GOOD_PAGE, GOOD_PAGE.replace(b"3", b"9")], gz=False)
    # A wrong Content-Length: warcio writes "WARC record at offset ... content-length likely wrong".
    f.write_bytes(f.read_bytes().replace(b"Content-Length: ", b"Content-Length: 1", 1))
    _, skipped = _read(f)
    assert capfd.readouterr().err == ""
    assert any(str(f) in r for r in skipped.values())


# --- 9. what a folder holds but is not read -----------------------------------------------------------


def test_a_symlinked_subfolder_is_reported_not_followed(tmp_path: Path) -> None:
    write_articles(tmp_path / "in", call=CALL_2021)
    write_articles(tmp_path / "elsewhere", flood=FLOOD_2020)
    (tmp_path / "in" / "more").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (tmp_path / "in" / "loop").symlink_to(tmp_path / "in", target_is_directory=True)
    docs, skipped = _read(tmp_path / "in")
    assert len(docs) == 1
    assert set(skipped) == {str(tmp_path / "in" / "more"), str(tmp_path / "in" / "loop")}
    assert all("symbolic link to a folder, not followed" in r for r in skipped.values())


def test_a_symlink_to_a_file_outside_the_folder_is_reported(tmp_path: Path) -> None:
    (outside,) = write_articles(tmp_path / "private", secret=FLOOD_2020)
    (inside,) = write_articles(tmp_path / "in", call=CALL_2021)
    (tmp_path / "in" / "leak.txt").symlink_to(outside)
    (tmp_path / "in" / "alias.txt").symlink_to(inside)  # inside the tree: read (then a duplicate)
    docs, skipped = _read(tmp_path / "in")
    assert [Path(d.path).name for d in docs] == ["alias.txt"]  # read first (sorted); call.txt is its copy
    leak = str(tmp_path / "in" / "leak.txt")
    assert "outside" in skipped[leak] and "not followed" in skipped[leak]
    assert "identical to" in skipped[str(inside)]


def test_an_unreadable_subfolder_is_reported(tmp_path: Path) -> None:
    open_dir = Path(tempfile.mkdtemp(prefix="diemtin-perm-"))
    try:
        open_dir.chmod(0o755)
        write_articles(open_dir, call=CALL_2021)
        locked = open_dir / "locked"
        write_articles(locked, flood=FLOOD_2020)
        locked.chmod(0o700)
        user = unprivileged_user()
        got = read_as(user, open_dir)
        assert got == {str(locked): f"{locked}: cannot read folder (Permission denied)"}
    finally:
        shutil.rmtree(open_dir, ignore_errors=True)


# --- 10. mixed encodings ------------------------------------------------------------------------------


def test_a_jsonl_with_one_legacy_record_keeps_the_others(tmp_path: Path) -> None:
    good = [
        json.dumps({"id": f"g{i}", "text": t}, ensure_ascii=False).encode()
        for i, t in enumerate(
            [CALL_2021, FLOOD_2020, CALL_2021.replace("Putin", "Tập"), FLOOD_2020.replace("Trung", "Bắc")]
        )
    ]
    tcvn3 = json.dumps({"id": "old", "text": legacy.to_tcvn3(FLOOD_2020)}, ensure_ascii=False).encode(
        "latin-1"
    )
    noise = b'{"id": "noise", "text": "\x81\x8d\x8f\x90\x9d garbage \xff\xfe"}'
    f = tmp_path / "mixed.jsonl"
    f.write_bytes(b"\n".join([*good[:2], tcvn3, *good[2:], noise]) + b"\n")
    docs, skipped = _read(f)
    assert {"g0", "g1", "g2", "g3"} <= {d.id for d in docs}
    old = [d for d in docs if d.id == "old"]
    assert not old or "Miền Trung" in old[0].title
    assert f"{f}:6" in skipped or old  # the noise line is named, or the whole file was read as one


def test_a_utf8_page_with_a_cp1258_paragraph_is_read_whole(tmp_path: Path) -> None:
    para = "Đây là đoạn văn được lưu bằng bảng mã cũ của Windows, có đủ dấu tiếng Việt."
    data = CALL_2021.encode("utf-8") + b"\n" + to_cp1258(para) + b"\n"
    f = tmp_path / "page.txt"
    f.write_bytes(data)
    docs, skipped = _read(f)
    assert not skipped and para in docs[0].lines


# --- 7. orphans -----------------------------------------------------------------------------------------

_OWNER = """
import os, sys, time
from diemtin import executors, store
from concurrent.futures import ProcessPoolExecutor
ex = executors.ProcessExecutor(2)
pids = set(ex.map(executors._worker_pid, list(range(8))))
with ProcessPoolExecutor(2, initializer=executors.exit_with_parent, initargs=(os.getpid(),)) as pool:
    pids |= set(pool.map(executors._worker_pid, range(8)))
    print(" ".join(map(str, sorted(pids))), flush=True)
    time.sleep(60)
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_worker_pools_exit_when_their_owner_is_killed() -> None:
    import signal
    import subprocess
    import sys
    import time

    owner = subprocess.Popen([sys.executable, "-c", _OWNER], stdout=subprocess.PIPE, text=True)
    assert owner.stdout is not None
    pids = [int(p) for p in owner.stdout.readline().split()]
    assert len(pids) >= 2 and all(_alive(p) for p in pids)
    owner.send_signal(signal.SIGKILL)
    owner.wait()
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [p for p in pids if _alive(p)]


# --- 8. prefix flood --------------------------------------------------------------------------------------


def test_one_letter_and_surplus_prefixes_are_searched_as_words() -> None:
    from diemtin import search

    terms = search.parse(" ".join(f"{c}*" for c in "abcdeghiklmnopqrstuvxy") + " bão* lũ* mưa* gió*")
    assert [t.words[0] for t in terms if t.prefix] == ["bão", "lũ", "mưa"]
    assert len(terms) == 26 and not any(t.prefix for t in terms[:22])


# --- 11. smaller ones -------------------------------------------------------------------------------------

XSS = "<script>alert(1)</script><img src=x onerror=alert(2)> [bấm](javascript:alert(3))"


def test_raw_html_from_articles_is_inert_in_digest_md(tmp_path: Path) -> None:
    f = _jsonl(
        tmp_path / "a.jsonl",
        {"id": "x", "title": f"Bão số 3 {XSS}", "text": FLOOD_2020.replace("huy động", f"huy động {XSS}")},
    )
    d = pipeline.run([str(f)])
    md = report.render_markdown(d)
    assert "<script" not in md and "<img" not in md
    assert not re.search(r"(?<!\\)\]\(javascript", md)  # no live link: its brackets are escaped
    assert "&lt;script&gt;" in md  # shown as text, not dropped


def test_bidi_override_characters_are_removed(tmp_path: Path) -> None:
    f = _jsonl(
        tmp_path / "a.jsonl",
        {"title": "Tin \u202egnóđ\u202c mới", "text": CALL_2021, "source": "vov\u202e.vn"},
    )
    docs, _ = _read(f)
    assert docs[0].title == "Tin gnóđ mới" and docs[0].source == "vov.vn"


def _web_store(tmp_path: Path) -> Path:
    db = tmp_path / "s.db"
    f = _jsonl(tmp_path / "a.jsonl", {"id": "vov/2021/../tin 1", "text": CALL_2021})
    store.ingest(db, [str(f)])
    return db


def test_web_answers_ids_with_slashes_and_head(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from diemtin.web import create_app

    with TestClient(create_app(_web_store(tmp_path))) as c:
        r = c.get("/api/articles/vov%2F2021%2F..%2Ftin%201")
        assert r.status_code == 200 and r.json()["id"] == "vov/2021/../tin 1"
        assert c.get("/article/vov/2021/tin 1").status_code == 404
        event = c.get("/api/events").json()[0]["id"]
        page = c.get(f"/event/{event}").text
        assert 'href="/article/vov%2F2021%2F..%2Ftin%201"' in page
        assert c.get("/article/vov%2F2021%2F..%2Ftin%201").status_code == 200
        for path in ("/", f"/event/{event}", "/api/stories"):
            got, head = c.get(path), c.head(path)
            assert head.status_code == 200 and head.content == b""
            assert head.headers["content-length"] == str(len(got.content))


def test_web_refuses_host_names_other_than_loopback(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from diemtin.web import create_app
    from diemtin.web.middleware import LOOPBACK_HOSTS

    with TestClient(create_app(_web_store(tmp_path), allowed_hosts=LOOPBACK_HOSTS)) as c:
        assert c.get("/api/stories", headers={"Host": "evil.example:8000"}).status_code == 400
        for host in ("localhost:8000", "127.0.0.1:8000", "[::1]:8000"):
            assert c.get("/api/stories", headers={"Host": host}).status_code == 200, host


def test_db_on_a_folder_or_under_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    write_articles(tmp_path / "in", call=CALL_2021)
    for db, says in ((tmp_path, "is a folder"), (tmp_path / "no" / "such" / "s.db", "does not exist")):
        for args in (["ingest", str(tmp_path / "in")], ["search", "Putin"], ["digest"]):
            r = runner.invoke(app, [*args, "--db", str(db)])
            assert r.exit_code == 1 and (r.exception is None or isinstance(r.exception, SystemExit)), r.output
            assert "Traceback" not in r.output and (says in r.output or "no such store" in r.output), r.output
