"""Hostile input (issue 19): inputs an attacker or a careless user would give, each small and generated
here. Every test is named after what it protects; docs/robustness.md lists the cases. The large ones
(memory with a 60 MB record, a 2 GiB gzip bomb) are in bench/stress.py."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from diemtin import pipeline, store
from diemtin.cli import app
from diemtin.ingest import normalize_published
from diemtin.models import Article

from .helpers import CALL_2021, FLOOD_2020, write_articles

runner = CliRunner()

TOMORROW = (
    "Ngày mai, bão số 3 sẽ đổ bộ vào các tỉnh miền Trung, Trung tâm Dự báo khí tượng thủy văn cho biết."
)
LAST_YEAR = "Năm ngoái, giá vàng tăng mạnh, các chuyên gia cho biết tại cuộc họp báo sáng nay ở Hà Nội."


def _jsonl(path: Path, *records: dict[str, object]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


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
