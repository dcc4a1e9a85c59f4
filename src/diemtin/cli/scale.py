"""`diemtin export`: a digest's articles, events and stories as Parquet or JSONL tables."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .app import Lazy, app, err, out

if TYPE_CHECKING:
    from .. import export as _export
else:
    _export = Lazy("diemtin.export")  # imported when the command runs, not for --help


@app.command(
    epilog="Example: diemtin export digest-out/digest.json --format parquet -o tables"
    "   (or: diemtin export --db news.db --format jsonl -o tables)",
)
def export(
    digest_json: Annotated[
        Path | None, typer.Argument(help="A digest.json written by diemtin digest (or its folder).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="parquet or jsonl.")] = "parquet",
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Folder for the table files.")] = Path(
        "export-out"
    ),
    db: Annotated[
        Path | None, typer.Option("--db", help="Export from this store (diemtin ingest) instead.")
    ] = None,
) -> None:
    """Export articles, events and stories as flat tables for pandas, DuckDB or Spark."""
    if fmt not in _export.FORMATS:
        err.print(f"[red]error:[/] --format must be one of: {', '.join(_export.FORMATS)}", highlight=False)
        raise typer.Exit(2)
    if (digest_json is None) == (db is None):
        err.print("[red]error:[/] give a digest.json or --db FILE (one of them)")
        raise typer.Exit(2)
    try:
        if db is not None:
            from .. import store

            try:
                data = store.read_digest(db).to_dict()
            except store.StoreError as exc:
                raise _export.ExportError(str(exc)) from exc
        else:
            assert digest_json is not None
            data = _export.load_digest_json(digest_json)
        files = _export.export(data, out_dir, fmt)
    except _export.ExportError as exc:
        err.print(f"[red]error:[/] {exc}", highlight=False)
        raise typer.Exit(1) from exc
    for name, path in files.items():
        out.print(f"{name:9} {path}", highlight=False)
