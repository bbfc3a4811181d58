"""What runs on a worker: audit one shard into a partial result, and merge two partial results.

Everything here is a top-level function of picklable arguments, so Dask can ship it to any process. The engine
is built once per process and per configuration (`worker_engine`), not once per shard: building it loads and
compiles the word lists, which costs as much as auditing a few thousand profiles.
"""

from __future__ import annotations

import os
import pickle
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, Generic, Protocol, Self, TypeVar

from counterpitch.audit.core import audit_profile
from counterpitch.batch.shards import Shard, ShardError, read_shard
from counterpitch.engine import Engine, gc_paused
from counterpitch.ingest.records import RecordError
from counterpitch.model import Assessment, Profile

#: Bad records kept for the report, over the whole run; past this they are only counted.
MAX_ERRORS = 1000
#: Engines kept per process: one per configuration seen, the oldest dropped past this.
_MAX_ENGINES = 4
#: Profiles audited with the cyclic garbage collector paused (see `audit_stream`).
CHUNK = 512


class Accumulator(Protocol):
    """What a run builds: audit.run.Partial (summary and mosaic) or any other mergeable tally."""

    def add(self, profile: Profile, assessment: Assessment) -> None: ...

    def merge(self, other: Self) -> Self:
        """Both together; associative, so partials of consecutive shards can be merged in any grouping."""
        ...


A = TypeVar("A", bound=Accumulator)
#: A bad record as plain fields (RecordError, a frozen dataclass, does not survive pickling).
ErrorFields = tuple[str, str, str, str]


@dataclass(frozen=True)
class Job(Generic[A]):
    """Everything a shard task needs besides the shard; sent to each worker once."""

    engine_factory: Callable[[], Engine]
    new_partial: Callable[[], A]
    csv_mapping: Mapping[str, str] | None = None
    keep_going: bool = False
    #: Folder for per-shard person files (shared by client and workers), and how a person becomes text in
    #: each per-person output (one part file per shard and output).
    parts: str | None = None
    lines: tuple[Callable[[Profile, Assessment], str], ...] = ()


@dataclass
class ShardResult(Generic[A]):
    partial: A
    errors: list[ErrorFields] = field(default_factory=list)
    errors_dropped: int = 0


_ENGINES: dict[bytes, Engine] = {}
_ENGINES_LOCK = threading.Lock()


def worker_engine(factory: Callable[[], Engine]) -> Engine:
    """The engine `factory` builds, built once in this process (keyed by the pickled factory, so equal
    configurations sent with different tasks share one)."""
    try:
        key = pickle.dumps(factory)
    except (pickle.PicklingError, AttributeError, TypeError):  # a lambda or local function: as Dask sent it
        import cloudpickle  # type: ignore[import-untyped]

        key = cloudpickle.dumps(factory)
    with _ENGINES_LOCK:
        engine = _ENGINES.get(key)
        if engine is None:
            if len(_ENGINES) >= _MAX_ENGINES:
                del _ENGINES[next(iter(_ENGINES))]
            engine = _ENGINES[key] = factory()
        return engine


Line = Callable[[Profile, Assessment], str]


def audit_stream(
    engine: Engine,
    profiles: Iterable[Profile],
    partial: Accumulator,
    writers: Sequence[tuple[Any, Line]] = (),
    on_assessment: Callable[[Profile, Assessment], None] | None = None,
) -> None:
    """Audit every profile into `partial`, writing each person's lines, lazily and in order.

    Chunks of CHUNK profiles run with the cyclic garbage collector paused (engine.gc_paused, as the engine's
    own batches do): an audit allocates millions of short-lived, acyclic records, and the collector walking
    the engine's tables again and again cost 10-15% of the run. Reference counting still frees them at once,
    and the collector runs as usual between chunks, so memory stays flat.
    """
    it = iter(profiles)
    while True:
        with gc_paused():
            done = 0
            for profile in islice(it, CHUNK):
                done += 1
                assessment = audit_profile(engine, profile)
                partial.add(profile, assessment)
                for out, line in writers:
                    out.write(line(profile, assessment))
                if on_assessment is not None:
                    on_assessment(profile, assessment)
        if done < CHUNK:
            return


def part_path(parts: str, shard: Shard, output: int) -> Path:
    return Path(parts) / f"part-{shard.index:07d}-{output}.txt"


def audit_shard(shard: Shard, job: Job[A]) -> ShardResult[A]:
    """Audit every profile of the shard; the first bad record stops it (unless keep_going), named by shard,
    file and line. Person lines go to a part file written under a temporary name and renamed when whole, so a
    task retried by the scheduler never leaves half a file."""
    engine = worker_engine(job.engine_factory)
    result: ShardResult[A] = ShardResult(job.new_partial())
    parts = [part_path(job.parts, shard, k) for k in range(len(job.lines))] if job.parts is not None else []
    temps = [p.with_suffix(f".tmp{os.getpid()}") for p in parts]
    outs = [t.open("w", encoding="utf-8", newline="") for t in temps]
    writers = list(zip(outs, job.lines, strict=False))
    current: list[str] = []

    def profiles() -> Iterable[Profile]:
        for item in read_shard(shard, job.csv_mapping):
            if isinstance(item, RecordError):
                if not job.keep_going:
                    raise ShardError(f"{shard}: {item}")
                _note(result, (item.source, item.where, item.field, item.message))
                continue
            current[:] = [item.id]
            yield item

    try:
        audit_stream(engine, profiles(), result.partial, writers)
    except ShardError:
        raise
    except Exception as exc:  # a bug or an unreadable file: name where it happened, keep the cause's text
        where = f" at or after profile {current[0]!r}" if current else ""
        raise ShardError(f"{shard}{where}: {type(exc).__name__}: {exc}") from None
    finally:
        for out in outs:
            out.close()
    for temp, part in zip(temps, parts, strict=True):
        temp.replace(part)
    return result


def _note(result: ShardResult[A], error: ErrorFields) -> None:
    if len(result.errors) < MAX_ERRORS:
        result.errors.append(error)
    else:
        result.errors_dropped += 1


def merge_results(first: ShardResult[A], second: ShardResult[A]) -> ShardResult[A]:
    """`first` covers earlier shards than `second`: errors stay in input order."""
    out: ShardResult[A] = ShardResult(first.partial.merge(second.partial))
    out.errors = (first.errors + second.errors)[:MAX_ERRORS]
    out.errors_dropped = first.errors_dropped + second.errors_dropped + len(first.errors) + len(second.errors)
    out.errors_dropped -= len(out.errors)
    return out
