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

import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import Annotated, cast

from fastapi import Depends, HTTPException, Request
from starlette.concurrency import run_in_threadpool

from counterpitch.store import accounts, audit
from counterpitch.store.accounts import Actor
from counterpitch.store.tables import User, utcnow
from counterpitch.web.services import Service
from counterpitch.web.settings import Settings

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


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
            raise HTTPException(403, "Your role may not open this page.")
        return actor

    return check


def sign_in(request: Request, user: User) -> None:
    """A fresh session for this user: nothing from the anonymous session carries over."""
    token = service(request).start_session(user.id)
    request.session.clear()
    request.session.update({"uid": user.id, "sid": token, "csrf": secrets.token_urlsafe(32)})


def sign_out(request: Request) -> None:
    """End the session on the server (a copy of the cookie is worth nothing after this) and forget the cookie."""
    token = request.session.get("sid")
    if isinstance(token, str):
        service(request).end_session(token)
    request.session.clear()


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
            raise HTTPException(403, f"role: {actor.role} may not call this")
        return actor

    return check


# --- sign-in rate limiting --------------------------------------------------------------------------------
def client_address(request: Request) -> str:
    if settings(request).trust_proxy:
        forwarded = request.headers.get("x-forwarded-for", "")
        if forwarded:
            return forwarded.split(",")[0].strip()[:64]
    return request.client.host if request.client else "unknown"


def _keys(name: str, address: str) -> tuple[str, str]:
    return f"user:{name.strip().lower()[:200]}", f"addr:{address}"


def sign_in_blocked(request: Request, name: str) -> bool:
    """True when this name or this address failed too often within the window (counted in the database)."""
    s = settings(request)
    user_key, addr_key = _keys(name, client_address(request))
    since = utcnow() - timedelta(seconds=s.login_window_seconds)
    with service(request).store.read() as session:
        return (
            accounts.failures_since(session, user_key, since) >= s.login_max_per_user
            or accounts.failures_since(session, addr_key, since) >= s.login_max_per_address
        )


def check_password(request: Request, name: str, password: str) -> User | None:
    """Verify and record the outcome: failures counted under both keys; success clears the name's count."""
    user_key, addr_key = _keys(name, client_address(request))
    window = timedelta(seconds=settings(request).login_window_seconds)
    with service(request).store.write() as session:
        user = accounts.verify_password(session, name, password)
        if user is None:
            accounts.note_failure(session, [user_key, addr_key])
        else:
            accounts.forget_failures(session, user_key)
            accounts.forget_failures(session, "", older_than=window * 4)
            audit.record(session, actor_id=user.id, action="auth.signin", object_type="user", object_id=user.id)
        return user
