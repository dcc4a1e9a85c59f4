"""Executors and batched, resumable runs: the same input gives the same digest whichever way it runs."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

import pytest

from diemtin import executors, pipeline
from diemtin.executors import DaskExecutor, make_executor, run_batched
from diemtin.pipeline import InProcessExecutor, Options

from .conftest import SEEDS, VMDS

T = TypeVar("T")
R = TypeVar("R")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The five seeds plus the articles of four VietnameseMDS clusters, as crawler-style .txt files."""
    if not SEEDS.is_dir() or not VMDS.is_dir():
        pytest.skip("../shared corpora not present")
    root = tmp_path_factory.mktemp("corpus")
    for seed in sorted(SEEDS.glob("*.txt")):
        (root / seed.name).write_bytes(seed.read_bytes())
    for cluster in sorted(VMDS.iterdir())[:4]:
        for body in sorted(cluster.glob("*.body.txt")):
            info = body.with_name(body.name.replace(".body.", ".info."))
            meta = dict(line.split(": ", 1) for line in info.read_text().splitlines() if ": " in line)
            title = meta.get("TITLE", "").replace("_", " ").strip()
            text = body.read_text().replace("_", " ").strip()
            (root / f"{cluster.name}-{body.name}").write_text(f"{title}\n\n{text}\n", encoding="utf-8")
    return root


class CountingExecutor:
    """In-process executor that records how many items each ``map`` call ran (to see skipped batches)."""

    def __init__(self) -> None:
        self.calls: list[int] = []

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
        self.calls.append(len(items))
        return [fn(x) for x in items]


@pytest.fixture(scope="module")
def dask_executor() -> Iterator[DaskExecutor]:
    pytest.importorskip("distributed")
    # Threads in one worker process: light on a 2-core machine, yet tasks still go through the scheduler.
    with DaskExecutor(n_workers=1, threads_per_worker=2, processes=False) as ex:
        yield ex


def test_dask_digest_equals_in_process(corpus: Path, dask_executor: DaskExecutor) -> None:
    plain = pipeline.run([str(corpus)], Options(executor=InProcessExecutor()))
    on_dask = pipeline.run([str(corpus)], Options(executor=dask_executor))
    assert len(plain.articles) > 10 and plain.events
    assert on_dask.to_dict() == plain.to_dict()


def test_batched_on_dask_equals_batched_in_process(
    corpus: Path, dask_executor: DaskExecutor, tmp_path: Path
) -> None:
    here = run_batched([str(corpus)], Options(), batch_size=4)
    there = run_batched(
        [str(corpus)], Options(executor=dask_executor), batch_size=4, run_dir=tmp_path / "run"
    )
    assert there.to_dict() == here.to_dict()
    assert len(list((tmp_path / "run" / "batches").glob("*.pkl"))) > 1


def test_one_batch_equals_pipeline_run(corpus: Path) -> None:
    whole = pipeline.run([str(corpus)])
    batched = run_batched([str(corpus)], batch_size=10_000)
    assert batched.to_dict() == whole.to_dict()


def test_interrupted_run_resumes_and_equals_clean_run(corpus: Path, tmp_path: Path) -> None:
    clean_run = run_batched([str(corpus)], batch_size=3, window=1)
    run_dir = tmp_path / "run"

    def boom(done: int, total: int) -> None:
        if done == 2:
            raise KeyboardInterrupt("interrupted after two batches")

    with pytest.raises(KeyboardInterrupt):
        run_batched([str(corpus)], batch_size=3, window=1, run_dir=run_dir, on_batch=boom)
    assert len(list((run_dir / "batches").glob("*.pkl"))) == 2

    counting = CountingExecutor()
    resumed = run_batched([str(corpus)], Options(executor=counting), batch_size=3, window=1, run_dir=run_dir)
    n_batches = len(executors.batches_of([str(corpus)], 3)[0])
    # The two checkpointed batches are not cleaned again; every other batch is, once.
    assert sum(counting.calls[: n_batches - 2]) == n_batches - 2
    assert resumed.to_dict() == clean_run.to_dict()


def test_changed_file_invalidates_only_its_batch(corpus: Path, tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    files = sorted(corpus.glob("*.txt"))[:6]
    for f in files:
        (src / f.name).write_bytes(f.read_bytes())
    run_dir = tmp_path / "run"
    run_batched([str(src)], batch_size=3, run_dir=run_dir)
    target = src / files[-1].name
    target.write_text("Tiêu đề mới hoàn toàn\n\nHà Nội ngày 5/6/2024 có mưa lớn kéo dài.\n", encoding="utf-8")
    counting = CountingExecutor()
    again = run_batched([str(src)], Options(executor=counting), batch_size=3, run_dir=run_dir)
    assert counting.calls[0] == 1  # only the batch holding the changed file is redone
    assert any(a.title == "Tiêu đề mới hoàn toàn" for a in again.articles)
    assert again.to_dict() == pipeline.run([str(src)]).to_dict()


def test_exact_copy_in_a_later_batch_is_skipped_like_ingest(corpus: Path, tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    first = sorted(corpus.glob("*.txt"))[0]
    (src / "a.txt").write_bytes(first.read_bytes())
    (src / "b.txt").write_text("Một bài khác\n\nNội dung riêng của bài khác.\n", encoding="utf-8")
    (src / "c.txt").write_bytes(first.read_bytes())
    batched = run_batched([str(src)], batch_size=1)
    assert [a.path for a in batched.articles] == [str(src / "a.txt"), str(src / "b.txt")]
    assert any("identical to" in s.reason and s.path.endswith("c.txt") for s in batched.skipped)
    assert batched.to_dict() == pipeline.run([str(src)]).to_dict()


def test_torn_checkpoint_is_redone(corpus: Path, tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    first = run_batched([str(corpus)], batch_size=5, run_dir=run_dir)
    victim = sorted((run_dir / "batches").glob("*.pkl"))[0]
    victim.write_bytes(victim.read_bytes()[:40])  # as if killed mid-write without the atomic rename
    assert run_batched([str(corpus)], batch_size=5, run_dir=run_dir).to_dict() == first.to_dict()


def test_process_executor_digest_equals_in_process(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Small chunks, so that reading, cleaning, signatures, dates and events all spread over both
    # worker processes; a bad file and an exact copy must be reported as in-process reports them.
    monkeypatch.setattr(pipeline, "CHUNK", 3)
    bad = tmp_path / "broken.json"
    bad.write_text('{"title": "Tin", "text": ', encoding="utf-8")
    first = sorted(corpus.glob("*.txt"))[0]
    copy = tmp_path / "copy.txt"
    copy.write_bytes(first.read_bytes())
    inputs = [str(corpus), str(bad), str(copy)]
    plain = pipeline.run(inputs, Options(executor=InProcessExecutor()))
    with executors.ProcessExecutor(workers=2) as ex:
        assert ex.local
        parallel = pipeline.run(inputs, Options(executor=ex))
    assert {s.path.split(":")[0] for s in plain.skipped} == {str(bad), str(copy)}
    assert parallel.to_dict() == plain.to_dict()
    assert [(s.path, s.reason) for s in parallel.skipped] == [(s.path, s.reason) for s in plain.skipped]


def test_make_executor_names() -> None:
    assert isinstance(make_executor("inprocess", None), InProcessExecutor)
    with pytest.raises(ValueError, match="unknown executor 'spark'"):
        make_executor("spark", None)
    with pytest.raises(ValueError, match="--scheduler needs --executor dask"):
        make_executor("inprocess", "tcp://127.0.0.1:8786")
    with pytest.raises(ValueError, match="--workers must be at least 1"):
        make_executor("processes", None, workers=0)


def test_closing_releases_the_local_cluster() -> None:
    pytest.importorskip("distributed")
    ex = DaskExecutor(n_workers=1, threads_per_worker=1, processes=False)
    with executors.closing(ex) as running:
        assert running.map(len, ["Hà Nội", "Huế", ""]) == [6, 3, 0]
    assert ex.client.status == "closed"
