"""ROUGE on syllables against hand-computed cases; corpus loaders; the eval on a few real clusters."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from diemtin import evaluate as ev
from diemtin.cli import app
from tests.conftest import ABMUSU, VMDS


def test_rouge_hand_computed() -> None:
    # cand: a b c d / ref: a b e d. Unigrams: 3 shared of 4 each. Bigrams: cand {ab, bc, cd}, ref {ab, be,
    # ed}: 1 shared of 3. LCS "a b d" = 3.
    r = ev.rouge_tokens(["a", "b", "c", "d"], ["a", "b", "e", "d"])
    assert r.r1 == pytest.approx((0.75, 0.75, 0.75))
    assert r.r2 == pytest.approx((1 / 3, 1 / 3, 1 / 3))
    assert r.rl == pytest.approx((0.75, 0.75, 0.75))


def test_rouge_clips_repeated_ngrams() -> None:
    # "mưa" three times in the summary only matches the one "mưa" of the reference.
    r = ev.rouge("mưa mưa mưa", ["mưa to"])
    p, rec, f = r.r1
    assert (p, rec) == pytest.approx((1 / 3, 1 / 2))
    assert f == pytest.approx(2 * (1 / 3) * (1 / 2) / (1 / 3 + 1 / 2))
    assert r.r2 == (0.0, 0.0, 0.0)


def test_rouge_uses_vietnamese_syllables_and_ignores_segmentation() -> None:
    # Word-segmented reference ("đối_lập"), upper case and punctuation: the same five syllables.
    r = ev.rouge("Phe đối lập biểu tình.", ["phe đối_lập BIỂU TÌNH"])
    assert r.r1 == pytest.approx((1.0, 1.0, 1.0))
    assert r.r2 == pytest.approx((1.0, 1.0, 1.0))


def test_rouge_averages_references_and_cuts_to_length() -> None:
    both = ev.rouge("Hà Nội mưa to", ["Hà Nội mưa to", "nắng nóng"], length=4)
    assert both.r1[2] == pytest.approx(0.5)  # 1.0 against the first reference, 0.0 against the second
    cut = ev.rouge("Hà Nội mưa to", ["Hà Nội"], length=2)
    assert cut.r1 == pytest.approx((1.0, 1.0, 1.0))


def test_detokenize_undoes_vmds_segmentation() -> None:
    assert ev.detokenize("Campuchia : Phe đối_lập lại biểu_tình ( CNPR ) , hôm_nay .") == (
        "Campuchia: Phe đối lập lại biểu tình (CNPR), hôm nay."
    )


def _vmds_cluster(root: Path) -> Path:
    d = root / "cluster_7"
    d.mkdir(parents=True)
    (d / "101.body.txt").write_text(
        "Trạm bơm - Ảnh: TTXVN Ngày 2/11, Hà Nội vận hành trạm bơm Yên Sở để chống ngập.", encoding="utf-8"
    )
    (d / "101.info.txt").write_text(
        "LINK: http://x\nTITLE: Hà_Nội vận_hành trạm bơm Yên_Sở \nSUMMARY: Sapo .\nTIME: 02/11/2013 08:00\n",
        encoding="utf-8",
    )
    (d / "cluster_7.ref1.txt").write_text("Hà Nội vận hành trạm bơm Yên Sở.", encoding="utf-8")
    (d / "cluster_7.ref2.txt").write_text("Trạm bơm Yên Sở chống ngập.", encoding="utf-8")
    return root


def test_load_vmds_and_articles_as_a_crawl(tmp_path: Path) -> None:
    clusters = ev.load(_vmds_cluster(tmp_path / "vmds"))
    (c,) = clusters
    assert c.id == "cluster_7" and len(c.references) == 2
    assert c.documents[0].title == "Hà Nội vận hành trạm bơm Yên Sở"
    (article,) = ev.cluster_articles(c)
    assert article.title == "Hà Nội vận hành trạm bơm Yên Sở"
    assert article.text.startswith("Trạm bơm - Ảnh: TTXVN Ngày 2/11")  # the title is not in the body
    assert ev.mean_reference_length(clusters) == 7  # (8 + 6) / 2 syllables


def test_load_vmds_missing_info_names_the_file(tmp_path: Path) -> None:
    root = _vmds_cluster(tmp_path / "vmds")
    (root / "cluster_7" / "101.info.txt").unlink()
    with pytest.raises(ValueError, match=r"101\.info\.txt"):
        ev.load(root)


def test_load_abmusu_puts_sapo_first(tmp_path: Path) -> None:
    rec = {
        "single_documents": [
            {
                "title": "Giá xăng giảm ",
                "anchor_text": "Giá xăng giảm mạnh từ chiều nay.",
                "raw_text": "Dòng 1.\nDòng 2.",
            }
        ],
        "summary": "Giá xăng giảm.",
        "category": "Kinh tế",
    }
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    (c,) = ev.load(path)
    (article,) = ev.cluster_articles(c)
    assert article.title == "Giá xăng giảm"
    assert article.paragraphs == ["Giá xăng giảm mạnh từ chiều nay.", "Dòng 1.", "Dòng 2."]
    path.write_text('{"single_documents": []}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"a\.jsonl:1"):
        ev.load(path)


def test_single_articles_take_the_sapo_as_reference_and_cut_it_from_the_body(tmp_path: Path) -> None:
    # A vmds-style article whose SUMMARY (word-segmented) also opens its body, and an AbMuSu record.
    d = tmp_path / "vmds" / "cluster_3"
    d.mkdir(parents=True)
    sapo = "TTO - Ngày 23-10, hàng nghìn người ủng hộ đảng đối lập lại xuống đường biểu tình ở Phnom Penh."
    body = (
        f"{sapo} Theo Hãng tin AFP, đảng đối lập tuyên bố cuộc biểu tình sẽ kéo dài ba ngày. "
        "Ước tính khoảng 5.000 người đã diễu hành ở trung tâm thủ đô, giương cao các biểu ngữ."
    )
    (d / "7.body.txt").write_text(body, encoding="utf-8")
    (d / "7.info.txt").write_text(
        "TITLE: Phe đối_lập Campuchia lại biểu_tình \nSUMMARY: TTO - Ngày 23-10 , hàng nghìn người ủng_hộ "
        "đảng đối_lập lại xuống_đường biểu_tình ở Phnom_Penh . \nTIME: 23/10/2013 11:39\n",
        encoding="utf-8",
    )
    (d / "8.body.txt").write_text(
        "Bài không có sapo nhưng có thân bài đủ dài để làm đầu vào.", encoding="utf-8"
    )
    (d / "8.info.txt").write_text("TITLE: Không sapo\nSUMMARY: \n", encoding="utf-8")
    (d / "cluster_3.ref1.txt").write_text("Phe đối lập Campuchia biểu tình.", encoding="utf-8")
    (c,) = ev.single_articles(ev.load(tmp_path / "vmds"))
    assert c.id == "cluster_3/7" and c.references == [sapo]  # underscores undone, spaces before marks too
    (doc,) = c.documents
    assert doc.body.startswith("Theo Hãng tin AFP") and sapo not in doc.body
    (article,) = ev.cluster_articles(c)  # the input is the body alone
    assert "hàng nghìn người" not in article.text

    rec = {
        "single_documents": [
            {"title": "Giá xăng giảm", "anchor_text": "Giá xăng giảm mạnh từ chiều nay.",
             "raw_text": "Liên bộ Công Thương - Tài chính điều chỉnh giá xăng dầu.\nGiá RON95 giảm 1.000 đồng."}
        ],
        "summary": "Giá xăng giảm.",
    }  # fmt: skip
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    (s,) = ev.single_articles(ev.load(path))
    assert s.references == ["Giá xăng giảm mạnh từ chiều nay."] and s.documents[0].sapo == ""
    assert [a.paragraphs for a in ev.cluster_articles(s)] == [
        ["Liên bộ Công Thương - Tài chính điều chỉnh giá xăng dầu.", "Giá RON95 giảm 1.000 đồng."]
    ]


def test_fingerprint_reads_references_as_syllables() -> None:
    a = ev.Cluster("x", [], ["Hà_Nội mưa to ."])
    assert ev.fingerprint(a) == ev.fingerprint(ev.Cluster("y", [], ["Hà Nội mưa to."]))
    assert ev.fingerprint(a) != ev.fingerprint(ev.Cluster("x", [], ["Hà Nội nắng."]))


def test_load_missing_path_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no such file"):
        ev.load(tmp_path / "nope")


def test_eval_beats_lead_on_a_few_vmds_clusters() -> None:
    if not VMDS.is_dir():
        pytest.skip("../shared/data/vmds-dev not present")
    clusters = ev.load(VMDS)[:12]
    systems = ev.default_systems(include_sumy=False)
    results = ev.evaluate(systems, list(ev.iter_cluster_articles(clusters)), 184)
    assert results["diemtin"].r2[2] > results["lead"].r2[2]
    assert results["diemtin"].r1[2] > results["lead"].r1[2]


def test_cli_eval_summaries_prints_all_systems() -> None:
    if not ABMUSU.is_file():
        pytest.skip("../shared/data/abmusu-train.jsonl not present")
    from typer.testing import CliRunner

    res = CliRunner().invoke(app, ["eval", "summaries", str(ABMUSU), "--limit", "3", "--length", "120"])
    assert res.exit_code == 0, res.output
    for name in ("lead", "centroid+mmr", "sumy-lexrank", "diemtin"):
        assert name in res.output
    assert "120 syllables" in res.output
    # Where the scorer was trained, and that these clusters were in its training data.
    assert "bench/train_summarizer.py" in res.output and "abmusu" in res.output
    assert "3 of 3 clusters here were in its training data" in res.output
    assert "Cross-validated" in res.output and "vmds/multi" in res.output


def test_cli_eval_bad_path_exits_1(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    res = CliRunner().invoke(app, ["eval", "summaries", str(tmp_path / "missing")])
    assert res.exit_code == 1
