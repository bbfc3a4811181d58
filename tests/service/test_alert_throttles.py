"""Alert throttles on SQLite and PostgreSQL (issue 17, item 6): a campaign alert is raised once per campaign and
rule and then updated as reports join it, its updates sent at most once per interval; one reporter's reports
raise at most N new alerts an hour, the rest are filed and assessed, and the audit log says so once; both hold
when reports arrive together. Every person, firm and message is invented."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from counterpitch.alerts.deliver import DELIVERY_HEADER
from counterpitch.engine import Engine
from counterpitch.store.tables import Alert, AuditEvent, Report
from tests.service.world import World, approach, make_world
from tests.test_alerts_webhook import SECRET, Receiver, receiver, verifies

__all__ = ["receiver"]  # the webhook receiver fixture, used here by name

PERSONA = {"name": "Ilse Marren", "company": "Brightwater Policy Studio",
           "profile_url": "https://www.linkedin.com/in/ilse-marren-bps"}  # fmt: skip
ROLES = ("reporter", "other", "analyst", "admin")


def campaign_report(n: int) -> dict[str, Any]:
    """The n-th approach of one persona, each to a different member of staff."""
    text = (
        f"Note {n} from Ilse: Brightwater pays well for early sight of draft policy papers. We keep this between "
        "us and talk on Telegram."
    )
    return approach(f"camp-{n}", text, sender=PERSONA, recipient={"name": f"Staff {n}", "headline": "Adviser"})


def lone_report(n: int) -> dict[str, Any]:
    """An approach from a persona of its own, in words of its own: it joins no campaign."""
    sender = {"name": f"Persona {n} Quell", "company": f"Firm {n} Holdings", "connections": 40}
    text = f"Offer {n}: {'abcdefghij'[n % 10] * 3} we pay for notes on unpublished policy; keep it quiet, use Signal."
    return approach(f"lone-{n}", text=text, sender=sender)


def file(world: World, role: str, body: dict[str, Any]) -> int:
    r = world.api(role).post("/api/v1/reports", json=body)
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def campaign_alerts(world: World) -> list[Alert]:
    with world.app.state.service.store.read() as session:
        return list(session.scalars(select(Alert).where(Alert.rule_id == "campaign.targets")))


@pytest.fixture
def tight(db_url: str, tmp_path: Path, engine: Engine, receiver: Receiver) -> Iterator[World]:
    """Alerts by webhook; updates at most every 2 s; at most 3 new alerts an hour per reporter."""
    w = make_world(
        db_url,
        tmp_path,
        engine,
        webhook_url=receiver.base + "/ok",
        webhook_secret=SECRET,
        alert_update_interval_seconds=2,
        alerts_per_reporter_hour=3,
    )
    yield w
    w.app.state.service.alerter.close()
    w.app.state.service.store.dispose()


def test_when_ten_reports_join_a_campaign_then_its_one_alert_is_updated_with_their_facts(world: World) -> None:
    ids = [file(world, ROLES[n % 4], campaign_report(n)) for n in range(10)]
    rows = campaign_alerts(world)
    assert len(rows) == 1, "one alert per campaign and rule, whatever its size"
    alert = rows[0]
    facts = json.loads(alert.facts_json)
    assert facts["targets"] == 10, "the facts are the campaign's now, not when it first alerted"
    assert facts["revision"] == alert.revision == 7  # raised by the third report, updated by the next seven
    assert alert.report_id == ids[2] and alert.updated_at is not None
    assert "(update 7)" in alert.subject
    page = world.page("analyst").get(f"/alerts/{alert.id}").text
    assert "Updated 7 times" in page and "(update 7)" in page


def test_when_a_campaign_grows_then_its_update_is_sent_once_per_interval_not_per_report(
    tight: World, receiver: Receiver
) -> None:
    for n in range(6):  # the third raises the alert; the next three arrive within the 2 s interval
        file(tight, ROLES[n % 4], campaign_report(n))
    (alert,) = campaign_alerts(tight)
    assert alert.update_pending and alert.revision == 3

    def campaign_sends() -> list[dict[str, Any]]:
        seen = [s for s in receiver.on("/ok") if s.headers[DELIVERY_HEADER].startswith("campaign.targets:")]
        assert all(verifies(s) for s in seen)
        return [{"id": s.headers[DELIVERY_HEADER], **json.loads(s.body)["alert"]} for s in seen]

    deadline = time.monotonic() + 10
    while len(campaign_sends()) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.5)  # nothing more arrives
    sends = campaign_sends()
    assert [s["revision"] for s in sends] == [0, 3], "the raise, then one update carrying all three reports"
    assert sends[1]["id"] == f"{alert.dedup_key}#update-3" and sends[1]["targets"] == 6
    (alert,) = campaign_alerts(tight)
    assert not alert.update_pending and json.loads(alert.delivery_json)["webhook"] == "sent"


def test_when_a_reporter_passes_the_hourly_limit_then_reports_are_filed_but_raise_no_alert(
    tight: World,
) -> None:
    mine = [tight.report_ids["reporter"]] + [file(tight, "reporter", lone_report(n)) for n in range(6)]
    store = tight.app.state.service.store
    with store.read() as session:
        raised = session.scalars(select(Alert.report_id).where(Alert.report_id.in_(mine))).all()
        bands = session.scalars(select(Report.band).where(Report.id.in_(mine))).all()
        said = session.scalars(select(AuditEvent).where(AuditEvent.action == "alert.throttled")).all()
    assert len(raised) == 3, "at most three new alerts an hour from one reporter's reports"
    assert len(bands) == 7 and all(bands), "every report is still filed and assessed"
    assert [(e.object_type, e.object_id) for e in said] == [("user", str(tight.user_ids["reporter"]))]
    assert file(tight, "other", lone_report(99))  # another reporter is not held back
    with store.read() as session:
        assert session.scalar(select(Alert.id).where(Alert.report_id == tight.report_ids["other"]))


def test_when_reports_arrive_together_then_both_throttles_hold(tight: World) -> None:
    def one(n: int) -> int:
        return file(tight, "reporter", lone_report(n)) if n < 10 else file(tight, ROLES[n % 4], campaign_report(n))

    with ThreadPoolExecutor(12) as pool:
        ids = list(pool.map(one, range(20)))
    reporter_reports = [tight.report_ids["reporter"], *ids[:10], *(ids[n] for n in range(10, 20) if n % 4 == 0)]
    store = tight.app.state.service.store
    with store.read() as session:
        raised = session.scalars(select(Alert.id).where(Alert.report_id.in_(reporter_reports))).all()
        said = session.scalars(
            select(AuditEvent.id).where(
                AuditEvent.action == "alert.throttled", AuditEvent.object_id == str(tight.user_ids["reporter"])
            )
        ).all()
    assert len(raised) <= 3, f"{len(raised)} alerts from one reporter's reports"
    assert len(said) == 1, "the audit log says so once"
    rows = campaign_alerts(tight)
    assert len(rows) == 1
    # Which report raised it depends on the order and on whose reporter was still under the limit; every later
    # one updated it, and the last update holds all ten targets.
    facts = json.loads(rows[0].facts_json)
    assert facts["targets"] == 10 and 1 <= facts["revision"] == rows[0].revision <= 7
