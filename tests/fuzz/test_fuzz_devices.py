"""The device audit's readers under hypothesis: asset registers (CSV) with mutated cells and framing, and nmap
XML with mutated bytes. Each item read is an Observation or a RecordError naming the file; nothing else escapes,
and the verdict is reached for every observation."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counterpitch.devices.model import Observation
from counterpitch.devices.readers import ColumnMap, read_input
from counterpitch.devices.readers.register import FIELDS
from counterpitch.devices.tables import default_tables
from counterpitch.devices.verdict import judge
from counterpitch.ingest.records import RecordError
from tests.devices.constructed import scan_xml
from tests.fuzz import strategies as fs

FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_MACS = st.sampled_from(["44:19:B6:12:34:56", "4419.b612.3456", "00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff", "zz", ""])
_CELLS = st.one_of(fs.CELLS, _MACS, st.sampled_from(["10.0.0.1", "::1", "DS-2CD2143G2-I", "1.3.6.1.4.1.39165"]))


def _read(name: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        for item in read_input(str(path), ColumnMap.parse([]), ""):
            if isinstance(item, RecordError):
                assert str(item).startswith(str(path)), item
            else:
                assert isinstance(item, Observation)
                judge([item], default_tables())


@FUZZ
@given(
    st.lists(st.sampled_from([*FIELDS, "MAC Address", "Asset Tag", "other"]), min_size=1, max_size=10),
    st.lists(st.lists(_CELLS, max_size=12), max_size=6),
    st.sampled_from([",", ";", "\t"]),
    fs.MUTATIONS,
)
def test_when_register_cells_are_mutated_then_devices_or_named_errors(
    header: list[str], rows: list[list[str]], delimiter: str, edits: list
) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    _read("assets.csv", fs.mutate(buf.getvalue().encode("utf-8", "surrogatepass"), edits))


@FUZZ
@given(fs.MUTATIONS)
def test_when_an_nmap_scan_is_mutated_then_hosts_or_named_errors(edits: list) -> None:
    _read("scan.xml", fs.mutate(scan_xml().encode(), edits))
