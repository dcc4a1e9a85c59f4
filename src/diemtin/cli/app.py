"""The Typer application object; command modules register themselves on it."""

from __future__ import annotations

import typer
from rich.console import Console

app = typer.Typer(
    name="diemtin",
    help="diemtin (điểm tin): turn a pile of Vietnamese news pages into dated events, stories and summaries.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)

# Messages and progress go to stderr so that stdout stays clean for piping (--json, summaries).
err = Console(stderr=True, soft_wrap=True)  # never break a file name across lines
out = Console(soft_wrap=True)


def plural(n: int, one: str, many: str | None = None) -> str:
    """A count in the commands' English messages: "1 story", "5 stories", "0 events"."""
    return f"{n} {one if n == 1 else (many or one + 's')}"
