"""OpenID Connect sign-in (authlib's Starlette client), only when issuer, client id and secret are set.

The issuer vouches for who someone is; this service still decides what they may do. An identity is mapped to
an account by its `sub` (users.oidc_subject). A first sign-in creates the account only when the e-mail
address or subject is on the allow-list setting (or "*" is), with the role the list gives.
"""

from __future__ import annotations

from typing import Any, cast

from authlib.integrations.starlette_client import OAuth, OAuthError  # type: ignore[import-untyped]
from fastapi import APIRouter, HTTPException, Request
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from counterpitch.store import accounts, audit
from counterpitch.store.tables import ROLES, User
from counterpitch.web.auth import service, settings, sign_in
from counterpitch.web.settings import Settings


def router_for(conf: Settings) -> APIRouter:
    oauth = OAuth()
    oauth.register(
        "oidc",
        client_id=conf.oidc_client_id,
        client_secret=conf.oidc_client_secret,
        server_metadata_url=conf.oidc_issuer.rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs={"scope": "openid email profile"},
    )
    client: Any = oauth.create_client("oidc")
    router = APIRouter(prefix="/signin/oidc", include_in_schema=False)

    @router.get("")
    async def start(request: Request) -> Response:
        return cast(Response, await client.authorize_redirect(request, str(request.url_for("oidc_callback"))))

    @router.get("/callback", name="oidc_callback")
    async def callback(request: Request) -> Response:
        try:
            token = await client.authorize_access_token(request)
        except OAuthError as exc:
            raise HTTPException(400, f"OpenID Connect sign-in failed: {exc.error}") from None
        claims = token.get("userinfo") or {}
        subject = str(claims.get("sub") or "")
        if not subject:
            raise HTTPException(400, "OpenID Connect sign-in failed: the issuer sent no subject")
        user = await run_in_threadpool(_account, request, subject, str(claims.get("email") or ""))
        if user is None:
            raise HTTPException(403, "Your account is not allowed to use this service. Ask an administrator.")
        await run_in_threadpool(sign_in, request, user)  # the database, off the event loop
        return RedirectResponse("/", status_code=303)

    return router


def _account(request: Request, subject: str, email: str) -> User | None:
    """The active account for this subject, created on first sign-in when the allow-list gives a role."""
    roles = settings(request).oidc_role_map()
    with service(request).store.write() as session:
        user = session.scalar(select(User).where(User.oidc_subject == subject))
        if user is None:
            role = roles.get(email.lower()) or roles.get(subject.lower()) or roles.get("*")
            if role not in ROLES:
                return None
            name = _free_name(session, email or subject)
            user = accounts.add_user(session, name, role, oidc_subject=subject, email=email or None)
        if not user.active:
            return None
        audit.record(session, actor_id=user.id, action="auth.signin", object_type="user", object_id=user.id)
        return user


def _free_name(session: Any, wanted: str) -> str:
    """An unused user name from the e-mail or subject the issuer sent (printable, short enough, like no other)."""
    base = "".join(c for c in wanted if c.isprintable()).strip()[: accounts.MAX_NAME - 4] or "oidc-user"
    name, n = base, 1
    while accounts.name_clash(session, name) is not None:
        n += 1
        name = f"{base}-{n}"
    return name
