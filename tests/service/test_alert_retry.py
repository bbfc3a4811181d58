"""An alert stored but never delivered (its process died first) is delivered at the next start, with the same
structured facts the first attempt would have sent; on SQLite and PostgreSQL, to a real webhook on loopback.
Content invented."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from counterpitch.alerts import load_rules
from counterpitch.store.db import Store
from counterpitch.store.migrate import upgrade
from counterpitch.store.tables import Alert
from counterpitch.web.alerting import RETRY_AFTER, Alerter, _insert
from tests.test_alerts_render import campaign_briefing
from tests.test_alerts_webhook import Receiver, hook, receiver, verifies

__all__ = ["receiver"]  # the webhook receiver fixture, used here by name


def test_when_an_alert_was_never_delivered_then_start_up_delivers_it_with_its_facts(
    db_url: str, receiver: Receiver
) -> None:
    briefing = campaign_briefing()
    assert briefing.alert, "the briefing under test must carry structured facts"
    store = Store(db_url)
    upgrade(store.engine)
    alerter = Alerter(load_rules(), hook(receiver.base + "/ok"), "Invented Ministry")
    try:
        with store.write() as session:
            alert_id = _insert(session, briefing, None, None)
            assert alert_id is not None
            old = datetime.now(UTC) - RETRY_AFTER - timedelta(minutes=1)
            session.execute(update(Alert).where(Alert.id == alert_id).values(created_at=old))
        done = alerter.retry_pending(store)
        assert done is not None
        done.result()
        sent = receiver.on("/ok")
        assert len(sent) == 1 and verifies(sent[0])
        body = json.loads(sent[0].body)
        assert body["alert"] == json.loads(json.dumps(dict(briefing.alert)))
        assert body["briefing"]["subject"] == briefing.subject
        with store.read() as session:
            row = session.get(Alert, alert_id)
            assert row is not None and json.loads(row.delivery_json)["webhook"] == "sent"
        assert alerter.retry_pending(store) is None, "a delivered alert is not sent again"
        assert len(receiver.on("/ok")) == 1
    finally:
        alerter.close()
        store.dispose()
