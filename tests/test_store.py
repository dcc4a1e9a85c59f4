"""The SQLite store: migrations, incremental and idempotent ingest, crash safety, digest round trip."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from diemtin import store
from diemtin.cli import app

from .helpers import CALL_2021, FLOOD_2020, write_articles

ROOT = Path(__file__).resolve().parents[1]

STORM = """Bão số 9 đổ bộ vào Quảng Ngãi

Ngày 28/10/2020, bão số 9 (Molave) đổ bộ vào địa phận các tỉnh Quảng Nam, Quảng Ngãi với sức gió mạnh cấp 12.

Hàng nghìn ngôi nhà bị tốc mái, nhiều tuyến đường bị chia cắt do cây đổ và sạt lở.

Theo TTXVN
"""


def corpus(folder: Path) -> list[Path]:
    return write_articles(folder, call=CALL_2021, flood=FLOOD_2020, storm=STORM)


def snapshot(db: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = store.connect(db, readonly=True)
    try:
        return store.dump(conn)
    finally:
        conn.close()


def test_new_store_is_migrated_and_in_wal_mode(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    conn = store.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION == len(store.MIGRATIONS)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"articles", "removed", "duplicates", "events", "stories", "summaries", "inputs"} <= tables
    conn.close()
    # Opening again applies nothing and keeps the data.
    conn = store.connect(db)
    assert store.migrate(conn) == store.SCHEMA_VERSION
    conn.close()


def test_old_store_is_migrated_forward_keeping_its_data(tmp_path: Path) -> None:
    corpus(tmp_path / "in")
    db = tmp_path / "old.db"
    # A store as the first release wrote it: only migration 1, then data.
    conn = sqlite3.connect(db, isolation_level=None)
    conn.executescript(f"BEGIN; {store.MIGRATIONS[0]} PRAGMA user_version = 1; COMMIT;")
    conn.close()
    store.ingest(db, [str(tmp_path / "in")])
    conn = store.connect(db, readonly=True)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 3
    conn.close()


def test_newer_schema_and_foreign_files_are_refused_with_the_path(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    sqlite3.connect(db).execute(f"PRAGMA user_version = {store.SCHEMA_VERSION + 1}")
    with pytest.raises(store.StoreError, match="newer"):
        store.connect(db)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(store.StoreError, match=r"junk\.db"):
        store.connect(junk)
    with pytest.raises(store.StoreError, match=r"missing\.db"):
        store.connect(tmp_path / "missing.db", readonly=True)


def test_ingest_twice_adds_nothing(tmp_path: Path) -> None:
    corpus(tmp_path / "in")
    db = tmp_path / "s.db"
    first = store.ingest(db, [str(tmp_path / "in")])
    assert len(first.added) == 3 and first.articles == 3 and first.derived
    assert first.events >= 2  # a phone call and a flood are not one event
    before = snapshot(db)
    second = store.ingest(db, [str(tmp_path / "in")])
    assert second.added == [] and second.updated == [] and len(second.unchanged) == 3
    assert not second.derived
    assert snapshot(db) == before


def test_changed_file_replaces_its_article(tmp_path: Path) -> None:
    paths = corpus(tmp_path / "in")
    db = tmp_path / "s.db"
    store.ingest(db, [str(tmp_path / "in")])
    conn = store.connect(db, readonly=True)
    old_ids = {r[0] for r in conn.execute("SELECT id FROM articles")}
    conn.close()
    flood = next(p for p in paths if p.stem == "flood")
    flood.write_text(FLOOD_2020.replace("hàng chục người", "ít nhất 30 người"), encoding="utf-8")
    result = store.ingest(db, [str(tmp_path / "in")])
    assert result.updated == [str(flood.absolute())] and result.articles == 3 and result.derived
    conn = store.connect(db, readonly=True)
    texts = [r[0] for r in conn.execute("SELECT text FROM articles")]
    new_ids = {r[0] for r in conn.execute("SELECT id FROM articles")}
    events_articles = {r[0] for r in conn.execute("SELECT article FROM event_articles")}
    conn.close()
    assert any("ít nhất 30 người" in t for t in texts)
    assert not any("hàng chục người" in t for t in texts)
    assert len(old_ids - new_ids) == 1 and len(new_ids) == 3
    # Derived tables follow: no event still points at the replaced article.
    assert events_articles <= new_ids


def test_order_of_ingest_does_not_change_the_store(tmp_path: Path) -> None:
    paths = corpus(tmp_path / "in")
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    store.ingest(a, [str(p) for p in paths])
    for p in reversed(paths):
        store.ingest(b, [str(p)])
    assert snapshot(a) == snapshot(b)


def test_record_ids_are_kept_and_json_records_stored(tmp_path: Path) -> None:
    recs = [
        {
            "id": "vov-1",
            "title": "Hà Nội mưa lớn",
            "text": "Chiều 5/6/2023, Hà Nội có mưa lớn.",
            "source": "VOV",
        },
        {"title": "Đà Nẵng đón khách", "text": "Đà Nẵng đón hơn 1 triệu lượt khách trong tháng 6/2023."},
    ]
    f = tmp_path / "in.jsonl"
    f.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in recs), encoding="utf-8")
    db = tmp_path / "s.db"
    store.ingest(db, [str(f)])
    conn = store.connect(db, readonly=True)
    ids = [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY ord")]
    conn.close()
    assert ids[0] == "vov-1"
    assert len(ids[1]) == 16 and ids[1] != "vov-1"  # content hash


def test_interrupted_derivation_is_finished_by_the_next_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus(tmp_path / "in")
    clean_db, db = tmp_path / "clean.db", tmp_path / "s.db"
    store.ingest(clean_db, [str(tmp_path / "in")])

    def boom(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(store.pipeline, "build_digest", boom)
    with pytest.raises(KeyboardInterrupt):
        store.ingest(db, [str(tmp_path / "in")])
    monkeypatch.undo()
    conn = store.connect(db, readonly=True)
    assert store.is_dirty(conn)
    assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == 0
    conn.close()
    result = store.ingest(db, [str(tmp_path / "in")])
    assert result.derived and result.added == []
    assert snapshot(db) == snapshot(clean_db)


def test_sigkill_at_random_points_then_rerun_equals_a_clean_run(tmp_path: Path) -> None:
    # Enough files that a kill lands mid-run; every run must end equal to one uninterrupted run.
    inputs = tmp_path / "in"
    bodies = [CALL_2021, FLOOD_2020, STORM]
    for i in range(24):
        text = bodies[i % 3].replace("Ngày", f"Bản tin số {i}. Ngày", 1)
        (inputs / f"{i:02}").mkdir(parents=True, exist_ok=True)
        (inputs / f"{i:02}" / "a.txt").write_text(text, encoding="utf-8")
    cmd = [sys.executable, "-m", "diemtin", "ingest", str(inputs), "--db", str(tmp_path / "k.db"), "-q"]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    t0 = time.perf_counter()
    timing = subprocess.run(
        [*cmd[:-2], str(tmp_path / "t.db"), "-q"], env=env, capture_output=True, timeout=120
    )
    assert timing.returncode == 0, timing.stderr
    full = time.perf_counter() - t0
    # The uninterrupted run is the reference (run as a subprocess too, so both use the same code).
    expected = snapshot(tmp_path / "t.db")
    rng = random.Random(5)
    killed = 0
    # Up to three kills; a run that ends before its kill (the machine got faster since the timing
    # run, e.g. when other tests finish) just counts as another completed run.
    for _ in range(8):
        if killed == 3:
            break
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # Anywhere from start-up to most of a full run: mid-file, mid-derivation, between commits.
        time.sleep(rng.uniform(0.05, 0.7) * full)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            killed += 1
        proc.wait(timeout=60)
        conn = sqlite3.connect(tmp_path / "k.db")
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
    done = subprocess.run(cmd, env=env, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert snapshot(tmp_path / "k.db") == expected
    assert killed >= 1


def test_stored_digest_round_trips(tmp_path: Path) -> None:
    corpus(tmp_path / "in")
    db = tmp_path / "s.db"
    store.ingest(db, [str(tmp_path / "in")])
    conn = store.connect(db)
    fresh = store.refresh_derived(conn)
    loaded = store.load_digest(conn)
    conn.close()
    assert loaded.to_dict() == fresh.to_dict()


def test_as_of_stays_with_its_batch_and_day_round_trips(tmp_path: Path) -> None:
    # A batch crawled on 31/8/2022 says "Tối 27/8": stored with its as-of, dated 2022-08-27; a later
    # batch ingested without --as-of leaves that date alone. A year-less day (no as-of) keeps its day.
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    fire = "Cháy kho hàng\n\nTối 27/8, một đám cháy lớn bùng phát tại kho hàng trên đường Nguyễn Văn Linh, quận 7.\n"
    (tmp_path / "a" / "fire.txt").write_text(fire, encoding="utf-8")
    flood = "Lũ quét ở Lào Cai\n\nSáng 5/9, lũ quét bất ngờ đổ về khiến nhiều nhà dân ở huyện Bát Xát bị ngập sâu.\n"
    (tmp_path / "b" / "flood.txt").write_text(flood, encoding="utf-8")
    db = tmp_path / "s.db"
    runner = CliRunner()
    r = runner.invoke(app, ["ingest", str(tmp_path / "a"), "--db", str(db), "--as-of", "2022-08-31"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["ingest", str(tmp_path / "b"), "--db", str(db)])
    assert r.exit_code == 0, r.output
    conn = store.connect(db)
    d = store.load_digest(conn)
    assert loaded_equal(conn, d)
    conn.close()
    by_title = {e.title: e for e in d.events}
    fire_ev = next(e for t, e in by_title.items() if "cháy" in t.lower())
    flood_ev = next(e for t, e in by_title.items() if "lũ" in t.lower())
    assert fire_ev.date == "2022-08-27" and "--as-of 31/8/2022" in (fire_ev.date_evidence or "")
    assert flood_ev.date is None and flood_ev.day == "09-05"
    assert [x.field for a in d.articles for x in a.anchors] == ["--as-of"]


def loaded_equal(conn: sqlite3.Connection, d: object) -> bool:
    """The stored digest is what a refresh computes (anchors, day and full reasoning included)."""
    fresh = store.refresh_derived(conn)
    return store.load_digest(conn).to_dict() == fresh.to_dict() and d is not None


def test_cli_ingest_and_digest_from_store(tmp_path: Path) -> None:
    corpus(tmp_path / "in")
    db = tmp_path / "s.db"
    runner = CliRunner()
    r = runner.invoke(app, ["ingest", str(tmp_path / "in"), "--db", str(db)])
    assert r.exit_code == 0, r.output
    assert "3 added" in r.output
    r = runner.invoke(app, ["ingest", str(tmp_path / "in"), "--db", str(db)])
    assert "0 added, 0 updated, 3 unchanged" in r.output
    out = tmp_path / "out"
    r = runner.invoke(app, ["digest", "--db", str(db), "-o", str(out)])
    assert r.exit_code == 0, r.output
    data = json.loads((out / "digest.json").read_text(encoding="utf-8"))
    assert len(data["articles"]) == 3 and data["events"]
    r = runner.invoke(app, ["digest", "--db", str(tmp_path / "none.db"), "-o", str(out)])
    assert r.exit_code == 1 and "none.db" in r.output


def test_ingest_reports_unreadable_inputs(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    result = store.ingest(db, [str(bad), str(tmp_path / "missing.txt")])
    reasons = " ".join(s.reason for s in result.skipped)
    assert "missing.txt" in reasons and "bad.txt" in reasons
    assert result.articles == 0


def test_cli_ingest_of_nothing_readable_is_an_error(tmp_path: Path) -> None:
    runner = CliRunner()
    db = tmp_path / "s.db"
    (tmp_path / "empty").mkdir()
    r = runner.invoke(app, ["ingest", str(tmp_path / "empty"), "--db", str(db)])
    assert r.exit_code == 1 and "no article could be read" in r.output and "empty" in r.output
    # Also when the store already holds articles: this call read nothing.
    corpus(tmp_path / "in")
    assert runner.invoke(app, ["ingest", str(tmp_path / "in"), "--db", str(db), "-q"]).exit_code == 0
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / "blank.txt").write_bytes(b"")
    r = runner.invoke(app, ["ingest", str(tmp_path / "junk"), "--db", str(db)])
    assert r.exit_code == 1 and "blank.txt" in r.output
    # Re-ingesting unchanged files is not an error.
    assert runner.invoke(app, ["ingest", str(tmp_path / "in"), "--db", str(db), "-q"]).exit_code == 0


def test_reading_in_worker_processes_stores_the_same(tmp_path: Path) -> None:
    corpus(tmp_path / "in")
    # An exact copy of call.txt: both are stored (the copy under a qualified id), dedup makes them one.
    (tmp_path / "in" / "same.txt").write_text(CALL_2021, encoding="utf-8")
    one = store.ingest(tmp_path / "one.db", [str(tmp_path / "in")])
    two = store.ingest(tmp_path / "two.db", [str(tmp_path / "in")], jobs=2)
    assert two.stored == one.stored == 4 and len(two.added) == 4
    assert two.events == one.events == 3
    assert [s.reason for s in two.skipped] == [s.reason for s in one.skipped]
    assert snapshot(tmp_path / "one.db") == snapshot(tmp_path / "two.db")


def test_cli_ingest_with_jobs_updates_events_on_worker_processes_the_same(tmp_path: Path) -> None:
    runner = CliRunner()
    corpus(tmp_path / "in")
    for name, extra in (("one.db", []), ("two.db", ["-j", "2"])):
        r = runner.invoke(app, ["ingest", str(tmp_path / "in"), "--db", str(tmp_path / name), "-q", *extra])
        assert r.exit_code == 0, r.output
    assert snapshot(tmp_path / "one.db") == snapshot(tmp_path / "two.db")
    conn = store.connect(tmp_path / "two.db", readonly=True)
    try:
        assert conn.execute("SELECT count(*) FROM events").fetchone()[0] >= 2
    finally:
        conn.close()


# A crawler's body-only file: one paragraph, no title line (ingest derives the title from it).
BODY_ONLY = (
    "Sáng 14/3, Ủy ban nhân dân tỉnh Lâm Đồng tổ chức họp báo công bố kế hoạch tổ chức Lễ hội Hoa Đà Lạt "
    "lần thứ 10 với hơn 60 hoạt động diễn ra từ tháng 11 đến hết tháng 12, trong đó có chương trình nghệ "
    "thuật khai mạc tại quảng trường Lâm Viên và đường hoa trên phố đi bộ Nguyễn Thị Minh Khai. Ban tổ "
    "chức dự kiến đón khoảng 300.000 lượt khách trong thời gian diễn ra lễ hội.\n"
)


def test_derived_title_is_stored_and_marked_from_the_store(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    corpus(folder)
    (folder / "le-hoi-hoa.txt").write_text(BODY_ONLY, encoding="utf-8")
    db = tmp_path / "s.db"
    store.ingest(db, [str(folder)])
    conn = store.connect(db, readonly=True)
    try:
        arts = {Path(a.path).name: a for a in store.load_articles(conn)}
        flags = dict(conn.execute("SELECT path, title_derived FROM articles").fetchall())
    finally:
        conn.close()
    assert arts["le-hoi-hoa.txt"].title_derived
    assert arts["le-hoi-hoa.txt"].title.startswith("Sáng 14/3, Ủy ban nhân dân tỉnh Lâm Đồng")
    assert not arts["storm.txt"].title_derived and arts["storm.txt"].title == "Bão số 9 đổ bộ vào Quảng Ngãi"
    assert sorted(flags.values()) == [0, 0, 0, 1]
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["digest", "--db", str(db), "-o", str(out)])
    assert res.exit_code == 0, res.output
    md = (out / "digest.md").read_text(encoding="utf-8")
    assert "Câu đầu: Sáng 14/3, Ủy ban nhân dân tỉnh Lâm Đồng" in md
    assert "Câu đầu: Bão số 9" not in md


def test_store_of_schema_5_gains_title_derived_unset(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db)
    script = "".join(store.MIGRATIONS[:5])
    conn.executescript(f"BEGIN; {script} PRAGMA user_version = 5; COMMIT;")
    conn.execute("INSERT INTO inputs VALUES ('a.txt', 'h', 1)")
    conn.execute(
        "INSERT INTO articles (id, input, ord, path, title, text, given) VALUES"
        " ('a1', 'a.txt', 0, 'a.txt', 'Tiêu đề cũ', 'Nội dung.', 'a1')"
    )
    conn.commit()
    conn.close()
    conn = store.connect(db)
    try:
        rows = [tuple(r) for r in conn.execute("SELECT title, title_derived FROM articles")]
        assert rows == [("Tiêu đề cũ", 0)]
        art = store.get_article(conn, "a1")
    finally:
        conn.close()
    assert art is not None and not art.title_derived


def _derived(db: Path) -> dict[str, list[tuple[object, ...]]]:
    return {k: v for k, v in snapshot(db).items() if k in store.DERIVED_TABLES}


def test_incremental_ingest_equals_a_full_rebuild_and_reuses_the_unchanged_work(tmp_path: Path) -> None:
    # A store that grows: the seeds and 12 VietnameseMDS clusters, then 3 more clusters, one changed
    # report and one deleted. The store after the second ingest (which reuses signatures, dates and the
    # summaries of unchanged events) must equal a store built from the final files in one go.
    from .conftest import SEEDS, VMDS

    if not SEEDS.is_dir() or not VMDS.is_dir():
        pytest.skip("../shared not present")
    inputs = tmp_path / "in"
    shutil.copytree(SEEDS, inputs / "seeds")
    clusters = [f"cluster_{i}" for i in range(1, 17)]
    for c in clusters:
        shutil.copytree(VMDS / c, inputs / c, ignore=shutil.ignore_patterns("*.ref*.txt", "cluster_*"))
    grown = tmp_path / "grown.db"
    first = store.ingest(grown, [str(inputs / "seeds"), *(str(inputs / c) for c in clusters[:12])])
    assert first.derived and first.reused["event"][0] == 0  # a new store: nothing to reuse
    # A day's files named one by one (as a crawler hands them over): the stored files of the folders
    # not named are not taken for gone, and the store still ends equal to one built in one go.
    one_by_one = sorted((inputs / "cluster_16").glob("*.body.txt"))
    daily = store.ingest(grown, [str(p) for p in one_by_one])
    assert len(daily.added) == len(one_by_one) and not daily.removed
    changed = sorted((inputs / "cluster_2").glob("*.body.txt"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nBài viết được cập nhật thêm.\n", "utf-8")
    sorted((inputs / "cluster_5").glob("*.body.txt"))[-1].unlink()
    second = store.ingest(grown, [str(inputs)])
    assert second.added and second.updated and second.removed
    found, asked = second.reused["event"]
    assert asked == second.events and 0 < found < asked  # most events reused, the changed ones made again
    assert second.reused["signature"][0] >= second.articles - 10 and second.reused["story"][0] > 0
    full = tmp_path / "full.db"
    store.ingest(full, [str(inputs)])
    assert _derived(grown) == _derived(full)
    # ... and equal to a refresh that computes everything (no cache).
    conn = store.connect(grown)
    assert store.refresh_derived(conn, cached=False).to_dict() == store.load_digest(conn).to_dict()
    conn.close()
    assert _derived(grown) == _derived(full)


def test_cache_keeps_only_what_the_articles_need_and_damaged_entries_are_misses(tmp_path: Path) -> None:
    paths = corpus(tmp_path / "in")
    db = tmp_path / "s.db"
    store.ingest(db, [str(tmp_path / "in")])
    reference = _derived(db)
    conn = store.connect(db)
    rows = conn.execute("SELECT kind, count(*) FROM cache GROUP BY kind ORDER BY kind").fetchall()
    events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    stories = conn.execute("SELECT count(*) FROM stories").fetchone()[0]
    assert dict(rows) == {"date": 3, "event": events, "features": 3, "signature": 3, "story": stories}
    # Damage every entry (a torn or foreign value): each is a miss, computed again, same digest.
    conn.execute("UPDATE cache SET value = x'0700000000'")
    conn.execute("UPDATE meta SET value = '1' WHERE key = 'derived_dirty'")
    conn.close()
    result = store.ingest(db, [str(tmp_path / "in")])
    assert result.reused == {
        "signature": (0, 3), "date": (0, 3), "features": (0, 3), "event": (0, events), "story": (0, stories)
    }  # fmt: skip
    assert _derived(db) == reference
    # A file removed: the entries only its article needed are dropped with the refresh.
    paths[0].unlink()
    store.ingest(db, [str(tmp_path / "in")])
    conn = store.connect(db)
    assert conn.execute("SELECT count(*) FROM cache WHERE kind = 'signature'").fetchone()[0] == 2
    conn.close()
