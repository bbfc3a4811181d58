"""What a campaign is, as the API, the campaign page and the alert briefings show it.

Counts (reports, targets, bands) and the shared indicators are computed by the database over every member.
Personas and targeted people are read from the approaches of the latest MAX_READ members only, and at most
MAX_PEOPLE of each are listed: a campaign of 100,000 reports must not make its summary slow.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from counterpitch.campaigns.linking import TEXT_LABEL, Indicator
from counterpitch.store.tables import Campaign, LinkKey, Report, User
from counterpitch.watchlist import normalise_person, normalise_profile_url

MAX_READ = 1_000
MAX_PEOPLE = 100


@dataclass(frozen=True)
class Persona:
    """One distinct sender, as their profile presented them."""

    name: str | None = None
    headline: str | None = None
    company: str | None = None
    profile_url: str | None = None


@dataclass(frozen=True)
class TargetPerson:
    """One person targeted: the recipient the approach names, else the member of staff who reported it."""

    name: str | None = None
    headline: str | None = None


@dataclass(frozen=True)
class CampaignSummary:
    id: int
    report_ids: tuple[int, ...]
    reports: int
    #: Distinct people targeted (reporters: one person reporting the same sender twice is one target).
    targets: int
    first_seen: datetime
    last_seen: datetime
    indicators: tuple[Indicator, ...]
    personas: tuple[Persona, ...] = ()
    target_people: tuple[TargetPerson, ...] = ()
    bands: dict[str, int] = field(default_factory=dict)

    def to_api(self) -> dict[str, Any]:
        """One item of GET /api/v1/campaigns (../shared/schemas/api.md)."""
        return {
            "id": self.id,
            "reports": self.reports,
            "targets": self.targets,
            "first_seen": _iso(self.first_seen),
            "last_seen": _iso(self.last_seen),
            "indicators": [{"kind": i.kind, "value": i.value} for i in self.indicators],
            "report_ids": list(self.report_ids),
        }


def _iso(value: datetime) -> str:
    return _utc(value).isoformat()


def _utc(value: datetime) -> datetime:
    """Times are stored in UTC; SQLite hands them back without their zone."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def summaries(session: Session, campaigns: Sequence[Campaign]) -> list[CampaignSummary]:
    return [_summary(session, c) for c in campaigns]


def _summary(session: Session, campaign: Campaign) -> CampaignSummary:
    members = Report.campaign_id == campaign.id
    report_ids = tuple(session.scalars(select(Report.id).where(members).order_by(Report.id)))
    by_band = select(Report.band, func.count()).where(members).group_by(Report.band)
    bands = {band: n for band, n in session.execute(by_band)}
    targets = session.scalar(select(func.count(func.distinct(Report.reporter_id))).where(members)) or 0
    span = select(func.min(Report.reported_at), func.max(Report.reported_at)).where(members)
    first, last = session.execute(span).one()
    personas, people = _people(session, campaign.id)
    return CampaignSummary(
        id=campaign.id,
        report_ids=report_ids,
        reports=len(report_ids),
        targets=targets,
        first_seen=_utc(first or campaign.first_seen),
        last_seen=_utc(last or campaign.last_seen),
        indicators=_indicators(session, campaign.id),
        personas=personas,
        target_people=people,
        bands=bands,
    )


def _indicators(session: Session, campaign_id: int) -> tuple[Indicator, ...]:
    """Keys two or more members hold, each shown as its first holder labelled it; text bands as one line."""
    shared = session.execute(
        select(LinkKey.key, func.min(LinkKey.report_id))
        .join(Report, Report.id == LinkKey.report_id)
        .where(Report.campaign_id == campaign_id)
        .group_by(LinkKey.key)
        .having(func.count() >= 2)
    ).all()
    if not shared:
        return ()
    rows = session.execute(
        select(LinkKey.key, LinkKey.kind, LinkKey.label).where(
            tuple_(LinkKey.key, LinkKey.report_id).in_([(k, r) for k, r in shared])
        )
    ).all()
    found = {
        Indicator("text", TEXT_LABEL) if key.startswith("text:") else Indicator(kind, label or key.partition(":")[2])
        for key, kind, label in rows
    }
    return tuple(sorted(found, key=lambda i: (i.kind, i.value)))


def _people(session: Session, campaign_id: int) -> tuple[tuple[Persona, ...], tuple[TargetPerson, ...]]:
    rows = session.execute(
        select(Report.approach_json, Report.reporter_id, User.name)
        .join(User, User.id == Report.reporter_id)
        .where(Report.campaign_id == campaign_id)
        .order_by(Report.id.desc())
        .limit(MAX_READ)
    ).all()
    personas: dict[str, Persona] = {}
    people: dict[int, TargetPerson] = {}
    for approach_json, reporter_id, reporter_name in reversed(rows):
        doc = json.loads(approach_json)
        sender = _profile(doc, "sender")
        who = normalise_profile_url(sender.get("profile_url") or "") or normalise_person(sender.get("name") or "")
        if who and len(personas) < MAX_PEOPLE:
            personas.setdefault(who, Persona(*(sender.get(f) for f in ("name", "headline", "company", "profile_url"))))
        recipient = _profile(doc, "recipient")
        if reporter_id not in people and len(people) < MAX_PEOPLE:
            people[reporter_id] = TargetPerson(recipient.get("name") or reporter_name, recipient.get("headline"))
    return tuple(personas.values()), tuple(people.values())


def _profile(doc: object, role: str) -> dict[str, str | None]:
    """The text fields of the sender or recipient in a stored Approach JSON (already validated when stored)."""
    value = doc.get(role) if isinstance(doc, dict) else None
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items() if isinstance(v, str)}
