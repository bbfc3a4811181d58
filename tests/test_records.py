"""Reading approaches as hostile input: every failure names the place and the field; nothing crashes."""

from __future__ import annotations

import io
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from counterpitch.ingest.records import RecordError, read_records
from counterpitch.model import MAX_TEXT_CHARS, Approach

GOOD = {"id": "a1", "text": "Hello there"}


def read(data: bytes) -> list[Approach | RecordError]:
    return list(read_records(io.BytesIO(data), Approach, "in.jsonl"))


def test_when_jsonl_has_good_and_bad_lines_then_each_bad_line_is_named() -> None:
    lines = [
        json.dumps(GOOD),
        '{"id": "a2", "text": ',  # malformed
        json.dumps({"id": "a3", "text": 42}),  # wrong type
        json.dumps({"id": "a4"}),  # missing text
        json.dumps({"id": "a5", "text": "ok", "sender": {"connections": -3}}),  # nested field
        json.dumps({"id": "a6", "text": "fine"}),
    ]
    out = read("\n".join(lines).encode())
    assert [r.id for r in out if isinstance(r, Approach)] == ["a1", "a6"]
    errors = [r for r in out if isinstance(r, RecordError)]
    assert [(e.where, e.field) for e in errors] == [
        ("line 2", ""),
        ("line 3", "text"),
        ("line 4", "text"),
        ("line 5", "sender.connections"),
    ]
    assert "malformed JSON" in str(errors[0])
    assert str(errors[1]).startswith("in.jsonl, line 3: field 'text'")


def test_when_message_is_ten_megabytes_then_it_is_refused_by_field() -> None:
    huge = json.dumps({"id": "big", "text": "x" * 10_000_000})
    out = read(huge.encode() + b"\n" + json.dumps(GOOD).encode())
    assert isinstance(out[0], RecordError) and out[0].where == "line 1"
    assert isinstance(out[1], Approach)


def test_when_text_just_over_limit_then_field_is_named() -> None:
    out = read(json.dumps({"id": "b", "text": "y" * (MAX_TEXT_CHARS + 1)}).encode())
    assert isinstance(out[0], RecordError) and out[0].field == "text" and "too long" in out[0].message


def test_when_bytes_are_not_utf8_then_line_is_named() -> None:
    out = read(json.dumps(GOOD).encode() + b"\n" + b'{"id": "c", "text": "\xff\xfe bad"}\n')
    assert isinstance(out[0], Approach)
    assert isinstance(out[1], RecordError) and out[1].where == "line 2" and "UTF-8" in out[1].message


def test_when_input_is_binary_garbage_then_error_not_crash() -> None:
    out = read(bytes(range(256)) * 4)
    assert out and all(isinstance(r, RecordError) for r in out)


def test_when_json_array_then_items_are_named() -> None:
    out = read(json.dumps([GOOD, {"id": "", "text": "t"}, "nope"]).encode())
    assert isinstance(out[0], Approach)
    assert isinstance(out[1], RecordError) and (out[1].where, out[1].field) == ("item 1", "id")
    assert isinstance(out[2], RecordError) and "expected a JSON object" in out[2].message


def test_when_single_pretty_printed_object_then_it_is_read() -> None:
    out = read(json.dumps(GOOD, indent=2).encode())
    assert len(out) == 1 and isinstance(out[0], Approach)


def test_when_pretty_printed_object_is_malformed_then_line_is_named() -> None:
    out = read(b'{\n  "id": "x",\n  "text": oops\n}')
    assert isinstance(out[0], RecordError) and out[0].where == "line 3"


def test_when_empty_then_clear_error() -> None:
    out = read(b"  \n ")
    assert isinstance(out[0], RecordError) and "empty" in out[0].message


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_when_bytes_are_arbitrary_then_reader_yields_records_or_errors(data: bytes) -> None:
    for r in read(data):
        assert isinstance(r, Approach | RecordError)


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=30),
        lambda c: (
            st.lists(c, max_size=4)
            | st.dictionaries(
                st.sampled_from(["id", "text", "sender", "thread", "from", "name", "connections"]),
                c,
                max_size=5,
            )
        ),
        max_leaves=20,
    )
)
def test_when_json_is_arbitrary_then_reader_never_crashes(value: object) -> None:
    for r in read(json.dumps(value).encode()):
        assert isinstance(r, Approach | RecordError)


def test_when_an_error_names_no_place_then_its_message_stands_alone() -> None:
    assert str(RecordError("", "", "", "12 more bad records")) == "12 more bad records"
    assert (
        str(RecordError("a.jsonl", "line 3", "sender.name", "too long"))
        == "a.jsonl, line 3: field 'sender.name': too long"
    )
    assert str(RecordError("a.jsonl", "", "", "no such file")) == "a.jsonl: no such file"


def test_when_errors_beyond_the_listed_ones_are_dropped_then_the_summary_counts_them_all() -> None:
    from counterpitch.batch.runner import _report_errors
    from counterpitch.batch.tasks import ShardResult

    seen: list[RecordError] = []
    _report_errors(ShardResult(None, [("a.jsonl", "line 1", "", "bad")], errors_dropped=7), seen.append)
    assert [e.count for e in seen] == [1, 7]
    assert sum(e.count for e in seen) == 8
    assert str(seen[-1]).startswith("7 more bad records")
