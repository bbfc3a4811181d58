"""Commands that stream (issue 17, item 7): `check` and `scan` read, assess and write as they go, and give the
same verdicts as assessing one approach at a time."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

from counterpitch.cli import check as cli
from counterpitch.engine import Engine
from counterpitch.model import Approach
from tests.archive_builder import ERAS, OWNER, OWNER_URL, build_archive, default_messages, message

VOICES = Path(__file__).resolve().parents[1] / "src" / "counterpitch" / "data" / "training" / "voices"


def run(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "counterpitch.cli", *args], capture_output=True, timeout=300, check=False
    )


def voices(n: int) -> list[dict[str, object]]:
    base = [json.loads(x) for p in sorted(VOICES.glob("*.jsonl")) for x in p.read_text("utf-8").splitlines() if x]
    out = []
    for i in range(n):
        rec = {k: v for k, v in base[i % len(base)].items() if k not in ("label", "notes")}
        out.append({**rec, "id": f"r{i}", "text": f"{rec.get('text') or ''}\n\nRef {i}"})
    return out


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.default()


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, object]]]:
    """600 approaches (more than two of the engine's batches) with three bad lines among them."""
    good = voices(600)
    lines = [json.dumps(r, ensure_ascii=False) for r in good]
    lines.insert(100, "{not json")
    lines.insert(300, json.dumps({"id": "no-text"}))
    lines.insert(520, "[1, 2]")
    path = tmp_path_factory.mktemp("stream") / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, good


def test_when_streamed_then_jsonl_equals_one_by_one_verdicts(
    engine: Engine, mixed: tuple[Path, list[dict[str, object]]]
) -> None:
    path, good = mixed
    r = run("check", str(path), "-f", "jsonl", "--keep-going")
    assert r.returncode == 2, r.stderr
    expected = [engine.assess(Approach.model_validate(rec), meaning="unsure").to_json_dict() for rec in good]
    assert [json.loads(x) for x in r.stdout.decode().splitlines()] == expected
    errors = r.stderr.decode()
    assert "line 101" in errors and "line 301" in errors and "line 521" in errors
    assert "3 record(s) rejected" in errors


def test_when_json_format_then_one_valid_array_equal_to_jsonl(mixed: tuple[Path, list[dict[str, object]]]) -> None:
    path, good = mixed
    as_json = run("check", str(path), "-f", "json", "--keep-going")
    as_jsonl = run("check", str(path), "-f", "jsonl", "--keep-going")
    docs = json.loads(as_json.stdout)
    assert isinstance(docs, list) and len(docs) == len(good)
    assert docs == [json.loads(x) for x in as_jsonl.stdout.decode().splitlines()]
    # The array is written item by item, with the bytes json.dumps(list, indent=2) would give.
    assert as_json.stdout.decode() == json.dumps(docs, ensure_ascii=False, indent=2) + "\n"


def test_when_explain_then_batched_trail_equals_one_by_one(engine: Engine) -> None:
    approaches = [Approach.model_validate(r) for r in voices(300)]
    batched = list(engine.assess_many_with_trail(approaches, batch=64))
    for a, (assessment, trail) in zip(approaches, batched, strict=True):
        one, one_trail = engine.assess_with_trail(a, meaning="unsure")
        assert assessment == one
        assert (trail.terms, trail.band_rule, trail.raw_score) == (
            one_trail.terms,
            one_trail.band_rule,
            one_trail.raw_score,
        )


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_when_bad_record_stops_the_command_then_what_came_before_is_complete(tmp_path: Path, fmt: str) -> None:
    lines = [json.dumps(r, ensure_ascii=False) for r in voices(300)] + ["{bad"]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = run("check", str(path), "-f", fmt)
    assert r.returncode == 2 and b"line 301" in r.stderr and b"--keep-going" in r.stderr
    # The first full batch (256) was written before the bad line was read; the output is still well formed.
    out = r.stdout.decode()
    ids = [d["id"] for d in json.loads(out)] if fmt == "json" else [json.loads(x)["id"] for x in out.splitlines()]
    assert ids == [f"r{i}" for i in range(256)]


def test_when_one_object_then_json_is_one_object(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"id": "solo", "text": "Coffee next week?"}, indent=2), encoding="utf-8")
    doc = json.loads(run("check", str(path), "-f", "json").stdout)
    assert isinstance(doc, dict) and doc["id"] == "solo"


def test_when_checked_then_the_reader_is_consumed_lazily(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, engine: Engine
) -> None:
    """Each output is written before the reader has gone more than one batch ahead of it."""
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in voices(1000)) + "\n", encoding="utf-8")
    read = 0
    lead = []
    original = cli.iter_approaches

    def counted(p: str, tally: cli.Tally) -> Iterator[Approach]:
        nonlocal read
        for a in original(p, tally):
            read += 1
            yield a

    written = 0

    def write(self: cli._Writer, assessment: object, trail: object) -> None:
        nonlocal written
        written += 1
        lead.append(read - written)

    monkeypatch.setattr(cli, "iter_approaches", counted)
    monkeypatch.setattr(cli, "build_engine", lambda *a, **k: engine)
    monkeypatch.setattr(cli._Writer, "__call__", write)
    monkeypatch.setattr(cli._Writer, "close", lambda self, stopped=False: None)
    cli.check(file=str(path), fmt="jsonl")
    assert written == 1000
    assert max(lead) < 256, "the reader ran ahead of the output by more than one batch"


def test_when_many_records_then_memory_stays_bounded(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, engine: Engine
) -> None:
    """20,000 approaches through `check`: the Python heap's peak stays under a bound that holding them all
    exceeds (the old path held every approach and every result: 552 MB peak RSS for 20,000 in
    bench/commands.py, against 120 MB for the engine alone)."""
    path = tmp_path / "big.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for r in voices(20_000):
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    warm = tmp_path / "warm.jsonl"
    warm.write_text("\n".join(json.dumps(r) for r in voices(2000)) + "\n", encoding="utf-8")  # every text once
    monkeypatch.setattr(cli, "build_engine", lambda *a, **k: engine)
    sink = open("/dev/null", "w", encoding="utf-8")  # noqa: SIM115 - closed below
    monkeypatch.setattr(sys, "stdout", sink)
    # The fast path (--meaning never), as national-scale bulk runs it: the meaning layer's own memory is bounded
    # apart (semantic/embedding.REMEMBERED) and would only make this test slow.
    cli.check(file=str(warm), fmt="jsonl", meaning="never")  # what loads once (lazy tables, the renderer) loads here
    tracemalloc.start()
    try:
        cli.check(file=str(path), fmt="jsonl", meaning="never")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        sink.close()
    # Measured: 33 MB (the engine's bounded memory of senders included); 20,000 results held would be hundreds.
    assert peak < 64 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"


@pytest.mark.parametrize("era", ERAS)
def test_when_archive_scanned_lazily_then_same_result_as_read_whole(tmp_path: Path, engine: Engine, era: str) -> None:
    from counterpitch.ingest.linkedin_archive import read_archive
    from counterpitch.scan import scan

    path = build_archive(tmp_path, era, messages=[*default_messages(), *_unusable()])
    whole = read_archive(path)
    lazy = read_archive(path, lazy=True)
    assert not isinstance(lazy.approaches, list)
    a = scan(engine, whole.owner, whole.approaches, [], whole.counts, whole.warnings)
    b = scan(engine, lazy.owner, lazy.approaches, [], lazy.counts, lazy.warnings, keep_approaches=False, rank=lazy.rank)
    assert any("is not a date" in w for w in b.warnings)
    assert a.to_json_dict() == b.to_json_dict()  # counts, verdicts in the same order, warnings in the same order
    text = io.StringIO()
    b.write_json(text)
    assert text.getvalue() == json.dumps(b.to_json_dict(), ensure_ascii=False, indent=2) + "\n"
    assert all(x.approach is None for x in b.assessed)


def _unusable() -> list[dict[str, str]]:
    """Two conversations whose rows lie apart (another's between them), one row with a date nobody writes."""
    return [
        message("2-ZZZ", "Sam Other", "https://www.linkedin.com/in/sam-other", OWNER, OWNER_URL,
                "2023-06-02 08:00:00 UTC", "Shall we move this to Signal?"),
        message("2-YYY", "Kim Other", "https://www.linkedin.com/in/kim-other", OWNER, OWNER_URL,
                "not a date", "Hello, a quick question about your report?"),
        message("2-ZZZ", "Sam Other", "https://www.linkedin.com/in/sam-other", OWNER, OWNER_URL,
                "2023-06-01 08:00:00 UTC", "Hello Morgan"),
    ]  # fmt: skip


class _Counted(io.BytesIO):
    """A stream that counts the bytes read from it."""

    taken = 0

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        self.taken += len(data)
        return data

    def readline(self, size: int | None = -1) -> bytes:
        data = super().readline(size)
        self.taken += len(data)
        return data


@pytest.mark.parametrize("kind", ["jsonl", "array", "csv"])
def test_when_records_are_read_then_the_stream_is_read_as_they_are_taken(kind: str) -> None:
    """The first record arrives after a block of a large file has been read, not the whole file."""
    from counterpitch.ingest.records import read_records
    from counterpitch.ingest.tabular import read_csv

    recs = [{"id": f"r{i}", "text": f"Hello number {i}, coffee next week?"} for i in range(50_000)]
    if kind == "jsonl":
        data = "\n".join(json.dumps(r) for r in recs).encode()
    elif kind == "array":
        data = json.dumps(recs, indent=2).encode()
    else:
        data = ("id,text\n" + "".join(f"{r['id']},{r['text'].replace(',', ';')}\n" for r in recs)).encode()
    stream = _Counted(data)
    records = read_csv(stream, "in.csv") if kind == "csv" else read_records(stream, Approach, "in")
    first = next(records)
    assert isinstance(first, Approach) and first.id == "r0"
    assert stream.taken < 256 * 1024 < len(data)
    assert [r.id for r in records if isinstance(r, Approach)] == [f"r{i}" for i in range(1, 50_000)]


def test_when_an_array_item_is_malformed_then_the_items_before_it_arrive_and_the_place_is_named() -> None:
    from counterpitch.ingest.records import RecordError, read_records

    text = json.dumps([{"id": f"r{i}", "text": "hi"} for i in range(3000)], indent=2)
    at = text.index('"r2000"')
    broken = (text[:at] + "oops" + text[at + 7 :]).encode()
    out = list(read_records(io.BytesIO(broken), Approach, "in.json"))
    assert [r.id for r in out[:-1] if isinstance(r, Approach)] == [f"r{i}" for i in range(2000)]
    err = out[-1]
    assert isinstance(err, RecordError) and err.where == f"line {text[:at].count(chr(10)) + 1}"
    assert "malformed JSON at column 11" in err.message
