"""The device audit as one generator: inputs in, one Verdict per device out, as they are decided.

Scans first (registers join to their hosts, merge.py), then each register row, then the scanned hosts no row
described. Bad records go to `on_error`, which may raise to stop the audit (the CLI's behaviour without
--keep-going) or return to go on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from counterpitch.devices.merge import ScanIndex
from counterpitch.devices.model import Verdict
from counterpitch.devices.readers import ColumnMap, is_scan, read_input
from counterpitch.devices.tables import Tables, default_tables
from counterpitch.devices.verdict import RowJudge, judge
from counterpitch.ingest.records import RecordError

OnError = Callable[[RecordError], None]


def _raise(error: RecordError) -> None:
    raise error


def audit_devices(
    paths: Sequence[str],
    *,
    columns: ColumnMap | None = None,
    site: str = "",
    tables: Tables | None = None,
    on_error: OnError = _raise,
) -> Iterator[Verdict]:
    t = tables or default_tables()
    cols = columns or ColumnMap.parse([])
    scans = [p for p in paths if is_scan(p)]
    index = ScanIndex()
    row_judge = RowJudge(t)
    for path in scans:
        for item in read_input(path, cols, site):
            if isinstance(item, RecordError):
                on_error(item)
            else:
                index.add(item)
    for path in paths:
        if path in scans:
            continue
        for item in read_input(path, cols, site):
            if isinstance(item, RecordError):
                on_error(item)
            else:
                scanned = index.claim(item)
                yield judge([item, *scanned], t) if scanned else row_judge(item)
    for device in index.unclaimed():
        yield judge(device, t)
