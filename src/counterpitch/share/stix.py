"""A share set as a STIX 2.1 bundle, built with the `stix2` library (decision 0077).

Objects, all marked with the chosen TLP 2.0 level and created by the exporting organisation's `identity`:

- `campaign` per campaign (counts of approaches and people approached in its description, never who);
- `threat-actor` per persona (the name and headline it presented), `spy`;
- `indicator` per shared key, with a STIX pattern: `url:value` for a profile URL, `email-addr:value`,
  `domain-name:value`, and `user-account:account_type` with `account_login` for a messenger id or number;
- `attack-pattern` per ATT&CK technique the detectors saw (external reference `mitre-attack`), marked TLP:CLEAR;
- `identity` of class `class` per sector of the people approached (the targeting detector's sectors:
  defence, government, parliament, research, clearance), marked TLP:CLEAR; those approached are only counted;
- `relationship`s: indicator `indicates` campaign and persona, campaign `attributed-to` persona, campaign
  `uses` attack-pattern, campaign `targets` sector (with the count of people);
- `sighting` per indicator: how many reports, first and last seen, sighted where: the organisation.

Nothing custom: the bundle parses with `stix2.parse(allow_custom=False)` and passes the OASIS validator.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import stix2

from counterpitch.share.collect import SharedCampaign, SharedIndicator, SharedPersona, ShareSet, StaffGuard
from counterpitch.share.vocab import (
    TLP_CREATED,
    TLP_EXTENSION,
    TLPS,
    Tlp,
    attack_name,
    attack_url,
    det_uuid,
)

#: ATT&CK attack-patterns carry this fixed time, so every organisation writes them identically.
ATTACK_CREATED = datetime(2025, 10, 28, tzinfo=UTC)
#: The targeting detector's sectors as STIX industry sectors (industry-sector-ov), where one fits.
_SECTORS = {"parliament": ["government-national"], "government": ["government"], "defence": ["defense"]}
_KIND_WORDS = {"profile_url": "profile URL", "email": "e-mail address", "email_domain": "mail domain"}


def _utc(value: datetime | None) -> datetime:
    if value is None:
        return datetime.now(UTC)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _quote(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def pattern(ind: SharedIndicator) -> str:
    """The STIX pattern of one indicator."""
    v = ind.value
    if ind.family == "url":
        return f"[url:value = {_quote('https://www.' + v)}]"
    if ind.family == "email":
        return f"[email-addr:value = {_quote(v)}]"
    if ind.family == "domain":
        return f"[domain-name:value = {_quote(v)}]"
    return f"[user-account:account_type = {_quote(ind.kind)} AND user-account:account_login = {_quote(v)}]"


def marking_definition(t: Tlp) -> stix2.MarkingDefinition:
    """The official TLP 2.0 marking definition (same id and content as the OASIS common objects)."""
    doc = {
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": t.stix_id,
        "created": TLP_CREATED,
        "name": t.label,
        "extensions": {TLP_EXTENSION: {"extension_type": "property-extension", "tlp_2_0": t.level}},
    }
    parsed: stix2.MarkingDefinition = stix2.parse(doc, allow_custom=False)
    return parsed


class _Builder:
    def __init__(self, share: ShareSet, level: Tlp) -> None:
        self.share = share
        self.marks = [level.stix_id]
        self.org = stix2.Identity(
            id="identity--" + det_uuid("organisation", share.organisation.casefold()),
            name=share.organisation,
            identity_class="organization",
            description="The organisation that shared these indicators; those approached are not named.",
            created=ATTACK_CREATED,
            modified=ATTACK_CREATED,
            object_marking_refs=self.marks,
        )
        self.common: dict[str, Any] = {"created_by_ref": self.org.id, "object_marking_refs": self.marks}
        self.objects: list[Any] = [self.org, marking_definition(level)]
        self.attack: dict[str, stix2.AttackPattern] = {}
        self.classes: dict[str, stix2.Identity] = {}

    def persona(self, p: SharedPersona) -> stix2.ThreatActor:
        name = p.name or (p.profile_url or "").rpartition("/")[2] or "unnamed persona"
        presented = p.presented
        described = f"A persona that approached staff through a professional network, presented as {presented!r}."
        return stix2.ThreatActor(
            id="threat-actor--" + det_uuid("persona", p.key),
            name=name,
            description=described if presented else "A persona that approached staff through a professional network.",
            threat_actor_types=["spy"],
            first_seen=_utc(p.seen.first),
            last_seen=_utc(p.seen.last),
            created=_utc(p.seen.first),
            modified=_utc(p.seen.last),
            **self.common,
        )

    def indicator(self, ind: SharedIndicator) -> stix2.Indicator:
        what = _KIND_WORDS.get(ind.kind, f"{ind.kind} id" if ind.family == "handle" else f"{ind.kind} number")
        return stix2.Indicator(
            id="indicator--" + det_uuid("indicator", ind.key),
            name=f"Persona {what}: {ind.value}",
            description=f"The {what} of a persona that approached staff: seen in {ind.seen.count} report(s).",
            pattern=pattern(ind),
            pattern_type="stix",
            valid_from=_utc(ind.seen.first),
            indicator_types=["malicious-activity", "attribution"],
            created=_utc(ind.seen.first),
            modified=_utc(ind.seen.last),
            **self.common,
        )

    def attack_pattern(self, technique: str) -> stix2.AttackPattern:
        if technique not in self.attack:
            self.attack[technique] = stix2.AttackPattern(
                id="attack-pattern--" + det_uuid("attack-pattern", technique),
                name=attack_name(technique),
                # No url in the reference: the validator asks a referenced URL for a hash (its warning 302).
                description=f"MITRE ATT&CK technique {technique}: {attack_url(technique)}",
                external_references=[{"source_name": "mitre-attack", "external_id": technique}],
                created=ATTACK_CREATED,
                modified=ATTACK_CREATED,
                object_marking_refs=[TLPS["clear"].stix_id],
            )
        return self.attack[technique]

    def sector_class(self, sector: str) -> stix2.Identity:
        """The people approached in one sector, as a class of people: the same object in every organisation."""
        if sector not in self.classes:
            extra = {"sectors": _SECTORS[sector]} if sector in _SECTORS else {}
            self.classes[sector] = stix2.Identity(
                id="identity--" + det_uuid("sector", sector),
                name=f"Staff in {sector}",
                identity_class="class",
                description=f"People whose profile shows a role in {sector}; counted, never named.",
                created=ATTACK_CREATED,
                modified=ATTACK_CREATED,
                object_marking_refs=[TLPS["clear"].stix_id],
                **extra,
            )
        return self.classes[sector]

    def campaign(self, c: SharedCampaign) -> stix2.Campaign:
        first, last = _utc(c.seen.first), _utc(c.seen.last)
        return stix2.Campaign(
            id="campaign--" + det_uuid(c.key),
            name=f"Professional-network approaches {first:%Y-%m-%d} to {last:%Y-%m-%d}",
            description=(
                f"{c.seen.count} approach(es) to {len(c.targets)} member(s) of staff by {len(c.personas)} "
                "persona(s), linked by a shared sender identity, contact, firm or text."
                + (f" Approached by sector: {c.roles()}." if c.sectors else "")
            ),
            objective="Recruitment or elicitation of staff through professional-network approaches",
            first_seen=first,
            last_seen=last,
            created=first,
            modified=last,
            **self.common,
        )

    def relationship(
        self, kind: str, source: Any, target: Any, at: tuple[datetime, datetime], note: str = ""
    ) -> stix2.Relationship:
        return stix2.Relationship(
            id="relationship--" + det_uuid("relationship", kind, source.id, target.id),
            relationship_type=kind,
            source_ref=source.id,
            target_ref=target.id,
            description=f"{source.name} {kind.replace('-', ' ')} {target.name}{note}",
            created=at[0],
            modified=at[1],
            **self.common,
        )

    def sighting(self, ind: SharedIndicator, of: stix2.Indicator) -> stix2.Sighting:
        return stix2.Sighting(
            id="sighting--" + det_uuid("sighting", self.org.id, ind.key),
            sighting_of_ref=of.id,
            count=min(ind.seen.count, 999_999_999),
            first_seen=_utc(ind.seen.first),
            last_seen=_utc(ind.seen.last),
            where_sighted_refs=[self.org.id],
            description=f"Reported by staff of {self.share.organisation} {ind.seen.count} time(s).",
            created=_utc(ind.seen.first),
            modified=_utc(ind.seen.last),
            **self.common,
        )

    def build(self) -> list[Any]:
        s = self.share
        personas = {k: self.persona(p) for k, p in s.personas.items()}
        indicators = {k: self.indicator(i) for k, i in s.indicators.items()}
        rels: dict[str, stix2.Relationship] = {}
        campaigns = []

        def relate(kind: str, a: Any, b: Any, at: tuple[datetime, datetime], note: str = "") -> None:
            r = self.relationship(kind, a, b, at, note)
            rels.setdefault(r.id, r)

        for c in s.campaigns:
            if not c.indicators and not c.personas:
                continue
            camp = self.campaign(c)
            campaigns.append(camp)
            at = (camp.created, camp.modified)
            for k in c.personas:
                relate("attributed-to", camp, personas[k], at)
            for k in c.indicators:
                relate("indicates", indicators[k], camp, at)
            for t in c.attack:
                relate("uses", camp, self.attack_pattern(t), at)
            for sector, who in sorted(c.sectors.items()):
                relate("targets", camp, self.sector_class(sector), at, f": {len(who)} person(s)")
        for p in s.personas.values():
            for k in p.indicators:
                relate("indicates", indicators[k], personas[p.key], (personas[p.key].created, personas[p.key].modified))
        sightings = [self.sighting(s.indicators[k], ind) for k, ind in indicators.items()]
        if (self.attack or self.classes) and self.marks != [TLPS["clear"].stix_id]:
            self.objects.append(marking_definition(TLPS["clear"]))
        return [
            *self.objects,
            *self.attack.values(),
            *self.classes.values(),
            *personas.values(),
            *campaigns,
            *indicators.values(),
            *rels.values(),
            *sightings,
        ]


def bundle(share: ShareSet, level: Tlp) -> stix2.Bundle:
    """The share set as one bundle; its id is derived from its content, so the same export gives the same file."""
    objects = _Builder(share, level).build()
    ident = det_uuid("bundle", *(f"{o.id}@{o.get('modified', '')}" for o in objects))
    return stix2.Bundle(objects=objects, id=f"bundle--{ident}", allow_custom=False)


def serialise(share: ShareSet, level: Tlp, guard: StaffGuard) -> str:
    """The bundle as JSON text, after the staff guard has read it."""
    # stix2's pretty=True sorts every property by a search that grows with the bundle: indent it here instead.
    text = json.dumps(json.loads(bundle(share, level).serialize()), indent=2, ensure_ascii=False)
    guard.check(text, "STIX bundle")
    return text
