"""`diemtin ingest`, `diemtin search` and `diemtin serve`: the SQLite store, its search and its web UI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .app import Lazy, app, err, out
from .app import plural as _n
from .digest import AsOfOption, MtimeOption, report_skipped

if TYPE_CHECKING:
    from .. import executors, pipeline, store
    from .. import search as _search
else:
    executors, pipeline, store, _search = (
        Lazy(f"diemtin.{m}") for m in ("executors", "pipeline", "store", "search")
    )

DbOption = Annotated[Path, typer.Option("--db", help="The SQLite store file.")]


@app.command(
    epilog="Example: diemtin ingest ../shared/seeds --db news.db",
)
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files or folders (read recursively).")],
    db: DbOption = Path("diemtin.db"),
    length: Annotated[int, typer.Option(help="Syllables per event summary.")] = 80,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No per-file lines.")] = False,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs", "-j", min=1, max=64, help="Processes reading and cleaning files and updating events."
        ),
    ] = 1,
    as_of: AsOfOption = None,
    mtime_is_crawl_date: MtimeOption = False,
) -> None:
    """Add new or changed files to a store (each in its own transaction), then update events and stories."""

    def on_file(path: str, status: str) -> None:
        if not quiet and status != "unchanged":
            err.print(f"{status:9} {path}", highlight=False)

    try:
        # The refresh of events, summaries and stories after the files uses as many processes: its
        # per-article and per-event stages are most of an ingest's time.
        ex = executors.make_executor("processes" if jobs > 1 else "inprocess", workers=jobs)
        with executors.closing(ex):
            opts = pipeline.Options(
                summary_length=length,
                executor=ex,
                as_of=as_of.date() if as_of else None,
                mtime_is_crawl_date=mtime_is_crawl_date,
            )
            result = store.ingest(db, paths, opts, on_file=on_file, jobs=jobs)
    except store.StoreError as exc:
        err.print(f"[red]error:[/] {exc}", highlight=False)
        raise typer.Exit(1) from exc
    report_skipped(result.skipped)
    err.print(
        f"{len(result.added)} added, {len(result.updated)} updated, {len(result.unchanged)} unchanged,"
        f" {len(result.removed)} removed;"
        f" store: {_n(result.articles, 'article')}, {_n(result.events, 'event')},"
        f" {_n(result.stories, 'story', 'stories')}",
        highlight=False,
    )
    if result.stored == 0 and not result.unchanged and not result.removed:
        # Like `digest`: nothing readable in the inputs (an empty folder, only unreadable files) is an
        # error, even when the store already holds articles from earlier runs.
        named = ", ".join(paths)
        err.print(f"[red]error:[/] no article could be read from {named}", highlight=False)
        raise typer.Exit(1)


@app.command(
    epilog='Example: diemtin search "dien dam Putin" --db news.db --from 2021 --source vov.vn',
)
def search(
    query: Annotated[str, typer.Argument(help='Words (with or without diacritics), "phrases", prefix*.')],
    db: DbOption = Path("diemtin.db"),
    date_from: Annotated[
        str | None,
        typer.Option(
            "--from", help="Published, or reporting an event dated, on or after (YYYY, YYYY-MM, YYYY-MM-DD)."
        ),
    ] = None,
    date_to: Annotated[
        str | None, typer.Option("--to", help="Published, or reporting an event dated, on or before.")
    ] = None,
    source: Annotated[str | None, typer.Option(help="Only this outlet (case-insensitive).")] = None,
    limit: Annotated[int, typer.Option(min=1, max=100, help="Number of results.")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
) -> None:
    """Accent-insensitive full-text search of a store, best matches first (BM25)."""
    try:
        conn = store.connect(db, readonly=True)
        res = _search.search(conn, query, date_from=date_from, date_to=date_to, source=source, limit=limit)
    except _search.DateError as exc:  # a bad --from/--to is a usage error, as a bad option is
        err.print(f"[red]lỗi:[/] {exc}", highlight=False)
        raise typer.Exit(2) from exc
    except (store.StoreError, _search.QueryError) as exc:
        err.print(f"[red]error:[/] {exc}", highlight=False)
        raise typer.Exit(1) from exc
    if as_json:
        hits = [
            {"id": h.id, "title": h.title, "source": h.source, "published": h.published, "score": h.score,
             "exact": h.exact, "snippet_html": h.snippet_html}
            for h in res.hits
        ]  # fmt: skip
        print(json.dumps({"query": query, "total": res.total, "message": res.message, "hits": hits},
                         ensure_ascii=False))  # fmt: skip
        return
    if res.message:
        err.print(res.message, highlight=False)
        return
    err.print(f"{res.total} result(s)", highlight=False)
    for h in res.hits:
        snip = h.snippet_html.replace("<mark>", "[bold yellow]").replace("</mark>", "[/]")
        snip = _unescape_for_rich(snip)
        out.print(f"[bold]{_esc(h.title)}[/]  [dim]{h.id} · {_esc(h.source or '')} {h.published or ''}[/]")
        out.print(f"  {snip}\n", highlight=False)


def _esc(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _unescape_for_rich(snippet: str) -> str:
    """HTML snippet (escaped text + rich tags) -> rich markup with the text escaped for rich instead."""
    import html
    import re

    parts = re.split(r"(\[bold yellow\]|\[/\])", snippet)
    return "".join(p if p in ("[bold yellow]", "[/]") else _esc(html.unescape(p)) for p in parts)


@app.command(
    epilog="Example: diemtin serve --db news.db --port 8000   (then open http://127.0.0.1:8000/)",
)
def serve(
    db: DbOption = Path("diemtin.db"),
    host: Annotated[str, typer.Option(help="Address to bind (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Server processes (about one per core).")] = 1,
    cache_mb: Annotated[
        float, typer.Option("--cache-mb", min=0, help="Response cache per process in MiB (0: none).")
    ] = 64,
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allowed-host",
            help="Also answer requests for this Host name (repeatable; '*': any). Default: loopback names"
            " and --host.",
        ),
    ] = None,
) -> None:
    """Serve the web UI and the JSON API (/api, schema at /api/openapi.json) over a store."""
    import os

    import uvicorn

    from ..web import create_app
    from ..web.middleware import LOOPBACK_HOSTS

    # Host names answered: a page elsewhere whose DNS name is rebound to 127.0.0.1 sends its own name
    # and gets 400 (DNS rebinding); --host, when it names this machine, is allowed too.
    hosts = [*LOOPBACK_HOSTS, *([host] if host not in ("0.0.0.0", "::", "") else []), *(allowed_host or [])]
    try:
        web_app = create_app(db, cache_mb=cache_mb, allowed_hosts=hosts)
    except store.StoreError as exc:
        err.print(f"[red]error:[/] {exc}", highlight=False)
        raise typer.Exit(1) from exc
    err.print(f"serving {db} on http://{host}:{port}/ ({workers} worker(s))", highlight=False)
    # Keep-alive longer than uvicorn's 5 s: under load a client reusing a connection the server just
    # closed sees a dropped request.
    if workers == 1:
        uvicorn.run(web_app, host=host, port=port, log_level="warning", timeout_keep_alive=30)
        return
    # Several processes share the listening socket; each builds its own app (and cache) from these.
    os.environ["DIEMTIN_DB"] = str(db.absolute())
    os.environ["DIEMTIN_CACHE_MB"] = str(cache_mb)
    os.environ["DIEMTIN_ALLOWED_HOSTS"] = ",".join(hosts)
    uvicorn.run(
        "diemtin.web:app_from_env", factory=True, workers=workers, host=host, port=port,
        log_level="warning", timeout_keep_alive=30,
    )  # fmt: skip
