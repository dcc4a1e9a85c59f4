"""Parquet and JSONL exports round-trip: what is read back (pyarrow, json) is what the digest holds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from diemtin import api, export, pipeline
from diemtin.cli import app
from diemtin.models import Digest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")


@pytest.fixture(scope="module")
def digest(tmp_path_factory: pytest.TempPathFactory) -> Digest:
    from .conftest import SEEDS

    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds not present")
    return pipeline.run([str(SEEDS)])


def test_parquet_round_trip(digest: Digest, tmp_path: Path) -> None:
    files = export.export(digest, tmp_path, "parquet")
    rows = export.tables(digest)
    for name in export.TABLES:
        table = pq.read_table(files[name])
        assert table.to_pylist() == rows[name]
    arts = pq.read_table(files["articles"])
    assert arts.num_rows == len(digest.articles) == 5
    assert arts.schema.field("credits").type == pa.list_(pa.string())
    texts = {a.id: a.text for a in digest.articles}
    assert {r["id"]: r["text"] for r in arts.to_pylist()} == texts
    evs = pq.read_table(files["events"]).to_pylist()
    assert [e["id"] for e in evs] == [e.id for e in digest.events]
    assert [e["summary_sentences"] for e in evs] == [
        [{"text": s.text, "article": s.article} for s in e.summary] for e in digest.events
    ]


def test_jsonl_round_trip(digest: Digest, tmp_path: Path) -> None:
    files = export.export(digest, tmp_path, "jsonl")
    rows = export.tables(digest)
    for name in export.TABLES:
        lines = files[name].read_text(encoding="utf-8").splitlines()
        assert [json.loads(x) for x in lines] == rows[name]
    # Vietnamese stays readable in the file (not \u escapes), as downstream tools expect UTF-8 JSON.
    assert "Tổng thống" in files["articles"].read_text(encoding="utf-8")


def test_join_keys_are_consistent(digest: Digest) -> None:
    rows = export.tables(digest)
    event_ids = {e["id"] for e in rows["events"]}
    story_ids = {s["id"] for s in rows["stories"]}
    for a in rows["articles"]:
        assert a["event"] in event_ids  # every digested article belongs to an event
    for e in rows["events"]:
        assert e["story"] is None or e["story"] in story_ids
        assert e["n_articles"] == len(e["articles"])
        members = {a["id"] for a in rows["articles"] if a["event"] == e["id"]}
        assert members == set(e["articles"])


def test_empty_digest_keeps_schema(tmp_path: Path) -> None:
    files = export.export(Digest(), tmp_path, "parquet")
    table = pq.read_table(files["events"])
    assert table.num_rows == 0
    assert table.schema.field("summary_sentences").type == pa.list_(
        pa.struct([("text", pa.string()), ("article", pa.string())])
    )


def test_cli_export_from_digest_json(digest: Digest, tmp_path: Path) -> None:
    api.write_reports(digest, tmp_path / "d")
    res = CliRunner().invoke(
        app, ["export", str(tmp_path / "d" / "digest.json"), "--format", "parquet", "-o", str(tmp_path / "t")]
    )
    assert res.exit_code == 0, res.output
    assert pq.read_table(tmp_path / "t" / "stories.parquet").num_rows == len(digest.stories)
    res = CliRunner().invoke(app, ["export", str(tmp_path / "d"), "-f", "jsonl", "-o", str(tmp_path / "j")])
    assert res.exit_code == 0, res.output
    assert len((tmp_path / "j" / "articles.jsonl").read_text().splitlines()) == len(digest.articles)


def test_cli_export_from_store(tmp_path: Path) -> None:
    from diemtin import store

    from .conftest import SEEDS

    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds not present")
    db = tmp_path / "news.db"
    store.ingest(db, [str(SEEDS)])
    res = CliRunner().invoke(app, ["export", "--db", str(db), "-f", "jsonl", "-o", str(tmp_path / "t")])
    assert res.exit_code == 0, res.output
    rows = [json.loads(x) for x in (tmp_path / "t" / "events.jsonl").read_text().splitlines()]
    assert rows and {e["id"] for e in rows} == {e.id for e in store.read_digest(db).events}


def test_bad_inputs_are_named(tmp_path: Path) -> None:
    bad = tmp_path / "digest.json"
    bad.write_text("{not json", encoding="utf-8")
    res = CliRunner().invoke(app, ["export", str(bad), "-o", str(tmp_path / "t")])
    assert res.exit_code == 1
    flat = "".join(res.output.split())  # rich wraps long lines at the terminal width
    assert str(bad) in flat and "notadigest.json" in flat
    res = CliRunner().invoke(app, ["export", str(bad), "--format", "csv", "-o", str(tmp_path / "t")])
    assert res.exit_code == 2
    res = CliRunner().invoke(app, ["export", "-o", str(tmp_path / "t")])
    assert res.exit_code == 2


def test_export_carries_day_and_reasoning(tmp_path: Path) -> None:
    """A day known without its year ("Tối 27/8", no year anywhere) and the full reasoning behind the
    date reach the exported events table, from a digest.json and from a store alike."""
    from diemtin import store

    src = tmp_path / "in"
    src.mkdir()
    (src / "chay-xuong.txt").write_text(
        "Cháy lớn tại xưởng may ở Thuận An\n\n"
        "Tối 27/8, một vụ cháy lớn đã bùng phát tại xưởng may của một công ty ở thành phố Thuận An, tỉnh "
        "Bình Dương, thiêu rụi hàng nghìn mét vuông nhà xưởng cùng nhiều máy móc và hàng hóa.\n\n"
        "Lực lượng cảnh sát phòng cháy chữa cháy đã điều hơn 10 xe chữa cháy đến hiện trường, sau hơn ba "
        "giờ mới khống chế được ngọn lửa. Không có thiệt hại về người.\n",
        encoding="utf-8",
    )
    digest = pipeline.run([str(src)])
    (ev,) = digest.events
    assert ev.day == "08-27" and ev.date is None
    assert ev.date_reasoning and "27/8" in ev.date_reasoning
    rows = export.tables(digest.to_dict())["events"]
    assert rows[0]["day"] == "08-27"
    assert rows[0]["date_reasoning"] == ev.date_reasoning
    files = export.export(digest, tmp_path / "pq", "parquet")
    assert pq.read_table(files["events"]).to_pylist()[0]["day"] == "08-27"
    db = tmp_path / "news.db"
    store.ingest(db, [str(src)])
    res = CliRunner().invoke(app, ["export", "--db", str(db), "-f", "jsonl", "-o", str(tmp_path / "t")])
    assert res.exit_code == 0, res.output
    (row,) = [json.loads(x) for x in (tmp_path / "t" / "events.jsonl").read_text().splitlines()]
    assert row["day"] == "08-27" and row["date_reasoning"] == ev.date_reasoning
