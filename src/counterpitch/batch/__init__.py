"""Running the exposure audit over many profiles: one process streaming, or a Dask cluster over shards.

The interface the `counterpitch audit` command calls (`--workers N`, `--scheduler tcp://HOST:PORT`):

    run_audit(
        inputs,                          # files or folders, as `counterpitch audit INPUT...`
        engine_factory=partial(audit_engine, terms),     # picklable; called once per process, not per shard
        new_partial=partial(Partial.empty, top_k=...),   # an empty accumulator (add, associative merge)
        workers=None | N,                # a local Dask cluster of N processes, one thread each
        scheduler=None | "tcp://HOST:PORT",              # an existing Dask cluster
        partition_size=20_000,           # profiles per shard (JSONL line runs, Parquet row groups)
        csv_mapping=None,                # as audit.inputs.read_profiles
        person_out=PATH, person_line=fn, person_header="",   # per-person file, in input order
        on_assessment=fn,                # this process only
        on_error=fn,                     # keep going past bad records (else the first one raises)
    ) -> the merged accumulator

With neither `workers` nor `scheduler` it runs in this process and streams: memory does not grow with the input.
On Dask every shard is one task that returns a partial accumulator (and writes its people to a part file when
`person_out` is given); partials are merged pairwise in shard order, and the part files are joined in shard
order, so the result equals the single-process run. Layout:

    shards.py   cutting inputs into shards (a few numbers each) and reading one back as profiles
    tasks.py    what a worker runs: the per-process engine, one shard, merging two results
    runner.py   run_audit: here or on Dask, the merge tree, joining the part files
"""

from counterpitch.batch.runner import PARTITION_SIZE, run_audit
from counterpitch.batch.shards import Shard, ShardError, plan_shards, read_shard
from counterpitch.batch.tasks import Accumulator, worker_engine

__all__ = [
    "PARTITION_SIZE",
    "Accumulator",
    "Shard",
    "ShardError",
    "plan_shards",
    "read_shard",
    "run_audit",
    "worker_engine",
]
