"""An audit's devices as records the store keeps (store/devices.py): read back from what `devices audit` wrote
(JSONL, one verdict a line, or its JSON, `{"devices": [...]}`), or made by running the audit itself over asset
registers (.csv, .xlsx) and nmap XML scans.

Such a file may have been edited, or come from elsewhere: every field is checked and bounded, and a record that
fails names its file and line (`RecordError`), like the audit's own readers. Decision 0065.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from counterpitch.ingest.records import RecordError

BASES = ("us_covered_list", "uk_prc_nil")
#: How much of a device is kept: the columns' sizes (store/tables.Device) and at most this many clues.
LIMITS = {"site": 200, "asset": 255, "ip": 64, "mac": 32, "vendor": 255, "brand": 255}
MAX_CLUES = 64
MAX_CLUE_TEXT = 500
#: A JSONL line longer than this is refused rather than parsed (a verdict with 64 clues is a few kB).
MAX_LINE = 200_000
AUDIT_SUFFIXES = (".jsonl", ".json")
#: The site of a device whose input named none and for which no --site was given.
NO_SITE = "(no site)"

OnError = Callable[[RecordError], None]


@dataclass(frozen=True)
class DeviceRecord:
    """One device as the store keeps it; `evidence` holds the clues, conflict, note, check flag and sources."""

    site: str
    asset: str
    ip: str
    mac: str
    vendor: str
    brand: str
    covered: bool
    basis: tuple[str, ...]
    confidence: float
    evidence: Mapping[str, Any] = field(default_factory=dict)


def _text(obj: Mapping[str, Any], key: str, limit: int) -> str:
    value = obj.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{key}: expected text, got {type(value).__name__}")
    value = " ".join(value.split())
    if len(value) > limit:
        raise ValueError(f"{key}: longer than {limit} characters")
    return value


def _clue(item: Any, n: int) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise ValueError(f"evidence {n}: expected an object")
    out: dict[str, Any] = {}
    for key in ("kind", "value", "says", "source"):
        value = item.get(key, "")
        if not isinstance(value, str):
            raise ValueError(f"evidence {n}: {key}: expected text")
        out[key] = value[:MAX_CLUE_TEXT]
    weight = item.get("weight", 0.0)
    if isinstance(weight, bool) or not isinstance(weight, int | float):
        raise ValueError(f"evidence {n}: weight: expected a number")
    out["weight"] = float(weight)
    out["claim"] = bool(item.get("claim", False))
    return out


def record_of(obj: Any, default_site: str = "") -> DeviceRecord:
    """A verdict's JSON (devices.model.Verdict.to_json) as a record; ValueError names the field."""
    if not isinstance(obj, dict):
        raise ValueError("expected a JSON object (one device)")
    values = {key: _text(obj, key, limit) for key, limit in LIMITS.items()}
    values["site"] = values["site"] or " ".join(default_site.split())[: LIMITS["site"]] or NO_SITE
    if not (values["mac"] or values["ip"] or values["asset"]):
        raise ValueError("the device has no MAC, IP address or asset tag to know it by")
    covered = obj.get("covered")
    if not isinstance(covered, bool):
        raise ValueError("covered: expected true or false")
    basis = obj.get("basis") or []
    if not isinstance(basis, list) or any(b not in BASES for b in basis):
        raise ValueError(f"basis: expected a list of {', '.join(BASES)}")
    confidence = obj.get("confidence", 0.0)
    if isinstance(confidence, bool) or not isinstance(confidence, int | float) or not 0 <= confidence <= 1:
        raise ValueError("confidence: expected a number from 0 to 1")
    clues = obj.get("evidence") or []
    if not isinstance(clues, list):
        raise ValueError("evidence: expected a list")
    if len(clues) > MAX_CLUES:
        raise ValueError(f"evidence: more than {MAX_CLUES} clues")
    sources = obj.get("sources") or []
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        raise ValueError("sources: expected a list of text")
    evidence = {
        "clues": [_clue(c, n) for n, c in enumerate(clues, start=1)],
        "conflict": _text(obj, "conflict", MAX_CLUE_TEXT),
        "note": _text(obj, "note", MAX_CLUE_TEXT),
        "check": bool(obj.get("check", False)),
        "sources": [s[:MAX_CLUE_TEXT] for s in sources[:MAX_CLUES]],
    }
    return DeviceRecord(
        covered=covered,
        basis=tuple(b for b in BASES if b in basis),
        confidence=float(confidence),
        evidence=evidence,
        **values,
    )


def is_audit_output(path: str) -> bool:
    return Path(path).suffix.lower() in AUDIT_SUFFIXES


def _raise(error: RecordError) -> None:
    raise error


def read_records(paths: Sequence[str], *, site: str = "", on_error: OnError = _raise) -> Iterator[DeviceRecord]:
    """Every device of the files: audit outputs read back, registers and scans audited together (as one
    `devices audit` run over them would). `site` names the site of records that name none."""
    audited = [p for p in paths if not is_audit_output(p)]
    for path in paths:
        if is_audit_output(path):
            yield from _read_output(path, site, on_error)
    if audited:
        from counterpitch.devices.run import audit_devices

        for verdict in audit_devices(audited, site=site, on_error=on_error):
            yield record_of(verdict.to_json(), site)


def _read_output(path: str, site: str, on_error: OnError) -> Iterator[DeviceRecord]:
    try:
        with open(path, encoding="utf-8") as f:
            if Path(path).suffix.lower() == ".json":
                yield from _read_json(f.read(), path, site, on_error)
                return
            for n, line in enumerate(f, start=1):
                if not line.strip():
                    continue
                if len(line) > MAX_LINE:
                    on_error(RecordError(path, f"line {n}", "", f"line longer than {MAX_LINE} characters"))
                    continue
                try:
                    yield record_of(json.loads(line), site)
                except ValueError as exc:
                    on_error(RecordError(path, f"line {n}", "", str(exc)))
    except UnicodeDecodeError:
        on_error(RecordError(path, "", "", "not UTF-8 text (an audit's JSONL or JSON is)"))
    except OSError as exc:
        on_error(RecordError(path, "", "", f"cannot read: {exc.strerror or exc}"))


def _read_json(text: str, path: str, site: str, on_error: OnError) -> Iterator[DeviceRecord]:
    try:
        doc = json.loads(text)
    except ValueError as exc:
        on_error(RecordError(path, "", "", f"not valid JSON: {exc}"))
        return
    devices = doc.get("devices") if isinstance(doc, dict) else None
    if not isinstance(devices, list):
        on_error(RecordError(path, "", "", 'expected {"devices": [...]}, as `devices audit -f json` writes'))
        return
    for n, item in enumerate(devices, start=1):
        try:
            yield record_of(item, site)
        except ValueError as exc:
            on_error(RecordError(path, f"device {n}", "", str(exc)))
