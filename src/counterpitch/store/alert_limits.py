"""Alert throttles that hold when reports arrive together: one alert per campaign and rule, updated as the
campaign grows, and at most N new alerts an hour from one reporter's reports.

Kept in the database, like the sign-in and upload limits (store/signin_limits.py, store/upload_limits.py),
because several service processes or hosts may share it. The caller takes `lock_campaign` before it reads the
campaign's alerts and members, and `room` takes the reporter's lock before it counts: PostgreSQL advisory
transaction locks, campaign before reporter in every transaction, so two never wait on each other in a circle;
on SQLite `BEGIN IMMEDIATE` already serialises writers. Of N reports that arrive together, one raises the
campaign's alert and the others update it, and a reporter's reports raise at most the limit between them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from counterpitch.store import audit
from counterpitch.store.tables import Alert, AuditEvent

HOUR = timedelta(hours=1)
THROTTLED = "alert.throttled"


def lock(session: Session, key: str) -> None:
    """Serialise transactions on `key` until this one ends (PostgreSQL; SQLite already is)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"), {"k": key})


def lock_campaign(session: Session, campaign_id: int) -> None:
    lock(session, f"alert-campaign:{campaign_id}")


def room(session: Session, reporter_id: int, per_hour: int, now: datetime) -> int:
    """How many more alerts this reporter's reports may raise within the hour (locks the reporter's key)."""
    lock(session, f"alert-reporter:{reporter_id}")
    mine = select(func.count()).where(Alert.reporter_id == reporter_id, Alert.created_at >= now - HOUR)
    return max(0, per_hour - int(session.scalar(mine) or 0))


def throttled(
    session: Session, reporter_id: int, per_hour: int, report_id: int, rules: list[str], now: datetime
) -> None:
    """Say in the audit log, once an hour per reporter, that their reports raise no new alert for now."""
    said = select(AuditEvent.id).where(
        AuditEvent.action == THROTTLED,
        AuditEvent.object_type == "user",
        AuditEvent.object_id == str(reporter_id),
        AuditEvent.at >= now - HOUR,
    )
    if session.scalar(said.limit(1)) is not None:
        return
    audit.record(
        session,
        actor_id=None,
        action=THROTTLED,
        object_type="user",
        object_id=reporter_id,
        detail={"limit_per_hour": per_hour, "report": report_id, "rules": rules},
    )
