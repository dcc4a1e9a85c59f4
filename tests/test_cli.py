import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from diemtin.cli import app

from .helpers import CALL_2021, FLOOD_2020, write_articles

runner = CliRunner()


def _command_names() -> list[str]:
    import typer.main

    group = typer.main.get_group(app)
    return sorted(group.commands)


def test_every_command_help_ends_with_an_example() -> None:
    names = _command_names()
    assert {"digest", "summarize"} <= set(names)
    for name in names:
        result = runner.invoke(app, [name, "--help"], terminal_width=200)
        assert result.exit_code == 0, name
        tail = [ln.strip() for ln in result.output.strip().splitlines() if ln.strip()][-1]
        assert tail.startswith("Example:") or "Example:" in result.output.strip().splitlines()[-2], name


def test_digest_writes_three_reports(tmp_path: Path) -> None:
    write_articles(tmp_path / "in", call=CALL_2021, flood=FLOOD_2020)
    out = tmp_path / "out"
    result = runner.invoke(app, ["digest", str(tmp_path / "in"), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    for name in ("digest.json", "digest.md", "digest.html"):
        assert (out / name).is_file()
        assert str(out / name) in result.output
    data = json.loads((out / "digest.json").read_text(encoding="utf-8"))
    assert set(data) >= {"articles", "events", "stories", "timeline"}
    art = data["articles"][0]
    assert set(art) >= {"id", "path", "title", "source", "published", "text", "removed"}
    ev = data["events"][0]
    assert set(ev) >= {"id", "title", "date", "date_range", "date_evidence", "articles", "summary"}
    assert all(set(s) == {"text", "article"} for e in data["events"] for s in e["summary"])
    assert sorted(data["timeline"]) == sorted(e["id"] for e in data["events"])
    titles = {a["title"] for a in data["articles"]}
    assert "Miền Trung khẩn trương khắc phục hậu quả mưa lũ" in titles


def test_digest_goes_on_past_a_bad_file_and_counts_it(tmp_path: Path) -> None:
    write_articles(tmp_path / "in", call=CALL_2021)
    (tmp_path / "in" / "broken.txt").write_bytes(b"\x00\x01\x02binary\x00" * 40)
    result = runner.invoke(app, ["digest", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 0
    assert "broken.txt" in result.output and "1 input(s) skipped" in result.output


def test_digest_exit_1_when_nothing_readable(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = runner.invoke(app, ["digest", str(tmp_path / "empty"), "-o", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 1
    assert "no article" in result.output


def test_summarize_each_one_json_line_per_cluster(tmp_path: Path) -> None:
    write_articles(tmp_path / "data" / "c1", a=CALL_2021)
    write_articles(tmp_path / "data" / "c2", b=FLOOD_2020)
    result = runner.invoke(app, ["summarize", str(tmp_path / "data"), "--each", "--length", "40"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(ln) for ln in result.stdout.strip().splitlines()]
    assert [ln["cluster"] for ln in lines] == ["c1", "c2"]
    for ln in lines:
        assert ln["sentences"] and all(set(s) == {"text", "article"} for s in ln["sentences"])


@pytest.mark.parametrize("length", [15, 60])
def test_summarize_respects_length(tmp_path: Path, length: int) -> None:
    from diemtin.text import count_syllables

    write_articles(tmp_path, a=CALL_2021, b=FLOOD_2020)
    result = runner.invoke(app, ["summarize", str(tmp_path), "--length", str(length)])
    assert result.exit_code == 0
    lines = [ln for ln in result.stdout.splitlines() if ln.strip()]
    total = sum(count_syllables(ln) for ln in lines)
    # At most LENGTH, or one first sentence kept whole (up to twice LENGTH) rather than passed over.
    assert total <= length or (len(lines) == 1 and total <= 2 * length)


def test_digest_reads_stdin(tmp_path: Path) -> None:
    result = runner.invoke(app, ["digest", "-", "-o", str(tmp_path / "o"), "-q"], input=FLOOD_2020)
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "o" / "digest.json").read_text(encoding="utf-8"))
    assert data["articles"][0]["path"] == "-"


def test_skipped_file_name_is_never_wrapped(tmp_path: Path) -> None:
    deep = tmp_path / ("a-rather-long-folder-name-as-ci-checkouts-have" * 2) / "in"
    write_articles(deep, call=CALL_2021)
    (deep / "broken.txt").write_bytes(b"\x00\x01\x02binary\x00" * 40)
    result = runner.invoke(app, ["digest", str(deep), "-o", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 0, result.output
    assert str(deep / "broken.txt") in result.output


def test_digest_unknown_executor_is_a_usage_error(tmp_path: Path) -> None:
    write_articles(tmp_path / "in", call=CALL_2021)
    result = runner.invoke(app, ["digest", str(tmp_path / "in"), "--executor", "spark", "-q"])
    assert result.exit_code == 2
    assert "unknown executor" in result.output


def test_digest_run_dir_resumes_to_the_same_digest(tmp_path: Path) -> None:
    write_articles(tmp_path / "in", call=CALL_2021, flood=FLOOD_2020)
    args = ["digest", str(tmp_path / "in"), "--run-dir", str(tmp_path / "run"), "--batch-size", "1", "-q"]
    first = runner.invoke(app, [*args, "-o", str(tmp_path / "a")])
    assert first.exit_code == 0, first.output
    assert any((tmp_path / "run").iterdir())  # checkpoints were written
    second = runner.invoke(app, [*args, "-o", str(tmp_path / "b")])
    assert second.exit_code == 0, second.output
    a = json.loads((tmp_path / "a" / "digest.json").read_text(encoding="utf-8"))
    b = json.loads((tmp_path / "b" / "digest.json").read_text(encoding="utf-8"))
    assert [x["id"] for x in a["articles"]] == [x["id"] for x in b["articles"]]
    assert [e["title"] for e in a["events"]] == [e["title"] for e in b["events"]]
    plain = runner.invoke(app, ["digest", str(tmp_path / "in"), "-q", "-o", str(tmp_path / "c")])
    assert plain.exit_code == 0, plain.output
    c = json.loads((tmp_path / "c" / "digest.json").read_text(encoding="utf-8"))
    assert sorted(x["id"] for x in c["articles"]) == sorted(x["id"] for x in a["articles"])


def test_counts_read_as_english() -> None:
    from diemtin.cli.app import plural

    assert [plural(1, "story", "stories"), plural(5, "story", "stories"), plural(0, "event")] == [
        "1 story",
        "5 stories",
        "0 events",
    ]


def test_version_and_help_import_no_pipeline() -> None:
    import subprocess
    import sys

    import diemtin

    r = runner.invoke(app, ["--version"])
    assert r.exit_code == 0 and r.output.strip() == f"diemtin {diemtin.__version__}"
    # `diemtin --help` loads the commands but none of the pipeline's heavy modules (they cost ~1.5 s).
    code = (
        "import sys; from diemtin.cli import app; from typer.main import get_command;"
        "get_command(app); print(sorted(m for m in ('sklearn', 'numpy', 'scipy', 'pyvi', 'datasketch',"
        " 'fastapi', 'jinja2', 'diemtin.pipeline', 'diemtin.store') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_progress_is_plain_lines_when_not_a_terminal(tmp_path: Path) -> None:
    write_articles(tmp_path / "in", call=CALL_2021, flood=FLOOD_2020)
    folder = tmp_path / "in"
    r = runner.invoke(app, ["digest", str(folder), "-o", str(tmp_path / "out")])
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert "clean: 2/2" in lines and "events: 2/2" in lines  # a log line per stage, no bar
    quiet = runner.invoke(app, ["digest", str(folder), "-o", str(tmp_path / "out"), "--quiet"])
    assert "clean: 2/2" not in quiet.output
