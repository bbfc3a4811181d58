"""Users, their passwords and API tokens (sign-in limits: signin_limits.py; page sessions: sessions.py).

Passwords are argon2id hashes (argon2-cffi's defaults, re-hashed on sign-in when those defaults grow). API
tokens are 256-bit random strings shown once; only their SHA-256 is stored, which is enough because a token
cannot be guessed the way a password can.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from counterpitch.model import PersonProfile
from counterpitch.store import audit, names, sessions
from counterpitch.store.names import MAX_NAME as MAX_NAME
from counterpitch.store.passwords import MAX_PASSWORD as MAX_PASSWORD
from counterpitch.store.passwords import check
from counterpitch.store.tables import ROLES, ApiToken, User

_hasher = PasswordHasher()
#: Verified against when the user does not exist, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


#: Longest title, team or organisation kept (characters, after cleaning): a LinkedIn headline is at most 220.
MAX_DETAIL = 200
DETAIL_FIELDS = ("title", "team", "organisation")
#: Direction overrides and isolates: they can make a title read differently from what it holds.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class StaffDetails:
    """The person's own role as they state it. A report they file is assessed as sent to this role (the
    Approach's recipient), which is what the targeting and exposure detectors read."""

    title: str | None = None
    team: str | None = None
    organisation: str | None = None

    def __bool__(self) -> bool:
        return any((self.title, self.team, self.organisation))

    def recipient(self) -> PersonProfile | None:
        """The recipient these details describe: the title as the headline, team and organisation as the
        organisation ("Trade Committee, House of Commons"). None when nothing is stated."""
        where = ", ".join(v for v in (self.team, self.organisation) if v)
        if not self.title and not where:
            return None
        return PersonProfile(headline=self.title, organisation=where or None)


@dataclass(frozen=True)
class Actor:
    """Who is asking: enough to decide what they may see, without holding an ORM object across requests."""

    id: int
    name: str
    role: str
    details: StaffDetails = field(default_factory=StaffDetails)


def actor(user: User) -> Actor:
    return Actor(user.id, user.name, user.role, details_of(user))


def details_of(user: User) -> StaffDetails:
    return StaffDetails(user.title, user.team, user.organisation)


def clean_detail(name: str, value: str | None) -> str | None:
    """A title, team or organisation as kept: control, direction and format characters dropped, every run of
    whitespace one space, NFC; None when nothing is left. ValueError naming the field when it is too long."""
    if value is None:
        return None
    kept = "".join(c for c in unicodedata.normalize("NFC", value) if c.isspace() or _printable(c))
    flat = _SPACE.sub(" ", kept).strip()
    if len(flat) > MAX_DETAIL:
        raise ValueError(f"{name}: at most {MAX_DETAIL} characters ({len(flat)} given)")
    return flat or None


def _printable(c: str) -> bool:
    return c not in _BIDI and unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co", "Cn")


def check_details(changes: Mapping[str, str | None]) -> dict[str, str | None]:
    """The changes cleaned (an empty value clears the field); ValueError for an unknown or too long field."""
    unknown = sorted(set(changes) - set(DETAIL_FIELDS))
    if unknown:
        raise ValueError(f"{unknown[0]}: not a detail of an account (title, team, organisation)")
    return {k: clean_detail(k, v) for k, v in changes.items()}


def set_details(session: Session, user_id: int, changes: Mapping[str, str | None], *, by: int | None) -> User | None:
    """Change some of an account's title, team and organisation (None when there is no such account).

    The audit row names the fields changed, not their values: the log is not a second copy of staff details."""
    clean = check_details(changes)
    user = session.get(User, user_id)
    if user is None:
        return None
    changed = [k for k, v in clean.items() if getattr(user, k) != v]
    for k in changed:
        setattr(user, k, clean[k])
    if changed:
        detail = {"fields": changed}
        audit.record(session, actor_id=by, action="user.details", object_type="user", object_id=user_id, detail=detail)
    return user


def check_name(name: str) -> str:
    """The name as kept (names.clean); ValueError naming the field when it will not do."""
    return names.clean(name)


def name_clash(session: Session, name: str) -> str | None:
    """Why `name` cannot be a new account's (it is taken, or looks like one that is), else None."""
    _one_at_a_time(session)
    other = names.look_alike(name, session.scalars(select(User.name)))
    if other is None:
        return None
    if names.key(other) == names.key(name):
        return f"name: a user called {other!r} already exists"
    return f"name: {name!r} looks like the existing user {other!r} (letters of other scripts, 0 and O, 1 and l)"


def _one_at_a_time(session: Session) -> None:
    """On PostgreSQL, names are checked and added one transaction at a time, so two look-alikes added at the same
    moment cannot both pass (SQLite's write transaction already is one at a time)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended('counterpitch.users.name', 0))"))


def check_password(password: str, name: str | None = None) -> None:
    """ValueError("password: why") unless the password will do for the account called `name` (passwords.py)."""
    check(password, name)


def add_user(
    session: Session,
    name: str,
    role: str,
    *,
    password: str | None = None,
    oidc_subject: str | None = None,
    email: str | None = None,
    details: Mapping[str, str | None] | None = None,
    by: int | None = None,
) -> User:
    """Create an account (ValueError naming the field when the name, role, password or a detail will not do)."""
    name = check_name(name)
    if role not in ROLES:
        raise ValueError(f"role: must be one of {', '.join(ROLES)}")
    if password is not None:
        check_password(password, name)
    stated = check_details(details or {})
    clash = name_clash(session, name)
    if clash is not None:
        raise ValueError(clash)
    user = User(
        name=name,
        role=role,
        password_hash=_hasher.hash(password) if password is not None else None,
        oidc_subject=oidc_subject,
        email=email,
        **stated,
    )
    session.add(user)
    session.flush()
    audit.record(session, actor_id=by, action="user.add", object_type="user", object_id=user.id, detail={"role": role})
    return user


def set_active(session: Session, user_id: int, active: bool, *, by: int | None) -> User | None:
    user = session.get(User, user_id)
    if user is None:
        return None
    if user.active != active:
        user.active = active
        if not active:  # a deactivated account's tokens and sessions stay dead even if it is reactivated
            session.execute(update(ApiToken).where(ApiToken.user_id == user_id).values(revoked=True))
            sessions.end_all(session, user_id)
        action = "user.activate" if active else "user.deactivate"
        audit.record(session, actor_id=by, action=action, object_type="user", object_id=user_id)
    return user


def set_role(session: Session, user_id: int, role: str, *, by: int | None) -> User | None:
    """Give an account another role (None when there is no such account). Its page sessions end: whoever holds
    one signs in again and gets the pages of the new role."""
    if role not in ROLES:
        raise ValueError(f"role: must be one of {', '.join(ROLES)}")
    user = session.get(User, user_id)
    if user is None:
        return None
    if user.role != role:
        detail = {"from": user.role, "to": role}
        user.role = role
        sessions.end_all(session, user_id)
        audit.record(session, actor_id=by, action="user.role", object_type="user", object_id=user_id, detail=detail)
    return user


def set_password(session: Session, user_id: int, password: str, *, by: int | None) -> User | None:
    """A new password for an account (ValueError when it will not do). Every page session of the account ends,
    so a browser that knew the old password is signed out everywhere."""
    user = session.get(User, user_id)
    if user is None:
        return None
    check_password(password, user.name)
    user.password_hash = _hasher.hash(password)
    sessions.end_all(session, user_id)
    audit.record(session, actor_id=by, action="user.password", object_type="user", object_id=user_id)
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.name)))


def by_name(session: Session, name: str) -> User | None:
    """The account called `name`, however its case is typed (names.key); the exact name first, which is how
    accounts whose keys clashed before names were case-blind still sign in (migration 0007)."""
    exact = session.scalar(select(User).where(User.name == unicodedata.normalize("NFKC", name).strip()))
    return exact or session.scalar(select(User).where(User.name_key == names.key(name)))


def name_key(name: str) -> str:
    """A name as sign-in limits count it (names.key)."""
    return names.key(name)[: MAX_NAME * 4]


def password_of(session: Session, name: str) -> tuple[int, str] | None:
    """The id and password hash of the active account with this name, if it has a password."""
    user = by_name(session, name) if len(name) <= MAX_NAME else None
    if user is None or not user.active or user.password_hash is None:
        return None
    return user.id, user.password_hash


def verify_password(session: Session, name: str, password: str) -> User | None:
    """The active user with this name and password, else None (in about the same time either way)."""
    user = by_name(session, name) if len(name) <= MAX_NAME else None
    stored = user.password_hash if user is not None and user.active else None
    if not password_matches(stored, password) or user is None or stored is None:
        return None
    rehash_if_needed(user, password)
    return user


def password_matches(stored: str | None, password: str) -> bool:
    """Whether `password` is the one `stored` is the hash of; with no hash, a dummy one is checked instead, so a
    missing account takes as long as a wrong password. Slow by design: call it outside a write transaction."""
    try:
        _hasher.verify(stored or _DUMMY_HASH, password[:MAX_PASSWORD])
    except (VerificationError, InvalidHashError):
        return False
    return stored is not None


def rehash_if_needed(user: User, password: str) -> None:
    """Re-hash a right password when argon2-cffi's defaults have grown since it was set."""
    if user.password_hash is not None and _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)


# --- API tokens -------------------------------------------------------------------------------------------
#: A token's `last_used_at` moves on at most this often, and its use is audited (`token.used`) at most this often.
TOKEN_TOUCH_EVERY = timedelta(seconds=60)
TOKEN_AUDIT_EVERY = timedelta(hours=1)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(session: Session, user: User, label: str | None = None, *, by: int | None = None) -> str:
    """A new token for `user`: returned once, stored as its hash."""
    token = "cp_" + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, token_hash=token_hash(token), label=(label or "")[:120] or None)
    session.add(row)
    session.flush()
    audit.record(session, actor_id=by, action="token.create", object_type="user", object_id=user.id)
    return token


@dataclass(frozen=True)
class TokenRow:
    """An API token as admins see it: never the token, which is shown once and not stored."""

    id: int
    user: str
    label: str | None
    created_at: datetime
    revoked: bool
    user_active: bool
    #: To the minute (TOKEN_TOUCH_EVERY) and within the service's token cache (web/tokens.py); None: never.
    last_used_at: datetime | None = None

    @property
    def state(self) -> str:
        return "revoked" if self.revoked else "active" if self.user_active else "user deactivated"


def list_tokens(session: Session, user_id: int | None = None) -> list[TokenRow]:
    query = select(ApiToken, User).join(User, User.id == ApiToken.user_id).order_by(ApiToken.id)
    if user_id is not None:
        query = query.where(ApiToken.user_id == user_id)
    return [
        TokenRow(t.id, u.name, t.label, t.created_at, t.revoked, u.active, t.last_used_at)
        for t, u in session.execute(query)
    ]


def revoke_token(session: Session, token_id: int, *, by: int | None) -> ApiToken | None:
    """Revoke one token (None when there is no such token); revoking it twice changes and records nothing."""
    row = session.get(ApiToken, token_id)
    if row is not None and not row.revoked:
        row.revoked = True
        detail = {"token": token_id}
        audit.record(
            session, actor_id=by, action="token.revoke", object_type="user", object_id=row.user_id, detail=detail
        )
    return row


def user_for_token(session: Session, token: str) -> User | None:
    found = token_and_user(session, token)
    return found[0] if found is not None else None


def token_and_user(session: Session, token: str) -> tuple[User, ApiToken] | None:
    """The active user and the live token row this token names, else None."""
    if not token or len(token) > 200:
        return None
    row = session.execute(
        select(User, ApiToken)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == token_hash(token), ApiToken.revoked.is_(False), User.active.is_(True))
    ).first()
    return (row[0], row[1]) if row is not None else None


def token_use_due(row: ApiToken, now: datetime) -> bool:
    """Whether this use should be written down: `last_used_at` moves at most once a minute, so a busy
    integration costs a write a minute, not one a call."""
    return row.last_used_at is None or now - _utc(row.last_used_at) >= TOKEN_TOUCH_EVERY


def note_token_use(session: Session, token_id: int, user_id: int, now: datetime) -> bool:
    """Move the token's `last_used_at` on, and write `token.used` to the audit log if its use was last written
    more than `TOKEN_AUDIT_EVERY` ago; True when an entry was written.

    Both are conditional updates, so concurrent requests in any number of processes write at most one entry an
    hour: the first to update the row wins, the others (PostgreSQL re-checks the condition after waiting for its
    lock; SQLite runs one writer at a time) change nothing."""
    session.execute(
        update(ApiToken)
        .where(ApiToken.id == token_id)
        .where(ApiToken.last_used_at.is_(None) | (ApiToken.last_used_at <= now - TOKEN_TOUCH_EVERY))
        .values(last_used_at=now)
    )
    claimed = session.execute(
        update(ApiToken)
        .where(ApiToken.id == token_id)
        .where(ApiToken.use_audited_at.is_(None) | (ApiToken.use_audited_at <= now - TOKEN_AUDIT_EVERY))
        .values(use_audited_at=now)
    )
    if not getattr(claimed, "rowcount", 0):
        return False
    detail = {"token": token_id}
    audit.record(session, actor_id=user_id, action="token.used", object_type="user", object_id=user_id, detail=detail)
    return True


def _utc(moment: datetime) -> datetime:
    """SQLite hands times back without their zone; every stored time is UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
