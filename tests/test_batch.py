"""The batch runner: a real Dask cluster of two worker processes gives exactly the single-process result.

Every profile here is invented by the project (names, employers, projects); the dev profiles (../shared) are
used where present.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from distributed import Client, LocalCluster

from counterpitch.audit.core import audit_engine
from counterpitch.audit.export import COLUMNS
from counterpitch.audit.run import Partial
from counterpitch.batch import (
    PersonOutput,
    SchedulerError,
    ShardError,
    csv_header,
    csv_line,
    jsonl_line,
    plan_shards,
    read_shard,
    run_audit,
)
from counterpitch.batch import tasks as batch_tasks
from counterpitch.ingest.records import RecordError
from counterpitch.model import Profile
from tests.conftest import CASEBOOK

TERMS = ("Type 26", "Kestrel Bay", "LAND 400")

#: Invented people, varied below: clearances, a listed project, a sensitive role, a contact, and nothing at all.
TEMPLATES: list[dict[str, Any]] = [
    {
        "headline": "Systems Engineer | SC cleared | Type 26 frigate",
        "location": "Bristol, England",
        "about": "Combat systems integration on the Type 26 programme. Reach me on WhatsApp: +44 7700 900123",
        "experience": [{"title": "Systems Engineer", "company": "Harbour Naval Systems", "location": "Bristol"}],
        "skills": ["MATLAB", "DV"],
    },
    {
        "headline": "Logistics analyst, DoD Secret clearance",
        "location": "San Diego, California, United States",
        "experience": [{"title": "Analyst", "company": "Pacific Depot Services"}],
    },
    {
        "headline": "Marketing lead",
        "location": "Greenville, SC",
        "about": "Our secret sauce is listening. Eligible for SC clearance if a client needs it.",
    },
    {
        "headline": "Assistant Private Secretary to the Minister for Defence Industry",
        "location": "Canberra, Australia",
        "about": "NV1 holder. Previously worked on LAND 400 acquisition.",
    },
    {"headline": "Photovoltaic installer", "about": "PV systems and batteries", "skills": ["PV design"]},
    {"headline": "Data scientist", "about": "Kestrel Bay birdwatching weekends."},
]
FIRST = ("Avery", "Bram", "Cato", "Dara", "Ezra", "Fenna", "Gil", "Hale")
LAST = ("Quill", "Rowan", "Sorrel", "Thane", "Umber", "Vance", "Wren")


def invented(n: int, start: int = 0) -> Iterator[dict[str, Any]]:
    for i in range(start, start + n):
        t = TEMPLATES[i % len(TEMPLATES)]
        yield {"id": f"p-{i:05d}", "name": f"{FIRST[i % len(FIRST)]} {LAST[i % len(LAST)]}", **t}


def write_jsonl(path: Path, records: Iterator[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def outputs(out: Path) -> list[PersonOutput]:
    """The audit command's two per-person files: JSONL at `out`, CSV beside it."""
    return [PersonOutput(out, jsonl_line), PersonOutput(out.with_suffix(".csv"), csv_line, csv_header())]


def same_outputs(a: Path, b: Path) -> None:
    assert a.read_bytes() == b.read_bytes()
    assert a.with_suffix(".csv").read_bytes() == b.with_suffix(".csv").read_bytes()


ENGINE = partial(audit_engine, TERMS)


def outcome(partial_: Partial) -> dict[str, Any]:
    """Everything a run produced, comparable across runs (the mosaic's list order is internal)."""
    mosaic = partial_.mosaic
    return {
        "summary": partial_.summary.to_json(org="Test"),
        "mosaic": [p.to_json() for p in mosaic.kept()],
        "seen": mosaic.seen,
    }


def run_here(inputs: list[Path], out: Path, **kw: Any) -> Partial:
    return run_audit(inputs, engine_factory=ENGINE, new_partial=Partial.empty, outputs=outputs(out), **kw)


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as c:
        yield c


def run_dask(cluster: LocalCluster, inputs: list[Path], out: Path, **kw: Any) -> Partial:
    return run_audit(
        inputs,
        engine_factory=ENGINE,
        new_partial=Partial.empty,
        scheduler=cluster.scheduler_address,
        outputs=outputs(out),
        parts_dir=out.parent,
        **kw,
    )


# --- shard planning -------------------------------------------------------------------------------------------


def test_when_jsonl_is_planned_then_shards_cover_every_line_once_in_order(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "people.jsonl", invented(23))
    shards = list(plan_shards([src], partition_size=5))
    assert [s.first for s in shards] == [1, 6, 11, 16, 21]
    assert [s.index for s in shards] == [0, 1, 2, 3, 4]
    raw = src.read_bytes()
    assert b"".join(raw[s.start : s.stop] for s in shards) == raw
    ids = [p.id for s in shards for p in read_shard(s) if isinstance(p, Profile)]
    assert ids == [f"p-{i:05d}" for i in range(23)]


def test_when_parquet_has_row_groups_then_shards_are_runs_of_whole_groups(tmp_path: Path) -> None:
    path = tmp_path / "people.parquet"
    pq.write_table(pa.Table.from_pylist(list(invented(30))), path, row_group_size=4)
    shards = list(plan_shards([path], partition_size=10))
    assert [(s.start, s.stop, s.first) for s in shards] == [(0, 3, 1), (3, 6, 13), (6, 8, 25)]
    ids = [p.id for s in shards for p in read_shard(s) if isinstance(p, Profile)]
    assert ids == [f"p-{i:05d}" for i in range(30)]


def test_when_input_cannot_be_cut_then_it_is_one_shard(tmp_path: Path) -> None:
    array = tmp_path / "people.json"
    array.write_text(json.dumps(list(invented(4))), encoding="utf-8")
    shards = list(plan_shards([array], partition_size=1))
    assert [s.kind for s in shards] == ["whole"]
    assert [p.id for p in read_shard(shards[0]) if isinstance(p, Profile)] == [f"p-{i:05d}" for i in range(4)]


def test_when_partition_size_is_not_positive_then_value_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        list(plan_shards([write_jsonl(tmp_path / "a.jsonl", invented(2))], partition_size=0))


# --- Dask equals one process ----------------------------------------------------------------------------------


def test_when_dev_profiles_run_on_two_workers_then_result_equals_one_process(
    cluster: LocalCluster, tmp_path: Path
) -> None:
    dev = CASEBOOK / "profiles_dev.jsonl"
    if not dev.is_file():
        pytest.skip("the shared dev profiles are not beside this checkout")
    here = run_here([dev], tmp_path / "here.jsonl")
    there = run_dask(cluster, [dev], tmp_path / "there.jsonl", partition_size=7)
    assert outcome(there) == outcome(here)
    assert outcome(here)["summary"]["clearances"], "the dev profiles state clearances: the test must see some"
    same_outputs(tmp_path / "there.jsonl", tmp_path / "here.jsonl")
    assert len((tmp_path / "here.jsonl").read_text().splitlines()) == 60


def make_shard_folder(root: Path) -> Path:
    """JSONL shards, a Parquet file of several row groups, a CSV and a JSON array, in a nested folder."""
    folder = root / "shards"
    (folder / "b").mkdir(parents=True)
    write_jsonl(folder / "a-00.jsonl", invented(37))
    write_jsonl(folder / "a-01.jsonl", invented(11, start=37))
    pq.write_table(pa.Table.from_pylist(list(invented(29, start=48))), folder / "b" / "p.parquet", row_group_size=6)
    with (folder / "b" / "q.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "name", "headline", "about"])
        for r in invented(9, start=77):
            w.writerow([r["id"], r["name"], r["headline"], r.get("about", "")])
    (folder / "c.json").write_text(json.dumps(list(invented(5, start=86))), encoding="utf-8")
    return folder


def test_when_a_folder_of_many_shards_runs_on_two_workers_then_result_equals_one_process(
    cluster: LocalCluster, tmp_path: Path
) -> None:
    folder = make_shard_folder(tmp_path)
    extra = write_jsonl(tmp_path / "more.jsonl", invented(13, start=91))
    here = run_here([folder, extra], tmp_path / "here.jsonl")
    there = run_dask(cluster, [folder, extra], tmp_path / "there.jsonl", partition_size=4)
    assert len(list(plan_shards([folder, extra], 4))) > 20
    assert here.summary.profiles == 104
    assert outcome(there) == outcome(here)
    same_outputs(tmp_path / "there.jsonl", tmp_path / "here.jsonl")
    assert not [p for p in tmp_path.iterdir() if "counterpitch-parts-" in p.name], "part files are removed"


def test_when_shards_run_then_each_worker_builds_the_engine_once(cluster: LocalCluster, tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "people.jsonl", invented(60))
    with Client(cluster) as client:
        client.run(batch_tasks._ENGINES.clear)
        run_dask(cluster, [src], tmp_path / "out.jsonl", partition_size=3)
        engines = client.run(lambda: len(batch_tasks._ENGINES))
    assert sorted(engines.values()) == [1, 1], engines


def test_when_workers_is_given_then_a_local_cluster_is_started(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "people.jsonl", invented(40))
    here = run_here([src], tmp_path / "here.jsonl")
    there = run_audit(
        [src],
        engine_factory=ENGINE,
        new_partial=Partial.empty,
        workers=2,
        partition_size=9,
        outputs=outputs(tmp_path / "there.jsonl"),
    )
    assert outcome(there) == outcome(here)
    same_outputs(tmp_path / "there.jsonl", tmp_path / "here.jsonl")


# --- errors ---------------------------------------------------------------------------------------------------


def bad_file(tmp_path: Path, people: int = 20, bad_line: int = 13) -> Path:
    """Invented people, one of whose lines (by default line 13 of 20: in the third shard of five) has a negative
    connection count."""
    records = list(invented(people))
    records[bad_line - 1] = {**records[bad_line - 1], "connections": -3}
    return write_jsonl(tmp_path / "bad.jsonl", iter(records))


def test_when_a_shard_holds_a_bad_record_then_the_error_names_shard_file_line_and_field(
    cluster: LocalCluster, tmp_path: Path
) -> None:
    src = bad_file(tmp_path)
    with pytest.raises(ShardError) as caught:
        run_dask(cluster, [src], tmp_path / "out.jsonl", partition_size=5)
    message = str(caught.value)
    assert "shard 2" in message and "bad.jsonl" in message and "line 13" in message, message
    assert "connections" in message, message
    assert not (tmp_path / "out.jsonl").exists()
    assert not [p for p in tmp_path.iterdir() if "counterpitch-parts-" in p.name], "part files are removed"


def test_when_keep_going_then_bad_records_are_reported_and_the_rest_equals_one_process(
    cluster: LocalCluster, tmp_path: Path
) -> None:
    src = bad_file(tmp_path)
    seen_here: list[RecordError] = []
    seen_there: list[RecordError] = []
    here = run_here([src], tmp_path / "here.jsonl", on_error=seen_here.append)
    there = run_dask(cluster, [src], tmp_path / "there.jsonl", partition_size=5, on_error=seen_there.append)
    assert [str(e) for e in seen_there] == [str(e) for e in seen_here]
    assert len(seen_here) == 1 and "line 13" in str(seen_here[0])
    assert here.summary.profiles == 19
    assert outcome(there) == outcome(here)
    same_outputs(tmp_path / "there.jsonl", tmp_path / "here.jsonl")


def test_when_workers_and_scheduler_are_both_given_then_value_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not both"):
        run_audit([tmp_path], engine_factory=ENGINE, new_partial=Partial.empty, workers=1, scheduler="tcp://x:1")


def test_when_stdin_is_sent_to_workers_then_value_error() -> None:
    with pytest.raises(ValueError, match="standard input"):
        list(plan_shards(["-"], 10))


def test_when_an_output_is_a_stream_then_it_gets_the_header_and_every_line_in_order(
    cluster: LocalCluster, tmp_path: Path
) -> None:
    src = write_jsonl(tmp_path / "people.jsonl", invented(25))
    stream = io.StringIO()
    run_audit(
        [src],
        engine_factory=ENGINE,
        new_partial=Partial.empty,
        scheduler=cluster.scheduler_address,
        partition_size=4,
        outputs=[PersonOutput(stream, csv_line, csv_header())],
    )
    rows = list(csv.reader(io.StringIO(stream.getvalue())))
    assert rows[0] == list(COLUMNS)
    assert [r[0] for r in rows[1:]] == [f"p-{i:05d}" for i in range(25)]


def test_when_no_scheduler_listens_at_the_address_then_the_error_names_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    from counterpitch.batch import runner

    monkeypatch.setattr(runner, "CONNECT_TIMEOUT", 2)
    with socket.socket() as s:  # a port nothing listens on: bound, never listening
        s.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{s.getsockname()[1]}"
        src = write_jsonl(tmp_path / "people.jsonl", invented(3))
        with pytest.raises(SchedulerError, match=re.escape(address)):
            run_audit([src], engine_factory=ENGINE, new_partial=Partial.empty, scheduler=address)
