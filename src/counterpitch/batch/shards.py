"""Cutting the input into shards a worker can read on its own, and reading one shard back as profiles.

A shard is a few numbers (file, byte or row range, first line), never the profiles: the client plans shards
with one pass of newline counting and holds nothing else, so planning a million profiles costs kilobytes.

- JSON Lines: runs of `partition_size` lines, cut at line starts; a worker seeks to its byte range.
- Parquet: runs of whole row groups of about `partition_size` rows (a row group is Parquet's unit of reading).
- Anything else (a JSON document or array, CSV, a member's archive, stdin) cannot be cut safely (a quoted CSV
  cell may hold newlines): it is one shard, read by audit.inputs as the single-process run reads it.
Folders are walked as audit.inputs walks them (recursively, in name order), so ids and order are the same.

Every profile is read by the same code as the single-process run (ingest.records for JSON Lines, audit.inputs
for rows and the rest), so a shard yields exactly the profiles, and errors, that run would, with the same
line and row numbers.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO, Literal, cast

from counterpitch.audit import inputs
from counterpitch.ingest.records import MAX_RECORD_BYTES, RecordError, read_lines
from counterpitch.model import Profile

#: Bytes read at a time while counting lines.
_BLOCK = 8 * 1024 * 1024
_SUFFIX_KIND = {".parquet": "parquet", ".pq": "parquet", ".csv": "whole", ".zip": "whole"}

ShardKind = Literal["jsonl", "parquet", "whole"]


@dataclass(frozen=True)
class Shard:
    """One piece of the input: `start`/`stop` are byte offsets (jsonl) or row-group indexes (parquet)."""

    index: int
    path: str
    #: How the single-process run names this file (its path inside a folder input): archive ids depend on it.
    name: str
    kind: ShardKind
    start: int = 0
    stop: int = 0
    #: Line (jsonl) or row (parquet) number of the shard's first record, counted from 1 as errors count them.
    first: int = 1

    def __str__(self) -> str:
        unit = {"jsonl": "lines", "parquet": "rows from"}.get(self.kind)
        return f"shard {self.index} ({self.path}" + (f", {unit} {self.first}" if unit else "") + ")"


class ShardError(Exception):
    """A shard that could not be read or audited; the message names the shard, the file and the line."""


def plan_shards(paths: Sequence[str | Path], partition_size: int) -> Iterator[Shard]:
    """Shards for every input, in input order (lazily: a folder of many files is not listed twice)."""
    if partition_size < 1:
        raise ValueError("partition size must be at least 1")
    index = 0
    for path in paths:
        for file, name in _files(str(path)):
            for shard in _plan_file(file, name, partition_size):
                yield replace(shard, index=index)
                index += 1


def _files(path: str) -> Iterator[tuple[str, str]]:
    """(file, name) pairs as audit.inputs enumerates them; a missing path is left for it to report."""
    if path == "-":
        raise ValueError("standard input cannot be shared out to workers; give a file")
    p = Path(path)
    if p.is_dir():
        found = sorted(f for f in p.rglob("*") if f.is_file() and not f.name.startswith("."))
        if not found:
            yield path, Path(path).name  # the reader reports the empty folder
        for f in found:
            yield str(f), str(f.relative_to(p))
    else:
        yield path, p.name


def _plan_file(path: str, name: str, partition_size: int) -> Iterator[Shard]:
    kind = _SUFFIX_KIND.get(Path(path).suffix.lower(), "jsonl")
    if kind == "parquet":
        yield from _plan_parquet(path, name, partition_size)
    elif kind == "jsonl" and Path(path).is_file() and _is_jsonl(path):
        yield from _plan_jsonl(path, name, partition_size)
    else:
        yield Shard(0, path, name, "whole")


def _is_jsonl(path: str) -> bool:
    """JSON Lines, not one document or array: the first line holds a whole JSON object (as ingest.records
    decides). Anything else, including a bad first line, is left whole for the reader to judge."""
    import json

    with open(path, "rb") as fh:
        first = fh.readline(MAX_RECORD_BYTES + 1)
    first = first.removeprefix(b"\xef\xbb\xbf")
    if not first.lstrip().startswith(b"{") or not first.endswith(b"\n"):
        return False
    try:
        return isinstance(json.loads(first), dict)
    except (ValueError, UnicodeDecodeError):
        return False


def _plan_jsonl(path: str, name: str, partition_size: int) -> Iterator[Shard]:
    """Line runs of `partition_size`, found by counting newlines a block at a time (memory: one block)."""
    start, first, lines, offset = 0, 1, 0, 0
    with open(path, "rb") as fh:
        if fh.read(3) == b"\xef\xbb\xbf":
            start = offset = 3
        fh.seek(offset)
        while block := fh.read(_BLOCK):
            count = block.count(b"\n")
            if lines + count < partition_size:  # the usual case for big shards: no cut in this block
                lines += count
                offset += len(block)
                continue
            pos = 0
            while (nl := block.find(b"\n", pos)) >= 0:
                pos, lines = nl + 1, lines + 1
                if lines == partition_size:
                    yield Shard(0, path, name, "jsonl", start, offset + pos, first)
                    start, first, lines = offset + pos, first + partition_size, 0
            offset += len(block)
    if offset > start:
        yield Shard(0, path, name, "jsonl", start, offset, first)


def _plan_parquet(path: str, name: str, partition_size: int) -> Iterator[Shard]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        meta = pq.ParquetFile(path).metadata
    except (pa.ArrowException, OSError):
        yield Shard(0, path, name, "whole")  # the reader reports why it cannot be read
        return
    group, rows, first = 0, 0, 1
    for g in range(meta.num_row_groups):
        rows += meta.row_group(g).num_rows
        if rows >= partition_size:
            yield Shard(0, path, name, "parquet", group, g + 1, first)
            group, first, rows = g + 1, first + rows, 0
    if group < meta.num_row_groups:
        yield Shard(0, path, name, "parquet", group, meta.num_row_groups, first)


# --- reading a shard ------------------------------------------------------------------------------------------


def read_shard(shard: Shard, csv_mapping: Mapping[str, str] | None = None) -> Iterator[Profile | RecordError]:
    """The shard's profiles and bad records, in file order, exactly as the single-process run reads them."""
    mapping = dict(csv_mapping) if csv_mapping is not None else inputs.DEFAULT_MAPPING
    if shard.kind == "jsonl":
        yield from inputs.checked(_read_lines(shard), shard.path)
    elif shard.kind == "parquet":
        yield from inputs.checked(_read_row_groups(shard, mapping), shard.path)
    elif Path(shard.path).is_file():
        yield from inputs.read_file(Path(shard.path), mapping, name=shard.name)
    else:  # missing, or an empty folder: the reader says which
        yield from inputs.records_at(shard.path, mapping)


class _Range:
    """A binary file seen only between two offsets: `read` and `readline` stop at `stop`."""

    def __init__(self, fh: BinaryIO, stop: int) -> None:
        self._fh, self._left = fh, stop - fh.tell()

    def read(self, n: int = -1) -> bytes:
        return self._take(self._fh.read(self._left if n < 0 else min(n, self._left)))

    def readline(self, n: int = -1) -> bytes:
        return self._take(self._fh.readline(self._left if n < 0 else min(n, self._left)))

    def _take(self, data: bytes) -> bytes:
        self._left -= len(data)
        return data


def _read_lines(shard: Shard) -> Iterator[Profile | RecordError]:
    with open(shard.path, "rb") as fh:
        fh.seek(shard.start)
        stream = _Range(fh, shard.stop)
        first = stream.readline(MAX_RECORD_BYTES + 1)
        for item in read_lines(first, cast(BinaryIO, stream), Profile, shard.path):
            if isinstance(item, RecordError) and item.where.startswith("line "):
                item = replace(item, where=f"line {int(item.where[5:]) + shard.first - 1}")
            yield item


def _read_row_groups(shard: Shard, mapping: Mapping[str, str]) -> Iterator[Profile | RecordError]:
    """Rows of the shard's row groups, validated as audit.inputs validates every Parquet row."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    number = shard.first - 1
    try:
        pf = pq.ParquetFile(shard.path)
        groups = list(range(shard.start, shard.stop))
        for batch in pf.iter_batches(batch_size=inputs.PARQUET_BATCH, row_groups=groups):
            for row in batch.to_pylist():
                number += 1
                yield inputs.validate_row(row, mapping, shard.path, f"row {number}", f"row-{number}")
    except (pa.ArrowException, OSError) as exc:
        yield RecordError(shard.path, f"row {number + 1}", "", f"unreadable Parquet data: {exc}")
