"""The records the device audit passes along: what one input says about a device (Observation), what one clue
in it says about the maker (Clue), and the judgement on a device (Verdict). Frozen and plain, so they pickle
and serialise."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Basis = Literal["us_covered_list", "uk_prc_nil"]


@dataclass(frozen=True, slots=True)
class Service:
    """One open port of a scanned host, as nmap saw it."""

    proto: str
    port: int
    name: str = ""
    product: str = ""
    version: str = ""
    extrainfo: str = ""
    devicetype: str = ""
    cpes: tuple[str, ...] = ()
    scripts: tuple[tuple[str, str], ...] = ()  # (script id, output)


@dataclass(frozen=True, slots=True)
class Observation:
    """What one record of one input says about one device: a register row or a scanned host.

    `fields` holds the register's other columns by field name (manufacturer, brand, model, description, server,
    title, rtsp, snmp_oid, favicon, ports); a scan fills `services`, `os` and `scanner_vendor` instead.
    """

    source: str  # the file, as given
    where: str  # "line 12", "sheet Site A row 4", "host 3"
    kind: Literal["register", "scan"] = "register"
    asset: str = ""
    site: str = ""
    ip: str = ""
    mac: str = ""  # normalised, upper case with colons; "" when none was given
    fields: tuple[tuple[str, str], ...] = ()
    services: tuple[Service, ...] = ()
    os: tuple[tuple[str, str], ...] = ()  # (vendor or cpe, where it came from)
    scanner_vendor: str = ""

    def field(self, name: str) -> str:
        for key, value in self.fields:
            if key == name:
                return value
        return ""


@dataclass(frozen=True, slots=True)
class Clue:
    """One thing a device gave away about its maker, and where.

    `entity` is a maker or brand id from data/devices/makers.yaml, or `org:<name>` for a maker outside the
    tables (a registry organisation, a register's manufacturer column). `claim` marks what a register says (the
    name on the box) against what the device shows (its MAC, banners, model number).
    """

    kind: str
    value: str
    entity: str
    label: str
    weight: float
    source: str
    claim: bool = False


@dataclass(frozen=True, slots=True)
class Verdict:
    """The judgement on one device. `vendor` is the real maker (for a sub-brand or subsidiary, the parent on the
    lists); `brand` the name on the box when it differs; `conflict` says which clues disagree."""

    asset: str
    site: str
    ip: str
    mac: str
    vendor: str
    brand: str
    covered: bool
    basis: tuple[Basis, ...]
    confidence: float
    evidence: tuple[Clue, ...]
    conflict: str = ""
    note: str = ""
    sources: tuple[str, ...] = field(default=())
    #: Not flagged, but a person should look: a listed maker is among the clues (weak evidence for it, the losing
    #: side of a conflict, or the maker behind an OEM brand named alone).
    check: bool = False

    def to_json(self) -> dict[str, object]:
        return {
            "asset": self.asset,
            "site": self.site,
            "ip": self.ip,
            "mac": self.mac,
            "vendor": self.vendor,
            "brand": self.brand,
            "covered": self.covered,
            "check": self.check,
            "basis": list(self.basis),
            "confidence": self.confidence,
            "conflict": self.conflict or None,
            "note": self.note or None,
            "evidence": [
                {
                    "kind": c.kind,
                    "value": c.value,
                    "says": c.label,
                    "weight": c.weight,
                    "source": c.source,
                    "claim": c.claim,
                }
                for c in self.evidence
            ],
            "sources": list(self.sources),
        }
