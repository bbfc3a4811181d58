"""Page sessions kept on the server (issue 17), on SQLite and PostgreSQL: a copy of the cookie is worth nothing once
the session has ended, by sign-out, deactivation (and reactivation), a new role, a new password, or its time.
Invented accounts only."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from counterpitch.cli import app as cli_app
from counterpitch.engine import Engine
from counterpitch.store.db import Store
from counterpitch.store.migrate import alembic_config, current_revision, head_revision, upgrade
from counterpitch.store.tables import Report, WebSession, utcnow
from counterpitch.web.app import SESSION_COOKIE
from tests.service.world import PASSWORD, PEOPLE, World, csrf_from_html, make_world, session_of

NEW_PASSWORD = "another-invented-phrase-456"


def copy_of(world: World, c: TestClient) -> TestClient:
    """A second browser holding a copy of `c`'s session cookie (what a thief or a shared machine keeps)."""
    thief = world.client()
    cookie = c.cookies.get(SESSION_COOKIE)
    assert cookie
    thief.cookies.set(SESSION_COOKIE, cookie)
    return thief


def signed_out(c: TestClient, path: str = "/my-reports") -> bool:
    r = c.get(path)
    return r.status_code == 303 and r.headers["location"].startswith("/signin")


def sign_in(world: World, name: str, password: str) -> TestClient:
    c = world.client()
    token = csrf_from_html(c.get("/signin").text)
    c.post("/signin", data={"name": name, "password": password, "csrf_token": token})
    return c


def test_when_signed_out_then_a_copied_cookie_is_refused(world: World) -> None:
    c = world.page("reporter")
    thief = copy_of(world, c)
    assert thief.get("/my-reports").status_code == 200
    csrf = world.csrf(c)
    assert c.post("/signout", data={"csrf_token": csrf}).status_code == 303

    assert signed_out(thief)
    store = world.app.state.service.store
    with store.read() as session:
        before = session.scalar(sa.select(sa.func.count()).select_from(Report))
    r = thief.post("/report", data={"text": "We pay for notes; keep it between us.", "csrf_token": csrf})
    assert r.status_code == 303 and r.headers["location"].startswith("/signin")
    with store.read() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Report)) == before  # nothing was filed


def test_when_one_browser_signs_out_then_the_others_stay_signed_in(world: World) -> None:
    laptop, phone = world.page("analyst"), world.page("analyst")
    laptop.post("/signout", data={"csrf_token": world.csrf(laptop)})
    assert signed_out(laptop)
    assert phone.get("/queue").status_code == 200


def test_when_deactivated_then_reactivated_then_old_cookies_stay_dead(world: World) -> None:
    victim = world.page("other")
    thief = copy_of(world, victim)
    admin = world.page("admin")
    uid = world.user_ids["other"]
    assert admin.post(f"/admin/users/{uid}/deactivate", data={"csrf_token": world.csrf(admin)}).status_code == 303
    assert admin.post(f"/admin/users/{uid}/activate", data={"csrf_token": world.csrf(admin)}).status_code == 303
    assert signed_out(thief)
    assert signed_out(victim)
    assert world.page("other").get("/my-reports").status_code == 200  # a new sign-in works


def test_when_the_role_changes_then_every_session_of_the_account_ends(world: World) -> None:
    victim = world.page("other")
    thief = copy_of(world, victim)
    admin = world.page("admin")
    uid = world.user_ids["other"]
    r = admin.post(f"/admin/users/{uid}/role", data={"role": "analyst", "csrf_token": world.csrf(admin)})
    assert r.status_code == 303
    assert signed_out(thief) and signed_out(victim)
    assert world.page("other").get("/queue").status_code == 200  # signed in again, with the new role's pages
    assert admin.get("/admin/users").status_code == 200  # the admin's own session is untouched


def test_an_admin_cannot_change_their_own_role(world: World) -> None:
    admin = world.page("admin")
    uid = world.user_ids["admin"]
    r = admin.post(f"/admin/users/{uid}/role", data={"role": "reporter", "csrf_token": world.csrf(admin)})
    assert r.status_code == 422 and "your own role" in r.text
    assert admin.get("/admin/users").status_code == 200


def test_when_the_password_changes_then_every_session_ends_and_only_the_new_one_signs_in(world: World) -> None:
    victim = world.page("other")
    thief = copy_of(world, victim)
    name = PEOPLE["other"][0]
    args = ["users", "password", name, "--password-stdin", "--db", world.settings.database_url]
    r = CliRunner().invoke(cli_app, args, input=NEW_PASSWORD + "\n")
    assert r.exit_code == 0, r.output
    assert signed_out(thief) and signed_out(victim)
    assert signed_out(sign_in(world, name, PASSWORD))
    assert sign_in(world, name, NEW_PASSWORD).get("/my-reports").status_code == 200


def _age(world: World, **moved: timedelta) -> None:
    """Move every session's times back, as if that much time had passed."""
    with world.app.state.service.store.write() as session:
        for column, delta in moved.items():
            session.execute(sa.update(WebSession).values({column: utcnow() - delta}))


def test_when_idle_too_long_then_the_session_ends(db_url: str, tmp_path: Path, engine: Engine) -> None:
    w = make_world(db_url, tmp_path, engine, session_idle_seconds=600)
    c = w.page("reporter")
    _age(w, last_seen_at=timedelta(minutes=5))
    assert c.get("/my-reports").status_code == 200  # within the idle limit: still signed in, and touched
    with w.app.state.service.store.read() as session:
        seen = session.scalars(sa.select(WebSession.last_seen_at)).one()
    assert abs((utcnow() - (seen if seen.tzinfo else seen.replace(tzinfo=utcnow().tzinfo))).total_seconds()) < 60
    _age(w, last_seen_at=timedelta(minutes=11))
    assert signed_out(c)
    with w.app.state.service.store.read() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(WebSession)) == 0  # the row went with it


def test_when_older_than_the_absolute_limit_then_the_session_ends_however_busy(
    db_url: str, tmp_path: Path, engine: Engine
) -> None:
    w = make_world(db_url, tmp_path, engine, session_max_age=8 * 3600)
    c = w.page("reporter")
    _age(w, created_at=timedelta(hours=8, minutes=1))  # used a moment ago, signed in over 8 hours ago
    assert signed_out(c)


def test_the_database_keeps_only_a_hash_of_the_session_token(world: World) -> None:
    c = world.page("reporter")
    token = session_of(c, world.settings.secret_key)["sid"]
    with world.app.state.service.store.read() as session:
        rows = session.scalars(sa.select(WebSession.token_hash)).all()
    assert token not in rows
    assert hashlib.sha256(token.encode()).hexdigest() in rows


def test_migration_0005_adds_the_session_table_and_takes_it_away_again(db_url: str) -> None:
    store = Store(db_url)
    try:
        upgrade(store.engine, "0005")
        assert "web_sessions" in sa.inspect(store.engine).get_table_names()
        with store.engine.begin() as c:
            command.downgrade(alembic_config(c), "0004")
        assert "web_sessions" not in sa.inspect(store.engine).get_table_names()
        upgrade(store.engine)
        assert current_revision(store.engine) == head_revision()
    finally:
        store.dispose()


def test_when_a_browser_signs_in_again_then_its_earlier_session_ends(world: World) -> None:
    c = world.page("reporter")
    thief = copy_of(world, c)
    r = c.post("/signin", data={"name": PEOPLE["reporter"][0], "password": PASSWORD, "csrf_token": world.csrf(c)})
    assert r.status_code == 303
    assert c.get("/my-reports").status_code == 200
    assert signed_out(thief)
