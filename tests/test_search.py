"""Search: accent-insensitive FTS5 matching, exact-first ranking, filters, snippets, hostile queries."""

from __future__ import annotations

import itertools
import json
import random
import re
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from diemtin import search, store
from diemtin.cli import app
from diemtin.text import fold_diacritics

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


@pytest.fixture(params=["fts5", "index"])
def index(request: pytest.FixtureRequest, conn: sqlite3.Connection) -> search.SearchIndex | None:
    """Each behaviour test runs twice: ranked by FTS5 (the CLI) and by the in-memory index (the server)."""
    return search.SearchIndex.build(conn) if request.param == "index" else None


def ids(res: search.Results) -> list[str]:
    return [h.id for h in res.hits]


def test_query_without_diacritics_finds_accented_text(
    conn: sqlite3.Connection, index: search.SearchIndex | None
) -> None:
    assert set(ids(search.search(conn, "dien dam", index=index))) == {"call", "xss"}
    assert ids(search.search(conn, "da nang", index=index)) == ["stab"]
    assert ids(search.search(conn, "DA NANG", index=index)) == ["stab"]  # đ/Đ fold to d, case-insensitive


def test_query_with_diacritics_ranks_exact_matches_first(
    conn: sqlite3.Connection, index: search.SearchIndex | None
) -> None:
    # "đâm", "đàm" and "đầm" all fold to "dam": every one is found, the exact spelling first.
    for query, first in (("đâm", "stab"), ("đầm", "dam")):
        res = search.search(conn, query, index=index)
        assert res.hits[0].id == first and res.hits[0].exact
        assert not any(h.exact for h in res.hits[1:])
        assert {"call", "stab", "dam"} <= set(ids(res))
    assert not any(h.exact for h in search.search(conn, "dam", index=index).hits)


def test_phrases_and_prefixes(conn: sqlite3.Connection, index: search.SearchIndex | None) -> None:
    assert ids(search.search(conn, '"tam giang"', index=index)) == ["dam"]
    assert search.search(conn, '"giang tam"', index=index).total == 0
    assert "call" in ids(search.search(conn, "tru*", index=index))  # trực tuyến


def test_filters_by_date_and_source(conn: sqlite3.Connection, index: search.SearchIndex | None) -> None:
    assert set(ids(search.search(conn, "dam", source="vov", index=index))) == {"call", "dam"}
    assert ids(search.search(conn, "dam", date_from="2022", index=index)) == ["stab"]
    assert ids(search.search(conn, "dam", date_to="2020-08", index=index)) == ["dam"]
    assert set(ids(search.search(conn, "dam", date_from="2021-01", date_to="2021-12-31", index=index))) == {
        "call",
        "xss",
    }
    with pytest.raises(search.QueryError, match="YYYY"):
        search.search(conn, "dam", date_from="yesterday", index=index)


def test_snippet_marks_the_accented_words_and_escapes_html(
    conn: sqlite3.Connection, index: search.SearchIndex | None
) -> None:
    hit = next(h for h in search.search(conn, "dien dam", index=index).hits if h.id == "xss")
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


def test_operators_are_plain_words(conn: sqlite3.Connection, index: search.SearchIndex | None) -> None:
    # "OR" is not an operator: "dam OR xyzzy" needs both words, so nothing matches.
    assert search.search(conn, "dam OR xyzzy", index=index).total == 0
    assert search.search(conn, "", index=index).message and search.search(conn, "()", index=index).message


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
    for bad in ("bad", "2013-13"):  # a usage error: exit 2, a message in Vietnamese
        r = runner.invoke(app, ["search", "dam", "--db", db, "--from", bad])
        assert r.exit_code == 2 and "YYYY" in r.output and "không phải là ngày hợp lệ" in r.output
    r = runner.invoke(app, ["search", "dam", "--db", str(tmp_path / "none.db")])
    assert r.exit_code == 1 and "none.db" in r.output


# ---------------------------------------------------------------- the in-memory index (web server)


def assert_same(a: search.Results, b: search.Results) -> None:
    """Same matches, order, exact flags, snippets and (to rounding) BM25 scores."""
    assert (a.total, a.message) == (b.total, b.message)
    assert [(h.id, h.exact, h.snippet_html) for h in a.hits] == [
        (h.id, h.exact, h.snippet_html) for h in b.hits
    ]
    assert [h.score for h in a.hits] == pytest.approx([h.score for h in b.hits], rel=1e-9, abs=1e-12)


@pytest.mark.parametrize(
    "query",
    ["dien dam", "điện đàm", "đâm", "đầm", "dam", "DAM dam", "Đà Nẵng", "tổng thống", "hai", "xyzzy",
     '"tam giang"', "tru*", "đàm xyzzy", "a_b", "'; DROP TABLE articles; --", "NEAR(dam hai)"],
)  # fmt: skip
def test_index_ranks_as_fts5(conn: sqlite3.Connection, query: str) -> None:
    idx = search.SearchIndex.build(conn)
    for kw in ({}, {"source": "VOV"}, {"date_from": "2021", "date_to": "2022-03"}, {"offset": 1, "limit": 2}):
        assert_same(search.search(conn, query, index=idx, **kw), search.search(conn, query, **kw))  # type: ignore[arg-type]


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet='dđaàâầmĐDn "*()A_', max_size=20))
def test_index_and_fts5_agree_on_any_query(conn: sqlite3.Connection, query: str) -> None:
    idx = search.SearchIndex.build(conn)
    assert_same(search.search(conn, query, index=idx), search.search(conn, query))


@pytest.fixture(scope="module")
def real_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[sqlite3.Connection, list[str]]]:
    """240 articles of real Vietnamese sentences (VietnameseMDS) recombined, and queries drawn from them:
    1-3 consecutive syllables, half typed without diacritics."""
    from .conftest import VMDS

    if not VMDS.is_dir():
        pytest.skip("../shared/data/vmds-dev not present")
    rng = random.Random(3)
    sents = [s for f in sorted(VMDS.glob("cluster_*/*.body.txt"))[:150]
             for s in f.read_text(encoding="utf-8").split(". ") if len(s.split()) > 6]  # fmt: skip
    folder = tmp_path_factory.mktemp("real")
    recs = [
        {"id": f"r{i}", "title": rng.choice(sents)[:80], "text": ". ".join(rng.sample(sents, rng.randint(2, 8))),
         "source": rng.choice(["VOV", "TTXVN", "Tuổi Trẻ"]), "published": f"20{rng.randint(16, 23)}-0{rng.randint(1, 9)}-1{i % 10}"}
        for i in range(240)
    ]  # fmt: skip
    f = folder / "real.jsonl"
    f.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in recs), encoding="utf-8")
    c = store.connect(folder / "r.db")
    store.ingest_file(c, f, store.file_hash(f), store.IngestResult())  # articles only: no corpus stages
    c.close()
    conn = store.connect(folder / "r.db", readonly=True)
    queries = []
    for _ in range(60):
        words = rng.choice(sents).split()
        start = rng.randrange(max(1, len(words) - 3))
        q = " ".join(words[start : start + rng.randint(1, 3)])
        queries.append(fold_diacritics(q).lower() if rng.random() < 0.5 else q)
    yield conn, queries
    conn.close()


def test_index_ranks_as_fts5_on_real_text(real_store: tuple[sqlite3.Connection, list[str]]) -> None:
    conn, queries = real_store
    idx = search.SearchIndex.build(conn)
    held = {r[0]: chains(r[1]) + chains(r[2]) for r in conn.execute("SELECT id, title, text FROM articles")}
    exact_first = phrase_first = 0
    for q in queries:
        expected = tiers_of(held, q)
        for kw in ({}, {"source": "tuổi trẻ"}, {"date_from": "2019-03", "date_to": "2021"}, {"offset": 10}):
            a, b = search.search(conn, q, index=idx, **kw), search.search(conn, q, **kw)  # type: ignore[arg-type]
            assert_same(a, b)
            tiers = [(*expected(h.id), h.exact) for h in a.hits]
            assert tiers == sorted(tiers, reverse=True)  # whole runs, adjacent pairs, exact words first
            flags = [h.exact for h in a.hits]
            if any(flags) and not all(flags) and kw == {}:
                exact_first += 1
            if len({t[:3] for t in tiers}) > 1 and kw == {}:
                phrase_first += 1
    assert exact_first > 0 and phrase_first > 0  # both rules were exercised, not only trivially true


def chains(text: str) -> list[list[str]]:
    """``text``'s words as written, in runs of adjacent ones: nothing but spaces, or punctuation
    without a space, between two words of a run (written here word by word, independently of search's
    regular expressions)."""
    out: list[list[str]] = []
    prev = None
    for m in re.finditer(r"[^\W_]+", text):
        gap = text[prev.end() : m.start()] if prev else "\n"
        spaces = any(c.isspace() for c in gap)
        if "\n" in gap or (spaces and not all(c.isspace() for c in gap)):
            out.append([])
        out[-1].append(m.group())
        prev = m
    return out


def tiers_of(held: dict[str, list[list[str]]], query: str) -> Callable[[str], tuple[int, int, int]]:
    """Per article: (runs of 3+ query words it holds whole in the query's reading, adjacent query pairs
    it holds in the reading, the same folded), counted here from the articles' own words. The reading
    of a query typed without diacritics is the corpus's most frequent (``search.restore`` over counts
    made here; those written capitalized for a pair typed so)."""

    def fold(pair: tuple[str, str]) -> tuple[str, str]:
        return fold_diacritics(pair[0]).lower(), fold_diacritics(pair[1]).lower()

    def lower(pair: tuple[str, str]) -> tuple[str, str]:
        return pair[0].lower(), pair[1].lower()

    pairs = {a: {p for c in cs for p in itertools.pairwise(c)} for a, cs in held.items()}
    typed = re.findall(r"\w+", query)
    words = [w.lower() for w in typed]
    qpairs = [fold(p) for p in itertools.pairwise(words)]
    if search.has_diacritics(query):
        reading: list[str | None] = list(words)
    else:
        tables = []
        for q, (a, b) in zip(qpairs, itertools.pairwise(typed), strict=True):
            ps = [{lower(p) for p in mine if fold(p) == q} for mine in pairs.values()]
            cs = [{lower(p) for p in mine if fold(p) == q and p[0][0].isupper() and p[1][0].isupper()}
                  for mine in pairs.values()]  # fmt: skip
            caps = dict(Counter(p for c in cs for p in c))
            tables.append(
                caps
                if a[0].isupper() and b[0].isupper() and caps
                else dict(Counter(p for c in ps for p in c))
            )
        reading = search.restore(tables) if qpairs else []

    def count(article: str) -> tuple[int, int, int]:
        mine = {lower(p) for p in pairs[article]}
        ne = sum((x, y) in mine for x, y in itertools.pairwise(reading))
        whole = len(reading) >= 3 and any(
            [w.lower() for w in c[i : i + len(reading)]] == reading
            for c in held[article]
            for i in range(len(c))
        )
        return int(whole), ne, sum(any(fold(p) == q for p in mine) for q in qpairs)

    return count


def test_exact_matches_outrank_better_bm25_folded_matches(tmp_path: Path) -> None:
    # "đâm" four times in a short title has a far better BM25 than one "đâm" deep in a long text, but
    # the query "đam" was typed with a diacritic that only the long article has as written.
    recs = [
        {"id": "folded", "title": "Đầm đâm đàm dám", "text": "Đầm phá đâm ra đàm luận dám làm."},
        {"id": "exact", "title": "Tin vắn", "text": "Tin tức trong ngày. " * 30 + "Chữ đam hiếm gặp."},
    ]
    f = tmp_path / "x.jsonl"
    f.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in recs), encoding="utf-8")
    store.ingest(tmp_path / "x.db", [str(f)])
    conn = store.connect(tmp_path / "x.db", readonly=True)
    idx = search.SearchIndex.build(conn)
    for ix in (None, idx):
        res = search.search(conn, "đam", index=ix)
        assert [(h.id, h.exact) for h in res.hits] == [("exact", True), ("folded", False)]
        assert res.hits[0].score > res.hits[1].score  # ranked first despite a worse BM25
        assert ids(search.search(conn, "dam", index=ix)) == ["folded", "exact"]  # no diacritics: BM25
    conn.close()


def test_index_of_an_empty_store(tmp_path: Path) -> None:
    store.connect(tmp_path / "e.db").close()
    conn = store.connect(tmp_path / "e.db", readonly=True)
    idx = search.SearchIndex.build(conn)
    res = search.search(conn, "dien dam", index=idx)
    assert res.total == 0 and res.message
    conn.close()


# ---------------------------------------------------------------- phrases, lookalikes, event dates


def phrase_store(folder: Path) -> sqlite3.Connection:
    """Articles that hold "điện đàm" as a phrase, and others that hold its syllables scattered (a
    singer named Đàm, the Linh Đàm lake) and whose BM25 is better (short, the words in the title)."""
    recs = [
        {"id": "singer", "title": "Đàm Vĩnh Hưng ra mắt album điện tử",
         "text": "Ca sĩ Đàm Vĩnh Hưng vừa ra mắt album nhạc điện tử. Đàm Vĩnh Hưng hát ở Hà Nội.",
         "published": "2023-01-05"},
        {"id": "lake", "title": "Hồ Linh Đàm thiếu điện chiếu sáng",
         "text": "Người dân quanh hồ Linh Đàm phản ánh đèn điện hỏng. Hồ Linh Đàm tối om.",
         "published": "2023-01-06"},
        {"id": "call", "title": "Lãnh đạo hai nước trao đổi",
         "text": "Hôm qua, Chủ tịch nước đã điện đàm với Tổng thống Pháp về hợp tác kinh tế và thương mại,"
                 " hai bên nhất trí thúc đẩy quan hệ đối tác chiến lược trong thời gian tới.",
         "published": "2023-01-07"},
        {"id": "call2", "title": "Thủ tướng điện đàm với Thủ tướng Nhật Bản",
         "text": "Cuộc điện đàm diễn ra trong không khí hữu nghị, hai bên bàn về đầu tư.",
         "published": "2023-01-08"},
        {"id": "noi", "title": "Thiên hà xa nhất", "text": "Các nhà khoa học nói thiên hà này rất xa. Hà Nội"
         " không liên quan.", "published": "2023-01-09"},
        {"id": "hanoi", "title": "Hà Nội mưa lớn", "text": "Chiều nay Hà Nội mưa lớn, nhiều tuyến phố ngập.",
         "published": "2023-01-10"},
        {"id": "ru", "title": "Сhuyên gia Nga bình luận về kinh tế",
         "text": "Một \u0441huyên gia Nga nhận định kinh tế thế giới sẽ chậm lại.", "published": "2023-01-11"},
        {"id": "gold", "title": "Giá vàng hôm nay", "text": "Ngày 27/8/2022, giá vàng SJC tăng mạnh."},
    ]  # fmt: skip
    folder.mkdir(parents=True, exist_ok=True)
    f = folder / "phrases.jsonl"
    f.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in recs), encoding="utf-8")
    store.ingest(folder / "p.db", [str(f)])
    return store.connect(folder / "p.db", readonly=True)


@pytest.fixture(scope="module")
def pconn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    c = phrase_store(tmp_path_factory.mktemp("phrases"))
    yield c
    c.close()


@pytest.mark.parametrize("ranker", ["fts5", "index"])
def test_adjacent_words_outrank_scattered_ones(pconn: sqlite3.Connection, ranker: str) -> None:
    idx = search.SearchIndex.build(pconn) if ranker == "index" else None
    for q in ("điện đàm", "dien dam", "Điện Đàm"):
        res = search.search(pconn, q, index=idx)
        assert set(ids(res)[:2]) == {"call", "call2"}, q  # the phrase, though its BM25 is worse
        assert set(ids(res)) == {"call", "call2", "singer", "lake"}, q  # scattered ones still found
        assert ids(res)[0] == "call2", q  # the phrase in the title counts more
    for q in ("ha noi", "Hà Nội"):
        assert ids(search.search(pconn, q, index=idx))[:2] == ["hanoi", "noi"], q  # "thiên hà này" later
        # "noi" holds "Hà Nội" too; "Thiên hà" alone (no Nội) is not a match at all


@pytest.mark.parametrize("ranker", ["fts5", "index"])
def test_cyrillic_lookalike_letters_are_folded(pconn: sqlite3.Connection, ranker: str) -> None:
    idx = search.SearchIndex.build(pconn) if ranker == "index" else None
    for q in ("chuyen gia nga", "Chuyên gia Nga", "Сhuyên gia"):  # the last with a Cyrillic С
        res = search.search(pconn, q, index=idx)
        assert ids(res) == ["ru"], q
    # Marked in the text as written (a Cyrillic "с" there too): the folded columns keep the offsets.
    assert (
        "<mark>\u0441huyên</mark> <mark>gia</mark>"
        in search.search(pconn, "chuyen gia", index=idx).hits[0].snippet_html
    )
    title = pconn.execute("SELECT title FROM articles WHERE id = 'ru'").fetchone()[0]
    assert title.startswith("\u0421huyên")  # the article itself keeps what was written


def test_fold_lookalikes_only_in_latin_words() -> None:
    from diemtin.text import fold_lookalikes

    assert fold_lookalikes("Сhuyên gia") == "Chuyên gia"
    assert fold_lookalikes("Тổng thống Путин") == "Tổng thống Путин"  # a Russian word stays Russian
    assert fold_lookalikes("ΑΒΓ và Αlpha") == "ΑΒΓ và Alpha"
    text = "Ông Вiden và bà Наrris"
    assert len(fold_lookalikes(text)) == len(text) and fold_lookalikes(text) == "Ông Biden và bà Harris"


@pytest.mark.parametrize("ranker", ["fts5", "index"])
def test_date_filters_use_event_dates(pconn: sqlite3.Connection, ranker: str) -> None:
    # The gold article gives no publication date; its event starts on 27/8/2022, from the text.
    idx = search.SearchIndex.build(pconn) if ranker == "index" else None
    assert ids(search.search(pconn, "gia vang", date_from="2022", index=idx)) == ["gold"]
    assert ids(search.search(pconn, "gia vang", date_from="2022-08", date_to="2022-08", index=idx)) == [
        "gold"
    ]
    # Its date is known only as a range (27/8/2022 to the end of 2023: undated, "hôm nay" in a text of
    # unknown year): a window overlapping the range keeps it, one before or after it does not.
    assert ids(search.search(pconn, "gia vang", date_from="2023-06", date_to="2023-07", index=idx)) == [
        "gold"
    ]
    assert ids(search.search(pconn, "gia vang", date_to="2022-08-26", index=idx)) == []
    assert ids(search.search(pconn, "gia vang", date_from="2024", index=idx)) == []


@pytest.mark.parametrize("bad", ["2013-13", "2022-02-30", "2022-1", "hôm qua", "20222", "2022-00"])
def test_bad_dates_are_errors(pconn: sqlite3.Connection, bad: str) -> None:
    with pytest.raises(search.DateError, match="YYYY-MM-DD"):
        search.search(pconn, "gia vang", date_from=bad)
    with pytest.raises(search.DateError, match="không phải là ngày hợp lệ"):
        search.search(pconn, "gia vang", date_to=bad)
    for good in ("2013", "2013-12", "2024-02-29"):
        search.search(pconn, "gia vang", date_from=good)


def homograph_store(folder: Path) -> sqlite3.Connection:
    """ "dien bien" read two ways: "diễn biến" (developments) in three articles, "Điện Biên" (the
    province) in one, whose BM25 is the best (the words in its short title); and "tiến tới" against
    "đầu tiên, tôi" (the pair across a comma)."""
    recs = [
        {"id": "dev1", "title": "Dịch sốt xuất huyết diễn biến phức tạp",
         "text": "Tại nhiều tỉnh, dịch sốt xuất huyết đang có diễn biến phức tạp, số ca mắc tăng nhanh."},
        {"id": "dev2", "title": "Thị trường vàng trong tuần",
         "text": "Giá vàng trong nước có diễn biến trái chiều với thế giới; giới đầu tư thận trọng."},
        {"id": "dev3", "title": "Thời tiết cuối tuần",
         "text": "Theo dõi chặt chẽ diễn biến của áp thấp nhiệt đới trên Biển Đông để chủ động ứng phó."},
        {"id": "dbp", "title": "Điện Biên đón khách",
         "text": "Du khách đến Điện Biên thăm di tích chiến trường Điện Biên Phủ."},
        {"id": "first", "title": "Lần đầu tiên, tôi tới",
         "text": "Đây là lần đầu tiên, tôi tới vùng đất này."},
        {"id": "toward", "title": "Tiến tới một thỏa thuận thương mại",
         "text": "Hai nước đang tiến tới ký kết hiệp định thương mại tự do trong năm nay."},
        {"id": "exam", "title": "Lời khuyên của giáo viên trước kỳ thi",
         "text": "Thí sinh cần đọc kỹ đề trước khi làm bài thi, phân bổ thời gian hợp lý cho từng câu hỏi"
                 " và kiểm tra lại trước khi nộp."},
        {"id": "homework", "title": "Làm bài tập về nhà và bài thi cuối kỳ",
         "text": "Làm bài tập đều đặn giúp học sinh tự tin với bài thi."},
    ]  # fmt: skip
    folder.mkdir(parents=True, exist_ok=True)
    f = folder / "homographs.jsonl"
    f.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in recs), encoding="utf-8")
    c = store.connect(folder / "h.db")
    store.ingest_file(c, f, store.file_hash(f), store.IngestResult())  # articles only: no corpus stages
    c.close()
    return store.connect(folder / "h.db", readonly=True)


@pytest.mark.parametrize("ranker", ["fts5", "index"])
def test_folded_query_reads_as_the_corpus_writes(tmp_path: Path, ranker: str) -> None:
    conn = homograph_store(tmp_path)
    idx = search.SearchIndex.build(conn) if ranker == "index" else None
    # No diacritics: the reading the corpus uses most ("diễn biến", 3 articles) comes first, though
    # "Điện Biên" has the better BM25; the province follows (the same folded pair).
    assert set(ids(search.search(conn, "dien bien", index=idx))[:3]) == {"dev1", "dev2", "dev3"}
    assert ids(search.search(conn, "dien bien", index=idx))[3] == "dbp"
    # A third word decides: "bien phu" is only ever "Biên Phủ", so the chain reads "điện biên phủ".
    assert ids(search.search(conn, "dien bien phu", index=idx)) == ["dbp"]
    # Typed with diacritics: as typed.
    assert ids(search.search(conn, "Điện Biên", index=idx))[0] == "dbp"
    # Typed capitalized, a pair names something: read as the corpus writes it capitalized.
    assert ids(search.search(conn, "Dien Bien", index=idx))[0] == "dbp"
    # Three words: the article holding them in a row first, though the other holds each pair
    # ("làm bài" and "bài thi" apart) with a better BM25 (in its title).
    for q in ("lam bai thi", "làm bài thi"):
        assert ids(search.search(conn, q, index=idx)) == ["exam", "homework"], q
    # A phrase does not cross a comma: "đầu tiên, tôi" does not hold "tiên tôi".
    assert ids(search.search(conn, "tien toi", index=idx)) == ["toward", "first"]
    assert ids(search.search(conn, "tiên tôi", index=idx)) == ["toward", "first"]
    conn.close()


def test_restore_chains_the_most_frequent_pairs() -> None:
    tables = [{("điện", "biên"): 1, ("diễn", "biến"): 3}, {("biên", "phủ"): 2}]
    assert search.restore(tables) == ["điện", "biên", "phủ"]  # log 2 + log 3 > log 4
    assert search.restore(tables[:1]) == ["diễn", "biến"]
    assert search.restore([{}, {("x", "y"): 1}]) == [None, "x", "y"]
    assert search.restore([{("a", "b"): 1, ("á", "b"): 1}]) == ["a", "b"]  # a tie: alphabetical
