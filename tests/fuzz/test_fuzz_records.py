"""JSON, JSON Lines and CSV approach files under hypothesis: valid records with mutated fields and framing."""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counterpitch.ingest.tabular import RECIPIENT, SENDER, TOP
from counterpitch.model import MAX_TEXT_CHARS
from tests.fuzz import strategies as fs
from tests.fuzz.targets import csv_bytes, records_bytes

FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_KEYS = [*TOP, "sender", "recipient", "thread", "from", "name", "connections", "profile_url", "x"]
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | fs.CELLS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(_KEYS), inner, max_size=6),
    max_leaves=25,
)
_APPROACH = st.fixed_dictionaries(
    {"id": fs.CELLS, "text": fs.CELLS},
    optional={"channel": fs.CELLS, "sent_at": fs.CELLS, "sender": _JSON, "recipient": _JSON, "thread": _JSON},
)


@FUZZ
@given(st.lists(st.one_of(_APPROACH, _JSON), max_size=6), st.sampled_from(["jsonl", "array", "one"]), fs.MUTATIONS)
def test_when_json_records_are_mutated_then_records_or_named_errors(records: list, framing: str, edits: list) -> None:
    if framing == "jsonl":
        raw = "\n".join(json.dumps(r) for r in records).encode("utf-8", "surrogatepass")
    elif framing == "array":
        raw = json.dumps(records, indent=1).encode("utf-8", "surrogatepass")
    else:
        raw = json.dumps(records[0] if records else {}, indent=2).encode("utf-8", "surrogatepass")
    records_bytes(fs.mutate(raw, edits))


@FUZZ
@given(st.integers(1, 20_000), st.sampled_from([b"[", b'{"a":', b'{"text":[']), st.booleans())
def test_when_json_nests_deep_then_named_error(depth: int, opener: bytes, jsonl: bool) -> None:
    raw = opener * depth
    records_bytes(raw + b"\n" + raw if jsonl else raw)


_COLUMNS = st.lists(st.sampled_from([*TOP, *SENDER, *RECIPIENT, "Text", " TEXT ", "other"]), min_size=1, max_size=10)


@FUZZ
@given(_COLUMNS, st.lists(st.lists(fs.CELLS, max_size=12), max_size=6), st.booleans(), fs.MUTATIONS)
def test_when_csv_cells_are_mutated_then_rows_or_named_errors(
    header: list[str], rows: list[list[str]], quote_all: bool, edits: list
) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    csv_bytes(fs.mutate(buf.getvalue().encode("utf-8", "surrogatepass"), edits))


@pytest.mark.parametrize(("cell", "first"), [(150_000, "Approach"), (MAX_TEXT_CHARS + 1, "RecordError")])
def test_when_a_cell_is_past_the_csv_modules_default_limit_then_it_is_read_and_so_is_the_next_row(
    cell: int, first: str
) -> None:
    csv.field_size_limit(131_072)  # the default, as in a process that has not read an archive first
    items = csv_bytes(b"id,text\na," + b"x" * cell + b"\nb,hello there\n")
    assert [type(i).__name__ for i in items] == [first, "Approach"]
