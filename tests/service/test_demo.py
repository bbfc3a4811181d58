"""The demo organisation `make run` loads: its reports are linked and alerted on as reported approaches are.

A newcomer who runs `make run` should find the invented campaign on the campaigns page and its alert on the
alerts page, on SQLite (the default) and on PostgreSQL.
"""

from __future__ import annotations

import json

from sqlalchemy import func, select

from counterpitch.alerts import DeliverySettings, load_rules
from counterpitch.engine import Engine
from counterpitch.model import Approach
from counterpitch.store import accounts
from counterpitch.store.db import Store
from counterpitch.store.migrate import upgrade
from counterpitch.store.tables import Alert, Report
from counterpitch.web.alerting import Alerter
from counterpitch.web.demo import DEMO_DETAILS, DEMO_USERS, demo_approaches, load_demo, sign_in_help


def test_when_demo_is_loaded_then_its_campaign_is_linked_and_alerted_once(db_url: str, engine: Engine) -> None:
    store = Store(db_url)
    upgrade(store.engine)
    alerter = Alerter(load_rules(), DeliverySettings(), "Demo organisation (invented)")
    try:
        with store.write() as session:
            added, raised = load_demo(session, engine, alerter)
        assert added == len(demo_approaches())
        assert "campaign.targets" in {b.rule_id for _, b in raised}
        done = alerter.dispatch(store, raised)
        assert done is not None
        done.result()
        with store.read() as session:
            campaign_of = dict(session.execute(select(Report.approach_id, Report.campaign_id)).all())
            linked = {campaign_of[a] for a in campaign_of if a.startswith("demo-c")}
            assert len(linked) == 1 and None not in linked, "the three demo-c* reports form one campaign"
            alerts = session.scalars(select(Alert)).all()
            campaign_alerts = [a for a in alerts if a.rule_id == "campaign.targets"]
            assert [a.campaign_id for a in campaign_alerts] == list(linked)
            # No mail server or webhook is configured in the demo: the outcome says so, it is not left pending.
            assert all(json.loads(a.delivery_json) for a in alerts)
        with store.write() as session:  # loading again (every `make run`) adds nothing and alerts nothing
            again, raised_again = load_demo(session, engine, alerter)
        assert (again, raised_again) == (0, [])
        with store.read() as session:
            assert session.scalar(select(func.count()).select_from(Alert)) == len(alerts)
            assert session.scalar(select(func.count()).select_from(Report)) == added
    finally:
        alerter.close()
        store.dispose()


def test_demo_users_cover_every_role() -> None:
    assert {role for _, role, _ in DEMO_USERS} == {"reporter", "analyst", "admin"}


def test_demo_users_state_invented_roles_that_their_reports_are_assessed_for(db_url: str, engine: Engine) -> None:
    store = Store(db_url)
    upgrade(store.engine)
    try:
        with store.write() as session:  # a demo database made before accounts had details
            accounts.add_user(session, "riley.reporter", "reporter", password="demo-reporter-1")
        with store.write() as session:
            load_demo(session, engine)
        with store.read() as session:
            stated = {name: accounts.details_of(accounts.by_name(session, name)) for name, _, _ in DEMO_USERS}  # type: ignore[arg-type]
        assert stated["riley.reporter"].title == DEMO_DETAILS["riley.reporter"]["title"]
        assert all(stated.values()), "every demo person states a role"
        recipient = stated["riley.reporter"].recipient()
        assert recipient is not None
        found = engine.assess(Approach(id="demo-new", text="Hello, glad to connect.", recipient=recipient))
        assert "targeting.recipient_access" in {f.detector for f in found.findings}
        assert "Parliamentary Researcher" in sign_in_help("http://127.0.0.1:8000/")
    finally:
        store.dispose()


def test_the_demo_has_devices_to_track_once(db_url: str, engine: Engine) -> None:
    from counterpitch.store.tables import Device

    store = Store(db_url)
    upgrade(store.engine)
    try:
        for _ in range(2):  # every `make run` loads the demo again: the register is imported once
            with store.write() as session:
                load_demo(session, engine, None)
        with store.read() as session:
            found = {d.asset: (d.vendor, d.covered, d.status) for d in session.scalars(select(Device))}
            assert session.scalar(select(func.count()).select_from(Alert)) == sum(
                1 for a in session.scalars(select(Alert)) if a.rule_id.startswith("campaign.")
            )  # the register is the sites' baseline: no device alert
        assert len(found) == 12
        assert found["DEMO-NVR-001"] == ("Hikvision", True, "found")
        assert found["DEMO-CAM-004"][:2] == ("Dahua", True)
        assert found["DEMO-CAM-100"][:2] == ("Axis Communications", False)
        assert sum(covered for _, covered, _ in found.values()) == 9
    finally:
        store.dispose()
