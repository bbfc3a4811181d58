"""A person's own page sessions on /account and API token use in the audit log (issue 17, items 1 and 5), on
SQLite and PostgreSQL. Invented accounts only."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import sqlalchemy as sa
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from counterpitch.cli import app as cli_app
from counterpitch.store.tables import ApiToken, AuditEvent, WebSession, utcnow
from tests.service.test_sessions import copy_of, signed_out
from tests.service.world import PASSWORD, PEOPLE, World, csrf_from_html

HOSTILE_AGENT = '<script>alert("ua")</script><img src=x onerror=alert(1)>'


def sign_in_as(world: World, role: str, agent: str) -> TestClient:
    c = world.client()
    c.headers["User-Agent"] = agent
    token = csrf_from_html(c.get("/signin").text)
    r = c.post("/signin", data={"name": PEOPLE[role][0], "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 303
    return c


def session_ids(world: World, role: str) -> list[int]:
    with world.app.state.service.store.read() as session:
        query = sa.select(WebSession.id).where(WebSession.user_id == world.user_ids[role]).order_by(WebSession.id)
        return list(session.scalars(query))


def test_when_signed_in_then_account_lists_each_browser_and_marks_this_one(world: World) -> None:
    laptop = sign_in_as(world, "reporter", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")
    sign_in_as(
        world,
        "reporter",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Version/17.5 Mobile/15E148 Safari/604.1",
    )
    page = laptop.get("/account")
    assert page.status_code == 200
    assert "Firefox 128 on Linux" in page.text and "Safari 17 on iOS" in page.text
    assert page.text.count("(this browser)") == 1
    assert re.search(r"Firefox 128 on Linux <strong>\(this browser\)</strong>", page.text)
    assert "testclient" in page.text  # the address it signed in from (TestClient's)


def test_when_a_session_is_ended_from_account_then_its_copied_cookie_is_refused(world: World) -> None:
    phone = sign_in_as(world, "reporter", "Phone/1")
    thief = copy_of(world, phone)
    laptop = sign_in_as(world, "reporter", "Laptop/1")
    assert thief.get("/my-reports").status_code == 200
    phone_id = session_ids(world, "reporter")[-2]

    r = laptop.post(f"/account/sessions/{phone_id}/end", data={"csrf_token": world.csrf(laptop)})
    assert r.status_code == 303 and r.headers["location"] == "/account?ended=1"
    assert signed_out(thief) and signed_out(phone)
    assert laptop.get("/my-reports").status_code == 200
    assert "Phone/1" not in laptop.get("/account").text


def test_when_someone_else_ends_your_session_then_404_and_it_lives(world: World) -> None:
    victim = sign_in_as(world, "reporter", "Victim/1")
    victim_id = session_ids(world, "reporter")[-1]
    other = world.page("other")
    r = other.post(f"/account/sessions/{victim_id}/end", data={"csrf_token": world.csrf(other)})
    assert r.status_code == 404
    assert victim.get("/my-reports").status_code == 200
    admin = world.page("admin")  # an admin's own list holds only their own sessions too
    assert admin.post(f"/account/sessions/{victim_id}/end", data={"csrf_token": world.csrf(admin)}).status_code == 404
    assert victim.get("/my-reports").status_code == 200


def test_when_ending_without_csrf_then_refused(world: World) -> None:
    victim = sign_in_as(world, "reporter", "Victim/1")
    victim_id = session_ids(world, "reporter")[-1]
    laptop = world.page("reporter")
    assert laptop.post(f"/account/sessions/{victim_id}/end", data={"csrf_token": "wrong"}).status_code == 403
    assert laptop.post("/account/sessions/end-others", data={}).status_code == 403
    assert victim.get("/my-reports").status_code == 200


def test_when_signing_out_everywhere_else_then_only_this_browser_stays(world: World) -> None:
    a, b = sign_in_as(world, "analyst", "A/1"), sign_in_as(world, "analyst", "B/1")
    stolen = copy_of(world, b)
    here = world.page("analyst")
    r = here.post("/account/sessions/end-others", data={"csrf_token": world.csrf(here)})
    assert r.status_code == 303
    assert signed_out(a, "/queue") and signed_out(b, "/queue") and signed_out(stolen, "/queue")
    assert here.get("/queue").status_code == 200
    assert len(session_ids(world, "analyst")) == 1
    with world.app.state.service.store.read() as session:
        actions = list(session.scalars(sa.select(AuditEvent.action).where(AuditEvent.action.like("session.%"))))
    assert actions == ["session.end_others"]


def test_when_ending_this_browsers_own_session_then_signed_out(world: World) -> None:
    c = world.page("reporter")
    own = session_ids(world, "reporter")[-1]
    r = c.post(f"/account/sessions/{own}/end", data={"csrf_token": world.csrf(c)})
    assert r.status_code == 303 and r.headers["location"] == "/signin"
    assert signed_out(c)


def test_when_the_user_agent_is_hostile_then_it_is_escaped(world: World) -> None:
    sign_in_as(world, "reporter", HOSTILE_AGENT)
    page = world.page("reporter").get("/account")
    assert page.status_code == 200
    assert "<script>alert" not in page.text and "<img src=x" not in page.text
    assert "&lt;script&gt;alert(&#34;ua&#34;)&lt;/script&gt;" in page.text


def test_when_the_user_agent_is_long_or_binary_then_sign_in_still_works(world: World) -> None:
    c = sign_in_as(world, "reporter", "X" * 5000 + "\x7f\t")
    page = c.get("/account")
    assert page.status_code == 200 and "X" * 79 + "…" in page.text


# --- API token use ----------------------------------------------------------------------------------------
def token_row(world: World, role: str) -> ApiToken:
    with world.app.state.service.store.read() as session:
        row = session.scalars(sa.select(ApiToken).where(ApiToken.user_id == world.user_ids[role])).one()
        session.expunge(row)
        return row


def token_used_entries(world: World, role: str) -> list[dict[str, object]]:
    with world.app.state.service.store.read() as session:
        query = sa.select(AuditEvent).where(
            AuditEvent.action == "token.used", AuditEvent.object_id == str(world.user_ids[role])
        )
        return [json.loads(e.detail_json) for e in session.scalars(query)]


def set_times(world: World, role: str, ago: timedelta) -> None:
    """Move the token's last use (and its last audit entry) back in time, as if the clock had run on."""
    with world.app.state.service.store.write() as session:
        moment = utcnow() - ago
        session.execute(
            sa.update(ApiToken)
            .where(ApiToken.user_id == world.user_ids[role])
            .values(last_used_at=moment, use_audited_at=moment)
        )
    world.app.state.service.tokens.clear()  # as if the token cache's 10 seconds had passed


def test_when_a_token_authenticates_then_last_used_moves_and_one_audit_entry_an_hour(world: World) -> None:
    assert token_row(world, "analyst").last_used_at is None
    api = world.api("analyst")
    for _ in range(5):
        assert api.get("/api/v1/reports").status_code == 200
        world.app.state.service.tokens.clear()  # every call reaches the database
    row = token_row(world, "analyst")
    assert row.last_used_at is not None
    assert token_used_entries(world, "analyst") == [{"token": row.id}]

    set_times(world, "analyst", timedelta(minutes=30))  # within the hour: last used moves, no new entry
    assert api.get("/api/v1/reports").status_code == 200
    moved = token_row(world, "analyst").last_used_at
    assert moved is not None and utcnow() - moved.replace(tzinfo=utcnow().tzinfo) < timedelta(minutes=1)
    assert len(token_used_entries(world, "analyst")) == 1

    set_times(world, "analyst", timedelta(minutes=61))  # an hour on: one more
    for _ in range(3):
        assert api.get("/api/v1/reports").status_code == 200
        world.app.state.service.tokens.clear()
    assert len(token_used_entries(world, "analyst")) == 2


def test_when_a_token_is_wrong_or_revoked_then_no_use_is_recorded(world: World) -> None:
    bad = world.client()
    bad.headers["Authorization"] = "Bearer cp_not-a-token"
    assert bad.get("/api/v1/reports").status_code == 401
    with world.app.state.service.store.read() as session:
        assert session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "token.used")) == 2  # setup's


def test_when_tokens_are_listed_then_last_used_is_shown(world: World) -> None:
    world.api("analyst").get("/api/v1/reports")
    result = CliRunner().invoke(
        cli_app, ["tokens", "list", "--user", PEOPLE["analyst"][0], "--db", world.settings.database_url]
    )
    assert result.exit_code == 0, result.output
    header, line = (row.split("\t") for row in result.stdout.strip().splitlines())
    assert header == ["id", "user", "state", "created", "last used", "label"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", line[4])
