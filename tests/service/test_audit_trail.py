"""Issue 17's audit findings, on SQLite and PostgreSQL: requests refused for the caller's role are in the audit log,
and one API token can be listed and revoked from the command line. Invented accounts only."""

from __future__ import annotations

import json

import sqlalchemy as sa
from typer.testing import CliRunner

from counterpitch.cli import app as cli_app
from counterpitch.store.tables import AuditEvent
from tests.service.world import PEOPLE, World


def refusals(world: World) -> list[tuple[int | None, str, dict[str, object]]]:
    with world.app.state.service.store.read() as session:
        rows = session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "access.refused")).all()
        return [(r.actor_id, r.object_id, json.loads(r.detail_json)) for r in rows]


def test_when_a_role_is_refused_a_page_or_an_api_call_then_the_audit_log_says_who_and_where(world: World) -> None:
    assert world.page("reporter").get("/admin/users").status_code == 403
    assert world.api("analyst").get("/api/v1/campaigns").status_code == 200  # allowed: not logged
    assert world.api("reporter").get("/api/v1/campaigns").status_code == 403
    uid = world.user_ids["victim"]
    reporter = world.page("reporter")
    assert reporter.post(f"/admin/users/{uid}/deactivate", data={"csrf_token": world.csrf(reporter)}).status_code == 403
    rid = world.user_ids["reporter"]
    assert refusals(world) == [
        (rid, "/admin/users", {"method": "GET", "path": "/admin/users", "role": "reporter"}),
        (rid, "/api/v1/campaigns", {"method": "GET", "path": "/api/v1/campaigns", "role": "reporter"}),
        (
            rid,
            "/admin/users/{user_id}/deactivate",
            {"method": "POST", "path": f"/admin/users/{uid}/deactivate", "role": "reporter"},
        ),
    ]
    assert "access.refused" in world.page("admin").get("/admin/audit").text


def test_when_anonymous_or_the_csrf_token_is_wrong_then_nothing_is_logged_as_a_refusal(world: World) -> None:
    assert world.page("anonymous").get("/admin/users").status_code == 303
    admin = world.page("admin")
    assert admin.post(f"/admin/users/{world.user_ids['victim']}/deactivate", data={}).status_code == 403
    assert refusals(world) == []


def cli(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(cli_app, list(args))
    return r.exit_code, r.stdout, r.output


def test_one_token_is_listed_and_revoked_from_the_command_line(world: World) -> None:
    db = world.settings.database_url
    name = PEOPLE["analyst"][0]
    code, new_token, _ = cli("tokens", "create", name, "--label", "mail gateway", "--db", db)
    assert code == 0
    new_token = new_token.strip()
    api = world.client()
    api.headers["Authorization"] = f"Bearer {new_token}"

    code, listing, _ = cli("tokens", "list", "--user", name, "--db", db)
    assert code == 0
    lines = [line.split("\t") for line in listing.strip().splitlines()]
    assert lines[0] == ["id", "user", "state", "created", "last used", "label"]
    assert [(row[1], row[2], row[4], row[5]) for row in lines[1:]] == [
        (name, "active", "never", ""),
        (name, "active", "never", "mail gateway"),
    ]
    assert new_token not in listing
    token_id = lines[2][0]

    code, _, output = cli("tokens", "revoke", token_id, "--db", db)
    assert code == 0 and f"revoked token {token_id}" in output
    assert api.get("/api/v1/reports").status_code == 401  # never checked before, so nothing remembered it
    assert world.api("analyst").get("/api/v1/reports").status_code == 200  # the analyst's other token still works
    code, listing, _ = cli("tokens", "list", "--db", db)
    assert f"{token_id}\t{name}\trevoked\t" in listing
    assert sum(line.count("\tactive\t") for line in listing.splitlines()) == len(PEOPLE)

    admin = world.page("admin")
    assert "token.revoke" in admin.get("/admin/audit").text
    assert cli("tokens", "revoke", "999999", "--db", db)[0] == 2
    assert cli("tokens", "revoke", str(2**64), "--db", db)[0] == 2  # past the database's range: refused, no crash
