"""Inputs, by what the file is: `.csv` and `.xlsx`/`.xlsm` are asset registers (register.py), `.xml` is an nmap
scan (nmap.py); anything else is looked at: a file starting with `<` is taken for XML, else CSV. Every reader
yields Observations and RecordErrors (naming the file and the line) lazily, and never trusts its input."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from counterpitch.devices.model import Observation
from counterpitch.devices.readers.nmap import read_nmap
from counterpitch.devices.readers.register import ColumnMap, read_csv, read_xlsx
from counterpitch.ingest.records import RecordError

__all__ = ["ColumnMap", "is_scan", "read_input"]


def is_scan(path: str) -> bool:
    """Whether `path` holds a scan (read first: registers join to its hosts) rather than a register."""
    suffix = Path(path).suffix.lower()
    if suffix == ".xml":
        return True
    if suffix in (".csv", ".xlsx", ".xlsm", ".tsv"):
        return False
    try:
        with open(path, "rb") as f:
            return f.read(512).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")
    except OSError:
        return False


def read_input(path: str, columns: ColumnMap, site: str) -> Iterator[Observation | RecordError]:
    """The observations of one file; `site` is given to records that do not name one."""
    suffix = Path(path).suffix.lower()
    if is_scan(path):
        return read_nmap(path, site)
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path, columns, site)
    return read_csv(path, columns, site)
