"""The store on SQLite and PostgreSQL: migrations, durability settings, the append-only audit log and the
service layer's audit trail. Invented people and messages only.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from counterpitch.model import Approach
from counterpitch.store import accounts, audit
from counterpitch.store.db import Store
from counterpitch.store.migrate import current_revision, head_revision, upgrade
from counterpitch.store.tables import AuditEvent
from counterpitch.web.services import Forbidden
from tests.service.world import World, approach


def test_migrations_run_from_code_and_are_idempotent(db_url: str) -> None:
    store = Store(db_url)
    try:
        assert current_revision(store.engine) is None
        upgrade(store.engine)
        upgrade(store.engine)
        assert current_revision(store.engine) == head_revision()
        names = set(sa.inspect(store.engine).get_table_names())
        assert {"users", "api_tokens", "login_attempts", "reports", "audit_log", "watchlist_entries"} <= names
        assert {"web_sessions", "known_addresses"} <= names
    finally:
        store.dispose()


def test_sqlite_connections_are_durable_and_concurrent(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'x' / 'c.db'}")
    try:
        with store.engine.connect() as conn:
            pragma = {p: conn.exec_driver_sql(f"PRAGMA {p}").scalar() for p in ("journal_mode", "synchronous")}
            pragma |= {p: conn.exec_driver_sql(f"PRAGMA {p}").scalar() for p in ("busy_timeout", "foreign_keys")}
        assert pragma == {"journal_mode": "wal", "synchronous": 2, "busy_timeout": 30_000, "foreign_keys": 1}
    finally:
        store.dispose()


@pytest.mark.parametrize("statement", ["UPDATE audit_log SET action = 'rewritten'", "DELETE FROM audit_log"])
def test_the_database_refuses_to_change_the_audit_log(world: World, statement: str) -> None:
    store = world.app.state.service.store
    with store.read() as session:
        before = [(e.id, e.action) for e in session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id))]
    assert before, "the world's set-up should have written audit rows"
    with pytest.raises(sa.exc.DBAPIError, match="append-only"), store.write() as session:
        session.execute(sa.text(statement))
    with store.read() as session:
        assert [(e.id, e.action) for e in session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id))] == before


def test_every_change_is_audited_in_its_own_transaction(world: World) -> None:
    service = world.app.state.service
    analyst = service.actor_by_token(world.tokens["analyst"])
    reporter = service.actor_by_token(world.tokens["reporter"])
    admin = service.actor_by_token(world.tokens["admin"])
    report_id, _ = service.submit_report(reporter, Approach.model_validate(approach("audited")))
    assert service.set_status(analyst, report_id, "triaged")
    assert service.add_note(analyst, report_id, "Sender matches an earlier report.")
    entry = service.add_watchlist_from_report(analyst, report_id)
    assert entry is not None and entry.startswith(f"case-{report_id}-")
    service.set_user_active(admin, world.user_ids["victim"], False)

    rows = service.audit_log(admin, limit=50)
    seen = {(r.action, r.object_id, r.actor) for r in rows}
    assert ("report.submit", str(report_id), "rhea.reporter") in seen
    assert ("report.status", str(report_id), "ann.analyst") in seen
    assert ("note.add", str(report_id), "ann.analyst") in seen
    assert ("watchlist.add", entry, "ann.analyst") in seen
    assert ("user.deactivate", str(world.user_ids["victim"]), "ada.admin") in seen
    status = next(r for r in rows if r.action == "report.status")
    assert status.detail == {"from": "new", "to": "triaged"}


def test_roles_are_enforced_in_the_service_layer(world: World) -> None:
    service = world.app.state.service
    reporter = service.actor_by_token(world.tokens["reporter"])
    analyst = service.actor_by_token(world.tokens["analyst"])
    with pytest.raises(Forbidden):
        service.set_status(reporter, world.report_ids["reporter"], "closed")
    with pytest.raises(Forbidden):
        service.audit_log(analyst)
    with pytest.raises(Forbidden):
        service.add_user(analyst, "sneaky", "admin", "a-long-password")
    with pytest.raises(ValueError, match="status"):
        service.set_status(analyst, world.report_ids["reporter"], "deleted")
    assert service.set_status(analyst, 999_999, "closed") is False


def test_a_failed_change_leaves_no_audit_row(world: World) -> None:
    service = world.app.state.service
    admin = service.actor_by_token(world.tokens["admin"])
    before = len(service.audit_log(admin, limit=1000))
    with pytest.raises(ValueError, match="already exists"):
        service.add_user(admin, "rhea.reporter", "reporter", "a-long-password")
    assert len(service.audit_log(admin, limit=1000)) == before


def test_the_audit_page_shows_the_log_to_admins_only(world: World) -> None:
    page = world.page("admin").get("/admin/audit")
    assert page.status_code == 200 and "report.submit" in page.text and "user.add" in page.text
    assert world.page("analyst").get("/admin/audit").status_code == 403


def test_tokens_are_stored_hashed(world: World) -> None:
    store = world.app.state.service.store
    with store.read() as session:
        stored = {h for (h,) in session.execute(sa.text("SELECT token_hash FROM api_tokens"))}
    for token in world.tokens.values():
        assert token not in stored and accounts.token_hash(token) in stored
        assert len(token) >= 43  # 256 bits, URL-safe base64


def test_passwords_are_argon2id_and_upgraded_when_the_cost_grows(world: World) -> None:
    store = world.app.state.service.store
    with store.write() as session:
        user = accounts.by_name(session, "ann.analyst")
        assert user is not None and user.password_hash is not None
        assert user.password_hash.startswith("$argon2id$")
        weak = PasswordHasher(time_cost=1, memory_cost=512, parallelism=1).hash("invented-pass-123")
        user.password_hash = weak
    with store.write() as session:
        assert accounts.verify_password(session, "ann.analyst", "invented-pass-123") is not None
    with store.read() as session:
        user = accounts.by_name(session, "ann.analyst")
        assert user is not None and user.password_hash != weak


def test_reports_keep_the_approach_exactly(world: World) -> None:
    sent = approach("exact", text='Ünïcödé ✓ — quotes "x" and <b>tags</b>\nnew line')
    r = world.api("reporter").post("/api/v1/reports", json=sent)
    got = world.api("reporter").get(f"/api/v1/reports/{r.json()['id']}").json()["approach"]
    assert got["text"] == sent["text"]
    assert Approach.model_validate(got) == Approach.model_validate(sent)  # empty lists are written out, no more
    with world.app.state.service.store.read() as session:
        raw = session.execute(sa.text("SELECT approach_json FROM reports WHERE id = :i"), {"i": r.json()["id"]})
        assert json.loads(raw.scalar_one())["text"] == sent["text"]


def test_audit_rows_have_no_edit_path(world: World) -> None:
    assert not hasattr(audit, "update") and not hasattr(audit, "delete")


@pytest.mark.parametrize("name", ["", "   ", "tab\there", "new\nline", "nul\x00byte", "x" * 121])
def test_user_names_are_one_printable_line(world: World, name: str) -> None:
    service = world.app.state.service
    admin = service.actor_by_token(world.tokens["admin"])
    with pytest.raises(ValueError, match=r"^name:"):
        service.add_user(admin, name, "reporter", "a-long-password")
