"""Asset registers: one device a row, in CSV or XLSX, columns found by name.

Facilities teams keep registers in every shape, so columns are matched by name (case, spaces, hyphens and dots
ignored) against the aliases below, and `--map COLUMN=FIELD` names the rest. Unknown columns are ignored. The
fields:

    asset         asset, asset_id, asset_tag, asset_name, asset_number, tag, name, hostname, host_name, device,
                  device_name, device_id
    site          site, location, building, campus, site_name, facility
    ip            ip, ip_address, ip_addr, ipv4, ipv4_address, ipv6, address
    mac           mac, mac_address, mac_addr, hw_address, hardware_address, physical_address, ethernet
    manufacturer  manufacturer, make, vendor, maker, manufacturer_name, oem
    brand         brand
    model         model, model_number, model_no, model_name, device_model, hardware_model, product, part_number
    description   description, desc, type, category, device_type, asset_type, notes
    server        server, http_server, server_header     (an HTTP Server header)
    title         title, http_title, page_title          (a web page title or redirect)
    rtsp          rtsp, rtsp_server, rtsp_realm          (an RTSP reply's realm or server)
    snmp_oid      snmp_oid, sysobjectid, sys_object_id, oid, snmp_sysobjectid
    favicon       favicon, favicon_hash, http_favicon_hash   (mmh3, Shodan style)
    ports         ports, open_ports                      ("80/tcp, 37777", any separators)

Both readers stream: CSV a row at a time, XLSX through openpyxl's read-only mode (rows parsed as they are
read, never the whole sheet; its XML through defusedxml). A row is refused, with the file, the line (or sheet
and row) and the column named, when the CSV is malformed there, it has more cells than the header, a cell is
longer than MAX_CELL_CHARS, or its MAC or IP is not one. Blank rows are skipped.
"""

from __future__ import annotations

import csv
import io
import ipaddress
import os
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from counterpitch.devices.model import Observation
from counterpitch.devices.oui import MacError, format_mac, parse_mac
from counterpitch.ingest.records import RecordError

#: A cell longer than this is refused: no register field is; the limit bounds what one row can cost.
MAX_CELL_CHARS = 4096
#: An XLSX larger than this is refused unread, and so is one whose parts would unpack to more than
#: MAX_XLSX_UNPACKED (a zip bomb): a million-row register is about 40 MB packed.
MAX_XLSX_BYTES = 256 * 1024 * 1024
MAX_XLSX_UNPACKED = 2 * 1024 * 1024 * 1024

FIELDS = (
    "asset",
    "site",
    "ip",
    "mac",
    "manufacturer",
    "brand",
    "model",
    "description",
    "server",
    "title",
    "rtsp",
    "snmp_oid",
    "favicon",
    "ports",
)
_ALIASES = {
    "asset": (
        "asset_id",
        "asset_tag",
        "asset_name",
        "asset_number",
        "tag",
        "name",
        "hostname",
        "host_name",
        "device",
        "device_name",
        "device_id",
    ),
    "site": ("location", "building", "campus", "site_name", "facility"),
    "ip": ("ip_address", "ip_addr", "ipv4", "ipv4_address", "ipv6", "address"),
    "mac": ("mac_address", "mac_addr", "hw_address", "hardware_address", "physical_address", "ethernet"),
    "manufacturer": ("make", "vendor", "maker", "manufacturer_name", "oem"),
    "model": ("model_number", "model_no", "model_name", "device_model", "hardware_model", "product", "part_number"),
    "description": ("desc", "type", "category", "device_type", "asset_type", "notes"),
    "server": ("http_server", "server_header"),
    "title": ("http_title", "page_title"),
    "rtsp": ("rtsp_server", "rtsp_realm"),
    "snmp_oid": ("sysobjectid", "sys_object_id", "oid", "snmp_sysobjectid"),
    "favicon": ("favicon_hash", "http_favicon_hash"),
    "ports": ("open_ports",),
}
_TEXT_FIELDS = tuple(f for f in FIELDS if f not in ("asset", "site", "ip", "mac"))


def column_key(name: str) -> str:
    """A header as the mapping compares it: lower case, spaces, hyphens and dots as underscores."""
    return "_".join(name.strip().lower().replace("-", " ").replace(".", " ").split())


@dataclass(frozen=True)
class ColumnMap:
    """Header name (as column_key makes it) -> field."""

    mapping: Mapping[str, str]

    @classmethod
    def parse(cls, items: Iterable[str]) -> ColumnMap:
        """The default aliases with `COLUMN=FIELD` pairs over them; ValueError names a bad pair."""
        mapping = {f: f for f in FIELDS} | {a: f for f, aliases in _ALIASES.items() for a in aliases}
        for item in items:
            column, sep, target = item.partition("=")
            target = target.strip().lower()
            if not sep or not column.strip():
                raise ValueError(f"--map {item!r}: expected COLUMN=FIELD")
            if target not in FIELDS:
                raise ValueError(f"--map {item!r}: {target!r} is not a field; fields: {', '.join(FIELDS)}")
            mapping[column_key(column)] = target
        return cls(mapping)

    def fields_of(self, header: Sequence[str]) -> list[str | None]:
        """The field of each header cell (None: ignored); the first column for a field wins."""
        seen: set[str] = set()
        out: list[str | None] = []
        for h in header:
            f = self.mapping.get(column_key(h))
            out.append(f if f is not None and f not in seen else None)
            if f is not None:
                seen.add(f)
        return out


def _observation(
    cells: Sequence[str], fields: Sequence[str | None], source: str, where: str, site: str
) -> Observation | RecordError | None:
    """One row as an Observation, the error that refuses it, or None for a blank row."""
    if len(cells) > len(fields) and any(c.strip() for c in cells[len(fields) :]):
        return RecordError(source, where, "", f"{len(cells)} cells, but the header has {len(fields)} columns")
    values: dict[str, str] = {}
    for f, cell in zip(fields, cells, strict=False):
        if f is None:
            continue
        if len(cell) > MAX_CELL_CHARS:
            return RecordError(source, where, f, f"a cell longer than {MAX_CELL_CHARS:,} characters")
        cell = cell.strip()
        if cell:
            values[f] = cell
    if not values:
        return None
    mac = values.get("mac", "")
    if mac:
        try:
            mac = format_mac(parse_mac(mac))
        except MacError as exc:
            return RecordError(source, where, "mac", str(exc))
    ip = values.get("ip", "")
    if ip and not _plain_ipv4(ip):
        try:
            ip = str(ipaddress.ip_address(ip))
        except ValueError:
            return RecordError(source, where, "ip", f"not an IP address: {ip[:60]!r}")
    return Observation(
        source=source,
        where=where,
        asset=values.get("asset", ""),
        site=values.get("site", site),
        ip=ip,
        mac=mac,
        fields=tuple((f, values[f]) for f in _TEXT_FIELDS if f in values),
    )


_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_IPV4 = re.compile(rf"{_OCTET}(?:\.{_OCTET}){{3}}")


def _plain_ipv4(text: str) -> bool:
    """An IPv4 address as registers write it, checked without ipaddress (a million rows: 4 s against 0.4 s)."""
    return _IPV4.fullmatch(text) is not None


def _header_error(fields: Sequence[str | None], source: str, where: str) -> RecordError | None:
    known = {f for f in fields if f}
    if not known & {"mac", "ip", "manufacturer", "brand", "model", "description", "server", "snmp_oid"}:
        return RecordError(
            source,
            where,
            "",
            "the header names no column the audit can use (mac, ip, manufacturer, model, ...); "
            "--map COLUMN=FIELD names them",
        )
    return None


def read_csv(path: str, columns: ColumnMap, site: str = "") -> Iterator[Observation | RecordError]:
    """Each row of a CSV register as it is read. A malformed row is reported and reading goes on at the next
    line; text that is not UTF-8 ends the file (its line is named)."""
    try:
        raw = open(path, "rb")  # noqa: SIM115 - closed in the finally below, after the generator is done
    except OSError as exc:
        yield RecordError(path, "", "", f"cannot read: {exc.strerror}")
        return
    text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
    try:
        yield from _csv_rows(text, path, columns, site)
    except UnicodeDecodeError:
        yield RecordError(path, "", "", "not valid UTF-8 (after the last row read); save the register as UTF-8 CSV")
    finally:
        text.close()


def _csv_rows(
    text: io.TextIOWrapper, source: str, columns: ColumnMap, site: str
) -> Iterator[Observation | RecordError]:
    csv.field_size_limit(MAX_CELL_CHARS * 4)  # process-wide; a longer cell is one refused row, not the file's end
    sample = text.read(4096)
    text.seek(0)
    delimiter = ";" if sample.count(";") > sample.count(",") and "\t" not in sample else ","
    if sample.count("\t") > sample.count(delimiter):
        delimiter = "\t"
    reader = csv.reader(text, delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        yield RecordError(source, "line 1", "", "empty file: expected a header row")
        return
    except csv.Error as exc:
        yield RecordError(source, "line 1", "", f"malformed CSV header: {exc}")
        return
    fields = columns.fields_of(header)
    bad = _header_error(fields, source, "line 1")
    if bad is not None:
        yield bad
        return
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield RecordError(source, f"line {start}", "", f"malformed CSV: {exc}")
            continue
        where = f"line {start}" if reader.line_num == start else f"lines {start}-{reader.line_num}"
        found = _observation(row, fields, source, where, site)
        if found is not None:
            yield found


def read_xlsx(path: str, columns: ColumnMap, site: str = "") -> Iterator[Observation | RecordError]:
    """Each row of every sheet whose header names a usable column, streamed (openpyxl read-only)."""
    refused = _xlsx_refused(path)
    if refused:
        yield RecordError(path, "", "", refused)
        return
    import openpyxl
    from openpyxl import DEFUSEDXML

    if not DEFUSEDXML:  # OPENPYXL_DEFUSEDXML=False in the environment: its XML would be parsed unguarded
        yield RecordError(path, "", "", "openpyxl is not using defusedxml (OPENPYXL_DEFUSEDXML); refused")
        return
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file: one line, the file named
        yield RecordError(path, "", "", f"not a readable XLSX workbook: {_why(exc)}")
        return
    try:
        used = False
        for sheet in book.worksheets:
            for item in _sheet_rows(sheet, path, columns, site):
                if item is True:
                    used = True
                elif isinstance(item, (Observation, RecordError)):
                    yield item
        if not used:
            yield RecordError(path, "", "", "no sheet has a header naming a column the audit can use; --map names them")
    except Exception as exc:  # a damaged sheet part (bad XML, entities refused by defusedxml)
        yield RecordError(path, "", "", f"unreadable sheet: {_why(exc)}")
    finally:
        book.close()


def _sheet_rows(
    sheet: object, source: str, columns: ColumnMap, site: str
) -> Iterator[Observation | RecordError | bool]:
    rows = sheet.iter_rows(values_only=True)  # type: ignore[attr-defined]
    title = str(getattr(sheet, "title", ""))
    fields: list[str | None] | None = None
    for number, row in enumerate(rows, start=1):
        cells = ["" if v is None else _cell_text(v) for v in row]
        if fields is None:
            if not any(cells):
                continue
            fields = columns.fields_of(cells)
            if _header_error(fields, source, "") is not None:
                return  # a notes or totals sheet: not a register
            yield True
            continue
        found = _observation(cells, fields, f"{source}", f"sheet {title!r} row {number}", site)
        if found is not None:
            yield found


def _why(exc: BaseException) -> str:
    """What openpyxl's error was about, on one line: the XML entities refused, or the first cause's words."""
    from defusedxml import DefusedXmlException

    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, DefusedXmlException):
            return f"refused: its XML declares entities or loads external ones ({type(cause).__name__})"
        cause = cause.__cause__ or cause.__context__
    first = (str(exc).splitlines() or [""])[0]
    return f"{type(exc).__name__}: {first[:200]}"


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_refused(path: str) -> str:
    """Why an XLSX is refused before openpyxl opens it, or ""."""
    try:
        size = os.path.getsize(path)
    except OSError as exc:
        return f"cannot read: {exc.strerror}"
    if size > MAX_XLSX_BYTES:
        return f"{size:,} bytes: larger than the {MAX_XLSX_BYTES // 2**20} MiB an XLSX may be; save it as CSV"
    try:
        with zipfile.ZipFile(path) as z:
            unpacked = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        return f"not an XLSX workbook (not a zip file: {exc})"
    if unpacked > MAX_XLSX_UNPACKED:
        return f"its parts unpack to {unpacked:,} bytes, more than {MAX_XLSX_UNPACKED // 2**30} GiB (a zip bomb?)"
    return ""
