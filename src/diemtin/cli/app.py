"""The Typer application object; command modules register themselves on it."""

from __future__ import annotations

import importlib
from typing import Any

import typer
from rich.console import Console

app = typer.Typer(
    name="diemtin",
    help="diemtin (điểm tin): turn a pile of Vietnamese news pages into dated events, stories and summaries.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            v = version("diemtin")
        except PackageNotFoundError:  # run from a source tree that was not installed
            from .. import __version__ as v
        typer.echo(f"diemtin {v}")
        raise typer.Exit()


@app.callback()
def _main(
    show_version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print diemtin's version and exit."
    ),
) -> None:
    """diemtin (điểm tin): turn a pile of Vietnamese news pages into dated events, stories and summaries."""


# Messages and progress go to stderr so that stdout stays clean for piping (--json, summaries).
err = Console(stderr=True, soft_wrap=True)  # never break a file name across lines
out = Console(soft_wrap=True)


def plural(n: int, one: str, many: str | None = None) -> str:
    """A count in the commands' English messages: "1 story", "5 stories", "0 events"."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


class Lazy:
    """A module imported on its first attribute access: the command modules name the pipeline's
    modules at the top, but ``diemtin --help`` and ``--version`` import none of them (scikit-learn,
    pyvi, datasketch...: ~1.5 s of CPU). Under TYPE_CHECKING the modules are imported as usual."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(importlib.import_module(self._name), attr)
