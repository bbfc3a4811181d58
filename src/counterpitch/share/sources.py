"""Where a share set comes from: a file of approaches linked offline, or the live campaigns of the service's store.

Both end in collect.collect, so `campaigns link -f stix` and `share export` write the same kinds of objects.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from counterpitch.campaigns.batch import link_batch
from counterpitch.campaigns.linking import target_of
from counterpitch.model import Approach, Assessment
from counterpitch.share.collect import ReportIn, ShareSet, StaffGuard, collect
from counterpitch.store.tables import Campaign, Report, User

#: The detector that names the sectors of the person approached (detectors/targeting.py).
TARGETING = "targeting.recipient_access"


def _findings(assessment: Assessment | dict[str, object] | None) -> list[dict[str, object]]:
    if isinstance(assessment, Assessment):
        return [f.model_dump() for f in assessment.findings]
    findings = assessment.get("findings") if isinstance(assessment, dict) else None
    return [f for f in findings if isinstance(f, dict)] if isinstance(findings, list) else []


def _read(assessment: Assessment | dict[str, object] | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The ATT&CK ids of an assessment's findings and the sectors of the person approached, in order, once each."""
    attack: dict[str, None] = {}
    sectors: dict[str, None] = {}
    for f in _findings(assessment):
        ids = f.get("attack")
        attack.update(dict.fromkeys(t for t in ids if isinstance(t, str)) if isinstance(ids, list | tuple) else {})
        value = f.get("value")
        if f.get("detector") == TARGETING and isinstance(value, str):
            sectors.update(dict.fromkeys(v.strip() for v in value.split(",") if v.strip()))
    return tuple(attack), tuple(sectors)


def from_approaches(
    organisation: str,
    approaches: Sequence[Approach],
    when: Sequence[datetime],
    assessments: Sequence[Assessment] | None = None,
) -> tuple[ShareSet, StaffGuard]:
    """Campaigns among a file's approaches (campaigns/batch.py), each report's ATT&CK ids from `assessments`."""
    found = link_batch((i, a, when[i], None) for i, a in enumerate(approaches))
    guard = StaffGuard()

    def reports(ids: Sequence[int]) -> list[ReportIn]:
        return [
            ReportIn(
                approaches[i],
                when[i],
                target_of(None, approaches[i], i),
                *_read(assessments[i] if assessments else None),
            )
            for i in ids
        ]

    groups = [(f"file|{approaches[c.report_ids[0]].id}", reports(c.report_ids)) for c in found]
    return collect(organisation, groups, guard), guard


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def staff_guard(session: Session) -> StaffGuard:
    """Every account's name and e-mail: none may leave in an export."""
    guard = StaffGuard()
    for name, email in session.execute(select(User.name, User.email)):
        guard.add_person(name, email)
    return guard


def _campaign_reports(session: Session, campaign_id: int) -> Iterator[ReportIn]:
    rows = session.execute(
        select(Report.id, Report.approach_json, Report.assessment_json, Report.reported_at, Report.reporter_id)
        .where(Report.campaign_id == campaign_id)
        .order_by(Report.id)
    )
    for rid, approach_json, assessment_json, at, reporter in rows:
        approach = Approach.model_validate_json(approach_json)
        try:
            assessment = json.loads(assessment_json or "{}")
        except json.JSONDecodeError:
            assessment = None
        yield ReportIn(approach, _utc(at), target_of(reporter, approach, rid), *_read(assessment))


def from_store(session: Session, organisation: str, since: datetime | None = None) -> tuple[ShareSet, StaffGuard]:
    """The live campaigns (two reports or more, not merged away) active since `since`, oldest first."""
    query = select(Campaign.id).where(Campaign.reports >= 2, Campaign.merged_into.is_(None))
    if since is not None:
        query = query.where(Campaign.last_seen >= since)
    guard = staff_guard(session)
    groups = [
        (f"store|{cid}", list(_campaign_reports(session, cid))) for cid in session.scalars(query.order_by(Campaign.id))
    ]
    return collect(organisation, groups, guard), guard
