"""OpenID Connect sign-in against a real (minimal) provider on loopback: the allow-list decides who gets an
account and with what role; the subject, not the name or e-mail, identifies the account afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from counterpitch.engine import Engine
from counterpitch.store import accounts
from tests.service.oidc_provider import CLIENT_ID, CLIENT_SECRET, Provider, provider
from tests.service.world import World, make_world, session_of


@pytest.fixture
def idp() -> Iterator[Provider]:
    with provider() as p:
        yield p


@pytest.fixture
def oworld(db_url: str, tmp_path: Path, engine: Engine, idp: Provider) -> Iterator[World]:
    w = make_world(
        db_url,
        tmp_path,
        engine,
        oidc_issuer=idp.issuer,
        oidc_client_id=CLIENT_ID,
        oidc_client_secret=CLIENT_SECRET,
        oidc_roles="nadia@example.org=analyst,*=reporter",
    )
    yield w
    w.app.state.service.store.dispose()


def sign_in(world: World, idp: Provider, **person: str) -> tuple[TestClient, int]:
    """Follow the whole code flow: app -> provider (real HTTP) -> app callback."""
    idp.person = person
    c = world.client()
    start = c.get("/signin/oidc")
    assert start.status_code == 302 and start.headers["location"].startswith(f"{idp.issuer}/authorize?")
    back = httpx.get(start.headers["location"], follow_redirects=False)
    assert back.status_code == 302
    done = c.get(back.headers["location"].removeprefix("http://testserver"))
    return c, done.status_code


def test_an_allow_listed_person_gets_the_listed_role(oworld: World, idp: Provider) -> None:
    c, status = sign_in(oworld, idp, sub="idp-0001", email="nadia@example.org")
    assert status == 303
    uid = session_of(c, oworld.settings.secret_key)["uid"]
    with oworld.app.state.service.store.read() as session:
        user = accounts.by_name(session, "nadia@example.org")
        assert user is not None and user.id == uid and user.role == "analyst" and user.oidc_subject == "idp-0001"
        assert user.password_hash is None
    assert c.get("/api/v1/reports").status_code == 401  # a session is not an API token


def test_the_subject_identifies_the_account_on_later_sign_ins(oworld: World, idp: Provider) -> None:
    first, _ = sign_in(oworld, idp, sub="idp-0002", email="someone@example.org")
    again, status = sign_in(oworld, idp, sub="idp-0002", email="renamed@example.org")
    assert status == 303
    key = oworld.settings.secret_key
    assert session_of(first, key)["uid"] == session_of(again, key)["uid"]


def test_when_not_allowed_or_deactivated_then_refused(
    db_url: str, tmp_path: Path, engine: Engine, idp: Provider
) -> None:
    w = make_world(
        db_url,
        tmp_path,
        engine,
        oidc_issuer=idp.issuer,
        oidc_client_id=CLIENT_ID,
        oidc_client_secret=CLIENT_SECRET,
        oidc_roles="nadia@example.org=analyst",
    )
    c, status = sign_in(w, idp, sub="idp-0003", email="stranger@example.org")
    assert status == 403 and "uid" not in session_of(c, w.settings.secret_key)
    _, status = sign_in(w, idp, sub="idp-0004", email="nadia@example.org")
    assert status == 303
    service = w.app.state.service
    admin = service.actor_by_token(w.tokens["admin"])
    with service.store.read() as session:
        user = accounts.by_name(session, "nadia@example.org")
        assert user is not None
    service.set_user_active(admin, user.id, False)
    _, status = sign_in(w, idp, sub="idp-0004", email="nadia@example.org")
    assert status == 403
    w.app.state.service.store.dispose()


def test_a_forged_callback_is_refused(oworld: World, idp: Provider) -> None:
    c = oworld.client()
    r = c.get("/signin/oidc/callback?code=made-up&state=made-up")
    assert r.status_code == 400 and "OpenID Connect sign-in failed" in r.text
    assert c.get("/").headers["location"].startswith("/signin")
