"""`run_audit`: the audit over every input, in this process or on a Dask cluster, with the same result.

In this process the profiles stream through once (audit.inputs reads them lazily), so memory does not grow with
the input. On Dask the input is cut into shards (batch/shards.py), each shard is one task returning a partial
result, and partials are merged pairwise, neighbours only, level by level: the tree keeps shard order, needs only
an associative merge, and no step holds more than two partials. The client holds the shard plan and futures,
never profiles or assessments. Person lines are written by each task to a part file and joined in shard order.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from counterpitch.audit.core import audit_profile
from counterpitch.audit.inputs import read_profiles
from counterpitch.batch.shards import Shard, plan_shards
from counterpitch.batch.tasks import (
    MAX_ERRORS,
    A,
    ErrorFields,
    Job,
    ShardResult,
    audit_shard,
    merge_results,
    part_path,
)
from counterpitch.engine import Engine
from counterpitch.ingest.records import RecordError
from counterpitch.model import Assessment, Profile

if TYPE_CHECKING:
    from distributed import Client

#: Profiles per shard by default: big enough that a task's overhead (milliseconds) is lost in its work
#: (seconds), small enough that two workers get many shards each and finish together.
PARTITION_SIZE = 20_000


def run_audit(
    inputs: Sequence[str | Path],
    *,
    engine_factory: Callable[[], Engine],
    new_partial: Callable[[], A],
    workers: int | None = None,
    scheduler: str | None = None,
    partition_size: int = PARTITION_SIZE,
    csv_mapping: Mapping[str, str] | None = None,
    person_out: Path | None = None,
    person_line: Callable[[Profile, Assessment], str] | None = None,
    person_header: str = "",
    on_assessment: Callable[[Profile, Assessment], None] | None = None,
    on_error: Callable[[RecordError], None] | None = None,
) -> A:
    """Audit every profile in `inputs` into one partial result (`new_partial()`, merged).

    `engine_factory`, `new_partial` and `person_line` must be picklable for Dask (top-level functions or
    functools.partial of them). `person_out` receives `person_header` and then `person_line(profile,
    assessment)` for every person, in input order. Without `on_error` the first bad record raises (ShardError
    on Dask, RecordError here); with it, bad records are handed over and the run goes on. `on_assessment` is
    for this process only: on Dask the people stay on the workers.
    """
    if workers is not None and workers < 1:
        raise ValueError("--workers must be at least 1")
    if workers is not None and scheduler is not None:
        raise ValueError("give --workers or --scheduler, not both")
    if (person_out is None) != (person_line is None):
        raise ValueError("person_out and person_line go together")
    if workers is None and scheduler is None:
        return _run_here(inputs, engine_factory, new_partial, csv_mapping, person_out, person_line, person_header,
                         on_assessment, on_error)  # fmt: skip
    if on_assessment is not None:
        raise ValueError("on_assessment needs a single-process run; on Dask, write person_out instead")
    job = Job(engine_factory, new_partial, csv_mapping, on_error is not None)
    shards = plan_shards(inputs, partition_size)
    with _client(workers, scheduler) as client:
        result = _run_dask(client, shards, job, person_out, person_line, person_header)
    if on_error is not None:
        _report_errors(result, on_error)
    return result.partial


def _run_here(
    inputs: Sequence[str | Path],
    engine_factory: Callable[[], Engine],
    new_partial: Callable[[], A],
    csv_mapping: Mapping[str, str] | None,
    person_out: Path | None,
    person_line: Callable[[Profile, Assessment], str] | None,
    person_header: str,
    on_assessment: Callable[[Profile, Assessment], None] | None,
    on_error: Callable[[RecordError], None] | None,
) -> A:
    engine = engine_factory()
    partial = new_partial()
    with _maybe_open(person_out) as out:
        if out is not None:
            out.write(person_header)
        for path in inputs:
            for profile in read_profiles(path, csv_mapping=csv_mapping, on_error=on_error):
                assessment = audit_profile(engine, profile)
                partial.add(profile, assessment)
                if out is not None and person_line is not None:
                    out.write(person_line(profile, assessment))
                if on_assessment is not None:
                    on_assessment(profile, assessment)
    return partial


@contextmanager
def _maybe_open(path: Path | None) -> Iterator[Any]:
    if path is None:
        yield None
        return
    with path.open("w", encoding="utf-8", newline="") as fh:
        yield fh


# --- Dask -----------------------------------------------------------------------------------------------------


@contextmanager
def _client(workers: int | None, scheduler: str | None) -> Iterator[Client]:
    """A client of an existing cluster, or of a local one of `workers` processes with one thread each (the
    detectors are pure Python: threads would share one interpreter lock)."""
    import logging

    from distributed import Client, LocalCluster

    if scheduler is not None:
        with Client(scheduler) as client:  # type: ignore[no-untyped-call]
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
    client: Client,
    shards: Iterator[Shard],
    job: Job[A],
    person_out: Path | None,
    person_line: Callable[[Profile, Assessment], str] | None,
    person_header: str,
) -> ShardResult[A]:
    token = uuid.uuid4().hex[:12]
    parts = None
    if person_out is not None:
        parts = person_out.parent / f".{person_out.name}.parts-{token}"
        parts.mkdir(parents=True)
        job = Job(job.engine_factory, job.new_partial, job.csv_mapping, job.keep_going, str(parts), person_line)
    try:
        [shared] = client.scatter([job], broadcast=True)  # type: ignore[no-untyped-call]
        planned: list[Shard] = []
        level = []
        for shard in shards:
            planned.append(shard)
            level.append(client.submit(audit_shard, shard, shared, key=f"audit-{token}-{shard.index}"))
        if not level:
            return ShardResult(job.new_partial())
        depth = 0
        while len(level) > 1:
            depth += 1
            pairs = [
                client.submit(merge_results, level[i], level[i + 1], key=f"merge-{token}-{depth}-{i}")
                for i in range(0, len(level) - 1, 2)
            ]
            level = pairs + level[len(level) - len(level) % 2 :]
        result: ShardResult[A] = level[0].result()
        if parts is not None and person_out is not None:
            _join_parts(parts, planned, person_out, person_header)
        return result
    finally:
        if parts is not None:
            shutil.rmtree(parts, ignore_errors=True)


def _join_parts(parts: Path, shards: Sequence[Shard], out: Path, header: str) -> None:
    """The part files in shard order, streamed into one file (a part of a shard with no people is empty)."""
    with out.open("w", encoding="utf-8", newline="") as dst:
        dst.write(header)
        for shard in shards:
            with part_path(str(parts), shard).open(encoding="utf-8", newline="") as src:
                shutil.copyfileobj(src, dst, 1024 * 1024)


def _report_errors(result: ShardResult[Any], on_error: Callable[[RecordError], None]) -> None:
    for fields in result.errors:
        on_error(RecordError(*fields))
    if result.errors_dropped:
        more: ErrorFields = ("", "", "", f"{result.errors_dropped} more bad records (only {MAX_ERRORS} are listed)")
        on_error(RecordError(*more))
