"""`run_audit`: the audit over every input, in this process or on a Dask cluster, with the same result.

In this process the profiles stream through once (audit.inputs reads them lazily), so memory does not grow with
the input. On Dask the input is cut into shards (batch/shards.py), each shard is one task returning a partial
result, and partials are merged pairwise, neighbours only, level by level: the tree keeps shard order, needs only
an associative merge, and no step holds more than two partials. The client holds the shard plan and futures,
never profiles or assessments. Person lines are written by each task to a part file and joined in shard order.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from counterpitch.audit.inputs import read_profiles
from counterpitch.batch.shards import Shard, plan_shards
from counterpitch.batch.tasks import (
    MAX_ERRORS,
    A,
    ErrorFields,
    Job,
    ShardResult,
    audit_shard,
    audit_stream,
    merge_results,
    part_path,
)
from counterpitch.engine import Engine
from counterpitch.ingest.records import RecordError
from counterpitch.model import Assessment, Profile

if TYPE_CHECKING:
    from distributed import Client

#: Seconds to wait for a scheduler given by address before giving up.
CONNECT_TIMEOUT = 10


class SchedulerError(Exception):
    """The scheduler given by `--scheduler` could not be reached; the message says which and why."""


#: Profiles per shard by default: big enough that a task's overhead (milliseconds) is lost in its work
#: (seconds), small enough that two workers get many shards each and finish together.
PARTITION_SIZE = 20_000


@dataclass(frozen=True)
class PersonOutput:
    """One per-person output: where the lines go (a path, or an open text stream such as stdout), how one
    person becomes text (picklable: it runs on the workers), and a header written first."""

    target: Path | TextIO
    line: Callable[[Profile, Assessment], str]
    header: str = ""


def run_audit(
    inputs: Sequence[str | Path],
    *,
    engine_factory: Callable[[], Engine],
    new_partial: Callable[[], A],
    workers: int | None = None,
    scheduler: str | None = None,
    partition_size: int = PARTITION_SIZE,
    csv_mapping: Mapping[str, str] | None = None,
    outputs: Sequence[PersonOutput] = (),
    parts_dir: Path | None = None,
    on_assessment: Callable[[Profile, Assessment], None] | None = None,
    on_error: Callable[[RecordError], None] | None = None,
) -> A:
    """Audit every profile in `inputs` into one accumulator (`new_partial()`, merged) and write `outputs`.

    `engine_factory`, `new_partial` and each output's `line` must be picklable for Dask (top-level functions or
    functools.partial of them). Every output receives its header, then one line per person, in input order. On
    Dask, part files go to a new folder under `parts_dir` (default: the system's temporary folder; on a real
    cluster it must be storage every worker and the client share) and are removed when joined. Without
    `on_error` the first bad record raises (ShardError on Dask, RecordError here); with it, bad records are
    handed over and the run goes on. `on_assessment` is for this process only: on Dask people stay on workers.
    """
    if workers is not None and workers < 1:
        raise ValueError("--workers must be at least 1")
    if workers is not None and scheduler is not None:
        raise ValueError("give --workers or --scheduler, not both")
    if workers is None and scheduler is None:
        return _run_here(inputs, engine_factory, new_partial, csv_mapping, outputs, on_assessment, on_error)
    if on_assessment is not None:
        raise ValueError("on_assessment needs a single-process run; on Dask, give outputs instead")
    job = Job(engine_factory, new_partial, csv_mapping, on_error is not None)
    shards = plan_shards(inputs, partition_size)
    with _client(workers, scheduler) as client:
        result = _run_dask(client, shards, job, outputs, parts_dir)
    if on_error is not None:
        _report_errors(result, on_error)
    return result.partial


def _run_here(
    inputs: Sequence[str | Path],
    engine_factory: Callable[[], Engine],
    new_partial: Callable[[], A],
    csv_mapping: Mapping[str, str] | None,
    outputs: Sequence[PersonOutput],
    on_assessment: Callable[[Profile, Assessment], None] | None,
    on_error: Callable[[RecordError], None] | None,
) -> A:
    engine = engine_factory()
    partial = new_partial()
    with _opened(outputs) as streams:
        writers = [(stream, o.line) for stream, o in zip(streams, outputs, strict=True)]
        for path in inputs:
            profiles = read_profiles(path, csv_mapping=csv_mapping, on_error=on_error)
            audit_stream(engine, profiles, partial, writers, on_assessment)
    return partial


@contextmanager
def _opened(outputs: Sequence[PersonOutput]) -> Iterator[list[TextIO]]:
    """Each output's stream, its header written; files this opened are closed after."""
    with ExitStack() as stack:
        streams = [
            o.target
            if not isinstance(o.target, Path)
            else stack.enter_context(o.target.open("w", encoding="utf-8", newline=""))
            for o in outputs
        ]
        for stream, o in zip(streams, outputs, strict=True):
            stream.write(o.header)
        yield streams


# --- Dask -----------------------------------------------------------------------------------------------------


@contextmanager
def _client(workers: int | None, scheduler: str | None) -> Iterator[Client]:
    """A client of an existing cluster, or of a local one of `workers` processes with one thread each (the
    detectors are pure Python: threads would share one interpreter lock)."""
    import logging

    from distributed import Client, LocalCluster

    if scheduler is not None:
        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT)  # type: ignore[no-untyped-call]
        except (OSError, TimeoutError, ValueError) as exc:
            raise SchedulerError(f"--scheduler {scheduler}: cannot reach a Dask scheduler there ({exc})") from None
        with client:
            yield client
        return
    with (
        LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.ERROR
        ) as cluster,
        Client(cluster) as client,  # type: ignore[no-untyped-call]
    ):
        yield client


def _run_dask(
    client: Client, shards: Iterator[Shard], job: Job[A], outputs: Sequence[PersonOutput], parts_dir: Path | None
) -> ShardResult[A]:
    token = uuid.uuid4().hex[:12]
    parts = None
    if outputs:
        parts = Path(tempfile.mkdtemp(prefix=f"counterpitch-parts-{token}-", dir=parts_dir))
        job = replace(job, parts=str(parts), lines=tuple(o.line for o in outputs))
    try:
        [shared] = client.scatter([job], broadcast=True)  # type: ignore[no-untyped-call]
        planned: list[Shard] = []
        level = []
        for shard in shards:
            planned.append(shard)
            level.append(client.submit(audit_shard, shard, shared, key=f"audit-{token}-{shard.index}"))
        if not level:
            result: ShardResult[A] = ShardResult(job.new_partial())
        depth = 0
        while len(level) > 1:
            depth += 1
            pairs = [
                client.submit(merge_results, level[i], level[i + 1], key=f"merge-{token}-{depth}-{i}")
                for i in range(0, len(level) - 1, 2)
            ]
            level = pairs + level[len(level) - len(level) % 2 :]
        if level:
            result = level[0].result()
        if parts is not None:
            _join_parts(parts, planned, outputs)
        return result
    finally:
        if parts is not None:
            shutil.rmtree(parts, ignore_errors=True)


def _join_parts(parts: Path, shards: Sequence[Shard], outputs: Sequence[PersonOutput]) -> None:
    """Each output: its header, then its part files in shard order, streamed (a shard with no people has an
    empty part)."""
    with _opened(outputs) as streams:
        for k, stream in enumerate(streams):
            for shard in shards:
                with part_path(str(parts), shard, k).open(encoding="utf-8", newline="") as src:
                    shutil.copyfileobj(src, stream, 1024 * 1024)


def _report_errors(result: ShardResult[Any], on_error: Callable[[RecordError], None]) -> None:
    for fields in result.errors:
        on_error(RecordError(*fields))
    if result.errors_dropped:
        more: ErrorFields = ("", "", "", f"{result.errors_dropped} more bad records (only {MAX_ERRORS} are listed)")
        on_error(RecordError(*more, count=result.errors_dropped))
