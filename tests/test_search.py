"""Search: accent-insensitive FTS5 matching, exact-first ranking, filters, snippets, hostile queries."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from diemtin import search, store
from diemtin.cli import app

RECORDS = [
    {
        "id": "call",
        "title": "Hai tổng thống điện đàm về an ninh châu Âu",
        "text": "Ngày 7/12/2021, Tổng thống Nga và Tổng thống Mỹ đã điện đàm trực tuyến trong hai giờ.",
        "source": "VOV",
        "published": "2021-12-07",
    },
    {
        "id": "stab",
        "title": "Án mạng ở Đà Nẵng",
        "text": "Một người đàn ông bị đâm trọng thương tại quận Hải Châu, Đà Nẵng tối qua.",
        "source": "Tuổi Trẻ",
        "published": "2022-03-02",
    },
    {
        "id": "dam",
        "title": "Đầm phá Tam Giang mùa nước nổi",
        "text": "Ngư dân trên đầm phá Tam Giang chuẩn bị vào mùa đánh bắt năm 2020.",
        "source": "VOV",
        "published": "2020-08-15",
    },
    {
        "id": "xss",
        "title": "Tin <b>đặc biệt</b>",
        "text": 'Cuộc điện đàm <img src=x onerror="alert(1)"> kết thúc & "hai bên" đồng ý.',
        "source": "Lạ",
        "published": "2021-01-01",
    },
]


@pytest.fixture(scope="module")
def conn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    folder = tmp_path_factory.mktemp("search")
    f = folder / "news.jsonl"
    f.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in RECORDS), encoding="utf-8")
    store.ingest(folder / "s.db", [str(f)])
    c = store.connect(folder / "s.db", readonly=True)
    yield c
    c.close()


def ids(res: search.Results) -> list[str]:
    return [h.id for h in res.hits]


def test_query_without_diacritics_finds_accented_text(conn: sqlite3.Connection) -> None:
    assert set(ids(search.search(conn, "dien dam"))) == {"call", "xss"}
    assert ids(search.search(conn, "da nang")) == ["stab"]
    assert ids(search.search(conn, "DA NANG")) == ["stab"]  # đ/Đ fold to d, case-insensitive


def test_query_with_diacritics_ranks_exact_matches_first(conn: sqlite3.Connection) -> None:
    # "đâm", "đàm" and "đầm" all fold to "dam": every one is found, the exact spelling first.
    for query, first in (("đâm", "stab"), ("đầm", "dam")):
        res = search.search(conn, query)
        assert res.hits[0].id == first and res.hits[0].exact
        assert not any(h.exact for h in res.hits[1:])
        assert {"call", "stab", "dam"} <= set(ids(res))
    assert not any(h.exact for h in search.search(conn, "dam").hits)


def test_phrases_and_prefixes(conn: sqlite3.Connection) -> None:
    assert ids(search.search(conn, '"tam giang"')) == ["dam"]
    assert search.search(conn, '"giang tam"').total == 0
    assert "call" in ids(search.search(conn, "tru*"))  # trực tuyến


def test_filters_by_date_and_source(conn: sqlite3.Connection) -> None:
    assert set(ids(search.search(conn, "dam", source="vov"))) == {"call", "dam"}
    assert ids(search.search(conn, "dam", date_from="2022")) == ["stab"]
    assert ids(search.search(conn, "dam", date_to="2020-08")) == ["dam"]
    assert set(ids(search.search(conn, "dam", date_from="2021-01", date_to="2021-12-31"))) == {"call", "xss"}
    with pytest.raises(search.QueryError, match="YYYY"):
        search.search(conn, "dam", date_from="yesterday")


def test_snippet_marks_the_accented_words_and_escapes_html(conn: sqlite3.Connection) -> None:
    hit = next(h for h in search.search(conn, "dien dam").hits if h.id == "xss")
    assert "<mark>điện</mark> <mark>đàm</mark>" in hit.snippet_html
    assert "<img" not in hit.snippet_html and "&lt;img" in hit.snippet_html
    assert "&amp;" in hit.snippet_html and "&quot;hai bên&quot;" in hit.snippet_html


@pytest.mark.parametrize(
    "query",
    ['"', '""', "*", "***", "(", "((a", "NEAR(a b)", "a OR", "AND", "NOT x", "title:đàm", "^a", "a + b",
     "'; DROP TABLE articles; --", "1=1) OR (1=1", "\x00", "   ", "", "đàm\"*", "-dam", "{title_f}: x"],
)  # fmt: skip
def test_hostile_queries_return_results_or_a_message(conn: sqlite3.Connection, query: str) -> None:
    res = search.search(conn, query)
    assert res.total > 0 or res.message
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == len(RECORDS)


def test_operators_are_plain_words(conn: sqlite3.Connection) -> None:
    # "OR" is not an operator: "dam OR xyzzy" needs both words, so nothing matches.
    assert search.search(conn, "dam OR xyzzy").total == 0
    assert search.search(conn, "").message and search.search(conn, "()").message


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60))
def test_any_text_is_a_safe_query(conn: sqlite3.Connection, query: str) -> None:
    res = search.search(conn, query)
    assert isinstance(res.total, int)
    assert res.total > 0 or res.message


def test_cli_search(tmp_path: Path, conn: sqlite3.Connection) -> None:
    db = conn.execute("PRAGMA database_list").fetchone()[2]
    runner = CliRunner()
    r = runner.invoke(app, ["search", "da nang", "--db", db, "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert [h["id"] for h in data["hits"]] == ["stab"]
    r = runner.invoke(app, ["search", 'NEAR("x" *', "--db", db])
    assert r.exit_code == 0 and "Traceback" not in r.output
    r = runner.invoke(app, ["search", "dam", "--db", db, "--from", "bad"])
    assert r.exit_code == 1 and "YYYY" in r.output
    r = runner.invoke(app, ["search", "dam", "--db", str(tmp_path / "none.db")])
    assert r.exit_code == 1 and "none.db" in r.output
