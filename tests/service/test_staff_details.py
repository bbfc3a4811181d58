"""Who the reporter is: each account's title, team and organisation, kept by the store (SQLite and PostgreSQL),
set from the command line, the person's own page and the admin's users page, and used as the recipient of the
approaches they report. Every person, role and message here is invented.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from counterpitch.audit.approached import read_reports
from counterpitch.cli import app as cli_app
from counterpitch.model import Profile
from counterpitch.store import accounts
from counterpitch.store.accounts import MAX_DETAIL, clean_detail
from counterpitch.store.db import Store
from counterpitch.store.migrate import alembic_config, current_revision, upgrade
from counterpitch.store.tables import Alert, AuditEvent, Base, User
from counterpitch.web.services import Forbidden
from tests.service.world import PASSWORD, World, approach, csrf_from_html

TITLE = "Parliamentary Researcher, House of Commons"
TEAM = "Trade Committee"
#: A message with nothing hostile in its words: what it is worth depends on who received it.
BLAND = "Hello, I read your note on trade policy and would be glad to connect and compare views some time."
TARGETING = "targeting.recipient_access"


def detectors(assessment: dict[str, Any]) -> set[str]:
    return {f["detector"] for f in assessment["findings"]}


def recipient_of(client: TestClient, report_id: int) -> dict[str, Any]:
    """The stored approach's recipient as the API gives it back (empty lists left out)."""
    recipient = client.get(f"/api/v1/reports/{report_id}").json()["approach"]["recipient"]
    return {k: v for k, v in recipient.items() if v != []}


def page_text(html: str) -> str:
    """What a reader sees: tags (the <mark>s of highlighted evidence) removed."""
    return re.sub(r"<[^>]+>", "", html)


def actor_of(world: World, role: str) -> accounts.Actor:
    actor = world.app.state.service.actor_by_id(world.user_ids[role])
    assert actor is not None
    return actor


def set_own(world: World, role: str, **details: str) -> None:
    world.app.state.service.set_details(actor_of(world, role), world.user_ids[role], details)


def own_details(world: World, role: str = "reporter") -> accounts.StaffDetails | None:
    return world.app.state.service.details(actor_of(world, role), world.user_ids[role])


def post_form(c: TestClient, path: str, data: dict[str, str], **kwargs: Any) -> Any:
    form = c.get("/account")
    return c.post(path, data={**data, "csrf_token": csrf_from_html(form.text)}, **kwargs)


# --- the store --------------------------------------------------------------------------------------------
def test_migration_0004_adds_the_details_and_keeps_every_account_and_token(db_url: str) -> None:
    store = Store(db_url)
    try:
        upgrade(store.engine, "0003")
        with store.engine.begin() as c:
            c.execute(
                sa.text(
                    "INSERT INTO users (name, role, active, created_at) "
                    "VALUES ('old.hand', 'reporter', true, CURRENT_TIMESTAMP)"
                )
            )
            user_id = c.execute(sa.text("SELECT id FROM users WHERE name = 'old.hand'")).scalar_one()
            c.execute(
                sa.text(
                    "INSERT INTO api_tokens (user_id, token_hash, created_at, revoked) "
                    "VALUES (:u, 'h', CURRENT_TIMESTAMP, false)"
                ),
                {"u": user_id},
            )
        upgrade(store.engine, "0004")  # this revision, not the head: later ones have their own tests
        assert current_revision(store.engine) == "0004"
        with store.engine.begin() as c:  # plain SQL: the tables in tables.py are those of the newest revision
            details = c.execute(sa.text("SELECT title, team, organisation FROM users WHERE name = 'old.hand'")).one()
            assert tuple(details) == (None, None, None)
            c.execute(sa.text("UPDATE users SET title = :t WHERE name = 'old.hand'"), {"t": TITLE})
        with store.engine.begin() as c:  # and back: the columns go, the account and its token stay
            command.downgrade(alembic_config(c), "0003")
        columns = {col["name"] for col in sa.inspect(store.engine).get_columns("users")}
        assert not {"title", "team", "organisation"} & columns
        with store.engine.connect() as c:
            assert c.execute(sa.text("SELECT count(*) FROM api_tokens")).scalar_one() == 1
            assert c.execute(sa.text("SELECT name FROM users")).scalars().all() == ["old.hand"]
        upgrade(store.engine, "0004")
        assert current_revision(store.engine) == "0004"
    finally:
        store.dispose()


def test_the_tables_match_the_migrated_schema(db_url: str) -> None:
    store = Store(db_url)
    try:
        upgrade(store.engine)
        with store.engine.connect() as c:
            assert compare_metadata(MigrationContext.configure(c, opts={"compare_type": True}), Base.metadata) == []
    finally:
        store.dispose()


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("  Parliamentary\tResearcher\n ", "Parliamentary Researcher"),
        ("Analyst\u202e tsylanA", "Analyst tsylanA"),  # a right-to-left override would flip what is shown
        ("Policy\x00 \x07Adviser\r\nTrade", "Policy Adviser Trade"),
        ("Conseille\u0300re", "Conseillère"),  # one form (NFC), as typed on another keyboard
        ("<b>Head</b> of \u2066Sonar\u2069", "<b>Head</b> of Sonar"),  # markup is kept as text, escaped on pages
        ("x" * MAX_DETAIL, "x" * MAX_DETAIL),
        ("", None),
        (" \t\u200b ", None),
    ],
)
def test_details_are_cleaned_to_one_printable_line(given: str, kept: str | None) -> None:
    assert clean_detail("title", given) == kept


def test_when_a_detail_is_too_long_or_unknown_then_the_error_names_it() -> None:
    with pytest.raises(ValueError, match=rf"^team: at most {MAX_DETAIL} characters \(201 given\)$"):
        clean_detail("team", "y" * 201)
    with pytest.raises(ValueError, match=r"^clearance: not a detail"):
        accounts.check_details({"clearance": "DV"})


def test_details_change_only_what_is_given_and_the_audit_names_fields_not_values(world: World) -> None:
    service = world.app.state.service
    reporter = actor_of(world, "reporter")
    assert service.set_details(reporter, reporter.id, {"title": TITLE, "team": TEAM})
    assert service.set_details(reporter, reporter.id, {"team": "", "organisation": "House of Commons"})
    assert service.set_details(reporter, reporter.id, {"organisation": "House of Commons"})  # no change, no row
    details = service.details(reporter, reporter.id)
    assert details == accounts.StaffDetails(TITLE, None, "House of Commons")
    with service.store.read() as session:
        rows = session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "user.details")).all()
    assert [json.loads(r.detail_json) for r in rows] == [
        {"fields": ["title", "team"]},
        {"fields": ["team", "organisation"]},
    ]
    assert all(r.actor_id == reporter.id and r.object_id == str(reporter.id) for r in rows)


def test_only_an_admin_changes_someone_elses_details(world: World) -> None:
    service = world.app.state.service
    other = world.user_ids["other"]
    for role in ("reporter", "analyst"):
        with pytest.raises(Forbidden):
            service.set_details(actor_of(world, role), other, {"title": "Spy"})
        with pytest.raises(Forbidden):
            service.details(actor_of(world, role), other)
    admin = actor_of(world, "admin")
    assert service.set_details(admin, other, {"title": "Senior Economist"})
    assert service.details(admin, other) == accounts.StaffDetails("Senior Economist")
    assert service.set_details(admin, 999_999, {"title": "Nobody"}) is False
    with pytest.raises(ValueError, match=r"^title: at most"):
        service.set_details(admin, other, {"title": "z" * 500})


# --- the command line -------------------------------------------------------------------------------------
def test_users_add_and_set_keep_the_details(db_url: str) -> None:
    runner = CliRunner()
    add = ["users", "add", "cleo.cli", "--role", "reporter", "--password-stdin", "--db", db_url]
    r = runner.invoke(cli_app, [*add, "--title", TITLE, "--team", TEAM], input=PASSWORD + "\n")
    assert r.exit_code == 0, r.output
    assert f"added cleo.cli (reporter, title '{TITLE}', team '{TEAM}')" in r.output

    change = ["users", "set", "cleo.cli", "--team", "", "--organisation", "[House] of Commons", "--db", db_url]
    r = runner.invoke(cli_app, change)
    assert r.exit_code == 0, r.output
    assert f"cleo.cli: title '{TITLE}', organisation '[House] of Commons'" in r.output  # brackets are not markup

    store = Store(db_url)
    try:
        with store.read() as session:
            user = accounts.by_name(session, "cleo.cli")
            assert user is not None
            assert accounts.details_of(user) == accounts.StaffDetails(TITLE, None, "[House] of Commons")
            assert accounts.verify_password(session, "cleo.cli", PASSWORD) is not None
    finally:
        store.dispose()

    for args, message in (
        (["users", "set", "nobody.here", "--title", "x"], "no user called 'nobody.here'"),
        (["users", "set", "cleo.cli"], "give at least one of --title, --team, --organisation"),
        (["users", "add", "dan.long", "--role", "reporter", "--title", "t" * 201], "title: at most 200 characters"),
    ):
        r = runner.invoke(cli_app, [*args, "--db", db_url])  # no password given: a bad detail is refused first
        assert r.exit_code == 2 and message in r.output, (args, r.output)


# --- screening for the reporter's role --------------------------------------------------------------------
def test_assess_is_for_the_callers_role_unless_the_approach_names_a_recipient(world: World) -> None:
    api = world.api("reporter")
    assert api.post("/api/v1/reports", json={"id": "warm-up", "text": BLAND}).status_code == 201  # token remembered
    set_own(world, "reporter", title=TITLE, team=TEAM)  # takes effect at once, remembered token or not

    mine = api.post("/api/v1/assess", json={"id": "a1", "text": BLAND}).json()
    assert TARGETING in detectors(mine)
    hit = next(f for f in mine["findings"] if f["detector"] == TARGETING)
    assert [(e["field"], e["quote"]) for e in hit["evidence"]][:2] == [
        ("recipient.headline", "Parliamentary"),  # parliament: the team's "Committee" adds nothing new
        ("recipient.headline", "Researcher"),  # research
    ]

    named = api.post("/api/v1/assess", json={"id": "a2", "text": BLAND, "recipient": {"headline": "Florist"}})
    assert TARGETING not in detectors(named.json())
    nobody = api.post("/api/v1/assess", json={"id": "a3", "text": BLAND, "recipient": None})
    assert TARGETING not in detectors(nobody.json())
    other = world.api("other").post("/api/v1/assess", json={"id": "a4", "text": BLAND}).json()
    assert TARGETING not in detectors(other)


def test_a_report_is_stored_with_the_recipient_it_was_assessed_for(world: World) -> None:
    set_own(world, "reporter", title=TITLE, team=TEAM, organisation="House of Commons")
    api = world.api("reporter")
    r = api.post("/api/v1/reports", json={"id": "r1", "text": BLAND})
    assert r.status_code == 201 and TARGETING in detectors(r.json()["assessment"])
    report_id = r.json()["id"]
    expected = {"headline": TITLE, "organisation": f"{TEAM}, House of Commons"}
    assert recipient_of(api, report_id) == expected

    set_own(world, "reporter", title="Florist", team="", organisation="")  # later changes leave the report alone
    assert recipient_of(api, report_id) == expected
    with world.app.state.service.store.read() as session:
        stored = session.execute(sa.text("SELECT approach_json FROM reports WHERE id = :i"), {"i": report_id})
        assert json.loads(stored.scalar_one())["recipient"].items() >= expected.items()

    given = {"name": "Staff Member", "headline": "Policy adviser", "email": "staff@invented.example"}
    r = api.post("/api/v1/reports", json={"id": "r2", "text": BLAND, "recipient": given})
    assert recipient_of(api, r.json()["id"]) == given


def test_the_web_form_is_assessed_for_the_reporters_role_and_says_so(world: World) -> None:
    c = world.page("reporter")
    saved = post_form(c, "/account", {"title": TITLE, "team": TEAM, "organisation": ""})
    assert saved.status_code == 303 and saved.headers["location"] == "/account?saved=1"
    page = c.get("/account?saved=1").text
    assert f'value="{TITLE}"' in page and "Saved." in page

    r = post_form(c, "/report", {"text": BLAND, "sender_name": "Ines Varga"})
    assert r.status_code == 303
    verdict = c.get(r.headers["location"]).text
    assert f'Assessed for: <strong class="untrusted inline">{TITLE} · {TEAM}</strong>' in verdict
    assert 'href="/account">change my details' in verdict
    assert "You hold a role with access worth cultivating" in verdict

    other = world.page("other")
    r = post_form(other, "/report", {"text": BLAND})
    verdict = other.get(r.headers["location"]).text
    assert "Your role was not taken into account" in verdict and "Assessed for" not in verdict


def test_an_uploaded_email_keeps_its_to_address_and_gains_the_reporters_role(world: World) -> None:
    set_own(world, "reporter", title=TITLE)
    eml = (
        b"From: Ines Varga <ines@varga-insight.example>\r\nTo: Rhea Reporter <rhea@invented.example>\r\n"
        b"Subject: Hello\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + BLAND.encode() + b"\r\n"
    )
    c = world.page("reporter")
    r = post_form(c, "/report", {}, files={"eml": ("approach.eml", eml, "message/rfc822")})
    assert r.status_code == 303, r.text
    report_id = int(r.headers["location"].split("/")[-1].split("?")[0])
    recipient = recipient_of(world.api("reporter"), report_id)
    assert recipient["email"] == "rhea@invented.example" and recipient["headline"] == TITLE


# --- the pages --------------------------------------------------------------------------------------------
def test_the_account_page_refuses_too_long_details_and_escapes_what_it_keeps(world: World) -> None:
    c = world.page("reporter")
    r = post_form(c, "/account", {"title": "T" * 201, "team": "Kept as typed"})
    assert r.status_code == 422
    assert "title: at most 200 characters (201 given)" in r.text and 'value="Kept as typed"' in r.text
    assert own_details(world) == accounts.StaffDetails()

    payload = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    assert post_form(c, "/account", {"title": payload, "team": TEAM}).status_code == 303
    page = c.get("/account").text
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img" not in page

    no_token = c.post("/account", data={"title": "Changed without a token"})
    assert no_token.status_code == 403
    assert own_details(world).title == payload


def test_every_role_reaches_its_details_from_the_nav(world: World) -> None:
    for role in ("reporter", "analyst", "admin"):
        page = world.page(role).get("/account")
        assert page.status_code == 200 and '<a href="/account" aria-current="page">My details</a>' in page.text


def test_an_admin_sets_details_on_the_users_page(world: World) -> None:
    c = world.page("admin")
    victim = world.user_ids["victim"]
    r = post_form(c, f"/admin/users/{victim}/details", {"title": "Senior <Economist>", "team": TEAM})
    assert r.status_code == 303 and r.headers["location"] == f"/admin/users?saved={victim}"
    page = c.get(r.headers["location"]).text
    assert "Saved the details of vic.spare." in page and f"Senior &lt;Economist&gt; · {TEAM}" in page

    new = {"name": "new.person", "role": "reporter", "password": "a-long-password", "title": TITLE}
    r = post_form(c, "/admin/users", new)
    assert r.status_code == 303
    assert TITLE in c.get("/admin/users").text

    bad = post_form(c, f"/admin/users/{victim}/details", {"organisation": "o" * 300})
    assert bad.status_code == 422 and "organisation: at most 200 characters" in bad.text
    assert post_form(c, "/admin/users/999999/details", {"title": "x"}).status_code == 404


# --- where staff details must not go ----------------------------------------------------------------------
def test_staff_details_stay_with_their_report_and_the_security_team(world: World) -> None:
    """Another reporter never sees them (not even in a shared campaign); the audit log names fields only; the
    alert briefing gives targets by title (decision 0022) and no more; an audit's link to the reporter still
    goes by their account, since the recipient stored has no name."""
    team = "Team Kestrel-Unique-Marker"
    set_own(world, "reporter", title=TITLE, team=team)
    persona = {"name": "Ilse Marren", "company": "Brightwater Policy Studio",
               "profile_url": "https://www.linkedin.com/in/ilse-marren-bps"}  # fmt: skip
    ids = {}
    for role in ("reporter", "other"):
        body = {k: v for k, v in approach(f"leak-{role}", sender=persona).items() if k != "recipient"}
        r = world.api(role).post("/api/v1/reports", json=body)
        assert r.status_code == 201
        ids[role] = r.json()["id"]

    other_api, other_page = world.api("other"), world.page("other")
    seen = [other_api.get("/api/v1/reports").text, other_api.get(f"/api/v1/reports/{ids['other']}").text]
    seen += [other_page.get(p).text for p in ("/my-reports", f"/my-reports/{ids['other']}", "/report", "/account")]
    assert not any(team in s or TITLE in s for s in seen)
    assert other_api.get(f"/api/v1/reports/{ids['reporter']}").status_code == 404
    assert other_page.get(f"/my-reports/{ids['reporter']}").status_code == 404

    analyst = world.page("analyst")
    case = page_text(analyst.get(f"/cases/{ids['reporter']}").text)
    assert TITLE in case and team in case  # the security team sees whom the verdict was for
    assert team not in world.page("admin").get("/admin/audit").text

    with world.app.state.service.store.read() as session:
        bodies = [a.body_text + a.body_html + a.facts_json for a in session.scalars(sa.select(Alert))]
        reporter_name = session.get(User, world.user_ids["reporter"]).name  # type: ignore[union-attr]
    assert bodies, "the world's high reports should have raised an alert"
    assert not any(team in b or reporter_name in b for b in bodies)

    index = read_reports(world.settings.database_url)
    found = index.lookup(Profile(id="p", name=reporter_name))
    assert ids["reporter"] in {ref.report_id for ref in found}
