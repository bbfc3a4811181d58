"""nmap XML scans (`nmap -oX`, nmap.dtd), streamed host by host with defusedxml.

What is kept of a host: its IPv4/IPv6 and MAC addresses (the MAC's vendor attribute only as the scanner's
opinion: oui.py re-resolves it), its first hostname, each open port's service (name, product, version,
extrainfo, devicetype, CPEs) and script outputs (http-title, http-server-header, rtsp-methods, snmp-sysdescr,
ssl-cert ...), host scripts, and the OS guesses' vendors and CPEs. Hosts that are not up are skipped.

Hostile input: entity declarations are refused (billion laughs, external entities: defusedxml raises and the
file is named), a file over MAX_SCAN_BYTES is refused unread, text beyond MAX_TEXT_CHARS in one attribute or
script output is cut, and each host's element is cleared once read so memory stays flat.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Iterator
from typing import IO
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from counterpitch.devices.model import Observation, Service
from counterpitch.devices.oui import MacError, format_mac, parse_mac
from counterpitch.ingest.records import RecordError

#: A scan larger than this is refused: nmap writes about 2 KB a host with -sV, so this is ~250,000 hosts.
MAX_SCAN_BYTES = 512 * 1024 * 1024
#: Longer script output or attribute text is cut: banners are short; the limit bounds one host's cost.
MAX_TEXT_CHARS = 4096
_OPEN = ("open", "open|filtered")


class _Limited:
    """A binary stream that stops with an error past `limit` bytes (standard input has no size to check)."""

    def __init__(self, stream: IO[bytes], limit: int) -> None:
        self._stream, self._left = stream, limit

    def read(self, n: int = -1) -> bytes:
        data = self._stream.read(n if n >= 0 else self._left + 1)
        self._left -= len(data)
        if self._left < 0:
            raise _TooLarge
        return data


class _TooLarge(Exception):
    pass


def read_nmap(path: str, site: str = "") -> Iterator[Observation | RecordError]:
    """Each host that is up, as an Observation; a file that is not a readable nmap scan is one RecordError."""
    try:
        size = os.path.getsize(path)
    except OSError as exc:
        yield RecordError(path, "", "", f"cannot read: {exc.strerror}")
        return
    if size > MAX_SCAN_BYTES:
        yield RecordError(
            path,
            "",
            "",
            f"{size:,} bytes: larger than the {MAX_SCAN_BYTES // 2**20} MiB a scan may be; "
            "split the scan (nmap -oX per subnet)",
        )
        return
    with open(path, "rb") as raw:
        yield from _hosts(_Limited(raw, MAX_SCAN_BYTES), path, site)


def _hosts(stream: _Limited, source: str, site: str) -> Iterator[Observation | RecordError]:
    number = 0
    try:
        events = iterparse(
            stream, events=("start", "end"), forbid_dtd=False, forbid_entities=True, forbid_external=True
        )
        root: Element | None = None
        for event, elem in events:
            if root is None:
                root = elem
                if elem.tag != "nmaprun":
                    yield RecordError(
                        source, "", "", f"not an nmap XML scan (the root is <{elem.tag[:40]}>, not <nmaprun>)"
                    )
                    return
                continue
            if event == "end" and elem.tag == "host":
                number += 1
                found = _host(elem, source, f"host {number}", site)
                if found is not None:
                    yield found
                root.clear()  # drop the hosts read so far
    except DefusedXmlException as exc:
        yield RecordError(
            source,
            f"after host {number}" if number else "",
            "",
            f"refused: the XML declares entities or loads external ones ({type(exc).__name__}: {exc}); "
            "an nmap scan has none",
        )
    except ParseError as exc:
        line, col = exc.position
        yield RecordError(source, f"line {line}, column {col}", "", "malformed XML: " + str(exc).split(":")[0])
    except _TooLarge:
        yield RecordError(source, "", "", f"larger than the {MAX_SCAN_BYTES // 2**20} MiB a scan may be")
    except LookupError as exc:  # <?xml encoding="..."?> naming an encoding Python does not know
        yield RecordError(source, "line 1", "", f"malformed XML: {exc}")


def _cut(text: str | None) -> str:
    return (text or "")[:MAX_TEXT_CHARS]


def _host(host: Element, source: str, where: str, site: str) -> Observation | RecordError | None:
    status = host.find("status")
    if status is not None and status.get("state") not in (None, "up"):
        return None
    ip = mac = vendor = ""
    for addr in host.findall("address"):
        kind, value = addr.get("addrtype"), _cut(addr.get("addr"))
        try:
            if kind in ("ipv4", "ipv6") and not ip:
                ip = str(ipaddress.ip_address(value))
            elif kind == "mac":
                mac, vendor = format_mac(parse_mac(value)), _cut(addr.get("vendor"))
        except (ValueError, MacError):
            return RecordError(source, where, f"address[{kind}]", f"not an address: {value[:60]!r}")
    names = host.find("hostnames")
    hostname = ""
    if names is not None:
        first = names.find("hostname")
        hostname = _cut(first.get("name")) if first is not None else ""
    services = [s for s in (_service(p) for p in host.iterfind("ports/port")) if s is not None]
    host_scripts = tuple((_cut(s.get("id")), _cut(s.get("output"))) for s in host.iterfind("hostscript/script"))
    if host_scripts:
        services.append(Service("host", 0, scripts=host_scripts))
    os_seen = [(_cut(c.get("vendor")), "osclass") for c in host.iterfind("os/osmatch/osclass") if c.get("vendor")]
    os_seen += [(_cut(c.text), "osclass cpe") for c in host.iterfind("os/osmatch/osclass/cpe") if c.text]
    return Observation(
        source=source,
        where=f"{where} ({ip or mac or 'no address'})",
        kind="scan",
        asset=hostname,
        site=site,
        ip=ip,
        mac=mac,
        services=tuple(services),
        os=tuple(dict.fromkeys(os_seen)),
        scanner_vendor=vendor,
    )


def _service(port: Element) -> Service | None:
    state = port.find("state")
    if state is None or state.get("state") not in _OPEN:
        return None
    try:
        number = int(port.get("portid") or "")
    except ValueError:
        return None
    svc = port.find("service")
    scripts = tuple((_cut(s.get("id")), _cut(s.get("output"))) for s in port.iterfind("script"))
    if svc is None:
        return Service(_cut(port.get("protocol")), number, scripts=scripts)
    return Service(
        proto=_cut(port.get("protocol")),
        port=number,
        name=_cut(svc.get("name")),
        product=_cut(svc.get("product")),
        version=_cut(svc.get("version")),
        extrainfo=_cut(svc.get("extrainfo")),
        devicetype=_cut(svc.get("devicetype")),
        cpes=tuple(_cut(c.text) for c in svc.iterfind("cpe") if c.text),
        scripts=scripts,
    )
