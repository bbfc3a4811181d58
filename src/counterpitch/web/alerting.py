"""Alerts in the service: after a report is stored and linked, run the alert rules and deliver what fires.

The alert rows are written in the report's own transaction (so a report that got a 201 never lacks the alert
it raised, and the unique dedup key keeps one alert per rule and subject even with concurrent submissions);
delivery, which talks to a mail server or a webhook and may take seconds, runs after the commit on one
background thread, and its outcome is written back to the row. An alert whose process died before delivery
keeps an empty outcome, which the alerts page shows as pending.
"""

from __future__ import annotations

import importlib
import json
import logging
import socket
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from counterpitch.alerts import (
    AnyRule,
    Briefing,
    DeliverySettings,
    ReportFacts,
    SmtpSettings,
    WebhookSettings,
    deliver,
    evaluate,
    load_rules,
    render,
)
from counterpitch.store.db import Store
from counterpitch.store.reports import approach_of, assessment_of
from counterpitch.store.tables import Alert, Report
from counterpitch.web.settings import Settings

log = logging.getLogger(__name__)
#: Members read to decide "N distinct targets within D days": the latest ones are the ones that matter.
MAX_MEMBERS = 1_000
#: Undelivered alerts older than this are delivered again at start-up (at most MAX_RETRIES at a time).
RETRY_AFTER = timedelta(minutes=10)
MAX_RETRIES = 200


def delivery_settings(settings: Settings) -> DeliverySettings:
    """SMTP when a host is set, the webhook when a URL and a signing secret are set."""
    smtp = None
    if settings.smtp_host:
        smtp = SmtpSettings(
            host=settings.smtp_host,
            sender=settings.smtp_from or f"counterpitch@{socket.getfqdn() or 'localhost'}",
            to=tuple(a.strip() for a in settings.smtp_to.split(",") if a.strip()),
            port=settings.smtp_port,
            starttls=settings.smtp_starttls,
            username=settings.smtp_user or None,
            password=settings.smtp_password or None,
        )
    secret = settings.webhook_secret
    webhook = WebhookSettings(settings.webhook_url, secret) if settings.webhook_url and secret else None
    return DeliverySettings(smtp=smtp, webhook=webhook)


class Alerter:
    def __init__(self, rules: Sequence[AnyRule], delivery: DeliverySettings, org_name: str) -> None:
        self.rules = tuple(rules)
        self.delivery = delivery
        self.org_name = org_name
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="alert-delivery")

    @classmethod
    def from_settings(cls, settings: Settings) -> Alerter:
        return cls(load_rules(settings.alert_rules), delivery_settings(settings), settings.org_name)

    def record(self, session: Session, report_id: int, campaign_id: int | None) -> list[tuple[int, Briefing]]:
        """Evaluate the rules for a just-linked report and store each new alert; in the caller's transaction."""
        row = session.get(Report, report_id)
        if row is None:
            return []
        facts = _facts(row)
        summary: Any = None
        members: list[ReportFacts] = []
        if campaign_id is not None and self._campaign_open(session, campaign_id):
            summary, members = _campaign(session, campaign_id, self._min_targets)
        out = []
        for draft in evaluate(self.rules, summary, facts, datetime.now(UTC), members=members):
            if session.scalar(select(Alert.id).where(Alert.dedup_key == draft.dedup_key)) is not None:
                continue
            briefing = render(draft, org_name=self.org_name)
            alert_id = _insert(session, briefing, summary.id if summary is not None else None, report_id)
            if alert_id is not None:
                out.append((alert_id, briefing))
        return out

    @property
    def _min_targets(self) -> int:
        return min((int(getattr(r, "targets", 0)) for r in self.rules if r.scope == "campaign"), default=0)

    def _campaign_open(self, session: Session, campaign_id: int) -> bool:
        """Some campaign rule has not alerted on this campaign yet (else a growing campaign costs nothing)."""
        keys = [r.dedup_key(campaign_id) for r in self.rules if r.scope == "campaign"]
        if not keys:
            return False
        raised = set(session.scalars(select(Alert.dedup_key).where(Alert.dedup_key.in_(keys))))
        return any(k not in raised for k in keys)

    def dispatch(self, store: Store, briefings: Sequence[tuple[int, Briefing]]) -> Future[None] | None:
        """Deliver after the commit, off the request; the outcome goes back into the alert's row."""
        if not briefings:
            return None
        return self._pool.submit(self._deliver, store, list(briefings))

    def _deliver(self, store: Store, briefings: list[tuple[int, Briefing]]) -> None:
        for alert_id, briefing in briefings:
            outcome = deliver(briefing, self.delivery)
            try:
                with store.write() as session:
                    row = session.get(Alert, alert_id)
                    if row is not None:
                        row.delivery_json = json.dumps(outcome, sort_keys=True)
            except Exception:  # the outcome is lost, the alert is not: it shows as pending
                log.exception("could not record the delivery outcome of alert %s", alert_id)

    def retry_pending(self, store: Store) -> Future[None] | None:
        """Deliver alerts a process stored but never delivered (it died first); called at start-up.

        Each one is claimed with a conditional update, so of several workers starting together one sends it;
        only alerts older than RETRY_AFTER are taken, so one another worker is delivering right now is left be.
        The rule gives the channels and recipients; a rule no longer configured goes to every channel.
        """
        rules = {r.id: r for r in self.rules}
        claimed = []
        with store.write() as session:
            cutoff = datetime.now(UTC) - RETRY_AFTER
            pending = session.scalars(
                select(Alert).where(Alert.delivery_json == "{}", Alert.created_at < cutoff).limit(MAX_RETRIES)
            )
            for row in list(pending):
                taken = session.execute(
                    update(Alert)
                    .where(Alert.id == row.id, Alert.delivery_json == "{}")
                    .values(delivery_json=json.dumps({"retry": "pending"}))
                )
                if getattr(taken, "rowcount", 0) == 1:
                    claimed.append((row.id, _stored_briefing(row, rules.get(row.rule_id))))
        return self.dispatch(store, claimed)

    def close(self) -> None:
        self._pool.shutdown(wait=True)


def _facts(row: Report) -> ReportFacts:
    return ReportFacts.from_records(row.id, approach_of(row), assessment_of(row), row.reported_at, row.reporter_id)


def _campaign(session: Session, campaign_id: int, min_targets: int) -> tuple[Any, list[ReportFacts]]:
    """The campaign's summary (None when campaigns/ is absent or it is not a live campaign) and its members,
    read only once the campaign has enough targets for a rule to fire (the summary alone says it cannot yet)."""
    try:
        persist = importlib.import_module("counterpitch.campaigns.persist")
    except ImportError:
        return None, []
    found = persist.campaign_summaries(session, ids=[campaign_id])
    if not found:
        return None, []
    summary = found[0]
    if summary.targets < min_targets:
        return summary, []
    rows = session.scalars(
        select(Report).where(Report.campaign_id == summary.id).order_by(Report.id.desc()).limit(MAX_MEMBERS)
    )
    return summary, [_facts(r) for r in rows]


def _insert(session: Session, briefing: Briefing, campaign_id: int | None, report_id: int) -> int | None:
    """One alert row, in a savepoint: a concurrent twin with the same dedup key loses quietly, not the report."""
    row = Alert(
        rule_id=briefing.rule_id,
        dedup_key=briefing.dedup_key,
        campaign_id=campaign_id,
        report_id=report_id,
        subject=briefing.subject,
        body_text=briefing.text,
        body_html=briefing.html,
        delivery_json="{}",
        facts_json=json.dumps(dict(briefing.alert), ensure_ascii=False, sort_keys=True),
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        return None
    return row.id


def _stored_briefing(row: Alert, rule: AnyRule | None) -> Briefing:
    """The briefing as stored, with its facts and its rule's channels and recipients."""
    try:
        facts = json.loads(row.facts_json or "{}")
    except ValueError:  # written by hand or damaged: deliver the briefing without the structured facts
        facts = {}
    return Briefing(
        subject=row.subject,
        text=row.body_text,
        html=row.body_html,
        rule_id=row.rule_id,
        dedup_key=row.dedup_key,
        severity=rule.severity if rule is not None else "high",
        channels=tuple(rule.channels) if rule is not None else ("smtp", "webhook"),
        recipients=tuple(rule.recipients) if rule is not None else (),
        alert=facts if isinstance(facts, dict) else {},
    )
