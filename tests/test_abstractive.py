"""Abstractive rewriting: the guards, the errors, and the CLI with a tiny model the test builds and trains.

The model is a randomly initialised T5 (d_model 32, one layer each side) with a word-level tokenizer
built from the test's own sentences; it is trained for a few dozen steps to memorise a rewrite of each
sentence, so the expected output is known. No file is downloaded.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from diemtin import api
from diemtin.cli import app
from diemtin.summarize.abstractive import (
    Rewrite,
    Rewriter,
    RewriterError,
    check_rewrite,
    drop_repeats,
    load_rewriter,
)

from .helpers import CALL_2021, FLOOD_2020, write_articles

runner = CliRunner()
# One worker builds the tiny model when the suite runs with `pytest -n 2 --dist loadgroup`.
pytestmark = pytest.mark.xdist_group("abstractive")

SOURCE = (
    "Ngày 20/10/2020, các tỉnh miền Trung tiếp tục huy động lực lượng khắc phục hậu quả đợt mưa lũ lịch sử."
)


# --------------------------------------------------------------------------------------------------
# Guards and errors: no torch needed


def test_check_accepts_a_shorter_faithful_rewrite() -> None:
    assert check_rewrite(SOURCE, "Các tỉnh miền Trung khắc phục hậu quả mưa lũ lịch sử.") is None


@pytest.mark.parametrize(
    ("output", "reason"),
    [
        ("", "empty output"),
        ("   .  ", "empty output"),
        ("Miền Trung.", "too short"),
        ("miền Trung miền Trung miền Trung miền Trung miền Trung miền Trung.", "repetitive"),
        ("Lũ lũ lũ lịch sử ở miền Trung.", "repetitive"),
        ("Ngày 21/10/2020, các tỉnh miền Trung khắc phục hậu quả mưa lũ.", "number not in the source: 21"),
        ("Thủ tướng yêu cầu bộ ngành sớm báo cáo tình hình thiệt hại về người.", "unsupported words"),
        (SOURCE + " " + SOURCE, "longer than the source"),
    ],
)
def test_check_rejects_garbage(output: str, reason: str) -> None:
    got = check_rewrite(SOURCE, output)
    assert got is not None and got.startswith(reason), got


def test_a_rewrite_repeating_an_earlier_one_keeps_its_source() -> None:
    a = "Chính phủ đã hỗ trợ khẩn cấp gạo cho các địa phương bị lũ."
    b = "Chính phủ cũng hỗ trợ khẩn cấp gạo cho các tỉnh miền Trung."
    same = "Chính phủ hỗ trợ khẩn cấp gạo."
    got = drop_repeats([Rewrite(a, same, "x1"), Rewrite(b, same, "x2"), Rewrite(b, b, "x3", "too short")])
    assert [(r.text, r.article, r.rejected) for r in got] == [
        (same, "x1", None),
        (b, "x2", "repeats an earlier sentence"),
        (b, "x3", "too short"),
    ]


def test_bad_model_paths_name_the_path(tmp_path: Path) -> None:
    with pytest.raises(RewriterError, match=re.escape(str(tmp_path / "nope")) + ".*no such model folder"):
        load_rewriter(tmp_path / "nope")
    (tmp_path / "empty").mkdir()
    with pytest.raises(RewriterError, match="empty: not a model folder"):
        load_rewriter(tmp_path / "empty")
    with pytest.raises(RewriterError, match=re.escape(str(Path.home() / "no-diemtin-model"))):
        load_rewriter("~/no-diemtin-model")  # ~ is expanded, as a shell would


def test_missing_extra_names_the_install_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "config.json").write_text("{}", encoding="utf-8")
    monkeypatch.setitem(sys.modules, "transformers", None)  # as if the neural extra were not installed
    with pytest.raises(RewriterError, match=r"pip install 'diemtin\[neural\]'"):
        load_rewriter(tmp_path / "m")
    result = runner.invoke(app, ["summarize", str(tmp_path), "--model", str(tmp_path / "m")])
    assert result.exit_code == 2
    assert "pip install 'diemtin[neural]'" in result.output


def test_cli_bad_model_is_a_usage_error(tmp_path: Path) -> None:
    write_articles(tmp_path / "in", flood=FLOOD_2020)
    for cmd in (["summarize", str(tmp_path / "in")], ["digest", str(tmp_path / "in"), "-o", str(tmp_path)]):
        result = runner.invoke(app, [*cmd, "--model", str(tmp_path / "missing-model")])
        assert result.exit_code == 2, result.output
        assert "missing-model: no such model folder" in result.output
    assert not (tmp_path / "digest.json").exists()


# --------------------------------------------------------------------------------------------------
# A real (tiny) model


def compress(sentence: str) -> str:
    """The rewrite the tiny model learns: no leading date clause, at most 8 words, a full stop."""
    words = re.sub(r"^Ngày [\d/]+, ", "", sentence).rstrip(".!?/ ").split()[:8]
    text = " ".join(words)
    return text[:1].upper() + text[1:] + "."


# Outputs for the CALL_2021 article: each must be refused by a different guard.
GARBAGE = [
    "Nga Nga Nga Nga Nga Nga.",
    "Ngày 99/9/1999 hai bên điện đàm.",
    "",
    "Thủ tướng mưa lũ khẩn trương.",
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("abstractive")
    write_articles(root / "data" / "flood", flood=FLOOD_2020)
    write_articles(root / "data" / "call", call=CALL_2021)
    return root


@pytest.fixture(scope="module")
def one_thread() -> Iterator[None]:
    """Torch on one thread: on a small model, thread hand-offs cost 10x the arithmetic (measured)."""
    torch = pytest.importorskip("torch")
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="module")
def tiny_model(corpus: Path, one_thread: None) -> Path:
    """Build, train and save a tiny T5 that rewrites flood sentences and garbles the call's sentences."""
    torch = pytest.importorskip("torch")
    pytest.importorskip("transformers")
    tokenizers = pytest.importorskip("tokenizers")
    from transformers import PreTrainedTokenizerFast, T5Config, T5ForConditionalGeneration

    # Training pairs: every sentence the extractive summarizer picks, for summarize and for digest.
    picked: list[tuple[str, str]] = []
    for name in ("flood", "call"):
        sents, _ = api.summarize([str(corpus / "data" / name)])
        picked += [(name, s.text) for s in sents]
    result = api.digest(str(corpus / "data"))
    path = {a.id: a.path for a in result.articles}
    picked += [
        ("call" if "call" in path[s.article] else "flood", s.text) for e in result.events for s in e.summary
    ]
    pairs: dict[str, str] = {}
    garbled = 0
    for name, text in picked:
        if text in pairs:
            continue
        if name == "flood":
            pairs[text] = compress(text)
        else:
            pairs[text] = GARBAGE[garbled % len(GARBAGE)]
            garbled += 1

    special = ["<pad>", "</s>", "<unk>"]
    words = sorted({w for text in [*pairs, *pairs.values()] for w in text.split()})
    vocab = {w: i for i, w in enumerate([*special, *words])}
    tok = tokenizers.Tokenizer(tokenizers.models.WordLevel(vocab, unk_token="<unk>"))
    tok.pre_tokenizer = tokenizers.pre_tokenizers.WhitespaceSplit()
    tok.post_processor = tokenizers.processors.TemplateProcessing(
        single="$A </s>", special_tokens=[("</s>", 1)]
    )
    tok.decoder = tokenizers.decoders.WordPiece(prefix="##")  # joins words with single spaces
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok, pad_token="<pad>", eos_token="</s>", unk_token="<unk>"
    )

    torch.manual_seed(0)
    config = T5Config(
        vocab_size=len(vocab), d_model=32, d_kv=8, d_ff=64, num_layers=1, num_decoder_layers=1, num_heads=4,
        pad_token_id=0, eos_token_id=1, decoder_start_token_id=0, dropout_rate=0.0,
    )  # fmt: skip
    model = T5ForConditionalGeneration(config)
    enc = fast(list(pairs), return_tensors="pt", padding=True)
    labels = fast(list(pairs.values()), return_tensors="pt", padding=True)["input_ids"]
    labels[labels == 0] = -100
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    # Train until the rewriter's own decoding (beam search) reproduces every target: a low mean loss
    # alone (0.005) once left beam search one word short ("Các miền Trung" for "Các tỉnh miền Trung").
    # (The garbled targets are not compared: no_repeat_ngram_size keeps beam search from "Nga Nga Nga".)
    rewriter = Rewriter(model, fast)
    kept = [text for text in pairs if pairs[text] not in GARBAGE]
    for step in range(1, 1501):  # converges in about 200-400 steps, 1-3 s of CPU
        model.train()
        loss = model(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"], labels=labels).loss
        opt.zero_grad()
        loss.backward()
        opt.step()
        if loss.item() < 0.01 and step % 25 == 0:
            model.eval()
            if rewriter.generate(kept) == [pairs[t] for t in kept]:
                break
    else:
        pytest.fail("the tiny model did not learn its rewrites in 1,500 steps")
    model.eval()
    folder = corpus / "tiny-t5"
    model.save_pretrained(folder)
    fast.save_pretrained(folder)
    return folder


def _sentences(output: str) -> list[dict[str, str]]:
    return json.loads(output)["sentences"]  # type: ignore[no-any-return]


def test_summarize_rewrites_and_keeps_sources(corpus: Path, tiny_model: Path) -> None:
    flood = str(corpus / "data" / "flood")
    plain = runner.invoke(app, ["summarize", flood, "--json"])
    rewritten = runner.invoke(app, ["summarize", flood, "--json", "--model", str(tiny_model)])
    assert plain.exit_code == 0 and rewritten.exit_code == 0, rewritten.output
    before, after = _sentences(plain.stdout), _sentences(rewritten.stdout)
    assert len(after) == len(before) >= 2
    for b, a in zip(before, after, strict=True):
        assert a["article"] == b["article"]  # traceability: same source article, sentence by sentence
        assert a["text"] == compress(b["text"]) != b["text"]
    assert f"rewrote {len(before)} of {len(before)} summary sentences" in rewritten.stderr


def test_summarize_each_falls_back_on_garbage(corpus: Path, tiny_model: Path) -> None:
    data = str(corpus / "data")
    plain = runner.invoke(app, ["summarize", data, "--each"])
    result = runner.invoke(app, ["summarize", data, "--each", "--model", str(tiny_model)])
    assert result.exit_code == 0, result.output
    before = {c["cluster"]: c["sentences"] for c in map(json.loads, plain.stdout.splitlines())}
    after = {c["cluster"]: c["sentences"] for c in map(json.loads, result.stdout.splitlines())}
    assert after["call"] == before["call"]  # every garbled rewrite refused: the extractive text stays
    assert [s["text"] for s in after["flood"]] == [compress(s["text"]) for s in before["flood"]]
    assert f"kept {len(before['call'])} extractive" in result.stderr


def test_digest_rewrites_event_summaries(corpus: Path, tiny_model: Path) -> None:
    data = str(corpus / "data")
    assert runner.invoke(app, ["digest", data, "-o", str(corpus / "plain"), "-q"]).exit_code == 0
    result = runner.invoke(
        app, ["digest", data, "-o", str(corpus / "neural"), "-q", "--model", str(tiny_model)]
    )
    assert result.exit_code == 0, result.output
    plain = json.loads((corpus / "plain" / "digest.json").read_text(encoding="utf-8"))
    neural = json.loads((corpus / "neural" / "digest.json").read_text(encoding="utf-8"))
    assert len(neural["events"]) == len(plain["events"]) == 2
    by_id = {a["id"]: a["path"] for a in neural["articles"]}
    for ep, en in zip(plain["events"], neural["events"], strict=True):
        assert [s["article"] for s in en["summary"]] == [s["article"] for s in ep["summary"]]
        assert set(s["article"] for s in en["summary"]) <= set(en["articles"])
        for sp, sn in zip(ep["summary"], en["summary"], strict=True):
            expected = compress(sp["text"]) if "flood" in by_id[sp["article"]] else sp["text"]
            assert sn["text"] == expected
    # The Markdown and HTML reports show the rewritten text too.
    flood = next(e for e in neural["events"] if "flood" in by_id[e["summary"][0]["article"]])
    for report in ("digest.md", "digest.html"):
        assert flood["summary"][0]["text"] in (corpus / "neural" / report).read_text(encoding="utf-8")


def test_api_reuses_a_loaded_model(corpus: Path, tiny_model: Path) -> None:
    rewriter = load_rewriter(tiny_model)
    assert rewriter.model.training is False and str(next(rewriter.model.parameters()).device) == "cpu"
    sents, skipped = api.summarize([str(corpus / "data" / "flood")], model=rewriter)
    plain, _ = api.summarize([str(corpus / "data" / "flood")])
    assert not skipped
    assert [s.text for s in sents] == [compress(s.text) for s in plain]


def test_folder_that_is_not_seq2seq_is_refused(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    folder = tmp_path / "not-a-model"
    folder.mkdir()
    (folder / "config.json").write_text('{"model_type": "no-such-architecture"}', encoding="utf-8")
    with pytest.raises(RewriterError, match="not-a-model: cannot load a seq2seq model"):
        load_rewriter(folder)
