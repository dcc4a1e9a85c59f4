#!/usr/bin/env python3
"""Bootstrap and run diemtin with nothing but Python 3.11+ and pip.

    python3 dev.py digest ../shared/seeds     # install (once) and digest the seeds
    python3 dev.py test                       # install dev tools (once), then ruff, mypy, pytest

Installs into ./.venv from the pinned lock files (requirements.lock, requirements-dev.lock) and
reinstalls only when a lock file changes. Any other arguments after `digest`/`run` go to the CLI.
`test` also installs the neural extra's test dependencies (CPU torch, transformers) when a local CPU
torch wheel is at hand (DIEMTIN_WHEELS, default /opt/wheels); without one, the abstractive tests skip.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")


def _sh(cmd: list[str], **kw: object) -> int:
    print("+", " ".join(str(c) for c in cmd), file=sys.stderr, flush=True)
    return subprocess.call(cmd, cwd=ROOT, **kw)  # type: ignore[call-overload, no-any-return]


def ensure_env(dev: bool) -> None:
    """Create .venv and install the locked dependencies plus diemtin itself (editable)."""
    if sys.version_info < (3, 11):  # noqa: UP036  (dev.py may run on any python3)
        sys.exit(f"diemtin needs Python 3.11+, this is {sys.version.split()[0]}")
    lock = ROOT / ("requirements-dev.lock" if dev else "requirements.lock")
    stamp = VENV / f".installed-{'dev' if dev else 'base'}"
    want = hashlib.sha256(lock.read_bytes() + (ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == want and PY.exists():
        return
    if not PY.exists():
        print(f"creating {VENV}", file=sys.stderr)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    pip = [str(PY), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    if _sh([*pip, "-r", str(lock)]) != 0 or _sh([*pip, "--no-deps", "-e", "."]) != 0:
        sys.exit("installing dependencies failed (see pip's message above)")
    stamp.write_text(want)


# The `neural` extra's test dependencies, pinned here and kept out of the uv locks on purpose: a torch
# resolved from PyPI brings gigabytes of CUDA packages, so torch is only ever installed from a local
# CPU wheel. transformers 5 does not depend on torch, so these pins cannot pull another one.
TORCH_VERSION = "2.13.0"
NEURAL_PINS = [
    "transformers==5.17.0",
    "tokenizers==0.23.3",
    "safetensors==0.8.0",
    "huggingface-hub==1.33.0",
    "hf-xet==1.8.0",
]


def ensure_neural() -> None:
    """Install CPU torch from a local wheel and transformers, when such a wheel exists (else a note)."""
    wheels = Path(os.environ.get("DIEMTIN_WHEELS", "/opt/wheels"))
    tag = f"cp{sys.version_info.major}{sys.version_info.minor}"
    found = sorted(wheels.glob(f"torch-{TORCH_VERSION}+cpu-{tag}-{tag}-*.whl")) if wheels.is_dir() else []
    if not found:
        print(
            f"note: no torch-{TORCH_VERSION}+cpu {tag} wheel in {wheels}: "
            "the abstractive (--model) tests will skip",
            file=sys.stderr,
        )
        return
    stamp = VENV / ".installed-neural"
    want = " ".join([found[-1].name, *NEURAL_PINS])
    if stamp.exists() and stamp.read_text() == want:
        return
    # -c the dev lock: torch's and transformers' shared dependencies stay at their locked versions.
    pip = [str(PY), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    if _sh([*pip, "-c", str(ROOT / "requirements-dev.lock"), str(found[-1]), *NEURAL_PINS]) != 0:
        print("note: installing the neural test dependencies failed; those tests will skip", file=sys.stderr)
        return
    stamp.write_text(want)


def ensure_system_tools() -> None:
    """The web UI tests drive Debian's headless chromium, and the two-clock dating test runs the CLI under
    libfaketime (``faketime``); install what is missing with apt when we can (else those tests skip)."""
    missing = [tool for tool in ("chromium", "faketime") if not shutil.which(tool)]
    if not missing or not shutil.which("apt-get") or os.geteuid() != 0:
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    _sh(["apt-get", "update", "-qq"], env=env, stdout=subprocess.DEVNULL)
    _sh(["apt-get", "install", "-y", "-qq", *missing], env=env, stdout=subprocess.DEVNULL)


def main(argv: list[str]) -> int:
    cmd = argv[0] if argv else "help"
    rest = argv[1:]
    if cmd in ("digest", "run"):
        ensure_env(dev=False)
        args = rest if cmd == "run" else ["digest", *rest]
        if cmd == "digest" and not any(a in ("-o", "--out") for a in rest):
            args += ["-o", "digest-out"]
        return _sh([str(BIN / "diemtin"), *args])
    if cmd == "test":
        ensure_env(dev=True)
        ensure_neural()
        ensure_system_tools()
        for check in (
            [str(BIN / "ruff"), "check", "src", "tests", "bench", "dev.py"],
            [str(BIN / "mypy")],
        ):
            if _sh(check) != 0:
                return 1
        return _sh([str(PY), "-m", "pytest", "-n", "2", "--dist", "loadgroup", "-q", *rest])
    print(__doc__)
    return 0 if cmd == "help" else 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
