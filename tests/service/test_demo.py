"""The demo organisation `make run` loads: its reports are linked and alerted on as reported approaches are.

A newcomer who runs `make run` should find the invented campaign on the campaigns page and its alert on the
alerts page, on SQLite (the default) and on PostgreSQL.
"""

from __future__ import annotations

import json

from sqlalchemy import func, select

from counterpitch.alerts import DeliverySettings, load_rules
from counterpitch.engine import Engine
from counterpitch.store.db import Store
from counterpitch.store.migrate import upgrade
from counterpitch.store.tables import Alert, Report
from counterpitch.web.alerting import Alerter
from counterpitch.web.demo import DEMO_USERS, demo_approaches, load_demo


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
