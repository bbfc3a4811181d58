"""Per-user limits on uploads that are read (profile PDFs, e-mails): how many at once, and how many an hour.

Kept in the database, like the sign-in limits (store/signin_limits.py), because `counterpitch serve --workers N`
runs several processes and a deployment may run several hosts on one PostgreSQL: a count in one process's memory
would let each of them admit its own share. `begin` locks the user's key (a PostgreSQL advisory transaction
lock; on SQLite `BEGIN IMMEDIATE` already serialises writers), counts and writes the slot in one transaction, so
of N uploads that arrive together at most the limit start. `finish` closes the slot. A slot left open by a
process that died stops counting as running after `stale` (well past any reader's limits), and still counts
against the hour. Decision 0048.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.orm import Session

from counterpitch.store.tables import UploadSlot, utcnow

_HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class Limits:
    concurrent: int = 2
    per_hour: int = 30
    stale: timedelta = timedelta(minutes=5)
    #: Seconds to suggest in Retry-After when the refusal is for uploads running now.
    busy_retry: int = 10


@dataclass(frozen=True)
class Slot:
    """An upload admitted (its row id), or the limit that refused it and when to try again."""

    id: int | None = None
    refused_by: str | None = None
    retry_after: int = 0


def begin(session: Session, user_id: int, limits: Limits, now: datetime | None = None) -> Slot:
    now = now or utcnow()
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"), {"k": f"upload:{user_id}"})
    session.execute(delete(UploadSlot).where(UploadSlot.started_at < now - 2 * _HOUR))
    mine = UploadSlot.user_id == user_id
    hour = select(func.count(), func.min(UploadSlot.started_at)).where(mine, UploadSlot.started_at >= now - _HOUR)
    count, oldest = session.execute(hour).one()
    if count >= limits.per_hour:
        wait = (_aware(oldest) + _HOUR - now).total_seconds() if oldest is not None else 60.0
        return Slot(refused_by="per_hour", retry_after=max(1, math.ceil(wait)))
    running = select(func.count()).where(
        mine, UploadSlot.finished_at.is_(None), UploadSlot.started_at >= now - limits.stale
    )
    if int(session.scalar(running) or 0) >= limits.concurrent:
        return Slot(refused_by="concurrent", retry_after=limits.busy_retry)
    row = UploadSlot(user_id=user_id, started_at=now)
    session.add(row)
    session.flush()
    return Slot(id=row.id)


def finish(session: Session, slot: Slot, now: datetime | None = None) -> None:
    if slot.id is not None:
        session.execute(update(UploadSlot).where(UploadSlot.id == slot.id).values(finished_at=now or utcnow()))


def _aware(when: datetime) -> datetime:
    """SQLite gives times back without their zone; they were written in UTC."""
    return when if when.tzinfo is not None else when.replace(tzinfo=utcnow().tzinfo)
