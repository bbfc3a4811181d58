"""Sign-in rate limits that hold when attempts arrive together, and that an attacker cannot turn against everyone.

Failures are counted over a sliding window (15 minutes by default) under three keys:
- **pair**: one name from one address (5). The guesser at one address gets five tries at one account.
- **name**: one name from every address together (20): a guesser spread over many addresses.
- **address**: every name from one address (30): one password tried on many accounts ("spraying").

The last two do not apply to an account at an address it has signed in from with its password within
`known_for` (30 days; `known_addresses`). So a flood of failures from an office's shared address, or against a
name from everywhere, does not lock out the people who sign in there every day: they keep their own pair limit.
Who has never signed in from that address waits until the failures age out of the window. Decision 0047.

On top of these, a **back-off** per name (key `wait`): after `backoff_after` failures in a row (5) the next
attempt is refused until `backoff_base * 2**k` after the last one (15 s, 30 s, 60 s, ..., at most `backoff_max`,
15 minutes), k the failures beyond `backoff_after`. A right password ends the run of failures. Like the name
and address limits it does not apply to the account at an address it is known at, so guessing cannot lock its
owner out; it applies to names that are no account as well (a 429 would otherwise tell which names exist).
Failures older than `keep` (four windows, or four times `backoff_max` if longer) are forgotten.

Atomic: `begin` writes the attempt (a row under each key, the back-off's included) before the password is
checked, in a transaction that first locks the keys: PostgreSQL advisory transaction locks, taken in sorted
order; on SQLite the write transaction (BEGIN IMMEDIATE) already holds the database's one write lock. Of N
attempts that arrive together at most the limit are checked; the rest are refused without reaching the password.
A right password deletes its rows again (`succeeded`), so only failures stay counted. A refusal says when to
come back (`retry_after`, sent as Retry-After): when enough failures have left the window, or when the back-off
ends.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from counterpitch.store.tables import KnownAddress, LoginAttempt, utcnow

#: Rows are kept this many windows long, then cleared by any later attempt.
_KEEP_WINDOWS = 4


@dataclass(frozen=True)
class Limits:
    window: timedelta = timedelta(minutes=15)
    per_pair: int = 5
    per_name: int = 20
    per_address: int = 30
    known_for: timedelta = timedelta(days=30)
    #: The back-off: after this many failures in a row, wait `backoff_base` doubled per further failure.
    backoff_after: int = 5
    backoff_base: timedelta = timedelta(seconds=15)
    backoff_max: timedelta = timedelta(minutes=15)

    @property
    def keep(self) -> timedelta:
        """How long a failure is remembered (rows older than this are cleared by any later attempt)."""
        return max(self.window, self.backoff_max) * _KEEP_WINDOWS

    def backoff(self, failures: int) -> timedelta:
        """How long after the last of `failures` in a row the next attempt waits (nothing below the threshold)."""
        if failures < self.backoff_after:
            return timedelta(0)
        doublings = failures - self.backoff_after
        if doublings >= 64:
            return self.backoff_max
        wait: timedelta = self.backoff_base * (1 << doublings)
        return min(wait, self.backoff_max)


@dataclass(frozen=True)
class Attempt:
    """An attempt as recorded: the rows written for it, or the limit that refused it (then nothing is written)
    and how many seconds until an attempt would be counted again."""

    ids: tuple[int, ...] = ()
    refused_by: str | None = None
    retry_after: int = 0

    @property
    def refused(self) -> bool:
        return self.refused_by is not None


def keys_for(name_key: str, address: str) -> dict[str, str]:
    return {
        "pair": f"pair:{address}|{name_key}",
        "name": f"name:{name_key}",
        "address": f"addr:{address}",
        "wait": f"wait:{name_key}",
    }


def failures_since(session: Session, key: str, since: datetime) -> int:
    query = select(func.count()).select_from(LoginAttempt).where(LoginAttempt.key == key, LoginAttempt.at >= since)
    return int(session.scalar(query) or 0)


def _nth_newest(session: Session, key: str, since: datetime, n: int) -> datetime:
    """When the `n`th newest failure under `key` since `since` happened (1: the last one)."""
    query = (
        select(LoginAttempt.at)
        .where(LoginAttempt.key == key, LoginAttempt.at >= since)
        .order_by(LoginAttempt.at.desc(), LoginAttempt.id.desc())
        .offset(n - 1)
        .limit(1)
    )
    at = session.scalar(query)
    assert at is not None, "asked for a failure that was just counted"
    return _aware(at)


def _aware(at: datetime) -> datetime:
    """SQLite gives back naive datetimes (stored as UTC)."""
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def _seconds_until(then: datetime, now: datetime) -> int:
    return max(1, math.ceil((then - now).total_seconds()))


def is_known(session: Session, user_id: int, address: str, since: datetime) -> bool:
    query = select(KnownAddress.id).where(
        KnownAddress.user_id == user_id, KnownAddress.address == address, KnownAddress.last_at >= since
    )
    return session.scalar(query) is not None


def begin(
    session: Session,
    name_key: str,
    address: str,
    user_id: int | None,
    limits: Limits,
    now: datetime | None = None,
) -> Attempt:
    """Count this attempt before its password is checked, or refuse it (see the module's docstring)."""
    now = now or utcnow()
    keys = {kind: key[:255] for kind, key in keys_for(name_key, address).items()}
    _lock(session, keys.values())
    session.execute(delete(LoginAttempt).where(LoginAttempt.at < now - limits.keep))
    known = user_id is not None and is_known(session, user_id, address, now - limits.known_for)
    checks = [("pair", limits.per_pair)]
    if not known:
        checks += [("name", limits.per_name), ("address", limits.per_address)]
    since = now - limits.window
    for kind, limit in checks:
        failures = failures_since(session, keys[kind], since)
        if failures >= limit:  # back when all but limit - 1 of them have left the window
            oldest_to_leave = _nth_newest(session, keys[kind], since, limit)
            return Attempt(refused_by=kind, retry_after=_seconds_until(oldest_to_leave + limits.window, now))
    if not known:
        in_a_row = failures_since(session, keys["wait"], now - limits.keep)
        wait = limits.backoff(in_a_row)
        if wait and in_a_row:
            until = _nth_newest(session, keys["wait"], now - limits.keep, 1) + wait
            if now < until:
                return Attempt(refused_by="wait", retry_after=_seconds_until(until, now))
    rows = [LoginAttempt(key=key, at=now) for key in keys.values()]
    session.add_all(rows)
    session.flush()
    return Attempt(ids=tuple(r.id for r in rows))


def succeeded(session: Session, attempt: Attempt, name_key: str, address: str, user_id: int, limits: Limits) -> None:
    """The password was right: the attempt does not count, nor do this name's earlier failures from this
    address, its run of failures (the back-off) ends, and the address is known for the account from now on."""
    now = utcnow()
    keys = keys_for(name_key, address)
    ended = LoginAttempt.key.in_([keys["pair"][:255], keys["wait"][:255]])
    session.execute(delete(LoginAttempt).where(LoginAttempt.id.in_(attempt.ids) | ended))
    session.execute(delete(KnownAddress).where(KnownAddress.last_at < now - limits.known_for))
    row = {"user_id": user_id, "address": address[:64], "last_at": now}
    columns = ["user_id", "address"]
    if session.get_bind().dialect.name == "postgresql":
        pg = postgresql.insert(KnownAddress).values(row)
        session.execute(pg.on_conflict_do_update(index_elements=columns, set_={"last_at": now}))
    else:
        lite = sqlite.insert(KnownAddress).values(row)
        session.execute(lite.on_conflict_do_update(index_elements=columns, set_={"last_at": now}))


def _lock(session: Session, keys: Iterable[str]) -> None:
    """Serialise attempts on the same keys until this transaction ends (PostgreSQL; SQLite already is)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for key in sorted(set(keys)):
        session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"), {"k": key})
