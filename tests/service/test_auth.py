"""Sign-in, sessions, CSRF and rate limiting, on SQLite and PostgreSQL. Invented accounts only."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from counterpitch.engine import Engine
from counterpitch.web.app import create_app
from counterpitch.web.nav import endpoints
from counterpitch.web.security import CSP
from tests.service.world import PASSWORD, PEOPLE, World, csrf_from_html, make_world, session_of


def test_sign_in_replaces_the_session_and_sets_safe_cookie_flags(world: World) -> None:
    c = world.client()
    form = c.get("/signin")
    before = session_of(c, world.settings.secret_key)
    token = csrf_from_html(form.text)
    r = c.post("/signin", data={"name": PEOPLE["analyst"][0], "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 303 and r.headers["location"] == "/"
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie
    after = session_of(c, world.settings.secret_key)
    assert after["uid"] == world.user_ids["analyst"]
    assert after["csrf"] != before["csrf"] and after["sid"]


def test_secure_flag_when_configured(db_url: str, tmp_path: Path, engine: Engine) -> None:
    w = make_world(db_url, tmp_path, engine, cookie_secure=True)
    r = w.client().get("/signin")
    assert "secure" in r.headers["set-cookie"].lower()
    assert r.headers["strict-transport-security"].startswith("max-age=")


def test_sign_out_ends_the_session(world: World) -> None:
    c = world.page("reporter")
    r = c.post("/signout", data={"csrf_token": world.csrf(c)})
    assert r.status_code == 303
    r = c.get("/")
    assert r.status_code == 303 and r.headers["location"].startswith("/signin")


def test_wrong_password_and_unknown_user_look_the_same(world: World) -> None:
    c = world.client()
    token = csrf_from_html(c.get("/signin").text)
    wrong = c.post("/signin", data={"name": PEOPLE["admin"][0], "password": "wrong-password", "csrf_token": token})
    nobody = c.post("/signin", data={"name": "no-such-user", "password": "wrong-password", "csrf_token": token})
    assert wrong.status_code == nobody.status_code == 401
    assert "Wrong user name or password." in wrong.text and "Wrong user name or password." in nobody.text
    assert "uid" not in session_of(c, world.settings.secret_key)


def page_posts(world: World) -> list[str]:
    bearer = ("/api/", "/taxii2/")  # token-only routes: no cookie is read, so no CSRF to forge
    paths = [p for p, methods in endpoints(world.app) if "POST" in methods and not p.startswith(bearer)]
    return [world.url(p) for p in paths]


@pytest.mark.parametrize("token", [None, "", "forged-token"])
def test_when_the_csrf_token_is_missing_or_wrong_then_every_form_post_is_refused(
    world: World, token: str | None
) -> None:
    admin = world.page("admin")
    audit_before = admin.get("/admin/audit").text.count("<tr>")
    for path in page_posts(world):
        data = {"name": "csrf-victim", "role": "admin", "password": "a-long-password"}
        if token is not None:
            data["csrf_token"] = token
        r = admin.post(path, data=data)
        assert r.status_code == 403, path
        assert "csrf_token" in r.text
    assert admin.get("/admin/audit").text.count("<tr>") == audit_before  # nothing changed
    assert session_of(admin, world.settings.secret_key)["uid"] == world.user_ids["admin"]


def test_csrf_token_in_a_header_is_accepted(world: World) -> None:
    admin = world.page("admin")
    r = admin.post(f"/admin/users/{world.user_ids['victim']}/deactivate", headers={"X-CSRF-Token": world.csrf(admin)})
    assert r.status_code == 303


def test_after_sign_in_only_local_paths_are_followed(world: World) -> None:
    for target, expect in [("/admin/audit", "/admin/audit"), ("//evil.example/x", "/"), ("https://evil.example", "/")]:
        c = world.client()
        token = csrf_from_html(c.get("/signin").text)
        data = {"name": PEOPLE["admin"][0], "password": PASSWORD, "csrf_token": token, "next": target}
        assert c.post("/signin", data=data).headers["location"] == expect


def _attempt(c: TestClient, name: str, password: str) -> int:
    token = csrf_from_html(c.get("/signin").text)
    return c.post("/signin", data={"name": name, "password": password, "csrf_token": token}).status_code


def test_rate_limit_per_user_name_holds_across_processes(db_url: str, tmp_path: Path, engine: Engine) -> None:
    """Two app instances on one database stand for two worker processes: failures at one count at the other."""
    first = make_world(db_url, tmp_path / "a", engine, login_max_per_user=3)
    second = World(create_app(first.settings, engine=engine), first.settings)
    name = PEOPLE["analyst"][0]
    for _ in range(3):
        assert _attempt(first.client(), name, "wrong-password") == 401
    assert _attempt(second.client(), name, PASSWORD) == 429  # even the right password, for now
    assert _attempt(second.client(), PEOPLE["admin"][0], PASSWORD) == 303  # other names are not affected


def test_rate_limit_per_client_address(db_url: str, tmp_path: Path, engine: Engine) -> None:
    w = make_world(db_url, tmp_path, engine, login_max_per_address=4)
    for i in range(4):
        assert _attempt(w.client(), f"guess-{i}", "wrong-password") == 401
    assert _attempt(w.client(), PEOPLE["admin"][0], PASSWORD) == 429


def test_security_headers_on_pages_and_api(world: World) -> None:
    for r in (world.client().get("/signin"), world.api("reporter").get("/api/v1/reports")):
        assert r.headers["content-security-policy"] == CSP
        assert "'unsafe-inline'" not in CSP and "script-src 'self'" in CSP
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "no-referrer"


def test_a_hostile_user_name_is_shown_as_text(world: World) -> None:
    admin = world.page("admin")
    hostile = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    r = admin.post(
        "/admin/users",
        data={"name": hostile, "role": "reporter", "password": "a-long-password", "csrf_token": world.csrf(admin)},
    )
    assert r.status_code == 303
    page = admin.get("/admin/users").text
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page
