"""Device removal tracking: imported audits become device records with a status (found, scheduled, removed,
exempted), each site a removal deadline; every change is kept in the device's history and the audit log.

A device is matched across imports within its site by MAC, else by IP address, else by asset tag, so a scan that
adds a MAC to a register's row updates that row instead of adding a second one. A match by IP or asset tag never
joins two different MACs: an address reused by another device is another device. Imports of one site run one at
a time (an advisory lock on PostgreSQL; SQLite serialises writers), so two at once cannot add a device twice.
Decision 0065.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from counterpitch.devices.imported import DeviceRecord
from counterpitch.store import audit
from counterpitch.store.alert_limits import lock
from counterpitch.store.tables import DEVICE_STATUSES, Device, DeviceSite, DeviceStatusChange, User, utcnow

MAX_REASON = 2_000
#: Devices shown a page at a time.
PAGE = 100


class DeviceError(ValueError):
    """A change refused: an unknown status, an exemption without a reason."""


@dataclass
class ImportResult:
    """What one import did: devices added, updated and seen again; the covered ones that came back after being
    marked removed, and the covered ones new to a site that had been imported before (the alerts' subjects)."""

    added: int = 0
    updated: int = 0
    sites: set[str] = field(default_factory=set)
    returned: list[int] = field(default_factory=list)
    new_covered: list[int] = field(default_factory=list)
    #: Alerts the import raised (set by web/alerting.import_devices).
    alerts: int = 0

    def to_json(self) -> dict[str, object]:
        return {
            "added": self.added,
            "updated": self.updated,
            "sites": sorted(self.sites),
            "returned": list(self.returned),
            "new_covered": list(self.new_covered),
            "alerts": self.alerts,
        }


def _site(session: Session, name: str, cache: dict[str, DeviceSite]) -> DeviceSite:
    if name in cache:
        return cache[name]
    lock(session, f"device-site:{name}")
    row = session.scalar(select(DeviceSite).where(DeviceSite.name == name))
    if row is None:
        row = DeviceSite(name=name, imports=0)
        session.add(row)
        session.flush()
    cache[name] = row
    return row


def _match(session: Session, site_id: int, rec: DeviceRecord) -> Device | None:
    """The stored device this record describes: by MAC, else IP, else asset tag (never across two MACs)."""
    here = select(Device).where(Device.site_id == site_id).order_by(Device.id)
    if rec.mac:
        found = session.scalar(here.where(Device.mac == rec.mac).limit(1))
        if found is not None:
            return found
    no_other_mac = Device.mac.in_(("", rec.mac)) if rec.mac else Device.id.isnot(None)
    if rec.ip:
        found = session.scalar(here.where(Device.ip == rec.ip, no_other_mac).limit(1))
        if found is not None:
            return found
    if rec.asset:
        return session.scalar(here.where(Device.asset == rec.asset, no_other_mac).limit(1))
    return None


def _evidence(rec: DeviceRecord) -> str:
    return json.dumps(dict(rec.evidence), ensure_ascii=False, sort_keys=True)


def _change(
    session: Session, device: Device, new: str, actor_id: int | None, reason: str | None, now: datetime
) -> None:
    """Move the device to `new`, in its history and the audit log (the caller's transaction)."""
    old = device.status if device.id is not None else None
    device.status, device.status_by, device.status_at, device.status_reason = new, actor_id, now, reason
    session.flush()
    session.add(
        DeviceStatusChange(
            device_id=device.id, at=now, actor_id=actor_id, old_status=old, new_status=new, reason=reason
        )
    )
    audit.record(
        session,
        actor_id=actor_id,
        action="device.status",
        object_type="device",
        object_id=device.id,
        detail={"from": old, "to": new, "reason": reason},
    )


def import_records(
    session: Session, records: Iterable[DeviceRecord], *, actor_id: int | None, source: str
) -> ImportResult:
    """Add or update every device of an imported audit, in the caller's transaction (one audit row per site and
    per status change). A device marked removed that is seen again goes back to `found`, its history kept."""
    now = utcnow()
    result = ImportResult()
    cache: dict[str, DeviceSite] = {}
    seen_before: dict[str, bool] = {}
    counts: Counter[str] = Counter()
    for rec in records:
        site = _site(session, rec.site, cache)
        seen_before.setdefault(rec.site, site.imports > 0)
        device = _match(session, site.id, rec)
        values = {
            "asset": rec.asset,
            "ip": rec.ip,
            "mac": rec.mac,
            "vendor": rec.vendor,
            "brand": rec.brand,
            "covered": rec.covered,
            "basis": ";".join(rec.basis),
            "evidence_json": _evidence(rec),
            "confidence": rec.confidence,
        }
        if device is None:
            device = Device(site_id=site.id, first_seen=now, last_seen=now, **values)
            session.add(device)
            _change(session, device, "found", actor_id, f"imported from {source}"[:MAX_REASON], now)
            result.added += 1
            counts[rec.site] += 1
            if rec.covered and seen_before[rec.site]:
                result.new_covered.append(device.id)
            continue
        for key, value in values.items():
            if key in ("asset", "ip", "mac") and not value:
                continue  # a scan without the asset tag does not erase the register's
            setattr(device, key, value)
        device.last_seen = now
        result.updated += 1
        counts[rec.site] += 1
        if device.status == "removed":
            why = f"seen again in {source} after it was marked removed"[:MAX_REASON]
            _change(session, device, "found", actor_id, why, now)
            if device.covered:
                result.returned.append(device.id)
    for name, site in cache.items():
        site.imports += 1
        audit.record(
            session,
            actor_id=actor_id,
            action="device.import",
            object_type="device_site",
            object_id=site.id,
            detail={"site": name, "source": source[:500], "devices": counts[name]},
        )
    result.sites = set(cache)
    session.flush()
    return result


def set_status(session: Session, actor_id: int | None, device_id: int, status: str, reason: str) -> Device | None:
    """None when there is no such device; DeviceError for an unknown status or an exemption without a reason."""
    if status not in DEVICE_STATUSES:
        raise DeviceError(f"status: must be one of {', '.join(DEVICE_STATUSES)}")
    reason = " ".join(reason.split())[:MAX_REASON]
    if status == "exempted" and not reason:
        raise DeviceError("reason: an exemption needs a reason (who allowed it, and why)")
    device = session.get(Device, device_id)
    if device is None:
        return None
    _change(session, device, status, actor_id, reason or None, utcnow())
    return device


def set_deadline(session: Session, actor_id: int, site_id: int, deadline: date | None) -> DeviceSite | None:
    site = session.get(DeviceSite, site_id)
    if site is None:
        return None
    old = site.deadline
    site.deadline, site.deadline_by, site.deadline_at = deadline, actor_id, utcnow()
    audit.record(
        session,
        actor_id=actor_id,
        action="device_site.deadline",
        object_type="device_site",
        object_id=site.id,
        detail={"site": site.name, "from": old, "to": deadline},
    )
    return site


@dataclass(frozen=True)
class SiteRow:
    id: int
    name: str
    deadline: date | None
    deadline_by: str | None
    devices: int
    covered: int
    #: Covered devices by status (found, scheduled, removed, exempted).
    by_status: dict[str, int]

    @property
    def outstanding(self) -> int:
        """Covered devices still there: found or scheduled."""
        return self.by_status.get("found", 0) + self.by_status.get("scheduled", 0)


def sites(session: Session) -> list[SiteRow]:
    counts: dict[int, Counter[str]] = {}
    query = select(Device.site_id, Device.covered, Device.status, func.count()).group_by(
        Device.site_id, Device.covered, Device.status
    )
    for site_id, covered, status, n in session.execute(query):
        c = counts.setdefault(site_id, Counter())
        c["devices"] += n
        if covered:
            c["covered"] += n
            c[status] += n
    rows = session.execute(select(DeviceSite, User.name).outerjoin(User, User.id == DeviceSite.deadline_by))
    out = []
    for site, who in rows:
        c = counts.get(site.id, Counter())
        by_status = {s: c[s] for s in DEVICE_STATUSES}
        out.append(SiteRow(site.id, site.name, site.deadline, who, c["devices"], c["covered"], by_status))
    return sorted(out, key=lambda s: s.name)


@dataclass(frozen=True)
class HistoryRow:
    at: datetime
    actor: str | None
    old_status: str | None
    new_status: str
    reason: str | None


@dataclass(frozen=True)
class DeviceRow:
    id: int
    site: str
    asset: str
    ip: str
    mac: str
    vendor: str
    brand: str
    covered: bool
    basis: tuple[str, ...]
    confidence: float
    evidence: dict[str, Any]
    status: str
    status_by: str | None
    status_at: datetime
    status_reason: str | None
    last_seen: datetime
    history: tuple[HistoryRow, ...] = ()


@dataclass(frozen=True)
class DeviceFilter:
    site_id: int | None = None
    status: str | None = None
    covered_only: bool = True
    page: int = 1


def listing(session: Session, f: DeviceFilter) -> tuple[list[DeviceRow], int]:
    """A page of devices (covered first, then by site and address) with their histories, and how many match."""
    where = []
    if f.site_id is not None:
        where.append(Device.site_id == f.site_id)
    if f.status in DEVICE_STATUSES:
        where.append(Device.status == f.status)
    if f.covered_only:
        where.append(Device.covered.is_(True))
    total = int(session.scalar(select(func.count()).select_from(Device).where(*where)) or 0)
    query = (
        select(Device, DeviceSite.name, User.name)
        .join(DeviceSite, DeviceSite.id == Device.site_id)
        .outerjoin(User, User.id == Device.status_by)
        .where(*where)
        .order_by(Device.covered.desc(), DeviceSite.name, Device.ip, Device.mac, Device.asset, Device.id)
        .limit(PAGE)
        .offset((max(1, f.page) - 1) * PAGE)
    )
    found = list(session.execute(query))
    history = _histories(session, [d.id for d, _, _ in found])
    rows = [
        DeviceRow(
            d.id,
            site,
            d.asset,
            d.ip,
            d.mac,
            d.vendor,
            d.brand,
            d.covered,
            tuple(b for b in d.basis.split(";") if b),
            d.confidence,
            _loads(d.evidence_json),
            d.status,
            who,
            d.status_at,
            d.status_reason,
            d.last_seen,
            tuple(history.get(d.id, ())),
        )
        for d, site, who in found
    ]
    return rows, total


def _histories(session: Session, ids: list[int]) -> dict[int, list[HistoryRow]]:
    out: dict[int, list[HistoryRow]] = {}
    if not ids:
        return out
    query = (
        select(DeviceStatusChange, User.name)
        .outerjoin(User, User.id == DeviceStatusChange.actor_id)
        .where(DeviceStatusChange.device_id.in_(ids))
        .order_by(DeviceStatusChange.id)
    )
    for ch, who in session.execute(query):
        out.setdefault(ch.device_id, []).append(HistoryRow(ch.at, who, ch.old_status, ch.new_status, ch.reason))
    return out


def _loads(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def device_facts(session: Session, device_id: int) -> dict[str, Any] | None:
    """What an alert about the device says: where it is, what it is, why it is covered."""
    row = session.execute(
        select(Device, DeviceSite.name).join(DeviceSite, DeviceSite.id == Device.site_id).where(Device.id == device_id)
    ).first()
    if row is None:
        return None
    d, site = row
    evidence = _loads(d.evidence_json)
    clues = evidence.get("clues") or []
    return {
        "device_id": d.id,
        "site": site,
        "asset": d.asset,
        "ip": d.ip,
        "mac": d.mac,
        "vendor": d.vendor,
        "brand": d.brand,
        "basis": [b for b in d.basis.split(";") if b],
        "confidence": round(d.confidence, 3),
        "status": d.status,
        "evidence": [f"{c.get('kind', '')} {c.get('value', '')} -> {c.get('says', '')}" for c in clues[:12]],
    }
