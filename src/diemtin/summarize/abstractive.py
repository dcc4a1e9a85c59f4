"""Optional abstractive rewriting of extractive summaries with a local seq2seq model (e.g. ViT5).

A post-step, never part of the default pipeline: the extractive summarizer picks and orders the
sentences, then each sentence is rewritten on its own by a model loaded from a folder on disk. Rewriting
sentence by sentence keeps the traceability rule of the digest: every summary sentence still names the
one article it came from. A rewrite that looks wrong (empty, repetitive, longer than its source, mostly
words or numbers the source does not contain) is dropped and the extractive sentence kept.

Needs the ``neural`` extra (``pip install 'diemtin[neural]'``: torch and transformers). Nothing is
downloaded: the model is read from ``path`` with ``local_files_only`` and the Hugging Face hub offline.
"""

from __future__ import annotations

import dataclasses
import itertools
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..models import Digest, SummarySentence
from ..text import normalize, syllables

INSTALL_HINT = "pip install 'diemtin[neural]'"

# Generation settings. Beam search without sampling is deterministic for a given model and input;
# no_repeat_ngram_size=3 is the usual guard against the loops small seq2seq models fall into.
NUM_BEAMS = 4
MAX_NEW_TOKENS = 128
NO_REPEAT_NGRAM = 3
BATCH_SIZE = 8

# Guards (see check_rewrite). A per-sentence rewrite compresses or paraphrases one sentence, so it
# should be no longer than its source (slack for paraphrase: x1.3 + 3 syllables), keep at least a fifth
# of it, and mostly reuse its syllables: at least 60% of the output's syllables must occur in the
# source. These are conservative bounds chosen by reading ViT5-style sentence rewrites, not tuned on data.
MIN_SYLLABLES = 3
MIN_RATIO = 0.2
MAX_RATIO = 1.3
MAX_EXTRA = 3
MIN_SUPPORT = 0.6
MAX_RUN = 3  # the same syllable 3 times in a row ("lũ lũ lũ") is a generation loop, not Vietnamese
MIN_DISTINCT_TRIGRAMS = 0.7

_DIGITS = re.compile(r"\d")
_END = re.compile(r"[.!?…]['\"”’)]*$")


class RewriterError(Exception):
    """The model folder cannot be used (missing, not a seq2seq model, or the extra not installed)."""


@dataclass(slots=True)
class Rewrite:
    """What happened to one summary sentence: the text kept, and why a rewrite was refused if it was."""

    original: str
    text: str
    article: str
    rejected: str | None = None  # reason the model's output was not used (None: rewritten)
    output: str = ""  # the model's raw output, kept for inspection


@dataclass(slots=True)
class RewriteStats:
    """Counts for one rewriting run, printed by the CLI."""

    rewritten: int = 0
    kept: int = 0
    reasons: dict[str, int] = field(default_factory=dict)

    def add(self, r: Rewrite) -> None:
        if r.rejected is None:
            self.rewritten += 1
        else:
            self.kept += 1
            key = r.rejected.split(":")[0]
            self.reasons[key] = self.reasons.get(key, 0) + 1


def check_rewrite(source: str, output: str) -> str | None:
    """Why ``output`` is not an acceptable rewrite of ``source`` (``None`` when it is)."""
    out = syllables(output)
    src = syllables(source)
    if not out:
        return "empty output"
    if len(out) < MIN_SYLLABLES or len(out) < MIN_RATIO * len(src):
        return f"too short: {len(out)} syllables for a {len(src)}-syllable sentence"
    if len(out) > MAX_RATIO * len(src) + MAX_EXTRA:
        return f"longer than the source: {len(out)} syllables for {len(src)}"
    run = 1
    for prev, cur in itertools.pairwise(out):
        run = run + 1 if cur == prev else 1
        if run >= MAX_RUN:
            return f"repetitive output: '{cur}' {run} times in a row"
    trigrams = list(zip(out, out[1:], out[2:], strict=False))
    if len(trigrams) >= 4 and len(set(trigrams)) < MIN_DISTINCT_TRIGRAMS * len(trigrams):
        return f"repetitive output: {len(set(trigrams))} distinct trigrams of {len(trigrams)}"
    # A number the source does not contain is a made-up date, count or amount: the worst error in news.
    src_set = set(src)
    for tok in out:
        if _DIGITS.search(tok) and tok not in src_set:
            return f"number not in the source: {tok}"
    supported = sum(1 for tok in out if tok in src_set)
    if supported < MIN_SUPPORT * len(out):
        return f"unsupported words: {supported} of {len(out)} syllables occur in the source"
    return None


def _tidy(text: str, source: str) -> str:
    """One line, normalised like the rest of the pipeline, ending like its source when that had a stop."""
    text = normalize(" ".join(text.split()))
    if text and not _END.search(text) and _END.search(source):
        text += "."
    return text[:1].upper() + text[1:] if text[:1].islower() and source[:1].isupper() else text


class Rewriter:
    """A local seq2seq model and tokenizer, with deterministic generation settings."""

    def __init__(
        self,
        model: Any,
        tokenizer: Any,
        path: str = "",
        prefix: str = "",
        num_beams: int = NUM_BEAMS,
        max_new_tokens: int = MAX_NEW_TOKENS,
        batch_size: int = BATCH_SIZE,
    ) -> None:
        self.model = model
        self.tokenizer = tokenizer
        self.path = path
        self.prefix = prefix
        self.num_beams = num_beams
        self.max_new_tokens = max_new_tokens
        self.batch_size = batch_size

    def generate(self, texts: Sequence[str]) -> list[str]:
        """The model's raw output for each input text, in order (greedy/beam search, no sampling)."""
        import torch

        outputs: list[str] = []
        for start in range(0, len(texts), self.batch_size):
            batch = [self.prefix + t for t in texts[start : start + self.batch_size]]
            enc = self.tokenizer(batch, return_tensors="pt", padding=True, truncation=True, max_length=512)
            with torch.inference_mode():
                ids = self.model.generate(
                    input_ids=enc["input_ids"],
                    attention_mask=enc["attention_mask"],
                    do_sample=False,
                    num_beams=self.num_beams,
                    max_new_tokens=self.max_new_tokens,
                    no_repeat_ngram_size=NO_REPEAT_NGRAM,
                    early_stopping=self.num_beams > 1,
                )
            outputs.extend(self.tokenizer.batch_decode(ids, skip_special_tokens=True))
        return outputs

    def rewrite(self, sentences: Sequence[SummarySentence]) -> list[Rewrite]:
        """Rewrite each sentence; keep the extractive sentence where the output fails ``check_rewrite``."""
        raw = self.generate([s.text for s in sentences]) if sentences else []
        result: list[Rewrite] = []
        for s, out in zip(sentences, raw, strict=True):
            text = _tidy(out, s.text)
            reason = check_rewrite(s.text, text)
            result.append(Rewrite(s.text, s.text if reason else text, s.article, reason, out))
        return result


def load_rewriter(path: str | Path, device: str = "cpu") -> Rewriter:
    """Load a seq2seq model and its tokenizer from the local folder ``path`` (never from the network).

    Raises ``RewriterError`` naming the path when it is not a model folder, or naming the extra to
    install when torch/transformers are missing.
    """
    folder = Path(path).expanduser()
    if not folder.is_dir():
        raise RewriterError(f"{folder}: no such model folder (give the folder of a local seq2seq model)")
    if not (folder / "config.json").is_file():
        raise RewriterError(f"{folder}: not a model folder (no config.json; expected a saved seq2seq model)")
    # Offline before transformers is imported: the hub client reads these once, at import time.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import torch  # noqa: F401
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer
        from transformers.utils import logging as hf_logging
    except ImportError as exc:
        raise RewriterError(
            f"--model {folder} needs torch and transformers ({exc.name} is missing): {INSTALL_HINT}"
        ) from exc
    bar = hf_logging.is_progress_bar_enabled()  # no "Loading weights" bar on the CLI's stderr
    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call, unused-ignore]
    try:
        tokenizer = AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
        model = AutoModelForSeq2SeqLM.from_pretrained(str(folder), local_files_only=True)
    except (OSError, ValueError, KeyError) as exc:
        # transformers raises OSError for missing weight/tokenizer files and ValueError for a config
        # that is not an encoder-decoder model; keep the first line, it names what is missing.
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise RewriterError(f"{folder}: cannot load a seq2seq model and tokenizer: {first}") from exc
    finally:
        if bar:
            hf_logging.enable_progress_bar()  # type: ignore[no-untyped-call, unused-ignore]
    model.to(device)
    model.eval()
    # A model may declare its input prefix, as T5 checkpoints do (e.g. "vietnews: " for ViT5 news).
    params = getattr(model.config, "task_specific_params", None) or {}
    prefix = str(params.get("summarization", {}).get("prefix", ""))
    return Rewriter(model, tokenizer, path=str(folder), prefix=prefix)


def drop_repeats(rewrites: Sequence[Rewrite]) -> list[Rewrite]:
    """Keep the extractive sentence where a rewrite repeats an earlier one of the same summary.

    Two source sentences that say nearly the same thing can be shortened to the same words; the
    extractive summarizer had already judged them different enough to keep both.
    """
    seen: set[tuple[str, ...]] = set()
    out: list[Rewrite] = []
    for r in rewrites:
        key = tuple(syllables(r.text))
        if r.rejected is None and key in seen:
            r = dataclasses.replace(r, text=r.original, rejected="repeats an earlier sentence")
        seen.add(key)
        out.append(r)
    return out


def _apply(rewrites: Sequence[Rewrite], stats: RewriteStats | None) -> list[SummarySentence]:
    kept = drop_repeats(rewrites)
    if stats is not None:
        for r in kept:
            stats.add(r)
    return [SummarySentence(r.text, r.article) for r in kept]


def rewrite_summary(
    sentences: Sequence[SummarySentence], rewriter: Rewriter, stats: RewriteStats | None = None
) -> list[SummarySentence]:
    """The summary with each sentence rewritten (or kept), each still naming its source article."""
    return _apply(rewriter.rewrite(sentences), stats)


def rewrite_digest(digest: Digest, rewriter: Rewriter, stats: RewriteStats | None = None) -> Digest:
    """A copy of ``digest`` whose event summaries are rewritten; everything else is shared unchanged.

    All events' sentences go through the model together so that batches stay full.
    """
    rewrites = rewriter.rewrite([s for e in digest.events for s in e.summary])
    events = []
    pos = 0
    for e in digest.events:
        n = len(e.summary)
        events.append(dataclasses.replace(e, summary=_apply(rewrites[pos : pos + n], stats)))
        pos += n
    return dataclasses.replace(digest, events=events)


__all__ = [
    "Rewrite",
    "RewriteStats",
    "Rewriter",
    "RewriterError",
    "check_rewrite",
    "drop_repeats",
    "load_rewriter",
    "rewrite_digest",
    "rewrite_summary",
]
