"""Running the exposure audit over many profiles: one process streaming, or a Dask cluster over shards.

The interface the `counterpitch audit` command calls (`--workers N`, `--scheduler tcp://HOST:PORT`):

    run_audit(
        inputs,                          # files or folders, as `counterpitch audit INPUT...`
        engine_factory=partial(audit_engine, terms, corroborate=...),   # picklable; built once per process
        new_partial=partial(Partial.empty, top_k=..., approached=...),  # an empty accumulator (add, merge)
        workers=None | N,                # a local Dask cluster of N processes, one thread each
        scheduler=None | "tcp://HOST:PORT",              # an existing Dask cluster
        partition_size=20_000,           # profiles per shard (JSONL line runs, Parquet row groups)
        csv_mapping=None,                # as audit.inputs.read_profiles
        outputs=[PersonOutput(sys.stdout, jsonl_line), PersonOutput(out / "people.csv", csv_line, csv_header())],
        parts_dir=None,                  # Dask part files go under it (shared storage on a real cluster)
        on_assessment=fn,                # this process only
        on_error=fn,                     # keep going past bad records (else the first one raises)
    ) -> the merged accumulator

With neither `workers` nor `scheduler` it runs in this process and streams: memory does not grow with the input.
On Dask every shard is one task that returns a partial accumulator (and writes its people to part files when
`outputs` are given); partials are merged pairwise in shard order, and the part files are joined in shard
order, so the result equals the single-process run. Layout:

    shards.py   cutting inputs into shards (a few numbers each) and reading one back as profiles
    tasks.py    what a worker runs: the per-process engine, one shard, merging two results
    runner.py   run_audit: here or on Dask, the merge tree, joining the part files
    outputs.py  per-person lines (JSONL, CSV) as functions a worker can be sent
"""

from counterpitch.batch.outputs import csv_header, csv_line, jsonl_line
from counterpitch.batch.runner import PARTITION_SIZE, PersonOutput, SchedulerError, run_audit
from counterpitch.batch.shards import Shard, ShardError, plan_shards, read_shard
from counterpitch.batch.tasks import Accumulator, worker_engine

__all__ = [
    "PARTITION_SIZE",
    "Accumulator",
    "PersonOutput",
    "SchedulerError",
    "Shard",
    "ShardError",
    "csv_header",
    "csv_line",
    "jsonl_line",
    "plan_shards",
    "read_shard",
    "run_audit",
    "worker_engine",
]
