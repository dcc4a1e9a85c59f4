"""``diemtin eval summaries DATA``: ROUGE of diemtin's summaries beside Lead, centroid+MMR and LexRank."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .app import Lazy, app, err, out

if TYPE_CHECKING:
    from .. import evaluate as ev
else:
    ev = Lazy("diemtin.evaluate")  # imported when a command runs, not for --help

eval_app = typer.Typer(
    help="Measure diemtin against reference corpora.",
    no_args_is_help=True,
    epilog="Example: diemtin eval summaries ../shared/data/vmds-dev --length 184",
)
app.add_typer(eval_app, name="eval")


def _model_note(clusters: list[ev.Cluster]) -> str:
    """Where the shipped summarizer was trained, whether these clusters were among its training data,
    and its cross-validated scores (stored in summarizer.json by bench/train_summarizer.py)."""
    from ..summarize import provenance

    prov = provenance()
    trained = set(prov.get("training_clusters") or [])
    seen = sum(ev.fingerprint(c) in trained for c in clusters)
    corpora = prov.get("corpora") or {}
    where = ", ".join(
        f"{name} ({v.get('multi', 0)} clusters, {v.get('single', 0)} single articles)"
        for name, v in corpora.items()
        if isinstance(v, dict)
    )
    lines = [
        f"diemtin's scorer ({prov['file']}): trained {prov.get('trained', '?')} by "
        f"{prov.get('script', '?')} on {where or 'unknown corpora'}; {len(prov['features'])} features"
        f" ({', '.join(prov['features'])}); {prov.get('scorer', '')}.",
        f"{seen} of {len(clusters)} clusters here were in its training data"
        + (": diemtin's row above is in-sample for those." if seen else ": its row above is out-of-sample."),
    ]
    cv = prov.get("cv") or {}
    if cv:
        lines.append(f"Cross-validated ({prov.get('cross_validation', '')}), F1 ×100, diemtin / Lead:")
        for key, r in cv.items():
            lines.append(
                f"  {key:<16} {int(r['items']):>4} items, {int(r['length'])} syllables:"
                f"  R1 {r['r1']:.2f} / {r['lead_r1']:.2f}  R2 {r['r2']:.2f} / {r['lead_r2']:.2f}"
                f"  RL {r['rl']:.2f} / {r['lead_rl']:.2f}"
            )
    return "\n".join(lines)


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
    """ROUGE-1/2/L F1 and recall on syllables, averaged over references, every summary cut to LENGTH.

    Then where diemtin's scorer was trained, how many of these clusters it saw in training, and its
    cross-validated scores.
    """
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
    out.print(_model_note(clusters), markup=False, highlight=False)
    err.print(f"{time.perf_counter() - t0:.1f} s")


@eval_app.command(
    "events",
    epilog="Example: diemtin eval events ../shared/data/vmds-dev "
    "--gold bench/annotations/vmds-happenings.jsonl",
)
def events_cmd(
    data: Annotated[
        Path, typer.Argument(help="A VietnameseMDS folder (cluster_N/) or an AbMuSu .jsonl file.")
    ],
    gold: Annotated[
        Path | None,
        typer.Option(
            "--gold",
            help="Happening labels (JSON lines: corpus, cluster, doc, happening, kind). "
            "Default: the corpus's published clusters.",
        ),
    ] = None,
    level: Annotated[
        str, typer.Option("--level", help="Score the pipeline's 'events' or its 'stories'.")
    ] = "events",
    fmt: Annotated[
        str,
        typer.Option("--format", help="Write the crawl as 'txt' files (no dates) or 'jsonl' (with dates)."),
    ] = "txt",
    half: Annotated[
        int | None,
        typer.Option("--half", min=0, max=1, help="Only the even (0) or odd (1) numbered clusters."),
    ] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="Only the first N clusters.")] = None,
) -> None:
    """B-cubed of diemtin's events (or stories) on a corpus mixed into one crawl, against happening
    labels or the published clusters. Events are judged against happenings, stories against topics."""
    from ..evaluate import corpora, grouping, happenings

    if level not in grouping.LEVELS:
        err.print(f"[red]error:[/red] --level {level!r}: choose one of {', '.join(grouping.LEVELS)}")
        raise typer.Exit(2)
    try:
        docs = corpora.corpus_docs(data, limit)
        labels = happenings.load(gold) if gold is not None else None
        if half is not None:
            docs = corpora.half(docs, half)
        t0 = time.process_time()
        articles, doc_of = corpora.crawl_articles(docs, fmt)
    except (OSError, ValueError) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc
    d = grouping.digest(articles)
    if labels is None:
        truth = {aid: doc.cluster for aid, doc in doc_of.items()}
        against = "published clusters"
    else:
        truth = happenings.gold(doc_of, labels)
        against = f"happenings of {gold}"
        if not truth:
            err.print(f"[red]error:[/red] {gold}: labels no article of {data}")
            raise typer.Exit(1)
    score = grouping.score(d, truth, level)
    out.print(
        f"{data}{'' if half is None else f' half {half}'} — {len(articles)} articles, {level} vs {against}"
    )
    out.print(str(score))
    if labels is not None and level == "events":
        kind = {a: e.kind for e in d.events for a in e.articles}
        said = [aid for aid in truth if labels[doc_of[aid].key].kind == "commentary"]
        found = [aid for aid in truth if kind.get(aid) == "commentary"]
        right = sum(1 for aid in found if labels[doc_of[aid].key].kind == "commentary")
        out.print(
            f"commentary: labelled {len(said)}, found {len(found)}, of them labelled commentary {right}"
        )
    err.print(f"{time.process_time() - t0:.1f} CPU s")
