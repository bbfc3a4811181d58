"""Page sessions kept on the server, so that ending one is final wherever its cookie has been copied.

The signed cookie holds a random token; the `web_sessions` row holds its SHA-256, the account and two times. A
session is live while its row exists, its account is active, it has been used within the idle limit and it is
younger than the absolute limit. Signing out deletes the row; deactivating an account or changing its role or
password deletes all of that account's rows, so reactivating it later revives none of them.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from counterpitch.store.tables import User, WebSession, utcnow

#: `last_seen_at` moves on at most this often: the idle limit is this coarse, and a page view costs no write.
TOUCH_EVERY = timedelta(seconds=60)
_MAX_TOKEN = 200


@dataclass(frozen=True)
class Lifetime:
    """How long a session lasts: `idle` since it was last used, `absolute` since sign-in, whichever ends first."""

    idle: timedelta
    absolute: timedelta

    def expired(self, row: WebSession, now: datetime) -> bool:
        return now - _utc(row.last_seen_at) > self.idle or now - _utc(row.created_at) > self.absolute


def _utc(moment: datetime) -> datetime:
    """SQLite hands times back without their zone; every stored time is UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def token_hash(token: str) -> str:
    """SHA-256 (hex): the token is 256 random bits, so a fast hash is enough, as for API tokens."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start(session: Session, user_id: int, *, user_agent: str | None = None, address: str | None = None) -> str:
    """A new session for this account: the token for the cookie (only its hash is stored), with the browser
    (already summarised) and address it signed in from, which the person sees on /account."""
    token = secrets.token_urlsafe(32)
    agent = (user_agent or "")[:120] or None
    session.add(WebSession(token_hash=token_hash(token), user_id=user_id, user_agent=agent, address=address))
    session.flush()
    return token


def find(session: Session, token: str) -> tuple[User, WebSession] | None:
    """The active account and the session row behind this token, whatever its age (see `Lifetime.expired`)."""
    if not token or len(token) > _MAX_TOKEN:
        return None
    row = session.execute(
        select(User, WebSession)
        .join(WebSession, WebSession.user_id == User.id)
        .where(WebSession.token_hash == token_hash(token), User.active.is_(True))
    ).first()
    return (row[0], row[1]) if row is not None else None


def due_for_touch(row: WebSession, now: datetime) -> bool:
    return now - _utc(row.last_seen_at) >= TOUCH_EVERY


def touch(session: Session, session_id: int, now: datetime | None = None) -> None:
    session.execute(update(WebSession).where(WebSession.id == session_id).values(last_seen_at=now or utcnow()))


def end(session: Session, token: str) -> int:
    """End the session this token names (signing out); how many rows went (0 or 1)."""
    if not token or len(token) > _MAX_TOKEN:
        return 0
    return _deleted(session.execute(delete(WebSession).where(WebSession.token_hash == token_hash(token))))


def end_one(session: Session, user_id: int, session_id: int) -> int:
    """End one session of this account (from /account); 0 when it is someone else's or gone already."""
    mine = (WebSession.id == session_id) & (WebSession.user_id == user_id)
    return _deleted(session.execute(delete(WebSession).where(mine)))


def end_others(session: Session, user_id: int, keep: str) -> int:
    """End every session of this account but the one this token names ("sign out everywhere else")."""
    others = (WebSession.user_id == user_id) & (WebSession.token_hash != token_hash(keep))
    return _deleted(session.execute(delete(WebSession).where(others)))


@dataclass(frozen=True)
class SessionRow:
    """One live session as its owner sees it on /account."""

    id: int
    started: datetime
    last_seen: datetime
    user_agent: str | None
    address: str | None
    current: bool


def listing(session: Session, user_id: int, lifetime: Lifetime, current: str | None, now: datetime) -> list[SessionRow]:
    """This account's live sessions, most recently used first; `current` is this browser's token."""
    mine = token_hash(current) if current else None
    rows = session.scalars(
        select(WebSession).where(WebSession.user_id == user_id).order_by(WebSession.last_seen_at.desc())
    )
    return [
        SessionRow(r.id, _utc(r.created_at), _utc(r.last_seen_at), r.user_agent, r.address, r.token_hash == mine)
        for r in rows
        if not lifetime.expired(r, now)
    ]


def end_all(session: Session, user_id: int) -> int:
    """End every session of this account (deactivated, or its role or password changed)."""
    return _deleted(session.execute(delete(WebSession).where(WebSession.user_id == user_id)))


def purge(session: Session, lifetime: Lifetime, now: datetime | None = None) -> int:
    """Housekeeping: delete sessions past either limit (run at sign-in, so the table stays the size of the live
    sessions)."""
    now = now or utcnow()
    stale = (WebSession.created_at < now - lifetime.absolute) | (WebSession.last_seen_at < now - lifetime.idle)
    return _deleted(session.execute(delete(WebSession).where(stale)))


def count(session: Session, user_id: int) -> int:
    return len(session.scalars(select(WebSession.id).where(WebSession.user_id == user_id)).all())


def _deleted(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)
