"""Bad inputs: each is skipped with a message naming it and the reason, the batch goes on, and the CLI
ends with a count of skipped inputs and the documented exit code (0 ok, 1 nothing readable, 2 usage)."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from diemtin.cli import app
from diemtin.ingest import MAX_BYTES, read_inputs
from diemtin.models import RawDocument, Skipped

from .helpers import CALL_2021, FLOOD_2020, read_as, unprivileged_user

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]


def _read(*paths: Path | str) -> tuple[list[RawDocument], dict[str, str]]:
    docs: list[RawDocument] = []
    skipped: dict[str, str] = {}
    for item in read_inputs([str(p) for p in paths]):
        if isinstance(item, Skipped):
            assert item.path not in skipped
            skipped[item.path] = item.reason
        else:
            docs.append(item)
    return docs, skipped


def _skip_reason(path: Path | str) -> str:
    """Read ``path`` next to a good article: the good one is read, ``path`` skipped; its reason."""
    good = Path(path).parent / "good_article.txt"
    good.write_text(CALL_2021, encoding="utf-8")
    docs, skipped = _read(good, path)
    assert [d.path for d in docs] == [str(good)]
    assert list(skipped) == [str(path)]
    reason = skipped[str(path)]
    assert reason.startswith(f"{path}: ")
    return reason


def _flat(text: str) -> str:
    """Output without line wrapping (rich wraps long paths on narrow terminals)."""
    return "".join(text.split())


# --------------------------------------------------------------------------------------------------
# One kind of bad input at a time (read_inputs, the path every command uses)


def test_empty_and_blank_files(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text(" \n\t\r\n  \n", encoding="utf-8")
    assert _skip_reason(tmp_path / "empty.txt").endswith(": empty file")
    assert _skip_reason(tmp_path / "blank.txt").endswith(": empty file")


@pytest.mark.parametrize("name", ["photo.txt", "photo.png"])
def test_binary_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 20)
    assert _skip_reason(path).endswith(": binary file (not text)")


def test_truncated_html_keeps_what_is_there(tmp_path: Path) -> None:
    path = tmp_path / "cut.html"
    path.write_text(
        "<html><head><title>Ông Biden điện đàm với ông Putin</title></head><body><article>"
        "<h1>Ông Biden điện đàm với ông Putin</h1><p>Ngày 13/4, Điện Kremlin cho biết hai tổng thống đã "
        "điện đàm về nhiều vấn đề quan trọng của quan hệ song phương trong bối cảnh căng th",
        encoding="utf-8",
    )
    docs, skipped = _read(path)
    assert not skipped
    (doc,) = docs
    assert doc.title == "Ông Biden điện đàm với ông Putin"
    assert any("Điện Kremlin cho biết" in line for line in doc.lines)


def test_html_cut_before_any_text(tmp_path: Path) -> None:
    path = tmp_path / "stub.html"
    path.write_text("<html><head><ti", encoding="utf-8")
    assert _skip_reason(path).endswith(": no article text found")


def test_50_mb_single_line_file_is_refused_fast(tmp_path: Path) -> None:
    path = tmp_path / "one_line.txt"
    with path.open("wb") as fh:
        chunk = "Tổng thống Nga điện đàm với Tổng thống Mỹ ".encode() * 20_000
        while fh.tell() < 50_000_000:
            fh.write(chunk)
    reason = _skip_reason(path)
    assert "a line of 4" in reason and "MiB" in reason and "is not article text" in reason


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.truncate(MAX_BYTES + 1)  # sparse: no disk, no time
    reason = _skip_reason(path)
    assert "too large (64 MiB > 64 MiB)" in reason or "too large (65 MiB > 64 MiB)" in reason


def test_deeply_nested_html(tmp_path: Path) -> None:
    path = tmp_path / "nested.html"
    para = "<p>Tổng thống Nga và Tổng thống Mỹ điện đàm về nhiều vấn đề quan trọng của quan hệ hai nước.</p>"
    path.write_text("<html><body>" + "<div>" * 20_000 + para + "</div>" * 20_000 + "</body></html>")
    reason = _skip_reason(path)
    assert (
        "HTML nested 20003 levels deep" in reason
    )  # html, body, 20000 divs, p and "no article text found" in reason
    # Nesting the parser can handle is read normally.
    ok = tmp_path / "ok.html"
    ok.write_text("<html><body>" + "<div>" * 100 + para + "</div>" * 100 + "</body></html>")
    docs, skipped = _read(ok)
    assert not skipped and "điện đàm" in docs[0].title + " ".join(docs[0].lines)


def test_jsonl_broken_lines_are_skipped_with_their_numbers(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    good = {"id": "a", "title": "Lũ lụt miền Trung", "text": FLOOD_2020}
    lines = [
        json.dumps(good, ensure_ascii=False),
        '{"id": "b", "title": "Cắt ngang',  # truncated record
        "",
        "not json at all",
        json.dumps({"id": "c", "title": "Điện đàm", "text": CALL_2021}, ensure_ascii=False),
        json.dumps({"id": "d", "title": "Thiếu nội dung"}, ensure_ascii=False),  # no text
        json.dumps(["a", "list"]),
        json.dumps({"id": "e", "text": "   "}),  # blank text
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    docs, skipped = _read(path)
    assert [d.id for d in docs] == ["a", "c"]
    assert skipped == {
        f"{path}:2": f"{path}:2: broken JSON line (Invalid control character at)",
        f"{path}:4": f"{path}:4: broken JSON line (Expecting value)",
        f"{path}:6": f"{path}:6: record has no 'text'",
        f"{path}:7": f"{path}:7: record is not a JSON object",
        f"{path}:8": f"{path}:8: record has no 'text'",
    }


def test_json_array_broken_and_missing_fields(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('[{"text": "Nội dung"}, {"te', encoding="utf-8")
    assert "invalid JSON (Unterminated string starting at: line 1 column 25)" in _skip_reason(broken)
    partial = tmp_path / "partial.json"
    partial.write_text(
        json.dumps(
            [{"title": "Không có nội dung"}, {"text": "Tiêu đề\nNội dung bài báo."}], ensure_ascii=False
        ),
        encoding="utf-8",
    )
    docs, skipped = _read(partial)
    assert [d.title for d in docs] == ["Tiêu đề"]
    assert skipped == {f"{partial}#1": f"{partial}#1: record has no 'text'"}


def test_duplicate_files_are_reported(tmp_path: Path) -> None:
    for name in ("a.txt", "copy.txt", "sub/again.txt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(CALL_2021, encoding="utf-8")
    docs, skipped = _read(tmp_path)
    assert [d.path for d in docs] == [str(tmp_path / "a.txt")]
    assert skipped == {
        str(tmp_path / p): f"{tmp_path / p}: identical to {tmp_path / 'a.txt'} (skipped as a duplicate)"
        for p in ("copy.txt", "sub/again.txt")
    }


def test_fifo_is_refused_instead_of_blocking(tmp_path: Path) -> None:
    path = tmp_path / "pipe.txt"
    os.mkfifo(path)
    assert _skip_reason(path).endswith(": not a regular file (FIFO, socket or device)")


def test_socket_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.txt"
    with socket.socket(socket.AF_UNIX) as sock:
        try:
            sock.bind(str(path))
        except OSError as exc:  # path too long for AF_UNIX on some systems
            pytest.skip(f"cannot create a socket here: {exc}")
        assert _skip_reason(path).endswith(": not a regular file (FIFO, socket or device)")


def test_dangling_symlink_and_missing_path(tmp_path: Path) -> None:
    link = tmp_path / "gone.txt"
    link.symlink_to(tmp_path / "deleted.txt")
    assert _skip_reason(link).endswith(": cannot read (No such file or directory)")
    assert _skip_reason(tmp_path / "typo.txt").endswith(": cannot read (No such file or directory)")
    # Found while walking a folder, too (and not silently ignored).
    docs, skipped = _read(tmp_path)
    assert [d.path for d in docs] == [str(tmp_path / "good_article.txt")]
    assert skipped == {str(link): f"{link}: cannot read (No such file or directory)"}


def test_folder_without_articles(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").mkdir()  # a folder that looks like a file
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "a.jpg").write_bytes(b"\xff\xd8\xff")
    for folder in (tmp_path / "notes.txt", tmp_path / "photos"):
        assert _skip_reason(folder).endswith(": folder has no .txt, .html, .json(l) or .warc files")


def test_broken_gzip(tmp_path: Path) -> None:
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(b"<html><body><p>" + "Tổng thống".encode() * 100)[:40])
    assert ": broken gzip file (" in _skip_reason(path)


def test_gzip_bomb_is_refused_without_expanding(tmp_path: Path) -> None:
    path = tmp_path / "bomb.txt.gz"
    with gzip.open(path, "wb", compresslevel=1) as gz:
        block = b"\0" * (1 << 20)
        for _ in range(MAX_BYTES // len(block) + 4):
            gz.write(block)
    assert path.stat().st_size < 1 << 20
    assert _skip_reason(path).endswith(": decompresses to more than 64 MiB")


def test_unreadable_file(tmp_path: Path) -> None:
    # A chmod-000 file in a folder others may enter, and a file inside a folder they may not enter.
    open_dir = Path(tempfile.mkdtemp(prefix="diemtin-perm-"))
    try:
        open_dir.chmod(0o755)
        secret = open_dir / "secret.txt"
        locked = open_dir / "locked"
        locked.mkdir(mode=0o700)
        inside = locked / "inside.txt"
        for path in (secret, inside):
            path.write_text(CALL_2021, encoding="utf-8")
        secret.chmod(0)
        user = unprivileged_user()
        for path in (secret, inside):
            assert read_as(user, path) == {str(path): f"{path}: cannot read (Permission denied)"}
        if user is not None:
            # As root the same files are read: the check above did not fail for some other reason.
            # (Inputs are read in sorted order: "locked/inside.txt" first, so "secret.txt" is the copy.)
            docs, skipped = _read(secret, inside)
            assert len(docs) == 1 and "identical to" in skipped[str(secret)]
    finally:
        shutil.rmtree(open_dir, ignore_errors=True)


# --------------------------------------------------------------------------------------------------
# Through the CLI


@pytest.fixture()
def mixed_batch(tmp_path: Path) -> Iterator[tuple[Path, list[Path]]]:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "call.txt").write_text(CALL_2021, encoding="utf-8")
    (folder / "flood.txt").write_text(FLOOD_2020, encoding="utf-8")
    bad = [folder / "empty.txt", folder / "binary.txt", folder / "feed.jsonl", folder / "pipe.txt"]
    bad[0].write_bytes(b"")
    bad[1].write_bytes(b"\x00\x01\x02\x03" * 100)
    bad[2].write_text('{"id": "x", "text": "bị cắt\n', encoding="utf-8")
    os.mkfifo(bad[3])
    yield folder, bad


def test_cli_digest_goes_on_past_bad_inputs(tmp_path: Path, mixed_batch: tuple[Path, list[Path]]) -> None:
    folder, bad = mixed_batch
    result = runner.invoke(
        app, ["digest", str(folder), str(tmp_path / "missing.txt"), "-o", str(tmp_path / "o"), "-q"]
    )
    assert result.exit_code == 0, result.output
    out = _flat(result.output)
    for name, why in [
        (bad[0], "emptyfile"),
        (bad[1], "binaryfile"),
        (Path(f"{bad[2]}:1"), "brokenJSONline"),
        (bad[3], "notaregularfile"),
        (tmp_path / "missing.txt", "cannotread"),
    ]:
        assert _flat(f"skipped {name}: ") + why in out, name
    assert "5input(s)skipped" in out
    data = json.loads((tmp_path / "o" / "digest.json").read_text(encoding="utf-8"))
    assert len(data["articles"]) == 2 and len(data["skipped"]) == 5


def test_cli_exit_1_when_every_input_is_bad(mixed_batch: tuple[Path, list[Path]], tmp_path: Path) -> None:
    _, bad = mixed_batch
    result = runner.invoke(app, ["digest", *map(str, bad), "-o", str(tmp_path / "o"), "-q"])
    assert result.exit_code == 1
    out = _flat(result.output)
    assert "4input(s)skipped" in out and "noarticlecouldberead" in out
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    "args", [["digest"], ["digest", "x.txt", "--length", "many"], ["digest", "--nope", "x"]]
)
def test_cli_usage_errors_exit_2(args: list[str]) -> None:
    assert runner.invoke(app, args).exit_code == 2


def test_cli_stdin_binary_and_good(tmp_path: Path) -> None:
    bad = runner.invoke(app, ["digest", "-", "-o", str(tmp_path / "o"), "-q"], input=b"\x00\x01\x02" * 200)
    assert bad.exit_code == 1
    assert "skipped -: binary file (not text)" in bad.output
    good = runner.invoke(
        app, ["digest", "-", "-o", str(tmp_path / "o"), "-q"], input=CALL_2021.encode("utf-16")
    )
    assert good.exit_code == 0, good.output
    data = json.loads((tmp_path / "o" / "digest.json").read_text(encoding="utf-8"))
    assert data["articles"][0]["title"] == CALL_2021.split("\n")[0]


def test_cli_in_a_real_process(tmp_path: Path, mixed_batch: tuple[Path, list[Path]]) -> None:
    folder, bad = mixed_batch
    proc = subprocess.run(
        [sys.executable, "-m", "diemtin", "digest", str(folder), "-o", str(tmp_path / "o"), "-q"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, "COLUMNS": "400"},
    )
    assert proc.returncode == 0, proc.stderr
    assert f"skipped {bad[3]}: not a regular file (FIFO, socket or device)" in proc.stderr
    assert "4 input(s) skipped" in proc.stderr
    assert str(tmp_path / "o" / "digest.json") in proc.stdout
