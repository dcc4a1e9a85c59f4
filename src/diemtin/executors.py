"""Where per-item work runs, and how a large run streams and resumes.

``ProcessExecutor`` runs ``pipeline.Executor.map`` on worker processes of this machine, ``DaskExecutor``
on a Dask cluster (a scheduler address, or a LocalCluster);
``run_batched`` reads and cleans the inputs in batches of files on any executor, keeping a checkpoint of
each batch's cleaned articles in a run folder so that an interrupted run picks up where it stopped.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import hashlib
import importlib
import multiprocessing
import os
import pickle
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from . import clean, ingest, pipeline
from .models import Article, Digest, RawDocument, Skipped

T = TypeVar("T")
R = TypeVar("R")

EXECUTORS = ("inprocess", "processes", "dask")


def exit_with_parent(owner: int) -> None:
    """Pool-worker initializer: the worker ends when the process that owns the pool (``owner``) is
    gone, however it ended (SIGKILL runs no cleanup, and a worker would wait for work forever, holding
    its memory). Linux: ``prctl(PR_SET_PDEATHSIG, SIGKILL)`` ends it with its parent (the owner, or a
    forkserver that exits with the owner); everywhere: a thread checks twice a second that the parent is
    the one it started with and the owner is alive."""
    import ctypes
    import signal
    import sys
    import threading
    import time

    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    parent = os.getppid()

    def owner_alive() -> bool:
        try:
            os.kill(owner, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True  # alive, another user's (cannot happen for our own parent, but harmless)
        return True

    def watch() -> None:
        while os.getppid() == parent and owner_alive():
            time.sleep(0.5)
        os._exit(1)

    if os.getppid() != parent or not owner_alive():
        os._exit(1)  # the owner died before this worker started
    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _worker_pid(_: object) -> int:
    """The pid of the worker that runs it (tests check that workers exit with their owner)."""
    return os.getpid()


class ProcessExecutor:
    """``Executor`` on worker processes of this machine (``concurrent.futures``): the light way to use
    every core without a Dask cluster. Work items and results travel by pickle, so the stage functions
    must be module-level (they are). ``local``: the workers read this machine's files."""

    local = True

    def __init__(self, workers: int | None = None) -> None:
        self.workers = max(1, workers or os.cpu_count() or 1)
        # Workers fork from a forkserver that imported the pipeline once: plain fork from this process
        # could copy a lock held by another thread (a progress bar, an event loop) into the child, and
        # spawn would import the package again in every worker (~1 s each).
        methods = multiprocessing.get_all_start_methods()
        ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else None)
        if "forkserver" in methods:
            ctx.set_forkserver_preload(["diemtin.pipeline"])
        self._pool = concurrent.futures.ProcessPoolExecutor(
            max_workers=self.workers, mp_context=ctx, initializer=exit_with_parent, initargs=(os.getpid(),)
        )

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
        if not items:
            return []
        if len(items) == 1:
            return [fn(items[0])]  # nothing to spread: skip the round trip through a worker
        return list(self._pool.map(fn, items))

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> ProcessExecutor:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class DaskExecutor:
    """``Executor`` on a Dask cluster: ``client.map`` then ``gather`` (order-preserving).

    With ``scheduler=None`` a LocalCluster is started (and closed by ``close``); its size defaults to
    the machine's cores with one thread per worker, since the stages are pure-Python and GIL-bound.
    """

    def __init__(
        self,
        scheduler: str | None = None,
        *,
        n_workers: int | None = None,
        threads_per_worker: int = 1,
        processes: bool = True,
    ) -> None:
        try:
            # Imported as Any: distributed ships no type hints for Client/LocalCluster.
            dist: Any = importlib.import_module("distributed")
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise RuntimeError(
                "the dask executor needs the [dask] extra: pip install 'diemtin[dask]'"
            ) from exc
        self._cluster: Any = None
        # A LocalCluster's workers run here and see this machine's files; a remote cluster's may not.
        self.local = not scheduler
        if scheduler:
            self.client: Any = dist.Client(scheduler)
        else:
            self._cluster = dist.LocalCluster(
                n_workers=n_workers or max(1, os.cpu_count() or 1),
                threads_per_worker=threads_per_worker,
                processes=processes,
                dashboard_address=None,
            )
            self.client = dist.Client(self._cluster)

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
        if not items:
            return []
        # pure=False: the items are plain data but hashing large article lists for task keys costs
        # more than it saves; every call is a fresh computation anyway.
        futures = self.client.map(fn, list(items), pure=False)
        return list(self.client.gather(futures))

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def make_executor(name: str, scheduler: str | None = None, workers: int | None = None) -> pipeline.Executor:
    """The executor the CLI option names: "inprocess" (default), "processes" (``workers`` processes on
    this machine, default one per core) or "dask" (``scheduler`` address, or a LocalCluster of
    ``workers``). Raises ValueError for an unknown name or a scheduler without dask."""
    key = name.strip().lower().replace("-", "")
    if scheduler and key != "dask":
        raise ValueError("--scheduler needs --executor dask")
    if workers is not None and workers < 1:
        raise ValueError(f"--workers must be at least 1 (got {workers})")
    if key in ("inprocess", "local", ""):
        return pipeline.InProcessExecutor()
    if key in ("processes", "process"):
        return ProcessExecutor(workers)
    if key == "dask":
        return DaskExecutor(scheduler, n_workers=workers)
    raise ValueError(f"unknown executor {name!r}; choose one of: {', '.join(EXECUTORS)}")


def close_executor(executor: pipeline.Executor) -> None:
    """Release what an executor holds (a Dask client and cluster); no-op for in-process."""
    closer = getattr(executor, "close", None)
    if callable(closer):
        closer()


@contextlib.contextmanager
def closing(executor: pipeline.Executor) -> Iterator[pipeline.Executor]:
    """``with closing(make_executor(...)) as ex:``: the executor is released however the block ends."""
    try:
        yield executor
    finally:
        close_executor(executor)


# ---------------------------------------------------------------------------------------------------
# Batched, resumable ingest + clean


@dataclass(slots=True)
class _Cleaned:
    """One document of a batch after cleaning, with what the driver needs to replay id assignment."""

    given_id: str | None  # the id the input carried (JSON "id"), if any
    content_id: str  # ingest.content_id of title + body, as ingest would assign it
    article: Article


@dataclass(slots=True)
class BatchResult:
    """A batch's cleaned documents (in input order) and its skipped inputs; what a checkpoint holds."""

    key: str
    items: list[_Cleaned | Skipped] = field(default_factory=list)


def _code_fingerprint() -> str:
    """Hash of the reading and cleaning code: a checkpoint made by other code is not reused."""
    h = hashlib.sha1()
    for mod in (ingest, clean):
        f = getattr(mod, "__file__", None)
        if f:
            h.update(Path(f).read_bytes())
    return h.hexdigest()[:12]


def _file_hash(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha1").hexdigest()


def batch_key(paths: Sequence[Path], code: str) -> str:
    """Key of a batch: the code fingerprint and each file's path and content hash, in order."""
    h = hashlib.sha1(code.encode())
    for p in paths:
        try:
            digest = _file_hash(p)
        except OSError as exc:  # read_file reports it; the key only has to change when it does
            digest = f"error:{exc.__class__.__name__}"
        h.update(f"{p}\0{digest}\n".encode())
    return h.hexdigest()


def clean_batch(job: tuple[str, list[str]]) -> BatchResult:
    """Read and clean one batch of files (runs on a worker). Exact copies inside the batch are dropped
    here; copies across batches are dropped by the driver, in input order, as ``ingest`` would."""
    key, names = job
    docs: list[RawDocument] = []
    out: list[_Cleaned | Skipped | None] = []
    given: list[str | None] = []
    seen: dict[str, str] = {}
    for name in names:
        try:
            read = list(ingest.read_file(Path(name)))
        except ingest.IngestError as exc:
            out.append(Skipped(name, str(exc)))
            continue
        if not read:
            out.append(Skipped(name, f"{name}: no article text found"))
            continue
        for doc in read:
            if isinstance(doc, Skipped):
                out.append(doc)
                continue
            hashed = ingest.content_id(doc.title or "", "\n".join(doc.lines))
            if hashed in seen and not doc.id:
                out.append(
                    Skipped(doc.path, f"{doc.path}: identical to {seen[hashed]} (skipped as a duplicate)")
                )
                continue
            seen.setdefault(hashed, doc.path)
            given.append(doc.id)
            if not doc.id:
                doc.id = hashed
            docs.append(doc)
            out.append(None)  # placeholder, filled in order below
    cleaned = iter(zip(docs, clean.clean_documents(docs), given, strict=True))
    items: list[_Cleaned | Skipped] = []
    for slot in out:
        if slot is None:
            doc, art, given_id = next(cleaned)
            items.append(_Cleaned(given_id, ingest.content_id(doc.title or "", "\n".join(doc.lines)), art))
        else:
            items.append(slot)
    return BatchResult(key, items)


def _read_checkpoint(path: Path) -> BatchResult | None:
    try:
        with path.open("rb") as f:
            got = pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        return None  # missing or torn (killed mid-write before the rename): redo the batch
    return got if isinstance(got, BatchResult) else None


def _write_checkpoint(path: Path, result: BatchResult) -> None:
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as f:
        pickle.dump(result, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)  # atomic: a checkpoint file is either whole or absent


def batches_of(paths: Iterable[str], batch_size: int) -> tuple[list[list[Path]], list[Skipped]]:
    """Input files in ``ingest.discover`` order, cut into batches; folders without inputs are skipped."""
    files: list[Path] = []
    skipped: list[Skipped] = []
    for p in paths:
        if p == "-":
            skipped.append(Skipped("-", "-: stdin cannot be read in batches; save it to a file"))
            continue
        found: list[str | Path] = []
        for f in ingest.discover([p]):
            if isinstance(f, Skipped):
                skipped.append(f)
            else:
                found.append(f)
        if not found and ingest._is_dir(Path(p)):
            skipped.append(Skipped(p, f"{p}: folder has no .txt, .html, .json(l) or .warc files"))
        files.extend(Path(str(f)) for f in found)
    size = max(1, batch_size)
    return [files[i : i + size] for i in range(0, len(files), size)], skipped


def read_clean_batched(
    paths: Iterable[str],
    executor: pipeline.Executor | None = None,
    *,
    batch_size: int = 500,
    run_dir: Path | str | None = None,
    window: int = 4,
    on_batch: Callable[[int, int], None] | None = None,
) -> tuple[list[Article], list[Skipped]]:
    """Ingest + clean in batches of ``batch_size`` files on ``executor``, ``window`` batches at a time.

    With ``run_dir``, each finished batch is checkpointed there (keyed by its files' content hashes and
    the code) and a rerun loads it instead of redoing it. ``on_batch(done, total)`` is called after
    each window is checkpointed. Returns cleaned, non-empty articles in input order and the skipped.
    """
    ex = executor or pipeline.InProcessExecutor()
    batches, skipped = batches_of(paths, batch_size)
    code = _code_fingerprint()
    ckpt_dir = Path(run_dir) / "batches" if run_dir is not None else None
    if ckpt_dir is not None:
        ckpt_dir.mkdir(parents=True, exist_ok=True)
    keys = [batch_key(b, code) for b in batches]
    results: list[BatchResult | None] = [None] * len(batches)
    todo: list[int] = []
    for i, key in enumerate(keys):
        if ckpt_dir is not None and (got := _read_checkpoint(ckpt_dir / f"{key}.pkl")) is not None:
            results[i] = got
        else:
            todo.append(i)
    done = len(batches) - len(todo)
    if on_batch and done:
        on_batch(done, len(batches))
    step = max(1, window)
    for start in range(0, len(todo), step):
        idx = todo[start : start + step]
        jobs = [(keys[i], [str(p) for p in batches[i]]) for i in idx]
        for i, res in zip(idx, ex.map(clean_batch, jobs), strict=True):
            results[i] = res
            if ckpt_dir is not None:
                _write_checkpoint(ckpt_dir / f"{res.key}.pkl", res)
        done += len(idx)
        if on_batch:
            on_batch(done, len(batches))
    return _assemble([r for r in results if r is not None], skipped)


def _assemble(results: Sequence[BatchResult], skipped: list[Skipped]) -> tuple[list[Article], list[Skipped]]:
    """Replay ``ingest``'s id assignment over all batches in input order (exact copies across batches
    are skipped, a repeated given id falls back to the content id), then drop empty articles."""
    seen: dict[str, str] = {}
    articles: list[Article] = []
    for res in results:
        for item in res.items:
            if isinstance(item, Skipped):
                skipped.append(item)
                continue
            a = item.article
            if item.given_id and item.given_id not in seen:
                seen[item.given_id] = a.path
                seen.setdefault(item.content_id, a.path)
                a.id = item.given_id
            elif item.content_id in seen:
                skipped.append(
                    Skipped(
                        a.path, f"{a.path}: identical to {seen[item.content_id]} (skipped as a duplicate)"
                    )
                )
                continue
            else:
                a.id = item.content_id
                seen[item.content_id] = a.path
            articles.append(a)
    kept, empty = pipeline.drop_empty(articles)
    return kept, skipped + empty


def run_batched(
    paths: Iterable[str],
    options: pipeline.Options | None = None,
    *,
    batch_size: int = 500,
    run_dir: Path | str | None = None,
    window: int = 4,
    on_batch: Callable[[int, int], None] | None = None,
) -> Digest:
    """``pipeline.run`` for large inputs: batched, checkpointed ingest + clean on ``options.executor``,
    then the corpus stages (``pipeline.build_digest``) over all cleaned articles."""
    opts = options or pipeline.Options()

    def progress(done: int, total: int) -> None:
        if opts.progress:
            opts.progress("clean", done, total)
        if on_batch:
            on_batch(done, total)

    articles, skipped = read_clean_batched(
        paths, opts.executor, batch_size=batch_size, run_dir=run_dir, window=window, on_batch=progress
    )
    digest = pipeline.build_digest(articles, opts)
    digest.skipped = skipped
    return digest
