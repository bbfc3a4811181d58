"""A share set as MISP events (PyMISP), and a MISP feed folder a MISP instance can subscribe to.

One event holds the campaigns given: a `user-account` object per persona (display-name, the profile `link`,
its e-mail addresses, account-type `linkedin`), a `user-account` object per messenger id or number
(account-type = the app, username = the id), `domain` and `email-src` attributes for the rest; the TLP tag and
a `misp-galaxy:mitre-attack-pattern` tag per ATT&CK technique seen. Attribute uuids are the STIX indicators'
UUIDv5s, so the two formats name one indicator alike. A feed (`write_feed`) is one event per campaign beside
`manifest.json` and `hashes.csv`, as PyMISP's feed generator writes them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pymisp import MISPEvent, MISPObject, MISPOrganisation

from counterpitch.share.collect import SharedCampaign, SharedIndicator, SharedPersona, ShareSet, StaffGuard
from counterpitch.share.vocab import Tlp, det_uuid, misp_galaxy_tag

_ATTRIBUTE = {"url": "link", "email": "email-src", "domain": "domain"}


def _utc(value: datetime | None) -> datetime:
    if value is None:
        return datetime.now(UTC)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _handle_object(ind: SharedIndicator) -> MISPObject:
    obj = MISPObject("user-account", standalone=False)
    obj.uuid = det_uuid("misp-object", ind.key)
    obj.comment = f"{ind.kind} id of a persona, seen in {ind.seen.count} report(s)"
    obj.add_attribute("account-type", value=ind.kind, uuid=det_uuid(obj.uuid, "type"), disable_correlation=True)
    obj.add_attribute("username", value=ind.value, uuid=det_uuid("indicator", ind.key), to_ids=True)
    obj.first_seen, obj.last_seen = _utc(ind.seen.first), _utc(ind.seen.last)
    return obj


class _Event:
    def __init__(self, share: ShareSet, level: Tlp, campaigns: Sequence[SharedCampaign]) -> None:
        self.share = share
        self.placed: set[str] = set()
        self.event = MISPEvent()
        first = min((_utc(c.seen.first) for c in campaigns), default=_utc(None))
        last = max((_utc(c.seen.last) for c in campaigns), default=_utc(None))
        reports = sum(c.seen.count for c in campaigns)
        self.event.uuid = det_uuid("misp-event", share.organisation.casefold(), *sorted(c.key for c in campaigns))
        self.event.info = (
            f"Professional-network approaches {first:%Y-%m-%d} to {last:%Y-%m-%d}: {len(campaigns)} campaign(s), "
            f"{reports} report(s), shared by {share.organisation}"
        )
        sectors: dict[str, set[str]] = {}
        for c in campaigns:
            for sector, who in c.sectors.items():
                sectors.setdefault(sector, set()).update(who)
        if sectors:
            self.event.info += "; approached: " + ", ".join(f"{len(w)} in {s}" for s, w in sorted(sectors.items()))
        self.event.set_date(last.date())
        self.event.threat_level_id = 2
        self.event.analysis = 1
        self.event.timestamp = last
        org = MISPOrganisation()
        org.from_dict(name=share.organisation, uuid=det_uuid("organisation", share.organisation.casefold()))
        self.event.Orgc = org
        self.event.add_tag(level.misp_tag)
        for t in dict.fromkeys(t for c in campaigns for t in c.attack):
            tag = misp_galaxy_tag(t)
            if tag:
                self.event.add_tag(tag)
        for c in campaigns:
            for k in c.personas:
                self._persona(self.share.personas[k])
            for k in c.indicators:
                self._loose(self.share.indicators[k])

    def _persona(self, p: SharedPersona) -> None:
        if p.key in self.placed:
            return
        self.placed.add(p.key)
        obj = MISPObject("user-account", standalone=False, strict=False)
        obj.uuid = det_uuid("persona", p.key)
        presented = p.presented
        obj.comment = "Persona that approached staff" + (f", presented as {presented!r}" if presented else "")
        obj.add_attribute("account-type", value="linkedin", uuid=det_uuid(obj.uuid, "type"), disable_correlation=True)
        if p.name:
            obj.add_attribute("display-name", value=p.name, uuid=det_uuid(obj.uuid, "name"))
        handles: list[MISPObject] = []
        for k in p.indicators:
            ind = self.share.indicators[k]
            if k in self.placed:
                continue
            self.placed.add(k)
            uuid = det_uuid("indicator", k)
            if ind.family == "url":
                obj.add_attribute("link", value="https://www." + ind.value, uuid=uuid, to_ids=True)
            elif ind.family == "email":
                obj.add_attribute("email", value=ind.value, uuid=uuid, to_ids=True)
            elif ind.family == "domain":
                self.event.add_attribute("domain", ind.value, uuid=uuid, to_ids=True, comment="persona's mail domain")
            else:
                handles.append(_handle_object(ind))
        obj.first_seen, obj.last_seen = _utc(p.seen.first), _utc(p.seen.last)
        for h in handles:
            obj.add_reference(h.uuid, "related-to", uuid=det_uuid(obj.uuid, "related-to", h.uuid))
            self.event.add_object(h)
        self.event.add_object(obj)

    def _loose(self, ind: SharedIndicator) -> None:
        if ind.key in self.placed:
            return
        self.placed.add(ind.key)
        uuid = det_uuid("indicator", ind.key)
        kind = _ATTRIBUTE.get(ind.family)
        if kind is None:
            self.event.add_object(_handle_object(ind))
            return
        value = "https://www." + ind.value if ind.family == "url" else ind.value
        self.event.add_attribute(kind, value, uuid=uuid, to_ids=True, comment=f"seen in {ind.seen.count} report(s)")


def event(share: ShareSet, level: Tlp, campaigns: Sequence[SharedCampaign] | None = None) -> MISPEvent:
    """One MISP event of `campaigns` (default: all of the share set)."""
    return _Event(share, level, share.campaigns if campaigns is None else campaigns).event


def serialise(share: ShareSet, level: Tlp, guard: StaffGuard) -> str:
    """The event as MISP's JSON ({"Event": ...}), after the staff guard has read it."""
    text = json.dumps({"Event": json.loads(event(share, level).to_json())}, indent=2, ensure_ascii=False)
    guard.check(text, "MISP event")
    return text


def write_feed(share: ShareSet, level: Tlp, guard: StaffGuard, folder: Path) -> list[Path]:
    """A MISP feed: one event per campaign (<uuid>.json), manifest.json and hashes.csv. Returns the event files.

    Everything is checked before anything is written, so a refused export leaves the folder as it was."""
    docs: list[tuple[str, str, dict[str, Any], list[str]]] = []
    for c in share.campaigns:
        ev = event(share, level, [c])
        feed = ev.to_feed(with_meta=True)["Event"]
        manifest = feed.pop("_manifest")
        hashes = feed.pop("_hashes")
        text = json.dumps({"Event": feed}, indent=2, ensure_ascii=False)
        guard.check(text, f"MISP feed event {ev.uuid}")
        docs.append((ev.uuid, text, manifest, hashes))
    folder.mkdir(parents=True, exist_ok=True)
    manifest_all: dict[str, Any] = {}
    lines: list[str] = []
    written = []
    for uuid, text, manifest, hashes in docs:
        path = folder / f"{uuid}.json"
        path.write_text(text, encoding="utf-8")
        written.append(path)
        manifest_all.update(manifest)
        lines += [f"{h},{uuid}" for h in hashes]
    (folder / "manifest.json").write_text(json.dumps(manifest_all, indent=2, ensure_ascii=False), encoding="utf-8")
    (folder / "hashes.csv").write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return written
