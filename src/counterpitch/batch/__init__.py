"""Running the exposure audit over many profiles: one process streaming, or a Dask cluster over shards.

The interface the `counterpitch audit` command calls (`--workers N`, `--scheduler tcp://HOST:PORT`):

    run_audit(
        inputs: Sequence[Path],                      # files or folders, as `counterpitch audit INPUT...`
        *,
        engine_factory: Callable[[], Engine],        # picklable (a top-level function or functools.partial);
                                                     # called once per process, never once per shard
        workers: int | None = None,                  # N > 0: a local Dask cluster of N processes, 1 thread each
        scheduler: str | None = None,                # "tcp://HOST:PORT": an existing Dask cluster
        partition_size: int = 20_000,                # profiles per shard (JSONL line ranges, Parquet row groups)
        person_out: Path | None = None,              # one Assessment per line (JSONL), in input order
        on_assessment: Callable[[Profile, Assessment], None] | None = None,   # single process only
        csv_mapping: ... = None,                     # passed to audit.inputs.read_profiles
    ) -> OrgSummary

With neither `workers` nor `scheduler` it runs in this process and streams: memory does not grow with the
input. On Dask, every shard is audited by one task that returns a partial OrgSummary (and writes its people to a
part file when `person_out` is given); the partials are merged pairwise in shard order (a tree, so no single
step holds them all), and the part files are joined in shard order, so the result equals the single-process run.
"""
