"""Evaluation of grouping as a library: B-cubed by hand, happening labels, a corpus as one crawl, and
``diemtin eval events`` on real clusters."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from diemtin.cli import app
from diemtin.evaluate import corpora, grouping, happenings
from diemtin.evaluate.bcubed import bcubed
from tests.conftest import ABMUSU, ROOT, VMDS

ANNOTATIONS = ROOT / "bench" / "annotations"


def test_bcubed_hand_computed() -> None:
    gold = {"a": "x", "b": "x", "c": "y", "d": "y"}
    # {a, b, c} and {d}: precision a,b 2/3, c 1/3, d 1 -> 2.67/4; recall a,b 1, c 1/2, d 1/2 -> 3/4.
    s = bcubed([["a", "b", "c"], ["d"]], gold)
    assert s.precision == pytest.approx(2.6667 / 4, abs=1e-4) and s.recall == pytest.approx(0.75)
    assert s.f1 == pytest.approx(2 * s.precision * s.recall / (s.precision + s.recall))
    assert bcubed([["a", "b"], ["c", "d"]], gold).f1 == 1.0
    # An article in no predicted group counts as its own; items without a label are not scored.
    assert bcubed([["a", "b", "zz"]], gold) == bcubed([["a", "b"], ["c"], ["d"]], gold)
    assert bcubed([["a", "b"]], gold).predicted == 3


def test_happening_labels_bad_lines_name_file_and_line(tmp_path: Path) -> None:
    good = {"corpus": "vmds", "cluster": "cluster_1", "doc": "1", "happening": "h1", "kind": "report"}
    f = tmp_path / "h.jsonl"
    f.write_text(json.dumps(good) + "\n" + json.dumps({**good, "doc": "2", "kind": "opinion"}) + "\n")
    with pytest.raises(ValueError, match=r"h\.jsonl:2: kind 'opinion'"):
        happenings.load(f)
    f.write_text(json.dumps(good) + "\n{not json\n")
    with pytest.raises(ValueError, match=r"h\.jsonl:2: not a happening label"):
        happenings.load(f)
    f.write_text(json.dumps(good) + "\n" + json.dumps(good) + "\n")
    with pytest.raises(ValueError, match="labelled twice"):
        happenings.load(f)
    with pytest.raises(ValueError, match=r"missing\.jsonl: cannot read"):
        happenings.load(tmp_path / "missing.jsonl")


def test_a_corpus_as_one_crawl_keeps_no_cluster_information() -> None:
    if not VMDS.is_dir():
        pytest.skip("../shared/data/vmds-dev not present")
    docs = corpora.vmds_docs(VMDS, limit=4)
    arts, doc_of = corpora.crawl_articles(docs, "jsonl")
    assert len(arts) == len(docs) and {d.key for d in doc_of.values()} == {d.key for d in docs}
    assert all("cluster" not in a.path and a.published for a in arts)
    txt, _ = corpora.crawl_articles(docs, "txt")
    assert not any(a.published for a in txt)
    assert {d.cluster for d in corpora.half(docs, 0)} == {"cluster_2", "cluster_4"}


def test_events_scored_against_happenings_and_stories_against_clusters() -> None:
    if not VMDS.is_dir():
        pytest.skip("../shared/data/vmds-dev not present")
    docs = corpora.vmds_docs(VMDS, limit=12)
    labels = happenings.load(ANNOTATIONS / "vmds-happenings.jsonl")
    arts, doc_of = corpora.crawl_articles(docs, "txt")
    d = grouping.digest(arts)
    assert all(not e.summary for e in d.events)  # evaluation skips summaries
    ev = grouping.score(d, happenings.gold(doc_of, labels), "events")
    st = grouping.score(d, {a: x.cluster for a, x in doc_of.items()}, "stories")
    # Every story is a union of events: against the topics it can only gain recall.
    assert st.recall >= grouping.score(d, {a: x.cluster for a, x in doc_of.items()}, "events").recall
    assert ev.n == st.n == len(docs) and ev.f1 > 0.8 and st.f1 > 0.8


def test_cli_eval_events(tmp_path: Path) -> None:
    if not VMDS.is_dir():
        pytest.skip("../shared/data/vmds-dev not present")
    gold = str(ANNOTATIONS / "vmds-happenings.jsonl")
    runner = CliRunner()
    res = runner.invoke(app, ["eval", "events", str(VMDS), "--gold", gold, "--limit", "6"])
    assert res.exit_code == 0, res.output
    assert "events vs happenings" in res.output and "B3 P=" in res.output and "commentary:" in res.output
    res = runner.invoke(
        app, ["eval", "events", str(VMDS), "--level", "stories", "--limit", "6", "--half", "1"]
    )
    assert res.exit_code == 0, res.output
    assert "stories vs published clusters" in res.output
    res = runner.invoke(app, ["eval", "events", str(VMDS), "--gold", str(tmp_path / "none.jsonl")])
    assert res.exit_code == 1 and "none.jsonl" in res.output
    res = runner.invoke(app, ["eval", "events", str(VMDS), "--level", "topics"])
    assert res.exit_code == 2


def test_abmusu_docs_are_indexed_as_the_labels_are() -> None:
    if not ABMUSU.is_file():
        pytest.skip("../shared/data/abmusu-train.jsonl not present")
    docs = corpora.abmusu_docs(ABMUSU, limit=3)
    labels = happenings.load(ANNOTATIONS / "abmusu-happenings.jsonl")
    assert docs[0].key == ("abmusu", "c0", "0") and all(d.key in labels for d in docs)
