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
import threading
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from counterpitch.alerts import (
    AlertDraft,
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
from counterpitch.alerts.devices import render_device
from counterpitch.alerts.rules import DeviceCoveredRule
from counterpitch.devices.imported import DeviceRecord
from counterpitch.store import alert_limits, devices
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


@dataclass(frozen=True)
class Throttles:
    """How often a reporter's reports may raise a new alert, and a grown campaign's alert be sent again."""

    per_reporter_hour: int = 10
    update_interval: timedelta = timedelta(hours=1)


class Alerter:
    def __init__(
        self,
        rules: Sequence[AnyRule],
        delivery: DeliverySettings,
        org_name: str,
        throttles: Throttles | None = None,
    ) -> None:
        self.rules = tuple(rules)
        self.delivery = delivery
        self.org_name = org_name
        self.throttles = throttles or Throttles()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="alert-delivery")
        self._timer: threading.Timer | None = None
        self._timer_lock = threading.Lock()
        self._held = False

    @classmethod
    def from_settings(cls, settings: Settings) -> Alerter:
        throttles = Throttles(
            per_reporter_hour=settings.alerts_per_reporter_hour,
            update_interval=timedelta(seconds=settings.alert_update_interval_seconds),
        )
        return cls(load_rules(settings.alert_rules), delivery_settings(settings), settings.org_name, throttles)

    def record(self, session: Session, report_id: int, campaign_id: int | None) -> list[tuple[int, Briefing]]:
        """Evaluate the rules for a just-linked report, in the caller's transaction: store each new alert, update
        the campaign's alerts it grows, and give back what to deliver after the commit.

        The campaign's lock is taken before its alerts and members are read, so of reports joining it together
        one raises each alert and the rest update it; new alerts count against the reporter's hourly limit
        (store/alert_limits.py). Updates do not: they raise nothing new, and go out at most once an interval.
        """
        row = session.get(Report, report_id)
        if row is None:
            return []
        facts = _facts(row)
        summary: Any = None
        members: list[ReportFacts] = []
        if campaign_id is not None and any(r.scope == "campaign" for r in self.rules):
            alert_limits.lock_campaign(session, campaign_id)
            summary, members = _campaign(session, campaign_id, self._min_targets)
        now = datetime.now(UTC)
        out: list[tuple[int, Briefing]] = []
        room: int | None = None
        refused: list[str] = []
        for draft in evaluate(self.rules, summary, facts, now, members=members):
            existing = session.scalar(select(Alert).where(Alert.dedup_key == draft.dedup_key))
            if existing is not None:
                if draft.rule.scope == "campaign":
                    out.extend(self._update(session, existing, draft, now))
                continue
            if room is None:
                room = alert_limits.room(session, row.reporter_id, self.throttles.per_reporter_hour, now)
            if room <= 0:
                refused.append(draft.rule.id)
                continue
            briefing = render(draft, org_name=self.org_name)
            subject = summary.id if summary is not None else None
            alert_id = _insert(session, briefing, subject, report_id, reporter_id=row.reporter_id, now=now)
            if alert_id is not None:
                room -= 1
                out.append((alert_id, briefing))
        if refused:
            limit = self.throttles.per_reporter_hour
            alert_limits.throttled(session, row.reporter_id, limit, report_id, refused, now)
        return out

    def _update(self, session: Session, row: Alert, draft: AlertDraft, now: datetime) -> list[tuple[int, Briefing]]:
        """The campaign grew: the alert's facts, counts and briefing are brought up to date in its row (the page
        shows them at once); the update is delivered now when the last send is an interval old, else held."""
        row.revision += 1
        briefing = render(draft, org_name=self.org_name, revision=row.revision)
        row.subject, row.body_text, row.body_html = briefing.subject, briefing.text, briefing.html
        row.facts_json = json.dumps(dict(briefing.alert), ensure_ascii=False, sort_keys=True)
        row.updated_at = now
        last = _utc(row.notified_at) if row.notified_at is not None else None
        if last is not None and now - last < self.throttles.update_interval:
            row.update_pending = True
            self._held = True  # dispatch() arms the timer that sends it once the interval is over
            return []
        row.notified_at, row.update_pending = now, False
        return [(row.id, briefing)]

    def record_devices(
        self, session: Session, returned: Sequence[int], new: Sequence[int]
    ) -> list[tuple[int, Briefing]]:
        """Run the device rules over an import's covered devices that came back after being marked removed and
        those new to a site imported before, in the import's transaction: one alert per device and rule (the
        dedup key), whatever later imports show; what to deliver after the commit. Device alerts belong to no
        reporter, so the per-reporter hourly limit does not count them."""
        rules = [r for r in self.rules if isinstance(r, DeviceCoveredRule)]
        if not rules:
            return []
        now = datetime.now(UTC)
        out: list[tuple[int, Briefing]] = []
        for event, ids in (("returned", returned), ("new", new)):
            for device_id in ids:
                for rule in rules:
                    trigger = rule.check_device(event)
                    if trigger is None:
                        continue
                    if session.scalar(select(Alert.id).where(Alert.dedup_key == rule.dedup_key(device_id))):
                        continue
                    facts = devices.device_facts(session, device_id)
                    if facts is None:
                        continue
                    briefing = render_device(rule, facts, org_name=self.org_name, now=now, reason=trigger.reason)
                    alert_id = _insert(session, briefing, None, None, now=now)
                    if alert_id is not None:
                        out.append((alert_id, briefing))
        return out

    @property
    def _min_targets(self) -> int:
        return min((int(getattr(r, "targets", 0)) for r in self.rules if r.scope == "campaign"), default=0)

    def dispatch(self, store: Store, briefings: Sequence[tuple[int, Briefing]]) -> Future[None] | None:
        """Deliver after the commit, off the request; the outcome goes back into the alert's row."""
        if self._held:
            self._held = False
            self._arm(store, self.throttles.update_interval)
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

    def flush_updates(self, store: Store) -> Future[None] | None:
        """Deliver the updates held back by the interval once it is over; each is claimed with a conditional
        update, so of several workers one sends it. Arms itself again for the next one still held."""
        rules = {r.id: r for r in self.rules}
        claimed = []
        interval = self.throttles.update_interval
        with store.write() as session:
            now = datetime.now(UTC)
            held = Alert.update_pending.is_(True)
            due = session.scalars(select(Alert).where(held, Alert.notified_at <= now - interval).limit(MAX_RETRIES))
            for row in list(due):
                taken = session.execute(
                    update(Alert)
                    .where(Alert.id == row.id, held, Alert.notified_at == row.notified_at)
                    .values(update_pending=False, notified_at=now)
                )
                if getattr(taken, "rowcount", 0) == 1:
                    claimed.append((row.id, _stored_briefing(row, rules.get(row.rule_id))))
            following = session.scalar(select(func.min(Alert.notified_at)).where(held))
        if following is not None:
            self._arm(store, max(timedelta(0), _utc(following) + interval - now))
        return self.dispatch(store, claimed)

    def _arm(self, store: Store, after: timedelta) -> None:
        """One timer at a time: when it fires it sends what is due and arms the next."""
        with self._timer_lock:
            if self._timer is not None and self._timer.is_alive():
                return
            seconds = after.total_seconds() + 0.05
            self._timer = threading.Timer(seconds, lambda: self._pool.submit(self._flush_quietly, store))
            self._timer.daemon = True
            self._timer.start()

    def _flush_quietly(self, store: Store) -> None:
        with self._timer_lock:
            self._timer = None
        try:
            self.flush_updates(store)
        except Exception:  # held updates stay flagged in their rows; the next start or report sends them
            log.exception("could not deliver held alert updates")

    def close(self) -> None:
        with self._timer_lock:
            if self._timer is not None:
                self._timer.cancel()
        self._pool.shutdown(wait=True)


def import_devices(
    store: Store, alerter: Alerter | None, records: Iterable[DeviceRecord], *, actor_id: int | None, source: str
) -> devices.ImportResult:
    """Import an audit's devices and run the device rules in one transaction, then deliver what they raised:
    the one path for the service's import form and `counterpitch devices import`."""
    with store.write() as session:
        result = devices.import_records(session, records, actor_id=actor_id, source=source)
        raised = alerter.record_devices(session, result.returned, result.new_covered) if alerter is not None else []
    result.alerts = len(raised)
    if alerter is not None:
        alerter.dispatch(store, raised)
    return result


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


def _insert(
    session: Session,
    briefing: Briefing,
    campaign_id: int | None,
    report_id: int | None,
    *,
    reporter_id: int | None = None,
    now: datetime | None = None,
) -> int | None:
    """One alert row, in a savepoint: a concurrent twin with the same dedup key loses quietly, not the report."""
    now = now or datetime.now(UTC)
    row = Alert(
        created_at=now,
        notified_at=now,
        reporter_id=reporter_id,
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
        revision=row.revision or 0,
    )


def _utc(moment: datetime) -> datetime:
    """SQLite gives times back without their zone; they were written in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
