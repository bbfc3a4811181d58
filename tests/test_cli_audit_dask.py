"""`counterpitch audit --workers N / --scheduler tcp://HOST:PORT`: the command on a real Dask cluster writes
exactly what the single-process run writes, and says clearly what is wrong with the options.

Every profile here is invented by the project (tests/test_batch.py's people, tests/fixtures/audit's
shipbuilder); the shared dev profiles (../shared, also invented) are added where present.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from distributed import LocalCluster
from typer.testing import CliRunner

from counterpitch.cli import app
from tests.conftest import CASEBOOK
from tests.test_batch import TERMS, bad_file, invented, write_jsonl

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "audit"
ENTRY = "import sys; from counterpitch.cli import app; sys.argv[0] = 'counterpitch'; app()"
#: Each run has its own string hash seed: the outputs must not depend on it (test_audit_report checks two seeds).
#: A fixed report time (SOURCE_DATE_EPOCH): two runs straddling a minute would otherwise stamp different minutes.
ENV = {
    **{k: v for k, v in os.environ.items() if k != "PYTHONHASHSEED"},
    "COLUMNS": "160",
    "SOURCE_DATE_EPOCH": "1764806400",
}
OUTPUTS = ("assessments.jsonl", "people.csv", "summary.json", "report.html", "mosaic.graphml")


def audit_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """The command in a real subprocess, as a user runs it (exit code, stdout, stderr)."""
    cmd = [sys.executable, "-c", ENTRY, "audit", *map(str, args)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=180, check=False, env=ENV)


@pytest.fixture(scope="module")
def org(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], Path]:
    """A few hundred people: JSON Lines and Parquet (several row groups) of invented people, the invented
    shipbuilder, and the dev profiles when present; the terms of all three."""
    root = tmp_path_factory.mktemp("org")
    people = write_jsonl(root / "people.jsonl", invented(300))
    table = root / "more.parquet"
    pq.write_table(pa.Table.from_pylist(list(invented(90, start=300))), table, row_group_size=20)
    inputs = [people, table, FIXTURES / "harbourline.jsonl"]
    terms = [*TERMS, *(FIXTURES / "harbourline_terms.txt").read_text(encoding="utf-8").splitlines()]
    if (CASEBOOK / "profiles_dev.jsonl").is_file():
        inputs.append(CASEBOOK / "profiles_dev.jsonl")
        terms += (CASEBOOK / "sensitive_terms_dev.txt").read_text(encoding="utf-8").splitlines()
    (root / "terms.txt").write_text("\n".join(terms) + "\n", encoding="utf-8")
    return inputs, root / "terms.txt"


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    with LocalCluster(n_workers=1, processes=True, threads_per_worker=1, dashboard_address=None) as c:  # type: ignore[no-untyped-call]
        yield c


def same_files(here: Path, there: Path) -> None:
    for name in OUTPUTS:
        assert (there / name).read_bytes() == (here / name).read_bytes(), name
    assert sorted(p.name for p in there.iterdir()) == sorted(OUTPUTS), "no part files are left behind"


def test_when_audit_runs_on_two_workers_then_every_output_equals_one_process(
    org: tuple[list[Path], Path], tmp_path: Path
) -> None:
    inputs, terms = org
    common: tuple[str | Path, ...] = (*inputs, "--terms", terms, "--org", "Invented Org", "-f", "jsonl")
    here = audit_cli(*common, "--out", tmp_path / "here")
    there = audit_cli(*common, "--out", tmp_path / "there", "--workers", "2", "--partition-size", "40")
    assert here.returncode == 0, here.stderr
    assert there.returncode == 0, there.stderr
    assert there.stdout == here.stdout
    same_files(tmp_path / "here", tmp_path / "there")
    expected = 390 + 12 + (60 if len(inputs) == 4 else 0)
    assert len(here.stdout.splitlines()) == expected
    summary = json.loads((tmp_path / "here" / "summary.json").read_text(encoding="utf-8"))
    assert summary["profiles"] == expected
    assert summary["people_with"]["clearances"] > 100 and summary["people_with"]["terms"] > 50
    assert "UK:SC" in {c["value"] for c in summary["clearances"]}


def test_when_a_scheduler_is_given_then_csv_report_and_graph_equal_one_process(
    org: tuple[list[Path], Path], cluster: LocalCluster, tmp_path: Path
) -> None:
    inputs, terms = org
    runs = {}
    for name, extra in (("here", ()), ("there", ("--scheduler", cluster.scheduler_address, "--partition-size", "33"))):
        (tmp_path / name).mkdir()
        files = ("--html", tmp_path / name / "report.html", "--graphml", tmp_path / name / "mosaic.graphml")
        runs[name] = audit_cli(*inputs, "--terms", terms, "-f", "csv", *files, *extra)
        assert runs[name].returncode == 0, runs[name].stderr
    assert runs["there"].stdout == runs["here"].stdout
    assert runs["here"].stdout.startswith("id,") and len(runs["here"].stdout.splitlines()) > 400
    for name in ("report.html", "mosaic.graphml"):
        assert (tmp_path / "there" / name).read_bytes() == (tmp_path / "here" / name).read_bytes(), name


def test_when_reports_are_joined_on_dask_then_the_priority_list_equals_one_process(
    cluster: LocalCluster, tmp_path: Path
) -> None:
    from tests.test_audit_db import fill

    url = f"sqlite:///{tmp_path / 'service.db'}"
    fill(url)
    common = (FIXTURES / "harbourline.jsonl", "--terms", FIXTURES / "harbourline_terms.txt", "--db", url, "-f", "json")
    here = audit_cli(*common)
    there = audit_cli(*common, "--scheduler", cluster.scheduler_address, "--partition-size", "3")
    assert here.returncode == there.returncode == 0, there.stderr
    assert there.stdout == here.stdout
    doc = json.loads(here.stdout)
    assert doc["approached_people"] == 2 and doc["priority"][0]["approached"], "the approached person comes first"


def forty_one_bad(tmp_path: Path) -> Path:
    """Forty people; line 23 has a negative connection count."""
    return bad_file(tmp_path, people=40, bad_line=23)


def test_when_a_record_is_bad_on_dask_then_exit_2_names_shard_line_and_field_and_writes_no_summary(
    cluster: LocalCluster, tmp_path: Path
) -> None:
    done = audit_cli(
        forty_one_bad(tmp_path), "--scheduler", cluster.scheduler_address, "--partition-size", "10", "-f", "json"
    )
    assert done.returncode == 2
    assert "shard 2" in done.stderr and "line 23" in done.stderr and "connections" in done.stderr, done.stderr
    assert "--keep-going" in done.stderr
    assert done.stdout == "", "a summary of part of the organisation is not written"


def test_when_keep_going_on_dask_then_the_rest_and_the_errors_equal_one_process(
    cluster: LocalCluster, tmp_path: Path
) -> None:
    src = forty_one_bad(tmp_path)
    here = audit_cli(src, "-f", "jsonl", "--keep-going")
    there = audit_cli(
        src, "-f", "jsonl", "--keep-going", "--scheduler", cluster.scheduler_address, "--partition-size", "7"
    )
    assert here.returncode == there.returncode == 2
    assert there.stdout == here.stdout and len(here.stdout.splitlines()) == 39
    assert there.stderr == here.stderr and "line 23" in here.stderr and "1 record(s) rejected" in here.stderr


def test_when_one_process_meets_a_bad_record_then_no_summary_is_written(tmp_path: Path) -> None:
    done = audit_cli(forty_one_bad(tmp_path), "-f", "json", "--out", tmp_path / "out")
    assert done.returncode == 2 and "line 23" in done.stderr
    assert done.stdout == "" and not (tmp_path / "out" / "summary.json").exists()
    assert len((tmp_path / "out" / "assessments.jsonl").read_text(encoding="utf-8").splitlines()) == 22


# --- options --------------------------------------------------------------------------------------------------


def invoke(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["audit", *map(str, args)], env={"COLUMNS": "200"})
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--workers", "0"), "--workers must be at least 1, not 0"),
        (("--workers", "-3"), "--workers must be at least 1, not -3"),
        (("--workers", "2", "--scheduler", "tcp://127.0.0.1:8786"), "give --workers or --scheduler, not both"),
        (("--scheduler", "127.0.0.1:8786"), "tcp://HOST:PORT, not '127.0.0.1:8786'"),
        (("--scheduler", "http://127.0.0.1:8786"), "tcp://HOST:PORT"),
        (("--scheduler", "tcp://127.0.0.1"), "tcp://HOST:PORT"),
        (("--scheduler", "tcp://127.0.0.1:99999"), "tcp://HOST:PORT"),
        (("--scheduler", "tcp://a b:1"), "tcp://HOST:PORT"),
        (("--workers", "2", "--partition-size", "0"), "--partition-size must be at least 1, not 0"),
        (("--partition-size", "100"), "--partition-size needs --workers or --scheduler"),
    ],
)
def test_when_dask_options_are_wrong_then_exit_2_says_which(args: tuple[str, ...], message: str) -> None:
    code, output = invoke(FIXTURES / "harbourline.jsonl", *args)
    assert code == 2 and message in output, output
    assert "Traceback" not in output


def test_when_stdin_is_sent_to_workers_then_exit_2_says_to_give_a_file() -> None:
    code, output = invoke("-", "--workers", "2")
    assert code == 2 and "standard input cannot be shared out" in output, output


def test_when_no_scheduler_listens_then_exit_2_names_the_address(monkeypatch: pytest.MonkeyPatch) -> None:
    from counterpitch.batch import runner

    monkeypatch.setattr(runner, "CONNECT_TIMEOUT", 2)
    with socket.socket() as s:  # bound, never listening: nothing answers there
        s.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{s.getsockname()[1]}"
        code, output = invoke(FIXTURES / "harbourline.jsonl", "--scheduler", address, "-f", "json")
    assert code == 2 and f"--scheduler {address}: cannot reach a Dask scheduler there" in output, output
    assert '"profiles"' not in output


def test_when_help_is_asked_then_the_dask_options_are_explained() -> None:
    from counterpitch.batch import PARTITION_SIZE
    from counterpitch.cli import audit as cli_audit

    code, output = invoke("--help")
    assert code == 0
    for option in ("--workers", "--scheduler", "--partition-size", "--parts-dir", "tcp://HOST:PORT"):
        assert option in output, option
    assert cli_audit.PARTITION_SIZE == PARTITION_SIZE and f"{PARTITION_SIZE:,}" in output
