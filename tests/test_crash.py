"""Crash safety of ingest into the SQLite store: a run killed with SIGKILL at any SQL statement leaves a
store that opens, passes SQLite's integrity check, and, after ingest is run again, is identical to a store
built by one uninterrupted run.

The kill is real: a forked child runs ``store.ingest`` with an SQLite trace callback that sends the child
SIGKILL just before its N-th SQL statement executes (migrations, per-file transactions, the derived-table
swap, each COMMIT), so no Python cleanup, ``finally`` or rollback runs.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import struct
from collections.abc import Callable
from pathlib import Path

import pytest

from diemtin import legacy

from .helpers import CALL_2021, FLOOD_2020

store = pytest.importorskip("diemtin.store", reason="diemtin.store does not exist yet")

# Kill points per scenario: every COMMIT (the kill lands just before it executes) plus POINTS statements
# spread evenly over the run; set DIEMTIN_CRASH_ALL=1 to kill at every statement (slow).
POINTS = 12
_REC = struct.Struct("I12s")  # statement number, first bytes of its SQL


def _corpus(folder: Path, n: int, salt: str = "") -> list[Path]:
    """``n`` distinct articles (two stories, different years), one TCVN3 file and one bad file."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        base = CALL_2021 if i % 2 else FLOOD_2020
        text = base.replace("2021", str(2010 + i)).replace("2020", str(2000 + i))
        text += f"\nĐây là bài số {i}{salt}, đăng trên trang tin địa phương.\n"
        p = folder / f"a{i:02d}.txt"
        p.write_text(text, encoding="utf-8")
        paths.append(p)
    (folder / "old.txt").write_bytes(legacy.to_tcvn3(FLOOD_2020.replace("2020", "1998")).encode("latin-1"))
    (folder / "broken.txt").write_bytes(b"\x00\x01\x02" * 50)
    return paths


def _in_child(fn: Callable[[], None], kill_at: int = 0) -> tuple[bool, list[str]]:
    """Run ``fn`` in a forked child whose SQLite connections SIGKILL it before statement ``kill_at``
    (0: never). Returns (killed, the start of each statement executed or reached, in order)."""
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        count = 0
        connect = sqlite3.connect

        def tracing_connect(*args: object, **kwargs: object) -> sqlite3.Connection:
            conn = connect(*args, **kwargs)  # type: ignore[arg-type]

            def trace(sql: str) -> None:
                nonlocal count
                count += 1
                os.write(wfd, _REC.pack(count, sql.strip().upper().encode()[:12]))
                if count == kill_at:
                    os.kill(os.getpid(), signal.SIGKILL)

            conn.set_trace_callback(trace)
            return conn

        code = 0
        try:
            sqlite3.connect = tracing_connect  # type: ignore[assignment]
            fn()
        except BaseException:
            code = 3
        os._exit(code)
    os.close(wfd)
    with os.fdopen(rfd, "rb") as fh:
        data = fh.read()
    _, status = os.waitpid(pid, 0)
    recs = [_REC.unpack_from(data, i) for i in range(0, len(data), _REC.size)]
    assert [n for n, _ in recs] == list(range(1, len(recs) + 1))
    statements = [sql.rstrip(b"\0").decode(errors="replace") for _, sql in recs]
    if os.WIFSIGNALED(status):
        assert os.WTERMSIG(status) == signal.SIGKILL
        return True, statements
    assert os.WEXITSTATUS(status) == 0, "ingest failed in the child"
    return False, statements


def _dump(db: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = store.connect(db)
    try:
        return store.dump(conn)  # type: ignore[no-any-return]
    finally:
        conn.close()


def _integrity(db: Path) -> None:
    if not db.exists():
        return
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def _kill_points(statements: list[str]) -> list[int]:
    total = len(statements)
    if os.environ.get("DIEMTIN_CRASH_ALL"):
        return list(range(1, total + 1))
    commits = {i + 1 for i, sql in enumerate(statements) if sql.startswith("COMMIT")}
    step = max(1, total // POINTS)
    return sorted({*range(1, total + 1, step), total, *commits})


def _crash_and_recover(tmp_path: Path, prepare: Callable[[Path], None], run: Callable[[Path], None]) -> int:
    """For kill points across ``run``: fresh store made by ``prepare``, killed run, integrity check,
    recovery run; each recovered store must equal the uninterrupted one. Returns the kill count."""
    reference = tmp_path / "reference.db"
    prepare(reference)
    killed, statements = _in_child(lambda: run(reference))
    total = len(statements)
    assert not killed and total > 10 and sum(s.startswith("COMMIT") for s in statements) >= 3
    expected = _dump(reference)
    assert expected["articles"], "the uninterrupted run stored nothing"
    kills = 0
    for point in _kill_points(statements):
        db = tmp_path / f"crash-{point}.db"
        prepare(db)
        killed, reached = _in_child(lambda db=db: run(db), kill_at=point)  # type: ignore[misc]
        assert killed and len(reached) == point
        kills += 1
        _integrity(db)
        run(db)  # recovery: simply run ingest again
        assert _dump(db) == expected, f"store differs after a kill at statement {point} of {total}"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    return kills


def test_first_ingest_killed_at_any_statement(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    _corpus(folder, 6)

    def prepare(db: Path) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)

    def run(db: Path) -> None:
        store.ingest(db, [str(folder)])

    assert _crash_and_recover(tmp_path, prepare, run) >= 10


def test_incremental_ingest_killed_at_any_statement(tmp_path: Path) -> None:
    """A second run that changes one file, deletes none, and adds two, killed anywhere."""
    folder = tmp_path / "in"
    paths = _corpus(folder, 4)

    def prepare(db: Path) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        paths[1].write_text(CALL_2021, encoding="utf-8")
        for extra in ("b1.txt", "b2.txt"):
            (folder / extra).unlink(missing_ok=True)
        store.ingest(db, [str(folder)])
        # The change the second run picks up.
        paths[1].write_text(CALL_2021.replace("13/4/2021", "14/4/2021") + "\nCập nhật.\n", encoding="utf-8")
        (folder / "b1.txt").write_text(
            FLOOD_2020.replace("20/10", "21/10") + "\nBài bổ sung.\n", encoding="utf-8"
        )
        (folder / "b2.txt").write_text(CALL_2021.replace("Putin", "Medvedev"), encoding="utf-8")

    def run(db: Path) -> None:
        store.ingest(db, [str(folder)])

    assert _crash_and_recover(tmp_path, prepare, run) >= 10


def test_killed_store_says_derived_tables_are_stale(tmp_path: Path) -> None:
    """Killed after some files were committed and before the derived tables were swapped: the
    ``derived_dirty`` flag is set, so the next run recomputes them even if no file changed."""
    folder = tmp_path / "in"
    _corpus(folder, 4)
    db = tmp_path / "s.db"

    def run() -> None:
        store.ingest(db, [str(folder)])

    _, statements = _in_child(run)
    total = len(statements)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    # Find the last statement before the derived-table swap starts: kill there.
    point = total // 2
    while True:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        killed, _ = _in_child(run, kill_at=point)
        assert killed
        conn = sqlite3.connect(db)
        try:
            has_articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0] > 0
            dirty = conn.execute("SELECT value FROM meta WHERE key = 'derived_dirty'").fetchone()[0]
            events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
        finally:
            conn.close()
        if has_articles:
            break
        point += max(1, total // 10)
        assert point < total
    assert dirty == "1" and events == 0
    result = store.ingest(db, [str(folder)])
    assert result.derived and result.events > 0


def _has_ingest_command() -> bool:
    import typer.main

    from diemtin.cli import app

    return "ingest" in typer.main.get_group(app).commands


@pytest.mark.skipif(not _has_ingest_command(), reason="the `diemtin ingest` command does not exist yet")
def test_cli_ingest_killed_then_rerun(tmp_path: Path) -> None:
    """`diemtin ingest PATH --db DB` in a real process, SIGKILLed right after it reports its first stored
    file, then run again: the store equals one built by a single uninterrupted `store.ingest`."""
    import subprocess
    import sys

    folder = tmp_path / "in"
    _corpus(folder, 6)
    reference = tmp_path / "reference.db"
    store.ingest(reference, [str(folder)])
    db = tmp_path / "cli.db"
    cmd = [sys.executable, "-m", "diemtin", "ingest", str(folder), "--db", str(db)]
    env = {**os.environ, "COLUMNS": "400"}
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    assert proc.stderr is not None
    first = proc.stderr.readline()  # "added     /.../a00.txt": that file's transaction has committed
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert first.startswith("added"), first
    assert proc.returncode == -signal.SIGKILL
    _integrity(db)
    again = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env)
    assert again.returncode == 0, again.stderr
    assert _dump(db) == _dump(reference)
