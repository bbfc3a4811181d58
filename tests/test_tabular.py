"""Approaches from CSV: columns by name, errors by line and column, hostile cells read as text."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st

from counterpitch.ingest.records import RecordError
from counterpitch.ingest.tabular import read_csv
from counterpitch.model import Approach


def read(text: str) -> list[Approach | RecordError]:
    return list(read_csv(io.BytesIO(text.encode()), "reports.csv"))


def test_when_columns_come_in_any_order_and_case_then_they_map_by_name() -> None:
    (a,) = read(
        " Sender_Company ,TEXT,sender_name,sender_connections,id\nNorthgate Advisory,Hello there,Kim Park,42,r1\n"
    )
    assert isinstance(a, Approach)
    assert a.id == "r1" and a.text == "Hello there"
    assert a.sender is not None and a.sender.company == "Northgate Advisory" and a.sender.connections == 42


def test_when_a_row_is_bad_then_line_and_column_are_named_and_the_rest_is_read() -> None:
    out = read("id,text,sender_connections\nr1,fine,10\nr2,also fine,many\nr3,ok,\n")
    assert [type(x).__name__ for x in out] == ["Approach", "RecordError", "Approach"]
    err = out[1]
    assert isinstance(err, RecordError)
    assert (err.where, err.field) == ("line 3", "sender_connections")


def test_when_there_is_no_text_column_then_the_header_is_refused() -> None:
    (err,) = read("id,message\nr1,hi\n")
    assert isinstance(err, RecordError) and err.field == "text"


def test_when_a_cell_looks_like_a_formula_then_it_stays_text() -> None:
    (a,) = read('text,sender_name\n"=HYPERLINK(""http://x"",""y"")",@cmd\n')
    assert isinstance(a, Approach)
    assert a.text.startswith("=HYPERLINK") and a.sender is not None and a.sender.name == "@cmd"


def test_when_bytes_are_not_utf8_then_clear_error() -> None:
    out = list(read_csv(io.BytesIO(b"text\n\xff\xfe\n"), "r.csv"))
    assert isinstance(out[0], RecordError) and "UTF-8" in out[0].message


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=600))
def test_when_csv_text_is_arbitrary_then_reader_yields_records_or_errors(text: str) -> None:
    for item in read(text):
        assert isinstance(item, Approach | RecordError)
