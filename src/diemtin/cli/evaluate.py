"""``diemtin eval summaries DATA``: ROUGE of diemtin's summaries beside Lead, centroid+MMR and LexRank."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from .. import evaluate as ev
from .app import app, err, out

eval_app = typer.Typer(
    help="Measure diemtin against reference corpora.",
    no_args_is_help=True,
    epilog="Example: diemtin eval summaries ../shared/data/vmds-dev --length 184",
)
app.add_typer(eval_app, name="eval")


@eval_app.command(
    "summaries", epilog="Example: diemtin eval summaries ../shared/data/abmusu-train.jsonl --limit 20"
)
def summaries(
    data: Annotated[
        Path, typer.Argument(help="A VietnameseMDS folder (cluster_N/) or an AbMuSu .jsonl file.")
    ],
    length: Annotated[
        int | None,
        typer.Option("--length", "-n", min=1, help="Syllables per summary (default: mean reference length)."),
    ] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="Only the first N clusters.")] = None,
) -> None:
    """ROUGE-1/2/L F1 and recall on syllables, averaged over references, every summary cut to LENGTH."""
    try:
        clusters = ev.load(data)
    except (OSError, ValueError) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc
    if limit is not None:
        clusters = clusters[:limit]
    n = length or ev.mean_reference_length(clusters)
    t0 = time.perf_counter()
    pairs = list(ev.iter_cluster_articles(clusters))
    results = ev.evaluate(ev.default_systems(), pairs, n)
    out.print(ev.format_table(results, f"{data} — {len(clusters)} clusters, summaries cut to {n} syllables"))
    err.print(f"{time.perf_counter() - t0:.1f} s")
