"""CPU cost of abstractive rewriting with a ViT5-base-shaped model (random weights: cost, not quality).

    .venv/bin/python bench/abstractive_cost.py --sentences 16 --beams 4

Nothing is downloaded: the model has ViT5-base's shape (T5 v1.1: 12+12 layers, d_model 768, d_ff 2048,
gated-GELU, vocabulary 36,096) and random weights, and generation is forced to a fixed output length so
the time is that of a real rewrite of the same length. Needs the neural extra (torch, transformers).
"""

from __future__ import annotations

import argparse
import time


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sentences", type=int, default=16, help="summary sentences to rewrite")
    ap.add_argument("--in-tokens", type=int, default=40, help="tokens per input sentence (~30 syllables)")
    ap.add_argument("--out-tokens", type=int, default=24, help="tokens generated per sentence")
    ap.add_argument("--beams", type=int, default=4)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--layers", type=int, default=12)
    ap.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    args = ap.parse_args()

    import torch
    from transformers import T5Config, T5ForConditionalGeneration

    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    config = T5Config(
        vocab_size=36096,
        d_model=768,
        d_kv=64,
        d_ff=2048,
        num_layers=args.layers,
        num_decoder_layers=args.layers,
        num_heads=12,
        feed_forward_proj="gated-gelu",
        tie_word_embeddings=False,
        decoder_start_token_id=0,
    )
    t0, c0 = time.perf_counter(), time.process_time()
    model = T5ForConditionalGeneration(config).eval()
    params = sum(p.numel() for p in model.parameters())
    print(f"model: {params / 1e6:.0f}M parameters, built in {time.perf_counter() - t0:.1f} s")
    ids = torch.randint(3, config.vocab_size, (args.sentences, args.in_tokens))
    t0, c0 = time.perf_counter(), time.process_time()
    with torch.inference_mode():
        for start in range(0, args.sentences, args.batch):
            batch = ids[start : start + args.batch]
            model.generate(
                input_ids=batch,
                attention_mask=torch.ones_like(batch),
                do_sample=False,
                num_beams=args.beams,
                min_new_tokens=args.out_tokens,
                max_new_tokens=args.out_tokens,
            )
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(
        f"{args.sentences} sentences, {args.in_tokens} tokens in, {args.out_tokens} out, beams {args.beams}, "
        f"batch {args.batch}, {torch.get_num_threads()} threads: {wall:.1f} s wall "
        f"({wall / args.sentences:.2f} s/sentence), {cpu:.1f} s CPU"
    )


if __name__ == "__main__":
    main()
