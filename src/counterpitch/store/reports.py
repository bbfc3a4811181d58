"""Stored reports: insert, the queries that decide who sees what, status changes and notes.

Visibility is decided here, once, for the API and the pages alike: a reporter sees only their own reports;
analysts and admins see all. A report someone may not see is indistinguishable from one that does not exist.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from counterpitch.model import Approach, Assessment
from counterpitch.store import audit
from counterpitch.store.accounts import Actor
from counterpitch.store.tables import STATUSES, Note, Report, ReportPhoto, User

#: Roles that see every report (and may triage them).
TRIAGE_ROLES = frozenset({"analyst", "admin"})
MAX_NOTE = 20_000
#: Reader warnings kept per report (the mail reader itself stops at 50).
MAX_WARNINGS = 100


@dataclass(frozen=True)
class ReportFilter:
    band: str | None = None
    status: str | None = None
    reported_from: datetime | None = None
    reported_to: datetime | None = None
    campaign_id: int | None = None
    limit: int = 100
    offset: int = 0
    #: Only reports this user made (the "my reports" page, whatever the viewer's role).
    reporter_id: int | None = None


def insert(
    session: Session, reporter: Actor, approach: Approach, assessment: Assessment, warnings: tuple[str, ...] = ()
) -> Report:
    sender = approach.sender
    row = Report(
        approach_id=approach.id[:255],
        reporter_id=reporter.id,
        approach_json=json.dumps(approach.to_json_dict(), ensure_ascii=False),
        assessment_json=json.dumps(assessment.to_json_dict(), ensure_ascii=False),
        band=assessment.band,
        score=assessment.score,
        status="new",
        sender_name=_short(sender.name if sender else None),
        sender_company=_short(sender.company if sender else None),
        warnings_json=json.dumps(list(warnings[:MAX_WARNINGS]), ensure_ascii=False) if warnings else None,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor_id=reporter.id,
        action="report.submit",
        object_type="report",
        object_id=row.id,
        detail={"band": assessment.band, "score": assessment.score},
    )
    return row


def insert_photo(
    session: Session,
    report_id: int,
    phash: int,
    thumbnail: bytes,
    media_type: str,
    size: tuple[int, int],
    faces: int,
) -> None:
    """What is kept of a report's sender photo (photo/keep.py), before the report is linked (campaigns/photos.py)."""
    session.add(
        ReportPhoto(
            report_id=report_id,
            phash=phash,
            thumbnail=thumbnail,
            media_type=media_type,
            width=size[0],
            height=size[1],
            faces=faces,
        )
    )
    session.flush()


def photo_size(session: Session, report_id: int) -> tuple[int, int] | None:
    row = session.execute(
        select(ReportPhoto.width, ReportPhoto.height).where(ReportPhoto.report_id == report_id)
    ).first()
    return (int(row[0]), int(row[1])) if row is not None else None


def photo_of(session: Session, report_id: int) -> tuple[bytes, str] | None:
    """The stored thumbnail and its media type; the caller has checked the viewer may see the report."""
    row = session.get(ReportPhoto, report_id)
    return (bytes(row.thumbnail), row.media_type) if row is not None else None


def _short(text: str | None) -> str | None:
    return text[:255] if text else None


def visible(viewer: Actor) -> Select[Report]:
    query = select(Report)
    if viewer.role not in TRIAGE_ROLES:
        query = query.where(Report.reporter_id == viewer.id)
    return query


def listing(session: Session, viewer: Actor, f: ReportFilter = ReportFilter()) -> list[Report]:
    """Newest first, filtered; the filters are plain equality and range tests on indexed columns."""
    query = visible(viewer)
    if f.band is not None:
        query = query.where(Report.band == f.band)
    if f.status is not None:
        query = query.where(Report.status == f.status)
    if f.reported_from is not None:
        query = query.where(Report.reported_at >= f.reported_from)
    if f.reported_to is not None:
        query = query.where(Report.reported_at < f.reported_to)
    if f.campaign_id is not None:
        query = query.where(Report.campaign_id == f.campaign_id)
    if f.reporter_id is not None:
        query = query.where(Report.reporter_id == f.reporter_id)
    query = query.order_by(Report.reported_at.desc(), Report.id.desc())
    return list(session.scalars(query.limit(max(1, min(f.limit, 1000))).offset(max(0, f.offset))))


def get(session: Session, viewer: Actor, report_id: int) -> Report | None:
    return session.scalar(visible(viewer).where(Report.id == report_id))


def approach_of(row: Report) -> Approach:
    return Approach.model_validate_json(row.approach_json)


def assessment_of(row: Report) -> Assessment:
    return Assessment.model_validate_json(row.assessment_json)


def set_status(session: Session, viewer: Actor, report_id: int, status: str) -> Report | None:
    """Triage: analysts and admins only (None for anyone else, as if the report did not exist)."""
    if status not in STATUSES:
        raise ValueError(f"status: must be one of {', '.join(STATUSES)}")
    if viewer.role not in TRIAGE_ROLES:
        return None
    row = get(session, viewer, report_id)
    if row is None or row.status == status:
        return row
    before = row.status
    row.status = status
    audit.record(
        session,
        actor_id=viewer.id,
        action="report.status",
        object_type="report",
        object_id=report_id,
        detail={"from": before, "to": status},
    )
    return row


def add_note(session: Session, viewer: Actor, report_id: int, text: str) -> Note | None:
    """A note on a case, by an analyst or admin (None when the viewer may not see or triage it)."""
    text = text.strip()
    if not text or len(text) > MAX_NOTE:
        raise ValueError(f"text: 1 to {MAX_NOTE} characters")
    if viewer.role not in TRIAGE_ROLES or get(session, viewer, report_id) is None:
        return None
    note = Note(report_id=report_id, author_id=viewer.id, text=text)
    session.add(note)
    session.flush()
    audit.record(session, actor_id=viewer.id, action="note.add", object_type="report", object_id=report_id)
    return note


def notes(session: Session, viewer: Actor, report_id: int) -> list[tuple[Note, str]]:
    """Notes on a case with their authors' names, oldest first; only for those who triage."""
    if viewer.role not in TRIAGE_ROLES:
        return []
    query = (
        select(Note, User.name)
        .join(User, User.id == Note.author_id)
        .where(Note.report_id == report_id)
        .order_by(Note.id)
    )
    return [(n, name) for n, name in session.execute(query)]


def warnings_of(row: Report) -> tuple[str, ...]:
    """The readers' warnings stored with the report (none for reports made before they were kept)."""
    if not row.warnings_json:
        return ()
    return tuple(str(w) for w in json.loads(row.warnings_json))
