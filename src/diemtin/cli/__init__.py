"""Command-line interface: a thin shell over the Python API (``diemtin.api``).

Each command group lives in its own module and registers on ``app``; importing them here wires the CLI.
Exit codes: 0 success; 1 nothing could be read (every input skipped) or a command failed on its input;
2 usage error (bad option or argument).
"""

from __future__ import annotations

from . import digest as _digest  # noqa: F401  (registers commands)
from . import evaluate as _evaluate  # noqa: F401  (registers commands)
from . import scale as _scale  # noqa: F401
from . import store as _store  # noqa: F401
from .app import app


def main() -> None:
    app()


__all__ = ["app", "main"]
