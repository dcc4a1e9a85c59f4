"""`diemtin digest` and `diemtin summarize`."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from .app import Lazy, app, err, out
from .app import plural as _n

if TYPE_CHECKING:
    from .. import api, executors, pipeline, store
    from ..summarize.abstractive import Rewriter, RewriteStats
else:
    api, executors, pipeline, store = (
        Lazy(f"diemtin.{m}") for m in ("api", "executors", "pipeline", "store")
    )

MODEL_HELP = "Rewrite summary sentences with the local seq2seq model in this folder (extra: neural)."


def load_model(model: Path | None) -> Rewriter | None:
    """The rewriter for --model, or exit 2 with the reason (bad folder, neural extra not installed)."""
    if model is None:
        return None
    from ..summarize import abstractive

    try:
        return abstractive.load_rewriter(model)
    except abstractive.RewriterError as exc:
        # escape: the message names the extra as diemtin[neural], which rich would read as markup
        err.print(f"[red]error:[/] {escape(str(exc))}", highlight=False)
        raise typer.Exit(2) from exc


def report_rewrites(stats: RewriteStats | None, rewriter: Rewriter | None) -> None:
    if stats is None or rewriter is None:
        return
    total = stats.rewritten + stats.kept
    line = f"{rewriter.path}: rewrote {stats.rewritten} of {total} summary sentences"
    if stats.kept:
        why = ", ".join(f"{reason} {n}" for reason, n in sorted(stats.reasons.items()))
        line += f"; kept {stats.kept} extractive ({why})"
    err.print(line, highlight=False)


def _stats(rewriter: Rewriter | None) -> RewriteStats | None:
    if rewriter is None:
        return None
    from ..summarize.abstractive import RewriteStats

    return RewriteStats()


def log_progress(logged: dict[str, int], stage: str, done: int, total: int) -> None:
    """Progress as plain lines, for a log: a stage's start, each further tenth, and its end."""
    tenth = 10 * done // total if total else 10
    if logged.get(stage, -1) < tenth or (done == total and logged.get(stage) != 10):
        logged[stage] = tenth
        err.print(f"{stage}: {done}/{total}", highlight=False)


# Files that are not articles by design (metadata sidecars, summary files) are counted per kind, with one
# example, instead of a line each: a corpus folder has hundreds of them.
_KIND_TEXT = {
    "sidecar": "metadata file(s) read as their article's title, sapo, date and URL",
    "metadata": "metadata file(s) not read as articles",
    "summary": "summary file(s) not read as articles",
}


def report_skipped(skipped: list[api.Skipped]) -> None:
    errors = [s for s in skipped if s.kind not in _KIND_TEXT]
    for s in errors:
        err.print(f"[yellow]skipped[/] {s.reason}", markup=True, highlight=False)
    for kind, text in _KIND_TEXT.items():
        some = [s for s in skipped if s.kind == kind]
        if some:
            err.print(f"{len(some)} {text} (e.g. {some[0].reason})", highlight=False)
    if errors:
        err.print(f"{len(errors)} input(s) skipped", highlight=False)


# The batch's as-of date (when it was crawled), shared by `digest` and `ingest` (docs/dating.md).
AS_OF_HELP = (
    "The day the inputs were crawled (YYYY-MM-DD): pages existed by then; a day without a year is read"
    " as its latest occurrence up to it. The only 'today' diemtin uses: same inputs, same digest."
)
AsOfOption = Annotated[datetime | None, typer.Option("--as-of", formats=["%Y-%m-%d"], help=AS_OF_HELP)]
MtimeOption = Annotated[
    bool,
    typer.Option(
        "--mtime-is-crawl-date",
        help="Each file's modification time is the day it was crawled (a date anchor).",
    ),
]


@app.command(
    epilog="Example: diemtin digest ../shared/seeds -o digest-out   (or: diemtin digest --db news.db)",
)
def digest(
    paths: Annotated[
        list[str] | None, typer.Argument(help="Files, folders (read recursively) or - for stdin.")
    ] = None,
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Folder for digest.json/.md/.html.")] = Path(
        "digest-out"
    ),
    length: Annotated[int, typer.Option(help="Syllables per event summary.")] = 80,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    db: Annotated[
        Path | None,
        typer.Option("--db", help="Read the digest from this store (diemtin ingest) instead of PATHs."),
    ] = None,
    executor: Annotated[
        str,
        typer.Option("--executor", help="inprocess (default), processes (this machine's cores) or dask."),
    ] = "inprocess",
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers", "-j", help="Worker processes (processes, dask LocalCluster); default: cores."
        ),
    ] = None,
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help="Dask scheduler address (default: a LocalCluster).")
    ] = None,
    run_dir: Annotated[
        Path | None,
        typer.Option("--run-dir", help="Read+clean in batches, checkpointed here; a rerun resumes."),
    ] = None,
    batch_size: Annotated[int, typer.Option(help="Files per batch with --run-dir.")] = 500,
    model: Annotated[Path | None, typer.Option("--model", help=MODEL_HELP)] = None,
    as_of: AsOfOption = None,
    mtime_is_crawl_date: MtimeOption = False,
) -> None:
    """Digest news articles into dated events, stories, summaries and a timeline (JSON, Markdown, HTML)."""
    if db is not None:
        if paths:
            err.print("[red]error:[/] give PATHs or --db, not both (add files with diemtin ingest)")
            raise typer.Exit(2)
        if as_of is not None or mtime_is_crawl_date:
            # A store's dates are fixed at ingest: each batch's as-of (and mtime) is kept with the
            # articles it came with, so that a later batch does not re-date an earlier one. Reading
            # the store cannot honour another as-of without re-dating every batch: say where it goes.
            flag = "--as-of" if as_of is not None else "--mtime-is-crawl-date"
            err.print(
                f"[red]error:[/] {flag} does not apply to --db: a store keeps each batch's crawl date with"
                f" its articles; give it when adding them (diemtin ingest {db} PATH... {flag}"
                f"{' DATE' if as_of is not None else ''})",
                highlight=False,
            )
            raise typer.Exit(2)
        from .. import store

        rewriter = load_model(model)
        try:
            result = store.read_digest(db)
        except store.StoreError as exc:
            err.print(f"[red]error:[/] {exc}", highlight=False)
            raise typer.Exit(1) from exc
        _write(_rewrite(result, rewriter), out_dir)
        return
    if not paths:
        err.print("[red]error:[/] give at least one PATH (or --db FILE)")
        raise typer.Exit(2)
    rewriter = load_model(model)  # a bad --model fails before the (long) run, not after it
    from .. import executors

    try:
        ex = executors.make_executor(executor, scheduler, workers)
    except (ValueError, RuntimeError) as exc:
        err.print(f"[red]error:[/] {exc}", highlight=False)
        raise typer.Exit(2) from exc
    with (
        executors.closing(ex),
        Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            # A bar only on a terminal: redirected to a file or a CI log, it printed nothing (a live
            # display is not logged), so there progress is plain lines instead (log_progress).
            disable=quiet or not err.is_terminal,
            transient=True,
        ) as bar,
    ):
        tasks: dict[str, object] = {}
        logged: dict[str, int] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if not err.is_terminal:
                if not quiet:
                    log_progress(logged, stage, done, total)
                return
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)  # type: ignore[arg-type]

        opts = pipeline.Options(
            summary_length=length,
            progress=progress,
            executor=ex,
            as_of=as_of.date() if as_of else None,
            mtime_is_crawl_date=mtime_is_crawl_date,
        )
        if run_dir is not None:
            result = executors.run_batched(paths, opts, batch_size=batch_size, run_dir=run_dir)
        else:
            result = api.digest(paths, opts)
    report_skipped(result.skipped)
    if not result.articles:
        err.print("[red]error:[/] no article could be read from the given inputs", highlight=False)
        raise typer.Exit(1)
    _write(_rewrite(result, rewriter), out_dir)


def _rewrite(result: api.Digest, rewriter: Rewriter | None) -> api.Digest:
    """Abstractive post-step over the event summaries when --model was given."""
    if rewriter is None:
        return result
    stats = _stats(rewriter)
    result = api.rewrite(result, rewriter, stats)
    report_rewrites(stats, rewriter)
    return result


def _write(result: api.Digest, out_dir: Path) -> None:
    files = api.write_reports(result, out_dir)
    err.print(
        f"{_n(len(result.articles), 'article')} → {_n(len(result.events), 'event')} in "
        f"{_n(len(result.stories), 'story', 'stories')}",
        highlight=False,
    )
    for fmt, path in files.items():
        out.print(f"{fmt:5} {path}", highlight=False)


@app.command(
    epilog="Example: diemtin summarize ../shared/data/vmds-dev --each --length 184 > summaries.jsonl",
)
def summarize(
    paths: Annotated[
        list[str], typer.Argument(help="Articles of one cluster (files/folders), or parents with --each.")
    ],
    length: Annotated[
        int,
        typer.Option(
            help="Maximum summary length in syllables (a longer first sentence is kept whole, alone)."
        ),
    ] = 200,
    each: Annotated[
        bool, typer.Option("--each", help="Every immediate subfolder of each PATH is one cluster.")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="JSON output instead of one sentence per line.")
    ] = False,
    model: Annotated[Path | None, typer.Option("--model", help=MODEL_HELP)] = None,
) -> None:
    """Extractive multi-document summary of the given articles, one sentence per line.

    With --model, each selected sentence is then rewritten by a local seq2seq model (e.g. ViT5); a
    rewrite that fails the checks keeps the extractive sentence, and every sentence keeps its article.
    """
    rewriter = load_model(model)
    stats = _stats(rewriter)
    if each:
        folders = [sub for p in paths for sub in sorted(Path(p).iterdir()) if sub.is_dir()]
        if not folders:
            err.print("[red]error:[/] --each: no subfolders in " + ", ".join(paths), highlight=False)
            raise typer.Exit(1)
        every: list[api.Skipped] = []  # reported once at the end: a corpus has hundreds of sidecars
        for folder in folders:
            sents, skipped = api.summarize([str(folder)], length=length, model=rewriter, stats=stats)
            every.extend(skipped)
            line = {
                "cluster": folder.name,
                "sentences": [{"text": s.text, "article": s.article} for s in sents],
            }
            print(json.dumps(line, ensure_ascii=False), flush=True)
        report_skipped(every)
        report_rewrites(stats, rewriter)
        return
    sents, skipped = api.summarize(paths, length=length, model=rewriter, stats=stats)
    report_skipped(skipped)
    report_rewrites(stats, rewriter)
    if not sents and skipped:
        raise typer.Exit(1)
    if as_json:
        print(
            json.dumps(
                {"sentences": [{"text": s.text, "article": s.article} for s in sents]}, ensure_ascii=False
            )
        )
    else:
        for s in sents:
            print(s.text)
