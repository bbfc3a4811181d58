"""Who is asking, for pages (signed session cookie) and for the API (bearer token), and CSRF for forms.

Page routes declare `actor: Actor = Depends(require_page("analyst", "admin"))` (or `page_actor` for any
signed-in user); a visitor without a session is redirected to /signin, a wrong role gets 403. Every
state-changing page route also declares `Depends(verify_csrf)`. API routes use `api_actor` / `require_api`
and never read the cookie, so the API needs no CSRF defence.

The cookie is Starlette's signed cookie (itsdangerous, HttpOnly, SameSite=Lax, Secure by setting) holding
the user id, the session's random token and the CSRF token. The session itself lives on the server
(store/sessions.py): every request looks its token up, so signing out, deactivation and a new role or password
end it at once, wherever the cookie has been copied to, and it ends after an hour unused or eight after sign-in
(settings). Sign-in replaces the whole cookie (new token, new CSRF token).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import Annotated, cast

from fastapi import Depends, HTTPException, Request
from starlette.concurrency import run_in_threadpool

from counterpitch.store import accounts, audit, signin_limits
from counterpitch.store.accounts import Actor
from counterpitch.store.signin_limits import Limits
from counterpitch.store.tables import User
from counterpitch.web.services import Service
from counterpitch.web.settings import Settings
from counterpitch.web.user_agents import summarise

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


class Refused(HTTPException):
    """403 for a signed-in user whose role may not do this; written to the audit log (web/errors.py)."""

    def __init__(self, detail: str) -> None:
        super().__init__(403, detail)


class SignInRequired(Exception):
    """Raised by page dependencies; the app answers with a redirect to the sign-in page."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


def service(request: Request) -> Service:
    return cast(Service, request.app.state.service)


def settings(request: Request) -> Settings:
    return cast(Settings, request.app.state.settings)


# --- pages ------------------------------------------------------------------------------------------------
def session_actor(request: Request) -> Actor | None:
    """The active user whose live server-side session this cookie names, else None."""
    token, uid = request.session.get("sid"), request.session.get("uid")
    if not isinstance(token, str) or not isinstance(uid, int):
        return None
    actor = service(request).actor_by_session(token)
    return actor if actor is not None and actor.id == uid else None


def page_actor(request: Request) -> Actor:
    """The signed-in, active user, or a redirect to sign-in."""
    actor = session_actor(request)
    if actor is None:
        if "uid" in request.session:  # an ended session or a deactivated account: keep nothing of it
            request.session.clear()
        raise SignInRequired(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
    request.state.actor = actor
    return actor


def optional_actor(request: Request) -> Actor | None:
    actor = session_actor(request)
    request.state.actor = actor
    return actor


def require_page(*roles: str) -> Callable[[Actor], Actor]:
    def check(actor: Annotated[Actor, Depends(page_actor)]) -> Actor:
        if actor.role not in roles:
            raise Refused("Your role may not open this page.")
        return actor

    return check


def sign_in(request: Request, user: User) -> None:
    """A fresh session for this user: nothing from the cookie's earlier session carries over, and that session,
    if any, ends on the server too (a copy of the old cookie does not stay signed in)."""
    earlier = request.session.get("sid")
    token = service(request).start_session(
        user.id,
        replacing=earlier if isinstance(earlier, str) else None,
        user_agent=summarise(request.headers.get("user-agent")),
        address=client_address(request),
    )
    request.session.clear()
    request.session.update({"uid": user.id, "sid": token, "csrf": secrets.token_urlsafe(32)})


def sign_out(request: Request) -> None:
    """End the session on the server (a copy of the cookie is worth nothing after this) and forget the cookie."""
    token = request.session.get("sid")
    if isinstance(token, str):
        service(request).end_session(token)
    request.session.clear()


def session_token(request: Request) -> str | None:
    """This browser's session token (to tell its own session from the others on /account)."""
    token = request.session.get("sid")
    return token if isinstance(token, str) else None


def csrf_token(request: Request) -> str:
    """The session's CSRF token (made on first use): put it in every form as a hidden `csrf_token` field."""
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def verify_csrf(request: Request) -> None:
    """403 unless the form field (or the X-CSRF-Token header, for scripts) matches the session's token."""
    expected = request.session.get("csrf")
    given = request.headers.get(CSRF_HEADER)
    if given is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    if not isinstance(expected, str) or not given or not secrets.compare_digest(expected, given):
        raise HTTPException(403, "csrf_token: missing or wrong; reload the page and try again.")


# --- API --------------------------------------------------------------------------------------------------
async def api_actor(request: Request) -> Actor:
    """The user behind `Authorization: Bearer TOKEN`, or 401 (a remembered token skips the thread pool)."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    token = token.strip()
    svc = service(request)
    actor = None
    if scheme.lower() == "bearer" and token:
        actor = svc.tokens.get(token) or await run_in_threadpool(svc.actor_by_token, token)
    if actor is None:
        raise HTTPException(
            401, "authorization: a valid bearer token is required", headers={"WWW-Authenticate": "Bearer"}
        )
    request.state.actor = actor
    return actor


def require_api(*roles: str) -> Callable[[Actor], Actor]:
    def check(actor: Annotated[Actor, Depends(api_actor)]) -> Actor:
        if actor.role not in roles:
            raise Refused(f"role: {actor.role} may not call this")
        return actor

    return check


# --- sign-in and its limits -------------------------------------------------------------------------------
class TooManyAttempts(Exception):
    """A sign-in limit refused the attempt before its password was checked (store/signin_limits.py)."""

    def __init__(self, limit: str, retry_after: int) -> None:
        super().__init__(limit)
        self.limit, self.retry_after = limit, retry_after


def client_address(request: Request) -> str:
    if settings(request).trust_proxy:
        forwarded = request.headers.get("x-forwarded-for", "")
        if forwarded:
            return forwarded.split(",")[0].strip()[:64]
    return request.client.host if request.client else "unknown"


def limits(s: Settings) -> Limits:
    return Limits(
        window=timedelta(seconds=s.login_window_seconds),
        per_pair=s.login_max_per_user,
        per_name=s.login_max_per_user_all_addresses,
        per_address=s.login_max_per_address,
        known_for=timedelta(days=s.login_known_days),
        backoff_after=s.login_backoff_after,
        backoff_base=timedelta(seconds=s.login_backoff_base_seconds),
        backoff_max=timedelta(seconds=s.login_backoff_max_seconds),
    )


def check_password(request: Request, name: str, password: str) -> User | None:
    """The account this name and password sign in, else None; TooManyAttempts when a limit refuses it first.

    Three steps: the attempt is counted (one short transaction, serialised per name and address), the password
    checked outside any transaction (argon2 is slow on purpose), and the outcome written: a right password takes
    its count back; a wrong one stays counted and goes into the audit log."""
    svc, address, key = service(request), client_address(request), accounts.name_key(name)
    rules = limits(settings(request))
    with svc.store.write() as session:
        user_id, stored = accounts.password_of(session, name) or (None, None)
        attempt = signin_limits.begin(session, key, address, user_id, rules)
    if attempt.refused_by is not None:
        raise TooManyAttempts(attempt.refused_by, attempt.retry_after)
    right = accounts.password_matches(stored, password)
    with svc.store.write() as session:
        user = session.get(User, user_id) if user_id is not None and right else None
        if user is not None and user.active and user.password_hash == stored:  # not changed meanwhile
            signin_limits.succeeded(session, attempt, key, address, user.id, rules)
            accounts.rehash_if_needed(user, password)
            audit.record(session, actor_id=user.id, action="auth.signin", object_type="user", object_id=user.id)
            return user
        detail = {"address": address} if user_id is not None else {"address": address, "name_sha256": _digest(key)}
        audit.record(
            session,
            actor_id=None,
            action="auth.signin_failed",
            object_type="user",
            object_id=user_id if user_id is not None else "unknown",
            detail=detail,
        )
        return None


def _digest(name_key: str) -> str:
    """A short digest of a name that is no account: failures can be told apart in the log without keeping what
    was typed (often a password typed into the wrong box)."""
    return hashlib.sha256(name_key.encode("utf-8")).hexdigest()[:16]
